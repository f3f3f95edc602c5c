"""Optional login for the web chat (ASSISTANT_AUTH / ASSISTANT_AUTH_FILE), checked over HTTP against the
production app; the browser signs in on both replicas in test_replicas.py."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.errors import AssistantError
from assistant.logins import login_pairs
from assistant.settings import Settings
from tests.conftest import ROOT, Served, venv_env


def test_logins_from_the_setting_and_the_file(tmp_path: Path) -> None:
    listed = tmp_path / "logins.txt"
    listed.write_text("# night staff\ncarol: night-shift:7\n\n  dan:pw4\n", encoding="utf-8")
    settings = Settings(auth=" ann:pw1 , bob:pw:2,", auth_file=listed)
    assert login_pairs(settings) == [("ann", "pw1"), ("bob", "pw:2"), ("carol", "night-shift:7"), ("dan", "pw4")]
    assert login_pairs(Settings()) == []
    assert "pw1" not in repr(settings), "the setting's value stays out of logs and tracebacks"


@pytest.mark.parametrize("auth", ["annsecretpw", "ann:", ":secretpw"])
def test_a_malformed_login_is_named_without_its_password(auth: str) -> None:
    with pytest.raises(AssistantError) as err:
        login_pairs(Settings(auth=auth))
    assert str(err.value) == ("The login in ASSISTANT_AUTH entry 1 is not 'user:password'. "
                              "Fix it, or unset the login.")


def test_serve_stops_at_once_on_a_bad_login_setting(tmp_path: Path) -> None:
    env = venv_env(Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data"),
                   ASSISTANT_AUTH_FILE=str(tmp_path / "missing.txt"))
    proc = subprocess.run([sys.executable, "-m", "assistant", "serve", "--port", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (f"The login file {tmp_path / 'missing.txt'} cannot be read (FileNotFoundError). "
                                   "Check ASSISTANT_AUTH_FILE.")


@pytest.fixture(scope="module")
def guarded(index_settings: Settings, assistant) -> Iterator[str]:
    served = Served(index_settings.model_copy(update={"auth": "ann:pw1", "api_key": "k-123"}), assistant)
    try:
        yield served.url
    finally:
        served.stop()


def test_the_web_chat_refuses_requests_without_a_login(guarded: str) -> None:
    assert httpx.get(f"{guarded}/config", timeout=10).status_code == 401
    assert httpx.get(f"{guarded}/gradio_api/info", timeout=10).status_code == 401
    join = httpx.post(f"{guarded}/gradio_api/queue/join", timeout=10, json={
        "data": ["What is whistleblowing?", [], [], "", "", ""], "fn_index": 0, "session_hash": "x1"})
    assert join.status_code == 401
    assert httpx.post(f"{guarded}/login", data={"username": "ann", "password": "wrong"}, timeout=10).status_code == 400


def test_signing_in_opens_the_chat(guarded: str) -> None:
    from gradio_client import Client

    with httpx.Client(base_url=guarded, timeout=30) as web:
        assert web.post("/login", data={"username": "ann", "password": "pw1"}).json() == {"success": True}
        assert web.get("/config").status_code == 200
    client = Client(f"{guarded}/", auth=("ann", "pw1"), verbose=False)
    chat, _box = client.predict("What is whistleblowing?", "A", "", "", api_name="/ask")
    assert "[1]" in str(chat[-1]["content"]) and "source-0-1" in str(chat[-1]["content"])


def test_the_api_keeps_its_own_key_beside_the_login(guarded: str) -> None:
    body = {"model": "care-guide-assistant", "messages": [{"role": "user", "content": "What is whistleblowing?"}]}
    assert httpx.post(f"{guarded}/v1/chat/completions", json=body, timeout=60).status_code == 401
    reply = httpx.post(f"{guarded}/v1/chat/completions", json=body, timeout=60,
                       headers={"Authorization": "Bearer k-123"})
    assert reply.status_code == 200 and "[1]" in reply.json()["choices"][0]["message"]["content"]
