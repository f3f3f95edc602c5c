"""Emergencies recognised by meaning, as well as by the reviewed patterns (safety.py).

Patterns miss what nobody wrote them for: on a set of emergencies written after them (broken English,
understated, shorthand, buried in a long message) they found under half. A message is also compared,
with the same MiniLM vector the search uses, with labelled example messages
(``assistant/data/emergency_examples.jsonl``, made by ``scripts/examples.py``): emergencies
of each situation and ordinary questions about the same topics. When no pattern matches, and the
nearest example is an emergency, close enough, and its situation has most of the nearest examples'
weight, the message is answered as that situation (chat.py). The settings were chosen by leaving each
example out in turn (README, Quality), never on the held-out sets.

Questions about something else altogether are recognised the same way: "whats a good quick lasagne
recipe, doing a bring and share at my kids school" shares a school with a practical
example, and the relevance gate lets it through; its nearest labelled questions
(``assistant/data/topic_examples.jsonl``) are a stew recipe and a cup final, not care. Written by
``scripts/examples.py`` too.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.labelled import DATA, embedded, kept
from assistant.top import highest

EXAMPLES = DATA / "emergency_examples.jsonl"
NEIGHBOURS = 7  # nearest examples that vote
# Each votes with its similarity to this power, so that a few middling examples of one situation do not
# outvote the nearest of another ("a face like a balloon after her new tablets" is nearest to allergic
# reactions, and next to several strokes' faces). Left out one at a time: the right situation for 206 of
# 311 emergencies (202 with plain similarity), the same 6 false alarms in 1,057 ordinary questions.
VOTE_POWER = 4
MIN_SIMILARITY = 0.55  # cosine to the nearest example, below which nothing is recognised
# An emergency is recognised when its situation's vote is more than this share of the ordinary questions' vote:
# an emergency missed costs more than a question given safety lines it did not need. Left out one at a time
# over the examples (stop 53, `python evals/recognise_left_out.py`), nearest an emergency: 1.0 recognised
# 1,292 of 1,431 emergencies with 26 false alarms in 15,995 ordinary questions; 0.7, 1,306 and 32; 0.5, 1,313 and 42.
AGAINST_ORDINARY = 0.7
TOPICS = DATA / "topic_examples.jsonl"
# Off the topic of care: the nearest of these labelled questions, and more of the weight of this many than
# the care questions among them, are about something else, and the nearest is closer than anything in
# the documents. Chosen by leaving each set out in turn: 41 of 68 such questions found, none of 480
# answerable ones (README, Quality).
TOPIC_NEIGHBOURS = 3
# About care: the nearest labelled questions are all care questions, and the nearest is at least this
# close. Such a question is held to the bar of one that uses a care term (answer/gate.py): "lady on my
# round is barely touching her lunch" is far from the guide's "nutrition and hydration" in MiniLM's
# space, but next to care questions. Chosen by leaving each set out in turn: 2 of the 4 answerable
# questions the gate refused are answered, none of the 59 unanswerable ones it refused (README, Quality).
CARE_SIMILARITY = 0.55


@dataclass(frozen=True, slots=True)
class Recogniser:
    labels: tuple[str | None, ...]  # a situation id, or None for a question that is not an emergency
    vectors: Any  # numpy array, one unit row per example
    about: tuple[str, ...] = ()  # "care" or "elsewhere" (another subject), per topic example
    topic_vectors: Any = None
    texts: tuple[str, ...] = ()  # the emergency examples' messages
    topic_texts: tuple[str, ...] = ()

    def without(self, questions: Collection[str]) -> Recogniser:
        """These examples less ``questions`` (``labelled.kept``)."""
        keep, topic = kept(self.texts, questions), kept(self.topic_texts, questions)
        return Recogniser(tuple(self.labels[i] for i in keep), self.vectors[keep],
                          tuple(self.about[i] for i in topic), self.topic_vectors[topic],
                          tuple(self.texts[i] for i in keep), tuple(self.topic_texts[i] for i in topic))

    def _topics(self, vector: list[float]) -> list[tuple[str, float]]:
        """The nearest labelled questions' subjects ("care" or "elsewhere") and similarities, nearest first."""
        import numpy as np

        if not self.about:
            return []
        sims = self.topic_vectors @ np.asarray(vector, dtype=np.float32)
        return [(self.about[i], float(sims[i])) for i in highest(sims, TOPIC_NEIGHBOURS)]

    def off_topic(self, vector: list[float], best_dense: float) -> bool:
        """Whether the question is about something other than care (a recipe, a cup final, a hotel):
        nearer to such questions than to care questions and to anything in the documents. Meaning here
        is the subject, so a question that makes no sense about a care subject is not told this way."""
        top = self._topics(vector)
        away = sum(sim for about, sim in top if about == "elsewhere")
        near = sum(sim for about, sim in top if about == "care")
        return bool(top) and top[0][0] == "elsewhere" and away > near and top[0][1] > best_dense

    def nearest_about(self, vector: list[float]) -> str | None:
        """What the nearest labelled question is about ("care" or "elsewhere"), if there are any."""
        top = self._topics(vector)
        return top[0][0] if top else None

    def about_care(self, vector: list[float]) -> bool:
        """Whether the question is about care by meaning: its nearest labelled questions are all care
        questions, the nearest close enough (``CARE_SIMILARITY``)."""
        top = self._topics(vector)
        return bool(top) and all(about == "care" for about, _ in top) and top[0][1] >= CARE_SIMILARITY

    def situations(self, vector: list[float]) -> list[str]:
        """The situation the message is nearest to, if it is an emergency at all (at most one)."""
        import numpy as np

        if not self.labels:
            return []
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        top = highest(sims, NEIGHBOURS).tolist()
        best = voted([self.labels[i] for i in top], [float(sims[i]) for i in top])
        return [best] if best is not None else []


def voted(labels: Sequence[str | None], sims: Sequence[float], against: float = AGAINST_ORDINARY) -> str | None:
    """The situation the nearest examples (their labels and similarities, nearest first) vote for, or None
    for an ordinary question: the nearest must be an emergency, near enough, and its situation's vote more
    than ``against`` times the ordinary questions'."""
    if not labels or sims[0] < MIN_SIMILARITY or labels[0] is None:
        return None
    votes: dict[str | None, float] = {}
    for label, sim in zip(labels, sims, strict=True):
        votes[label] = votes.get(label, 0.0) + sim**VOTE_POWER
    ordinary = votes.pop(None, 0.0)
    if not votes:
        return None
    best = max(sorted(votes, key=str), key=votes.__getitem__)  # sorted: a tie between situations goes alike
    return best if votes[best] > against * ordinary else None


def load(embedder: Any, cache_dir: Path) -> Recogniser:
    """The examples and their vectors, embedded once per version of each examples file and kept in
    ``cache_dir`` (the encoder's folder in the index), so that a start-up reads them from disk."""
    emergencies, vectors, _ = embedded(EXAMPLES, embedder, cache_dir)
    topics, topic_vectors, _ = embedded(TOPICS, embedder, cache_dir)
    if bad := {r.get("about") for r in topics} - {"care", "elsewhere"}:
        raise ValueError(f"{TOPICS.name}: unknown 'about' {sorted(map(str, bad))}; use care or elsewhere")
    return Recogniser(tuple(r.get("situation") for r in emergencies), vectors,
                      tuple(str(r["about"]) for r in topics), topic_vectors,
                      tuple(str(r["text"]) for r in emergencies), tuple(str(r["text"]) for r in topics))
