"""Blocks to chunks: what gets embedded, stored and cited.

One chunk per practical example, key recommendation or provider quote; a section's recommendations
and its what-to-avoid rows grouped, per service type, into runs of up to 1,200 characters; telling-sign
quotes grouped per section with good and poor kept apart; long prose (introductions, provider stories,
front matter, other documents) packed by paragraphs up to a size that MiniLM reads whole. Every
chunk carries its heading path so that a short row keeps its context when embedded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from itertools import groupby

from assistant.types import Block, BlockKind, Chunk, SourceDoc

# Bump when chunk boundaries or texts change: the index manifest then asks for a rebuild.
CHUNKER_VERSION = "4"

# MiniLM reads 256 word pieces (~1,000 characters of English); beyond that text is not embedded.
PACK_CHARS = 900

_ONE_PER_BLOCK = {
    BlockKind.PRACTICAL_EXAMPLE,
    BlockKind.KEY_RECOMMENDATION,
    BlockKind.PROVIDER_QUOTE,
}
# Kinds whose neighbouring blocks in one section (and of one service type) are grouped into chunks.
_GROUPED = {BlockKind.TELLING_SIGN_GOOD, BlockKind.TELLING_SIGN_POOR, BlockKind.AVAILABLE_TO_HELP,
            BlockKind.RECOMMENDATION, BlockKind.WHAT_TO_AVOID}
# Measured (evals/): a section's recommendations read together find and answer more questions than
# runs of 500 or 1,600 characters; MiniLM embeds the first ~1,000 of them, BM25 reads them all.
GROUP_CHARS = {BlockKind.RECOMMENDATION: 1200, BlockKind.WHAT_TO_AVOID: 1200}
_NOT_INDEXED = {BlockKind.BACK}


def heading_path(block: Block, source: SourceDoc) -> str:
    """'Safe > S1 Safeguarding > Practical example (R)' or '<document title> > <section>'."""
    label = block.kind.label
    if block.service_type:
        label += f" ({block.service_type})"
    if block.kloe:
        return f"{block.key_question} > {block.kloe} {block.kloe_title} > {label}"
    if block.key_question:
        return f"{block.key_question} > {label}"
    if source.parser == "care_guide":
        return f"{block.section or 'Front matter'} > {label}"
    return f"{source.title} > {block.section}" if block.section else source.title


def _chunk(blocks: list[Block], text: str, source: SourceDoc, provider: str | None = None) -> Chunk:
    first, last = blocks[0], blocks[-1]
    key = f"{source.doc_id}:{first.line_start}-{last.line_end}:{first.kind.value}:{text}"
    return Chunk(
        id=hashlib.sha1(key.encode("utf-8")).hexdigest()[:20],
        doc_id=source.doc_id,
        text=text,
        heading_path=heading_path(first, source),
        kind=first.kind,
        line_start=first.line_start,
        line_end=last.line_end,
        key_question=first.key_question,
        kloe=first.kloe,
        kloe_title=first.kloe_title,
        section=first.section,
        service_type=first.service_type,
        provider=provider if provider is not None else first.provider,
        page=first.page,
        doc_title=source.title,
        publisher=source.publisher,
    )


def _pack(paragraphs: Iterable[tuple[str, Block]], limit: int = PACK_CHARS) -> Iterator[list[tuple[str, Block]]]:
    """Consecutive paragraphs packed into runs of at most ``limit`` characters (a longer one alone)."""
    run: list[tuple[str, Block]] = []
    size = 0
    for para, block in paragraphs:
        if run and size + len(para) > limit:
            yield run
            run, size = [], 0
        run.append((para, block))
        size += len(para) + 1
    if run:
        yield run


def _same_unit(block: Block) -> tuple[object, ...]:
    return (block.kind, block.kloe, block.section, block.key_question, block.service_type)


def chunk_blocks(blocks: list[Block], source: SourceDoc) -> list[Chunk]:
    """Chunks for one document's blocks, in document order."""
    chunks: list[Chunk] = []
    for _, group_iter in groupby(blocks, key=_same_unit):
        group = [b for b in group_iter if b.kind not in _NOT_INDEXED]
        if not group:
            continue
        kind = group[0].kind
        if kind in _ONE_PER_BLOCK:
            chunks.extend(_chunk([b], b.text, source) for b in group)
        elif kind in _GROUPED:
            for run in _pack(((_grouped_line(b), b) for b in group), limit=GROUP_CHARS.get(kind, PACK_CHARS)):
                text = "\n".join(p for p, _ in run)
                chunks.append(_chunk([b for _, b in run], text, source, provider=""))
        else:
            paragraphs = ((p, b) for b in group for p in b.text.split("\n") if p.strip())
            for run in _pack(paragraphs):
                owners = [b for _, b in run]
                text = "\n".join(p for p, _ in run)
                providers = {b.provider for b in owners if b.provider}
                chunks.append(_chunk(owners, text, source, provider=providers.pop() if len(providers) == 1 else ""))
    return chunks


def _grouped_line(block: Block) -> str:
    if block.kind in (BlockKind.TELLING_SIGN_GOOD, BlockKind.TELLING_SIGN_POOR) and block.provider:
        return f"{block.text} ({block.provider})"
    return block.text
