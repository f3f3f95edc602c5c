"""Building the index: the manifest of what it depends on, reuse of unchanged vectors, and an atomic publish.

A rebuild writes a whole new build and only then publishes it (see ``store.py``: a folder and an
atomically replaced ``index/CURRENT`` on this machine, or a collection and a pointer in a Chroma
server), so a crash, Ctrl-C or SIGKILL in the middle leaves the old index serving.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.index.embedding import (
    EMBEDDING_VERSION,
    embedder_for,
    ensure_encoder,
    prune_encoders,
    weights_size,
)
from assistant.index.records import from_record, to_metadata
from assistant.index.store import LocalStore, Store, file_lock, open_store
from assistant.ingest.chunk import CHUNKER_VERSION
from assistant.ingest.corpus import load_corpus
from assistant.settings import Settings
from assistant.types import Chunk


def manifest_for(settings: Settings, file_hashes: dict[str, str]) -> dict[str, Any]:
    """What the built index depends on: when any of it changes, a rebuild is needed."""
    model = settings.model_path
    return {
        "corpus": file_hashes,
        "catalogue": hashlib.sha256((settings.corpus_dir / "catalogue.toml").read_bytes()).hexdigest(),
        "model": Path(model).name,
        "model_size": weights_size(model),
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
    package = Path(__file__).resolve().parent.parent
    sources = [*sorted((package / "ingest").glob("*.py")), package / "kloe.py"]
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
    if old is not None and not force and _same(old[1], manifest):
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
    # Questions are embedded by the ONNX export of the model: made here, where torch may be loaded.
    ensure_encoder(settings)

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
    prune_encoders(settings)
    return BuildReport(True, len(corpus.chunks), time.perf_counter() - start, build_id, corpus.errors,
                       None if settings.chroma_url else folder / build_id, embedded)


def _same(built: dict[str, Any], manifest: dict[str, Any]) -> bool:
    return {k: built.get(k) for k in manifest} == manifest


def is_current(settings: Settings) -> bool:
    """Whether the serving build was made from exactly these files, model and code (nothing is loaded:
    the files are hashed, as a build that has nothing to do hashes them)."""
    found = open_store(settings).current()
    return found is not None and _same(found[1], manifest_for(settings, _file_hashes(settings.corpus_dir)))


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
    embedder = embedder_for(settings) if todo else None
    step = settings.embed_batch_size * 4
    log(f"Embedding {len(todo)} passages" + (f", reusing {len(chunks) - len(todo)}" if len(todo) < len(chunks)
                                              else "") + " ...")
    # The ONNX embedder keeps one session for passages while the build lasts (index/embedding.py); a
    # LangChain embedder has no such thing.
    batches = getattr(embedder, "batches", nullcontext)
    with tqdm(total=len(chunks), unit="passage", desc="Indexing", disable=not progress) as bar, batches():
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
