"""Your own documents: policies and procedures added beside the guide, cited with their own title.

Uploads live in their own Chroma collection under the data folder, so adding or removing one never
rebuilds the guide's index. A file is checked before anything is stored: its size, its real type
(read from its content, not its name), and that it opens and has text. The same file uploaded
twice is stored once (its id is the hash of its bytes). Originals are not kept: only the passages.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import time
import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import DocumentError
from assistant.settings import Settings
from assistant.store import file_lock, write_atomic
from assistant.types import Chunk, SourceDoc

PUBLISHER = "Uploaded by your organisation"
COLLECTION = "uploads"


@dataclass(frozen=True)
class Uploaded:
    doc_id: str
    title: str
    chunks: int
    duplicate: bool  # True when this exact file was already there


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

    def version(self) -> str:
        """Changes whenever a document is added or removed (readers re-open on a change)."""
        return str(self.manifest().get("version", ""))

    def documents(self) -> list[dict[str, Any]]:
        docs = self.manifest()["documents"]
        return [{"doc_id": k, **v} for k, v in sorted(docs.items(), key=lambda kv: kv[1]["added"])]

    def collection(self, create: bool = False) -> Any:
        """The uploads collection, or None when nothing was ever uploaded."""
        if not create and not self.manifest()["documents"]:
            return None
        from assistant.store import local_client

        client = local_client(self.root / "chroma")
        return client.get_or_create_collection(COLLECTION, embedding_function=None, metadata={"hnsw:space": "cosine"})

    # ---------------------------------------------------------------- changing

    def _locked(self) -> AbstractContextManager[None]:
        return file_lock(self.root / ".lock")

    def _save(self, manifest: dict[str, Any]) -> None:
        manifest["version"] = uuid.uuid4().hex
        write_atomic(self.manifest_path, json.dumps(manifest, indent=2))

    def add(self, filename: str, data: bytes, title: str | None = None) -> Uploaded:
        """Check, parse, embed and store one document. Raises DocumentError with a plain message."""
        from assistant.chunk import chunk_blocks
        from assistant.index import load_embedder, to_metadata
        from assistant.ingest.generic import split_generic
        from assistant.ingest.loaders import load_document, sniff

        name = safe_name(filename)
        limit = self.settings.max_upload_mb * 1024 * 1024
        if not data:
            raise DocumentError(name, "the file is empty", "Choose the file that holds the document's text.")
        if len(data) > limit:
            raise DocumentError(name, f"the file is larger than {self.settings.max_upload_mb} MB",
                                "Upload a smaller file, or split the document.")
        kind = sniff(data)
        if not kind:
            raise DocumentError(name, "this is not a PDF, Word (DOCX), text, Markdown or HTML document",
                                "Save it in one of those formats and upload it again.")
        doc_id = "upload-" + hashlib.sha256(data).hexdigest()[:16]
        title = (title or "").strip()[:200] or Path(name).stem
        with self._locked():
            manifest = self.manifest()
            if doc_id in manifest["documents"]:
                known = manifest["documents"][doc_id]
                return Uploaded(doc_id, known["title"], known["chunks"], duplicate=True)
            source = SourceDoc(doc_id=doc_id, title=title, publisher=PUBLISHER, year=time.strftime("%Y"),
                               kind="uploaded")
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / (Path(name).stem + (".md" if kind == ".txt" else kind))
                path.write_bytes(data)
                doc = load_document(path, source)
            chunks: list[Chunk] = chunk_blocks(split_generic(doc), source)
            if not chunks:
                raise DocumentError(name, "no passages of text were found in it", "Check that it is the right file.")
            embedder = load_embedder(self.settings.model_path, self.settings.embed_batch_size)
            collection = self.collection(create=True)
            vectors = embedder.embed_documents([c.embed_text for c in chunks])
            collection.upsert(ids=[c.id for c in chunks], embeddings=vectors, documents=[c.text for c in chunks],
                              metadatas=[to_metadata(c) for c in chunks])
            manifest["documents"][doc_id] = {"title": title, "file": name, "chunks": len(chunks), "added": time.time()}
            self._save(manifest)
        return Uploaded(doc_id, title, len(chunks), duplicate=False)

    def remove(self, doc_id: str) -> bool:
        """Remove a document and its passages. Returns False when there was no such document."""
        with self._locked():
            manifest = self.manifest()
            if doc_id not in manifest["documents"]:
                return False
            collection = self.collection(create=True)
            collection.delete(where={"doc_id": doc_id})
            del manifest["documents"][doc_id]
            self._save(manifest)
        return True
