"""Misspelt questions: how much retrieval loses when people type in a hurry, with and without mending.

Each question of a set gets slips of the fingers, the same ones every run (a seeded random generator):
in about one word in three of six letters or more, two letters swapped, one dropped or one doubled.
The set is then answered four ways in one process over the same index: as written and misspelt, each
with the speller on and off (``RankingWeights.mend_spelling``). Scores come from ``evals/score.py``.

    .venv/bin/python evals/typos.py [--set evals/dev.jsonl] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.settings import Settings, configure_libraries  # noqa: E402

configure_libraries()

METRICS = ("evidence_hit5", "evidence_hit1", "kloe_hit1", "kloe_hit3", "refusal_ok", "false_refusal", "safety_ok")


def misspell(text: str, rng: random.Random, rate: float = 1 / 3) -> str:
    """``text`` with a slip in about ``rate`` of its words of six letters or more."""

    def slip(m: re.Match[str]) -> str:
        word = m.group(0)
        if rng.random() >= rate:
            return word
        i = rng.randrange(1, len(word) - 2)  # first and last letters kept, as people mostly do
        kind = rng.choice(("swap", "drop", "double"))
        if kind == "swap":
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if kind == "drop":
            return word[:i] + word[i + 1:]
        return word[:i] + word[i] + word[i:]

    return re.sub(r"[A-Za-z]{6,}", slip, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default=str(ROOT / "evals" / "dev.jsonl"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from assistant.batch import answer_record
    from assistant.chat import Assistant
    from assistant.evaluate import load_scorer, read_jsonl

    scorer = load_scorer()
    gold = read_jsonl(Path(args.set))
    rng = random.Random(args.seed)
    typed = [{**g, "question": misspell(g["question"], rng)} for g in gold]
    changed = sum(a["question"] != b["question"] for a, b in zip(gold, typed, strict=True))
    assistant = Assistant(Settings())
    weights = assistant.retriever.weights
    mending = weights.mend_spelling
    results: dict[str, dict[str, float]] = {}
    for label, rows in (("as written", gold), ("misspelt", typed)):
        for mend in (True, False):
            weights.mend_spelling = mend
            answers = [answer_record(g["id"], assistant.ask(g["question"], g.get("history") or [])) for g in rows]
            results[f"{label}, mending {'on' if mend else 'off'}"] = scorer.score(gold, answers)
    weights.mend_spelling = mending

    names = list(results)
    print(f"{args.set}: {len(gold)} questions, {changed} with slips (seed {args.seed}); e.g.")
    for g, t in list(zip(gold, typed, strict=True))[:3]:
        print(f"  {g['question'][:80]}\n  {t['question'][:80]}")
    print(f"\n| metric | {' | '.join(names)} |\n|---|{'---|' * len(names)}")
    for m in METRICS:
        print(f"| {m} | {' | '.join('-' if results[n].get(m) is None else f'{results[n][m]:.3f}' for n in names)} |")
    out = ROOT / "evals" / "results" / f"typos-{Path(args.set).stem}.json"
    out.write_text(json.dumps({"set": args.set, "seed": args.seed, "changed": changed,
                               "scores": {n: {m: results[n].get(m) for m in METRICS} for n in names}}, indent=2))
    print(f"\nWritten to {out}")


if __name__ == "__main__":
    main()
