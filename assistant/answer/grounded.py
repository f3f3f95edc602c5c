"""The grounded answer: sentences copied from the retrieved passages, each ending in its [n] marker.

No language model is involved, so every word of substance can be traced to the passage it cites.
Shape: a short direct answer, then what good services do, practical examples, what inspectors hear
and what to avoid, where the passages hold them.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from functools import lru_cache

from assistant.answer import concern
from assistant.answer.safety import Person, Situation, Topic, person_for
from assistant.retrieve.query import FIGURE_WORDS, Figure
from assistant.types import Answer, BlockKind, Chunk, Citation, Passage

# The same sentence boundary the evaluation uses, so every piece we emit carries its own marker.
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# "e.g. the" must not end a sentence; "etc. The" does. A word joiner (invisible) after the full stop
# keeps the quote exactly as written while no sentence splitter sees a boundary there.
_ABBREV = re.compile(r"\b([Ee]\.g|[Ii]\.e|etc|approx|incl|[Nn]o)\.(?=\s+[a-z(0-9\u201c\u2018\"'])")
_JOIN = "\u2060"
# Doses are never given, whatever a document says.
_DOSE = re.compile(r"\b\d+(\.\d+)?\s?(mg|mcg|micrograms?|milligrams?|ml|millilitres?|g|grams?|units?|tablets?)\b", re.I)
# Text that talks to the model rather than to care staff. Deliberately narrow: guidance never says these.
INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.\n]{0,60}\b(instructions?|rules|prompts?|guidelines|everything)\b"
    r"|\b(system prompt|you are now|as an ai\b|ai assistant|language model|chatbot|new instructions?)"
    r"|^\s*(system|assistant|user)\s*:|<\|?/?(im_start|im_end|system|passages?)\|?>",
    re.I | re.M,
)
_LEAD = re.compile(r"^[\s•▪◦·*-]+")
_WORD = re.compile(r"[a-z][a-z'-]+")
STOP = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "had", "has",
    "have", "how", "i", "if", "in", "into", "is", "it", "its", "my", "no", "not", "of", "on", "or", "our",
    "should", "so", "that", "the", "their", "them", "there", "they", "this", "to", "up", "us", "was", "we",
    "what", "when", "where", "which", "who", "why", "will", "with", "you", "your", "would", "could", "about",
    "any", "some", "just", "really", "get", "me", "need",
    # how a request is typed, never what it is about ("whats the best way to do the meds round pls")
    "please", "pls", "plz", "thanks", "thx", "ta", "cheers",
})

_WHOLE_LINES = {BlockKind.TELLING_SIGN_GOOD, BlockKind.TELLING_SIGN_POOR, BlockKind.RECOMMENDATION,
                BlockKind.WHAT_TO_AVOID, BlockKind.KEY_RECOMMENDATION, BlockKind.AVAILABLE_TO_HELP}
# A passage much weaker than the best one is listed as a source but not quoted in the answer.
QUOTE_FLOOR = 0.45

_SECTIONS: list[tuple[str, tuple[BlockKind, ...]]] = [
    ("What good services do:", (BlockKind.RECOMMENDATION, BlockKind.KEY_RECOMMENDATION)),
    ("Practical examples:", (BlockKind.PRACTICAL_EXAMPLE, BlockKind.PROVIDER_STORY)),
    ("What people told inspectors in good and outstanding services:", (BlockKind.TELLING_SIGN_GOOD,)),
    ("Warning signs inspectors have quoted (inadequate or requires improvement):", (BlockKind.TELLING_SIGN_POOR,)),
    ("What to avoid:", (BlockKind.WHAT_TO_AVOID,)),
    ("More from the sources:", (BlockKind.INTRODUCTION, BlockKind.FRONT, BlockKind.TEXT, BlockKind.PROVIDER_QUOTE)),
    ("Where to find help:", (BlockKind.AVAILABLE_TO_HELP,)),
]

_STORIES = (BlockKind.PRACTICAL_EXAMPLE, BlockKind.PROVIDER_STORY)
_SETTING_WORDS = {"R": ("care home", "In a care home"), "C": ("home care", "In home care")}


def _who(passage: Passage) -> str:
    """'Ebury Court (care home)', 'In home care' or '': the provider and setting the guide names."""
    provider = (passage.chunk.provider or "").strip().rstrip(":")
    setting, where = _SETTING_WORDS.get(passage.chunk.service_type or "", ("", ""))
    if provider:
        return f"{provider} ({setting})" if setting else provider
    return where


# Kinds that show what goes wrong: quoted in an answer only under a heading that says so.
# What the guide warns against: led with its own heading, and never said to recommend what it describes.
WARNED = (BlockKind.WHAT_TO_AVOID, BlockKind.TELLING_SIGN_POOR)
# The heading says which kind the lead quotes, in the guide's own terms ("quotes taken from inspection reports to
# indicate some telling signs of good and poor practice"; "recurring issues that can contribute to a requires
# improvement or inadequate rating"): asked "is that good enough?", the asker hears that the guide counts it as poor.
_POOR_LEADS = {
    BlockKind.TELLING_SIGN_POOR: "What the guide warns against (telling signs of poor practice, quoted from "
                                 "inspection reports):",
    BlockKind.WHAT_TO_AVOID: "What the guide warns against (failings it lists as contributing to a requires "
                             "improvement or inadequate rating):",
}
_ADVISED_LEAD = "What to do:"
# When the best match is a warning, the lead gives it this share of its words and what to do the rest, so
# that "is it OK to ...?" hears both (measured: key points 0.841 -> 0.862 over 16 read sets at 0.5 to 0.7,
# 0.857 at 0.3 and 0.860 at 0.85; README, Quality).
POOR_SHARE = 0.6

NOT_FOUND = (
    "This is not covered by these documents, so I cannot answer it from them. I answer questions about good "
    "practice in adult social care from Skills for Care's Good and outstanding care guide (organised by CQC's "
    "five key questions: Safe, Effective, Caring, Responsive and Well-led) and a few related policy papers."
)
NOT_FOUND_WHERE = "For other questions, ask your manager, your local authority, or look on CQC's or GOV.UK's website."
SAFETY_TITLE = "Safety first: reviewed emergency guidance"
SAFETY_ONLY = ("The guide and policy documents do not cover this situation; the lines above are reviewed first-aid "
               "and safety guidance. Follow your service's own procedures and the 999 or NHS 111 call handler.")


def _stem(word: str) -> str:
    return word[:5]


# The same passages' sentences are read for every question: their words and checks are kept.
@lru_cache(maxsize=32768)
def terms(text: str) -> frozenset[str]:
    """Content words of a text, crudely stemmed, for matching a question to sentences."""
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if w not in STOP and len(w) > 2)


def sentences(text: str) -> list[str]:
    """Sentences of a passage, with abbreviations kept from ending a sentence early."""
    return list(_sentences(text))


@lru_cache(maxsize=8192)  # a passage is split for its order, its lead and its section, on every question
def _sentences(text: str) -> tuple[str, ...]:
    text = _protect(text)
    return tuple(_LEAD.sub("", s).strip() for s in _SENTENCE.split(text) if len(s.strip().split()) >= 3)


def split_sentences(text: str) -> list[str]:
    """Every non-empty piece of ``text`` between sentence boundaries, as the scorer splits it, with
    abbreviations kept whole (their full stop carries an invisible word joiner)."""
    return [s.strip() for s in _SENTENCE.split(_protect(text)) if s.strip()]


def has_dose(text: str) -> bool:
    return bool(_DOSE.search(text))


def _protect(text: str) -> str:
    return _ABBREV.sub(lambda m: f"{m.group(1)}.{_JOIN}", text)


def units(passage: Passage) -> list[str]:
    """What an answer line can quote: a whole quote or row for telling signs and grouped rows,
    otherwise a sentence."""
    if passage.chunk.kind in _WHOLE_LINES:
        return [u for u in (_LEAD.sub("", line).strip() for line in passage.chunk.text.split("\n")) if u]
    return sentences(passage.chunk.text)


def prepare(chunks: list[Chunk]) -> None:
    """Read every passage's sentences once (their words, whether they may be quoted), so that no one's
    question waits for it: kept in the functions' caches, which hold a guide of several thousand."""
    for chunk in chunks:
        for unit in units(Passage(chunk, 0.0)):
            terms(unit)
            quotable(unit)


def with_marker(sentence: str, n: int, *more: int) -> str:
    """'Do this.' -> 'Do this [n].'; a sentence ending in a closing quote keeps it: '“...”' -> '“...” [n]'.
    Further numbers follow the first: 'Do this [1][3].'"""
    s = sentence.rstrip()
    mark = "".join(f"[{k}]" for k in (n, *more))
    if s.endswith(("”", '"', "’", "'", ")")):
        return f"{s} {mark}"
    m = re.search(r"[.!?;:,]+$", s)
    if m:
        punct = "." if ":" in m.group(0) or ";" in m.group(0) or "," in m.group(0) else m.group(0)
        return f"{s[: m.start()]} {mark}{punct}"
    return f"{s} {mark}."


@lru_cache(maxsize=32768)
def quotable(unit: str) -> bool:
    """Whether an answer may quote a unit: never a dose, and never text addressed to an AI assistant
    (a planted instruction in an uploaded document is neither followed nor repeated)."""
    return not _DOSE.search(unit) and not INSTRUCTION.search(unit)


def _best_sentences(passage: Passage, want: set[str], limit: int) -> list[str]:
    """Up to ``limit`` units of the passage that share most words with the question, in text order."""
    candidates = [u for u in units(passage) if quotable(u)]
    if len(candidates) <= limit:
        return candidates
    scored = sorted(range(len(candidates)), key=lambda i: (-len(terms(candidates[i]) & want), i))
    return [candidates[i] for i in sorted(scored[:limit])]


def mark_all(text: str, n: int) -> str:
    """Every sentence of ``text`` ending in marker [n]."""
    return " ".join(with_marker(s, n) for s in _SENTENCE.split(_protect(text)) if s.strip())


def safety_citation(n: int, found: list[Situation], person: Person = "them") -> Citation:
    text = "\n".join(line for s in found for line in s.lines(person))
    return Citation(n=n, doc="assistant/data/safety.toml", title=SAFETY_TITLE,
                    publisher="Care Guide Assistant (reviewed guidance, not from the guide)", key_question=None,
                    kloe=None, kloe_title=None, block_type="safety", service_type=None, provider=None,
                    location=", ".join(s.id for s in found), text=text, score=1.0,
                    section=", ".join(s.title for s in found))


# The lead's sentences come from all the passages found, on one side (advice or warnings), and it
# stops once it holds LEAD_WORDS words: about a phone's screenful. A sentence's score is divided by
# (its words / SHORT_WORDS) ** LEAD_LENGTH, so that of two that answer alike the shorter comes first
# and the lead makes more points in its words (measured in evals/, README, Quality).
LEAD_POOL = 6
LEAD_WORDS = 150
# After an emergency's safety lines, the guide's words: 60 -> 100 raised safety on six read sets, none lower
# (stop 45).
SAFETY_LEAD_WORDS = 100
SHORT_WORDS = 12
LEAD_LENGTH = 0.3
# How much a sentence that answered a question near this one in meaning gains in the lead: its score
# times (1 + ANSWERED_LEAD * that question's similarity). Measured by leaving each set out (README, Quality).
ANSWERED_LEAD = 2.0
# How much a sentence giving the figure a question asks for (how long, what it costs) gains in the lead.
FIGURE_LEAD = 2.0
# How much a sentence of the kind of block a question asks for as people's words gains in the lead ("and when
# it's working, what do residents say?": the telling signs; after blind28 was read, where such follow-ups made
# none of their key points when the lead quoted only the recommendations around them).
VOICES_LEAD = 2.0
# Each further sentence the lead takes from a passage it already quotes counts this much less, so that
# the lead gathers the points of several passages rather than the whole of the first (measured over 17
# read sets: key points 0.849 -> 0.853 at 0.8; 0.852 at 0.9, 0.850 at 0.7, 0.847 at 0.6; README, Quality).
# Not after an emergency's safety lines: its few guide words stay with the passage on the situation.
PASSAGE_DECAY = 0.8
SECTION_SUMMARY = 6  # a section asked for by its code: its key recommendations, up to this many
SECTION_ITEMS = 1  # the sections after the lead add one item each; the sources hold the rest
# A section's item must hold this weighted share of the question (``_holds``): a practical example or
# a recommendation that only shares the passage's rank is left to the sources.
SECTION_HOLD = 0.2


def term_weights(chunks: list[Chunk]) -> dict[str, float]:
    """How telling each content word (``terms``) is in the documents: inverse document frequency."""
    df: dict[str, int] = {}
    for c in chunks:
        for t in terms(c.text):
            df[t] = df.get(t, 0) + 1
    total = len(chunks) or 1
    return {t: math.log(1 + total / k) for t, k in df.items()}


# The best few passages are put in the order of how directly they answer: a passage that holds a
# sentence with the question's telling words comes before one that only shares its subject (README,
# Quality: evidence in the first citation, measured on the sets not tuned on).
ORDER_POOL = 4
# A sentence's score is its passage's rank score times (HOLD_BASE + the share of the question it holds),
# for the lead's sentences and for the order of the passages alike.
HOLD_BASE = 0.5


def _holds(unit: str, want: AbstractSet[str], weights: dict[str, float]) -> float:
    """The weighted share of the question's words (``want``) that a sentence holds."""
    total = sum(weights.get(t, 1.0) for t in want) or 1.0
    return sum(weights.get(t, 1.0) for t in terms(unit) & want) / total


# A follow-up is searched with the question it follows ("How do we give residents more choice over food?" then
# "what about people who can't tell us?"), but what it adds is what it asks: its own words count this many
# times as much in choosing and ordering the quotes. Measured with each set left out of the answered examples:
# follow-ups' key points 0.605 -> 0.628 over 152 follow-ups of 18 read sets (1: 0.605, 2 and 3: 0.620).
FOLLOW_UP_WORDS = 5.0


def follow_up_weights(weights: Mapping[str, float], question: str) -> dict[str, float]:
    """``weights`` with the words of a follow-up's own ``question`` raised (``FOLLOW_UP_WORDS``)."""
    raised = dict(weights)
    for t in terms(question):
        raised[t] = raised.get(t, 1.0) * FOLLOW_UP_WORDS
    return raised


def _best_hold(passage: Passage, want: AbstractSet[str], weights: dict[str, float]) -> float:
    """How much of the question the passage's best quotable sentence holds (``_holds``)."""
    return max((_holds(u, want, weights) for u in units(passage) if quotable(u)), default=0.0)


def setting_first(passages: list[Passage], setting: str) -> list[Passage]:
    """``passages`` with the best of ``setting`` (R or C) first, if there is one."""
    at = next((i for i, p in enumerate(passages) if p.chunk.service_type == setting), None)
    return passages if not at else [passages[at], *passages[:at], *passages[at + 1:]]


def answering_first(passages: list[Passage], want: AbstractSet[str], weights: dict[str, float],
                    voices: BlockKind | None = None) -> list[Passage]:
    """``passages`` with the best ``ORDER_POOL`` reordered by their rank score times (``HOLD_BASE`` plus
    the weighted share of the question's words held by their best sentence), and by ``VOICES_LEAD`` for the
    kind of block asked for as people's words; the rest as they were."""
    if len(passages) < 2 or not want:
        return passages
    top = passages[0].score or 1.0

    def answers(p: Passage) -> float:
        asked = VOICES_LEAD if voices is not None and p.chunk.kind is voices else 1.0
        return p.score / top * (HOLD_BASE + _best_hold(p, want, weights)) * asked

    head = sorted(enumerate(passages[:ORDER_POOL]), key=lambda ip: (-answers(ip[1]), ip[0]))
    return [p for _, p in head] + passages[ORDER_POOL:]


# A sentence is about what a figure was asked about when it (or its heading) shares one of the question's
# telling words, rarer than this in the documents (inverse document frequency, term_weights): "care"
# is everywhere, "workbook" and "probation" are not.
FIGURE_TELLING = 2.0


def _gives(figures: Sequence[Figure], unit: str, want: AbstractSet[str], heading: str = "",
           weights: Mapping[str, float] | None = None) -> bool:
    """Whether a sentence gives one of the figures asked for, about what was asked, in its own words or its
    passage's heading's: "10 working days to check the factual accuracy of a draft report" for "how long
    have we got to challenge the draft report?", "priced at £35" under "Good and outstanding care guide:
    workbook edition" for "what does the guide cost?", not "gaps between assessments (e.g. 18 months)"
    under "Consent > What to avoid" for "how long does a DoLS authorisation last?"."""
    shared = (terms(unit) | _heading_terms(heading)) & want
    return any(f.given.search(unit) for f in figures) and any(
        (weights or {}).get(t, FIGURE_TELLING) >= FIGURE_TELLING for t in shared)


@lru_cache(maxsize=2048)
def _heading_terms(heading: str) -> frozenset[str]:
    return terms(heading)


def figure_given(question: str, figures: Sequence[Figure], passages: list[Passage],
                 weights: Mapping[str, float]) -> bool:
    """Whether the passages give every figure the question asks for, each in a sentence about what it asks,
    and naming what the question names: the workbook's "£35 ... for Skills for Care's Registered Manager
    Members" shares "members" with "how much does NAPA membership cost?" but is not NAPA's price (after blind30
    was read)."""
    subject = _subject(question, figures)
    named = terms(" ".join(re.findall(r"\b[A-Za-z]*[A-Z]{2,}[A-Za-z]*\b", question))) & subject  # NAPA, eMAR

    def names_it(unit: str, heading: str) -> bool:
        return named <= terms(unit) | _heading_terms(heading)

    return all(any(_gives((f,), u, subject, p.chunk.heading_path, weights) and names_it(u, p.chunk.heading_path)
                   for p in passages for u in units(p))
               for f in figures)


def _subject(question: str, figures: Sequence[Figure]) -> AbstractSet[str]:
    """What a figure is asked about: the question's words without those that ask for it."""
    return terms(question) - terms(FIGURE_WORDS) if figures else terms(question)


def _lead(passages: list[Passage], want: AbstractSet[str], weights: dict[str, float],
          poor: bool, budget: int = LEAD_WORDS, answering: Mapping[str, float] | None = None,
          figures: Sequence[Figure] = (), subject: AbstractSet[str] = frozenset(),
          decay: float = 1.0, voices: BlockKind | None = None) -> list[tuple[int, str]]:
    """The sentences that answer the question best, from the passages found: each scored by its
    passage's rank score and the weighted share of the question's words it holds, and raised when it
    answered a question near this one in meaning (``answering``, retrieve/answered.py) or gives the
    figure it asks for (``figures``: "10 working days" for "how long have we got?"), without near-repeats,
    in the passages' order."""
    top = passages[0].score or 1.0
    pool = []
    for n, p in enumerate(passages[:LEAD_POOL], start=1):
        if (p.chunk.kind in WARNED) != poor:
            continue
        for i, u in enumerate(units(p)):
            if not quotable(u):
                continue
            shortness = (max(len(u.split()), SHORT_WORDS) / SHORT_WORDS) ** LEAD_LENGTH
            score = p.score / top * (HOLD_BASE + _holds(u, want, weights)) / shortness
            if answering:
                said = " ".join(u.split())
                near = max((sim for s, sim in answering.items() if said in s or s in said), default=0.0)
                score *= 1.0 + ANSWERED_LEAD * near
            if figures and _gives(figures, u, subject, p.chunk.heading_path, weights):
                score *= FIGURE_LEAD
            if voices is not None and p.chunk.kind is voices:
                score *= VOICES_LEAD
            pool.append((score, n, i, u))
    chosen: list[tuple[int, int, str]] = []
    taken: dict[int, int] = {}  # sentences chosen from each passage so far
    # Best first, lazily: a sentence whose passage has given more since it was scored is scored again and
    # put back (scores only fall, so the one on top with its score up to date is the best).
    heap = [(-score, n, i, u, 0) for score, n, i, u in pool]
    heapq.heapify(heap)
    while heap:
        neg, n, i, u, seen = heapq.heappop(heap)
        if seen != taken.get(n, 0):
            heapq.heappush(heap, (neg * decay ** (taken[n] - seen), n, i, u, taken[n]))
            continue
        words = terms(u)
        if any(len(words & terms(v)) > 0.6 * min(len(words), len(terms(v)) or 1) for _, _, v in chosen):
            continue
        chosen.append((n, i, u))
        taken[n] = taken.get(n, 0) + 1
        if sum(len(v.split()) for _, _, v in chosen) >= budget:
            break
    # In the passages' order, except that the sentence giving a figure asked for comes first: it is the answer
    # (chosen is best first: the best sentence giving a figure asked for)
    answer = next((c for c in chosen
                   if figures and _gives(figures, c[2], subject, passages[c[0] - 1].chunk.heading_path, weights)),
                  None)
    return [(n, u) for n, _, u in sorted(chosen, key=lambda c: (c is not answer, c[0], c[1]))]


def compose(question: str, passages: list[Passage], *, answerable: bool, safety: list[Situation] | None = None,
            scope: Topic | None = None, mode: str = "grounded", overview: bool = False,
            weights: dict[str, float] | None = None, missing: list[str] | None = None,
            around: str = "", about: str = "", answering: Mapping[str, float] | None = None,
            figures: Sequence[Figure] = (), voices: BlockKind | None = None,
            raising: Sequence[tuple[Passage, str]] = ()) -> Answer:
    """An answer whose every sentence of substance ends in a marker naming a returned citation.

    ``about`` is words besides the question's that the quotes are chosen by: after an emergency's safety
    lines, the guide's words for the situation, which are what its passages were found by (safety.toml).
    ``answering`` is the sentences that answered the questions nearest in meaning, which the lead favours.
    ``voices`` is the kind of block the question asks for as people's words (the telling signs), which the
    lead favours too.

    ``raising`` is the guide's rows on what to do about a concern, each with the passage that holds it
    (concern.toml): shown after the lead of an answer to a concern, less any the answer quotes already.

    ``around`` (after any safety lines) says that the documents speak only around the question (an
    emergency's first aid, a claim they do not make): what they say is quoted after it, and the answer
    is not marked as answered from them. So does a question asking for ``figures`` (how long, what it
    costs) when no sentence of the lead gives one of that kind.

    Safety-first lines (when the message describes an emergency) come first and cite the reviewed
    safety guidance; an unanswerable question says so and where such questions are answered instead.
    With ``overview`` (a whole key question), the key recommendations are listed section by section.
    """
    if scope is not None or not passages:
        answerable = False
    if raising and passages:
        # The concern rows' passages are cited after the ones found, before any safety lines' source (last, as
        # ever); at no score, they are never quoted but by the rows (the sections read passages above a floor).
        ids = {p.chunk.id for p in passages}
        passages = [*passages, *dict((p.chunk.id, p) for p, _ in raising if p.chunk.id not in ids).values()]
    citations = [Citation.from_passage(n, p) for n, p in enumerate(passages, start=1)] if answerable else []
    lines: list[str] = []
    if safety:
        # The lines and the source they cite speak of the person as the message does (safety.person_for).
        person = person_for(question, safety)
        cit = safety_citation(len(citations) + 1, safety, person)
        citations.append(cit)
        # The citation's text is the lines, one to a line, already said of the person.
        lines += ["Safety first:", *(f"- {mark_all(line, cit.n)}" for line in cit.text.splitlines()), ""]
        if not answerable and scope is None:
            # The safety lines are the answer; the documents do not hold one, and the answer says so.
            lines.append(SAFETY_ONLY)
            return Answer(text="\n".join(lines).strip(), citations=citations, answerable=False, mode=mode,
                          question=question)
    if not answerable:
        # A refusal names the question's telling words the documents never use (gate.uncovered), if any.
        unmentioned = f"The documents do not mention {_listed(missing)}." if missing else ""
        lines += [x for x in (unmentioned, NOT_FOUND, scope.where if scope else NOT_FOUND_WHERE) if x]
        return Answer(text="\n".join(lines).strip(), citations=citations, answerable=False, mode=mode,
                      question=question)
    said_at = len(lines)  # where the line saying what the documents speak to goes
    if safety or around:
        lines.append(around or "What the guide says:")
    want = terms(question) | terms(about)
    used: set[str] = set()

    def take(n: int, passage: Passage, limit: int) -> list[str]:
        out = []
        for s in _best_sentences(passage, want, limit):
            if s not in used:
                used.add(s)
                out.append(mark_all(s, n))
        return out

    summaries = [(n, p) for n, p in enumerate(passages, start=1) if p.chunk.kind is BlockKind.KEY_RECOMMENDATION]
    if overview and summaries:
        # A key question as a whole: its sections one by one, each with its key recommendations; one
        # section asked for by its code: all of its key recommendations.
        one = len({p.chunk.kloe for _, p in summaries}) == 1
        first = summaries[0][1].chunk
        lines.append(f"The guide's key recommendations for {first.kloe} {first.kloe_title}:" if one else
                     f"The guide's key recommendations for {first.key_question}, section by section:")
        for n, p in summaries:
            if one:
                lines += [f"- {q}" for q in take(n, p, SECTION_SUMMARY)]
            elif quoted := take(n, p, 3):
                lines.append(f"- {p.chunk.kloe} {p.chunk.kloe_title}:\n  {' '.join(quoted)}")
        return Answer(text="\n".join(lines).strip(), citations=citations, answerable=True, mode=mode,
                      question=question)

    floor = passages[0].score * QUOTE_FLOOR
    lead_is_poor = passages[0].chunk.kind in WARNED
    subject = _subject(question, figures) | terms(about)
    budget = SAFETY_LEAD_WORDS if safety else LEAD_WORDS

    def pick(poor: bool, words: int) -> list[tuple[int, str]]:
        return _lead(passages, want, weights or {}, poor, words, answering, figures, subject,
                     1.0 if safety else PASSAGE_DECAY, voices) if words > 0 else []

    # A warning first: it keeps POOR_SHARE of the words when the passages also hold what to do.
    split = lead_is_poor and any(p.chunk.kind not in WARNED for p in passages[:LEAD_POOL])
    lead = pick(lead_is_poor, int(budget * POOR_SHARE) if split else budget)
    advised = pick(False, budget - sum(len(u.split()) for _, u in lead)) if split else []
    absent = [f for f in figures
              if not any(_gives((f,), u, subject, passages[n - 1].chunk.heading_path, weights) for n, u in lead)]
    if absent and not around:
        # Passages on the subject without the figure asked for ("how long does a DoLS authorisation last?")
        what = " or ".join(f.what for f in absent)
        around = f"The documents do not give {what} for this; what they say on it:"
        lines[said_at:said_at + bool(safety)] = [around]  # in place of "What the guide says:"
    used.update(u for _, u in lead + advised)
    direct = [mark_all(u, n) for n, u in lead]
    if lead_is_poor:
        # The best match shows what goes wrong (usually because the question asked about it): say so first.
        lines.append(_POOR_LEADS[passages[0].chunk.kind])
    lines.append(" ".join(direct))
    if advised:
        lines += [_ADVISED_LEAD, " ".join(mark_all(u, n) for n, u in advised)]
    if raising and (safety or not around):  # not after a claim the documents do not make
        # What to do about a concern comes before the further sections: it is what the asker needs next.
        numbers = {p.chunk.id: n for n, p in enumerate(passages, start=1)}
        items = []
        for passage, row in raising:
            if not any(row in u or u in row for u in used):
                used.add(row)
                items.append(f"- {mark_all(row, numbers[passage.chunk.id])}")
        if items:
            lines += ["", concern.heading(), *items]

    for heading, kinds in _SECTIONS:
        items: list[str] = []
        for n, p in enumerate(passages, start=1):
            if p.chunk.kind not in kinds or p.score < floor:
                continue
            if _best_hold(p, want, weights or {}) < SECTION_HOLD:
                continue
            quoted = take(n, p, 2)
            if quoted and p.chunk.kind in _STORIES and (label := _who(p)):
                # Who did it and where, on a line of its own ending in ':' (a label, not a claim).
                items.append(f"- {label}:\n  {' '.join(quoted)}")
            else:
                items += [f"- {q}" for q in quoted]
        if items:
            lines += ["", heading, *items[:SECTION_ITEMS]]
    return Answer(text="\n".join(lines).strip(), citations=citations, answerable=not around, mode=mode,
                  question=question)


def declined(question: str, said: str, mode: str = "grounded") -> Answer:
    """A question that cannot be answered as asked (``askable``): why, in one or two sentences."""
    return Answer(text=said, citations=[], answerable=False, mode=mode, question=question)


def _listed(words: list[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
