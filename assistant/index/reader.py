"""Reading the index back: the serving build and the organisation's documents, swapped whole on a change."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import IndexMissing, StoreUnreachable
from assistant.index.records import _all_chunks, _metadata_where
from assistant.index.store import Store, is_connection_error, open_store
from assistant.settings import Settings
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
    chunks_of_build: list[Chunk] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)  # per-build caches, e.g. the BM25 index
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """A per-build cache entry, made once even when several threads ask at the same time."""
        with self.lock:
            if key not in self.extras:
                self.extras[key] = make()
            return self.extras[key]


class IndexReader:
    """The serving index: the Chroma collection plus every chunk in memory (for BM25 and filters).

    It re-opens by itself when a newer build is published, so a running app picks up a rebuild. With
    a Chroma server, a server that stops answering raises StoreUnreachable; once it is back, the
    next call works again without a restart.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None
        self._snapshot: Snapshot | None = None
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
            found = self._store.current()
            old = self._snapshot
            if found is None:
                if old is not None and not self.settings.chroma_url:
                    return False  # the pointer went away under us: keep serving what we have
                raise IndexMissing(self._where())
            uploads = Uploads(self.settings)
            version = uploads.version()
            if old is not None and found[0] == old.build and version == old.uploads_version:
                return False
            collection = self._store.open(found[0]) if old is None or found[0] != old.build else old.collection
            chunks = old.chunks_of_build if old is not None and found[0] == old.build else _all_chunks(collection)
            if not chunks:
                raise IndexMissing(self._where())
            extra = uploads.collection()
            # Only documents listed as ready: passages a crash left behind are never cited.
            ready = uploads.ready_ids()
            extra_chunks = [c for c in _all_chunks(extra) if c.doc_id in ready] if extra is not None else []
            merged = chunks + extra_chunks
            self._snapshot = Snapshot(found[0], collection, merged, {c.id: c for c in merged}, extra, version,
                                      chunks_of_build=chunks)
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

    def dense(self, snap: Snapshot, vector: list[float], n: int, filters: dict[str, list[str]]
              ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the ``n`` nearest chunks of ``snap`` that pass the filters,
        from the guide's index and people's uploaded documents together."""
        hits: list[tuple[str, float]] = []
        for collection in (snap.collection, snap.uploads):
            if collection is None:
                continue
            try:
                res = collection.query(query_embeddings=[vector], n_results=max(1, min(n, collection.count())),
                                       where=_metadata_where(filters), include=["distances"])
            except Exception as e:
                if self.settings.chroma_url and is_connection_error(e):
                    raise StoreUnreachable(self.settings.chroma_url) from e
                raise
            hits += [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)
                     if i in snap.by_id]
        return sorted(hits, key=lambda h: -h[1])[:n]
