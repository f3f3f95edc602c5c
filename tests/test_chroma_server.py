"""Client/server mode against a real ``chroma run`` on localhost: build, answer, server stopped, back."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import StoreUnreachable
from assistant.settings import Settings
from tests.conftest import free_port, small_corpus
from tests.servers import CHROMA, ChromaServer


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    if not CHROMA.exists() and not shutil.which("chroma"):
        pytest.fail("the chroma CLI should be installed with chromadb")
    srv = ChromaServer(tmp_path / "chroma-data")
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


def test_build_and_answer_through_a_chroma_server(server: ChromaServer, tmp_path: Path) -> None:
    from assistant.chat import Assistant
    from assistant.index.build import build_index

    settings = Settings(corpus_dir=small_corpus(tmp_path / "corpus"), index_dir=tmp_path / "unused",
                        chroma_url=server.url)
    first = build_index(settings, progress=False)
    # Nothing of the index is kept locally: only the model's ONNX export, which each machine makes for itself.
    assert first.built and first.build is None
    assert [p.name for p in (tmp_path / "unused").iterdir()] == ["encoders"]
    assert not build_index(settings, progress=False).built, "the manifest lives in the server too"

    assistant = Assistant(settings)
    answer = assistant.ask("What should employers do to support care workers?")
    assert answer.answerable and answer.citations[0].doc in ("001_de9f97d8699338bf.txt", "002_a2c65de6771f58fb.txt")

    # A rebuild publishes a new collection; the running reader switches over, the old one is kept.
    second = build_index(settings, force=True, progress=False)
    assert assistant.reader.refresh() and assistant.reader.build == second.build_id

    server.stop()
    with pytest.raises(StoreUnreachable) as err:
        assistant.ask("What should employers do to support care workers?")
    assert server.url in str(err.value) and "chroma run" in str(err.value)

    server.start()
    again = assistant.ask("What should employers do to support care workers?")
    assert again.answerable and again.citations, "answers again once the server is back, without a restart"


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    from assistant.index.build import build_index

    url = f"http://127.0.0.1:{free_port()}"
    settings = Settings(corpus_dir=small_corpus(tmp_path / "corpus"), chroma_url=url)
    with pytest.raises(StoreUnreachable) as err:
        build_index(settings, progress=False)
    assert url in str(err.value)
