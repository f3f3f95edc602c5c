"""The evaluation sets are well formed and every evidence string is really in the corpus."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVALS = ROOT / "evals"


def _checker():
    spec = importlib.util.spec_from_file_location("check_evidence", EVALS / "check_evidence.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = _checker()


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_evaluation_sets_have_no_problems():
    problems = check.check_files(check.DEFAULT_FILES)
    assert problems == [], "\n".join(problems)


def test_own_and_fresh_set_evidence_is_character_exact():
    problems = check.check_files([EVALS / "own.jsonl", EVALS / "fresh.jsonl"], exact=True)
    assert problems == [], "\n".join(problems)


def test_own_set_size_and_kloe_coverage():
    rows = _rows(EVALS / "own.jsonl")
    assert len(rows) >= 60
    coverage = check.kloe_coverage(EVALS / "own.jsonl")
    assert len(coverage) == 24
    missing = [code for code, n in coverage.items() if n == 0]
    assert missing == [], f"KLOE codes with no question: {missing}"
    # every code also has a plain KLOE question of its own, not only code/followup/safety rows
    kloe_rows = [r for r in rows if r["category"] == "kloe"]
    in_kloe = {code for r in kloe_rows for code in r["kloe"]}
    assert set(check.KLOE_CODES) <= in_kloe


def test_own_set_mix():
    rows = _rows(EVALS / "own.jsonl")
    cats = {}
    for r in rows:
        cats[r["category"]] = cats.get(r["category"], 0) + 1
    assert set(cats) == set(check.CATEGORIES)
    assert cats["out_of_scope"] >= 5 and cats["safety"] >= 5 and cats["followup"] >= 5
    assert all(r["history"] for r in rows if r["category"] == "followup")
    assert all(not r["answerable"] for r in rows if r["category"] == "out_of_scope")


def test_checker_catches_bad_rows(tmp_path: Path):
    good = _rows(EVALS / "own.jsonl")[0]
    bad = [
        good,
        dict(good),  # duplicate id
        dict(good, id="X1", evidence=["A sentence that is nowhere in the guide."]),
        dict(good, id="X2", doc="003_9788b7659c2b4a09.txt",
             evidence=["Compassionate leadership is not about being soft and fluffy."]),  # readers' comment
        dict(good, id="X3", answerable=False),  # not out_of_scope
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in bad), encoding="utf-8")
    problems = check.check_files([path])
    text = "\n".join(problems)
    assert len(problems) == 4, text
    assert "duplicate id" in text
    assert "not found" in text
    assert "non-guidance part" in text
    assert "must be out_of_scope" in text
