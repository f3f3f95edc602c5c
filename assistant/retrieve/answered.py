"""Questions answered before: where the passages were that answered the questions nearest in meaning.

MiniLM puts a question much nearer to another question than to the guide's wording of its answer: "lady
on my round is barely touching her lunch" is far from "Ensure food, nutrition and hydration training is
provided to all staff" and near "one of our residents is hardly touching her tea". So each answerable
question of the evaluation sets that are tuned on is kept with the sentences that answer it
(``assistant/data/answered_examples.jsonl``, written by ``scripts/examples.py``; the held-out
sets never are), and a new question's nearest ones say which passages to rank: one more ranked list in the
fusion (retrieve/fusion.py), beside the dense and BM25 searches, never a passage the search could not
find by itself or an answer written in advance. Measured by leaving each set out in turn, and on the
sets nobody tuned for (README, Quality).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.index.reader import Snapshot
from assistant.index.store import write_atomic
from assistant.labelled import DATA, embedded, kept
from assistant.top import highest
from assistant.types import Chunk

EXAMPLES = DATA / "answered_examples.jsonl"
NEIGHBOURS = 3  # nearest answered questions that vote
# Cosine between the two questions below which an answered question says nothing. A question about a passage
# no example was answered by is still near questions answered by its neighbours, which then pull those in
# instead (``eval --leave-out passages``: over the 18 read sets, key points 0.457 at 0.5 and 0.509 at 0.6).
# But 0.6 cost the sets nobody read more than that regime gained: heldout's key points 0.782 -> 0.755 and
# hit5 0.922 -> 0.898, refusals4 to 7 about 0.035 each, blind18 (about new passages) 0.560 -> 0.558. So 0.5.
MIN_SIMILARITY = 0.5
# A concern the guide covers ("a senior flicks a resident's ear to make him sit still") is told by the answered
# questions nearest it: at least CONCERN_VOTES of the CONCERN_NEIGHBOURS nearest, each at CONCERN_SIMILARITY or
# more, were concerns (an evaluation set's answerable "safety" questions). Each read set left out in turn
# (`python evals/concern_left_out.py`, stop 52): 153 of 253 concerns found, and 23 of 9,730 other first questions;
# blind35-37 (read, not examples) 17 of 36 and 1 of 1,620. 2 of 5 found 171 and 43; 3 of 5, 135 and 9.
# Stop 54, with blind39 among them: 3 of 7 found 206 of 313 and 19 of 12,430; 3 of 9, 220 and 45; 2 of 7, 239 and
# 85. 3 of 9: the 26 more "others" it finds are nearly all concerns in all but their writer's label ("heard a
# colleague shout 'sit down!' at a man who walks about a lot", "we keep the shower room locked so she can't go
# in alone"), and the guide's rows on speaking up suit them; 2 of 7's next 44 reach "wants to self-medicate".
CONCERN_NEIGHBOURS = 9
CONCERN_VOTES = 3
CONCERN_SIMILARITY = 0.4


@dataclass(frozen=True, slots=True)
class Near:
    """The answered questions nearest a new one (position, similarity), and whether they say it tells of a concern."""

    questions: list[tuple[int, float]]
    concern: bool


@dataclass(frozen=True, slots=True)
class Answered:
    # per answered question, the sentences that answer it, space as the documents' lines break it aside
    evidence: tuple[tuple[str, ...], ...]
    vectors: Any  # numpy array, one unit row per answered question
    version: str = ""  # which examples: the passages holding them are worked out once per build and version
    # per answered question, whether it asked for examples: its sentences are then how others did it
    wants_examples: tuple[bool, ...] = ()
    texts: tuple[str, ...] = ()  # the answered questions themselves
    concerns: tuple[bool, ...] = ()  # per answered question, whether it told of a concern (CONCERN_VOTES)
    # The folder the passages holding the examples are kept in for the next process (``holders``): the one
    # their vectors are kept in. None for a set of examples made for one evaluation (``without``).
    kept_in: Path | None = field(default=None, compare=False)
    # ``wants_examples`` as a numpy mask, made once rather than on every question (a warm answer's p50)
    _wants: Any = field(init=False, repr=False, compare=False)
    _concerns: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        import numpy as np

        object.__setattr__(self, "_wants", np.asarray(self.wants_examples, dtype=bool))
        object.__setattr__(self, "_concerns", np.asarray(self.concerns or (False,) * len(self.evidence), dtype=bool))

    def without(self, questions: Collection[str]) -> Answered:
        """These examples less ``questions`` (``labelled.kept``), under a version of their own, so that the
        passages holding them are worked out for this set of examples, not taken from the whole one's."""
        return self._only(kept(self.texts, questions))

    def without_passages(self, snap: Snapshot, passages: Collection[str]) -> Answered:
        """These examples less every one answered by one of ``passages`` (chunk ids of ``snap``): a question
        scored as if no example had been answered from where its answer is (``eval --leave-out passages``)."""
        holders, gone = self.holders(snap), set(passages)
        keep = [i for i, held in enumerate(holders) if not gone.intersection(held)]
        fewer = self._only(keep)
        snap.cached(f"answered-{fewer.version}", lambda: [holders[i] for i in keep])  # not searched for again
        return fewer

    def _only(self, keep: list[int]) -> Answered:
        """The examples at positions ``keep``, under a version named by them."""
        import hashlib

        version = hashlib.sha256(" ".join(map(str, keep)).encode()).hexdigest()[:8]
        return Answered(tuple(self.evidence[i] for i in keep), self.vectors[keep], f"{self.version}-{version}",
                        tuple(self.wants_examples[i] for i in keep), tuple(self.texts[i] for i in keep),
                        tuple(self.concerns[i] for i in keep) if self.concerns else ())

    def nearest(self, vector: list[float], wants_examples: bool | None = None) -> Near:
        """The nearest answered questions (``NEIGHBOURS``, at least ``MIN_SIMILARITY``) and how near. With
        ``wants_examples``, only those that asked for examples as the new question does (or did not): "is
        there a real example of a service reducing restraint?" was answered by a story, and "how can we
        reduce restraint?" is answered by what to do, however near the two questions are in meaning.
        Also whether the question tells of a concern (``CONCERN_VOTES``), from the same product. (The question's
        own vector where the search's has the glossary's words added found the same 5 of blind35's and
        blind36's 24 concerns, for a second product.)"""
        import numpy as np

        if not self.evidence:
            return Near([], False)
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        around = highest(sims, CONCERN_NEIGHBOURS)
        concern = int((self._concerns[around] & (sims[around] >= CONCERN_SIMILARITY)).sum()) >= CONCERN_VOTES
        if wants_examples is not None and self.wants_examples:
            sims = np.where(self._wants & (not wants_examples), -1.0, sims)
        top = highest(sims, NEIGHBOURS).tolist()
        return Near([(i, float(sims[i])) for i in top if sims[i] >= MIN_SIMILARITY], concern)

    def ranked(self, snap: Snapshot, near: list[tuple[int, float]], keep: Callable[[Chunk], bool] | None = None
               ) -> list[tuple[str, float]]:
        """The passages that answered the ``nearest`` questions, best first: each scored by the summed
        similarity of the questions it answered."""
        if not near:
            return []
        holders = self.holders(snap)
        scores: dict[str, float] = {}
        for i, sim in near:
            for cid in holders[i]:
                if keep is None or keep(snap.by_id[cid]):
                    scores[cid] = scores.get(cid, 0.0) + sim
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))

    def sentences(self, near: list[tuple[int, float]]) -> dict[str, float]:
        """The sentences that answered the ``nearest`` questions, each with the similarity of the nearest
        question it answered: what the answer's lead favours."""
        out: dict[str, float] = {}
        for i, sim in near:
            for sentence in self.evidence[i]:
                out[sentence] = max(out.get(sentence, 0.0), sim)
        return out

    def holders(self, snap: Snapshot) -> list[tuple[str, ...]]:
        """For each answered question, the passages of this build that hold one of its sentences: worked out
        once per build, uploads and version of the examples (by first words: 0.3 s), and kept in a file for the
        next process, which reads them (a tenth of that) when all three are the same."""
        spaced = spaced_texts(snap)  # outside the entry below: the build's cache lock is not re-entrant
        return snap.cached(f"answered-{self.version}", lambda: self._held(snap, spaced))

    def _held(self, snap: Snapshot, spaced: list[tuple[str, str]]) -> list[tuple[str, ...]]:
        key = f"{HOLDERS_FORMAT}:{self.version}:{snap.build}:{snap.uploads_version}:{len(spaced)}"
        path = self.kept_in / HOLDERS_FILE if self.kept_in else None
        if path is not None:
            with contextlib.suppress(OSError, ValueError):
                kept = json.loads(path.read_text(encoding="utf-8"))
                held = kept.get("holders") if isinstance(kept, dict) and kept.get("key") == key else None
                # a file cut short or edited by hand is not trusted: every id must be a passage of this build
                if isinstance(held, list) and len(held) == len(self.evidence) and all(
                        isinstance(ids, list) and all(isinstance(i, str) and i in snap.by_id for i in ids)
                        for ids in held):
                    return [tuple(ids) for ids in held]
        made = passages_holding(self.evidence, spaced)
        if path is not None and path.parent.is_dir():
            # whole or not at all; a read-only index folder only costs the next process the time to work them out
            with contextlib.suppress(OSError):
                write_atomic(path, json.dumps({"key": key, "holders": made}, separators=(",", ":")))
        return made


# The file of the passages holding the examples (``Answered.holders``), and its format: a key of another format is
# not read.
HOLDERS_FILE = "answered-holders.json"
HOLDERS_FORMAT = 1

# Sentences are looked up by their first words: a passage is checked for a sentence only where those words
# stand in it, not for every sentence of every answered question (3.1 million substring tests, 5 s at start).
_KEY_WORDS = 3


def spaced_texts(snap: Snapshot) -> list[tuple[str, str]]:
    """Each passage of ``snap`` as (id, text with single spaces), as sentences are looked up in: made once a build."""
    return snap.cached("spaced_texts", lambda: [(c.id, " ".join(c.text.split())) for c in snap.chunks])


def holding(snap: Snapshot, sentences: Collection[str]) -> set[str]:
    """The ids of the passages of ``snap`` that hold one of ``sentences`` (an evaluation row's evidence)."""
    wanted = tuple(" ".join(e.split()) for e in sentences)
    return set(passages_holding((wanted,), spaced_texts(snap))[0]) if wanted else set()


def passages_holding(evidence: tuple[tuple[str, ...], ...], texts: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    """For each answered question, the ids of the passages (id, text with single spaces) that hold one of its
    sentences, in the passages' order."""
    by_key: dict[tuple[str, ...], set[str]] = {}
    short: set[str] = set()  # sentences of fewer words than a key: tested against every passage
    for ev in evidence:
        for sentence in ev:
            words = tuple(sentence.split()[:_KEY_WORDS])
            if len(words) < _KEY_WORDS:
                short.add(sentence)
            else:
                by_key.setdefault(words, set()).add(sentence)
    held: dict[str, set[str]] = {}  # sentence -> passages holding it
    for cid, text in texts:
        words = text.split()
        # a sentence may start inside a word of the passage ("(Ensure"): keys are tried on every word's tail too
        candidates = {s for i in range(len(words)) for k in _starts(words, i) for s in by_key.get(k, ())}
        for sentence in candidates | short:
            if sentence in text:
                held.setdefault(sentence, set()).add(cid)
    order = {cid: i for i, (cid, _) in enumerate(texts)}
    return [tuple(sorted(set().union(*(held.get(e, set()) for e in ev)), key=order.__getitem__)) for ev in evidence]


def _starts(words: list[str], i: int) -> list[tuple[str, ...]]:
    """The key of the words from ``i``, and of each shorter tail of word ``i`` followed by the rest."""
    rest = tuple(words[i + 1 : i + _KEY_WORDS])
    first = words[i]
    return [(first[j:], *rest) for j in range(len(first))]


def load(embedder: Any, cache_dir: Path, path: Path = EXAMPLES) -> Answered:
    """The answered questions, their sentences and their vectors (embedded once per version, kept in
    ``cache_dir``)."""
    from assistant.retrieve.query import wants_examples

    rows, vectors, version = embedded(path, embedder, cache_dir)
    return Answered(tuple(tuple(sys.intern(" ".join(e.split())) for e in r["evidence"]) for r in rows), vectors,
                    version, tuple(wants_examples(r["text"]) for r in rows), tuple(r["text"] for r in rows),
                    tuple(bool(r.get("concern")) for r in rows), kept_in=cache_dir)
