"""A small model server for tests: the local SmolLM2 behind the OpenAI chat-completions API and
Ollama's /api/chat, on localhost, so that ChatOpenAI and ChatOllama are tested over real HTTP with a
real model. The model name "broken" answers with a server error, for the fallback tests.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from tests.conftest import free_port

_KINDS = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


def _messages(raw: list[dict[str, Any]]) -> list[BaseMessage]:
    return [_KINDS[m["role"]](m["content"] if isinstance(m["content"], str) else
                              " ".join(p.get("text", "") for p in m["content"])) for m in raw]


def build(chat: Any) -> tuple[FastAPI, list[dict[str, Any]]]:
    """The app and the list of request bodies it received (what the client actually sent)."""
    app = FastAPI()
    received: list[dict[str, Any]] = []

    def pieces(body: dict[str, Any], limit: int | None) -> Iterator[str]:
        kwargs = {"max_new_tokens": int(limit)} if limit else {}
        for chunk in chat.stream(_messages(body["messages"]), **kwargs):
            yield chunk.text

    @app.post("/v1/chat/completions")
    async def completions(request: Request) -> Any:
        body = await request.json()
        received.append(body)
        if body.get("model") == "broken":
            crashed = {"error": {"message": "model crashed", "type": "server_error"}}
            return JSONResponse(status_code=500, content=crashed)
        cid, created, model = f"chatcmpl-{uuid.uuid4().hex[:12]}", int(time.time()), body["model"]
        limit = body.get("max_completion_tokens") or body.get("max_tokens")

        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            data = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            return f"data: {json.dumps(data)}\n\n"

        if body.get("stream"):
            def events() -> Iterator[str]:
                yield chunk({"role": "assistant", "content": ""})
                for text in pieces(body, limit):
                    yield chunk({"content": text})
                yield chunk({}, "stop")
                yield "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream")
        text = "".join(pieces(body, limit))
        return {"id": cid, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}}

    @app.post("/api/chat")
    async def ollama_chat(request: Request) -> Any:
        body = await request.json()
        received.append(body)
        limit = (body.get("options") or {}).get("num_predict")

        def line(content: str, done: bool) -> str:
            data: dict[str, Any] = {"model": body["model"], "created_at": "2026-01-01T00:00:00Z",
                                    "message": {"role": "assistant", "content": content}, "done": done}
            if done:
                data.update(done_reason="stop", total_duration=0, load_duration=0, prompt_eval_count=0,
                            prompt_eval_duration=0, eval_count=0, eval_duration=0)
            return json.dumps(data) + "\n"

        def lines() -> Iterator[str]:
            for text in pieces(body, limit):
                yield line(text, False)
            yield line("", True)

        if body.get("stream", True):
            return StreamingResponse(lines(), media_type="application/x-ndjson")
        return JSONResponse(json.loads(line("".join(pieces(body, limit)), True)))

    return app, received


class ModelServer:
    """The app above run by uvicorn in a thread on a free port."""

    def __init__(self, chat: Any) -> None:
        import uvicorn

        self.app, self.received = build(chat)
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            assert time.time() < deadline, "the model server did not start"
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
