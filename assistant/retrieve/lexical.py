"""Words: BM25 over the chunks, and the speller that mends misspellings against the documents' own words."""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import cache, lru_cache
from typing import Any

from assistant.retrieve.filters import passes
from assistant.retrieve.query import pattern_words
from assistant.types import Chunk


@cache
def _stemmer() -> Any:  # PyStemmer has no type stubs
    import Stemmer

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """A word's Snowball stem, as BM25 reads it ("shadowed", "shadowing" -> "shadow")."""
    return str(_stemmer().stemWord(word))


# The same passages and questions are read several times a question (search, feedback) and across
# questions: each text is read once.
@lru_cache(maxsize=20_000)
def _read(text: str) -> tuple[str, ...]:
    import bm25s

    return tuple(bm25s.tokenize([text], stopwords="en", stemmer=_stemmer(), return_ids=False,
                                show_progress=False)[0])


def prepare(texts: list[str]) -> None:
    """Read every passage once now (a server's start), for the feedback search of the first questions."""
    for text in texts:
        _read(text)


class Bm25:
    """BM25 over the heading path and text of every chunk, stemmed, stop words removed."""

    def __init__(self, chunks: list[Chunk]) -> None:
        import bm25s

        # bm25s sets its own logger to DEBUG on import; ours follows ASSISTANT_LOG_LEVEL like the rest.
        logging.getLogger("bm25s").setLevel(logging.NOTSET)
        self.chunks = chunks
        tokens = bm25s.tokenize([c.embed_text for c in chunks], stopwords="en", stemmer=_stemmer(),
                                show_progress=False)
        self._index = bm25s.BM25()
        self._index.index(tokens, show_progress=False)

    def tokens(self, texts: list[str]) -> list[list[str]]:
        """Each text as BM25 reads it: stemmed words, stop words removed."""
        return [list(_read(t)) for t in texts]

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
        order = scores.argsort()[::-1]
        ranked = zip(order.tolist(), scores[order].tolist(), strict=True)  # plain numbers: one conversion
        out: list[tuple[str, float]] = []
        for i, score in ranked:
            if score <= 0 or len(out) >= n:
                break
            if not constraints or passes(self.chunks[i], constraints):
                out.append((self.chunks[i].id, score))
        return out


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


# Shortenings people type for the documents' own words ("key recs under R2 please"): too short for the
# speller, and never words of their own.
_SHORT_FORMS = {"recs": "recommendations", "reccs": "recommendations", "recomms": "recommendations",
                "rec": "recommendation", "recc": "recommendation", "reqs": "requirements",
                "mgr": "manager", "mgrs": "managers", "mgmt": "management", "appt": "appointment",
                "appts": "appointments"}
_SHORT = re.compile(r"\b(" + "|".join(_SHORT_FORMS) + r")\b", re.I)


class Speller:
    """Mends the misspellings people type ("inadequete", "safegaurding") with the nearest word that
    the documents use. Only words of five letters or more that are neither English (pyspellchecker's
    dictionary) nor used by the documents are touched, and only by a close match that starts with the
    same letter and is about as long: "plain" never becomes "pain", nor "wages" "ages"."""

    MIN_LETTERS = 5
    MIN_SIMILARITY = 85  # rapidfuzz ratio (0-100): one slip in a ten-letter word scores 90
    # pyspellchecker's dictionary is American: "maths", "pyjamas" and "mould" are not in it, and "maths"
    # became "mats". A word as common in English as these is typed on purpose; slips ("seperate",
    # "recieve", "untill") stay below it (wordfreq Zipf 2.7-3.0).
    ENGLISH_ZIPF = 3.2

    def __init__(self, chunks: list[Chunk]) -> None:
        import Stemmer
        self._stem = Stemmer.Stemmer("english").stemWord
        words = {w for c in chunks for w in _WORD.findall(c.embed_text.lower())}
        self.known = frozenset(words) | frozenset(self._stem(w) for w in words) | pattern_words()
        self._choices = sorted(w for w in words if len(w) >= self.MIN_LETTERS - 1)

    def mend(self, text: str) -> str:
        """``text`` with each misspelled word replaced by the documents' spelling."""
        from rapidfuzz import fuzz, process

        from assistant.english import spelled, zipf

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            low = word.lower()
            if len(low) < self.MIN_LETTERS or low in self.known or self._stem(low) in self.known \
                    or spelled(low) or zipf(low) >= self.ENGLISH_ZIPF:
                return word
            for best, _, _ in process.extract(low, self._choices, scorer=fuzz.ratio, limit=3,
                                              score_cutoff=self.MIN_SIMILARITY):
                if best[0] == low[0] and abs(len(best) - len(low)) <= 1:
                    return best.capitalize() if word[0].isupper() else best
            return word

        text = _SHORT.sub(lambda m: _SHORT_FORMS[m.group(0).lower()], text)
        return re.sub(r"[A-Za-z]+(?:'[A-Za-z]+)?", fix, text)
