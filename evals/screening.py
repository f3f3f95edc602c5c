"""How long the question readers' screened patterns take, three ways in one process over the same questions.

Every screened pattern (askable's, the safety situations', out of scope's, the glossary's: the ones
``tests/test_patterns.py`` checks) is searched on each question of a set, lower-cased as the readers see it:

- ``whole``: the pattern run on every question, unscreened (the baseline);
- ``union``: run only when the question holds one of the strings the whole needs (screening before stop 49);
- ``screened``: as the readers run it now, an alternation branch by branch (``assistant/patterns.py``).

Each is the best of ``--runs`` passes, in ms a question, with its ratio to ``whole``; the three must find the
same spans, and the script says so or stops.

    .venv/bin/python evals/screening.py [--set evals/dev.jsonl --set evals/blind34.jsonl] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_patterns import _screened_patterns  # noqa: E402


def _questions(paths: list[Path]) -> list[str]:
    texts = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append((row.get("question") or row["message"]).lower())
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", action="append", type=Path, dest="sets")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    paths = args.sets or [ROOT / "evals" / "dev.jsonl", ROOT / "evals" / "blind34.jsonl"]
    questions = _questions(paths)
    patterns = list(_screened_patterns().values())

    ways: dict[str, Callable[..., object]] = {
        "whole": lambda p, q: p.pattern_.search(q),
        "union": lambda p, q: p.pattern_.search(q) if p._may_match(q) else None,
        "screened": lambda p, q: p.search(q),
    }
    found = {name: [[(m := way(p, q)) and m.span() for q in questions] for p in patterns]  # type: ignore[attr-defined]
             for name, way in ways.items()}
    if not found["whole"] == found["union"] == found["screened"]:
        sys.exit("The three ways found different spans: screening is not sound.")
    best: dict[str, float] = {}
    for _ in range(args.runs):
        for name, way in ways.items():
            start = time.perf_counter()
            for p in patterns:
                for q in questions:
                    way(p, q)
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
    print(f"{len(patterns)} screened patterns ({sum(bool(p.branches) for p in patterns)} split into branches), "
          f"{len(questions)} questions, best of {args.runs}; the same spans all three ways")
    for name in ways:
        ms = best[name] * 1000 / len(questions)
        print(f"{name:9} {ms:6.2f} ms a question   {best[name] / best['whole']:.2f}× whole")


if __name__ == "__main__":
    main()
