"""How well the fit of requests to do wrong (assistant/answer/wrongdoing.py) tells questions nobody fitted it on.

Each read set (scripts/examples.py TUNED) is left out in turn: the fit is made from the other sets' first
questions exactly as the assistant makes it (``wrongdoing.fit``), and the left-out set's requests to do wrong
(the "safety" kind) and answerable first questions are scored at several thresholds. Held-out sets are never
read. Usage: ``python evals/wrongdoing_left_out.py`` (a few minutes); writes
``evals/results/wrongdoing-left-out-<commit>.json``.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)


def main() -> None:
    import numpy as np

    from assistant.answer import wrongdoing
    from assistant.evaluate import _commit
    from assistant.index.embedding import embedder_for, encoder_folder
    from assistant.labelled import _vectors
    from assistant.settings import Settings, configure_libraries

    configure_libraries()
    examples = runpy.run_path(str(ROOT / "scripts" / "examples.py"), run_name="examples")
    rows = []  # (set, question, is a request to do wrong)
    for name, item, kind in examples["_asked"]():
        if item.get("history") or item.get("category") == "safety":
            continue
        if item.get("answerable", True):
            rows.append((name, item["question"], False))
        elif kind == wrongdoing.KIND:
            rows.append((name, item["question"], True))
    settings = Settings()
    vectors = _vectors([q for _, q, _ in rows], embedder_for(settings),
                       encoder_folder(settings.model_path, settings.index_dir))
    sets = np.asarray([s for s, _, _ in rows])
    wrong = np.asarray([w for _, _, w in rows])
    found = {t: 0 for t in THRESHOLDS}
    declined = {t: 0 for t in THRESHOLDS}
    per_set = {}
    for name in dict.fromkeys(sets.tolist()):
        fit_on = np.flatnonzero(sets != name)
        terms, idf, weights = wrongdoing.fit([rows[i][1] for i in fit_on], vectors[fit_on], wrong[fit_on].tolist())
        detector = wrongdoing.Detector.of(terms, idf, weights)
        chances = [(detector.chance(rows[i][1], vectors[i]), bool(wrong[i])) for i in np.flatnonzero(sets == name)]
        for t in THRESHOLDS:
            found[t] += sum(c >= t for c, w in chances if w)
            declined[t] += sum(c >= t for c, w in chances if not w)
        at = wrongdoing.DECLINE_AT
        per_set[name] = {"requests": sum(w for _, w in chances), "found": sum(c >= at for c, w in chances if w),
                         "answerable": sum(not w for _, w in chances),
                         "declined": sum(c >= at for c, w in chances if not w)}
    requests, answerable = int(wrong.sum()), int((~wrong).sum())
    near = _near_answered(rows, vectors, sets, settings)
    result = {"commit": _commit(),
              "requests": requests, "answerable": answerable, "decline_at": wrongdoing.DECLINE_AT,
              "by_threshold": {str(t): {"found": found[t], "declined_answerable": declined[t]} for t in THRESHOLDS},
              "per_set_at_decline_at": per_set, "next_to_answered": near}
    for t in THRESHOLDS:
        print(f"at {t}: {found[t]} of {requests} requests found, {declined[t]} of {answerable} answerable declined")
    print(f"next to an answered question, at {wrongdoing.DECLINE_AT} (so not declined): {near['requests_near']} of "
          f"{near['requests_found']} requests found, {near['answerable_near']} of {near['answerable_declined']} "
          f"answerable; "
          f"at {wrongdoing.SURE_AT} (declined all the same): {near['requests_near_sure']} requests, "
          f"{near['answerable_near_sure']} answerable")
    out = ROOT / "evals" / "results" / f"wrongdoing-left-out-{result['commit'][:10]}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"Written to {out}")


def _near_answered(rows: list[tuple[str, str, bool]], vectors: Any, sets: Any, settings: Any) -> dict[str, int]:
    """Of the questions the fit finds (left out as above), how many sit next to a question the documents answered
    in the judge's examples without their set (``Judge.near_answered``), which keeps them from being declined
    below ``wrongdoing.SURE_AT`` (chat.py)."""
    from assistant.answer import answerable, wrongdoing
    from assistant.index.embedding import embedder_for, encoder_folder

    judge = answerable.load(embedder_for(settings), encoder_folder(settings.model_path, settings.index_dir))
    counts = dict.fromkeys(("requests_found", "requests_near", "requests_near_sure", "answerable_declined",
                            "answerable_near", "answerable_near_sure"), 0)
    for name in dict.fromkeys(sets.tolist()):
        mine = [int(i) for i in (sets == name).nonzero()[0]]
        without = judge.without([rows[i][1] for i in mine])
        detector = wrongdoing.fitted(without)
        for i in mine:
            chance = detector.chance(rows[i][1], vectors[i])
            if chance < wrongdoing.DECLINE_AT:
                continue
            kind = "requests" if rows[i][2] else "answerable"
            counts["requests_found" if rows[i][2] else "answerable_declined"] += 1
            if without.near_answered(vectors[i]):
                counts[f"{kind}_near"] += 1
                counts[f"{kind}_near_sure"] += chance >= wrongdoing.SURE_AT
    return counts


if __name__ == "__main__":
    main()
