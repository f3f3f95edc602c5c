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
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True, slots=True)
class Situation:
    id: str
    title: str
    patterns: tuple[re.Pattern[str], ...]
    first: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    patterns: tuple[re.Pattern[str], ...]
    where: str


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@cache
def situations() -> tuple[Situation, ...]:
    data = tomllib.loads((DATA / "safety.toml").read_text(encoding="utf-8"))
    return tuple(Situation(s["id"], s["title"], _compile(s["patterns"]), tuple(s["first"]))
                 for s in data["situation"])


@cache
def topics() -> tuple[Topic, ...]:
    data = tomllib.loads((DATA / "out_of_scope.toml").read_text(encoding="utf-8"))
    return tuple(Topic(t["id"], _compile(t["patterns"]), t["where"]) for t in data["topic"])


_FEMALE = re.compile(r"\b(she|she'?s|her|hers|herself|lady|woman|mum|mother|mrs|ms|miss|girl)\b", re.I)
_MALE = re.compile(r"\b(he|he'?s|him|his|himself|man|gentleman|dad|father|mr|lad)\b", re.I)
_PRONOUNS = {
    "f": {"them": "her", "their": "her", "they": "she", "they_are": "she is"},
    "m": {"them": "him", "their": "his", "they": "he", "they_are": "he is"},
    "": {"them": "them", "their": "their", "they": "they", "they_are": "they are"},
}


def _person(message: str) -> str:
    """'f' or 'm' by the first gendered word of the message, '' when it names nobody that way."""
    f, m = _FEMALE.search(message), _MALE.search(message)
    if f and (not m or f.start() < m.start()):
        return "f"
    return "m" if m else ""


def emergencies(question: str) -> list[Situation]:
    """Every situation the message describes, in the order of the data file, its lines speaking of
    the person as the message does ("stay with her")."""
    words = _PRONOUNS[_person(question)]
    return [
        Situation(s.id, s.title, s.patterns, tuple(line.format(**words) for line in s.first))
        for s in situations()
        if any(p.search(question) for p in s.patterns)
    ]


def out_of_scope(question: str) -> Topic | None:
    """The first out-of-scope topic the question is about, if any."""
    return next((t for t in topics() if any(p.search(question) for p in t.patterns)), None)
