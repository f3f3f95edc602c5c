"""The reviewed data files' regular expressions (safety.toml, out_of_scope.toml, glossary.toml), compiled
once to be matched against lower-case text.

Python's case-insensitive matching folds the case of every character it compares: the safety check
took 0.27 ms a question that way and takes 0.12 ms on the lower-cased message (blind2's questions),
and finds the same. That holds only while a pattern names no
capital letter itself, so one that does is refused here, by name, when the file is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_ESCAPE = re.compile(r"\\.")


def lower_case(patterns: Iterable[str], where: str) -> re.Pattern[str]:
    """One pattern that matches lower-case text where any of ``patterns`` does (each compiled on its own
    first, so that a broken one is named with ``where``)."""
    patterns = list(patterns)
    for p in patterns:
        try:
            re.compile(p)
        except re.error as e:
            raise ValueError(f"{where}: the pattern {p!r} is not a regular expression: {e}") from None
        if re.search("[A-Z]", _ESCAPE.sub("", p)):
            raise ValueError(f"{where}: the pattern {p!r} has a capital letter; write it in lower case "
                             "(messages are matched in lower case)")
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)")
