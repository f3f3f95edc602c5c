"""General English: whether a word is spelled right, and how common it is. Held compactly.

The speller asks whether a word is a real one or a slip (pyspellchecker's dictionary: wordfreq's
list also holds common misspellings such as "doesnt" and "seperate"); the gate asks how common a word
is (wordfreq's Zipf scale). The libraries keep their lists as dicts of 160,000 and 320,000 strings,
about 65 MB in a serving process; here each becomes numpy arrays of the words' hashes, sorted, and
their frequencies (about 4 MB). The hash is a stable one (BLAKE2, 8 bytes), so the two tables are made once
and kept in a file beside the index (``keep_in``): a new process reads 8 MB instead of importing wordfreq and
hashing half a million words, most of a second of a server's first answer.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import threading
import zipfile
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_kept: list[Path] = []  # the file the tables are kept in (keep_in), if any
# The tables' file is trusted only for the libraries' versions it was made from and this module's format.
_FORMAT = 1


def _hash(word: str) -> int:
    """A 64-bit hash that is the same in every process (``hash`` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                          "little", signed=True)


class WordTable:
    """Words (lower-case) and a number for each, looked up by hash: a few bytes a word, where a dict of
    strings holds about a hundred."""

    def __init__(self, words: Iterable[str], values: Iterable[float], size: int) -> None:
        import numpy as np

        hashes = np.fromiter((_hash(w) for w in words), dtype=np.int64, count=size)
        numbers = np.fromiter(values, dtype=np.float64, count=size)
        order = np.argsort(hashes)
        self.hashes, self.values = hashes[order], numbers[order]

    @classmethod
    def of(cls, hashes: Any, values: Any) -> WordTable:
        """A table from the sorted arrays another table held (as ``keep_in``'s file holds them)."""
        import numpy as np

        table = cls.__new__(cls)
        table.hashes, table.values = np.asarray(hashes, dtype=np.int64), np.asarray(values, dtype=np.float64)
        return table

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
        keys = np.fromiter((_hash(w) for w in words), dtype=np.int64, count=len(words))
        at = np.minimum(np.searchsorted(self.hashes, keys), len(self.hashes) - 1)
        return self.values[at[self.hashes[at] == keys]].tolist()


def keep_in(folder: Path) -> None:
    """Keep the tables in ``folder`` (read from there when they were made before, written there once made)."""
    with _lock:
        _kept[:] = [folder / "english.npz"]


def _versions() -> list[str]:
    from importlib.metadata import version

    return [str(_FORMAT), version("wordfreq"), version("pyspellchecker")]


def _read(name: str) -> WordTable | None:
    """The table kept in the file, if it holds one made by these libraries' versions."""
    import numpy as np

    if not _kept:
        return None
    with contextlib.suppress(OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile), np.load(_kept[0]) as held:
        hashes, values = held[f"{name}_hashes"], held[f"{name}_values"]
        # a file cut short or edited by hand is not trusted: the lookups need the hashes sorted
        if held["versions"].tolist() == _versions() and len(hashes) == len(values) \
                and bool(np.all(hashes[1:] >= hashes[:-1])):
            return WordTable.of(hashes, values)
    return None


def _keep(name: str, table: WordTable) -> None:
    """Add the table to the file (``labelled.keep``: whole or not at all; a read-only index folder only costs
    the next process the time to make it again). Not into an index folder that does not exist yet."""
    import numpy as np

    from assistant.labelled import keep

    if not _kept or not _kept[0].parent.is_dir():
        return
    arrays: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile), np.load(_kept[0]) as held:
        if held["versions"].tolist() == _versions():
            arrays = {k: held[k] for k in held.files}
    arrays.update({"versions": np.array(_versions()), f"{name}_hashes": table.hashes, f"{name}_values": table.values})
    keep(_kept[0], arrays)


def _built(name: str, make: Callable[[], WordTable]) -> WordTable:
    from assistant.memory import give_back

    with _lock:
        table = _read(name)
        if table is not None:
            return table
        table = make()
        _keep(name, table)
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

    return _built("frequencies", make)


@cache
def _dictionary() -> WordTable:
    def make() -> WordTable:
        import gzip
        import json
        import pkgutil

        raw = pkgutil.get_data("spellchecker", "resources/en.json.gz")
        words = {w.lower() for w in json.loads(gzip.decompress(raw or b"{}").decode("utf-8"))}
        return WordTable(words, (1.0 for _ in words), len(words))

    return _built("dictionary", make)


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
