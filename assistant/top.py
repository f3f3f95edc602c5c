"""The ``n`` best of many scores, best first, as a stable sort of them all would give them, without the sort.

Every question compares its vector with thousands of labelled examples (emergencies, topics, answered and
unanswerable questions): sorting each full list was about a twentieth of a warm answer's time (a profile of
the development set's questions). A partition finds the ``n``-th best score in linear time, and only the
scores at least as good, ties included, are sorted; ties keep their positions' order, so the result is the same
as ``np.argsort(-scores, kind="stable")[:n]`` (tests)."""

from __future__ import annotations

from typing import Any


def highest(scores: Any, n: int) -> Any:
    """Positions of the ``n`` highest ``scores`` (a 1-D numpy array), highest first, ties in position order."""
    import numpy as np

    if n >= len(scores):
        return np.argsort(-scores, kind="stable")
    if n <= 0:
        return np.empty(0, dtype=np.intp)
    nth = np.partition(scores, len(scores) - n)[len(scores) - n]
    # Every score at least the n-th best, ties at the boundary too, in position order: the stable sort below
    # then puts equal scores in position order, as a stable sort of every score would.
    candidates = np.flatnonzero(scores >= nth)
    return candidates[np.argsort(-scores[candidates], kind="stable")][:n]
