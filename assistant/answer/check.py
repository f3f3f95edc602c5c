"""Checking a model's reply against the passages it was given, sentence by sentence.

A sentence is kept only when it carries [n] markers, every marker names a passage that was given,
and its words are in the passages it cites: at least ``min_support`` of them (the rule of
``evals/score.py``'s claim_support), every number, and every negation ("not", "never", "avoid"),
so that "do not restrain" cannot become "restrain". Sentences that give a dose are dropped, as
the grounded answer never quotes one. Anything else is left out, never shown.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from assistant.answer.grounded import has_dose, split_sentences, with_marker

# Normalised as evals/score.py does, so that a sentence kept here counts as supported there.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_MARK = re.compile(r"\[(\d+)\]")
_GROUPED = re.compile(r"\[\s*(\d+(?:\s*(?:,|and|&)\s*\d+)+)\s*\]")
_NAMED = re.compile(r"\[\s*(?:passage|source|ref(?:erence)?)\s*(\d+)\s*\]", re.I)
_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+\])+)")
_STYLE = re.compile(r"[*#`]+|^\s*(?:[-•▪◦·]|\d+[.)])\s+")
_NEGATIONS = frozenset({"not", "never", "no", "don't", "doesn't", "didn't", "shouldn't", "mustn't", "cannot",
                        "can't", "won't", "avoid", "without", "nothing", "none", "nor", "neither"})
_DECLINE = re.compile(r"passages? (do|does|did) not|(not|isn't|is not) (covered|mentioned|answered)|"
                      r"no (information|answer)|(cannot|can't|unable to) (answer|find)", re.I)
_PENDING = re.compile(r"[\s\[\]\d]*")
CLAIM_WORDS = 6  # a claim, as the scorer counts them: a sentence of six or more words


def norm_words(text: str) -> list[str]:
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).translate(_QUOTES).lower()
    return re.sub(r"[^\w'\s-]", " ", text).split()


def tidy_markers(reply: str) -> str:
    """'[1, 2]' -> '[1][2]', '[Passage 3]' -> '[3]', and 'Text. [1]' -> 'Text [1].' (so that the
    marker stays with its sentence when the reply is split)."""
    reply = _NAMED.sub(r"[\1]", reply)
    reply = _GROUPED.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), reply)
    return _AFTER_STOP.sub(r"\2\1", reply)


@dataclass(frozen=True)
class Verdict:
    sentence: str  # as the model wrote it
    shown: str  # as it is shown, with its markers at the end; "" when left out
    reason: str  # why it was left out: "", "heading", "no marker", "unknown source", "unsupported", ...
    claim: bool  # six or more words

    @property
    def substantive(self) -> bool:
        """A sentence that says something (not a heading, a stray number or an empty piece)."""
        return self.reason not in ("heading", "empty", "declined")


@dataclass
class Checker:
    """Judges sentences of one reply against the passages, by number, that the model was given."""

    texts: dict[int, str]
    min_support: float = 0.8
    verdicts: list[Verdict] = field(default_factory=list)
    _words: dict[int, set[str]] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._words = {n: set(norm_words(t)) for n, t in self.texts.items()}

    def check(self, sentence: str) -> Verdict:
        verdict = self._judge(sentence)
        self.verdicts.append(verdict)
        return verdict

    def _judge(self, sentence: str) -> Verdict:
        ns = sorted({int(n) for n in _MARK.findall(sentence)})
        body = _STYLE.sub("", _MARK.sub(" ", sentence))
        body = re.sub(r"\s+([.!?,;:])", r"\1", re.sub(r"\s+", " ", body)).strip()
        words = norm_words(body)
        claim = len(words) >= CLAIM_WORDS

        def out(reason: str) -> Verdict:
            return Verdict(sentence, "", reason, claim)

        if not any(w.isalpha() for w in words):
            return out("empty")
        if not ns:
            if body.endswith(":"):
                return out("heading")
            return out("declined" if _DECLINE.search(body) else "no marker")
        if any(n not in self._words for n in ns):
            return out("unknown source")
        if has_dose(body):
            return out("dose")
        cited = set().union(*(self._words[n] for n in ns))
        if sum(w in cited for w in words) < self.min_support * len(words):
            return out("unsupported")
        if any(w in _NEGATIONS and w not in cited for w in words):
            return out("negation")
        if any(any(ch.isdigit() for ch in w) and w not in cited for w in words):
            return out("number")
        key = " ".join(words)
        if key in self._seen:
            return out("repeated")
        self._seen.add(key)
        return Verdict(sentence, with_marker(body, *ns), "", claim)

    # ------------------------------------------------------------ the reply as a whole

    @property
    def text(self) -> str:
        return " ".join(v.shown for v in self.verdicts if v.shown)

    @property
    def kept(self) -> int:
        return sum(bool(v.shown) for v in self.verdicts)

    @property
    def dropped(self) -> int:
        return sum(not v.shown and v.substantive for v in self.verdicts)

    @property
    def declined(self) -> bool:
        return any(v.reason == "declined" for v in self.verdicts)

    def enough(self, min_kept: float) -> bool:
        """At least one claim kept, and at least ``min_kept`` of the sentences that said something."""
        kept_claims = sum(bool(v.shown) and v.claim for v in self.verdicts)
        said = self.kept + self.dropped
        return kept_claims >= 1 and self.kept >= min_kept * said


class SentenceStream:
    """Cuts a reply that arrives in pieces into sentences as soon as each one is complete.

    A sentence counts as complete once text that is neither space nor a marker follows it, so that a
    marker written after the full stop ('... abuse. [1]') still joins its sentence.
    """

    def __init__(self) -> None:
        self.buffer = ""
        self.done = 0

    def feed(self, piece: str) -> list[str]:
        self.buffer += piece
        pieces = split_sentences(tidy_markers(self.buffer))
        while pieces and _PENDING.fullmatch(pieces[-1]):
            pieces.pop()  # a marker on its way ('[', '[1') belongs to the sentence before it
        ready = pieces[self.done: -1] if pieces else []
        self.done += len(ready)
        return ready

    def close(self) -> list[str]:
        pieces = split_sentences(tidy_markers(self.buffer))
        rest = pieces[self.done:]
        self.done = len(pieces)
        return rest
