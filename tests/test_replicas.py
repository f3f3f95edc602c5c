"""The multi-machine recipe on localhost, every part real: ``chroma run``, a PostgreSQL cluster, the index
built into Chroma by ``python -m assistant index``, and two ``python -m assistant serve`` replicas with
their own data folders (two machines), a login, and the same ASSISTANT_CHROMA_URL and ASSISTANT_FEEDBACK_URL.

The tests run in file order against one deployment: answers from both, feedback through each (in the
browser) into the one database, feedback while the database is down, a rebuild that both replicas pick
up without a restart, and a rebuild killed with SIGKILL. The replicas log at DEBUG; the last test reads
those logs for the questions' text.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, small_corpus, venv_env
from tests.servers import ChromaServer, Postgres

pytestmark = pytest.mark.browser

USERS = {"ann": "first-pass-1", "bob": "second:pass"}  # a colon inside a password is allowed
QUESTION = "What should employers do to support care workers?"
# Words that appear in no document, so they can come only from a question: none may reach a log.
SECRET = "Quillfeather Zanzibar"


@dataclass
class Deployment:
    chroma: ChromaServer
    postgres: Postgres
    database: str
    env: dict[str, str]
    replicas: list[tuple[subprocess.Popen[bytes], str, Path]] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [url for _, url, _ in self.replicas]

    def index(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "assistant", "index", "--quiet", *args], cwd=ROOT,
                              capture_output=True, text=True, env={**self.env, **extra}, timeout=600)

    def collections(self) -> dict[str, Any]:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        client = chromadb.HttpClient(host="127.0.0.1", port=self.chroma.port,
                                     settings=ChromaSettings(anonymized_telemetry=False))
        return {c.name: c for c in client.list_collections()}

    def feedback_rows(self) -> list[dict]:
        return self.postgres.rows(self.database)


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.time() + 240
    while True:
        assert proc.poll() is None, f"a replica stopped: {log.read_text()[-2000:]}"
        assert time.time() < deadline, "a replica did not start within 240 s"
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)


@pytest.fixture(scope="module")
def deployment(postgres: Postgres, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    base = tmp_path_factory.mktemp("deployment")
    chroma = ChromaServer(base / "chroma-data")
    chroma.start()
    database = f"replicas_{uuid.uuid4().hex[:8]}"
    env = venv_env(None, ASSISTANT_CORPUS_DIR=str(small_corpus(base / "corpus")),
                   ASSISTANT_INDEX_DIR=str(base / "no-local-index"), ASSISTANT_CHROMA_URL=chroma.url,
                   ASSISTANT_FEEDBACK_URL=postgres.create_database(database))
    dep = Deployment(chroma, postgres, database, env)
    try:
        built = dep.index()
        assert built.returncode == 0, built.stderr
        for n in (1, 2):
            port, data, log = free_port(), base / f"machine{n}", base / f"replica{n}.log"
            replica_env = {**env, "ASSISTANT_DATA_DIR": str(data), "ASSISTANT_PORT": str(port),
                           "ASSISTANT_AUTH": ",".join(f"{u}:{p}" for u, p in USERS.items()),
                           "ASSISTANT_FEEDBACK_RETRY_SECONDS": "0.5", "ASSISTANT_LOG_LEVEL": "debug"}
            with open(log, "wb") as out:
                proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve"], cwd=ROOT, env=replica_env,
                                        stdout=out, stderr=subprocess.STDOUT)
            dep.replicas.append((proc, f"http://127.0.0.1:{port}", log))
        for proc, url, log in dep.replicas:
            _wait_healthy(url, proc, log)
        yield dep
    finally:
        for proc, _, _ in dep.replicas:
            proc.terminate()
        for proc, _, _ in dep.replicas:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        chroma.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _ask_api(url: str, question: str = QUESTION) -> dict:
    reply = httpx.post(f"{url}/v1/chat/completions", timeout=120, json={
        "model": "care-guide-assistant", "messages": [{"role": "user", "content": question}]})
    assert reply.status_code == 200, reply.text
    return reply.json()


def _feedback_in_browser(browser: Any, url: str, user: str, comment: str, expect: str) -> None:
    """Sign in, ask, and give a thumbs up with a comment; waits for the page's own confirmation."""
    page = browser.new_page()
    try:
        page.goto(url + "/")
        page.get_by_label("username").fill(user)
        page.get_by_label("password").fill(USERS[user])
        page.get_by_role("button", name="Login").click()
        page.locator("#question textarea").fill(f"{QUESTION} (for {SECRET})")
        page.keyboard.press("Enter")
        page.locator("#sources-0").wait_for(state="attached", timeout=120_000)
        page.locator("#chat button[aria-label='Like']").last.click()
        page.get_by_text(expect).wait_for(timeout=30_000)
        page.locator("#feedback-comment textarea").fill(comment)
        page.locator("#feedback-send").click()
        page.get_by_text("your comment was saved").wait_for(timeout=30_000)
    finally:
        page.close()


def test_both_replicas_answer_from_the_one_index(deployment: Deployment) -> None:
    builds = {httpx.get(f"{url}/healthz", timeout=10).json()["index"] for url in deployment.urls}
    assert len(builds) == 1, "both replicas serve the same build"
    replies = [_ask_api(url) for url in deployment.urls]
    for reply in replies:
        assert reply["answerable"] and "[1]" in reply["choices"][0]["message"]["content"]
    assert replies[0]["citations"] == replies[1]["citations"]


def test_web_chat_asks_for_a_login_on_every_replica(deployment: Deployment) -> None:
    for url in deployment.urls:
        assert httpx.get(f"{url}/config", timeout=10).status_code == 401
        assert httpx.post(f"{url}/login", data={"username": "ann", "password": "nope"}, timeout=10).status_code == 400
        with httpx.Client(base_url=url, timeout=10) as web:
            assert web.post("/login", data={"username": "bob", "password": USERS["bob"]}).status_code == 200
            config = web.get("/config")
        assert config.status_code == 200
        assert "cited only by the server that stored it" in config.text, "uploads are per replica: the page says so"


def test_feedback_through_each_replica_lands_in_the_one_database(deployment: Deployment, browser: Any) -> None:
    for n, url in enumerate(deployment.urls, 1):
        _feedback_in_browser(browser, url, "ann" if n == 1 else "bob", f"via replica {n}",
                             "your feedback was saved")
    rows = deployment.feedback_rows()
    assert [r["comment"] for r in rows] == ["via replica 1", "via replica 2"]
    assert all(r["question"] is None for r in rows), "no question text unless feedback logging is on"


def test_feedback_while_the_database_is_down_arrives_once_it_is_back(deployment: Deployment, browser: Any) -> None:
    before = len(deployment.feedback_rows())
    deployment.postgres.stop()
    try:
        _feedback_in_browser(browser, deployment.urls[1], "bob", "during the outage",
                             "your feedback was saved on this machine; it will be sent when the database is back")
        outbox = deployment.replicas[1][2].parent / "machine2" / "feedback-outbox.sqlite3"
        assert outbox.exists()
    finally:
        deployment.postgres.start()
    deadline = time.time() + 60
    while len(deployment.feedback_rows()) == before:
        assert time.time() < deadline, "the kept feedback was not sent after the database came back"
        time.sleep(0.5)
    time.sleep(2)  # several more background flushes: none may send it again
    rows = deployment.feedback_rows()
    assert [r["comment"] for r in rows].count("during the outage") == 1 and len(rows) == before + 1


def test_a_rebuild_switches_both_replicas_without_restart(deployment: Deployment) -> None:
    old = httpx.get(f"{deployment.urls[0]}/healthz", timeout=10).json()["index"]
    rebuilt = deployment.index("--force")
    assert rebuilt.returncode == 0, rebuilt.stderr
    for url in deployment.urls:
        health = httpx.get(f"{url}/healthz", timeout=10).json()
        assert health["index"] != old and health["passages"] > 5
        assert _ask_api(url)["answerable"]
    assert {f"care_guide__{old}", "care_guide__current"} <= set(deployment.collections()), "the previous build stays"


def test_sigkill_of_a_rebuild_keeps_serving_and_the_next_build_cleans_up(deployment: Deployment,
                                                                         tmp_path: Path) -> None:
    serving = httpx.get(f"{deployment.urls[0]}/healthz", timeout=10).json()["index"]
    known = set(deployment.collections())
    # A corpus with one long extra document and one passage per batch: the build is killed while it embeds.
    corpus = small_corpus(tmp_path / "long-corpus", '\n[[document]]\nfile = "long.txt"\ntitle = "Long policy"\n')
    (corpus / "long.txt").write_text("\n\n".join(f"Rule {i}\n\n" + " ".join(
        f"Staff on shift {i} record check {j} of room {i} in the log book." for j in range(6)) for i in range(800)),
        encoding="utf-8")
    from assistant.ingest.corpus import load_corpus

    total = len(load_corpus(corpus).chunks)
    assert total > 300
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "index", "--force", "--quiet"], cwd=ROOT,
                            env={**deployment.env, "ASSISTANT_EMBED_BATCH_SIZE": "1",
                                 "ASSISTANT_CORPUS_DIR": str(corpus)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 180
        while True:
            assert proc.poll() is None and time.time() < deadline, "the build never got part-way"
            half = {name: c for name, c in deployment.collections().items() if name not in known}
            if half and next(iter(half.values())).count() > 0:
                break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    (half_name,) = half
    assert half_name.startswith("care_guide__") and half_name in deployment.collections(), "half a build is left"
    assert 0 < deployment.collections()[half_name].count() < total, "killed part-way through embedding"
    for url in deployment.urls:
        assert httpx.get(f"{url}/healthz", timeout=10).json()["index"] == serving, "the old build still serves"
        assert _ask_api(url)["answerable"]

    after = deployment.index("--force")
    assert after.returncode == 0, after.stderr
    names = set(deployment.collections())
    assert half_name not in names, "the next build removed the abandoned collection"
    assert names == {"care_guide__current", f"care_guide__{serving}",
                     f"care_guide__{httpx.get(f'{deployment.urls[1]}/healthz', timeout=10).json()['index']}"}


def test_replica_logs_hold_no_question_text(deployment: Deployment) -> None:
    _ask_api(deployment.urls[0], f"How do we keep {SECRET} safe at night?")
    for _, _, log in deployment.replicas:
        text = log.read_text(encoding="utf-8", errors="replace")
        assert "DEBUG" in text, "the replicas really log at DEBUG"
        assert "Quillfeather" not in text and "Zanzibar" not in text
        assert USERS["ann"] not in text and USERS["bob"] not in text and Postgres.PASSWORD not in text
