"""Feedback in SQLite, the default (concurrency, privacy, export), and conversation exports (Markdown, PDF)
read back. PostgreSQL and the outbox: test_feedback_postgres.py."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.errors import AssistantError
from assistant.feedback import Feedback, FeedbackStore, feedback_store, sqlite_url
from assistant.settings import Settings
from assistant.tools.export import to_markdown, to_pdf
from assistant.types import Answer, Citation, Turn
from tests.conftest import ROOT, venv_env

CITATION = Citation(n=1, doc="004_e19dd56ae5042632.txt", title="Good and outstanding care guide",
                    publisher="Skills for Care", key_question="Safe", kloe="S1", kloe_title="Safeguarding",
                    block_type="recommendation", service_type="A", provider=None, location="lines 1104-1107",
                    text="Include safeguarding discussions in every staff supervision and team meeting.", score=0.5)
ANSWER = Answer(text="Call 999 [1].", citations=[CITATION], answerable=True)


def _sqlite(data_dir: Path, log_text: bool = False) -> FeedbackStore:
    return feedback_store(Settings(data_dir=data_dir, feedback_log_text=log_text))


def test_many_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    store = _sqlite(tmp_path)
    threads, per_thread = 8, 50
    errors: list[BaseException] = []

    def write(t: int) -> None:
        try:
            own = FeedbackStore(sqlite_url(path))  # each replica process has its own engine
            for i in range(per_thread):
                own.add(Feedback(rating="up" if (t + i) % 2 else "down", comment=f"t{t}-{i}"))
        except BaseException as e:  # collected, so a failure in a thread fails the test
            errors.append(e)

    workers = [threading.Thread(target=write, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, [repr(e.__cause__ or e) for e in errors]  # the database's own words, if it fails
    rows = store.all()
    assert len(rows) == threads * per_thread
    assert len({r["comment"] for r in rows}) == threads * per_thread
    assert _journal_mode(path) == "wal"


def _journal_mode(path: Path) -> str:
    import sqlite3

    with sqlite3.connect(path) as db:
        return str(db.execute("PRAGMA journal_mode").fetchone()[0])


def test_question_text_is_kept_only_when_switched_on(tmp_path: Path) -> None:
    item = Feedback(rating="down", comment="missed the point", question="Mrs K fell", answer=ANSWER)
    private = _sqlite(tmp_path / "a")
    private.add(item)
    row = private.all()[0]
    assert row["question"] is None and row["answer"] is None and row["citations"] is None
    assert json.loads(row["sources"]) == [{"n": 1, "doc": CITATION.doc, "kloe": "S1",
                                           "location": "lines 1104-1107"}]
    logged = _sqlite(tmp_path / "b", log_text=True)
    logged.add(item)
    kept = logged.all()[0]
    assert kept["question"] == "Mrs K fell" and kept["answer"] == "Call 999 [1]."
    assert json.loads(kept["citations"])[0]["text"] == CITATION.text


def test_bad_feedback_and_unwritable_folder(tmp_path: Path) -> None:
    with pytest.raises(AssistantError):
        _sqlite(tmp_path).add(Feedback(rating="meh"))
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    with pytest.raises(AssistantError) as err:
        _sqlite(blocked).add(Feedback(rating="up"))
    assert str(err.value) == ("Your feedback was not saved: it could not be written to the feedback database. "
                              "Please try again in a moment; if it keeps happening, tell whoever runs this assistant.")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_feedback_export_command(tmp_path: Path, fmt: str) -> None:
    store = _sqlite(tmp_path)
    store.add(Feedback(rating="up", comment="clear, thanks"))
    store.add(Feedback(rating="down", comment="wrong KLOE"))
    out = tmp_path / f"feedback.{fmt}"
    proc = subprocess.run([sys.executable, "-m", "assistant", "feedback", "export", "--format", fmt, "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, env=venv_env(Settings(data_dir=tmp_path)))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8")
    rows = json.loads(text) if fmt == "json" else list(csv.DictReader(io.StringIO(text)))
    assert [r["comment"] for r in rows] == ["clear, thanks", "wrong KLOE"]
    assert [r["rating"] for r in rows] == ["up", "down"]


@pytest.fixture(scope="module")
def turns(assistant) -> list[Turn]:
    out: list[Turn] = []
    for q in ("How do we make sure new staff understand safeguarding?", "And what should we avoid?"):
        out.append(Turn(q, assistant.ask(q, [t.question for t in out])))
    return out


def test_markdown_export_has_questions_answers_and_cited_passages(turns: list[Turn]) -> None:
    md = to_markdown(turns)
    assert md.startswith("# Care Guide Assistant: conversation record")
    assert "## 1. How do we make sure new staff understand safeguarding?" in md
    assert "## 2. And what should we avoid?" in md
    first = turns[0].answer.citations[0]
    assert f"- {first.line()}" in md, "each source names document, key question, KLOE, kind, service, location"
    assert first.text.splitlines()[0] in md and "\u2060" not in md


def test_pdf_export_opens_and_holds_the_cited_passages(turns: list[Turn], tmp_path: Path) -> None:
    path = to_pdf(turns, tmp_path / "record.pdf")
    text = " ".join((page.extract_text() or "") for page in PdfReader(path).pages)
    flat = " ".join(text.split())
    assert "How do we make sure new staff understand safeguarding?" in flat
    words = turns[0].answer.citations[0].text.replace("’", "'").split()[:8]
    assert " ".join(words) in flat


def test_first_feedback_from_many_threads_in_a_fresh_process_imports_cleanly(tmp_path: Path) -> None:
    """The first feedback of a process, given from eight threads at once, each importing SQLAlchemy on first
    use: none may meet it half-imported ("cannot import name 'AdaptedConnection' from partially initialized
    module", seen in CI about one run in twelve before the import was made one thread at a time). Fresh
    interpreters, as the race is only in the first import."""
    script = (
        "import sys, threading\n"
        "from pathlib import Path\n"
        "from assistant.feedback import Feedback, FeedbackStore, sqlite_url\n"
        "errors = []\n"
        "def write(t):\n"
        "    try:\n"
        "        FeedbackStore(sqlite_url(Path(sys.argv[1]))).add(Feedback(rating='up', comment=f't{t}'))\n"
        "    except BaseException as e:\n"
        "        errors.append(repr(e.__cause__ or e))\n"
        "threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(errors or 'ok')\n"
    )
    for run in range(4):
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path / f"f{run}.db")], capture_output=True,
                              text=True, timeout=120, cwd=Path(__file__).resolve().parent.parent)
        assert done.stdout.strip() == "ok", done.stdout + done.stderr


def test_feedback_to_a_new_file_that_another_connection_is_writing_waits_for_it(tmp_path: Path) -> None:
    """SQLite refuses to switch a file to WAL at once ("database is locked", no busy wait) while another
    connection writes it, as when eight first writers start together: the feedback waits and is kept."""
    path = tmp_path / "feedback.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE other (a)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO other VALUES (1)")
    release = threading.Timer(0.5, other.execute, ["COMMIT"])
    release.start()
    store = FeedbackStore(sqlite_url(path))
    receipt = store.add(Feedback(rating="up", comment="kept"))
    release.join()
    assert [r["comment"] for r in store.all()] == ["kept"] and not receipt.queued
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
