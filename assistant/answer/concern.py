"""What the guide asks of anyone worried about how a person is treated (``assistant/data/concern.toml``).

A concern the guide covers ("i walked in on a senior flicking a residents ear to make him sit still") was answered
by its nearest passage and little else: of blind35's and blind36's 24 such questions, 8 said what their writers
named as the answer, which is nearly always the guide's rows on speaking up (challenge it whoever does it, blow the
whistle internally or externally without recrimination, report abuse) besides the concern's own row. Those rows
share few words with any one concern, so they are shown, cited where the guide says them, after the lead of an
answer to a question that the answered questions nearest in meaning say tells of one (retrieve/answered.py).
"""

from __future__ import annotations

import tomllib
from functools import cache

from assistant.index.reader import Snapshot
from assistant.labelled import DATA
from assistant.retrieve.answered import passages_holding, spaced_texts
from assistant.types import Passage

_DATA = DATA / "concern.toml"


@cache
def _data() -> tuple[str, tuple[str, ...], frozenset[str]]:
    data = tomllib.loads(_DATA.read_text(encoding="utf-8"))
    return (str(data["heading"]), tuple(" ".join(str(r).split()) for r in data["rows"]),
            frozenset(data.get("situations", ())))


def heading() -> str:
    """The line shown above the rows (a label ending in ':', not a claim)."""
    return _data()[0]


def rows() -> tuple[str, ...]:
    """The guide's rows on what to do about a concern, as it words them."""
    return _data()[1]


def situations() -> frozenset[str]:
    """The emergencies of safety.toml that are concerns too (abuse seen or disclosed, restraint)."""
    return _data()[2]


def raising(snap: Snapshot) -> list[tuple[Passage, str]]:
    """Each row with the passage of ``snap`` that holds it (the first, in the guide's order); a row no passage
    holds (an index of other documents) is left out. Worked out once per build."""
    spaced = spaced_texts(snap)  # outside the entry below: the build's cache lock is not re-entrant

    def found() -> list[tuple[Passage, str]]:
        held = passages_holding(tuple((row,) for row in rows()), spaced)
        return [(Passage(snap.by_id[ids[0]], 0.0), row) for row, ids in zip(rows(), held, strict=True) if ids]

    return snap.cached("concern_rows", found)
