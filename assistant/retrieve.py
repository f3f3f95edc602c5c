"""From a question to ranked passages: query understanding, dense + BM25 search, fusion, filters.

Hard filters (from the UI or batch input) restrict the candidates; what the question itself says
(a KLOE code, a setting, a wish for examples or what to avoid) only nudges the ranking.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from assistant.index import Embedder, IndexReader, Snapshot
from assistant.kloe import KLOE_CODES
from assistant.types import BlockKind, Chunk, Filters, Passage
from assistant.uploads import PUBLISHER as OWN_PUBLISHER

_CODE = re.compile(r"\b([SECRWsecrw])\s?([1-7])\b")
_SETTING = {
    "C": re.compile(r"\b(home ?care|domiciliary|care at home|(?:clients?|people)'?s?'? own homes?|"
                    r"visits?|community (?:care|service)|supported living|care agency|home care agency)\b", re.I),
    "R": re.compile(r"\b(care homes?|nursing homes?|residential|residents?|dementia unit|lounge|"
                    r"dining room)\b", re.I),
}
_KEY_QUESTION = {
    "Well-led": re.compile(r"\bwell[- ]?led\b", re.I),
    "Responsive": re.compile(r"\bresponsive\b", re.I),
    "Effective": re.compile(r"\beffective\b(?= key question|\?|$)|\bunder (the )?effective\b", re.I),
    "Caring": re.compile(r"\bcaring\b(?= key question|\?|$)|\bunder (the )?caring\b", re.I),
    "Safe": re.compile(r"\bsafe\b(?= key question|\?|$)|\bunder (the )?safe\b", re.I),
}
_INSPECTOR = re.compile(r"\binspectors? (will |would |might )?(look|looks|looking|expect|want|check)", re.I)
_INTENT: dict[BlockKind, re.Pattern[str]] = {
    # A session for the team ("a supervision session on dignity") is built around what others did.
    BlockKind.PRACTICAL_EXAMPLE: re.compile(r"\b(examples?|ideas?|how do other|what have other|in practice|"
                                            r"(supervision|training|team) (sessions?|topics?|meetings? on)|"
                                            r"toolbox talks?|discussion questions?)\b", re.I),
    BlockKind.WHAT_TO_AVOID: re.compile(r"\b(avoid|wrong|bad practice|mistakes?|pitfalls?|not to do|poor)\b", re.I),
    BlockKind.TELLING_SIGN_POOR: re.compile(r"\b(going wrong|inadequate|requires improvement|telling signs?|"
                                            r"would (?:residents|people|staff|families) say)\b", re.I),
    BlockKind.TELLING_SIGN_GOOD: re.compile(r"\b(telling signs?|inspectors? (?:look|quote)|outstanding)\b", re.I),
    BlockKind.KEY_RECOMMENDATION: re.compile(r"\b(key recommendations?|summar[iy]\w*|cover|covers|about|overview|"
                                             r"main points?)\b", re.I),
    # Questions about inspections and ratings themselves are answered by the guide's front sections.
    BlockKind.FRONT: re.compile(
        r"\b(ratings?|rated|draft (inspection )?report|factual accuracy|inspection (report|process|visit)|"
        r"inspectors? (will )?(ask|asks|talk|speak)|prepar\w* for (an |the |our )?inspection|mock inspections?|"
        r"provider information (return|collection)|aggregat\w*|"
        r"(cqc|inspector|inspection) (is )?(coming|due|visit\w*))\b",
        re.I,
    ),
}
# A short question that names a code ("what does W3 cover?") asks for the section's summary.
_CODE_ONLY_WORDS = 8


_GLOSSARY = Path(__file__).resolve().parent / "data" / "glossary.toml"


@cache
def _glossary() -> tuple[tuple[tuple[re.Pattern[str], ...], str, bool], ...]:
    data = tomllib.loads(_GLOSSARY.read_text(encoding="utf-8"))
    return tuple((tuple(re.compile(p, re.I) for p in t["when"]), t["add"], t.get("specific", False))
                 for t in data["term"])


def expand(text: str) -> str:
    """The question followed by the guide's words for the everyday terms it uses (see glossary.toml)."""
    adds = [add for patterns, add, _ in _glossary() if any(p.search(text) for p in patterns)]
    return f"{text} {' '.join(dict.fromkeys(adds))}" if adds else text


def uses_care_terms(text: str) -> bool:
    """Whether the text uses one of the glossary's specific care terms ("MAR chart", "spot checks")."""
    return any(specific and any(p.search(text) for p in patterns) for patterns, _, specific in _glossary())


@cache
def pattern_words() -> frozenset[str]:
    """The words the reviewed data files match on ("complan", "fortisip"): never 'mended' into others."""
    texts = [_GLOSSARY.read_text(encoding="utf-8")]
    texts += [(_GLOSSARY.parent / name).read_text(encoding="utf-8") for name in ("safety.toml", "out_of_scope.toml")]
    return frozenset(w for text in texts for w in re.findall(r"[a-z]{5,}", text.lower()))


@dataclass(frozen=True, slots=True)
class Query:
    """A question as the retriever understands it."""

    text: str
    codes: tuple[str, ...] = ()
    key_question: str | None = None
    setting: str | None = None  # "R" or "C"
    intents: tuple[BlockKind, ...] = ()


def understand(text: str) -> Query:
    """Codes, setting and intents mentioned in a question. Never fails; unknown words are ignored."""
    codes = tuple(dict.fromkeys(f"{m.group(1).upper()}{m.group(2)}" for m in _CODE.finditer(text)))
    codes = tuple(c for c in codes if c in KLOE_CODES)
    c_hits = len(_SETTING["C"].findall(text))
    r_hits = len(_SETTING["R"].findall(text))
    setting = "C" if c_hits > r_hits else "R" if r_hits > c_hits else None
    if re.search(r"rather than care homes?|not (?:a |in a )?care homes?", text, re.I):
        setting = "C"
    intents = tuple(kind for kind, pattern in _INTENT.items() if pattern.search(text))
    key_question = next((kq for kq, pattern in _KEY_QUESTION.items() if pattern.search(text)), None)
    if not codes and not key_question:
        intents = tuple(k for k in intents if k is not BlockKind.KEY_RECOMMENDATION)
    if codes and len(_CODE.sub("", text).split()) <= _CODE_ONLY_WORDS:
        intents = (BlockKind.KEY_RECOMMENDATION, *intents)
    if _INSPECTOR.search(text):
        intents = (*intents, BlockKind.KEY_RECOMMENDATION, BlockKind.RECOMMENDATION, BlockKind.TELLING_SIGN_GOOD)
    return Query(text=text, codes=codes, key_question=key_question, setting=setting,
                 intents=tuple(dict.fromkeys(intents)))


@dataclass
class RankingWeights:
    """Knobs of the fusion, measured on the evaluation sets (see evals/)."""

    rrf_k: int = 15
    dense: float = 1.0
    bm25: float = 1.0
    code_boost: float = 2.0
    # People's own uploaded policies: when one matches, it should lead (it is how *this* service works).
    own_document: float = 1.6
    key_question_boost: float = 1.5
    setting_match: float = 1.25
    setting_clash: float = 0.4
    intent_boost: float = 1.8
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
    prf_passages: int = 3
    prf_terms: int = 10
    # Prior by block kind: recommendations and examples answer most questions; quotes colour them.
    kind_prior: dict[BlockKind, float] = field(default_factory=lambda: {
        BlockKind.RECOMMENDATION: 1.3,
        BlockKind.KEY_RECOMMENDATION: 1.1,
        BlockKind.PRACTICAL_EXAMPLE: 1.1,
        BlockKind.WHAT_TO_AVOID: 1.0,
        BlockKind.INTRODUCTION: 0.9,
        BlockKind.FRONT: 0.9,
        BlockKind.TEXT: 1.0,
        BlockKind.TELLING_SIGN_GOOD: 0.7,
        BlockKind.TELLING_SIGN_POOR: 0.7,
        BlockKind.PROVIDER_STORY: 0.7,
        BlockKind.PROVIDER_QUOTE: 0.6,
        BlockKind.AVAILABLE_TO_HELP: 0.5,
    })


def filter_values(filters: Filters) -> dict[str, list[str]]:
    """Hard filters as metadata constraints; a setting filter keeps content for all services too."""
    out: dict[str, list[str]] = {}
    if filters.service_type in ("R", "C"):
        out["service_type"] = [filters.service_type, "A", ""]
    elif filters.service_type == "A":
        out["service_type"] = ["A", ""]
    if filters.key_question:
        out["key_question"] = [filters.key_question]
    if filters.kloe:
        out["kloe"] = [filters.kloe]
    if filters.doc_id:
        out["doc_id"] = [filters.doc_id]
    return out


def _passes(chunk: Chunk, constraints: dict[str, list[str]]) -> bool:
    return all((getattr(chunk, key) or "") in values for key, values in constraints.items())


class Bm25:
    """BM25 over the heading path and text of every chunk, stemmed, stop words removed."""

    def __init__(self, chunks: list[Chunk]) -> None:
        import bm25s
        import Stemmer

        # bm25s sets its own logger to DEBUG on import; ours follows ASSISTANT_LOG_LEVEL like the rest.
        logging.getLogger("bm25s").setLevel(logging.NOTSET)
        self._bm25s = bm25s
        self._stemmer = Stemmer.Stemmer("english")
        self.chunks = chunks
        tokens = bm25s.tokenize([c.embed_text for c in chunks], stopwords="en", stemmer=self._stemmer,
                                show_progress=False)
        self._index = bm25s.BM25()
        self._index.index(tokens, show_progress=False)

    def tokens(self, texts: list[str]) -> list[list[str]]:
        """Each text as BM25 reads it: stemmed words, stop words removed."""
        return self._bm25s.tokenize(texts, stopwords="en", stemmer=self._stemmer, return_ids=False,
                                    show_progress=False)

    def feedback_terms(self, question: str, texts: list[str], n: int) -> list[str]:
        """Pseudo-relevance feedback: the ``n`` words (not in the question) that most of the best
        passages share, most shared first."""
        asked = set(self.tokens([question])[0])
        counts = Counter(t for words in self.tokens(texts) for t in dict.fromkeys(words) if t not in asked)
        return [t for t, c in counts.most_common(n) if c >= 2]

    def search(self, text: str, n: int, constraints: dict[str, list[str]],
               extra: list[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the ``n`` best chunks with a positive score that pass the filters;
        ``extra`` words are searched for besides the text's own."""
        # Repeated words are kept: a word the glossary adds again weighs more, as measured.
        tokens = self.tokens([text])[0] + (extra or [])
        if not tokens:
            return []
        scores = self._index.get_scores(tokens)
        out: list[tuple[str, float]] = []
        for i in scores.argsort()[::-1]:
            if scores[i] <= 0 or len(out) >= n:
                break
            if _passes(self.chunks[i], constraints):
                out.append((self.chunks[i].id, float(scores[i])))
        return out


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


class Speller:
    """Mends the misspellings people type ("inadequete", "safegaurding") with the nearest word that
    the documents use. Only words of five letters or more that are neither English (pyspellchecker's
    dictionary) nor used by the documents are touched, and only by a close match that starts with the
    same letter and is about as long: "plain" never becomes "pain", nor "wages" "ages"."""

    MIN_LETTERS = 5
    MIN_SIMILARITY = 85  # rapidfuzz ratio (0-100): one slip in a ten-letter word scores 90

    def __init__(self, chunks: list[Chunk]) -> None:
        import Stemmer
        from spellchecker import SpellChecker

        self._english = SpellChecker(language="en", distance=1)
        self._stem = Stemmer.Stemmer("english").stemWord
        words = {w for c in chunks for w in _WORD.findall(c.embed_text.lower())}
        self.known = frozenset(words) | frozenset(self._stem(w) for w in words) | pattern_words()
        self._choices = sorted(w for w in words if len(w) >= self.MIN_LETTERS - 1)

    def mend(self, text: str) -> str:
        """``text`` with each misspelled word replaced by the documents' spelling."""
        from rapidfuzz import fuzz, process

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            low = word.lower()
            if len(low) < self.MIN_LETTERS or low in self.known or self._stem(low) in self.known \
                    or low in self._english:
                return word
            for best, _, _ in process.extract(low, self._choices, scorer=fuzz.ratio, limit=3,
                                              score_cutoff=self.MIN_SIMILARITY):
                if best[0] == low[0] and abs(len(best) - len(low)) <= 1:
                    return best.capitalize() if word[0].isupper() else best
            return word

        return re.sub(r"[A-Za-z]+(?:'[A-Za-z]+)?", fix, text)


# "What will the inspector look for under Well-led?" asks about a key question as a whole: once the
# key question, the asking and the setting are taken out, nothing is left ("... about duty of candour"
# leaves "duty candour" and is answered as usual).
_OVERVIEW_FILLER = re.compile(
    r"\b(well[- ]?led|safe|effective|caring|responsive|key|questions?|kloes?|lines? of enquiry|what|which|will|would|"
    r"does|do|is|are|the|a|an|an?|for|under|on|in|of|about|cover|covers|covered|mean|means|look|looks|looking|"
    r"expect|expects|want|check|checks|inspectors?|inspections?|cqc|recommendations?|summary|summarise|overview|"
    r"main|points?|tell|me|us|we|our|my|i|you|explain|please|guide|say|says|this|that|it|they|there|at|"
    r"care ?homes?|home ?care|service|services|domiciliary|residential|nursing|homes?)\b|[^\w\s]", re.I)


def asks_overview(query: Query) -> bool:
    """Whether a question asks about a whole key question rather than something in it."""
    return bool(query.key_question and not query.codes and BlockKind.KEY_RECOMMENDATION in query.intents
                and not _OVERVIEW_FILLER.sub(" ", query.text).strip())


def _section_key(chunk: Chunk) -> tuple[str, str | None, str | None]:
    """What a chunk belongs to: a KLOE section of the guide, a front-matter section, or another document."""
    if chunk.kloe:
        return (chunk.doc_id, chunk.kloe, chunk.section)
    return (chunk.doc_id, chunk.key_question, chunk.section if chunk.kind is BlockKind.FRONT else None)


@dataclass
class Retrieval:
    passages: list[Passage]
    query: Query
    best_dense: float  # cosine similarity of the best dense match: what the relevance gate reads
    care_terms: bool = False  # the question uses a specific care term of the glossary
    overview: bool = False  # the passages are a key question's sections, in the guide's order


class Retriever:
    """Hybrid retrieval over an ``IndexReader``; BM25 is rebuilt only when the index changes."""

    def __init__(self, reader: IndexReader, embedder: Embedder, weights: RankingWeights | None = None) -> None:
        self.reader = reader
        self.embedder = embedder
        self.weights = weights or RankingWeights()

    def bm25(self, snap: Snapshot) -> Bm25:
        """The BM25 index of a build, made once per build."""
        return snap.cached("bm25", lambda: Bm25(snap.chunks))

    def speller(self, snap: Snapshot) -> Speller:
        """The documents' vocabulary for mending misspellings, made once per build."""
        return snap.cached("speller", lambda: Speller(snap.chunks))

    def mend(self, text: str) -> str:
        """``text`` with its misspellings mended (as typed when mending is off)."""
        if not self.weights.mend_spelling:
            return text
        self.reader.refresh()
        return self.speller(self.reader.snapshot).mend(text)

    def retrieve(self, question: str, filters: Filters | None, k: int, n: int,
                 search_text: str | None = None, codes: tuple[str, ...] = (), overview: bool = False) -> Retrieval:
        """The ``k`` best of ``n`` candidates per retriever for ``question``; ``search_text`` (e.g. with
        a follow-up's context) is what is matched when given, and ``codes`` are KLOE sections to favour
        as if the question had named them. With ``overview``, a question about a whole key question
        gets the key recommendations of every section of it, in the guide's order, even if that is
        more than ``k`` (Well-led has seven). Safe to call from several threads."""
        self.reader.refresh()
        snap = self.reader.snapshot  # one build for the whole call, even if a rebuild lands meanwhile
        if self.weights.mend_spelling:
            speller = self.speller(snap)
            search_text = speller.mend(search_text) if search_text else None
            question = speller.mend(question)
        # Intents and setting come from what was asked now; the topic may come from earlier questions.
        query = understand(question)
        if search_text and search_text != question:
            context = understand(search_text)
            query = Query(text=question, codes=query.codes or context.codes,
                          key_question=query.key_question or context.key_question,
                          setting=query.setting or context.setting, intents=query.intents)
        if codes:
            query = replace(query, codes=tuple(dict.fromkeys((*query.codes, *codes))))
        text = search_text or question
        w = self.weights
        constraints = filter_values(filters or Filters())
        expanded = expand(text)
        vector = self.embedder.embed_query(expanded if self.weights.expand_dense else text)
        dense = self.reader.dense(snap, vector, n, constraints)
        bm25_text = expanded if w.expand_bm25 else text
        sparse = self.bm25(snap).search(bm25_text, n, constraints)
        fused = self._fuse(snap, query, [(w.dense, dense), (w.bm25, sparse)])
        if w.prf_weight and fused:
            # A second BM25 pass with the words the first best passages share finds the passages that
            # say the same thing in the guide's words rather than the asker's. It reads the search text
            # (with a follow-up's context), not the glossary's additions: those made it worse (evals/).
            bm25 = self.bm25(snap)
            extra = bm25.feedback_terms(text, [snap.by_id[c].text for c, _ in fused[: w.prf_passages]],
                                        w.prf_terms)
            if extra:
                again = bm25.search(text, n, constraints, extra=extra)
                fused = self._fuse(snap, query, [(w.dense, dense), (w.bm25, sparse), (w.prf_weight, again)])
        whole = overview and asks_overview(query)
        if whole:
            chosen = self._overview(snap, query, fused, constraints, k)
        else:
            chosen = self._diversify(snap, query, fused, k) if self.weights.diversify else fused[:k]
        passages = [Passage(snap.by_id[i], score) for i, score in chosen]
        return Retrieval(passages, query, max((s for _, s in dense), default=0.0), uses_care_terms(text),
                         overview=whole and len({p.chunk.kloe for p in passages
                                                 if p.chunk.kind is BlockKind.KEY_RECOMMENDATION}) >= 2)

    def _fuse(self, snap: Snapshot, query: Query, lists: list[tuple[float, list[tuple[str, float]]]]
              ) -> list[tuple[str, float]]:
        w = self.weights
        scores: dict[str, float] = {}
        for weight, ranked in lists:
            for rank, (cid, _) in enumerate(ranked):
                scores[cid] = scores.get(cid, 0.0) + weight / (w.rrf_k + rank + 1)
        for cid in scores:
            scores[cid] *= self._boost(query, snap.by_id[cid])
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        # Section vote: the KLOE section holding most of the best candidates is probably the topic.
        mass: dict[tuple[str, str | None, str | None], float] = {}
        for cid, score in ranked[: w.section_pool]:
            key = _section_key(snap.by_id[cid])
            mass[key] = mass.get(key, 0.0) + score
        total = sum(mass.values()) or 1.0
        for cid in scores:
            scores[cid] *= 1.0 + w.section_vote * mass.get(_section_key(snap.by_id[cid]), 0.0) / total
        return sorted(scores.items(), key=lambda kv: -kv[1])

    def _overview(self, snap: Snapshot, query: Query, ranked: list[tuple[str, float]],
                  constraints: dict[str, list[str]], k: int) -> list[tuple[str, float]]:
        """A key question as a whole ("what will the inspector look for under Well-led?"): the key
        recommendations of each of its sections in the guide's order (scored as fused, or just under the
        last candidate when the search did not reach them), then the best other passages up to ``k``."""
        score = dict(ranked)
        floor = min(score.values(), default=0.0) * 0.99
        summaries = sorted((c for c in snap.chunks if c.kind is BlockKind.KEY_RECOMMENDATION and c.kloe
                            and c.key_question == query.key_question and _passes(c, constraints)),
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
        return out

    def _boost(self, query: Query, chunk: Chunk) -> float:
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
        return factor
