"""How the emergency examples' vote (answer/recognise.py ``voted``) does on examples it has not seen.

Each example of ``assistant/data/emergency_examples.jsonl`` is left out in turn, with every other example of the
same text: the nearest of the others vote, as the assistant takes the vote, for each share of the ordinary
questions' vote an emergency must beat (``AGAINST_ORDINARY``). Counted: emergencies recognised, with their own
situation, and ordinary questions taken for one (false alarms). Usage: ``python evals/recognise_left_out.py``
(a minute); writes ``evals/results/recognise-left-out-<commit>.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the checkout this file is in, not whichever one is installed
    sys.path.insert(0, str(ROOT))
SHARES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
SAME = 0.999  # cosine at which two rows are the same text (one question in two sets)


def main() -> None:
    import numpy as np

    from assistant.answer import recognise
    from assistant.evaluate import _commit
    from assistant.index.embedding import embedder_for, encoder_folder
    from assistant.settings import Settings, configure_libraries

    configure_libraries()
    settings = Settings()
    found = recognise.load(embedder_for(settings), encoder_folder(settings.model_path, settings.index_dir))
    vectors = np.asarray(found.vectors, dtype=np.float32)
    labels, k = found.labels, recognise.NEIGHBOURS
    nearest: list[tuple[list[str | None], list[float]]] = []
    for start in range(0, len(vectors), 1000):
        sims = vectors[start : start + 1000] @ vectors.T
        sims[sims >= SAME] = -2.0  # itself, and its text in another set
        top = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        for row, picked in zip(sims, top, strict=True):
            nearest.append(([labels[i] for i in picked], [float(row[i]) for i in picked]))
    result: dict[str, object] = {
        "commit": _commit(),
        "chosen": recognise.AGAINST_ORDINARY, "emergencies": sum(x is not None for x in labels),
        "ordinary": sum(x is None for x in labels), "shares": {}}
    for share in SHARES:
        votes = [recognise.voted(near, sims, share) for near, sims in nearest]
        counts = {"recognised": sum(v is not None for v, x in zip(votes, labels, strict=True) if x is not None),
                  "own_situation": sum(v == x for v, x in zip(votes, labels, strict=True) if x is not None),
                  "false_alarms": sum(v is not None for v, x in zip(votes, labels, strict=True) if x is None)}
        result["shares"][str(share)] = counts  # type: ignore[index]
        mark = " <- chosen" if share == recognise.AGAINST_ORDINARY else ""
        print(f"{share}: {counts['recognised']}/{result['emergencies']} emergencies recognised "
              f"({counts['own_situation']} as their own situation), {counts['false_alarms']}/{result['ordinary']} "
              f"false alarms{mark}")
    out = ROOT / "evals" / "results" / f"recognise-left-out-{str(result['commit'])[:10]}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"Written to {out}")


if __name__ == "__main__":
    main()
