"""Nothing leaves the machine in the default mode: every connection and name lookup that `ask` and
`serve` make (web chat and API, with a real question) is recorded and must be to this machine. Both run
with logging at DEBUG, and their logs must not hold the question's text (the replicas' logs are checked
in test_replicas.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from assistant.settings import Settings
from tests.conftest import ROOT, free_port, venv_env

SPY = '''
import json, os, socket
_log = os.environ["NETWORK_LOG"]

def _record(kind, target):
    with open(_log, "a") as f:
        f.write(json.dumps([kind, repr(target)]) + "\\n")

_connect, _getaddrinfo = socket.socket.connect, socket.getaddrinfo

def connect(self, address):
    _record("connect", address)
    return _connect(self, address)

def getaddrinfo(host, *args, **kwargs):
    _record("lookup", host)
    return _getaddrinfo(host, *args, **kwargs)

socket.socket.connect, socket.getaddrinfo = connect, getaddrinfo
'''
LOCAL = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "None")
SECRET = "Quillfeather"  # in no document, so in a log it could only come from a question


def _spied_env(settings: Settings, tmp_path: Path) -> dict[str, str]:
    spy = tmp_path / "spy"
    spy.mkdir(exist_ok=True)
    (spy / "sitecustomize.py").write_text(SPY, encoding="utf-8")
    env = venv_env(settings, NETWORK_LOG=str(tmp_path / "network.jsonl"), ASSISTANT_LOG_LEVEL="debug")
    env["PYTHONPATH"] = os.pathsep.join([str(spy), env.get("PYTHONPATH", "")]).strip(os.pathsep)
    return env


def _outside(tmp_path: Path) -> list[list[str]]:
    log = tmp_path / "network.jsonl"
    events = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return [e for e in events if not any(local in e[1] for local in LOCAL) and not e[1].startswith("'/")]


def test_the_spy_sees_outside_lookups(index_settings: Settings, tmp_path: Path) -> None:
    code = "import socket\ntry:\n    socket.getaddrinfo('telemetry.example.invalid', 443)\nexcept OSError:\n    pass\n"
    subprocess.run([sys.executable, "-c", code], env=_spied_env(index_settings, tmp_path), timeout=60, check=True)
    assert _outside(tmp_path) == [["lookup", "'telemetry.example.invalid'"]]


def test_ask_makes_no_outside_connection(index_settings: Settings, tmp_path: Path) -> None:
    env = _spied_env(index_settings, tmp_path)
    # A key and a server address lying in the environment do not turn a remote model on: ASSISTANT_LLM does.
    env.update(OPENAI_API_KEY="sk-test", ASSISTANT_LLM_BASE_URL="https://api.openai.example/v1",
               ASSISTANT_LLM_MODEL="gpt-4o-mini")
    question = f"How do we support staff after a medication error, for example with Mrs {SECRET}?"
    proc = subprocess.run([sys.executable, "-m", "assistant", "ask", question], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0 and "[1]" in proc.stdout, proc.stderr
    assert _outside(tmp_path) == []
    assert " DEBUG " in proc.stderr and SECRET not in proc.stderr, "logs hold no question text"


def test_the_local_model_makes_no_outside_connection(index_settings: Settings, tmp_path: Path) -> None:
    env = _spied_env(index_settings, tmp_path)
    env.update(ASSISTANT_LLM="gguf", ASSISTANT_TOP_K="3", ASSISTANT_LLM_MAX_TOKENS="24",
               ASSISTANT_LLM_TIMEOUT="300", ASSISTANT_LLM_MAX_SECONDS="600")
    proc = subprocess.run([sys.executable, "-m", "assistant", "ask", "How do we support staff after an error?"],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0 and "[1]" in proc.stdout, proc.stderr
    assert "SmolLM2" in proc.stdout or "language model" in proc.stdout, "the note says who wrote it"
    assert _outside(tmp_path) == []


def test_serve_makes_no_outside_connection(index_settings: Settings, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port)], cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, env=_spied_env(index_settings, tmp_path))
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 180
        while True:
            assert time.time() < deadline and proc.poll() is None, "the app did not start"
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        page = httpx.get(f"{url}/", timeout=30)
        assert page.status_code == 200
        question = f"How should staff raise a whistleblowing concern about the care of Mrs {SECRET}?"
        reply = httpx.post(f"{url}/v1/chat/completions", timeout=60, json={
            "model": "care-guide-assistant", "messages": [{"role": "user", "content": question}]})
        assert reply.status_code == 200 and "[1]" in reply.json()["choices"][0]["message"]["content"]
        from gradio_client import Client  # the web chat's own path: Gradio's queue

        chat, _box = Client(f"{url}/", verbose=False).predict(
            f"What should staff know about whistleblowing if Mrs {SECRET}'s care worries them?", "A", "", "",
            api_name="/ask")
        assert "[1]" in str(chat[-1]["content"])
        time.sleep(2)  # give any background telemetry thread the chance to show itself
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert _outside(tmp_path) == []
    logged = log.read_text(encoding="utf-8", errors="replace")
    assert " DEBUG " in logged and "POST /v1/chat/completions" in logged, "really logging at DEBUG, with access logs"
    assert SECRET not in logged, "logs hold no question text"
