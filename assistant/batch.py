"""The batch contract (../shared/DESIGN.md): JSON lines in, one JSON line out per line, in order.

Evaluation scripts and other tools depend on this shape: keep it stable and extend it only by
adding keys. A line that cannot be answered gets the same keys plus ``error``, one plain sentence.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO, Any, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from assistant.errors import AssistantError
from assistant.types import Answer, Filters


class BatchIn(BaseModel):
    """One input line. ``id`` is echoed back exactly as given, whatever its JSON type."""

    model_config = ConfigDict(extra="ignore")
    id: Any = None
    question: str
    history: list[str] = []
    filters: dict[str, Any] | None = None


class Answerer(Protocol):
    def ask(self, question: str, history: Iterable[str] = (), filters: Filters | dict | None = None) -> Answer: ...


def answer_record(qid: Any, answer: Answer) -> dict[str, Any]:
    return {"id": qid, **answer.record()}


def error_record(qid: Any, message: str, mode: str = "grounded") -> dict[str, Any]:
    return {"id": qid, "answer": "", "answerable": False, "mode": mode, "latency_ms": 0.0,
            "citations": [], "generated": False, "fallback": None, "note": "", "error": message}


def answer_line(assistant: Answerer, line: str) -> dict[str, Any]:
    """The output record for one input line; never raises for bad input."""
    qid = None
    mode = getattr(assistant, "mode", "grounded")  # error lines say which mode was asked too

    def fail(qid: Any, message: str) -> dict[str, Any]:
        return error_record(qid, message, mode)

    try:
        raw = json.loads(line)
        if not isinstance(raw, dict):
            return fail(None, "Each line must be one JSON object with a \"question\".")
        qid = raw.get("id")
        item = BatchIn.model_validate(raw)
        return answer_record(qid, assistant.ask(item.question, item.history, item.filters))
    except json.JSONDecodeError:
        return fail(qid, "This line is not valid JSON; each line must be one JSON object.")
    except ValidationError as e:
        where = ".".join(str(x) for x in e.errors()[0]["loc"]) or "line"
        return fail(qid, f"This line's {where!r} is missing or of the wrong type; "
                         "each line needs at least a \"question\" string.")
    except AssistantError as e:
        return fail(qid, str(e))
    except Exception as e:  # one bad line must not stop the others; the kind goes to stderr
        print(f"batch: unexpected {type(e).__name__} on line with id {qid!r}", file=sys.stderr)
        return fail(qid, "Something went wrong answering this line; please report it with the line.")


def run_batch(assistant: Answerer, lines: Iterable[str], out: IO[str]) -> int:
    """Answer each non-blank line in order; returns how many lines got an error record."""
    failures = 0
    for line in lines:
        if not line.strip():
            continue
        record = answer_line(assistant, line)
        failures += "error" in record
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    return failures
