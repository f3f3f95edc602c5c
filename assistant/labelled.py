"""Labelled example questions shipped with the package (``assistant/data``), and their vectors.

The examples are made from the evaluation sets that are tuned on by ``scripts/examples.py``;
the held-out sets never are. Each file is embedded once per version of it and of the encoder, and kept
in the encoder's folder in the index, so that a start-up reads the vectors from disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def same(text: str) -> str:
    """A question as examples are compared with evaluation sets: lower case, letters and digits only, one
    space between words, so that a copy differing in case, spacing or punctuation counts as the same."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def kept(texts: Sequence[str], questions: Iterable[str]) -> list[int]:
    """The positions of the ``texts`` that are none of ``questions`` (compared as ``same``): the examples
    left when a set's own questions are taken out (``python -m assistant eval --leave-out``)."""
    gone = {same(q) for q in questions}
    return [i for i, t in enumerate(texts) if same(t) not in gone]


def embedded(path: Path, embedder: Any, cache_dir: Path) -> tuple[list[dict[str, Any]], Any, str]:
    """The rows of a JSON-lines file of examples (each with a ``text``), their vectors, one unit row each
    (numpy), and the file's version (a hash of its bytes): embedded once per version, kept in ``cache_dir``."""
    import numpy as np

    raw = path.read_bytes()  # shipped with the package: a missing file is an installation error
    rows = [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    version = hashlib.sha256(raw).hexdigest()[:16]
    if not rows:
        return [], np.zeros((0, 1), dtype=np.float32), version
    cached = cache_dir / f"{path.stem.replace('_', '-')}-{version}.npy"
    try:
        vectors = np.load(cached)
        if len(vectors) != len(rows):
            raise ValueError(cached)
    except (OSError, ValueError):  # none yet, or not these examples': made again and kept
        vectors = _vectors([str(r["text"]) for r in rows], embedder, cache_dir)
        keep(cached, vectors)
    return rows, vectors, version


# Every example text's vector, whichever file it is in: the files share most of their questions (11,406
# rows, 3,948 texts), so each is embedded once, not once per file (a new index's first start, and each
# test's own index, embed a third as much).
_STORE = "example-vectors.npz"


def _vectors(texts: Sequence[str], embedder: Any, cache_dir: Path) -> Any:
    """``texts``' vectors, from the folder's store of example vectors, embedding only those it lacks."""
    import numpy as np

    store = cache_dir / _STORE
    try:
        with np.load(store) as held:
            known = dict(zip(held["texts"].tolist(), held["vectors"], strict=True))
    except (OSError, ValueError, KeyError):  # none yet, or unreadable: begun again
        known = {}
    new = list(dict.fromkeys(t for t in texts if t not in known))
    if new:
        known.update(zip(new, np.asarray(embedder.embed_documents(new), dtype=np.float32), strict=True))
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = store.with_name(f".{store.stem}.{uuid.uuid4().hex}.npz")
        with tmp.open("wb") as out:
            np.savez(out, texts=np.asarray(list(known)), vectors=np.stack(list(known.values())))
        os.replace(tmp, store)  # whole or not at all, if two processes start at once
    return np.stack([known[t] for t in texts]).astype(np.float32)


def keep(path: Path, vectors: Any) -> None:
    """Write an array to ``path`` (.npy) whole or not at all."""
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.npy")
    np.save(tmp, vectors)
    os.replace(tmp, path)  # whole or not at all, if two processes start at once
