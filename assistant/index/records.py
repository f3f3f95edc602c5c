"""A chunk as a Chroma record and back (metadata cannot hold None), and the metadata filter for a query."""

from __future__ import annotations

from typing import Any

from assistant.types import BlockKind, Chunk

_META_KEYS = ("doc_id", "heading_path", "kind", "key_question", "kloe", "kloe_title", "section",
              "service_type", "provider", "doc_title", "publisher")


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


def all_chunks(collection: Any) -> list[tuple[Chunk, Any]]:
    """Every chunk of a collection with its vector, in one fixed order (document, line, id)."""
    data = collection.get(include=["documents", "metadatas", "embeddings"])
    records = zip(data["ids"], data["documents"], data["metadatas"], data["embeddings"], strict=True)
    return sorted(((from_record(i, d, m), v) for i, d, m, v in records),
                  key=lambda cv: (cv[0].doc_id, cv[0].line_start, cv[0].id))
