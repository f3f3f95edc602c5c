"""General English: whether a word is spelled right, and how common it is. Held compactly.

The speller asks whether a word is a real one or a slip (pyspellchecker's dictionary: wordfreq's
list also holds common misspellings such as "doesnt" and "seperate"); the gate asks how common a word
is (wordfreq's Zipf scale). The libraries keep their lists as dicts of 160,000 and 320,000 strings,
about 65 MB in a serving process; here each becomes numpy arrays of the words' hashes, sorted, and
their frequencies (about 4 MB), built once per process. ``hash`` is salted per process, which is fine:
a table is built and read in the same process.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import cache

_lock = threading.Lock()


class WordTable:
    """Words (lower-case) and a number for each, looked up by hash: a few bytes a word, where a dict of
    strings holds about a hundred."""

    def __init__(self, words: Iterable[str], values: Iterable[float], size: int) -> None:
        import numpy as np

        hashes = np.fromiter((hash(w) for w in words), dtype=np.int64, count=size)
        numbers = np.fromiter(values, dtype=np.float64, count=size)
        order = np.argsort(hashes)
        self.hashes, self.values = hashes[order], numbers[order]

    def __len__(self) -> int:
        return len(self.hashes)

    def __eq__(self, other: object) -> bool:  # the same words and numbers (a fit read back is the fit made)
        import numpy as np

        return isinstance(other, WordTable) and np.array_equal(self.hashes, other.hashes) \
            and np.array_equal(self.values, other.values)

    __hash__ = None  # type: ignore[assignment]  # equal by value, and its arrays may change

    def get(self, word: str) -> float:
        """The word's number, 0 if it is not in the table."""
        found = self.found((word,))
        return found[0] if found else 0.0

    def found(self, words: Sequence[str]) -> list[float]:
        """The numbers of those of ``words`` in the table, in their order (one search for them all)."""
        import numpy as np

        if not words or not len(self.hashes):
            return []
        keys = np.fromiter((hash(w) for w in words), dtype=np.int64, count=len(words))
        at = np.minimum(np.searchsorted(self.hashes, keys), len(self.hashes) - 1)
        return self.values[at[self.hashes[at] == keys]].tolist()


def _built(make: Callable[[], WordTable]) -> WordTable:
    from assistant.memory import give_back

    with _lock:
        table = make()
    give_back()  # the libraries' dicts were read once and dropped
    return table


@cache
def _frequencies() -> WordTable:
    def make() -> WordTable:
        from wordfreq import get_frequency_dict, get_frequency_list

        found = get_frequency_dict("en", wordlist="best")
        table = WordTable(found.keys(), found.values(), len(found))
        # wordfreq keeps the dict, and the list it was made from, for next calls that nobody makes.
        get_frequency_dict.cache_clear()
        get_frequency_list.cache_clear()
        return table

    return _built(make)


@cache
def _dictionary() -> WordTable:
    def make() -> WordTable:
        import gzip
        import json
        import pkgutil

        raw = pkgutil.get_data("spellchecker", "resources/en.json.gz")
        words = {w.lower() for w in json.loads(gzip.decompress(raw or b"{}").decode("utf-8"))}
        return WordTable(words, (1.0 for _ in words), len(words))

    return _built(make)


def spelled(word: str) -> bool:
    """Whether the word is in pyspellchecker's English dictionary (as ``word in SpellChecker()``)."""
    return _dictionary().get(word.lower()) > 0


def zipf(word: str) -> float:
    """The Zipf frequency of a word in English, as ``wordfreq.zipf_frequency(word, "en")`` gives it for
    the lower-case words the assistant looks up (a hyphenated word's parts combine as wordfreq combines
    them: 1/f = 1/f1 + 1/f2); 0 for a word wordfreq has never seen."""
    table = _frequencies()
    frequencies = [table.get(p) for p in word.lower().split("-") if p]
    if not frequencies or 0.0 in frequencies:
        return 0.0
    combined = 1.0 / sum(1.0 / f for f in frequencies)
    combined = round(combined, math.floor(-math.log10(combined)) + 3)  # wordfreq's 3 significant digits
    return round(math.log10(combined) + 9, 2)


def load() -> None:
    """Load both tables now (a server's start) rather than on the first question that needs them."""
    _frequencies()
    _dictionary()
