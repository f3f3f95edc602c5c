"""Structure parser for Skills for Care's *Good and outstanding care guide* (2018 online edition).

The guide is an export of a web page. Its body repeats one pattern per key question: an introduction page,
a "Key recommendations" page, then KLOE sections made of an introduction, TAB-separated tables with a
service-type cell (recommendations, practical examples, what to avoid), telling-sign quotes alternating
with the speaker's role, "What works for us" stories, pull quotes followed by their attribution lines and
a list of resources. Nothing marks where a block ends, so each block runs until the next marker line.

``parse_care_guide`` turns the whole file into typed ``Block``s in file order and accounts for every
non-blank line: marker lines (headings, table headers, sub-heads, tags on their own line) are listed in
the ``lines`` of the block they introduce or belong to, so a test can prove that nothing was dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from assistant.ingest.clean import clean_line, clean_text
from assistant.kloe import KEY_QUESTIONS, KloeSection, canonical, parse_contents
from assistant.types import Block, BlockKind, Document

__all__ = ["body_range", "parse_care_guide"]

_KEY_QUESTION_NAMES = frozenset(KEY_QUESTIONS.values())
_HEADING = re.compile(r"^([SECRW]\d)\.?\s+(\S.*)$")
# A service-type cell: "A", "<p>A</p>", "<div>R</div>" or empty.
_TAG_CELL = re.compile(r"^(?:<(?:p|div)>)?\s*([ARC]?)\s*(?:</(?:p|div)>)?$")
_LIST_ITEM = re.compile(r"^(?:-|\d+\.)\s")
_FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Oo]urs?|[Uu]s|[Mm]y)\b")
_CITATION = re.compile(r"\bCQC\b|\b(?:19|20)\d\d\b")
_SENTENCE_END = ".!?:;”\"’'"
_QUOTE_START = ("“", '"', "☞", "☾", "**")
_BOLD_MARK = re.compile(r"\*{2,}")
# A front-matter resource: "Accolades - www.skillsforcare.org.uk/accolades".
_WEB_RESOURCE = re.compile(r"\s-\s*(?:https?://)?www\.\S+$")
_STORY_PREFIX = re.compile(r"^(?:What works for us|What we do)\b\s*")
_NAME_LINKERS = frozenset({"of", "and", "the", "for", "with", "in", "on", "at"})
# A plain practical example that ends with its provider: "...preferences. Welmede Housing Association".
_TRAILING_NAME = re.compile(r"^(?P<body>.*[.!?”\"’)])\s+(?P<name>[A-Z][^.!?”\"’]{1,70})$", re.DOTALL)

# Telling-sign sub-heads, compared with spaces removed and lower-cased ("Inadequate / requires improvement").
_TS_COMMENTS = "commentsusedasevidenceincqcinspectionreports"
_TS_GOOD = "good/outstanding"
_TS_POOR = "inadequate/requiresimprovement"
_TS_SUBHEADS = frozenset({_TS_COMMENTS, _TS_GOOD, _TS_POOR})
_GLUED_POOR = re.compile(r"\*\*\s*Inadequate\s*/\s*requires improvement\s*\*\*\s*$", re.IGNORECASE)
_COLLAPSED_LABEL = re.compile(
    r"^(?:Good/outstanding|Inadequate\s*/\s*requires improvement)\s*", re.IGNORECASE
)
_QUOTE_AND_ROLE = re.compile(r"(?P<quote>“?[^“”]+”)\s*(?P<role>[^“”]*)")

# The front matter's outline. Its contents page gives only page numbers and blurbs, and its sub-headings
# look exactly like attribution lines, so the titles are spelled out here: (section, its sub-headings).
_FRONT_OUTLINE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Praise for our first edition", ()),
    ("Foreword", ()),
    ("Message from our CEO", ()),
    ("Introduction", ()),
    (
        "Good and outstanding care guide: workbook edition",
        (
            "Practical activities for managers, leaders and staff teams",
            "Exclusive online content and activity templates",
            "Self-assessment checklists",
        ),
    ),
    ("Who is this guide for?", ()),
    ("Contents", ()),
    ("Celebrating good and outstanding care", ("Maintaining outstanding", "Available to help")),
    (
        "Preparing for inspection and providing a true insight into your service",
        (
            "Pre-inspection",
            "Provider information collection",
            "Help is at hand(book)",
            "Key guidance from CQC",
            "Evidencing good practice",
            "How others prepare?",
            "On record",
            "Telling it like it is",
            "Available to help",
            "Too little, too late",
            "Care Improvement Works",
            (
                "Choose the recommendations from good and outstanding providers and examples relevant to "
                "your service with 'Care Improvement Works'"
            ),
            "CQC inspection seminar - Making your inspection count",
        ),
    ),
    (
        "Comparing ratings",
        (
            "Good",
            "Good services – characteristics summary*",
            "Outstanding",
            "Outstanding providers – characteristics summary*",
            "Requires improvement",
            "Requires improvement – characteristics summary*",
            "Inadequate",
            "Inadequate services – characteristics summary*",
        ),
    ),
    (
        "CQC Key questions",
        (
            "Related recommendations and examples from good and outstanding providers",
            "Key",
            "Available to help",
        ),
    ),
)
_TITLE_PAGE = "Title page"
_BACK_COVER = "Back cover"


# ----------------------------------------------------------------------------------------------------------
# Public API


def body_range(doc: Document) -> tuple[int, int]:
    """First and last line of the body: key-question pages and KLOE sections, without front and back matter.

    The body starts at the first bare key-question name followed by "Introduction" (the contents list
    names the key questions too, but follows them with its KLOE rows) and ends before "Acknowledgements".
    """
    src = _Source(doc.lines)
    last = len(doc.lines)
    start = next(
        (n for n in src.nonblank(1, last)
         if src.text(n) in _KEY_QUESTION_NAMES and src.next_text(n, last) == "Introduction"),
        None,
    )
    if start is None:
        raise ValueError(f"{doc.doc_id}: no key-question introduction page; is this the care guide?")
    back = next((n for n in src.nonblank(start, last) if src.text(n) == "Acknowledgements"), last + 1)
    return start, back - 1


def parse_care_guide(doc: Document) -> list[Block]:
    """All blocks of the guide in file order: front matter, key-question pages, KLOE sections, back matter."""
    src = _Source(doc.lines)
    contents = parse_contents(doc.lines)
    start, end = body_range(doc)
    out = _Collector()
    _parse_front(src, 1, start - 1, out)
    _parse_body(src, start, end, contents, out)
    _parse_back(src, end + 1, len(doc.lines), out)
    blocks = [_to_block(doc.doc_id, draft) for draft in out.finish()]
    blocks.sort(key=lambda b: b.line_start)  # stable: the quotes of a collapsed line keep their order
    return blocks


# ----------------------------------------------------------------------------------------------------------
# Plumbing: source access, block drafts and the collector that guarantees every line lands somewhere


class _Source:
    """The file's lines with 1-based access."""

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = lines

    def raw(self, n: int) -> str:
        return self._lines[n - 1]

    def text(self, n: int) -> str:
        return self._lines[n - 1].strip()

    def nonblank(self, first: int, last: int) -> list[int]:
        return [n for n in range(max(first, 1), last + 1) if self._lines[n - 1].strip()]

    def next_text(self, n: int, last: int) -> str:
        """The next non-blank line after ``n`` (stripped), or "" if there is none up to ``last``."""
        return next((self.text(m) for m in range(n + 1, last + 1) if self.text(m)), "")


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a block sits: the fields every block of a section shares."""

    section: str | None
    key_question: str | None = None
    kloe: str | None = None
    kloe_title: str | None = None

    @classmethod
    def of_kloe(cls, kloe: KloeSection) -> _Place:
        return cls(kloe.title, kloe.key_question, kloe.code, kloe.title)


@dataclass(slots=True)
class _Draft:
    kind: BlockKind
    text: str
    lines: list[int]
    place: _Place
    service_type: str | None = None
    provider: str | None = None
    at: int = 0  # the line of a block that owns none (2nd..nth quote of a collapsed telling-sign line)


class _Collector:
    """Collects drafts in file order; lines held back (markers, headers) go to the next block added."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self._held: list[int] = []

    def hold(self, lines: Iterable[int]) -> None:
        self._held.extend(lines)

    def add(self, draft: _Draft) -> None:
        if not draft.text.strip():
            self.hold(draft.lines)  # a block without words must not exist; its lines go to a neighbour
            return
        draft.lines.extend(self._held)
        self._held.clear()
        self.drafts.append(draft)

    def finish(self) -> list[_Draft]:
        if self._held and self.drafts:
            self.drafts[-1].lines.extend(self._held)
            self._held.clear()
        return self.drafts


def _to_block(doc_id: str, d: _Draft) -> Block:
    lines = tuple(sorted(set(d.lines)))
    return Block(
        doc_id=doc_id,
        kind=d.kind,
        text=d.text,
        line_start=lines[0] if lines else d.at,
        line_end=lines[-1] if lines else d.at,
        lines=lines,
        key_question=d.place.key_question,
        kloe=d.place.kloe,
        kloe_title=d.place.kloe_title,
        section=d.place.section,
        service_type=d.service_type,
        provider=d.provider,
    )


# ----------------------------------------------------------------------------------------------------------
# Free text: paragraphs, short lines (headings, attributions) and the quotes they make


@dataclass(slots=True)
class _Para:
    """Prose lines that belong together: one paragraph, or a lead-in line and its list."""

    lines: list[int]
    texts: list[str]
    opener: bool  # starts like a pull quote: a quote mark, a glyph, bold, or the space of a lost icon
    row: bool = False  # a TAB-separated table row stands alone

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def first_person(self) -> bool:
        return any(_FIRST_PERSON.search(t) for t in self.texts)


@dataclass(slots=True)
class _Shorts:
    """Consecutive short lines without sentence punctuation: an attribution, a byline or a heading."""

    lines: list[int]
    texts: list[str]
    open_bold: bool = False  # inside "**...**" wrapped over lines: the lines are one name or citation

    def add(self, n: int, raw: str, text: str) -> None:
        self.lines.append(n)
        if self.open_bold and self.texts:
            # A break after a year separates a citation's parts ("2016 / 2017" / "CQC").
            glue = ", " if self.texts[-1][-1:].isdigit() else " "
            self.texts[-1] = f"{self.texts[-1]}{glue}{text}"
        else:
            self.texts.append(text)
        self.open_bold ^= _toggles_bold(raw)


_Item = _Para | _Shorts


class _Mode(Enum):
    """How to tell where a quote starts among the paragraphs before its attribution."""

    INTRO = "intro"  # guide prose may come before a quote that has no quote mark
    COMMENTARY = "commentary"  # between tables everything before an attribution is the quote
    FRONT = "front"  # short lines attribute only a marked quote, or cite a report ("CQC", a year)


@dataclass(slots=True)
class _Unit:
    """A prose paragraph, or a quote with its attribution."""

    paras: list[_Para]
    attribution: _Shorts | None = None
    lead: list[_Shorts] = field(default_factory=list)
    trailing: list[_Shorts] = field(default_factory=list)

    @property
    def is_quote(self) -> bool:
        return self.attribution is not None

    @property
    def lines(self) -> list[int]:
        groups: list[_Item] = [*self.lead, *self.paras, *self.trailing]
        if self.attribution is not None:
            groups.append(self.attribution)
        return [n for g in groups for n in g.lines]

    @property
    def text(self) -> str:
        parts = [" ".join(s.texts) for s in self.lead]
        parts += [p.text for p in self.paras]
        parts += [" ".join(s.texts) for s in self.trailing]
        return "\n".join(p for p in parts if p)

    @property
    def provider(self) -> str | None:
        return _join_names(self.attribution.texts) if self.attribution else None


def _join_names(texts: Iterable[str]) -> str:
    """'Name', 'Role,' 'Organisation' -> 'Name, Role, Organisation'."""
    return ", ".join(t.strip(" ,") for t in texts if t.strip(" ,"))


def _is_short(text: str) -> bool:
    return (
        "\n" not in text
        and len(text) <= 100
        and not _LIST_ITEM.match(text)
        and text[-1] not in _SENTENCE_END
    )


def _opens_quote(raw: str) -> bool:
    s = raw.lstrip()
    if _LIST_ITEM.match(s):
        return False
    # A leading space is what is left of a quote icon the export dropped.
    return s.startswith(_QUOTE_START) or (raw.startswith(" ") and bool(s))


def _row_text(raw: str) -> str:
    """A line's text; a TAB row 'Safe<TAB>...' reads 'Safe: ...'."""
    if "\t" not in raw.strip() or not clean_line(raw):
        return clean_line(raw)
    cells = [c for c in (clean_line(cell) for cell in raw.split("\t")) if c]
    if len(cells) >= 2 and len(cells[0]) <= 40 and "\n" not in cells[0]:
        return f"{cells[0]}: " + "\n".join(cells[1:])
    return "\n".join(cells)


def _continues(para: _Para, n: int, raw: str, text: str) -> bool:
    """Does line ``n`` carry on ``para`` rather than start a new paragraph?"""
    if para.row or "\t" in raw.strip():
        return False
    if n == para.lines[-1] + 1:
        return True
    last = para.texts[-1]
    return bool(_LIST_ITEM.match(text)) and (
        last.endswith((":", ";")) or bool(_LIST_ITEM.match(last)) or _is_short(last)
    )


def _read_items(src: _Source, nums: Sequence[int]) -> list[_Item]:
    """Free-text lines grouped into paragraphs (with their lists) and runs of short lines."""
    items: list[_Item] = []
    wordless: list[int] = []  # lines without words (a table rule) before the first item
    for i, n in enumerate(nums):
        raw = src.raw(n)
        text = _row_text(raw)
        last = items[-1] if items else None
        if not text:
            (last.lines if last else wordless).append(n)
        elif _is_short(text) and not _introduces_list(src, nums, i):
            if isinstance(last, _Shorts):
                last.add(n, raw, text)
            else:
                items.append(_Shorts([n], [text], open_bold=_toggles_bold(raw)))
        elif isinstance(last, _Para) and _continues(last, n, raw, text):
            last.lines.append(n)
            last.texts.append(text)
        else:
            items.append(_Para([n], [text], opener=_opens_quote(raw), row="\t" in raw.strip()))
    if wordless:
        if items:
            items[0].lines.extend(wordless)
        else:
            items.append(_Shorts(wordless, []))
    return items


def _introduces_list(src: _Source, nums: Sequence[int], i: int) -> bool:
    """A short line right before a list ("Safe" over "- S1. Safeguarding - 63") is the list's label."""
    return i + 1 < len(nums) and bool(_LIST_ITEM.match(src.text(nums[i + 1])))


def _toggles_bold(raw: str) -> bool:
    return len(_BOLD_MARK.findall(raw)) % 2 == 1


def _quote_start(pending: Sequence[_Para], mode: _Mode) -> int:
    """Index of the paragraph where the quote ending at an attribution begins."""
    for i in range(len(pending) - 1, -1, -1):
        if pending[i].opener:
            return i
    if mode is _Mode.COMMENTARY:
        return 0
    if mode is _Mode.INTRO:
        # Guide prose speaks of "services"; the quoted provider says "we" and "our".
        return next((i for i, p in enumerate(pending) if p.first_person), len(pending) - 1)
    return len(pending) - 1


def _segment(items: Sequence[_Item], mode: _Mode) -> list[_Unit]:
    """Paragraphs and short lines into prose units and quotes: short lines after prose attribute a quote."""
    units: list[_Unit] = []
    pending: list[_Para] = []
    lead: list[_Shorts] = []

    def emit(unit: _Unit) -> None:
        unit.lead = [*lead, *unit.lead]
        lead.clear()
        units.append(unit)

    for item in items:
        if isinstance(item, _Para):
            pending.append(item)
            continue
        if pending:
            start = _quote_start(pending, mode)
            if mode is not _Mode.FRONT or pending[start].opener or _CITATION.search(" ".join(item.texts)):
                for para in pending[:start]:
                    emit(_Unit([para]))
                emit(_Unit(pending[start:], attribution=item))
                pending = []
                continue
            for para in pending:
                emit(_Unit([para]))
            pending = []
        lead.append(item)  # a byline or heading: it introduces what follows
    for para in pending:
        emit(_Unit([para]))
    if lead:
        if units:
            units[-1].trailing.extend(lead)  # a signature under the last paragraph
        else:
            units.append(_Unit([], lead=list(lead)))
    return units


def _emit_units(
    out: _Collector,
    units: Sequence[_Unit],
    place: _Place,
    prose_kind: BlockKind,
    *,
    one_prose_block: bool = False,
    header: Sequence[int] = (),
) -> None:
    """Quotes become provider quotes; prose becomes ``prose_kind``, in one block if ``one_prose_block``."""
    prose = [u for u in units if not u.is_quote]
    merged: _Draft | None = None
    if one_prose_block and prose:
        lines = [*header, *(n for u in prose for n in u.lines)]
        merged = _Draft(prose_kind, "\n".join(u.text for u in prose), lines, place)
    else:
        out.hold(header)
    for unit in units:
        if unit.is_quote:
            out.add(_Draft(BlockKind.PROVIDER_QUOTE, unit.text, unit.lines, place, provider=unit.provider))
        elif merged is None:
            out.add(_Draft(prose_kind, unit.text, unit.lines, place))
        elif unit is prose[0]:
            out.add(merged)


def _free_text(
    src: _Source,
    nums: Sequence[int],
    mode: _Mode,
    place: _Place,
    prose_kind: BlockKind,
    out: _Collector,
    *,
    one_prose_block: bool = False,
    header: Sequence[int] = (),
) -> None:
    units = _segment(_read_items(src, nums), mode)
    _emit_units(out, units, place, prose_kind, one_prose_block=one_prose_block, header=header)


# ----------------------------------------------------------------------------------------------------------
# Sections: the markers that start blocks and what each block looks like


class _Marker(Enum):
    RECOMMENDATIONS = "recommendations"
    EXAMPLES = "examples"
    TELLING_SIGNS = "telling signs"
    AVOID = "avoid"
    HELP = "help"
    STORY = "story"


_TABLE_KINDS = {
    _Marker.RECOMMENDATIONS: BlockKind.RECOMMENDATION,
    _Marker.EXAMPLES: BlockKind.PRACTICAL_EXAMPLE,
    _Marker.AVOID: BlockKind.WHAT_TO_AVOID,
}


def _marker(raw: str) -> _Marker | None:
    t = raw.strip()
    # "Recommendations from good and outstanding providers and examples ..." in the front is prose.
    if t.startswith("Recommendations from good and outstanding providers") and t.endswith("Service type"):
        return _Marker.RECOMMENDATIONS
    if t.startswith("Practical examples") and t.endswith("Service type"):
        return _Marker.EXAMPLES
    if t.startswith("Telling signs"):
        return _Marker.TELLING_SIGNS
    if t.startswith("What to avoid"):
        return _Marker.AVOID
    if t == "Available to help":
        return _Marker.HELP
    if _STORY_PREFIX.match(t):
        return _Marker.STORY
    return None


@dataclass(frozen=True, slots=True)
class _Style:
    """How a part of the guide reads its free text (section intros differ from the front matter)."""

    lead_mode: _Mode
    lead_prose: BlockKind
    one_intro_block: bool
    tail_mode: _Mode
    tail_prose: BlockKind


# In a section, text without an attribution after its introduction is commentary between the blocks,
# which the guide files with its pull quotes.
_SECTION_STYLE = _Style(_Mode.INTRO, BlockKind.INTRODUCTION, True, _Mode.COMMENTARY, BlockKind.PROVIDER_QUOTE)
_FRONT_STYLE = _Style(_Mode.FRONT, BlockKind.FRONT, False, _Mode.FRONT, BlockKind.FRONT)


def _parse_content(
    src: _Source, nums: Sequence[int], place: _Place, style: _Style, header: Sequence[int], out: _Collector
) -> None:
    """A section's lines after its heading: lead text, then one region per marker line."""
    regions: list[tuple[_Marker | None, list[int]]] = [(None, [])]
    for n in nums:
        marker = _marker(src.raw(n))
        if marker is None:
            regions[-1][1].append(n)
        else:
            regions.append((marker, [n]))
    _free_text(src, regions[0][1], style.lead_mode, place, style.lead_prose, out,
               one_prose_block=style.one_intro_block, header=header)
    for marker, region in regions[1:]:
        if marker in _TABLE_KINDS:
            _table(src, region, _TABLE_KINDS[marker], place, style, out)
        elif marker is _Marker.TELLING_SIGNS:
            _telling_signs(src, region, place, style, out)
        elif marker is _Marker.STORY:
            _story(src, region, place, style, out)
        else:
            _help(src, region, place, style, out)


def _tag_of(cell: str) -> str | None:
    """'A', 'R', 'C' or '' for a service-type cell; None if the cell is not one."""
    m = _TAG_CELL.match(cell.strip())
    return m.group(1) if m else None


def _table(src: _Source, nums: Sequence[int], kind: BlockKind, place: _Place, style: _Style,
           out: _Collector) -> None:
    """Table rows (one block each), then the pull quotes that follow the table."""
    i = 1
    while i < len(nums) and src.text(nums[i]) == "Service type":  # header split over two lines
        i += 1
    out.hold(nums[:i])
    i = _table_rows(src, nums, i, kind, place, out)
    _free_text(src, nums[i:], style.tail_mode, place, style.tail_prose, out)


def _table_rows(src: _Source, nums: Sequence[int], i: int, kind: BlockKind, place: _Place,
                out: _Collector) -> int:
    """Read rows from ``nums[i]`` on; return the index of the first line after the table."""
    while i < len(nums):
        raw = src.raw(nums[i])
        lines = [nums[i]]
        if "\t" in raw:
            *cells, tag_cell = raw.split("\t")
            tag = _tag_of(tag_cell)
            if tag is None or not clean_text(cells):
                break
        else:
            cells, tag = [raw], ""
        # The tag may stand alone on a later line (rows without a TAB, split what-to-avoid rows).
        if not tag and i + 1 < len(nums) and _tag_of(src.text(nums[i + 1])):
            tag = _tag_of(src.text(nums[i + 1])) or ""
            lines.append(nums[i + 1])
        elif "\t" not in raw:
            break
        i += len(lines)
        out.add(_row(kind, cells, tag, lines, place))
    return i


def _row(kind: BlockKind, cells: Sequence[str], tag: str, lines: list[int], place: _Place) -> _Draft:
    provider = None
    if kind is BlockKind.PRACTICAL_EXAMPLE:
        text, provider = _example_text(" ".join(cells))
    else:
        text = clean_text(cells)
    return _Draft(kind, text, lines, place, service_type=tag or None, provider=provider)


def _is_name(s: str) -> bool:
    """An organisation's name: a few capitalised words ("Brunelcare's Deerhurst Care Home (with Nursing)")."""
    words = s.split()
    return (
        0 < len(words) <= 8
        and len(s) <= 70
        and s[-1] not in _SENTENCE_END + ","
        and all(w[0].isupper() or w[0] in "(&" or w in _NAME_LINKERS for w in words)
    )


def _example_text(cell: str) -> tuple[str, str | None]:
    """A practical example's text and, where it ends with one, its provider's name."""
    paras = clean_line(cell).split("\n")
    if len(paras) >= 2 and _is_name(paras[-1]):
        return "\n".join(paras[:-1]), paras[-1]
    if len(paras) == 1:
        m = _TRAILING_NAME.match(paras[0])
        if m and _is_name(m["name"]):
            return m["body"], m["name"]
    return "\n".join(paras), None


def _story(src: _Source, nums: Sequence[int], place: _Place, style: _Style, out: _Collector) -> None:
    """A provider's story: marker, organisation, paragraphs, signature (name and role).

    There is no end marker; quotes after the signature belong to the section, not to the story.
    """
    org = _STORY_PREFIX.sub("", src.text(nums[0])).strip()
    items = _read_items(src, nums[1:])
    lines = [nums[0]]
    k = 0
    names = [org] if org else []
    if not org and items and isinstance(items[0], _Shorts):
        names = items[0].texts
        lines += items[0].lines
        k = 1
    story: list[_Para] = []
    for item in items[k:]:
        if not isinstance(item, _Para):
            break
        story.append(item)
    k += len(story)
    if k < len(items):  # the signature: name and role
        lines += items[k].lines
        k += 1
    lines += [n for p in story for n in p.lines]
    text = "\n".join(p.text for p in story)
    out.add(_Draft(BlockKind.PROVIDER_STORY, text, lines, place, provider=_organisation(names)))
    _emit_units(out, _segment(items[k:], style.tail_mode), place, style.tail_prose)


def _organisation(names: Sequence[str]) -> str | None:
    """'Linsell House -' + 'Central Bedfordshire Council'; a logo line repeating the name is dropped."""
    seen: list[str] = []
    for name in names:
        if name.casefold() not in (s.casefold() for s in seen):
            seen.append(name)
    return " ".join(seen) or None


def _help(src: _Source, nums: Sequence[int], place: _Place, style: _Style, out: _Collector) -> None:
    """One block per resource: '[Title](#)' (title may wrap) and the publisher on the next line."""
    out.hold(nums[:1])
    resources: list[list[int]] = []
    loose: list[int] = []
    for n in nums[1:]:
        t = src.text(n)
        if t.startswith("[") or _WEB_RESOURCE.search(t):
            resources.append([n])
        elif resources:
            resources[-1].append(n)
        else:
            loose.append(n)
    if not resources:  # the front's "Available to help" explains the resource lists in prose
        _free_text(src, nums[1:], style.tail_mode, place, style.tail_prose, out)
        return
    out.hold(loose)
    for lines in resources:
        text = clean_line(" ".join(src.text(n) for n in lines))
        out.add(_Draft(BlockKind.AVAILABLE_TO_HELP, text, lines, place))


# ----------------------------------------------------------------------------------------------------------
# Telling signs: quote, role, quote, role ... under "Good/outstanding" and "Inadequate/requires improvement"


def _squash(raw: str) -> str:
    return re.sub(r"\s+", "", clean_line(raw)).lower()


def _is_role(raw: str) -> bool:
    """Could this line name the speaker of the quote above it?"""
    if _squash(raw) in _TS_SUBHEADS or raw.lstrip().startswith(_QUOTE_START):
        return False
    t = clean_line(_GLUED_POOR.sub("", raw))
    return bool(t) and "\n" not in t and len(t) <= 120 and not t.endswith(("”", '"'))


def _speaker(src: _Source, nums: Sequence[int], j: int) -> list[int]:
    """The attribution lines from ``nums[j]`` on: a role; or a name and a role for a provider's quote."""
    if j >= len(nums) or not _is_role(src.raw(nums[j])):
        return []
    lines = [nums[j]]
    while (
        j + 1 < len(nums)
        and not _GLUED_POOR.search(src.raw(nums[j]))
        and _is_role(src.raw(nums[j + 1]))
        and _is_short(clean_line(src.raw(nums[j + 1])))
    ):
        j += 1
        lines.append(nums[j])
    return lines


def _telling_signs(src: _Source, nums: Sequence[int], place: _Place, style: _Style, out: _Collector) -> None:
    """One block per quote, its speaker's role as provider; sub-heads switch between good and poor."""
    out.hold(nums[:1])
    kind = BlockKind.TELLING_SIGN_GOOD
    notes: list[int] = []  # "No quotes identified...", "NB: ...": text in a column without a speaker

    def flush_notes() -> None:
        if notes:
            out.add(_Draft(kind, clean_text(src.raw(n) for n in notes), list(notes), place))
            notes.clear()

    i = 1
    while i < len(nums):
        n = nums[i]
        raw = src.raw(n)
        key = _squash(raw)
        if key in _TS_SUBHEADS:
            flush_notes()
            if key != _TS_COMMENTS:
                kind = BlockKind.TELLING_SIGN_GOOD if key == _TS_GOOD else BlockKind.TELLING_SIGN_POOR
            out.hold([n])
        elif key.startswith(_TS_GOOD):  # both columns collapsed into one line
            flush_notes()
            _collapsed_signs(src, n, place, out)
        elif raw.lstrip().startswith(("☞", "☾")):  # a provider's pull quote among the signs
            flush_notes()
            _free_text(src, nums[i:], style.tail_mode, place, style.tail_prose, out)
            return
        elif speaker := _speaker(src, nums, i + 1):
            flush_notes()
            names = [clean_line(_GLUED_POOR.sub("", src.raw(m))) for m in speaker]
            quote_kind = kind if len(speaker) == 1 else BlockKind.PROVIDER_QUOTE
            out.add(_Draft(quote_kind, clean_line(raw), [n, *speaker], place, provider=_join_names(names)))
            if _GLUED_POOR.search(src.raw(speaker[-1])):
                kind = BlockKind.TELLING_SIGN_POOR
            i += len(speaker)
        else:
            notes.append(n)
        i += 1
    flush_notes()


def _collapsed_signs(src: _Source, n: int, place: _Place, out: _Collector) -> None:
    """'Good/outstanding “...” Role “...” Role<TAB>Inadequate/requires improvement “...” Role ...'."""
    good, _, poor = src.raw(n).partition("\t")
    first = True
    for kind, column in ((BlockKind.TELLING_SIGN_GOOD, good), (BlockKind.TELLING_SIGN_POOR, poor)):
        text = _COLLAPSED_LABEL.sub("", " ".join(clean_line(column).split("\n")))
        for m in _QUOTE_AND_ROLE.finditer(text):
            lines = [n] if first else []  # the line is listed in the first block only
            out.add(_Draft(kind, m["quote"].strip(), lines, place, provider=m["role"].strip() or None, at=n))
            first = False


# ----------------------------------------------------------------------------------------------------------
# The three parts of the file


def _parse_front(src: _Source, first: int, last: int, out: _Collector) -> None:
    """Front matter, one part per heading of the outline; section = "Title > Sub-heading"."""
    headings = _front_headings(src, first, last)
    starts = [(first, _TITLE_PAGE), *headings]
    for (line, section), (next_line, _) in zip(starts, [*starts[1:], (last + 1, "")], strict=True):
        nums = src.nonblank(line, next_line - 1)
        place = _Place(section)
        if section == _TITLE_PAGE or (nums and _marker(src.raw(nums[0]))):
            header: list[int] = []  # "Available to help" is a marker too: it keeps its resource list
        else:
            header, nums = nums[:1], nums[1:]
        _parse_content(src, nums, place, _FRONT_STYLE, header, out)


def _front_headings(src: _Source, first: int, last: int) -> list[tuple[int, str]]:
    """(line, "Section > Sub-heading") for the front outline's headings found in the text, in order."""
    tops: list[tuple[int, str, tuple[str, ...]]] = []
    pos = first
    for title, subs in _FRONT_OUTLINE:
        line = _find_line(src, title, pos, last)
        if line is not None:
            tops.append((line, title, subs))
            pos = line + 1
    found: list[tuple[int, str]] = []
    for (line, title, subs), (next_top, _, _) in zip(tops, [*tops[1:], (last + 1, "", ())], strict=True):
        found.append((line, title))
        pos = line + 1
        for sub in subs:
            sub_line = _find_line(src, sub, pos, next_top - 1)
            if sub_line is not None:
                found.append((sub_line, f"{title} > {sub}"))
                pos = sub_line + 1
    return found


def _find_line(src: _Source, text: str, first: int, last: int) -> int | None:
    return next((n for n in range(first, last + 1) if src.text(n) == text), None)


class _PageKind(Enum):
    INTRO = "key-question introduction"
    KEY_RECOMMENDATIONS = "key recommendations"
    KLOE = "KLOE section"


@dataclass(frozen=True, slots=True)
class _Page:
    line: int
    kind: _PageKind
    key_question: str
    kloe: KloeSection | None = None


def _parse_body(src: _Source, first: int, last: int, contents: list[KloeSection], out: _Collector) -> None:
    """Key-question introduction and key-recommendations pages, and the KLOE sections after them."""
    pages = _body_pages(src, first, last, contents)
    ends = [page.line - 1 for page in pages[1:]] + [last]
    for page, end in zip(pages, ends, strict=True):
        if page.kind is _PageKind.INTRO:
            nums = src.nonblank(page.line, end)  # bare key-question name, "Introduction", then the page
            place = _Place("Introduction", key_question=page.key_question)
            _parse_content(src, nums[2:], place, _SECTION_STYLE, nums[:2], out)
        elif page.kind is _PageKind.KEY_RECOMMENDATIONS:
            _key_recommendations(src, page.line, end, contents, out)
        elif page.kloe is not None:
            nums = src.nonblank(page.line + 1, end)
            _parse_content(src, nums, _Place.of_kloe(page.kloe), _SECTION_STYLE, [page.line], out)


def _body_pages(src: _Source, first: int, last: int, contents: list[KloeSection]) -> list[_Page]:
    """Where each key-question page and KLOE section of the body starts."""
    codes = {s.code for s in contents}
    pages: list[_Page] = []
    key_question = ""
    for n in src.nonblank(first, last):
        t = src.text(n)
        following = src.next_text(n, last)
        if t in _KEY_QUESTION_NAMES and following in ("Introduction", "Key recommendations"):
            key_question = t
            kind = _PageKind.INTRO if following == "Introduction" else _PageKind.KEY_RECOMMENDATIONS
            pages.append(_Page(n, kind, key_question))
            continue
        m = _HEADING.match(t)
        # The key-recommendations page repeats every KLOE heading, each followed by its "- " bullets.
        if m and m.group(1) in codes and "\t" not in t and not following.startswith("- "):
            # Body headings word some titles differently; the contents list is canonical.
            kloe = canonical(m.group(1), m.group(2), contents)
            pages.append(_Page(n, _PageKind.KLOE, key_question, kloe))
    return pages


def _key_recommendations(src: _Source, first: int, last: int, contents: list[KloeSection],
                         out: _Collector) -> None:
    """One block per KLOE sub-heading with all its bullets."""
    nums = src.nonblank(first, last)
    out.hold(nums[:2])  # bare key-question name, "Key recommendations"
    current: _Draft | None = None
    for n in nums[2:]:
        text = src.text(n)
        m = _HEADING.match(text)
        if m:
            if current is not None:
                out.add(current)
            place = _Place.of_kloe(canonical(m.group(1), m.group(2), contents))
            current = _Draft(BlockKind.KEY_RECOMMENDATION, "", [n], place)
        elif current is None:
            out.hold([n])
        else:
            bullet = clean_line(_LIST_ITEM.sub("", text, count=1))
            current.text = f"{current.text}\n{bullet}" if current.text else bullet
            current.lines.append(n)
    if current is not None:
        out.add(current)


def _parse_back(src: _Source, first: int, last: int, out: _Collector) -> None:
    """Acknowledgements (heading, thanks, two-column table of contributors) and the back cover."""
    nums = src.nonblank(first, last)
    if not nums:
        return
    table_end = max((n for n in nums if "\t" in src.raw(n)), default=nums[0])
    head = [n for n in nums if n <= table_end]
    cells = [cell for n in head[1:] for cell in src.raw(n).split("\t")]
    out.add(_Draft(BlockKind.BACK, clean_text(cells), head, _Place(src.text(head[0]))))
    tail = [n for n in nums if n > table_end]
    if tail:
        out.add(_Draft(BlockKind.BACK, clean_text(src.raw(n) for n in tail), tail, _Place(_BACK_COVER)))
