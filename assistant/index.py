"""Embeddings and the Chroma store: build, manifest, atomic swap, and reading the index back.

A rebuild writes a whole new build and only then publishes it (see ``store.py``: a folder and an
atomically replaced ``index/CURRENT`` on this machine, or a collection and a pointer in a Chroma
server), so a crash, Ctrl-C or SIGKILL in the middle leaves the old index serving.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from assistant.chunk import CHUNKER_VERSION
from assistant.errors import AssistantError, IndexMissing, StoreUnreachable
from assistant.ingest.corpus import load_corpus
from assistant.settings import Settings
from assistant.store import LocalStore, Store, file_lock, is_connection_error, open_store
from assistant.types import BlockKind, Chunk

# How texts become vectors besides the model's weights (normalised, whole-text, fp32). Vectors of an
# earlier build are reused only when this, the model and its weights' size are unchanged.
EMBEDDING_VERSION = "normalized-fp32-1"

_META_KEYS = ("doc_id", "heading_path", "kind", "key_question", "kloe", "kloe_title", "section",
              "service_type", "provider", "doc_title", "publisher")


@runtime_checkable
class Embedder(Protocol):
    """What the index needs of an embedding model (LangChain's ``Embeddings`` satisfies it)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


@lru_cache(maxsize=4)
def load_embedder(model_path: str, batch_size: int = 16) -> Embedder:
    """The sentence-transformers model at ``model_path``, loaded once per process, never from a hub."""
    from langchain_huggingface import HuggingFaceEmbeddings

    if not Path(model_path).exists():
        raise AssistantError(
            f"The embedding model was not found at {model_path}. Reinstall with the set-up command, "
            "or set ASSISTANT_EMBEDDING_MODEL to a folder that holds a sentence-transformers model."
        )
    return HuggingFaceEmbeddings(
        model_name=model_path,
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size},
    )


# ---------------------------------------------------------------- chunk <-> Chroma record


def to_metadata(chunk: Chunk) -> dict[str, str | int]:
    # Chroma metadata cannot hold None: empty string stands for "not given".
    meta: dict[str, str | int] = {k: (getattr(chunk, k) or "") for k in _META_KEYS}
    meta["kind"] = chunk.kind.value
    meta["line_start"], meta["line_end"] = chunk.line_start, chunk.line_end
    meta["page"] = chunk.page if chunk.page is not None else -1
    return meta


def from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    def opt(key: str) -> str | None:
        return meta.get(key) or None

    page = int(meta.get("page", -1))
    return Chunk(
        id=chunk_id,
        doc_id=str(meta["doc_id"]),
        text=text,
        heading_path=str(meta.get("heading_path", "")),
        kind=BlockKind(meta["kind"]),
        line_start=int(meta["line_start"]),
        line_end=int(meta["line_end"]),
        key_question=opt("key_question"),
        kloe=opt("kloe"),
        kloe_title=opt("kloe_title"),
        section=opt("section"),
        service_type=opt("service_type"),
        provider=opt("provider"),
        page=page if page >= 0 else None,
        doc_title=str(meta.get("doc_title", "")),
        publisher=str(meta.get("publisher", "")),
    )


# ---------------------------------------------------------------- building


def manifest_for(settings: Settings, file_hashes: dict[str, str]) -> dict[str, Any]:
    """What the built index depends on: when any of it changes, a rebuild is needed."""
    model = settings.model_path
    weights = sorted(Path(model).glob("*.safetensors")) or sorted(Path(model).glob("*.bin"))
    return {
        "corpus": file_hashes,
        "catalogue": hashlib.sha256((settings.corpus_dir / "catalogue.toml").read_bytes()).hexdigest(),
        "model": Path(model).name,
        "model_size": sum(p.stat().st_size for p in weights),
        "chunker": CHUNKER_VERSION,
        "embedding": EMBEDDING_VERSION,
        # A change to how documents are parsed or chunked must rebuild even if nobody bumps the version.
        "code": _code_hash(),
    }


def _file_hashes(corpus_dir: Path) -> dict[str, str]:
    """The hash of every catalogued file that can be read, as ``load_corpus`` records them."""
    from assistant.ingest.loaders import corpus_files, load_catalogue

    hashes = {}
    for path in corpus_files(corpus_dir, load_catalogue(corpus_dir)):
        try:
            hashes[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
    return hashes


def _code_hash() -> str:
    package = Path(__file__).resolve().parent
    sources = [*sorted((package / "ingest").glob("*.py")), package / "chunk.py", package / "kloe.py"]
    digest = hashlib.sha256()
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def current_build(index_dir: Path) -> Path | None:
    """The folder of the local build that serves, or None when there is no complete one."""
    found = LocalStore(index_dir, "").current()
    return index_dir / "builds" / found[0] if found else None


@dataclass
class BuildReport:
    built: bool
    chunks: int
    seconds: float
    build_id: str
    errors: list[str]
    build: Path | None = None  # the build's folder, in embedded mode
    embedded: int = 0  # passages whose vectors were computed (the others were reused from the last build)

    def summary(self) -> str:
        if not self.built:
            return f"The index is up to date ({self.chunks} passages); nothing to do."
        reused = f" ({self.chunks - self.embedded} unchanged ones reused)" if self.embedded < self.chunks else ""
        return f"Indexed {self.chunks} passages in {self.seconds:.1f} s{reused}."


def build_index(
    settings: Settings,
    *,
    force: bool = False,
    progress: bool = True,
    log: Callable[[str], None] = lambda _: None,
    _after_batch: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build the index if the corpus, model or chunker changed (or ``force``), then swap it in.

    Raises AssistantError when nothing at all could be indexed, StoreUnreachable when a Chroma
    server is configured and does not answer. ``_after_batch`` is a test hook called after each
    stored batch (with the number stored so far), to interrupt a build on purpose.
    """
    with _build_lock(settings):
        return _build(settings, force, progress, log, _after_batch)


@contextmanager
def _build_lock(settings: Settings) -> Iterator[None]:
    """One build at a time per index folder: a second one waits instead of pruning the first's work."""
    if settings.chroma_url:
        yield  # a server is shared by machines a file lock cannot reach; run one indexer per deployment
        return
    with file_lock(settings.index_dir / ".build.lock"):
        yield


def _build(settings: Settings, force: bool, progress: bool, log: Callable[[str], None],
           _after_batch: Callable[[int], None] | None) -> BuildReport:
    start = time.perf_counter()
    # Hashing the files is enough to know that nothing changed: no document is parsed for a no-op.
    manifest = manifest_for(settings, _file_hashes(settings.corpus_dir))
    store = open_store(settings)
    old = store.current()
    folder = settings.index_dir / "builds"
    if old is not None and not force and {k: old[1].get(k) for k in manifest} == manifest:
        errors = [str(e) for e in old[1].get("errors", [])]
        for err in errors:
            log(f"Skipped: {err}")
        return BuildReport(False, int(old[1].get("chunks", 0)), time.perf_counter() - start, old[0], errors,
                           None if settings.chroma_url else folder / old[0])
    corpus = load_corpus(settings.corpus_dir)
    for err in corpus.errors:
        log(f"Skipped: {err}")
    if not corpus.chunks:
        raise AssistantError(f"No document in {settings.corpus_dir} could be read, so nothing was indexed.")
    manifest["corpus"] = corpus.file_hashes  # what was read, should a file change while it was parsed

    # Unchanged passages keep the vectors of the build that serves now; --force embeds everything anew.
    reuse = {} if force or old is None else _reusable_vectors(store, old, manifest)
    build_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    try:
        collection = store.begin(build_id)
        embedded = _fill(settings, collection, corpus.chunks, progress, log, _after_batch, reuse)
        manifest.update(chunks=len(corpus.chunks), embedded=embedded, built_at=time.time(), errors=corpus.errors)
        store.publish(build_id, manifest)
    except BaseException:
        store.discard(build_id)
        raise
    # The previous build stays for readers that still hold it open; older and abandoned ones go.
    store.prune(keep={build_id} | ({old[0]} if old else set()))
    return BuildReport(True, len(corpus.chunks), time.perf_counter() - start, build_id, corpus.errors,
                       None if settings.chroma_url else folder / build_id, embedded)


def _reusable_vectors(store: Store, old: tuple[str, dict[str, Any]], manifest: dict[str, Any]) -> dict[str, Any]:
    """The serving build's vectors by the exact text that was embedded, when the same model made them the
    same way; empty when they cannot be trusted or read (the build then embeds everything)."""
    if any(old[1].get(k) != manifest[k] for k in ("model", "model_size", "embedding")):
        return {}
    try:
        data = store.open(old[0]).get(include=["documents", "metadatas", "embeddings"])
        records = zip(data["ids"], data["documents"], data["metadatas"], data["embeddings"], strict=True)
        return {from_record(i, d, m).embed_text: v for i, d, m, v in records}
    except Exception:
        return {}


def _fill(
    settings: Settings,
    collection: Any,
    chunks: Sequence[Chunk],
    progress: bool,
    log: Callable[[str], None],
    after_batch: Callable[[int], None] | None,
    reuse: dict[str, Any],
) -> int:
    """Store every chunk with its vector, embedding only those ``reuse`` lacks. Returns how many were embedded."""
    import numpy as np
    from tqdm import tqdm

    todo = [c for c in chunks if c.embed_text not in reuse]
    # Reused ones first (no model needed, and no model load at all when nothing changed but code),
    # then the new ones longest first: padding is per batch, so similar lengths waste the least work.
    ordered = [c for c in chunks if c.embed_text in reuse] + sorted(todo, key=lambda c: -len(c.embed_text))
    embedder = load_embedder(settings.model_path, settings.embed_batch_size) if todo else None
    step = settings.embed_batch_size * 4
    log(f"Embedding {len(todo)} passages" + (f", reusing {len(chunks) - len(todo)}" if len(todo) < len(chunks)
                                              else "") + " ...")
    with tqdm(total=len(chunks), unit="passage", desc="Indexing", disable=not progress) as bar:
        for at in range(0, len(ordered), step):
            batch = ordered[at : at + step]
            missing = [c.embed_text for c in batch if c.embed_text not in reuse]
            fresh = iter(embedder.embed_documents(missing)) if missing and embedder else iter(())
            # One float32 array (what Chroma stores), whether a vector was reused or just computed.
            vectors = np.asarray([reuse[c.embed_text] if c.embed_text in reuse else next(fresh) for c in batch],
                                 dtype=np.float32)
            collection.upsert(
                ids=[c.id for c in batch],
                embeddings=vectors,
                documents=[c.text for c in batch],
                metadatas=[to_metadata(c) for c in batch],
            )
            bar.update(len(batch))
            if after_batch:
                after_batch(at + len(batch))
    return len(todo)


# ---------------------------------------------------------------- reading


def _metadata_where(filters: dict[str, list[str]]) -> dict[str, Any] | None:
    clauses = [{key: {"$in": values}} for key, values in filters.items()]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


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


def _all_chunks(collection: Any) -> list[Chunk]:
    data = collection.get(include=["documents", "metadatas"])
    records = zip(data["ids"], data["documents"], data["metadatas"], strict=True)
    return sorted((from_record(i, d, m) for i, d, m in records), key=lambda c: (c.doc_id, c.line_start, c.id))


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
        from assistant.uploads import Uploads

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

    @property
    def by_id(self) -> dict[str, Chunk]:
        return self.snapshot.by_id

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
