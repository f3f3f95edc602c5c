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
import logging
import os
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from assistant.errors import AssistantError, BadInput
from assistant.logins import login_pairs
from assistant.settings import ROOT, Settings
from assistant.types import Answer
from assistant.web.files import clear_leftovers, guard_gradio_files

log = logging.getLogger(__name__)

MODEL = "care-guide-assistant"


def _error(status: int, message: str, kind: str = "invalid_request_error", code: str | None = None) -> JSONResponse:
    return JSONResponse(status_code=status,
                        content={"error": {"message": message, "type": kind, "param": None, "code": code}})


# As strict as Gradio's page allows: its front end runs inline scripts and evaluates the app's own JS
# (CITE_JS), and styles components inline. Nothing is loaded from another site (web fonts included: the
# page uses the system's fonts), and no other site may frame the page.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self' data: blob:; "
       "worker-src 'self' blob:; frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer"}


class TooLarge(Exception):
    pass


class Guard:
    """Every response gets the security headers, and every request body has a limit, checked before and while
    it is read: an upload may be as large as a document plus a little (one document per request), /v1 as
    ``ASSISTANT_MAX_REQUEST_KB``, and anything else (Gradio's events carry a question, a table or a
    checklist) 1 MB. Uploads are refused outright when no administrator can add a document through the page
    (no login or no ``ASSISTANT_ADMINS``): they serve nothing else, and would let anyone fill the disk.

    A plain ASGI middleware, not Starlette's BaseHTTPMiddleware, which would wrap the refusal in an
    exception group and answer 500."""

    EVENT_BYTES = 1024 * 1024

    def __init__(self, app: Any, settings: Settings) -> None:
        self.app = app
        self.upload_bytes = settings.max_upload_mb * 1024 * 1024 + 64 * 1024
        self.api_bytes = settings.max_request_kb * 1024
        self.uploads_open = bool(settings.admin_names) and bool(settings.auth or settings.auth_file)

    def limit(self, path: str) -> int | None:
        if path.endswith("/gradio_api/upload"):
            return self.upload_bytes if self.uploads_open else None
        return self.api_bytes if path.startswith("/v1/") else self.EVENT_BYTES

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def with_headers(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()
                         if k.lower().encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        limit = self.limit(scope["path"])
        if limit is None:
            refusal = _error(403, "Uploads are turned off: only an administrator adds documents.", code="forbidden")
            return await refusal(scope, receive, with_headers)
        too_large = _error(413, f"The request is larger than {limit // 1024:,} KB.", code="request_too_large")
        seen = 0

        async def counted() -> Any:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge
            return message

        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            return await too_large(scope, receive, with_headers)
        try:
            await self.app(scope, counted, with_headers)
        except TooLarge:
            if not started:
                await too_large(scope, receive, with_headers)


class BadMessage(ValueError):
    """A /v1 message that is not text: answered with 400 and this message."""


def _text(content: Any) -> str:
    """A message's text, whether content is a string or a list of parts ({"type": "text", "text": ...}).

    Raises BadMessage for anything else in a text part (a number, null) and for text that is not valid
    Unicode (a lone surrogate such as "\\ud800")."""
    if content is None:
        return ""
    if isinstance(content, str):
        parts = [content]
    elif isinstance(content, list):
        parts = []
        for p in content:
            if isinstance(p, dict) and p.get("type") == "text":
                if not isinstance(p.get("text"), str):
                    raise BadMessage("Each text part of a message needs 'text' as a string.")
                parts.append(p["text"])
    else:
        raise BadMessage("A message's 'content' must be a string or a list of text parts.")
    text = " ".join(parts)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadMessage("A message holds text that is not valid Unicode (a lone surrogate): send UTF-8 text.") \
            from None
    return text


async def _body(request: Request) -> bytes | None:
    """The request body, or None when ``Guard`` found it longer than /v1 allows (its one limit)."""
    try:
        return await request.body()
    except TooLarge:
        return None


def reply_text(answer: Answer) -> str:
    """The answer, the note on who wrote it (with a model configured), then its sources in plain text, for
    clients that show only the content."""
    text = answer.text + (f"\n\n({answer.note})" if answer.note else "")
    if not answer.citations:
        return text
    return text + "\n\nSources:\n" + "\n".join(c.line() for c in answer.citations)


def build_server(settings: Settings, assistant: Any = None) -> FastAPI:
    """The FastAPI app with the API routes and the Gradio chat mounted at ``/``."""
    import gradio as gr

    from assistant.chat import Assistant
    from assistant.web.app import build_app
    from assistant.web.assets import CITE_JS, CSS, HEAD, theme

    shared = assistant or Assistant(settings)
    app = FastAPI(title="Care Guide Assistant", docs_url=None, redoc_url=None, openapi_url=None)
    start_clean(settings)
    guard_gradio_files()

    app.add_middleware(Guard, settings=settings)

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
        asked = await _read_request(request, settings)
        if isinstance(asked, JSONResponse):
            return asked
        users, filters, stream = asked
        try:
            answer = await run_in_threadpool(shared.ask, users[-1], users[:-1], filters)
        except BadInput as e:
            return _error(400, str(e))
        except AssistantError as e:
            return _error(503, str(e), "server_error", "index_unavailable")
        return _completion(answer, stream)

    from assistant.web.guide_pages import add_routes

    add_routes(app, settings)
    demo = build_app(settings, make_assistant=lambda _s: shared)
    logins = login_pairs(settings)
    # Gradio's own limit on /gradio_api/upload: a file larger than an upload may be is refused as it arrives.
    # Its file route also refuses the app's data, index and corpus folders, whatever else allows them.
    private = [str(p.resolve()) for p in (settings.data_dir, settings.index_dir, settings.corpus_dir, ROOT)]
    return gr.mount_gradio_app(app, demo, path="/", css=CSS, js=CITE_JS, head=HEAD, theme=theme(),
                               show_error=False,
                               footer_links=[],
                               auth=logins or None, auth_message="Sign in with the name and password you were given.",
                               max_file_size=settings.max_upload_mb * 1024 * 1024, blocked_paths=private,
                               allowed_paths=[])


def start_clean(settings: Settings) -> None:
    """At start: exports that earlier runs left behind are deleted, and the organisation's documents are
    made to agree with their list (a crash may have left passages half-stored)."""
    from assistant.index.uploads import FREE_MARGIN, Uploads, free_bytes

    clear_leftovers(settings.export_minutes)
    try:
        cleaned = Uploads(settings).reconcile() if free_bytes(settings.data_dir) > FREE_MARGIN else 0
    except Exception as e:  # a broken uploads store must not stop the guide from being served
        log.warning("Could not check the organisation's documents at start (%s).", type(e).__name__)
    else:
        if cleaned:
            log.warning("Removed %d half-stored document(s) left by an interrupted upload.", cleaned)


V1Request = tuple[list[str], dict[str, Any] | None, bool]  # user messages, filters, stream


async def _read_request(request: Request, settings: Settings) -> V1Request | JSONResponse:
    """(user messages, filters, stream) of a /v1 request, or the 4xx response that refuses it: the body's size
    is checked before it is read, the history's size and every message's text before anything is answered."""
    raw = await _body(request)
    if raw is None:
        return _error(413, f"The request is larger than {settings.max_request_kb} KB: send a shorter "
                      "conversation.", code="request_too_large")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than Python's stack
        return _error(400, "The request body must be JSON.")
    if not isinstance(body, dict):
        return _error(400, "The request body must be a JSON object.")
    if body.get("model", MODEL) != MODEL:
        return _error(404, f"The model {body.get('model')!r} does not exist; use {MODEL!r}.",
                      code="model_not_found")
    messages = body.get("messages")
    if not isinstance(messages, list):
        return _error(400, "'messages' must be a list of {role, content} objects.")
    try:
        texts = [(m.get("role"), _text(m.get("content"))) for m in messages if isinstance(m, dict)]
    except BadMessage as e:
        return _error(400, str(e))
    # The whole history counts: it is read for follow-ups, so its size is the question's size too.
    if sum(len(t) for _, t in texts) > settings.max_history_chars:
        return _error(400, f"The conversation is longer than {settings.max_history_chars:,} characters: start "
                      "a new one with the question.", code="context_length_exceeded")
    users = [t for role, t in texts if role == "user" and t.strip()]
    if not users:
        return _error(400, "Send at least one user message with the question.")
    filters = body.get("filters") if isinstance(body.get("filters"), dict) else None
    return users, filters, bool(body.get("stream"))


def _completion(answer: Answer, stream: bool) -> Any:
    """OpenAI's chat.completion (or its stream of chunks) for an answer, with the structured citations."""
    created, cid = int(time.time()), f"chatcmpl-{uuid.uuid4().hex[:24]}"
    extra = {k: v for k, v in answer.record().items() if k != "answer"}  # the text is the message
    if stream:
        return StreamingResponse(_stream(cid, created, reply_text(answer), extra),
                                 media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
    return {
        "id": cid, "object": "chat.completion", "created": created, "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply_text(answer)},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **extra,
    }


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


def _build_in_child(settings: Settings) -> None:
    """Build the index in a process of its own (its progress bar shows here): building loads torch to
    export the model, and a server that had loaded it would hold hundreds of MB it never uses again."""
    import subprocess
    import sys

    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(settings.corpus_dir),
           "ASSISTANT_INDEX_DIR": str(settings.index_dir), "ASSISTANT_EMBEDDING_MODEL": settings.embedding_model,
           "ASSISTANT_EMBED_BATCH_SIZE": str(settings.embed_batch_size)}
    done = subprocess.run([sys.executable, "-m", "assistant", "index"], env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise AssistantError("The index could not be built (the reason is above). Fix it, then start again; "
                             "or run python -m assistant index on its own to see the problem.")


def launch(settings: Settings, *, build_first: bool = True) -> None:
    """Build the index if it is missing or stale (with a progress bar), then serve the web chat and the
    OpenAI-compatible API from one process. Raises AssistantError when the port cannot be used."""
    import socket
    import sys

    import uvicorn

    from assistant.memory import limit_arenas

    limit_arenas()  # before uvicorn's worker threads exist
    logins = login_pairs(settings)  # checked before anything slow, so a typo fails fast
    if build_first and not settings.chroma_url:
        # With a Chroma server, replicas must not race to build: run `python -m assistant index` once.
        from assistant.index.build import is_current

        print("Checking the index ...", file=sys.stderr)
        if is_current(settings):
            print("The index is up to date.", file=sys.stderr)
        else:
            _build_in_child(settings)
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not logins:
        print(f"Warning: listening on {settings.host} lets other machines reach the app without a login: set "
              "ASSISTANT_AUTH or ASSISTANT_AUTH_FILE, or put it behind a proxy that asks for one.", file=sys.stderr)
    with socket.socket() as probe:
        # as uvicorn does: a port left in TIME_WAIT by an app just stopped is free to use again
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((settings.host, settings.port))
            port = int(probe.getsockname()[1])
        except OSError as e:
            raise AssistantError(f"The web app cannot listen on {settings.host}:{settings.port} ({e.strerror}). "
                                 "Another program may be using that port: set ASSISTANT_PORT or use --port.") from None
    # The model and the index load while Gradio is imported and the page is built: two cores, half the wait.
    from assistant.chat import Assistant

    shared = Assistant(settings)
    warming = threading.Thread(target=shared.warm, name="warm-up", daemon=True)
    warming.start()
    app = build_server(settings, shared)
    print(f"Open http://{settings.host}:{port} in your browser; the OpenAI-compatible API is at "
          f"http://{settings.host}:{port}/v1 (Ctrl-C to stop).", file=sys.stderr)
    level = settings.log_level.lower()
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Access logs carry request paths only: questions travel in request bodies, which are never logged.
    uvicorn.run(app, host=settings.host, port=port, log_level=level)
