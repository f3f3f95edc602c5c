"""The OpenAI-compatible API and the web app's API, driven by real clients against the app on localhost."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest

from assistant.settings import Settings
from tests.conftest import Served

QUESTION = "How should we support a carer after a medication error?"


@pytest.fixture(scope="module")
def served(index_settings: Settings, assistant: Any) -> Iterator[Served]:
    s = Served(index_settings, assistant)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def client(served: Served) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{served.url}/v1", api_key="not-needed", max_retries=0)


def test_chat_completion_with_the_official_client(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(model="care-guide-assistant",
                                           messages=[{"role": "user", "content": QUESTION}])
    content = reply.choices[0].message.content or ""
    assert "[1]" in content and "\nSources:\n[1] Good and outstanding care guide (Skills for Care)" in content
    assert reply.choices[0].finish_reason == "stop" and reply.model == "care-guide-assistant"
    extra = reply.model_extra or {}
    assert extra["answerable"] is True and extra["citations"][0]["kloe"] == "S4"
    assert {"n", "doc", "kloe", "block_type", "text", "location"} <= set(extra["citations"][0])


def test_streaming_gives_the_same_text_and_citations_last(client: openai.OpenAI) -> None:
    plain = client.chat.completions.create(model="care-guide-assistant",
                                           messages=[{"role": "user", "content": QUESTION}])
    stream = client.chat.completions.create(model="care-guide-assistant", stream=True,
                                            messages=[{"role": "user", "content": QUESTION}])
    chunks = list(stream)
    assert len(chunks) > 3
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == plain.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["citations"]


def test_earlier_user_messages_are_the_history(client: openai.OpenAI) -> None:
    reply = client.chat.completions.create(model="care-guide-assistant", messages=[
        {"role": "system", "content": "You are helpful."},
        {"role": "user", "content": "What does good end of life care look like?"},
        {"role": "assistant", "content": "..."},
        {"role": "user", "content": [{"type": "text", "text": "Any examples from home care?"}]},
    ])
    assert (reply.model_extra or {})["citations"][0]["kloe"] == "R3"


def test_models_and_health(client: openai.OpenAI, served: Served) -> None:
    assert [m.id for m in client.models.list()] == ["care-guide-assistant"]
    health = httpx.get(f"{served.url}/healthz").json()
    assert health["status"] == "ok" and health["passages"] > 500


def test_errors_use_openais_shape(client: openai.OpenAI, served: Served) -> None:
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "hi"}])
    assert "care-guide-assistant" in str(err.value)
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model="care-guide-assistant", messages=[{"role": "user", "content": "x" * 9000}])
    assert "characters" in str(err.value)
    raw = httpx.post(f"{served.url}/v1/chat/completions", content=b"not json")
    assert raw.status_code == 400 and raw.json()["error"]["message"]


def test_bearer_token_when_configured(index_settings: Settings, assistant: Any) -> None:
    locked = Served(index_settings.model_copy(update={"api_key": "s3cret"}), assistant)
    try:
        bad = openai.OpenAI(base_url=f"{locked.url}/v1", api_key="wrong", max_retries=0)
        with pytest.raises(openai.AuthenticationError):
            bad.models.list()
        good = openai.OpenAI(base_url=f"{locked.url}/v1", api_key="s3cret", max_retries=0)
        reply = good.chat.completions.create(model="care-guide-assistant",
                                             messages=[{"role": "user", "content": QUESTION}])
        assert "[1]" in (reply.choices[0].message.content or "")
    finally:
        locked.stop()


def test_web_app_api_with_gradio_client(served: Served) -> None:
    from gradio_client import Client

    web = Client(f"{served.url}/", verbose=False)
    chat, box = web.predict(QUESTION, "A", "", "", api_name="/ask")
    # The answer carries its own sources, folded under it, with ids of this turn (0).
    assert box == "" and 'id="source-0-1"' in str(chat[-1]["content"])
    assert "[1]" in str(chat[-1]["content"])
