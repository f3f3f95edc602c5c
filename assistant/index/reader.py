"""Reading the index back: the serving build and the organisation's documents, swapped whole on a change."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.errors import IndexMissing
from assistant.index.records import all_chunks
from assistant.index.store import Store, open_store
from assistant.memory import give_back
from assistant.settings import Settings
from assistant.top import highest
from assistant.types import Chunk


@dataclass(frozen=True)
class Snapshot:
    """One published build as served: swapped whole, so a reader never mixes two builds."""

    build: str
    collection: Any
    chunks: list[Chunk]
    by_id: dict[str, Chunk]
    uploads: Any = None  # the collection of people's own documents, when there are any
    uploads_version: str = ""
    # Unit vectors of ``chunks``, row for row: the dense search is exact and in memory (see ``dense``).
    vectors: Any = None
    build_size: int = 0  # the first ``build_size`` chunks and vectors are the build's; uploads follow
    extras: dict[str, Any] = field(default_factory=dict)  # per-build caches, e.g. the BM25 index
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """A per-build cache entry, made once even when several threads ask at the same time."""
        with self.lock:
            if key not in self.extras:
                self.extras[key] = make()
                give_back()  # building an index of the passages leaves much more garbage than it keeps
            return self.extras[key]


class IndexReader:
    """The serving index: the Chroma collection plus every chunk and its vector in memory (for the dense
    search, BM25 and filters).

    It re-opens by itself when a newer build is published, so a running app picks up a rebuild. With
    a Chroma server, a server that stops answering raises StoreUnreachable; once it is back, the
    next call works again without a restart.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None
        self._snapshot: Snapshot | None = None
        self._stamp: Any = None  # the pointers' stamps when the snapshot was last found current
        self._lock = threading.Lock()
        self.refresh()

    def _where(self) -> str:
        return self.settings.chroma_url or str(self.settings.index_dir)

    def refresh(self) -> bool:
        """Open the current build (and uploaded documents) if either changed. True when it re-opened."""
        from assistant.index.uploads import Uploads

        with self._lock:
            if self._store is None:
                self._store = open_store(self.settings)
            uploads = Uploads(self.settings)
            # Taken before reading, so that a publish landing meanwhile changes it again. Every question
            # calls this: two stat calls instead of reading and parsing the pointer and both manifests.
            stamp = (self._store.stamp(), uploads.stamp())
            if self._snapshot is not None and stamp[0] is not None and stamp == self._stamp:
                return False
            found = self._store.current()
            old = self._snapshot
            if found is None:
                if old is not None and not self.settings.chroma_url:
                    return False  # the pointer went away under us: keep serving what we have
                raise IndexMissing(self._where())
            version = uploads.version()
            if old is not None and found[0] == old.build and version == old.uploads_version:
                self._stamp = stamp
                return False
            same_build = old is not None and found[0] == old.build
            collection = old.collection if same_build else self._store.open(found[0])
            if same_build:
                chunks, vectors = old.chunks[: old.build_size], old.vectors[: old.build_size]
            else:
                chunks, vectors = _unzip(all_chunks(collection))
            if not chunks:
                raise IndexMissing(self._where())
            extra = uploads.collection()
            # Only documents listed as ready: passages a crash left behind are never cited.
            ready = uploads.ready_ids()
            extra_chunks, extra_vectors = _unzip([cv for cv in all_chunks(extra) if cv[0].doc_id in ready]
                                                 if extra is not None else [])
            merged = chunks + extra_chunks
            all_vectors = np.vstack([vectors, extra_vectors]) if extra_chunks else vectors
            self._snapshot = Snapshot(found[0], collection, merged, {c.id: c for c in merged}, extra, version,
                                      vectors=all_vectors, build_size=len(chunks))
            self._stamp = stamp
            return True

    @property
    def snapshot(self) -> Snapshot:
        if self._snapshot is None:
            raise IndexMissing(self._where())
        return self._snapshot

    @property
    def build(self) -> str | None:
        return self._snapshot.build if self._snapshot else None

    @property
    def collection(self) -> Any:
        """The Chroma collection of the serving build."""
        return self.snapshot.collection

    @property
    def chunks(self) -> list[Chunk]:
        return self.snapshot.chunks

    def dense(self, snap: Snapshot, vector: list[float], n: int, keep: Callable[[Chunk], bool] | None = None
              ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the ``n`` nearest chunks of ``snap`` that ``keep`` accepts,
        from the guide's index and people's uploaded documents together.

        Exact, over the vectors held in memory, rather than Chroma's HNSW query: with a few thousand
        chunks it is faster, and HNSW's approximate neighbours differed between two processes on the
        same index (ranks 95-120 of 120), so the same question got a different answer. Ties keep the
        chunks' fixed order."""
        scores = snap.vectors @ _unit(np.asarray(vector, dtype=np.float32))
        if keep is not None:
            mask = np.fromiter((keep(c) for c in snap.chunks), dtype=bool, count=len(snap.chunks))
            scores = np.where(mask, scores, -np.inf)
        order = highest(scores, n)
        top = scores[order]
        finite = np.isfinite(top)  # as arrays, not one numpy scalar at a time: this is on every question's path
        return [(snap.chunks[i].id, s) for i, s in zip(order[finite].tolist(), top[finite].tolist(), strict=True)]


def _unit(m: Any) -> Any:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


def _unzip(pairs: list[tuple[Chunk, Any]]) -> tuple[list[Chunk], Any]:
    """Chunks and their unit vectors (float32, one row each) from ``all_chunks``."""
    if not pairs:
        return [], np.zeros((0, 0), dtype=np.float32)
    return [c for c, _ in pairs], _unit(np.asarray([v for _, v in pairs], dtype=np.float32))
