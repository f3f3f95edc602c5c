"""Hard filters from the page, the API or batch input: which passages may be cited at all."""

from __future__ import annotations

from assistant.types import Chunk, Filters


def filter_values(filters: Filters) -> dict[str, list[str]]:
    """Hard filters as metadata constraints; a setting filter keeps content for all services too
    (services.service_fits, as metadata values)."""
    out: dict[str, list[str]] = {}
    if filters.service_type:
        out["service_type"] = [filters.service_type, "A", ""]
    if filters.key_question:
        out["key_question"] = [filters.key_question]
    if filters.kloe:
        out["kloe"] = [filters.kloe]
    if filters.doc_id:
        out["doc_id"] = [filters.doc_id]
    return out


def passes(chunk: Chunk, constraints: dict[str, list[str]]) -> bool:
    return all((getattr(chunk, key) or "") in values for key, values in constraints.items())
