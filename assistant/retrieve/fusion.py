"""From a question to ranked passages: dense + BM25 search, fusion, filters.

Hard filters (from the UI or batch input) restrict the candidates; what the question itself says
(a KLOE code, a setting, a wish for examples or what to avoid) only nudges the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from assistant.index.embedding import Embedder
from assistant.index.reader import IndexReader, Snapshot
from assistant.index.uploads import PUBLISHER as OWN_PUBLISHER
from assistant.retrieve.answered import Answered
from assistant.retrieve.filters import filter_values, passes
from assistant.retrieve.lexical import Bm25, Speller
from assistant.retrieve.providers import Providers
from assistant.retrieve.query import (
    FIGURES,
    Figure,
    Query,
    asks_overview,
    asks_summary,
    expand,
    joined,
    resolve_follow_up,
    understand,
    uses_care_terms,
    without_links,
)
from assistant.types import BlockKind, Chunk, Filters, Passage


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").replace("\u2018", "'").split())


@dataclass
class RankingWeights:
    """Knobs of the fusion, measured on the evaluation sets (see evals/)."""

    # 15 before: 10 lets a passage both searches put first outrank the answered examples' neighbours. Key points
    # over the 19 read sets 0.822 -> 0.826, with each set's questions left out 0.764 -> 0.767, with their passages
    # left out too 0.461 -> 0.466; blind18 (about passages no example points to) 0.560 -> 0.578 (README, Quality).
    rrf_k: int = 10
    dense: float = 1.0
    bm25: float = 1.0
    code_boost: float = 2.0
    # People's own uploaded policies: when one matches, it should lead (it is how *this* service works).
    own_document: float = 1.6
    key_question_boost: float = 1.5
    setting_match: float = 1.25
    setting_clash: float = 0.3  # 0.4 let a care home's story into a home-care emergency's top five; sets unchanged
    intent_boost: float = 1.5  # 1.8 before: key points rose on 11 of 16 read sets at 1.5 (README, Quality)
    # A question asking for a figure (how long, what it costs): passages giving one of that kind gain.
    figure_boost: float = 2.5
    # A question naming something in capitals ("Care Improvement Works"): passages that use the name gain.
    # (measured: 2.0 and at most 8 passages; a boost for every name, "the Mental Capacity Act" too, cost
    # key points on blind2, blind3, blind5 and blind13)
    name_boost: float = 2.0
    name_passages: int = 8  # also the most passages whose own words a provider's name may be in (providers.py)
    # How much a chunk gains from belonging to the section that the top candidates agree on.
    section_vote: float = 1.0
    section_pool: int = 20
    diversify: bool = True
    lead_ratio: float = 0.8
    expand_dense: bool = False  # measured: glossary words blur the embedding (evals/own.jsonl)
    expand_bm25: bool = True
    mend_spelling: bool = True
    # Pseudo-relevance feedback: weight of the second BM25 pass (0 turns it off), how many of the
    # first best passages it reads, and how many of their shared words it adds.
    prf_weight: float = 0.5
    # Questions answered before (retrieve/answered.py): the weight of their ranked list (0 turns it off).
    answered: float = 1.5
    # Passages attributed to a provider the question names ("What did Dales House do?"), ranked by meaning
    # among themselves: the weight of their list (retrieve/providers.py; 0 turns it off).
    provider: float = 1.0
    prf_passages: int = 3
    prf_terms: int = 10
    # A question asked after others is read as a follow-up or not by rule (query.resolve_follow_up), and the rule
    # is wrong both ways (a follow-up that names a new subject, a new question with a pronoun): the other reading
    # is searched too, its lists at this weight (0 turns it off). Measured by `python evals/follow_ups.py` (913
    # follow-ups of the read sets and 300 new questions after another, each left out; evidence in the top five):
    # 0 0.788 / 0.807, 0.3 0.796 / 0.830, 0.5 0.804 / 0.833, 0.7 0.813 / 0.837, 1.0 0.800 / 0.837.
    other_reading: float = 0.7
    # Prior by block kind: recommendations and examples answer most questions; quotes colour them.
    kind_prior: dict[BlockKind, float] = field(default_factory=lambda: {
        BlockKind.RECOMMENDATION: 1.15,  # 1.3 before: key points 0.863 -> 0.871 over 16 read sets (README)
        BlockKind.KEY_RECOMMENDATION: 1.1,
        BlockKind.PRACTICAL_EXAMPLE: 1.1,
        BlockKind.WHAT_TO_AVOID: 1.0,
        BlockKind.INTRODUCTION: 0.9,
        BlockKind.FRONT: 0.9,
        BlockKind.TEXT: 1.0,
        BlockKind.TELLING_SIGN_GOOD: 0.7,
        BlockKind.TELLING_SIGN_POOR: 0.7,
        BlockKind.PROVIDER_STORY: 0.7,
        BlockKind.PROVIDER_QUOTE: 0.8,  # measured: 0.6 kept "We introduced thematic supervisions" out of the top 6
        BlockKind.AVAILABLE_TO_HELP: 0.5,
    })






def _summary_first(snap: Snapshot, codes: tuple[str, ...], chosen: list[tuple[str, float]],
                   constraints: dict[str, list[str]], k: int) -> list[tuple[str, float]]:
    """A question that names a section and asks for its summary (``codes``, from ``asks_summary``: "a quick
    rundown of R3 for a team huddle") is answered from the section's key recommendations first, however
    few of its words they share."""
    if not codes or not chosen:
        return chosen
    top = chosen[0][1]
    summaries = [(c.id, top) for c in snap.chunks if c.kind is BlockKind.KEY_RECOMMENDATION
                 and c.kloe in codes and passes(c, constraints)]
    picked = {cid for cid, _ in summaries}
    return (summaries + [(cid, s) for cid, s in chosen if cid not in picked])[:max(k, len(summaries))]


# Kinds of block a question can ask for by name, which a section of the guide holds one list of.
_ASKED_OF_SECTION = frozenset({BlockKind.TELLING_SIGN_GOOD, BlockKind.TELLING_SIGN_POOR, BlockKind.WHAT_TO_AVOID})
_SECOND = 0.999  # a score just under the best passage's


def _section_block(snap: Snapshot, lead: Chunk, kind: BlockKind, ranked: list[tuple[str, float]]) -> str | None:
    """The id of the leading section's block of ``kind``: the best ranked one, or else its first in the guide."""
    key = _section_key(lead)
    for cid, _ in ranked:
        c = snap.by_id[cid]
        if c.kind is kind and _section_key(c) == key:
            return cid
    first = min((c for c in snap.chunks if c.kind is kind and _section_key(c) == key),
                key=lambda c: c.line_start, default=None)
    return first.id if first else None


def _section_key(chunk: Chunk) -> tuple[str, str | None, str | None]:
    """What a chunk belongs to: a KLOE section of the guide, a front-matter section, or another document."""
    if chunk.kloe:
        return (chunk.doc_id, chunk.kloe, chunk.section)
    return (chunk.doc_id, chunk.key_question, chunk.section if chunk.kind is BlockKind.FRONT else None)


@dataclass(frozen=True)
class Asked:
    """A question as it is searched: read against one build, its misspellings mended once."""

    question: str  # as typed, mended
    search_text: str  # what is matched: with a follow-up, the earlier question too, mended the same way
    snap: Snapshot
    # The reading of a question asked after others that the rule did not choose: the question alone when it was
    # read as a follow-up, the earlier question with it when not ("" for a first question)
    other: str = ""


@dataclass
class Retrieval:
    passages: list[Passage]
    query: Query
    best_dense: float  # cosine similarity of the best dense match: what the relevance gate reads
    text: str = ""  # what was searched for
    overview: bool = False  # the passages are a key question's sections, in the guide's order
    # The sentences that answered the questions nearest in meaning (retrieve/answered.py), and how near.
    answering: dict[str, float] = field(default_factory=dict)
    # Whether the questions nearest in meaning say it tells of a concern the guide covers (retrieve/answered.py)
    concern: bool = False
    # The best dense match of the reading the follow-up rule did not choose (0 for a first question)
    other_dense: float = 0.0

    @cached_property
    def care_terms(self) -> bool:
        """Whether the question uses a specific care term of the glossary: asked only when it decides
        the relevance gate (answer/gate.py), as it is one long pattern's search."""
        return uses_care_terms(self.text)


# How many kinds of ask (``_fuse``) have their chunks' boosts kept per build at most.
_BOOST_ASKS = 256


class Retriever:
    """Hybrid retrieval over an ``IndexReader``; BM25 is rebuilt only when the index changes."""

    def __init__(self, reader: IndexReader, embedder: Embedder, weights: RankingWeights | None = None,
                 answered: Answered | None = None) -> None:
        self.reader = reader
        self.embedder = embedder
        self.weights = weights or RankingWeights()
        self.answered = answered  # questions answered before, and where their answers were
        self._lookups: dict[str, list[float]] = {}  # an emergency's guide words, or a concern's, and their vector

    def bm25(self, snap: Snapshot) -> Bm25:
        """The BM25 index of a build, made once per build."""
        return snap.cached("bm25", lambda: Bm25(snap.chunks))

    def speller(self, snap: Snapshot) -> Speller:
        """The documents' vocabulary for mending misspellings, made once per build."""
        return snap.cached("speller", lambda: Speller(snap.chunks))

    def read(self, question: str, history: Sequence[str] = ()) -> Asked:
        """The one place a question is mended and joined to the question it follows on from, against
        the current build (re-opened here if a newer one was published)."""
        self.reader.refresh()
        snap = self.reader.snapshot  # one build for the whole question, even if a rebuild lands meanwhile
        speller = self.speller(snap) if self.weights.mend_spelling else None
        question = without_links(question)
        mended = speller.mend(question) if speller else question
        # Only the last earlier questions can be borrowed (resolve_follow_up), so only they are mended.
        before = [speller.mend(h) if speller else h for h in history[-3:]]
        search_text = resolve_follow_up(mended, before)
        other = "" if not before else mended if search_text != mended else joined(mended, before)
        return Asked(mended, search_text, snap, other)

    def retrieve(self, asked: Asked, filters: Filters | None, k: int, n: int, lookup: str = "",
                 codes: tuple[str, ...] = (), overview: bool = False,
                 known: tuple[str, list[float]] | None = None, stated: tuple[Figure, ...] = (),
                 lead: str = "") -> Retrieval:
        """The ``k`` best of ``n`` candidates per retriever for a question as ``read``; ``lookup`` is
        words matched before the question's (an emergency's guide words), and ``codes`` are KLOE
        sections to favour as if the question had named them. With ``overview``, a question about a
        whole key question gets the key recommendations of every section of it, in the guide's order,
        even if that is more than ``k`` (Well-led has seven). ``known`` is a text already embedded and its
        vector, used when that is the text to embed. ``lead`` is the guide's words for what the question
        tells of in its own (query.lead_words), searched for besides it. Safe to call from several threads."""
        snap, question = asked.snap, asked.question
        search_text = f"{lookup} {asked.search_text}" if lookup else asked.search_text
        # Intents and setting come from what was asked now; the topic may come from earlier questions.
        query = understand(question)
        if search_text and search_text != question:
            context = understand(search_text)
            query = Query(text=question, codes=query.codes or context.codes,
                          key_question=query.key_question or context.key_question,
                          setting=query.setting or context.setting, intents=query.intents,
                          figures=query.figures, stated=query.stated, voices=query.voices)
        if codes:
            query = replace(query, codes=tuple(dict.fromkeys((*query.codes, *codes))))
        if stated:  # a claim's figure ("CQC gives 28 days") is checked against the documents' of that kind
            query = replace(query, stated=stated)
        text = search_text or question
        w = self.weights
        constraints = filter_values(filters or Filters())
        expanded = expand(text)
        embedded = expanded if self.weights.expand_dense else text
        if known and known[0] == embedded:
            vector = known[1]
        elif lookup:
            # An emergency's message sits far from the guide's words in MiniLM's space (that is why it
            # has `lookup`): the dense search is for the guide's words alone, embedded once per situation
            # (BM25 and the boosts still read the message). Measured: the same scores on the emergency
            # sets, and an emergency answered in one embedding fewer (README, Quality).
            if lookup not in self._lookups:
                self._lookups[lookup] = self.embedder.embed_query(lookup)
            vector = self._lookups[lookup]
        else:
            vector = self.embedder.embed_query(embedded)
        keep = (lambda c: passes(c, constraints)) if constraints else None
        dense = self.reader.dense(snap, vector, n, keep)
        bm25_text = expanded if w.expand_bm25 else text
        sparse = self.bm25(snap).search(bm25_text, n, constraints)
        boosts: dict[str, float] = {}  # one query's boost of a chunk, shared by both fusions
        lists = [(w.dense, dense), (w.bm25, sparse)]
        if lead:  # a concern in the asker's words is answered by the guide's in none of them
            if lead not in self._lookups:
                self._lookups[lead] = self.embedder.embed_query(lead)
            lists.append((w.dense, self.reader.dense(snap, self._lookups[lead], n, keep)))
        other_vector, other_best = None, 0.0
        if asked.other and w.other_reading and not lookup:
            # The reading the follow-up rule did not choose, at a lower weight: what both readings find leads.
            other = expand(asked.other)
            other_text = other if w.expand_dense else asked.other
            # A follow-up's other reading is the question alone, which the chat has embedded already (``known``)
            other_vector = known[1] if known and known[0] == other_text else self.embedder.embed_query(other_text)
            other_dense = self.reader.dense(snap, other_vector, n, keep)
            other_best = max((score for _, score in other_dense), default=0.0)
            lists += [(w.dense * w.other_reading, other_dense),
                      (w.bm25 * w.other_reading, self.bm25(snap).search(
                          other if w.expand_bm25 else asked.other, n, constraints))]
        # An emergency's passages are looked up by its reviewed guide words, not by questions near them.
        near, concern, others = [], False, []
        if self.answered is not None and w.answered and not lookup:
            wants = BlockKind.PRACTICAL_EXAMPLE in query.intents
            neighbours = self.answered.nearest(vector, wants)
            near, concern = neighbours.questions, neighbours.concern
            # The other reading's neighbours too, at its weight: the examples are first questions, so a follow-up
            # read with the question before it is near that question's answers, and read alone near its own
            # ("what should the first week look like for them?"). Stop 55, `python evals/follow_ups.py`:
            # follow-ups 0.801 -> 0.824 in the top five, new questions after another 0.837 -> 0.890.
            if other_vector is not None and (others := self.answered.nearest(other_vector, wants).questions):
                lists.append((w.answered * w.other_reading, self.answered.ranked(snap, others, keep)))
        if near:
            lists.append((w.answered, self.answered.ranked(snap, near, keep)))
        held: frozenset[str] = frozenset()
        if w.provider and not lookup:
            providers = snap.cached("providers", lambda: Providers(snap.chunks))
            if held := providers.attributed(question, w.name_passages):
                lists.append((w.provider, self.reader.dense(
                    snap, vector, n, lambda c: c.id in held and (not constraints or passes(c, constraints)))))
        raw = self._rrf(lists)
        fused = self._fuse(snap, query, raw, boosts, held)
        if w.prf_weight and fused:
            # A second BM25 pass with the words the first best passages share finds the passages that
            # say the same thing in the guide's words rather than the asker's. It reads the search text
            # (with a follow-up's context), not the glossary's additions: those made it worse (evals/).
            bm25 = self.bm25(snap)
            extra = bm25.feedback_terms(text, [snap.by_id[c].text for c, _ in fused[: w.prf_passages]],
                                        w.prf_terms)
            if extra:
                again = bm25.search(text, n, constraints, extra=extra)
                fused = self._fuse(snap, query, self._rrf([(w.prf_weight, again)], raw), boosts, held)
        whole = overview and asks_overview(query)
        summary = asks_summary(query)  # the sections a question asks to have summed up, if any
        if whole:
            chosen = self._overview(snap, query, fused, constraints, k)
        else:
            chosen = self._diversify(snap, query, fused, k) if self.weights.diversify else fused[:k]
            chosen = _summary_first(snap, summary, chosen, constraints, k)
        passages = [Passage(snap.by_id[i], score) for i, score in chosen]
        sections = {p.chunk.kloe for p in passages if p.chunk.kind is BlockKind.KEY_RECOMMENDATION}
        # A key question as a whole, or the sections a question names and asks to have summed up.
        overview = len(sections) >= 2 if whole else bool(sections & set(summary))
        return Retrieval(passages, query, max((s for _, s in dense), default=0.0), text, overview=overview,
                         other_dense=other_best,
                         answering=self._answering(near, others), concern=concern)

    def _answering(self, near: list[tuple[int, float]], others: list[tuple[int, float]]) -> dict[str, float]:
        """The sentences that answered the nearest questions, for the lead to favour; those that answered the other
        reading's nearest at its weight (stop 55, `python evals/follow_ups.py`: key points of follow-ups 0.636 ->
        0.648, of new questions after another 0.751 -> 0.795)."""
        out = self.answered.sentences(near) if near else {}
        for sentence, sim in (self.answered.sentences(others) if others else {}).items():
            out[sentence] = max(out.get(sentence, 0.0), sim * self.weights.other_reading)
        return out

    def _rrf(self, lists: list[tuple[float, list[tuple[str, float]]]], start: dict[str, float] | None = None
             ) -> dict[str, float]:
        """Reciprocal rank fusion of weighted ranked lists, added to ``start`` (the lists fused before: the
        feedback search's fusion adds its list to the first one's sums instead of adding them up again)."""
        scores = dict(start or {})
        for weight, ranked in lists:
            for rank, (cid, _) in enumerate(ranked):
                scores[cid] = scores.get(cid, 0.0) + weight / (self.weights.rrf_k + rank + 1)
        return scores

    def _fuse(self, snap: Snapshot, query: Query, raw: dict[str, float], boosts: dict[str, float],
              held: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
        """The fused sums (``_rrf``) times each chunk's boost and its section's share of the best; ``held``
        are the passages of a provider the question names, boosted as a name's are."""
        w = self.weights
        keys = snap.cached("section_keys", lambda: {c.id: _section_key(c) for c in snap.chunks})
        scores = dict(raw)
        # Only a name few passages use tells which passage is about it ("Care Improvement Works", not "the
        # Mental Capacity Act", which dozens mention)
        plain = snap.cached("plain_texts", lambda: {c.id: _plain(f"{c.heading_path} {c.text}") for c in snap.chunks})
        named: set[str] = set(held)
        for name in query.names:
            holders = {cid for cid, text in plain.items() if name in text}
            if len(holders) <= w.name_passages:
                named |= holders
        # The kinds of figure each passage gives, found once per build rather than for every candidate of
        # every question (it was a tenth of a warm answer)
        given = snap.cached("figures_given", lambda: {c.id: frozenset(f for f in FIGURES if f.given.search(c.text))
                                                       for c in snap.chunks})
        # A chunk's boost depends only on what the question asks for (its codes, setting, kinds, figures) and
        # on the chunk, so it is kept per build for each such ask: most questions ask for the same few (a warm
        # answer's p50, `python -m assistant bench`). A name's boost is applied last, as ``_boost`` does.
        asks = (query.codes, query.key_question, query.setting, query.intents, query.figures, query.stated)
        kept = snap.cached("boosts", dict)
        table = kept.get(asks)
        if table is None:
            if len(kept) >= _BOOST_ASKS:  # bounded: a server asked for many combinations starts afresh
                kept.clear()
            table = kept[asks] = {}
        for cid in scores:
            if cid not in boosts:
                if (base := table.get(cid)) is None:
                    base = table[cid] = self._boost(query, snap.by_id[cid], False, given.get(cid, frozenset()))
                boosts[cid] = base * w.name_boost if cid in named else base
            scores[cid] *= boosts[cid]
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        # Section vote: the KLOE section holding most of the best candidates is probably the topic.
        mass: dict[tuple[str, str | None, str | None], float] = {}
        for cid, score in ranked[: w.section_pool]:
            key = keys[cid]
            mass[key] = mass.get(key, 0.0) + score
        total = sum(mass.values()) or 1.0
        for cid in scores:
            scores[cid] *= 1.0 + w.section_vote * mass.get(keys[cid], 0.0) / total
        return sorted(scores.items(), key=lambda kv: -kv[1])

    def _overview(self, snap: Snapshot, query: Query, ranked: list[tuple[str, float]],
                  constraints: dict[str, list[str]], k: int) -> list[tuple[str, float]]:
        """A key question as a whole ("what will the inspector look for under Well-led?"): the key
        recommendations of each of its sections in the guide's order (scored as fused, or just under the
        last candidate when the search did not reach them), then the best other passages up to ``k``."""
        score = dict(ranked)
        floor = min(score.values(), default=0.0) * 0.99
        summaries = sorted((c for c in snap.chunks if c.kind is BlockKind.KEY_RECOMMENDATION and c.kloe
                            and c.key_question == query.key_question and passes(c, constraints)),
                           key=lambda c: (c.kloe or "", c.line_start))
        picks = {c.id: score.get(c.id, floor) for c in summaries}
        for cid, s in ranked:
            if len(picks) >= k:
                break
            picks.setdefault(cid, s)
        return list(picks.items())

    def _diversify(self, snap: Snapshot, query: Query, ranked: list[tuple[str, float]], k: int
                   ) -> list[tuple[str, float]]:
        """The best passages, making sure the leading section's best recommendation and practical
        example are among them: an answer needs what to do *and* how others did it."""
        if not ranked:
            return []
        lead = snap.by_id[ranked[0][0]]
        picks: dict[str, float] = {}
        if lead.kloe:
            for kind in (BlockKind.RECOMMENDATION, BlockKind.PRACTICAL_EXAMPLE):
                for cid, score in ranked[: self.weights.section_pool]:
                    c = snap.by_id[cid]
                    if c.kind is kind and _section_key(c) == _section_key(lead):
                        picks[cid] = score
                        break
            # A kind of block the question asks for by name (what people say, what to avoid) comes from the
            # leading section even when the search did not reach it ("and what does a resident say to
            # inspectors when it's right?" after a question on care plans wants R1's telling signs, which share
            # no words with it), second after the best passage; not when recommendations are asked for as
            # well (what an inspector looks for).
            asked_for = () if {BlockKind.RECOMMENDATION, BlockKind.KEY_RECOMMENDATION} & set(query.intents) \
                else [k for k in query.intents if k in _ASKED_OF_SECTION]
            for kind in asked_for:
                if cid := _section_block(snap, lead, kind, ranked):
                    picks[cid] = max(picks.get(cid, 0.0), next((s for c, s in ranked if c == cid), 0.0),
                                     ranked[0][1] * _SECOND)
        for cid, score in ranked:
            if len(picks) >= k:
                break
            picks.setdefault(cid, score)
        out = sorted(picks.items(), key=lambda kv: -kv[1])[:k]
        # Lead with what to do: the lead section's best recommendation goes first when it is nearly as
        # strong as the top passage, unless the question asked for another kind of block.
        asked = set(query.intents)
        if self.weights.lead_ratio and lead.kind not in asked and lead.kind is not BlockKind.RECOMMENDATION:
            for i, (cid, score) in enumerate(out[1:4], start=1):
                c = snap.by_id[cid]
                if c.kind is BlockKind.RECOMMENDATION and _section_key(c) == _section_key(lead) \
                        and score >= self.weights.lead_ratio * out[0][1]:
                    out.insert(0, out.pop(i))
                    break
        # What people say, asked for as such ("and when it's working, what do residents say?"), leads when the
        # lead section has it among the passages: their words share little with the question, so a warning or a
        # recommendation beside it often scores higher (after blind28 was read).
        if query.voices is not None and lead.kind is not query.voices:
            i = next((i for i, (cid, _) in enumerate(out) if snap.by_id[cid].kind is query.voices
                      and _section_key(snap.by_id[cid]) == _section_key(lead)), None)
            if i:
                out.insert(0, out.pop(i))
        return out

    def _boost(self, query: Query, chunk: Chunk, named: bool = False,
               figures: frozenset[Figure] = frozenset()) -> float:
        w = self.weights
        factor = 1.0
        if query.codes and chunk.kloe in query.codes:
            factor *= w.code_boost
        elif query.key_question and chunk.key_question == query.key_question:
            factor *= w.key_question_boost
        if query.setting:
            if chunk.service_type == query.setting:
                factor *= w.setting_match
            elif chunk.service_type in ("R", "C"):
                factor *= w.setting_clash
        if chunk.kind in query.intents:
            factor *= w.intent_boost
        else:
            factor *= w.kind_prior.get(chunk.kind, 1.0)
        if chunk.publisher == OWN_PUBLISHER:
            factor *= w.own_document
        if figures.intersection(query.figures) or figures.intersection(query.stated):
            factor *= w.figure_boost
        if named:
            factor *= w.name_boost
        return factor
