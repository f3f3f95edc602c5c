"""Then and now: the guide's 2017 KLOEs beside CQC's quality statements, through an indicative mapping.

The mapping lives in ``assistant/data/quality_statements.toml`` with a reason for each link. It is
this project's reading, not CQC's, and every place that shows it says so.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from assistant.answer.grounded import mark_all, with_marker
from assistant.kloe import KEY_QUESTIONS, KLOE_CODES
from assistant.types import Answer, Citation

MAPPING_FILE = "quality_statements.toml"
MAPPING_TITLE = "Indicative KLOE to quality statement mapping"
MAPPING_PUBLISHER = "Care Guide Assistant project (not CQC)"
LABEL = "Indicative, not CQC's own mapping"


@dataclass(frozen=True, slots=True)
class Link:
    kloe: str
    statement: str
    key_question: str  # the statement's key question
    reason: str


@dataclass(frozen=True)
class Mapping:
    statements: dict[str, tuple[str, ...]]  # key question -> statements in CQC's order
    links: tuple[Link, ...]
    caveat: str
    source: str

    def for_kloe(self, code: str) -> list[Link]:
        return [link for link in self.links if link.kloe == code.upper()]

    def for_statement(self, statement: str) -> list[Link]:
        return [link for link in self.links if link.statement.lower() == statement.lower()]

    def problems(self) -> list[str]:
        """What is wrong with the data file; empty when every KLOE and statement is linked."""
        out = []
        known = {s for group in self.statements.values() for s in group}
        if len(known) != 34:
            out.append(f"{len(known)} quality statements listed, CQC has 34")
        if set(self.statements) != set(KEY_QUESTIONS.values()):
            out.append(f"key questions are {sorted(self.statements)}")
        for link in self.links:
            if link.kloe not in KLOE_CODES:
                out.append(f"unknown KLOE {link.kloe}")
            if link.statement not in known:
                out.append(f"unknown statement {link.statement!r}")
            if not link.reason.strip():
                out.append(f"{link.kloe} -> {link.statement} has no reason")
        out += [f"KLOE {c} has no link" for c in KLOE_CODES if not self.for_kloe(c)]
        out += [f"statement {s!r} has no link" for s in sorted(known) if not self.for_statement(s)]
        pairs = [(link.kloe, link.statement) for link in self.links]
        out += [f"{p} is listed twice" for p in {p for p in pairs if pairs.count(p) > 1}]
        return out


@lru_cache(maxsize=1)
def load_mapping() -> Mapping:
    data = tomllib.loads(resources.files("assistant.data").joinpath(MAPPING_FILE).read_text(encoding="utf-8"))
    statements = {kq: tuple(items) for kq, items in data["statements"].items()}
    kq_of = {s: kq for kq, items in statements.items() for s in items}
    links = tuple(Link(kloe=row["kloe"].upper(), statement=row["statement"],
                       key_question=kq_of.get(row["statement"], "?"), reason=row["reason"])
                  for row in data["link"])
    return Mapping(statements=statements, links=links, caveat=data["about"]["caveat"],
                   source=data["about"]["source"])


def mapping_text(code: str, title: str) -> str:
    """The mapping for one KLOE as a citable passage (it is what the answer's sentences quote)."""
    m = load_mapping()
    lines = [f"{code} {title} (CQC key line of enquiry, 2017) lines up with these quality statements:"]
    lines += [f"- {link.statement} ({link.key_question}): {link.reason}" for link in m.for_kloe(code)]
    lines.append(m.caveat)
    return "\n".join(lines)


# CQC's framework after the guide's, named: asked about without a KLOE to translate, the documents cannot
# answer (asks_about_later_framework).
_LATER_FRAMEWORK = re.compile(r"quality statements?|single assessment|\bSAF\b|(?:new|current|latest) (?:cqc )?"
                              r"(?:assessment )?framework", re.I)
# "What is S1 called now?", "which quality statement is W2", "S4 in the new framework"
_NOW = re.compile(_LATER_FRAMEWORK.pattern + r"|called now|now called|\bnow\b.*\bcalled\b|renamed|replaced|"
                  r"equivalent|maps? (?:on)?to|mapping|nowadays|these days|since 202\d|then and now", re.I)
_CODE = re.compile(r"\b([SECRW])\s?([1-7])\b", re.I)


LATER_FRAMEWORK = ("The guide dates from 2018, before CQC's single assessment framework and its quality statements "
                   "(2023), so these documents do not cover them: the guide is organised by CQC's 2017 key lines of "
                   "enquiry. Name a key line of enquiry to see which quality statements it lines up with in this "
                   "project's indicative mapping, for example 'What is S1 called now?'")


def asks_about_later_framework(question: str) -> bool:
    """Whether a question asks about CQC's framework after the guide's, naming no KLOE to translate."""
    return bool(_LATER_FRAMEWORK.search(question)) and not asks_then_and_now(question)


def asks_then_and_now(question: str) -> list[str]:
    """The KLOE codes a question asks to translate into quality statements (empty: it does not)."""
    if not _NOW.search(question):
        return []
    codes = [f"{a.upper()}{b}" for a, b in _CODE.findall(question)]
    return [c for c in dict.fromkeys(codes) if c in KLOE_CODES]


def answer(codes: list[str], titles: dict[str, str]) -> Answer:
    """A cited answer naming the statements each KLOE lines up with, labelled as indicative."""
    m = load_mapping()
    citations: list[Citation] = []
    sentences: list[str] = []
    for code in codes:
        title = titles.get(code, "")
        n = len(citations) + 1
        citations.append(Citation(
            n=n, doc=MAPPING_FILE, title=MAPPING_TITLE, publisher=MAPPING_PUBLISHER,
            key_question=KEY_QUESTIONS[code[0]], kloe=code, kloe_title=title, block_type="mapping",
            service_type="A", provider=None,
            location=f"assistant/data/{MAPPING_FILE}", text=mapping_text(code, title), score=1.0,
            section="Then and now"))
        names = [f"{link.statement} ({link.key_question})" for link in m.for_kloe(code)]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        sentences.append(with_marker(f"{code} {title} (CQC key line of enquiry, 2017) lines up with these "
                                     f"quality statements: {listed}.", n))
        sentences += [f"- {link.statement}: {with_marker(link.reason, n)}" for link in m.for_kloe(code)]
    sentences.append(mark_all(m.caveat, 1))
    return Answer(text="\n".join(sentences), citations=citations, answerable=True)
