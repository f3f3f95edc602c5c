"""Records that flow between the stages: ingest -> index -> retrieve -> answer.

Stages pass these dataclasses, never loose dicts; LangChain's ``Document`` stays inside
``index.py``. Everything here is plain data so that it pickles, compares and prints well.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from assistant.services import SERVICE_TYPES


class BlockKind(StrEnum):
    """What part of a guide section a block is. Values appear in citations (``block_type``)."""

    INTRODUCTION = "introduction"
    KEY_RECOMMENDATION = "key_recommendation"
    RECOMMENDATION = "recommendation"
    PRACTICAL_EXAMPLE = "practical_example"
    TELLING_SIGN_GOOD = "telling_sign_good"
    TELLING_SIGN_POOR = "telling_sign_poor"
    WHAT_TO_AVOID = "what_to_avoid"
    AVAILABLE_TO_HELP = "available_to_help"
    PROVIDER_STORY = "provider_story"
    PROVIDER_QUOTE = "provider_quote"
    FRONT = "front"
    BACK = "back"
    TEXT = "text"  # a passage of a document that has no guide structure

    @property
    def label(self) -> str:
        """Plain words for people: 'Practical example', 'Telling sign (good/outstanding)'."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    BlockKind.INTRODUCTION: "Introduction",
    BlockKind.KEY_RECOMMENDATION: "Key recommendation",
    BlockKind.RECOMMENDATION: "Recommendation from good and outstanding providers",
    BlockKind.PRACTICAL_EXAMPLE: "Practical example",
    BlockKind.TELLING_SIGN_GOOD: "Telling sign (good/outstanding)",
    BlockKind.TELLING_SIGN_POOR: "Telling sign (inadequate/requires improvement)",
    BlockKind.WHAT_TO_AVOID: "What to avoid",
    BlockKind.AVAILABLE_TO_HELP: "Available to help",
    BlockKind.PROVIDER_STORY: "What works for us (provider story)",
    BlockKind.PROVIDER_QUOTE: "Provider quote",
    BlockKind.FRONT: "Guide section",
    BlockKind.BACK: "Back matter",
    BlockKind.TEXT: "Passage",
}

@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One corpus file as described by ``corpus/catalogue.toml``."""

    doc_id: str  # the file name, e.g. "004_e19dd56ae5042632.txt"
    title: str
    publisher: str
    year: str
    kind: str  # "guide", "policy", "web page", "uploaded", ...
    parser: str = "generic"  # "care_guide" or "generic"
    # A line (stripped) from which on the file is not guidance, e.g. reader comments.
    not_guidance_from: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded file: its text as lines, and for PDFs the page each line came from."""

    source: SourceDoc
    lines: list[str]
    # pages[i] is the 1-based page of lines[i] (PDF only); None for text formats.
    pages: list[int] | None = None

    @property
    def doc_id(self) -> str:
        return self.source.doc_id


@dataclass(frozen=True, slots=True)
class Block:
    """A typed unit of a document: a recommendation row, a practical example, a quote...

    ``lines`` holds every 1-based source line the block consumed (marker and header lines
    included), so that a test can check that each non-blank line lands in exactly one block.
    """

    doc_id: str
    kind: BlockKind
    text: str  # cleaned: no HTML, markdown links or quote glyphs; words as in the source
    line_start: int
    line_end: int
    lines: tuple[int, ...] = ()
    key_question: str | None = None  # "Safe", "Effective", "Caring", "Responsive", "Well-led"
    kloe: str | None = None  # "S1" ... "W5"
    kloe_title: str | None = None  # canonical title from the guide's contents list
    section: str | None = None  # the heading the block sits under (front matter sub-heading too)
    service_type: str | None = None  # "A", "R", "C" or None where the guide gives no tag
    provider: str | None = None  # provider, speaker or role where named
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Chunk:
    """What is embedded and stored: one or a few blocks, with the heading path in front."""

    id: str
    doc_id: str
    text: str  # the passage as cited
    heading_path: str  # "Safe > S1 Safeguarding > Practical example (R)"
    kind: BlockKind
    line_start: int
    line_end: int
    key_question: str | None = None
    kloe: str | None = None
    kloe_title: str | None = None
    section: str | None = None
    service_type: str | None = None
    provider: str | None = None
    page: int | None = None
    doc_title: str = ""
    publisher: str = ""

    @property
    def embed_text(self) -> str:
        return f"{self.heading_path}: {self.text}"

    @property
    def location(self) -> str:
        if self.page is not None:
            return f"page {self.page}"
        if self.line_start == self.line_end:
            return f"line {self.line_start}"
        return f"lines {self.line_start}-{self.line_end}"


@dataclass(frozen=True, slots=True)
class Filters:
    """Hard filters from the UI or the batch input; None means no filter."""

    service_type: str | None = None
    key_question: str | None = None
    kloe: str | None = None
    doc_id: str | None = None


@dataclass(slots=True)
class Passage:
    """A retrieved chunk with the score that ranked it (higher is better)."""

    chunk: Chunk
    score: float


@dataclass(frozen=True, slots=True)
class Citation:
    """A numbered source of an answer; the keys are the batch contract's."""

    n: int
    doc: str
    title: str
    publisher: str
    key_question: str | None
    kloe: str | None
    kloe_title: str | None
    block_type: str
    service_type: str | None
    provider: str | None
    location: str
    text: str
    score: float
    section: str | None = None

    @classmethod
    def from_passage(cls, n: int, passage: Passage) -> Citation:
        c = passage.chunk
        return cls(
            n=n,
            doc=c.doc_id,
            title=c.doc_title,
            publisher=c.publisher,
            key_question=c.key_question,
            kloe=c.kloe,
            kloe_title=c.kloe_title,
            block_type=c.kind.value,
            service_type=c.service_type,
            provider=c.provider,
            location=c.location,
            text=c.text,
            score=round(passage.score, 4),
            section=c.section,
        )

    @property
    def where(self) -> str:
        """Where in the document: the KLOE code and title, else the section or the key question."""
        return f"{self.kloe} {self.kloe_title}" if self.kloe else (self.section or self.key_question or "")

    @property
    def kind_label(self) -> str:
        """The block kind as people read it ("Recommendation", "Practical example")."""
        kind = BlockKind._value2member_map_.get(self.block_type)
        return kind.label if isinstance(kind, BlockKind) else self.block_type.replace("_", " ")

    @property
    def service_name(self) -> str:
        return SERVICE_TYPES.get(self.service_type or "", "")

    def line(self, document: bool = True) -> str:
        """The one plain-text form of a citation (CLI, API, exports, reports, checklists): its number,
        the document, the key question, KLOE code and title, block kind, service type, provider and
        location. Without ``document``, the short form for a table whose rows all cite the guide."""
        kq = f"{self.key_question} > " if self.key_question and self.kloe else ""
        what = ", ".join(x for x in (self.kind_label, self.service_name, self.provider) if x)
        place = " · ".join(x for x in (f"{kq}{self.where}", what, self.location) if x)
        return f"[{self.n}] {self.title} ({self.publisher}) · {place}" if document else place


@dataclass(slots=True)
class Answer:
    text: str
    citations: list[Citation]
    answerable: bool
    mode: str = "grounded"  # the configured writer: grounded, ollama, openai or gguf
    latency_ms: float = 0.0
    question: str = ""  # the question as resolved (follow-ups expanded)
    generated: bool = False  # True when the text is a model's reply that passed the check
    # Why a configured model's reply is not shown ("timeout", "unreachable", "error", "unsupported",
    # "declined"); empty when it is, or when the model was not asked (grounded mode, safety, refusals).
    fallback: str = ""
    # One sentence for people: who wrote this answer, or why the model's reply is not shown; in grounded
    # mode, which planning tab does more for the request (a supervision session, an inspection checklist).
    note: str = ""

    def record(self) -> dict[str, Any]:
        """The one mapping of an answer to a record: the batch contract's keys (less the id), also sent
        by /v1 and kept with feedback."""
        return {
            "answer": self.text,
            "answerable": self.answerable,
            "mode": self.mode,
            "latency_ms": self.latency_ms,
            "citations": [asdict(c) for c in self.citations],
            # Added keys: whether a model wrote the text (checked), why not if one is configured, and the note.
            "generated": self.generated,
            "fallback": self.fallback or None,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Turn:
    """One exchange of a conversation, as the web chat keeps it on the server and exports it."""

    question: str
    answer: Answer
