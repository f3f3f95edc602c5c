"""Feedback on answers: thumbs up or down with an optional comment, kept in SQLite (WAL mode).

Question, answer and citations are stored only when ``ASSISTANT_FEEDBACK_LOG_TEXT`` is on: users may
type residents' details, so by default a record holds the rating, the comment, the time and which
sources were cited (document and location), nothing more. Each write is its own short transaction,
so many users giving feedback at once lose nothing.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    sources TEXT NOT NULL DEFAULT '[]',
    question TEXT,
    answer TEXT,
    citations TEXT
)
"""
FIELDS = ("id", "created", "rating", "comment", "sources", "question", "answer", "citations")


@dataclass(frozen=True)
class Feedback:
    rating: str  # "up" or "down"
    comment: str = ""
    question: str = ""
    answer: str = ""
    citations: tuple[dict[str, Any], ...] = ()


class FeedbackStore:
    """SQLite file under the data folder; safe to use from several threads and processes."""

    def __init__(self, path: Path, log_text: bool = False) -> None:
        self.path, self.log_text = path, log_text
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as e:
            raise AssistantError(
                f"Feedback could not be saved ({e}); check that {self.path.parent} is writable."
            ) from e
        try:
            db.execute("PRAGMA busy_timeout=30000")
            yield db
        finally:
            db.close()

    def add(self, item: Feedback) -> str:
        """Store one piece of feedback; returns its id. Raises AssistantError if it could not be saved."""
        if item.rating not in ("up", "down"):
            raise AssistantError("Feedback must be a thumbs up or a thumbs down.")
        sources = [{"n": c.get("n"), "doc": c.get("doc"), "kloe": c.get("kloe"), "location": c.get("location")}
                   for c in item.citations]
        row = {
            "id": uuid.uuid4().hex, "created": time.time(), "rating": item.rating, "comment": item.comment[:2000],
            "sources": json.dumps(sources),
            "question": item.question if self.log_text else None,
            "answer": item.answer if self.log_text else None,
            "citations": json.dumps(list(item.citations)) if self.log_text else None,
        }
        try:
            with self._connect() as db:
                db.execute(f"INSERT INTO feedback ({', '.join(FIELDS)}) VALUES ({', '.join('?' * len(FIELDS))})",
                           [row[f] for f in FIELDS])
        except sqlite3.Error as e:
            raise AssistantError(f"Your feedback was not saved ({e}). Please try again in a moment.") from e
        return str(row["id"])

    def all(self) -> list[dict[str, Any]]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM feedback ORDER BY created")]

    def export(self, fmt: str) -> str:
        """Every record as CSV or JSON text."""
        rows = self.all()
        if fmt == "json":
            return json.dumps(rows, ensure_ascii=False, indent=2)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(FIELDS))
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()


def feedback_store(data_dir: Path, log_text: bool) -> FeedbackStore:
    return FeedbackStore(data_dir / "feedback.sqlite3", log_text)
