"""One web process: the Gradio chat at ``/`` and an OpenAI-compatible API beside it.

``POST /v1/chat/completions`` (model ``care-guide-assistant``): the last user message is the question
and earlier user messages are the history. The reply's content is the cited answer with its numbered
sources listed in plain text at the end, so that any OpenAI client shows readable sources; the
structured citations come in an extra ``citations`` field. ``stream: true`` sends OpenAI-style chunks
as server-sent events; with a language model configured, only after its reply has been checked (a
client cannot take back text it was sent), so the stream carries the same text as the plain reply.
``GET /v1/models`` and ``GET /healthz`` complete the set. Errors use OpenAI's error shape with a plain
message.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from assistant.answer.grounded import source_lines
from assistant.errors import AssistantError, BadInput
from assistant.settings import Settings
from assistant.types import Answer

MODEL = "care-guide-assistant"


def _error(status: int, message: str, kind: str = "invalid_request_error", code: str | None = None) -> JSONResponse:
    return JSONResponse(status_code=status,
                        content={"error": {"message": message, "type": kind, "param": None, "code": code}})


def _text(content: Any) -> str:
    """A message's text, whether content is a string or a list of parts ({"type": "text", "text": ...})."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    return ""


def reply_text(answer: Answer) -> str:
    """The answer, the note on who wrote it (with a model configured), then its sources in plain text, for
    clients that show only the content."""
    text = answer.text + (f"\n\n({answer.note})" if answer.note else "")
    if not answer.citations:
        return text
    return text + "\n\nSources:\n" + "\n".join(source_lines(answer.citations))


def build_server(settings: Settings, assistant: Any = None) -> FastAPI:
    """The FastAPI app with the API routes and the Gradio chat mounted at ``/``."""
    import gradio as gr

    from assistant.chat import Assistant
    from assistant.web import CITE_JS, CSS, build_app, login_pairs

    shared = assistant or Assistant(settings)
    app = FastAPI(title="Care Guide Assistant", docs_url=None, redoc_url=None, openapi_url=None)

    def authorised(request: Request) -> bool:
        if not settings.api_key:
            return True
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        return secrets.compare_digest(given, settings.api_key)

    @app.get("/healthz")
    def healthz() -> Any:
        try:
            shared.reader.refresh()
            return {"status": "ok", "index": shared.reader.build, "passages": len(shared.reader.chunks)}
        except AssistantError as e:
            return _error(503, str(e), "server_error", "index_unavailable")

    @app.get("/v1/models")
    def models(request: Request) -> Any:
        if not authorised(request):
            return _error(401, "A valid API key is needed: send 'Authorization: Bearer <key>'.",
                          "authentication_error", "invalid_api_key")
        return {"object": "list", "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "local"}]}

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> Any:
        if not authorised(request):
            return _error(401, "A valid API key is needed: send 'Authorization: Bearer <key>'.",
                          "authentication_error", "invalid_api_key")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "The request body must be JSON.")
        if not isinstance(body, dict):
            return _error(400, "The request body must be a JSON object.")
        if body.get("model", MODEL) != MODEL:
            return _error(404, f"The model {body.get('model')!r} does not exist; use {MODEL!r}.",
                          code="model_not_found")
        messages = body.get("messages")
        if not isinstance(messages, list):
            return _error(400, "'messages' must be a list of {role, content} objects.")
        users = [_text(m.get("content")) for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        users = [u for u in users if u.strip()]
        if not users:
            return _error(400, "Send at least one user message with the question.")
        filters = body.get("filters") if isinstance(body.get("filters"), dict) else None

        try:
            answer = await run_in_threadpool(shared.ask, users[-1], users[:-1], filters)
        except BadInput as e:
            return _error(400, str(e))
        except AssistantError as e:
            return _error(503, str(e), "server_error", "index_unavailable")
        created, cid = int(time.time()), f"chatcmpl-{uuid.uuid4().hex[:24]}"
        extra = {"citations": [asdict(c) for c in answer.citations], "answerable": answer.answerable,
                 "mode": answer.mode, "generated": answer.generated, "fallback": answer.fallback or None,
                 "note": answer.note}
        if body.get("stream"):
            return StreamingResponse(_stream(cid, created, reply_text(answer), extra),
                                     media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
        return {
            "id": cid, "object": "chat.completion", "created": created, "model": MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply_text(answer)},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            **extra,
        }

    from assistant.browse import add_routes

    add_routes(app, settings)
    demo = build_app(settings, make_assistant=lambda _s: shared)
    logins = login_pairs(settings)
    return gr.mount_gradio_app(app, demo, path="/", css=CSS, js=CITE_JS, show_error=False, footer_links=[],
                               auth=logins or None, auth_message="Sign in with the name and password you were given.")


def _stream(cid: str, created: int, text: str, extra: dict[str, Any]) -> Iterator[str]:
    """OpenAI chunk format: role first, then the content line by line, then the stop with the citations."""
    def chunk(delta: dict[str, Any], finish: str | None = None, **more: Any) -> str:
        data = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": MODEL,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **more}
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for line in text.splitlines(keepends=True):
        yield chunk({"content": line})
    yield chunk({}, "stop", **extra)
    yield "data: [DONE]\n\n"
