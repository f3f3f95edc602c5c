"""Labelled example questions shipped with the package (``assistant/data``), and their vectors.

The examples are made from the evaluation sets that are tuned on by ``scripts/examples.py``;
the held-out sets never are. Each file is embedded once per version of it and of the encoder, and kept
in the encoder's folder in the index, so that a start-up reads the vectors from disk.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
log = logging.getLogger(__name__)


def same(text: str) -> str:
    """A question as examples are compared with evaluation sets: lower case, letters and digits only, one
    space between words, so that a copy differing in case, spacing or punctuation counts as the same."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def kept(texts: Sequence[str], questions: Iterable[str]) -> list[int]:
    """The positions of the ``texts`` that are none of ``questions`` (compared as ``same``): the examples
    left when a set's own questions are taken out (``python -m assistant eval --leave-out``)."""
    gone = {same(q) for q in questions}
    return [i for i, t in enumerate(texts) if same(t) not in gone]


# Rows per part of a split product: a multiple of any BLAS kernel's block of rows, so that every row is
# multiplied as it would be in one product (bit for bit: tests), the last rows' remainder included.
_BLOCK = 64
_HELPER: list[Any] = []  # the one thread that multiplies the second half, made on first use
_HELPER_LOCK = threading.Lock()


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def product(rows: Any, vector: Any) -> Any:
    """``rows @ vector``, its two halves multiplied at once on two cores when there are two.

    The product is memory-bound (17,546 rows, 27 MB, in stop 54: about 2 ms of a 15 ms warm answer read
    from memory after the encoder's run) and BLAS runs on one thread here (``OPENBLAS_NUM_THREADS=1`` in
    ``settings``: BLAS threads that spin after a call slow the encoder's). numpy lets go of the GIL while
    it multiplies, so a second thread halves the time (`python -m assistant bench`, warm p50)."""
    import numpy as np

    half = len(rows) // 2 // _BLOCK * _BLOCK
    if half < 16 * _BLOCK or cores() < 2:
        return rows @ vector
    out = np.empty(len(rows), dtype=np.result_type(rows.dtype, vector.dtype))
    with _HELPER_LOCK:
        if not _HELPER:
            from concurrent.futures import ThreadPoolExecutor

            _HELPER.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="examples-product"))
    second = _HELPER[0].submit(np.matmul, rows[half:], vector, out=out[half:])
    np.matmul(rows[:half], vector, out=out[:half])
    second.result()
    return out


# The shared rows, a vector and their product, for the last vectors compared, newest first: one question's vector
# is compared with four example files' rows in turn (emergencies, topics, the judge's, answered questions), and
# they share their rows, so the product is made once per question, not once per file (warm p50 in
# `python -m assistant bench`). Two are kept: a question asked after others is also searched as its other reading
# (retrieve/fusion.py), whose neighbours are found between the question's own comparisons; with one kept, the
# question's product was made again after it (three products for a follow-up, two now).
_KEPT = 2
_LAST: list[tuple[tuple[Any, tuple[str, bytes], Any], ...]] = [()]


@dataclass(frozen=True, eq=False)
class Rows:
    """One file's example vectors as rows of a matrix that every example file shares: the files hold mostly
    the same questions (27,205 rows, 8,568 texts, in stop 41), so each text's vector is held once, not once
    per file (29 MB less for a server: `python -m assistant bench`, serve_rss_mb). Used as the array was:
    ``rows @ vector``, ``rows[keep]``, ``len(rows)``, ``rows.shape``, and ``numpy.asarray(rows)`` for a copy."""

    shared: Any  # numpy (texts, dimensions), unit rows
    index: Any  # numpy int array: this file's row i is shared[index[i]]

    def __matmul__(self, vector: Any) -> Any:
        import numpy as np

        vector = np.asarray(vector)
        key = (vector.dtype.str, vector.tobytes())
        kept = _LAST[0]
        made = next((k for k in kept if k[0] is self.shared and k[1] == key), None)
        if made is None:
            made = (self.shared, key, product(self.shared, vector))
            _LAST[0] = (made, *kept[: _KEPT - 1])  # one assignment: a thread reading it sees the old tuple or the new
        return made[2][self.index]

    def __getitem__(self, keep: Any) -> Rows:
        return Rows(self.shared, self.index[keep])

    def __len__(self) -> int:
        return len(self.index)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.index), self.shared.shape[1]

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        rows = self.shared[self.index]
        return rows if dtype is None else rows.astype(dtype)


def embedded(path: Path, embedder: Any, cache_dir: Path) -> tuple[list[dict[str, Any]], Any, str]:
    """The rows of a JSON-lines file of examples (each with a ``text``), their vectors, one unit row each
    (``Rows``, shared with the other example files of its folder), and the file's version (a hash of its
    bytes): embedded once per version of the folder's files, kept in ``cache_dir``."""
    import numpy as np

    raw = path.read_bytes()  # shipped with the package: a missing file is an installation error
    # One call, so that the rows share their keys' strings, and each text and sentence interned (``_interned``).
    lines = [line for line in raw.decode("utf-8").splitlines() if line.strip()]
    rows = _interned(json.loads("[" + ",".join(lines) + "]"))
    version = hashlib.sha256(raw).hexdigest()[:16]
    if not rows:
        return [], np.zeros((0, 1), dtype=np.float32), version
    keys, shared = _shared(path.resolve().parent, embedder, cache_dir.resolve())
    mine = [_key(str(r["text"])) for r in rows]
    if any(k not in keys for k in mine):  # a file outside its folder's set (a test's)
        shared = np.asarray(_vectors([str(r["text"]) for r in rows], embedder, cache_dir))
        return rows, Rows(shared, np.arange(len(rows))), version
    return rows, Rows(shared, np.asarray([keys[k] for k in mine], dtype=np.int64)), version


def _interned(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their strings, and lists of strings, interned: the example files share most of their texts
    and evidence sentences, which a long-running server would otherwise hold once per file and per row."""
    for row in rows:
        for key, value in row.items():
            if isinstance(value, str):
                row[key] = sys.intern(value)
            elif isinstance(value, list) and value and isinstance(value[0], str):
                row[key] = [sys.intern(v) for v in value]
    return rows


# Per folder of example files, encoder folder and version of the files: each text's key -> row, and the rows.
_SHARED: dict[tuple[Path, Path, str], tuple[dict[str, int], Any]] = {}
_SHARED_LOCK = threading.Lock()


def _shared(folder: Path, embedder: Any, cache_dir: Path) -> tuple[dict[str, int], Any]:
    """Every example text of ``folder``'s ``*_examples.jsonl`` files once, as {key: row} and their vectors:
    made once per process and per version of the files, kept in ``cache_dir``."""
    import numpy as np

    files = sorted(folder.glob("*_examples.jsonl"))
    raws = [f.read_bytes() for f in files]
    version = hashlib.sha256(b"".join(hashlib.sha256(r).digest() for r in raws)).hexdigest()[:16]
    with _SHARED_LOCK:
        if (found := _SHARED.get((folder, cache_dir, version))) is not None:
            return found
        # The rows and their texts' keys are kept together, so that a new process reads them rather than every
        # line of every file (a quarter of a second of a cold `ask`).
        kept = cache_dir / f"example-rows-{version}.npz"
        keys, vectors = _kept_rows(kept)
        if keys is None:
            texts: dict[str, str] = {}
            for raw in raws:
                for line in raw.decode("utf-8").splitlines():
                    if line.strip():
                        text = str(json.loads(line)["text"])
                        texts.setdefault(_key(text), text)
            if not texts:  # a folder with no example files (a test's): nothing is shared
                return {}, None
            keys, vectors = list(texts), _vectors(list(texts.values()), embedder, cache_dir)
            keep(kept, {"keys": np.asarray(keys), "vectors": vectors})
            for other in cache_dir.glob("example-rows-*"):  # earlier versions' rows: the store above holds them all
                if other != kept:
                    other.unlink(missing_ok=True)
        for old in [k for k in _SHARED if k[:2] == (folder, cache_dir)]:  # an older version of these files
            del _SHARED[old]
        _SHARED[(folder, cache_dir, version)] = found = ({k: i for i, k in enumerate(keys)}, vectors)
        return found


def _kept_rows(path: Path) -> tuple[list[str] | None, Any]:
    """The keys and rows kept at ``path`` by ``_shared``, or (None, None) if there are none or they are unreadable."""
    import numpy as np

    try:
        with np.load(path) as held:
            keys, vectors = held["keys"].tolist(), held["vectors"]
        if len(keys) == vectors.shape[0] and keys:
            return keys, vectors
    except Exception:  # none yet, or unreadable: made again, as if there were none
        pass
    return None, None


def cached(path: Path, make: Callable[[], Any], fits: Callable[[Any], bool]) -> Any:
    """The array kept at ``path`` (.npy) if it ``fits``; otherwise made, kept and returned (none yet, not
    this version's, or unreadable)."""
    import numpy as np

    try:
        held = np.load(path)
        if fits(held):
            return held
    except Exception:  # unreadable: made again, as if there were none
        pass
    made = make()
    keep(path, made)
    return made


# Every example text's vector, whichever file it is in, by a hash of the text: the files share most of
# their questions (11,406 rows, 3,948 texts), so each is embedded once, not once per file (a new index's
# first start, and each test's own index, embed a third as much).
_STORE = "example-vectors.npz"


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _vectors(texts: Sequence[str], embedder: Any, cache_dir: Path) -> Any:
    """``texts``' vectors, from the folder's store of example vectors, embedding only those it lacks. One
    process at a time adds to the store, so that two starting together do not drop each other's."""
    import numpy as np
    from filelock import FileLock

    store = cache_dir / _STORE
    cache_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache_dir / f".{_STORE}.lock")):
        try:
            with np.load(store) as held:
                known = dict(zip(held["keys"].tolist(), held["vectors"], strict=True))
        except Exception:  # none yet, or unreadable: begun again
            known = {}
        keys = [_key(t) for t in texts]
        new = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
        if new:
            known.update(zip(new, np.asarray(embedder.embed_documents(list(new.values())), dtype=np.float32),
                             strict=True))
            keep(store, {"keys": np.asarray(list(known)), "vectors": np.stack(list(known.values()))})
    return np.stack([known[k] for k in keys]).astype(np.float32)


def keep(path: Path, arrays: Any) -> None:
    """Write an array (.npy) or a mapping of them (.npz) to ``path``, whole or not at all, if it can: what
    is kept is only a cache, so a full or read-only folder costs the next start the time to make it again."""
    import numpy as np

    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex}{path.suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as out:
            if isinstance(arrays, dict):
                np.savez(out, **arrays)
            else:
                np.save(out, arrays)
        os.replace(tmp, path)  # whole or not at all, if two processes start at once
    except OSError as err:
        tmp.unlink(missing_ok=True)
        log.warning("Could not keep %s (%s); it will be made again next time.", path.name, err)
