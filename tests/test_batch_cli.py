"""The CLI as people and scripts use it: the batch contract field by field, plain errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import Settings
from tests.conftest import ROOT, venv_env

CITATION_KEYS = {"n", "doc", "title", "key_question", "kloe", "kloe_title", "block_type", "service_type", "provider",
                 "location", "text", "score"}
ANSWER_KEYS = {"id", "answer", "answerable", "mode", "latency_ms", "citations"}


def cli(*args: str, settings: Settings | None = None, stdin: str = "", timeout: int = 300
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, env=venv_env(settings), timeout=timeout)


@pytest.fixture(scope="module")
def batch_run(index_settings: Settings) -> list[dict]:
    lines = [
        {"id": "q1", "question": "How should we involve residents in their own risk assessments?"},
        {"id": 2, "question": "And for home care?", "history": ["What do good services do about fire safety?"]},
        "this is not json",
        {"id": "q4", "question": "What are the telling signs for Well-led?", "filters": {"key_question": "Well-led"}},
        {"id": "q5", "question": "Safeguarding training", "filters": {"kloe": "Z9"}},
        {"id": "q6", "question": "What is the current National Living Wage rate we have to pay our care workers?"},
        {"id": "q7"},
        {"id": "q8", "question": "Examples of good practice in care homes", "filters": {"service_type": "R"}},
        {"id": True, "question": "How should we store medicines?", "filters": {"kloe": "S4"}},
        {"id": 1.5, "question": "How do we keep people safe from abuse?"},
        [1, 2, 3],
        {"id": {"ref": 9}, "question": "Involving families in care plan reviews"},
    ]
    text = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    proc = cli("batch", settings=index_settings, stdin=text)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_one_line_out_per_line_in_in_order(batch_run: list[dict]) -> None:
    assert [r["id"] for r in batch_run] == ["q1", 2, None, "q4", "q5", "q6", "q7", "q8", True, 1.5, None, {"ref": 9}]


def test_answers_follow_the_contract(batch_run: list[dict]) -> None:
    for record in (batch_run[0], batch_run[1], batch_run[3], batch_run[7]):
        assert set(record) >= ANSWER_KEYS
        assert isinstance(record["answer"], str) and record["answer"]
        assert record["answerable"] is True and record["mode"] == "grounded"
        assert isinstance(record["latency_ms"], float) and record["latency_ms"] > 0
        assert record["citations"], record
        for n, c in enumerate(record["citations"], start=1):
            assert set(c) >= CITATION_KEYS
            assert c["n"] == n
            assert c["doc"] and c["title"] and c["text"] and c["location"]
            assert c["service_type"] in ("A", "R", "C", None)
            assert isinstance(c["score"], float)
        markers = {int(m) for m in __import__("re").findall(r"\[(\d+)\]", record["answer"])}
        assert markers and markers <= {c["n"] for c in record["citations"]}


def test_citation_text_is_the_whole_passage(batch_run: list[dict], assistant) -> None:
    by_text = {c.text for c in assistant.reader.chunks}
    for c in batch_run[0]["citations"]:
        assert c["text"] in by_text


def test_filters_are_honoured(batch_run: list[dict]) -> None:
    assert all(c["key_question"] == "Well-led" for c in batch_run[3]["citations"])
    assert all(c["service_type"] in ("R", "A", None) for c in batch_run[7]["citations"])


def test_guide_citations_name_kloe_and_block(batch_run: list[dict]) -> None:
    guide = [c for c in batch_run[0]["citations"] if c["doc"] == "004_e19dd56ae5042632.txt"]
    assert guide
    for c in guide:
        if c["kloe"]:
            assert c["kloe"][0] in "SECRW" and c["kloe_title"] and c["key_question"]
        assert c["block_type"]


def test_bad_lines_get_an_error_and_the_rest_are_answered(batch_run: list[dict]) -> None:
    assert "not valid JSON" in batch_run[2]["error"]
    assert "Unknown KLOE" in batch_run[4]["error"]
    assert "question" in batch_run[6]["error"]
    assert "JSON object" in batch_run[10]["error"]
    for i in (2, 4, 6, 10):
        assert set(batch_run[i]) >= ANSWER_KEYS and batch_run[i]["answerable"] is False
    assert all("error" not in batch_run[i] for i in (0, 1, 3, 7, 8, 9, 11))


def test_ids_of_any_json_type_are_echoed(batch_run: list[dict]) -> None:
    assert batch_run[8]["id"] is True and batch_run[9]["id"] == 1.5 and batch_run[11]["id"] == {"ref": 9}


def test_a_kloe_filter_keeps_to_that_kloe(batch_run: list[dict]) -> None:
    assert batch_run[8]["citations"] and all(c["kloe"] == "S4" for c in batch_run[8]["citations"])


def test_out_of_scope_is_not_answered(batch_run: list[dict]) -> None:
    assert batch_run[5]["answerable"] is False
    assert "not covered by these documents" in batch_run[5]["answer"]
    assert "GOV.UK" in batch_run[5]["answer"], "it says where such questions are answered"
    assert batch_run[5]["citations"] == []


def test_ask_prints_answer_and_sources(index_settings: Settings) -> None:
    proc = cli("ask", "How do we support staff after a medication error?", settings=index_settings)
    assert proc.returncode == 0, proc.stderr
    assert "[1]" in proc.stdout and "Sources:" in proc.stdout
    assert "Good and outstanding care guide (Skills for Care)" in proc.stdout


def test_ask_json_is_one_batch_record(index_settings: Settings) -> None:
    proc = cli("ask", "How do we support staff after a medication error?", "--json", settings=index_settings)
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert set(record) >= ANSWER_KEYS and record["citations"] and set(record["citations"][0]) >= CITATION_KEYS


def test_a_new_process_reads_what_the_patterns_need_from_the_index_folder_and_answers_the_same(
        index_settings: Settings) -> None:
    """What each question reader's pattern needs is kept in the index folder (assistant/patterns.py), so that the
    next process compiles only what its question needs: it answers the same, an emergency included."""
    kept = index_settings.index_dir / "patterns.json"
    question = "my colleague is choking on a sandwich in the staff room, what do i do"
    first = cli("ask", question, settings=index_settings)
    assert first.returncode == 0, first.stderr
    assert kept.is_file() and len(json.loads(kept.read_text(encoding="utf-8"))) > 100
    again = cli("ask", question, settings=index_settings)
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout and first.stdout.startswith("Safety first:")
    kept.write_text("{not json", encoding="utf-8")  # a file cut short is analysed afresh, and written whole again
    third = cli("ask", question, settings=index_settings)
    assert third.stdout == first.stdout and json.loads(kept.read_text(encoding="utf-8"))


def test_missing_index_says_what_to_do(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "none", data_dir=tmp_path / "data")
    proc = cli("ask", "What is safeguarding?", settings=settings)
    assert proc.returncode == 1
    assert "python -m assistant index" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_over_long_question_is_refused_plainly(index_settings: Settings) -> None:
    proc = cli("ask", "why " * 12_500, settings=index_settings)
    assert proc.returncode == 1 and "characters" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_setting_is_explained(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "assistant", "ask", "x"], cwd=ROOT, capture_output=True, text=True,
                          env=venv_env(None, ASSISTANT_TOP_K="lots"))
    assert proc.returncode == 1 and "ASSISTANT_TOP_K" in proc.stderr and "Traceback" not in proc.stderr


def test_help_is_quick_and_lists_commands() -> None:
    proc = cli("--help")
    assert proc.returncode == 0
    for command in ("index", "ask", "batch", "eval", "serve"):
        assert command in proc.stdout


def test_the_same_questions_get_the_same_answers_in_fresh_processes(index_settings: Settings) -> None:
    """Two `batch` runs over the 60 dev questions, each in a new process, give identical answers and
    citations (the dense search is exact; HNSW's approximate neighbours used to differ run to run)."""
    rows = [json.loads(line) for line in (ROOT / "evals" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    text = "".join(json.dumps({"id": r["id"], "question": r["question"], "history": r["history"]}) + "\n"
                   for r in rows)
    runs = []
    for _ in range(2):
        proc = cli("batch", settings=index_settings, stdin=text)
        assert proc.returncode == 0, proc.stderr
        runs.append([{k: v for k, v in json.loads(line).items() if k != "latency_ms"}
                     for line in proc.stdout.splitlines()])
    assert len(runs[0]) == len(rows) and all(r["citations"] for r in runs[0] if r["answerable"])
    differ = [a["id"] for a, b in zip(*runs, strict=True) if a != b]
    assert not differ, f"answers differ between runs: {differ}"
