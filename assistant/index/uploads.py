"""The organisation's own documents: policies and procedures added beside the guide, cited with their title.

They are shared: every answer, in the web chat and on /v1, may cite them, so only an administrator
adds or removes one (the web app checks the role; ``python -m assistant documents`` is for whoever
runs the machine). Uploads live in their own Chroma collection under the data folder, so adding or
removing one never rebuilds the guide's index. A file is checked before anything is stored: its
size, its real type (read from its content, not its name), and that it opens and has text, read in
a child process with a memory cap and a time limit. The same file uploaded twice is stored once (its
id is the hash of its bytes). Originals are not kept: only the passages.

Crash safety: the manifest names a document as "storing" before any passage is written and "ready"
only once every passage is there; ``reconcile`` (at start and before every change) removes the
passages of anything not ready, so the list and the store agree after a crash or a full disk.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import time
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import DocumentError
from assistant.index.store import file_lock, write_atomic
from assistant.settings import Settings
from assistant.types import Chunk, SourceDoc

log = logging.getLogger(__name__)

PUBLISHER = "Uploaded by your organisation"
COLLECTION = "uploads"


READY, STORING = "ready", "storing"


@dataclass(frozen=True)
class Uploaded:
    doc_id: str
    title: str
    chunks: int
    duplicate: bool  # True when this exact file was already there


@dataclass(frozen=True)
class OwnDocument:
    """One document in the list: what it is cited as, and who added it when."""

    doc_id: str
    title: str
    file: str
    chunks: int
    added: float  # seconds since the epoch
    added_by: str  # the signed-in administrator, or "the server's command line"


# Chroma's store can hang, rather than fail, when the disk fills under it: a change starts only when the disk
# has room for several times what it will write, plus this margin.
FREE_MARGIN = 16 * 1024 * 1024


def free_bytes(folder: Path) -> int:
    """Free bytes on the disk that holds ``folder`` (or its nearest existing parent)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return shutil.disk_usage(folder).free


def _disk_error(name: str) -> DocumentError:
    return DocumentError(name, "the server could not store it (its disk may be full)",
                         "Nothing was added. Tell whoever runs the assistant, then try again.")


def safe_name(filename: str) -> str:
    """The file's own name without any folder part or odd characters ("../../etc/passwd" -> "passwd")."""
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w .()-]", "_", name).strip(" .") or "document"
    stem, suffix = Path(name).stem, Path(name).suffix[:10]
    return stem[: 100 - len(suffix)] + suffix


class Uploads:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.data_dir / "uploads"
        self.manifest_path = self.root / "manifest.json"

    # ---------------------------------------------------------------- reading

    def manifest(self) -> dict[str, Any]:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"version": "", "documents": {}}

    def stamp(self) -> tuple[int, int, int] | None:
        """Changes whenever the manifest is written (so whenever ``version`` may have)."""
        from assistant.index.store import file_stamp

        return file_stamp(self.manifest_path)

    def version(self) -> str:
        """Changes whenever a document is added or removed (readers re-open on a change)."""
        return str(self.manifest().get("version", ""))

    def documents(self) -> list[OwnDocument]:
        """The documents answers may cite, oldest first (one still being stored, or left half-stored by a
        crash, is not among them)."""
        docs = [(k, v) for k, v in self.manifest()["documents"].items() if v.get("state", READY) == READY]
        return [OwnDocument(k, v["title"], v["file"], v["chunks"], v["added"], v.get("added_by", ""))
                for k, v in sorted(docs, key=lambda kv: kv[1]["added"])]

    def ready_ids(self) -> set[str]:
        return {d.doc_id for d in self.documents()}

    def collection(self, create: bool = False) -> Any:
        """The uploads collection, or None when nothing was ever uploaded."""
        if not create and not self.manifest()["documents"]:
            return None
        from assistant.index.store import local_client

        client = local_client(self.collection_path())
        return client.get_or_create_collection(COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine"})

    # ---------------------------------------------------------------- changing

    def _locked(self) -> AbstractContextManager[None]:
        return file_lock(self.root / ".lock")

    def _save(self, manifest: dict[str, Any]) -> None:
        manifest["version"] = uuid.uuid4().hex
        write_atomic(self.manifest_path, json.dumps(manifest, indent=2))

    def reconcile(self) -> int:
        """Make the store agree with the list after a crash: passages of documents that are not ready (or
        not listed at all) are removed, and so are list entries left "storing". Returns how many documents
        were cleaned up. Run at start and before every change, under the lock."""
        manifest = self.manifest()
        ready = {k for k, v in manifest["documents"].items() if v.get("state", READY) == READY}
        stale = set(manifest["documents"]) - ready
        orphans: set[str] = set()
        if self.collection_path().exists():
            collection = self.collection(create=True)
            found = {m.get("doc_id", "") for m in collection.get(include=["metadatas"])["metadatas"] or []}
            orphans = found - ready
            for doc_id in sorted(orphans):
                collection.delete(where={"doc_id": doc_id})
        if stale:
            for doc_id in stale:
                del manifest["documents"][doc_id]
            self._save(manifest)
        return len(stale | orphans)

    def collection_path(self) -> Path:
        return self.root / "chroma"

    def add(self, filename: str, data: bytes, title: str | None = None, added_by: str = "") -> Uploaded:
        """Check, parse, embed and store one document. Raises DocumentError with a plain message; nothing
        is listed (or cited) unless every passage was stored."""
        from assistant.index.embedding import embedder_for
        from assistant.index.records import to_metadata
        from assistant.ingest.chunk import chunk_blocks
        from assistant.ingest.generic import split_generic
        from assistant.ingest.loaders import FORMATS, sniff
        from assistant.ingest.sandbox import read_untrusted

        name = safe_name(filename)
        limit = self.settings.max_upload_mb * 1024 * 1024
        if not data:
            raise DocumentError(name, "the file is empty", "Choose the file that holds the document's text.")
        if len(data) > limit:
            raise DocumentError(name, f"the file is larger than {self.settings.max_upload_mb} MB",
                                "Upload a smaller file, or split the document.")
        kind = sniff(data)
        if not kind:
            raise DocumentError(name, f"this is not a {FORMATS} document",
                                "Save it in one of those formats and upload it again.")
        doc_id = "upload-" + hashlib.sha256(data).hexdigest()[:16]
        title = (title or "").strip()[:200] or Path(name).stem
        # Vectors, text and Chroma's own indexes, several times over: a generous guess, never a tight one.
        if free_bytes(self.root) < 8 * len(data) + FREE_MARGIN:
            raise _disk_error(name)
        with self._locked():
            try:
                self.reconcile()
            except OSError:
                raise _disk_error(name) from None
            manifest = self.manifest()
            if doc_id in manifest["documents"]:
                known = manifest["documents"][doc_id]
                return Uploaded(doc_id, known["title"], known["chunks"], duplicate=True)
            source = SourceDoc(doc_id=doc_id, title=title, publisher=PUBLISHER, year=time.strftime("%Y"),
                               kind="uploaded")
            # Text files are read as Markdown, so that their headings shape the passages.
            doc = read_untrusted(name, ".md" if kind == ".txt" else kind, data, source,
                                 self.settings.read_limits(), self.settings.upload_memory_mb)
            chunks: list[Chunk] = chunk_blocks(split_generic(doc), source)
            if not chunks:
                raise DocumentError(name, "no passages of text were found in it", "Check that it is the right file.")
            embedder = embedder_for(self.settings)
            vectors = embedder.embed_documents([c.embed_text for c in chunks])
            entry = {"title": title, "file": name, "chunks": len(chunks), "added": time.time(),
                     "added_by": added_by, "state": STORING}
            try:
                self._save({**manifest, "documents": {**manifest["documents"], doc_id: entry}})
                collection = self.collection(create=True)
                collection.upsert(ids=[c.id for c in chunks], embeddings=vectors,
                                  documents=[c.text for c in chunks], metadatas=[to_metadata(c) for c in chunks])
                stored = len(collection.get(where={"doc_id": doc_id}, include=[])["ids"])
                if stored != len(chunks):
                    raise OSError(f"{stored} of {len(chunks)} passages stored")
                manifest["documents"][doc_id] = {**entry, "state": READY}
                self._save(manifest)
            except Exception as e:
                # chromadb reports a full disk as its own errors. The entry stays "storing", so it is never
                # listed or cited, and ``reconcile`` removes its passages at the next start or change (not
                # now: on a full disk Chroma may hang instead of failing).
                log.warning("Storing an uploaded document failed (%s); it will be cleaned up.", type(e).__name__)
                raise _disk_error(name) from None
        return Uploaded(doc_id, title, len(chunks), duplicate=False)

    def remove(self, doc_id: str) -> bool:
        """Remove a document and its passages. Returns False when there was no such document."""
        with self._locked():
            manifest = self.manifest()
            if doc_id not in manifest["documents"]:
                return False
            try:
                # Listed as not ready first: a crash between the two steps leaves it for reconcile to finish.
                manifest["documents"][doc_id]["state"] = STORING
                self._save(manifest)
                self.collection(create=True).delete(where={"doc_id": doc_id})
                del manifest["documents"][doc_id]
                self._save(manifest)
            except OSError:
                raise DocumentError(doc_id, "the server could not change its list (its disk may be full)",
                                    "Tell whoever runs the assistant, then try again.") from None
        return True
