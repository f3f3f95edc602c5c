"""The index on disk: builds, the manifest's no-op rebuild, atomic swaps under Ctrl-C and SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.errors import IndexMissing
from assistant.index.build import build_index, current_build
from assistant.index.reader import IndexReader
from assistant.index.records import from_record, to_metadata
from assistant.index.store import LocalStore, write_atomic
from assistant.settings import Settings
from tests.conftest import ROOT, small_corpus, venv_env
from tests.test_loaders import encrypt_pdf, make_pdf


@pytest.fixture()
def small(tmp_path: Path) -> Settings:
    corpus = small_corpus(tmp_path / "corpus")
    # Tiny batches, so that a build can be interrupted part-way through embedding.
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", data_dir=tmp_path / "data", embed_batch_size=1)


def test_build_then_noop_then_rebuild_on_change(small: Settings) -> None:
    first = build_index(small, progress=False)
    assert first.built and first.chunks > 5
    build = current_build(small.index_dir)
    found = LocalStore(small.index_dir, small.collection).current()
    assert build is not None and found is not None and found[1]["chunks"] == first.chunks

    again = build_index(small, progress=False)
    assert not again.built and again.build == build

    doc = small.corpus_dir / "002_a2c65de6771f58fb.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n  • Pay care workers for travel time.\n", encoding="utf-8")
    changed = build_index(small, progress=False)
    assert changed.built and changed.build != build
    reader = IndexReader(small)
    assert any("travel time" in c.text for c in reader.chunks)


def test_bad_files_are_skipped_and_the_rest_indexes(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus", extra_catalogue=(
        '\n[[document]]\nfile = "locked.pdf"\ntitle = "Locked policy"\n'
        '\n[[document]]\nfile = "broken.pdf"\ntitle = "Broken policy"\n'
        '\n[[document]]\nfile = "empty.pdf"\ntitle = "Empty policy"\n'
        '\n[[document]]\nfile = "good.pdf"\ntitle = "Night staff procedure"\npublisher = "Our home"\n'
    ))
    good = make_pdf(corpus / "good.pdf", [["Night staff check every resident at 2am and record it."]])
    encrypt_pdf(good, corpus / "locked.pdf")
    (corpus / "broken.pdf").write_bytes(good.read_bytes()[:200])
    (corpus / "empty.pdf").write_bytes(b"")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    report = build_index(settings, progress=False)
    assert report.built
    problems = " ".join(report.errors)
    assert "locked.pdf" in problems and "broken.pdf" in problems and "empty.pdf" in problems
    reader = IndexReader(settings)
    night = [c for c in reader.chunks if c.doc_id == "good.pdf"]
    assert night and night[0].page == 1 and night[0].doc_title == "Night staff procedure"


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing) as err:
        IndexReader(Settings(index_dir=tmp_path / "nothing"))
    assert "python -m assistant index" in str(err.value)


def test_ctrl_c_mid_build_leaves_old_index_serving(small: Settings) -> None:
    build_index(small, progress=False)
    old = current_build(small.index_dir)
    old_chunks = len(IndexReader(small).chunks)

    def interrupt(done: int) -> None:
        assert done < old_chunks, "interrupted part-way, not after the last batch"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index(small, force=True, progress=False, _after_batch=interrupt)
    assert current_build(small.index_dir) == old
    assert len(IndexReader(small).chunks) == old_chunks
    assert not list((small.index_dir / "builds").glob("*.partial"))
    assert build_index(small, force=True, progress=False).built


def test_sigkill_mid_build_leaves_old_index_serving(small: Settings, tmp_path: Path) -> None:
    build_index(small, progress=False)
    old = current_build(small.index_dir)
    script = tmp_path / "slow_build.py"
    script.write_text(
        "import time, sys\n"
        "from assistant.index.build import build_index\nfrom assistant.settings import Settings\n"
        "def hold(done):\n    print('BATCH', flush=True)\n    time.sleep(60)\n"
        "build_index(Settings(embed_batch_size=1), force=True, progress=False, _after_batch=hold)\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env=venv_env(small))
    try:
        assert proc.stdout is not None
        deadline = time.time() + 120
        while proc.stdout.readline().strip() != "BATCH":
            assert time.time() < deadline and proc.poll() is None, "the build never reached its first batch"
        assert list((small.index_dir / "builds").glob("*.partial")), "a partial build should be on disk"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert current_build(small.index_dir) == old
    assert IndexReader(small).chunks
    report = build_index(small, force=True, progress=False)
    assert report.built and current_build(small.index_dir) == report.build
    assert not list((small.index_dir / "builds").glob("*.partial")), "the next build clears abandoned ones"


def test_chunk_metadata_round_trips(index_settings: Settings) -> None:
    reader = IndexReader(index_settings)
    for chunk in reader.chunks[:200]:
        assert from_record(chunk.id, chunk.text, to_metadata(chunk)) == chunk


def test_reader_picks_up_a_rebuild(small: Settings) -> None:
    build_index(small, progress=False)
    reader = IndexReader(small)
    first = reader.build
    build_index(small, force=True, progress=False)
    assert reader.refresh() and reader.build != first
    second = reader.build
    # Nothing changed: the pointer is not read again (each question asks, so this must be cheap).
    store = reader._store
    real_current = store.current
    store.current = lambda: pytest.fail("the pointer was read although nothing changed")
    assert not reader.refresh() and reader.build == second
    store.current = real_current
    # Pointing back at the first build is a file of the same size: it is seen all the same.
    write_atomic(small.index_dir / "CURRENT", first + "\n")
    assert reader.refresh() and reader.build == first
