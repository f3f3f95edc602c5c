"""A heading-aware paragraph splitter for documents without the guide's structure.

Policies, procedures and web pages arrive as text with hard-wrapped lines (from PDF), bullets,
running page headers and the odd Markdown heading. Each paragraph or bullet becomes a ``TEXT``
block under the most recent heading; the chunker packs neighbouring blocks into passages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.ingest.clean import clean_line
from assistant.types import Block, BlockKind, Document

_BULLET = re.compile(r"^\s*(?:[•▪◦·*-]|\d{1,2}[.)])\s+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
# PDF running headers and footers: "Foreword 1", " 2 Voice, choice and control ", "Page 4 of 9".
_PAGE_FURNITURE = re.compile(r"^(?:\d{1,3}\s+\S.{0,60}|\S.{0,60}\s\d{1,3}|page \d+(?: of \d+)?)$", re.IGNORECASE)
_URL_ONLY = re.compile(r"^(?:https?://\S+\s*)+\d*$")


def _paragraphs(doc: Document) -> Iterator[list[int]]:
    """Runs of non-blank line numbers (1-based); each bullet starts a run of its own."""
    run: list[int] = []
    stop = doc.source.not_guidance_from
    for number, line in enumerate(doc.lines, start=1):
        stripped = line.strip()
        if stop and stripped == stop:
            break
        if not stripped:
            if run:
                yield run
            run = []
            continue
        new_page = bool(run) and doc.pages is not None and doc.pages[number - 1] != doc.pages[run[-1] - 1]
        if run and (_BULLET.match(line) or _MD_HEADING.match(line) or new_page):
            yield run
            run = []
        run.append(number)
        if _MD_HEADING.match(line):
            yield run
            run = []
    if run:
        yield run


def _is_heading(text: str, n_lines: int) -> bool:
    words = text.split()
    return (
        n_lines == 1
        and 0 < len(words) <= 10
        and text[-1] not in ".,;:!?\"”’)"
        and text[0].isupper()
        and not _BULLET.match(text)
    )


def split_generic(doc: Document) -> list[Block]:
    """Paragraph and bullet blocks, each with the heading it sits under as ``section``."""
    blocks: list[Block] = []
    heading: str | None = None
    for run in _paragraphs(doc):
        raw = [doc.lines[i - 1] for i in run]
        md = _MD_HEADING.match(raw[0])
        if md:
            heading = clean_line(md.group(1))
            continue
        text = " ".join(clean_line(line) for line in raw).strip()
        text = re.sub(r"\s+", " ", text)
        if not text or (len(run) == 1 and (_PAGE_FURNITURE.match(text) or _URL_ONLY.match(text))):
            continue
        if _is_heading(text, len(run)):
            heading = text
            continue
        page = doc.pages[run[0] - 1] if doc.pages else None
        blocks.append(
            Block(
                doc_id=doc.doc_id,
                kind=BlockKind.TEXT,
                text=text,
                line_start=run[0],
                line_end=run[-1],
                lines=tuple(run),
                section=heading,
                page=page,
            )
        )
    return blocks
