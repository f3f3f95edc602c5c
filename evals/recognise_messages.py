"""How the assistant tells emergencies in a file of labelled messages (``situation``, ``message``; ``situation``
null for a message that is no emergency now), as the chat does: each message asked, the situations whose safety
lines lead the answer read from its citations. Counted: emergencies given safety lines first, those given their
own situation's, and messages with no emergency given any (false alarms).

Usage: ``python evals/recognise_messages.py evals/emergencies10.jsonl [--leave-out]`` (a minute per thousand);
``--leave-out`` takes the file's own messages out of the examples first, as ``eval --leave-out`` does. Writes
``evals/results/recognise-<file>-<commit>[-left-out].json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the checkout this file is in, not whichever one is installed
    sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--leave-out", action="store_true")
    args = parser.parse_args()

    from assistant.chat import Assistant
    from assistant.evaluate import _commit
    from assistant.settings import Settings, configure_libraries

    configure_libraries()
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    assistant = Assistant(Settings())
    if args.leave_out:
        assistant.leave_out([r["message"] for r in rows])
    counts: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for row in rows:
        answer = assistant.ask(row["message"])
        first = answer.text.startswith("Safety first:")
        ids = {i for c in answer.citations if c.block_type == "safety" for i in c.location.split(", ")}
        if "expected_death" in ids:  # a death in end of life care has lines of its own
            ids.add("death")
        if row["situation"] is None:
            counts["ordinary"] += 1
            counts["false_alarms"] += first
            continue
        own = first and row["situation"] in ids
        counts["emergencies"] += 1
        counts["safety_first"] += first
        counts["own_situation"] += own
        if not own:
            missed[row["situation"]] += 1
    result = {"commit": _commit(), "file": args.file.name, "left_out": args.leave_out, **counts,
              "missed_by_situation": dict(missed.most_common())}
    print(f"{counts['safety_first']}/{counts['emergencies']} emergencies given safety lines first "
          f"({counts['own_situation']} their own situation's); {counts['false_alarms']}/{counts['ordinary']} "
          f"false alarms; missed by situation: {dict(missed.most_common())}")
    name = f"recognise-{args.file.stem}-{str(result['commit'])[:10]}{'-left-out' if args.leave_out else ''}.json"
    (ROOT / "evals" / "results" / name).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"Written to evals/results/{name}")


if __name__ == "__main__":
    main()
