"""The relevance gate: whether the documents speak to a question, decided here and only here.

Each test compares the cosine similarity of the best dense match with ``Settings.min_relevance``
times a multiplier that is also a setting, so one change of the gate is one change of Settings.
The multipliers were measured in ``evals/`` (README, Quality).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.retrieve.fusion import Retrieval


def answers(found: Retrieval, settings: Settings) -> bool:
    """Whether the passages found answer an ordinary question. A question in care's own words
    ("fortisips", "acrylic nails") can sit far from the guide's wording in MiniLM's space and still
    be about care practice, so one using a specific glossary term is held to a lower bar."""
    factor = settings.relevance_care_terms if found.care_terms else 1.0
    return found.best_dense >= settings.min_relevance * factor


def about_emergency(found: Retrieval, settings: Settings) -> bool:
    """Whether the passages found for an emergency are about the situation at all, to follow its
    safety lines. Emergencies are told in words far from the guide's ("his face has dropped"), so
    the bar is lower than an ordinary question's."""
    return found.best_dense >= settings.min_relevance * settings.relevance_emergency


def fits_topic(found: Retrieval, settings: Settings) -> bool:
    """Whether a supervision topic (a few words) is close enough to the guide to plan a session
    from: short texts match less closely than questions do."""
    return found.best_dense >= settings.min_relevance * settings.relevance_topic
