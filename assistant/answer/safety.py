"""Safety first and out of scope: what to say before (or instead of) an answer from the guide.

The wording lives in reviewed data files (``assistant/data/safety.toml`` and ``out_of_scope.toml``),
one entry per situation, so that a care manager can review it without reading code. These lines
never come from a language model.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from assistant.labelled import DATA
from assistant.patterns import lower_case


@dataclass(frozen=True, slots=True)
class Situation:
    id: str
    title: str
    patterns: re.Pattern[str]  # the data file's patterns as one: one search per message, not one each
    first: tuple[str, ...]
    unless: re.Pattern[str] = re.compile(r"(?!)")  # matches nothing when the data file gives no exclusions
    guide: str = ""  # what to look up in the guide after the safety lines, in the guide's own words
    kloe: tuple[str, ...] = ()  # the guide's sections on the situation, favoured in that search
    # Whether the guide says what to do in the situation itself (report abuse, after a fall), not only
    # around it (preventing choking, fire drills): only then do the documents answer the message.
    covered: bool = False
    yields: tuple[str, ...] = ()  # situations whose lines say what to do instead, when they apply too

    def applies(self, message: str) -> bool:
        message = message.lower()  # the patterns are matched in lower case (assistant/patterns.py)
        # A match that names a subject of practice ("choking risks", "sepsis training") is not this
        # happening now; another match in the message may still be.
        said = any(not _PRACTICE.match(message, m.end()) for m in self.patterns.finditer(message))
        return said and not self.excluded(message)

    def excluded(self, message: str) -> bool:
        """Whether one of the situation's ``unless`` patterns matches (they hold for a message recognised by
        meaning too)."""
        return bool(self.unless.search(message.lower()))


# Words that make an emergency's name the subject of training or policy rather than an event.
_PRACTICE = re.compile(r"[\s-]+(training|risks?|policy|policies|awareness|assessments?|plans?|protocols?|tools?|"
                       r"screening|champions?|courses?|sessions?|procedures?|prevention|management|guidance|"
                       r"e-?learning|competenc\w*|pathways?)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    patterns: re.Pattern[str]
    where: str


@cache
def situations() -> tuple[Situation, ...]:
    data = tomllib.loads((DATA / "safety.toml").read_text(encoding="utf-8"))
    known = {"id", "title", "patterns", "first", "unless", "guide", "kloe", "covered", "yields"}
    for s in data["situation"]:
        # A typo ("coverd") or a string ("false") would silently say the guide answers an emergency.
        if set(s) - known or not isinstance(s.get("covered", True), bool):
            raise ValueError(f"safety.toml, situation {s.get('id')!r}: unknown keys {sorted(set(s) - known)} "
                             "or 'covered' not true/false")
    # An event of some days ago is for learning, not first aid, in the situations `past_for` names.
    past_for = set(data.get("past_for", ()))
    ids = {s["id"] for s in data["situation"]}
    if unknown := (past_for | {y for s in data["situation"] for y in s.get("yields", ())}) - ids:
        raise ValueError(f"safety.toml, past_for or yields: no situation {sorted(unknown)}")

    def unless(s: dict) -> list[str]:
        return [*s.get("unless", ()), *([data["past"]] if s["id"] in past_for else [])]

    return tuple(Situation(s["id"], s["title"], lower_case(s["patterns"], f"safety.toml, {s['id']}"),
                           tuple(s["first"]),
                           lower_case(unless(s), f"safety.toml, {s['id']}"),
                           s.get("guide", ""),
                           tuple(s.get("kloe", ())),
                           bool(s.get("guide")) and s.get("covered", True), tuple(s.get("yields", ())))
                 for s in data["situation"])


@cache
def topics() -> tuple[Topic, ...]:
    data = tomllib.loads((DATA / "out_of_scope.toml").read_text(encoding="utf-8"))
    return tuple(Topic(t["id"], lower_case(t["patterns"], f"out_of_scope.toml, {t['id']}"), t["where"])
                 for t in data["topic"])


def emergencies(question: str) -> list[Situation]:
    """Every situation the message describes, in the order of the data file, less one that yields to
    another that applies (breathing difficulty, when it is choking)."""
    message = question.lower()
    found = [s for s in situations() if s.applies(message)]
    ids = {s.id for s in found}
    return [s for s in found if not ids.intersection(s.yields)]


def out_of_scope(question: str) -> Topic | None:
    """The first out-of-scope topic the question is about, if any."""
    question = question.lower()  # the patterns are matched in lower case (assistant/patterns.py)
    return next((t for t in topics() if t.patterns.search(question)), None)
