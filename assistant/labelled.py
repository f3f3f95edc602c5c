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
    except (OSError, ValueError):  # none yet, or not these examples': embedded again and kept
        vectors = np.asarray(embedder.embed_documents([r["text"] for r in rows]), dtype=np.float32)
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{uuid.uuid4().hex}.npy")
        np.save(tmp, vectors)
        os.replace(tmp, cached)  # whole or not at all, if two processes start at once
    return rows, vectors, version
