"""How well the answered questions nearest in meaning tell a concern the guide covers (retrieve/answered.py,
``CONCERN_VOTES``) on questions that were not among them.

Each read set's first answerable questions (scripts/examples.py TUNED) are left out in turn: the vote is taken
over the other sets' answered questions, as the assistant takes it, and a set's concerns (scripts/examples.py
``raises_concern``, its answerable "safety" questions: "a senior flicks a resident's ear to make him sit still")
are counted as found, its other answerable questions as found wrongly. Read sets that are no examples
(``NOT_EXAMPLES``: blind35-37 in stop 52, none since stop 53) are scored against all of them. Held-out sets are
never read. Usage: ``python evals/concern_left_out.py`` (a few minutes the first time); writes
``evals/results/concern-left-out-<commit>.json``.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_EXAMPLES: tuple[str, ...] = ()  # read sets that are no examples (scripts/examples.py): none since stop 53
GRID = ((3, 2), (5, 2), (5, 3), (7, 2), (7, 3), (7, 4), (9, 3), (9, 4))  # (neighbours, votes)
FLOORS = (0.3, 0.4, 0.5)


def main() -> None:
    import numpy as np

    from assistant.evaluate import _commit
    from assistant.index.embedding import embedder_for, encoder_folder
    from assistant.labelled import _vectors
    from assistant.retrieve import answered
    from assistant.settings import Settings, configure_libraries

    configure_libraries()
    examples = runpy.run_path(str(ROOT / "scripts" / "examples.py"), run_name="examples")
    rows = []  # (set, question, is a concern)
    for name in (*examples["TUNED"], *NOT_EXAMPLES):
        for line in (ROOT / "evals" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else {}
            if item.get("answerable") and item.get("evidence") and not item.get("history"):
                rows.append((name, item["question"], examples["raises_concern"](item)))
    settings = Settings()
    vectors = _vectors([q for _, q, _ in rows], embedder_for(settings),
                       encoder_folder(settings.model_path, settings.index_dir))
    sets = np.asarray([s for s, _, _ in rows])
    concern = np.asarray([c for _, _, c in rows])
    example = ~np.isin(sets, NOT_EXAMPLES)
    sims = vectors @ vectors[example].T  # every question against every example
    sims[sets[:, None] == sets[example][None, :]] = -1.0  # its own set left out
    order = np.argsort(-sims, axis=1, kind="stable")[:, :max(k for k, _ in GRID)]
    labels = concern[example]
    result: dict[str, object] = {
        "commit": _commit(),
        "chosen": [answered.CONCERN_NEIGHBOURS, answered.CONCERN_VOTES, answered.CONCERN_SIMILARITY], "grid": {}}
    for k, need in GRID:
        for floor in FLOORS:
            top = order[:, :k]
            votes = (labels[top] & (np.take_along_axis(sims, top, axis=1) >= floor)).sum(axis=1)
            found = votes >= need
            counts = {"tuned_concerns": int((concern & example).sum()),
                      "tuned_found": int((found & concern & example).sum()),
                      "tuned_others": int((~concern & example).sum()),
                      "tuned_others_found": int((found & ~concern & example).sum()),
                      "unread_concerns": int((concern & ~example).sum()),
                      "unread_found": int((found & concern & ~example).sum()),
                      "unread_others_found": int((found & ~concern & ~example).sum()),
                      "unread_others": int((~concern & ~example).sum())}
            result["grid"][f"{k}/{need}/{floor}"] = counts  # type: ignore[index]
            mark = " <- chosen" if [k, need, floor] == result["chosen"] else ""
            others = (f"; {'+'.join(NOT_EXAMPLES)} {counts['unread_found']}/{counts['unread_concerns']}, "
                      f"{counts['unread_others_found']}/{counts['unread_others']}") if NOT_EXAMPLES else ""
            print(f"{need} of {k} at {floor}: read sets left out {counts['tuned_found']}/{counts['tuned_concerns']} "
                  f"concerns, {counts['tuned_others_found']}/{counts['tuned_others']} others{others}{mark}")
    out = ROOT / "evals" / "results" / f"concern-left-out-{str(result['commit'])[:10]}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"Written to {out}")


if __name__ == "__main__":
    main()
