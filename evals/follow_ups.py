"""Follow-ups, and new questions asked after an unrelated one, on the read sets (never the held-out ones).

In the web chat every question after the first comes with the ones before it, so a new question that uses a
pronoun ("how do we support residents when they refuse care?") can be read as a follow-up and searched with
the earlier question's words. The sets measure follow-ups only; this measures both sides of that choice:

* follow-ups: the read sets' follow-up rows, with their history;
* new questions after another: a sample of their first questions (kloe and setting rows), each given another
  first question, drawn at random, as what came before;
* the same new questions alone, with nothing before them: what the second figure should come close to.

Every question measured is left out of the examples first (``Assistant.leave_out``). Evidence in the top five
and first citation as ``evals/score.py`` counts it; how many were read as follow-ups. Usage:
``python evals/follow_ups.py`` (a few minutes); writes ``evals/results/follow-ups-<commit>.json``.
"""

from __future__ import annotations

import json
import random
import runpy
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the checkout this file is in, not whichever one is installed
    sys.path.insert(0, str(ROOT))
SAMPLE = 300  # new questions given an unrelated earlier one
SEED = 42


def main() -> None:
    from assistant.batch import answer_record
    from assistant.chat import Assistant
    from assistant.evaluate import _commit
    from assistant.retrieve.query import resolve_follow_up
    from assistant.settings import Settings, configure_libraries

    configure_libraries()
    score = runpy.run_path(str(ROOT / "evals" / "score.py"))["score"]
    examples = runpy.run_path(str(ROOT / "scripts" / "examples.py"), run_name="examples")
    follow_ups, firsts = [], []
    for _, item, _ in examples["_asked"]():
        if not item.get("evidence") or not item.get("answerable", True):
            continue
        if item.get("history") and item.get("category") == "followup":
            follow_ups.append(item)
        elif not item.get("history") and item.get("category") in ("kloe", "setting"):
            firsts.append(item)
    rng = random.Random(SEED)
    chosen = rng.sample(firsts, min(SAMPLE, len(firsts)))
    after = [dict(item, history=[rng.choice([f for f in firsts if f is not item])["question"]]) for item in chosen]
    alone = [dict(item, history=[]) for item in chosen]

    assistant = Assistant(Settings())
    assistant.leave_out([item["question"] for item in follow_ups + chosen])

    def measured(rows: list[dict[str, Any]]) -> dict[str, Any]:
        answers = [answer_record(r["id"], assistant.ask(r["question"], r["history"])) for r in rows]
        result = score(rows, answers)
        read_on = sum(resolve_follow_up(r["question"], r["history"]) != r["question"] for r in rows)
        return {"n": len(rows), "evidence_hit5": result["evidence_hit5"], "evidence_hit1": result["evidence_hit1"],
                "key_points": result["key_points"], "key_points_lead": result["key_points_lead"],
                "false_refusal": result["false_refusal"], "read_as_follow_ups": read_on}

    result = {"commit": _commit(),
              "seed": SEED, "follow_ups": measured(follow_ups), "new_after_another": measured(after),
              "new_alone": measured(alone)}
    for name in ("follow_ups", "new_after_another", "new_alone"):
        r = result[name]
        print(f"{name}: {r['n']} questions, hit5 {r['evidence_hit5']}, hit1 {r['evidence_hit1']}, key points "
              f"{r['key_points']} (lead {r['key_points_lead']}), read as follow-ups {r['read_as_follow_ups']}")
    out = ROOT / "evals" / "results" / f"follow-ups-{result['commit'][:10]}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"Written to {out}")


if __name__ == "__main__":
    main()
