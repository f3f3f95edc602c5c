"""The KLOE catalogue: codes, canonical titles and key questions, read from the guide's contents list.

The guide's section headings word some titles differently from its contents list (for example
"S6. Learning to improve safety" against "S6. Learning from accidents and incidents"); the contents
list is canonical, so every heading is mapped onto it by code and word overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

KEY_QUESTIONS: dict[str, str] = {
    "S": "Safe",
    "E": "Effective",
    "C": "Caring",
    "R": "Responsive",
    "W": "Well-led",
}

# CQC's 2017 key lines of enquiry for adult social care, as the guide uses them.
KLOE_CODES: tuple[str, ...] = (
    "S1", "S2", "S3", "S4", "S5", "S6", "E1", "E2", "E3", "E4", "E5", "E6", "E7",
    "C1", "C2", "C3", "R1", "R2", "R3", "W1", "W2", "W3", "W4", "W5",
)

_CONTENTS_ROW = re.compile(r"^-\s*([SECRW]\d)\.?\s+(.+?)\s+-\s+(\d+)\s*$")
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class KloeSection:
    """One section of the guide as listed in its contents (S3 and others have several)."""

    code: str  # "S3"
    title: str  # "Safe staffing"
    page: int

    @property
    def key_question(self) -> str:
        return KEY_QUESTIONS[self.code[0]]

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def slug(self) -> str:
        """'S3-safe-staffing': the section's name in a URL."""
        return f"{self.code}-{re.sub(r'[^a-z0-9]+', '-', self.title.lower()).strip('-')}"


def parse_contents(lines: Iterable[str]) -> list[KloeSection]:
    """The 34 KLOE sections from the guide's contents list (`- S1. Safeguarding - 63`)."""
    out: list[KloeSection] = []
    for line in lines:
        m = _CONTENTS_ROW.match(line.strip())
        if m:
            out.append(KloeSection(m.group(1), m.group(2).strip(), int(m.group(3))))
    return out


def _words(s: str) -> set[str]:
    # crude stemming is enough to match "strategy"/"strategies", "technology"/"technologies"
    return {w[:6] for w in _WORD.findall(s.lower()) if len(w) > 2}


def canonical(code: str, heading_title: str, sections: list[KloeSection]) -> KloeSection:
    """The contents-list section that a heading with this code and wording refers to.

    Raises ValueError when the code is not in the contents list at all.
    """
    candidates = [s for s in sections if s.code == code.upper()]
    if not candidates:
        raise ValueError(f"KLOE code {code!r} is not in the guide's contents list")
    if len(candidates) == 1:
        return candidates[0]
    want = _words(heading_title)

    def overlap(s: KloeSection) -> float:
        have = _words(s.title)
        return len(want & have) / max(1, len(want | have))

    return max(candidates, key=overlap)
