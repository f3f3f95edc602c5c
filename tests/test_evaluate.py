"""The evaluation harness end to end: assistant and both baselines scored in one run, results written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluate import METRICS, run, table
from assistant.settings import Settings
from tests.conftest import ROOT


def test_eval_scores_assistant_and_baselines(index_settings: Settings, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in (ROOT / "evals" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    pick = [r for r in rows if r["id"] in {"D001", "D003", "D034", "D044", "D048", "D053", "D059"}]
    gold = tmp_path / "mini.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in pick), encoding="utf-8")

    result = run(index_settings, gold, out_dir=tmp_path / "results")

    assert set(result["scores"]) == {"assistant", "tutorial", "bm25"}
    mine = result["scores"]["assistant"]
    assert mine["n"] == len(pick) and mine["missing"] == 0
    assert mine["markers_ok"] == 1.0 and mine["refusal_ok"] == 1.0 and mine["safety_ok"] == 1.0
    assert mine["kloe_hit3"] >= 0.75, "the assistant finds the right KLOE for these plain questions"
    assert result["tutorial_chunks"] > 100 and result["floor"]["p50_ms"] > 0
    assert set(result["ratios"]["tutorial"]) == set(METRICS)
    written = json.loads(Path(result["written"]).read_text(encoding="utf-8"))
    assert written["commit"] and written["scores"]["bm25"]["n"] == len(pick)
    text = table(result)
    assert "evidence_hit5" in text and "÷tutorial" in text and "latency floor" in text


def test_a_set_left_out_of_the_examples_is_scored_as_if_unseen(index_settings: Settings, tmp_path: Path) -> None:
    """``eval --leave-out``: the set's own questions are taken out of every labelled example file first, so
    that a set that was tuned on is scored as one that was not; its results are written apart."""
    from assistant.answer import recognise
    from assistant.labelled import same
    from assistant.retrieve import answered

    rows = [json.loads(line) for line in answered.EXAMPLES.read_text(encoding="utf-8").splitlines()][:3]
    gold = tmp_path / "seen.jsonl"
    gold.write_text("".join(json.dumps({"id": f"X{i}", "question": r["text"].upper() + "  ", "answerable": True,
                                        "category": "kloe", "evidence": r["evidence"], "must_mention": []}) + "\n"
                            for i, r in enumerate(rows)), encoding="utf-8")
    result = run(index_settings, gold, out_dir=tmp_path / "results", baselines=False, leave_out="questions")
    assert result["left_out"] == 3, "compared case, spacing and punctuation aside"
    assert result["written"].endswith("-left-out.json")
    from assistant.chat import Assistant

    kept = Assistant(index_settings)
    smaller = kept.retriever.answered.without([r["text"] for r in rows])
    assert len(smaller.texts) == len(kept.retriever.answered.texts) - 3 and len(smaller.vectors) == len(smaller.texts)
    assert not {same(r["text"]) for r in rows} & {same(t) for t in smaller.texts}
    examples = kept.recogniser
    emergency = examples.texts[0]
    fewer = examples.without([emergency])
    assert len(fewer.labels) == len(examples.labels) - 1 and len(fewer.about) == len(examples.about)
    assert recognise.EXAMPLES.is_file()
    judge, wrong = kept.judge, kept.wrongdoing
    gone = [t for t, ok in zip(judge.texts, judge.answerable, strict=True) if not ok][:20]
    gone += [t for t, kind in zip(judge.texts, judge.kinds, strict=True) if kind == "safety"][:5]
    kept.leave_out(gone)  # the judge of answerability, and the fit of requests to do wrong, are fitted again
    assert not {same(t) for t in gone} & {same(t) for t in kept.judge.texts}
    assert len(kept.judge.texts) < len(judge.texts) and not (kept.judge.weights == judge.weights).all()
    refitted = kept.wrongdoing.weights
    assert len(refitted) != len(wrong.weights) or not (refitted == wrong.weights).all()


def test_a_question_can_be_scored_as_if_no_example_was_answered_from_its_passages(index_settings: Settings,
                                                                                  tmp_path: Path) -> None:
    """``eval --leave-out passages``: for each row, every answered example whose sentences stand in the
    passages holding the row's evidence is left out while it is answered, and put back after it."""
    from assistant.chat import Assistant
    from assistant.retrieve import answered

    row = json.loads(answered.EXAMPLES.read_text(encoding="utf-8").splitlines()[0])
    assistant = Assistant(index_settings)
    full = assistant.retriever.answered
    snap = assistant.retriever.reader.snapshot
    where = answered.holding(snap, row["evidence"])
    assert where, "the example's evidence is in the documents"
    sharing = [i for i, held in enumerate(full.holders(snap)) if where & set(held)]
    assert sharing, "the example itself was answered from there"
    with assistant.without_passages_of(row["evidence"]):
        fewer = assistant.retriever.answered
        assert len(fewer.texts) == len(full.texts) - len(sharing)
        assert row["text"] not in fewer.texts
        assert not any(where & set(held) for held in fewer.holders(snap))
        assistant.ask(row["text"])
    assert assistant.retriever.answered is full, "put back after the question"
    gold = tmp_path / "novel.jsonl"
    gold.write_text(json.dumps({"id": "X1", "question": row["text"], "answerable": True, "category": "kloe",
                                "evidence": row["evidence"], "must_mention": []}) + "\n", encoding="utf-8")
    result = run(index_settings, gold, out_dir=tmp_path / "results", baselines=False, leave_out="passages")
    assert result["leave_out"] == "passages" and result["written"].endswith("-left-out-passages.json")
    with pytest.raises(ValueError, match="one of questions, passages"):
        run(index_settings, gold, out_dir=tmp_path / "results", baselines=False, leave_out="everything")
