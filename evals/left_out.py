"""The answered questions, each set left out of them in turn: what they do for questions they do not hold.

The answered questions (``assistant/data/answered_examples.jsonl``, retrieve/answered.py) are made from
the tuning sets, so a tuning set's own questions find themselves there. Here each set is answered with
its own questions taken out of them, once for each weight of their ranked list (0: without it), and
scored with ``evals/score.py``; the mean of the sets is printed last. This is how the weights were
chosen (README, Quality).

    .venv/bin/python evals/left_out.py [--sets dev,own,fresh,blind,blind2,blind3,blind4,blind5] [--weights 0,1.5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.settings import Settings, configure_libraries  # noqa: E402

configure_libraries()

METRICS = ("evidence_hit1", "evidence_hit5", "key_points", "key_points_lead", "false_refusal", "answer_words_p50")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="dev,own,fresh,blind,blind2,blind3,blind4,blind5")
    parser.add_argument("--weights", default="0,1.5", help="weights of the answered list, comma-separated")
    args = parser.parse_args()

    import numpy as np

    from assistant.batch import answer_record
    from assistant.chat import Assistant
    from assistant.evaluate import load_scorer, read_jsonl
    from assistant.retrieve.answered import EXAMPLES, Answered

    scorer = load_scorer()
    assistant = Assistant(Settings())
    assistant.warm()
    retriever, everything = assistant.retriever, assistant.retriever.answered
    weight = retriever.weights.answered
    rows = read_jsonl(EXAMPLES)
    weights = [float(w) for w in args.weights.split(",")]
    table: dict[float, list[dict[str, float]]] = {w: [] for w in weights}
    print(f"{'set':10} {'weight':>6} " + " ".join(f"{m:>18}" for m in METRICS))
    try:
        for name in args.sets.split(","):
            gold = scorer.load(str(ROOT / "evals" / f"{name}.jsonl"))
            own = {g["question"] for g in gold}
            keep = np.array([r["text"] not in own for r in rows])
            retriever.answered = Answered(tuple(ev for ev, k in zip(everything.evidence, keep, strict=True) if k),
                                          everything.vectors[keep], f"without-{name}")
            for w in weights:
                retriever.weights.answered = w
                answers = [answer_record(g["id"], assistant.ask(g["question"], g.get("history") or [])) for g in gold]
                scores = scorer.score(gold, answers)
                table[w].append(scores)
                print(f"{name:10} {w:>6} " + " ".join(f"{_shown(scores.get(m)):>18}" for m in METRICS), flush=True)
    finally:
        retriever.answered, retriever.weights.answered = everything, weight
    for w, runs in table.items():
        means = [statistics.mean(r[m] for r in runs if r.get(m) is not None) for m in METRICS]
        print(f"{'mean':10} {w:>6} " + " ".join(f"{v:>18.3f}" for v in means))


def _shown(value: object) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
