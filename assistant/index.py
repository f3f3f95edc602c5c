"""Embeddings and the Chroma store: build, manifest, atomic swap, and reading the index back.

Layout of ``index/`` (embedded mode)::

    index/CURRENT                 name of the build that serves (replaced atomically)
    index/builds/<id>/chroma/     the persistent Chroma store of that build
    index/builds/<id>/manifest.json
    index/builds/<id>.partial/    a build under way; never read, removed when it fails

A rebuild writes a whole new build and only then swaps ``CURRENT``, so a crash, Ctrl-C or SIGKILL
in the middle leaves the old index serving. LangChain's ``Document`` does not leave this module.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from assistant.chunk import CHUNKER_VERSION, chunk_blocks
from assistant.errors import AssistantError, DocumentError, IndexMissing
from assistant.settings import Settings
from assistant.types import Block, BlockKind, Chunk, Document

_META_KEYS = ("doc_id", "heading_path", "kind", "key_question", "kloe", "kloe_title", "section",
              "service_type", "provider", "doc_title", "publisher")


@runtime_checkable
class Embedder(Protocol):
    """What the index needs of an embedding model (LangChain's ``Embeddings`` satisfies it)."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


@lru_cache(maxsize=4)
def load_embedder(model_path: str, batch_size: int = 64, progress: bool = False) -> Embedder:
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
        show_progress=progress,
    )


# ---------------------------------------------------------------- corpus -> chunks


@dataclass
class CorpusChunks:
    chunks: list[Chunk]
    blocks: dict[str, list[Block]]
    errors: list[str] = field(default_factory=list)
    file_hashes: dict[str, str] = field(default_factory=dict)


def blocks_for(doc: Document) -> list[Block]:
    """Typed blocks of one document, by the parser its catalogue entry names."""
    if doc.source.parser == "care_guide":
        from assistant.ingest.care_guide import parse_care_guide

        return parse_care_guide(doc)
    from assistant.ingest.generic import split_generic

    return split_generic(doc)


def load_corpus(corpus_dir: Path) -> CorpusChunks:
    """Every catalogued document parsed and chunked; a file that fails is reported, the rest go on."""
    from assistant.ingest.loaders import corpus_files, load_catalogue, load_document

    catalogue = load_catalogue(corpus_dir)
    out = CorpusChunks(chunks=[], blocks={})
    for path in corpus_files(corpus_dir, catalogue):
        out.file_hashes[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
        try:
            doc = load_document(path, catalogue[path.name])
        except DocumentError as e:
            out.errors.append(str(e))
            continue
        blocks = blocks_for(doc)
        out.blocks[doc.doc_id] = blocks
        out.chunks.extend(chunk_blocks(blocks, doc.source))
    missing = [name for name in catalogue if not (corpus_dir / name).is_file()]
    out.errors.extend(f"{name}: listed in catalogue.toml but not found in {corpus_dir}." for name in missing)
    return out


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


# ---------------------------------------------------------------- the store on disk


def chroma_client(path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def manifest_for(settings: Settings, corpus: CorpusChunks) -> dict[str, Any]:
    """What the built index depends on: when any of it changes, a rebuild is needed."""
    model = settings.model_path
    weights = sorted(Path(model).glob("*.safetensors")) or sorted(Path(model).glob("*.bin"))
    return {
        "corpus": corpus.file_hashes,
        "catalogue": hashlib.sha256((settings.corpus_dir / "catalogue.toml").read_bytes()).hexdigest(),
        "model": Path(model).name,
        "model_size": sum(p.stat().st_size for p in weights),
        "chunker": CHUNKER_VERSION,
    }


def current_build(index_dir: Path) -> Path | None:
    """The folder of the build that serves, or None when there is no complete one."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    build = index_dir / "builds" / name
    return build if (build / "manifest.json").is_file() else None


def read_manifest(build: Path) -> dict[str, Any]:
    return json.loads((build / "manifest.json").read_text(encoding="utf-8"))


@dataclass
class BuildReport:
    built: bool
    chunks: int
    seconds: float
    build: Path | None
    errors: list[str]

    def summary(self) -> str:
        if not self.built:
            return f"The index is up to date ({self.chunks} passages); nothing to do."
        return f"Indexed {self.chunks} passages in {self.seconds:.1f} s."


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(text, encoding="utf-8")
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _prune(index_dir: Path, keep: set[str]) -> None:
    """Remove old and abandoned builds; the previous build stays for readers still holding it open."""
    builds = index_dir / "builds"
    for child in builds.iterdir() if builds.is_dir() else []:
        if child.name not in keep:
            shutil.rmtree(child, ignore_errors=True)


def build_index(
    settings: Settings,
    *,
    force: bool = False,
    progress: bool = True,
    log: Callable[[str], None] = lambda _: None,
    _after_batch: Callable[[int], None] | None = None,
) -> BuildReport:
    """Build the index if the corpus, model or chunker changed (or ``force``), then swap it in.

    Raises AssistantError when nothing at all could be indexed. ``_after_batch`` is a test hook
    called after each stored batch (with the number stored so far), to interrupt a build on purpose.
    """
    start = time.perf_counter()
    corpus = load_corpus(settings.corpus_dir)
    for err in corpus.errors:
        log(f"Skipped: {err}")
    if not corpus.chunks:
        raise AssistantError(f"No document in {settings.corpus_dir} could be read, so nothing was indexed.")
    manifest = manifest_for(settings, corpus)
    index_dir = settings.index_dir
    old = current_build(index_dir)
    if old is not None and not force:
        previous = read_manifest(old)
        if {k: previous.get(k) for k in manifest} == manifest:
            return BuildReport(False, int(previous.get("chunks", 0)), time.perf_counter() - start, old, corpus.errors)

    build_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    partial = index_dir / "builds" / f"{build_id}.partial"
    partial.mkdir(parents=True)
    try:
        _fill_store(settings, corpus.chunks, partial / "chroma", progress, log, _after_batch)
        manifest.update(chunks=len(corpus.chunks), built_at=time.time(), errors=corpus.errors)
        _write_atomic(partial / "manifest.json", json.dumps(manifest, indent=2))
        final = index_dir / "builds" / build_id
        os.replace(partial, final)
        _write_atomic(index_dir / "CURRENT", build_id + "\n")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _prune(index_dir, keep={build_id} | ({old.name} if old else set()))
    return BuildReport(True, len(corpus.chunks), time.perf_counter() - start, final, corpus.errors)


def _fill_store(
    settings: Settings,
    chunks: Sequence[Chunk],
    path: Path,
    progress: bool,
    log: Callable[[str], None],
    after_batch: Callable[[int], None] | None,
) -> None:
    from tqdm import tqdm

    embedder = load_embedder(settings.model_path, settings.embed_batch_size)
    client = chroma_client(path)
    collection = client.get_or_create_collection(
        settings.collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
    )
    # Longest first: padding is per batch, so similar lengths together waste the least work.
    order = sorted(range(len(chunks)), key=lambda i: -len(chunks[i].embed_text))
    step = 256
    log(f"Embedding {len(chunks)} passages with {Path(settings.model_path).name} ...")
    with tqdm(total=len(chunks), unit="passage", desc="Indexing", disable=not progress) as bar:
        for at in range(0, len(order), step):
            batch = [chunks[i] for i in order[at : at + step]]
            vectors = embedder.embed_documents([c.embed_text for c in batch])
            collection.upsert(
                ids=[c.id for c in batch],
                embeddings=vectors,
                documents=[c.text for c in batch],
                metadatas=[to_metadata(c) for c in batch],
            )
            bar.update(len(batch))
            if after_batch:
                after_batch(at + len(batch))


# ---------------------------------------------------------------- reading


def _where(filters: dict[str, list[str]]) -> dict[str, Any] | None:
    clauses = [{key: {"$in": values}} for key, values in filters.items()]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class IndexReader:
    """The serving index: the Chroma collection plus every chunk in memory (for BM25 and filters).

    It re-opens by itself when ``CURRENT`` names a newer build, so a running app picks up a rebuild.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._build: Path | None = None
        self._collection: Any = None
        self.chunks: list[Chunk] = []
        self.by_id: dict[str, Chunk] = {}
        self.refresh()

    def refresh(self) -> bool:
        """Open the current build if it changed. Returns True when it (re)opened one."""
        build = current_build(self.settings.index_dir)
        if build is None:
            if self._build is not None and self._build.exists():
                return False  # keep serving what we have
            raise IndexMissing(str(self.settings.index_dir))
        if build == self._build:
            return False
        collection = chroma_client(build / "chroma").get_collection(self.settings.collection)
        data = collection.get(include=["documents", "metadatas"])
        records = zip(data["ids"], data["documents"], data["metadatas"], strict=True)
        chunks = [from_record(i, d, m) for i, d, m in records]
        if not chunks:
            raise IndexMissing(str(build))
        chunks.sort(key=lambda c: (c.doc_id, c.line_start, c.id))
        self._build, self._collection = build, collection
        self.chunks, self.by_id = chunks, {c.id: c for c in chunks}
        return True

    @property
    def build(self) -> Path | None:
        return self._build

    def dense(self, vector: list[float], n: int, filters: dict[str, list[str]]) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the ``n`` nearest chunks that pass the filters."""
        res = self._collection.query(
            query_embeddings=[vector], n_results=min(n, len(self.chunks)), where=_where(filters), include=["distances"]
        )
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=False)]
