"""Inspection preparation: a readiness checklist for a key question or KLOE, from the guide's blocks.

For each section in scope, in the guide's order: what good looks like (key recommendations, then
providers' recommendations), the telling signs inspectors quote (good and poor kept apart), what
to avoid, practical examples for the setting, and questions an inspector might ask. Then the
guide's own advice on preparing for inspection, and the indicative link to CQC's quality statements.
Every item is a passage of the guide, or a question built around one, and cites it.
"""

from __future__ import annotations

import hashlib
import re

from assistant.services import SERVICE_WORDS
from assistant.tools.guide import Guide, Section
from assistant.tools.report import Item, Report, distinct
from assistant.types import Block, BlockKind, Citation

PREPARING = "Preparing for inspection and providing a true insight into your service"
# Sub-sections of the front section that speak to the provider information collection,
# evidencing good practice and mock inspections.
WARNING_SIGNS = "warning signs inspectors reported (inadequate and requires improvement): check you are not like this"
PREPARING_PARTS = ("Pre-inspection", "Provider information collection", "Evidencing good practice", "On record")


def _id(block: Block, suffix: str = "") -> str:
    # Some lines of the guide hold several quotes, so the line alone does not name a block.
    digest = hashlib.sha1(block.text.encode("utf-8")).hexdigest()[:8]
    return f"{block.doc_id}:{block.line_start}:{digest}{suffix}"


def _bullets(block: Block) -> list[str]:
    return [line.strip() for line in block.text.split("\n") if line.strip()]


def _lower_first(text: str) -> str:
    # "Train staff" -> "train staff", but "CQC", "MCA" and names stay as they are
    return text if len(text) > 1 and text[1].isupper() else text[:1].lower() + text[1:]


def ask_how(bullet: str) -> str:
    """A key recommendation as an inspector's question: 'Promote whistleblowing.' -> 'How do you promote
    whistleblowing?'"""
    return f"How do you {_lower_first(bullet.rstrip('. '))}?"


def ask_about_sign(quote: str, who: str | None) -> str:
    """A poor telling sign as a question: how would you know, and what would you do?"""
    return (f"{who or 'Someone'}, quoted in an inspection report: {quote.strip()} How would you know if this were "
            "happening here, and what would you do?")


def _examples_label(service: str | None) -> str:
    return f"practical examples ({SERVICE_WORDS.get(service or 'A', 'all services')})"


def section_items(guide: Guide, section: Section, service: str | None) -> list[Item]:
    label = section.label

    def cite(block: Block) -> Citation:
        return guide.citation(0, block)

    def kinds(*k: BlockKind) -> list[Block]:
        return guide.blocks_of(section, set(k), service)

    def item(block: Block, part: str, text: str, suffix: str = "", warning: bool = False) -> Item:
        return Item(_id(block, suffix), part, text, cite(block), section=label, warning=warning)

    items = [item(block, "what good looks like (key recommendations)", b, f"#{i}")
             for block in kinds(BlockKind.KEY_RECOMMENDATION) for i, b in enumerate(_bullets(block))]
    items += [item(b, "what good looks like (recommendations from good and outstanding providers)", b.text)
              for b in kinds(BlockKind.RECOMMENDATION)]
    items += [item(b, "telling signs inspectors quote (good and outstanding)", _signed(b))
              for b in kinds(BlockKind.TELLING_SIGN_GOOD)]
    # What inspectors found in inadequate services is a warning to check against, not a thing to tick off.
    items += [item(b, WARNING_SIGNS, _signed(b), warning=True) for b in kinds(BlockKind.TELLING_SIGN_POOR)]
    items += [item(b, "what to avoid", b.text) for b in kinds(BlockKind.WHAT_TO_AVOID)]
    items += [item(b, _examples_label(service), _example(b)) for b in kinds(BlockKind.PRACTICAL_EXAMPLE)]
    mock = [item(block, "mock inspection questions", ask_how(b), f"#q{i}")
            for block in kinds(BlockKind.KEY_RECOMMENDATION) for i, b in enumerate(_bullets(block))]
    mock += [item(b, "mock inspection questions", ask_about_sign(b.text, b.provider), "#q")
             for b in kinds(BlockKind.TELLING_SIGN_POOR)[:3]]
    return items + mock


def _signed(block: Block) -> str:
    return f"{block.text.strip()} ({block.provider})" if block.provider else block.text.strip()


def _example(block: Block) -> str:
    where = f"{block.provider} ({SERVICE_WORDS.get(block.service_type or 'A', '')}): " if block.provider else ""
    return f"{where}{block.text.strip()}"


def preparing_items(guide: Guide, service: str | None) -> list[Item]:
    section = "Preparing for inspection"
    blocks = guide.front(PREPARING)
    items = [Item(_id(b), "the guide's advice for every service", b.text, guide.citation(0, b), section=section)
             for b in blocks
             if b.kind == BlockKind.RECOMMENDATION and (not service or b.service_type in (None, "A", service))]
    for sub in PREPARING_PARTS:
        for b in blocks:
            if b.kind == BlockKind.FRONT and (b.section or "").endswith(f"> {sub}"):
                items.append(Item(_id(b), sub.lower(), b.text, guide.citation(0, b), section=section))
    mock = [b for b in blocks if b.kind in (BlockKind.PROVIDER_QUOTE, BlockKind.PROVIDER_STORY)
            and re.search(r"\bmock inspection", b.text, re.I)]
    items += [Item(_id(b), "mock inspections", _signed(b), guide.citation(0, b), section=section) for b in mock]
    return items


def quality_statement_items(sections: list[Section]) -> list[Item]:
    from assistant.answer.then_and_now import (
        LABEL,
        MAPPING_FILE,
        MAPPING_PUBLISHER,
        MAPPING_TITLE,
        load_mapping,
        mapping_text,
    )

    mapping = load_mapping()
    items = []
    for code in dict.fromkeys(s.code for s in sections):
        title = "; ".join(s.title for s in sections if s.code == code)
        source = Citation(n=0, doc=MAPPING_FILE, title=MAPPING_TITLE, publisher=MAPPING_PUBLISHER,
                          key_question=sections[0].key_question if sections[0].code == code else None, kloe=code,
                          kloe_title=title, block_type="mapping", service_type=None, provider=None,
                          location=f"assistant/data/{MAPPING_FILE}", text=mapping_text(code, title), score=1.0,
                          section="Then and now")
        items += [Item(f"{MAPPING_FILE}:{code}:{link.statement}",
                       f"CQC quality statements ({LABEL})",
                       f"{code} -> {link.statement} ({link.key_question}): {link.reason}", source,
                       section="Then and now")
                  for link in mapping.for_kloe(code)]
    return items


def build_prep(guide: Guide, scope: str, service: str | None = None) -> Report:
    """The readiness checklist for ``scope`` (a key question, KLOE code or section) and a service type
    (R care homes, C care at home, A or None all services). Raises UnknownSection for a bad scope."""
    from assistant.answer.then_and_now import load_mapping

    sections = guide.scope(scope)
    service = (service or "").upper() or None
    if service not in (None, "A", "R", "C"):
        raise ValueError(f"unknown service type {service!r}")
    items = distinct([i for s in sections for i in section_items(guide, s, service)] + preparing_items(guide, service))
    items += quality_statement_items(sections)
    names = ", ".join(s.label for s in sections)
    setting = SERVICE_WORDS.get(service or "A", "all services")
    return Report(
        title="Inspection readiness checklist",
        subtitle=f"{names}, for {setting}. From Skills for Care's 'Good and outstanding care guide'.",
        items=items,
        notes=["Tick what you can show an inspector, and write where the evidence is. The guide's recommendations "
               "do not guarantee a rating; CQC looks at outcomes for people.",
               f"The guide uses CQC's 2017 key lines of enquiry; the quality statements are shown beside them. "
               f"{load_mapping().caveat}"],
        checklist=True,
    )
