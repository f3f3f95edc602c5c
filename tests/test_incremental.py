"""Incremental builds: only new or changed passages are embedded, the rest keep their vectors, and the
result is what a full build gives, still written as a whole new build and swapped in atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import assistant.index.build as index_module
from assistant.index.build import build_index, current_build
from assistant.index.embedding import embedder_for
from assistant.index.reader import IndexReader
from assistant.index.store import LocalStore
from assistant.settings import Settings
from tests.conftest import small_corpus

ADDED = "\n  • Pay care workers for the time they spend travelling between visits.\n"


class Recorder:
    """The real embedder, noting every text it is asked to embed."""

    def __init__(self, settings: Settings) -> None:
        self.inner = embedder_for(settings)
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += texts
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


@pytest.fixture()
def small(tmp_path: Path) -> Settings:
    return Settings(corpus_dir=small_corpus(tmp_path / "corpus"), index_dir=tmp_path / "index",
                    data_dir=tmp_path / "data", embed_batch_size=4)


@pytest.fixture()
def recorder(small: Settings, monkeypatch: pytest.MonkeyPatch) -> Recorder:
    rec = Recorder(small)
    monkeypatch.setattr(index_module, "embedder_for", lambda *_: rec)
    return rec


def _vectors(settings: Settings) -> dict[str, np.ndarray]:
    found = LocalStore(settings.index_dir, settings.collection).current()
    assert found is not None
    data = LocalStore(settings.index_dir, settings.collection).open(found[0]).get(include=["embeddings"])
    return {i: np.asarray(v) for i, v in zip(data["ids"], data["embeddings"], strict=True)}


def _change_a_document(settings: Settings) -> None:
    doc = settings.corpus_dir / "002_a2c65de6771f58fb.txt"
    doc.write_text(doc.read_text(encoding="utf-8") + ADDED, encoding="utf-8")


def test_only_changed_passages_are_embedded_and_the_result_matches_a_full_build(
        small: Settings, recorder: Recorder, tmp_path: Path) -> None:
    first = build_index(small, progress=False)
    assert first.embedded == first.chunks
    before = _vectors(small)
    old_texts = {c.embed_text for c in IndexReader(small).chunks}

    _change_a_document(small)
    recorder.texts.clear()
    second = build_index(small, progress=False)
    assert second.built and second.build != first.build
    new_chunks = IndexReader(small).chunks
    changed = [c.embed_text for c in new_chunks if c.embed_text not in old_texts]
    # Exactly the new or changed passages went through the model, and nothing else.
    assert changed and sorted(recorder.texts) == sorted(changed)
    assert second.embedded == len(changed) < second.chunks
    after = _vectors(small)
    unchanged = [c.id for c in new_chunks if c.embed_text in old_texts]
    # Reused as stored (Chroma's cosine index may re-normalise them: a few float32 units at most).
    assert unchanged and all(np.allclose(after[i], before[i], rtol=0, atol=1e-6) for i in unchanged)

    # The same corpus built from nothing gives the same vectors (up to float noise from batching).
    full = small.model_copy(update={"index_dir": tmp_path / "full"})
    report = build_index(full, force=True, progress=False)
    assert report.embedded == report.chunks == second.chunks
    fresh = _vectors(full)
    assert fresh.keys() == after.keys()
    for i in fresh:
        assert float(np.dot(fresh[i], after[i])) > 0.9999
        assert np.allclose(fresh[i], after[i], atol=1e-4)


def test_force_and_a_different_embedding_recipe_embed_everything(
        small: Settings, recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    first = build_index(small, progress=False)
    forced = build_index(small, force=True, progress=False)
    assert forced.embedded == forced.chunks == first.chunks
    monkeypatch.setattr(index_module, "EMBEDDING_VERSION", "another-recipe")
    recorder.texts.clear()
    again = build_index(small, progress=False)
    assert again.built and again.embedded == again.chunks and len(recorder.texts) == again.chunks


def test_a_code_change_that_keeps_every_passage_needs_no_model(
        small: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    build_index(small, progress=False)
    before = _vectors(small)

    def no_model(*_: Any) -> Any:
        raise AssertionError("nothing changed in the passages, so the model should not be loaded")

    monkeypatch.setattr(index_module, "embedder_for", no_model)
    monkeypatch.setattr(index_module, "_code_hash", lambda: "parser-changed")
    report = build_index(small, progress=False)
    assert report.built and report.embedded == 0
    after = _vectors(small)
    assert after.keys() == before.keys()
    assert all(np.allclose(after[i], before[i], rtol=0, atol=1e-6) for i in after)


def test_interrupted_incremental_build_leaves_the_old_index_serving(small: Settings, recorder: Recorder) -> None:
    build_index(small, progress=False)
    old = current_build(small.index_dir)
    old_chunks = IndexReader(small).chunks
    _change_a_document(small)

    def interrupt(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index(small, progress=False, _after_batch=interrupt)
    assert current_build(small.index_dir) == old
    assert IndexReader(small).chunks == old_chunks
    assert not list((small.index_dir / "builds").glob("*.partial"))
    done = build_index(small, progress=False)
    assert done.built and 0 < done.embedded < done.chunks
    assert any("travelling between visits" in c.text for c in IndexReader(small).chunks)
