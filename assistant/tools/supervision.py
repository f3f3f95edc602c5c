"""The supervision planner: from a topic in the trainer's words to a cited session plan.

The topic is matched to the guide's KLOE sections by the same retrieval as chat answers; inside
those sections, blocks are ranked by similarity to the topic. The plan offers more practical
examples than it selects, so the trainer can swap one in, and builds its discussion questions from
whichever passages are chosen, each citing the passage it is about.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from typing import Any

from assistant.answer import gate
from assistant.errors import BadInput
from assistant.services import SERVICE_WORDS
from assistant.tools.guide import Guide, Section
from assistant.tools.prep import _bullets, _example, _id, _signed, ask_about_sign
from assistant.tools.report import Item, Report, similar
from assistant.types import Block, BlockKind, Filters

LEARNING = "Learning points"
EXAMPLES = "Practical examples to discuss"
SIGNS_GOOD = "Telling signs to discuss: what people say in good and outstanding services"
SIGNS_POOR = "Telling signs to discuss: what people say in services that need to improve"
AVOID = "What to avoid"
QUESTIONS = "Discussion questions"
RESOURCES = "Available to help"
BACKGROUND = "Background from the guide"

SETTING_BONUS = 0.08
# An example the chat's own retrieval ranks for the topic (and setting) counts for more than its cosine
# alone: the cosine of a whole example to a three-word topic is noisy ("dignity in personal care" for
# home care picked a nursing home's burial example while the chat found the home-care one).
RETRIEVED_BONUS = 0.15
# An example told of a care home says so in its provider; for home care it comes after those that do not.
OTHER_SETTING = {"C": re.compile(r"\b(care|nursing|residential) homes?\b|\bnursing\b|\bresidential\b", re.I),
                 "R": re.compile(r"\bhome care\b|\bdomiciliary\b|\bhomecare\b|\bsupported living\b", re.I)}
OTHER_SETTING_PENALTY = 0.1
# One that says it happened in the chosen setting (the guide marks many such examples "all services").
SAME_SETTING = {"C": re.compile(r"\bhome ?care\b|\bdomiciliary\b|\bin (?:their|people's|his|her) own homes?\b", re.I),
                "R": OTHER_SETTING["C"]}
RECORD_FIELDS = ("Date", "Who attended", "Led by", "Notes and actions agreed")
# The topic is shown as a title in Markdown: no link, image or markup syntax survives.
_PLAIN = re.compile(r"[^\w ,.;:?'-]+")
_cache: dict[str, Any] = {}
_cache_lock = threading.Lock()


def _embed(embedder: Any, texts: list[str]) -> list[list[float]]:
    """Embeddings of block texts, computed once per process: a plan re-reads the same sections."""
    with _cache_lock:
        todo = [t for t in dict.fromkeys(texts) if t not in _cache]
    if todo:
        vectors = embedder.embed_documents(todo)
        with _cache_lock:
            _cache.update(zip(todo, vectors, strict=True))
    with _cache_lock:
        return [_cache[t] for t in texts]


def _cosine(a: list[float], b: list[float]) -> float:
    # MiniLM vectors are normalised by the embedder, so a dot product is the cosine
    return float(sum(x * y for x, y in zip(a, b, strict=True)))


def match_sections(guide: Guide, assistant: Any, topic: str, service: str | None) -> tuple[list[Section], Any]:
    """The one to three guide sections a topic is about, by vote of the retrieved passages; and those
    passages (the chat's own ranking for the topic)."""
    retriever = assistant.retriever
    found = retriever.retrieve(retriever.read(topic), Filters(service_type=service, doc_id=guide.source.doc_id),
                               k=12, n=assistant.settings.candidates)
    if not gate.fits_topic(found, assistant.settings):
        raise BadInput(f"The guide has nothing close enough to '{topic[:80]}' to plan a session from. Try the "
                       "words the guide uses, for example 'dignity in personal care', 'safeguarding' or "
                       "'medicines'.")
    votes: dict[tuple[str, str], float] = {}
    for rank, p in enumerate(found.passages):
        if p.chunk.kloe and p.chunk.kloe_title:
            key = (p.chunk.kloe, p.chunk.kloe_title)
            votes[key] = votes.get(key, 0.0) + 1.0 / (rank + 1)
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if not ranked:
        raise BadInput(f"No KLOE section of the guide matches '{topic[:80]}'. Try other words.")
    best = ranked[0][1]
    keep = [key for key, v in ranked[:3] if v >= 0.5 * best]
    by_key = {(s.code, s.title): s for s in guide.sections}
    return [by_key[k] for k in keep if k in by_key], found


def build_plan(guide: Guide, assistant: Any, topic: str, service: str | None = None, *,
               points: int = 5, examples: int = 3) -> Report:
    """A session plan for ``topic``: raises BadInput when the guide does not cover it."""
    topic = (topic or "").strip()
    if not topic:
        raise BadInput("Type a topic for the session, for example 'dignity in personal care'.")
    if len(topic) > 300:
        raise BadInput("Please keep the topic under 300 characters: a few words such as 'dignity in personal care'.")
    from assistant.answer.safety import out_of_scope

    off = out_of_scope(topic)
    if off is not None:
        raise BadInput(f"The guide does not cover that, so there is no session to plan from it. {off.where}")
    service = (service or "").upper() or None
    sections, found = match_sections(guide, assistant, topic, service)
    pool = [b for s in sections for b in guide.blocks_of(s, service=service)]
    want = assistant.embedder.embed_query(topic)
    vectors = _embed(assistant.embedder, [b.text for b in pool])
    retrieved = _retrieved_rank(found)

    def fit(b: Block) -> float:
        """Examples and recommendations written for the chosen setting come before those for every
        setting, and those the chat ranks for the topic before the rest."""
        bonus = SETTING_BONUS if service and b.service_type == service else 0.0
        rank = next((r for (start, end), r in retrieved.items() if start <= b.line_start <= end), None)
        if rank is not None:
            bonus += RETRIEVED_BONUS / (1 + rank)
        if b.kind == BlockKind.PRACTICAL_EXAMPLE and service in OTHER_SETTING:
            told = f"{b.provider or ''} {b.text[:300]}"
            if OTHER_SETTING[service].search(told):
                bonus -= OTHER_SETTING_PENALTY
            elif b.service_type != service and SAME_SETTING[service].search(told):
                bonus += SETTING_BONUS
        return bonus

    score = {id(b): _cosine(want, v) + fit(b) for b, v in zip(pool, vectors, strict=True)}

    def top(kinds: set[BlockKind], n: int) -> list[Block]:
        return sorted((b for b in pool if b.kind in kinds), key=lambda b: -score[id(b)])[:n]

    def item(block: Block, part: str, text: str | None = None, suffix: str = "", selected: bool = True) -> Item:
        return Item(_id(block, suffix), part, text if text is not None else block.text.strip(),
                    guide.citation(0, block), selected=selected)

    items: list[Item] = []
    items += [item(b, BACKGROUND) for b in top({BlockKind.INTRODUCTION}, len(sections))]
    # Key recommendation bullets and providers' recommendations say much the same: keep the better-ranked.
    learning: list[Item] = []
    for b in top({BlockKind.KEY_RECOMMENDATION, BlockKind.RECOMMENDATION}, points * 3):
        texts = _bullets(b) if b.kind == BlockKind.KEY_RECOMMENDATION else [b.text.strip()]
        for i, text in enumerate(texts):
            if not any(similar(text, other.text) for other in learning):
                learning.append(item(b, LEARNING, text, f"#{i}" if b.kind == BlockKind.KEY_RECOMMENDATION else ""))
    items += learning[:points]
    ranked_examples = _diverse(top({BlockKind.PRACTICAL_EXAMPLE}, examples * 4))
    items += [item(b, EXAMPLES, _example(b), selected=i < examples)
              for i, b in enumerate(ranked_examples[: examples * 2])]
    items += [item(b, SIGNS_GOOD, _signed(b)) for b in top({BlockKind.TELLING_SIGN_GOOD}, 2)]
    items += [item(b, SIGNS_POOR, _signed(b)) for b in top({BlockKind.TELLING_SIGN_POOR}, 2)]
    items += [item(b, AVOID) for b in top({BlockKind.WHAT_TO_AVOID}, 3)]
    items += [item(b, RESOURCES) for s in sections for b in guide.blocks_of(s, {BlockKind.AVAILABLE_TO_HELP})]
    setting = SERVICE_WORDS.get(service or "A", "all services")
    report = Report(
        title=f"Supervision session: {_PLAIN.sub(' ', topic).strip()}",
        subtitle=(f"For {setting}. From Skills for Care's 'Good and outstanding care guide', "
                  f"{', '.join(s.label for s in sections)}."),
        items=items,
        notes=["Each point quotes the guide passage it cites; discussion questions are built around those passages."],
        record=dict.fromkeys(RECORD_FIELDS, ""),
    )
    return with_questions(report)


def _retrieved_rank(found: Any) -> dict[tuple[int, int], int]:
    """Line spans of the passages the retrieval found, with their rank (0 = best)."""
    return {(p.chunk.line_start, p.chunk.line_end): rank for rank, p in enumerate(found.passages)}


def _diverse(blocks: list[Block]) -> list[Block]:
    """Examples from different providers first: three from one care home teach less than one each."""
    seen: set[str] = set()
    first, later = [], []
    for b in blocks:
        (later if b.provider and b.provider in seen else first).append(b)
        if b.provider:
            seen.add(b.provider)
    return first + later


def with_questions(report: Report) -> Report:
    """The report with its discussion questions rebuilt from the items chosen now."""
    items = [i for i in report.items if i.part != QUESTIONS]
    chosen = [i for i in items if i.selected]
    questions: list[Item] = []
    for i in [c for c in chosen if c.part == LEARNING][:2]:
        questions.append(replace(i, id=i.id + "#dq", part=QUESTIONS,
                                 text=f"How well do we do this now, and how would we show it? \"{i.text}\""))
    for i in [c for c in chosen if c.part == EXAMPLES]:
        who = i.source.provider or "the service in this example"
        questions.append(replace(i, id=i.id + "#dq", part=QUESTIONS,
                                 text=f"What did {who} do, what difference did it make to people, and what could "
                                      f"we try here? \"{i.source.text.strip()[:160].rsplit(' ', 1)[0]} ...\""))
    for i in [c for c in chosen if c.part == SIGNS_POOR][:1]:
        questions.append(replace(i, id=i.id + "#dq", part=QUESTIONS,
                                 text=ask_about_sign(i.source.text, i.source.provider)))
    for i in [c for c in chosen if c.part == AVOID][:1]:
        questions.append(replace(i, id=i.id + "#dq", part=QUESTIONS,
                                 text=f"Could this happen here, and what would stop it? \"{i.text}\""))
    at = next((n for n, i in enumerate(items) if i.part == RESOURCES), len(items))
    return replace(report, items=items[:at] + questions + items[at:])

