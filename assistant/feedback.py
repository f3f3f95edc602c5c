"""Feedback on answers: thumbs up or down with an optional comment, kept in a database.

The database is a SQLite file under the data folder (WAL mode) by default, or a server database such
as PostgreSQL when ``ASSISTANT_FEEDBACK_URL`` names one (so every replica writes to the same place).
Both go through the same SQLAlchemy Core code.

Question, answer and citations are stored only when ``ASSISTANT_FEEDBACK_LOG_TEXT`` is on: users may
type residents' details, so by default a record holds the rating, the comment, the time and which
sources were cited (document and location), nothing more.

Nothing is dropped when a server database cannot be reached: the record goes to an outbox, a small
SQLite file in this machine's data folder with the same table, and is sent with the next feedback or
by the web app's background flush. Every record has its id from the start and the database ignores an
id it already holds, so a record that was sent just before a crash is not stored twice.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.types import Answer

log = logging.getLogger(__name__)

FIELDS = ("id", "created", "rating", "comment", "sources", "question", "answer", "citations")
SAVED = "Thank you: your feedback was saved."
QUEUED = ("Thank you. The feedback database cannot be reached just now, so your feedback was saved on this "
          "machine; it will be sent when the database is back.")


@dataclass(frozen=True)
class Feedback:
    rating: str  # "up" or "down"
    comment: str = ""
    question: str = ""
    answer: Answer | None = None  # the answer rated, with its citations


@dataclass(frozen=True)
class Receipt:
    """What happened to one piece of feedback: stored in the database, or kept in the outbox."""

    id: str
    queued: bool

    @property
    def message(self) -> str:
        return QUEUED if self.queued else SAVED


@runtime_checkable
class FeedbackSink(Protocol):
    """Where feedback goes. ``add`` raises AssistantError only when the feedback was not kept at all."""

    def add(self, item: Feedback) -> Receipt: ...

    def add_comment(self, record_id: str, comment: str) -> Receipt: ...

    def all(self) -> list[dict[str, Any]]: ...


_IMPORTING = threading.Lock()
_IMPORTED: list[bool] = []  # set once every thread may import from SQLAlchemy freely


def _import_sqlalchemy() -> None:
    """Import SQLAlchemy once, one thread at a time: two threads giving the first feedback at once could
    each meet its package half-initialised ("cannot import name 'AdaptedConnection' from partially
    initialized module 'sqlalchemy.engine'", seen in CI). Afterwards it is a lookup."""
    if _IMPORTED:
        return
    with _IMPORTING:
        # Every module used below, so that no thread meets one half-imported by another.
        import sqlalchemy
        import sqlalchemy.dialects.postgresql
        import sqlalchemy.dialects.sqlite
        import sqlalchemy.engine
        import sqlalchemy.exc
        import sqlalchemy.schema  # noqa: F401
        _IMPORTED.append(True)


def _table(metadata: Any) -> Any:
    from sqlalchemy import CheckConstraint, Column, Float, Table, Text

    return Table(
        "feedback", metadata,
        Column("id", Text, primary_key=True),
        Column("created", Float, nullable=False),
        Column("rating", Text, CheckConstraint("rating IN ('up', 'down')"), nullable=False),
        Column("comment", Text, nullable=False, server_default=""),
        Column("sources", Text, nullable=False, server_default="[]"),
        Column("question", Text),
        Column("answer", Text),
        Column("citations", Text),
    )


_BUSY_S = 30  # how long a SQLite writer waits for another before it gives up


def _wal(cur: Any) -> None:
    """Put a SQLite file in WAL mode (it stays so), trying again while another connection holds it.

    SQLite answers "database is locked" at once, without waiting its busy timeout, when two connections
    switch a new file to WAL together, or one switches while another writes (CI met it in a run of eight
    first writers; here about one such writer in a thousand does). The other is quick, so waiting is enough."""
    deadline = time.monotonic() + _BUSY_S
    while cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cur.execute("PRAGMA journal_mode=WAL")
        except Exception as e:  # the driver's OperationalError, whichever driver it is
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class SqlFeedback:
    """One feedback table in one database (any SQLAlchemy URL; SQLite and PostgreSQL are tested).

    Nothing connects until the first read or write, so a server that is down at start-up is no error.
    Raises SQLAlchemy errors as they come: the caller decides what a failure means.
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self._lock = threading.Lock()
        self._ready = False

    # SQLAlchemy (about 11 MB in a serving process) is imported when feedback is first given or read.
    @cached_property
    def url(self) -> Any:
        _import_sqlalchemy()
        from sqlalchemy.engine import make_url

        return make_url(self._url)

    @property
    def sqlite(self) -> bool:
        return bool(self.url.get_backend_name() == "sqlite")

    @cached_property
    def table(self) -> Any:
        _import_sqlalchemy()
        from sqlalchemy import MetaData

        return _table(MetaData())

    @property
    def engine(self) -> Any:
        with self._lock:
            if "_engine" not in self.__dict__:
                self.__dict__["_engine"] = self._connect()
            return self.__dict__["_engine"]

    def _connect(self) -> Any:
        _import_sqlalchemy()
        from sqlalchemy import create_engine, event

        if self.sqlite:
            engine = create_engine(self.url, connect_args={"timeout": _BUSY_S})

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi: Any, _record: Any) -> None:
                cur = dbapi.cursor()
                _wal(cur)
                cur.execute("PRAGMA synchronous=FULL")  # the outbox must survive a power cut
                cur.close()
            return engine
        # pre_ping: a pooled connection from before a database restart is replaced, not used and failed.
        args = {"connect_timeout": 5} if self.url.get_backend_name() == "postgresql" else {}
        return create_engine(self.url, pool_pre_ping=True, connect_args=args)

    @property
    def where(self) -> str:
        """The database, without its password, for messages and logs."""
        return self.url.render_as_string(hide_password=True)

    def _ensure(self) -> None:
        if self._ready:
            return
        if self.sqlite:
            Path(self.url.database or "").parent.mkdir(parents=True, exist_ok=True)
        _import_sqlalchemy()
        from sqlalchemy import inspect
        from sqlalchemy.exc import DBAPIError
        from sqlalchemy.schema import CreateTable

        try:
            with self.engine.begin() as db:
                db.execute(CreateTable(self.table, if_not_exists=True))
        except DBAPIError:
            # Two writers creating the table at the same moment: fine if the other one won.
            if not inspect(self.engine).has_table(self.table.name):
                raise
        self._ready = True

    def insert(self, rows: Iterable[dict[str, Any]]) -> None:
        """Store rows in one transaction; a row whose id is already there is skipped (sending is repeatable)."""
        rows = list(rows)
        if not rows:
            return
        self._ensure()  # (imports SQLAlchemy, one thread at a time)
        if self.sqlite:
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        with self.engine.begin() as db:
            db.execute(insert(self.table).on_conflict_do_nothing(index_elements=["id"]), rows)

    def rows(self, limit: int | None = None) -> list[dict[str, Any]]:
        _import_sqlalchemy()
        from sqlalchemy import select

        self._ensure()
        query = select(self.table).order_by(self.table.c.created)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as db:
            return [dict(r._mapping) for r in db.execute(query)]

    def set_comment(self, record_id: str, comment: str) -> bool:
        """Put a comment on a stored record; False when no record has that id."""
        self._ensure()
        with self.engine.begin() as db:
            done = db.execute(self.table.update().where(self.table.c.id == record_id).values(comment=comment))
        return bool(done.rowcount)

    def delete(self, ids: list[str]) -> None:
        if ids:
            with self.engine.begin() as db:
                db.execute(self.table.delete().where(self.table.c.id.in_(ids)))

    def count(self) -> int:
        _import_sqlalchemy()
        from sqlalchemy import func, select

        self._ensure()
        with self.engine.connect() as db:
            return int(db.execute(select(func.count()).select_from(self.table)).scalar_one())


class FeedbackStore:
    """The feedback database, with an outbox on this machine when the database is a server."""

    def __init__(self, url: str, log_text: bool = False, outbox: Path | None = None) -> None:
        self.db = SqlFeedback(url)
        self.log_text = log_text
        self.outbox = SqlFeedback(sqlite_url(outbox)) if outbox is not None else None
        self._outbox_path = outbox
        self._flush_lock = threading.Lock()
        self._stop = threading.Event()

    def record(self, item: Feedback) -> dict[str, Any]:
        if item.rating not in ("up", "down"):
            raise AssistantError("Feedback must be a thumbs up or a thumbs down.")
        record = item.answer.record() if item.answer is not None else {"answer": "", "citations": []}
        # Which passages were cited is kept always (it names no person); what was asked and said only with
        # feedback logging on.
        sources = [{k: c[k] for k in ("n", "doc", "kloe", "location")} for c in record["citations"]]
        return {
            "id": uuid.uuid4().hex, "created": time.time(), "rating": item.rating, "comment": item.comment[:2000],
            "sources": json.dumps(sources),
            "question": item.question if self.log_text else None,
            "answer": record["answer"] if self.log_text else None,
            "citations": json.dumps(record["citations"]) if self.log_text else None,
        }

    def add(self, item: Feedback) -> Receipt:
        """Store one piece of feedback, or keep it in the outbox when the database cannot be reached.

        Raises AssistantError only when it could be kept nowhere."""
        _import_sqlalchemy()
        from sqlalchemy.exc import SQLAlchemyError

        row = self.record(item)
        try:
            self.db.insert([row])
        except (SQLAlchemyError, OSError) as e:
            problem = _short(e)
            if self.outbox is None:
                log.error("Feedback not saved in %s: %s", self.db.where, problem)
                raise AssistantError("Your feedback was not saved: it could not be written to the feedback "
                                     "database. Please try again in a moment; if it keeps happening, tell "
                                     "whoever runs this assistant.") from e
            try:
                self.outbox.insert([row])
            except (SQLAlchemyError, OSError) as e2:
                log.error("Feedback not saved: %s unreachable (%s) and the outbox %s failed (%s)",
                          self.db.where, problem, self._outbox_path, _short(e2))
                raise AssistantError(
                    "Your feedback was not saved: the feedback database cannot be reached and it could not be "
                    "kept on this machine either. Please try again later, and tell whoever runs this assistant."
                ) from e2
            log.warning("Feedback database %s unreachable (%s); one record kept in the outbox %s",
                        self.db.where, problem, self._outbox_path)
            return Receipt(row["id"], queued=True)
        try:
            self.flush()  # the database answers again: send what waited
        except (SQLAlchemyError, OSError) as e:
            log.warning("Feedback outbox not sent yet: %s", _short(e))
        return Receipt(row["id"], queued=False)

    def add_comment(self, record_id: str, comment: str) -> Receipt:
        """Add a comment to a rating already given (the web page asks for one after the thumb), wherever
        the rating is: in the database, or still in the outbox. Raises AssistantError if it is nowhere."""
        _import_sqlalchemy()
        from sqlalchemy.exc import SQLAlchemyError

        comment = comment.strip()[:2000]
        for _ in range(2):  # a flush may move the record from the outbox to the database in between
            try:
                if self.db.set_comment(record_id, comment):
                    return Receipt(record_id, queued=False)
            except (SQLAlchemyError, OSError) as e:
                log.warning("Feedback database %s unreachable for a comment (%s)", self.db.where, _short(e))
            if self.outbox is not None:
                try:
                    with self._flush_lock:
                        if self.outbox.set_comment(record_id, comment):
                            return Receipt(record_id, queued=True)
                except (SQLAlchemyError, OSError) as e:
                    log.error("Feedback outbox %s failed for a comment (%s)", self._outbox_path, _short(e))
        raise AssistantError("Your comment was not saved: the feedback database cannot be reached. Your rating "
                             "is kept; please try the comment again in a moment.")

    def pending(self) -> int:
        """Records waiting in this machine's outbox."""
        if self.outbox is None or self._outbox_path is None or not self._outbox_path.exists():
            return 0
        return self.outbox.count()

    def flush(self) -> int:
        """Send what waits in the outbox; returns how many were sent. Raises SQLAlchemyError if the
        database is still unreachable (the records stay where they are)."""
        if not self.pending():
            return 0
        sent = 0
        with self._flush_lock:
            while batch := self.outbox.rows(limit=500):  # type: ignore[union-attr]
                self.db.insert(batch)  # a record already there (sent before a crash) is skipped
                self.outbox.delete([r["id"] for r in batch])  # type: ignore[union-attr]
                sent += len(batch)
        if sent:
            log.warning("Sent %d feedback record(s) from the outbox to %s", sent, self.db.where)
        return sent

    def flush_in_background(self, every: float) -> threading.Thread | None:
        """A daemon thread that tries the outbox every ``every`` seconds (only when it holds something)."""
        if self.outbox is None:
            return None
        _import_sqlalchemy()
        from sqlalchemy.exc import SQLAlchemyError

        def loop() -> None:
            while not self._stop.wait(every):
                try:
                    self.flush()
                except (SQLAlchemyError, OSError) as e:
                    log.info("Feedback outbox not sent yet: %s", _short(e))

        thread = threading.Thread(target=loop, name="feedback-outbox", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stop.set()

    def all(self) -> list[dict[str, Any]]:
        """Every record in the database. Raises AssistantError when it cannot be reached."""
        _import_sqlalchemy()
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return self.db.rows()
        except SQLAlchemyError as e:
            raise AssistantError(f"The feedback database {self.db.where} cannot be read ({_short(e)}). "
                                 "Check that it is running and that ASSISTANT_FEEDBACK_URL is right.") from e

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


def _short(e: BaseException) -> str:
    """The first line of a database error, without SQLAlchemy's SQL and background links."""
    orig = getattr(e, "orig", None) or e
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return text[:200]


def feedback_store(settings: Settings) -> FeedbackStore:
    """The feedback database the settings name: ``ASSISTANT_FEEDBACK_URL``, or SQLite in the data folder.

    With a server database, undeliverable feedback waits in ``<data_dir>/feedback-outbox.sqlite3``."""
    if settings.feedback_url:
        return FeedbackStore(settings.feedback_url, settings.feedback_log_text,
                             outbox=settings.data_dir / "feedback-outbox.sqlite3")
    return FeedbackStore(sqlite_url(settings.data_dir / "feedback.sqlite3"), settings.feedback_log_text)
