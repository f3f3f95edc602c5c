"""``python -m assistant eval``: the assistant and two baselines scored on an evaluation set, in one run.

Baselines, both built in this process over the same corpus and the same MiniLM:

* tutorial: LangChain's RecursiveCharacterTextSplitter (1000/200) over each file's text, Chroma,
  top-5 similarity. Its chunks get the KLOE of the guide section they start in, so that the KLOE
  metrics compare retrieval rather than missing metadata. Its "answer" is the first passage, cited [1].
* bm25: plain BM25 over the assistant's own chunks, top 5, answered the same way.

Metrics come from ``evals/score.py`` unchanged, the scorer of the held-out set.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from assistant.settings import ROOT, Settings
from assistant.types import Answer, BlockKind, Chunk, Citation, Passage

METRICS = ["evidence_hit5", "evidence_hit1", "kloe_hit1", "kloe_hit3", "refusal_ok", "false_refusal", "safety_ok",
           "setting_precision", "markers_ok", "claim_support", "key_points", "key_points_lead", "key_points_sources",
           "answer_words_p50", "latency_p50_ms", "latency_p95_ms", "generated_rate", "fallback_rate"]


def load_scorer() -> Any:
    spec = importlib.util.spec_from_file_location("care_guide_score", ROOT / "evals" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _first_passage_answer(passages: list[Passage], started: float) -> Answer:
    cits = [Citation.from_passage(n, p) for n, p in enumerate(passages, start=1)]
    text = f"{passages[0].chunk.text} [1]" if passages else ""
    return Answer(text=text, citations=cits, answerable=True, mode="baseline",
                  latency_ms=round((time.perf_counter() - started) * 1000, 1))


class TutorialBaseline:
    """The LangChain tutorial RAG: recursive splitter 1000/200, MiniLM, Chroma, top-5 similarity."""

    def __init__(self, settings: Settings, embedder: Any, sections: list[Chunk]) -> None:
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from assistant.index.store import local_client
        from assistant.ingest.loaders import corpus_files, load_catalogue

        catalogue = load_catalogue(settings.corpus_dir)
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        docs = []
        for path in corpus_files(settings.corpus_dir, catalogue):
            text = path.read_text(encoding="utf-8")
            for d in splitter.split_documents([Document(page_content=text, metadata={"doc": path.name})]):
                line = text.count("\n", 0, d.metadata["start_index"]) + 1
                d.metadata["line"] = line
                docs.append(d)
        self._tmp = tempfile.TemporaryDirectory(prefix="tutorial-baseline-")
        self.store = Chroma(collection_name="tutorial", embedding_function=embedder,
                            client=local_client(Path(self._tmp.name)))
        started = time.perf_counter()
        self.store.add_documents(docs)
        self.build_seconds = time.perf_counter() - started
        self.n_chunks = len(docs)
        self.sections = sections
        self.catalogue = catalogue

    def _label(self, doc: str, line: int) -> Chunk | None:
        """The assistant's chunk that starts last at or before ``line`` in ``doc`` (its KLOE labels it)."""
        before = [c for c in self.sections if c.doc_id == doc and c.line_start <= line]
        return max(before, key=lambda c: c.line_start, default=None)

    def ask(self, question: str, history: list[str]) -> Answer:
        started = time.perf_counter()
        hits = self.store.similarity_search_with_score(question, k=5)
        passages = []
        for i, (d, distance) in enumerate(hits):
            score = 1.0 - float(distance) / 2  # Chroma's default L2 distance on unit vectors
            label = self._label(d.metadata["doc"], d.metadata["line"])
            src = self.catalogue[d.metadata["doc"]]
            passages.append(Passage(Chunk(
                id=f"t{i}", doc_id=src.doc_id, text=d.page_content, heading_path="", kind=BlockKind.TEXT,
                line_start=d.metadata["line"], line_end=d.metadata["line"],
                key_question=label.key_question if label else None, kloe=label.kloe if label else None,
                kloe_title=label.kloe_title if label else None, doc_title=src.title, publisher=src.publisher,
            ), float(score)))
        return _first_passage_answer(passages, started)


class Bm25Baseline:
    """Plain BM25 over the assistant's chunks, top 5, no boosts, no gate."""

    def __init__(self, chunks: list[Chunk]) -> None:
        from assistant.retrieve.lexical import Bm25

        self.bm25 = Bm25(chunks)
        self.by_id = {c.id: c for c in chunks}

    def ask(self, question: str, history: list[str]) -> Answer:
        started = time.perf_counter()
        hits = self.bm25.search(question, 5, {})
        return _first_passage_answer([Passage(self.by_id[i], s) for i, s in hits], started)


# What ``eval --leave-out`` can take out of the labelled examples, and the suffix of its results' file name.
LEAVE_OUT = {"questions": "-left-out", "passages": "-left-out-passages"}


def run(settings: Settings, gold_path: Path, out_dir: Path | None = None,
        baselines: bool = True, leave_out: str = "") -> dict[str, Any]:
    """Answer every question with each system, score them, and write the results JSON. With ``leave_out``
    "questions", the set's own questions are taken out of the labelled examples first (answered questions,
    emergencies, topics and the judge's questions, ``scripts/examples.py``; the judge is fitted again): a set
    that was tuned on is then scored as one that was not. With "passages", also every answered example
    answered by the passages holding a row's evidence, for that row: each question is asked as if about a
    passage no question had been answered from."""
    if leave_out and leave_out not in LEAVE_OUT:
        raise ValueError(f"leave_out is one of {', '.join(LEAVE_OUT)}, not {leave_out!r}")
    from assistant.batch import answer_record, error_record
    from assistant.chat import Assistant
    from assistant.errors import AssistantError

    scorer = load_scorer()
    gold = read_jsonl(gold_path)
    assistant = Assistant(settings)
    extra: dict[str, Any] = {"mode": settings.llm}
    if leave_out:
        extra["left_out"] = assistant.leave_out([g["question"] for g in gold])
        extra["leave_out"] = leave_out
    systems: dict[str, Any] = {"assistant": assistant}
    if settings.llm != "grounded":
        # The grounded answer, measured in the same run and over the same index, is the bar a model must pass.
        systems["grounded"] = assistant.with_settings(llm="grounded")
        extra["llm"] = {"model": assistant.writer.name, "timeout_s": settings.llm_timeout,
                        "max_seconds": settings.llm_max_seconds, "max_tokens": settings.llm_max_tokens}
    if baselines:
        tutorial = TutorialBaseline(settings, assistant.embedder, assistant.reader.chunks)
        systems["tutorial"] = tutorial
        systems["bm25"] = Bm25Baseline(assistant.reader.chunks)
        extra["tutorial_chunks"] = tutorial.n_chunks
        extra["tutorial_build_s"] = round(tutorial.build_seconds, 2)
    answers: dict[str, list[dict[str, Any]]] = {}
    for name, system in systems.items():
        # As a server starts: the assistant makes its tables before the first question (Assistant.warm).
        if hasattr(system, "warm"):
            system.warm()
        else:
            system.ask("warm-up question about safeguarding", [])
        rows = []
        for g in gold:
            # Both the assistant and the grounded bar it is compared with (one retriever, with_settings).
            unseen = (system.without_passages_of(g.get("evidence") or ())
                      if leave_out == "passages" and isinstance(system, Assistant) else contextlib.nullcontext())
            try:
                with unseen:
                    rows.append(answer_record(g["id"], system.ask(g["question"], g.get("history") or [])))
            except AssistantError as e:
                rows.append(error_record(g["id"], str(e)))
        answers[name] = rows
    scores = {name: scorer.score(gold, rows) for name, rows in answers.items()}
    for name, rows in answers.items():
        scores[name].update(generation(rows))
    extra["floor"] = latency_floor(assistant, [g["question"] for g in gold])
    p50 = scores["assistant"].get("latency_p50_ms")
    extra["floor"]["assistant_p50_over_floor_p50"] = round(p50 / extra["floor"]["p50_ms"], 2) if p50 else None
    result = {
        "set": str(gold_path),
        "commit": _commit(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "chunks": len(assistant.reader.chunks),
        **extra,
        "scores": scores,
        "ratios": {b: _ratios(scores["assistant"], scores[b]) for b in scores if b != "assistant"},
    }
    out_dir = out_dir or ROOT / "evals" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    mode = "" if settings.llm == "grounded" else f"-{settings.llm}"
    stem = f"eval-{gold_path.stem}-{result['commit'][:10]}{mode}{LEAVE_OUT.get(leave_out, '')}"
    (out_dir / f"{stem}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    with open(out_dir / f"{stem}-answers.jsonl", "w", encoding="utf-8") as f:
        for row in answers["assistant"]:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    result["written"] = str(out_dir / f"{stem}.json")
    return result


def generation(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """How often a configured model was asked, how often its checked reply was shown, and why not."""
    asked = [r for r in rows if r.get("generated") or r.get("fallback")]
    reasons: dict[str, int] = {}
    for r in asked:
        if r.get("fallback"):
            reasons[r["fallback"]] = reasons.get(r["fallback"], 0) + 1
    return {
        "model_asked": len(asked),
        "generated_rate": round(sum(bool(r.get("generated")) for r in asked) / len(asked), 3) if asked else None,
        "fallback_rate": round(sum(bool(r.get("fallback")) for r in asked) / len(asked), 3) if asked else None,
        "fallback_reasons": reasons,
    }


def latency_floor(assistant: Any, questions: list[str]) -> dict[str, float]:
    """What any answer costs at least: embedding the question and one Chroma query, timed here."""
    collection = assistant.reader.collection
    times = []
    for q in questions:
        started = time.perf_counter()
        vector = assistant.embedder.embed_query(q)
        collection.query(query_embeddings=[vector], n_results=5, include=["distances"])
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1)}


def _ratios(mine: dict[str, Any], base: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for m in METRICS:
        a, b = mine.get(m), base.get(m)
        out[m] = round(a / b, 2) if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else None
    return out


def _commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "assistant", "corpus"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return sha.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(result: dict[str, Any]) -> str:
    """The scores side by side, with the assistant/baseline ratio for each metric."""
    scores = result["scores"]
    names = list(scores)
    head = f"{'metric':<20}" + "".join(f"{n:>12}" for n in names)
    head += "".join(f"{'÷' + n:>12}" for n in names if n != "assistant")
    lines = [head, "-" * len(head)]
    for m in METRICS:
        row = f"{m:<20}" + "".join(f"{_fmt(scores[n].get(m)):>12}" for n in names)
        row += "".join(f"{_fmt(result['ratios'][n].get(m)):>12}" for n in names if n != "assistant")
        lines.append(row)
    lines.append(f"n={scores['assistant']['n']} missing={scores['assistant']['missing']} "
                 f"claims={scores['assistant']['n_claims']} chunks={result['chunks']}")
    floor = result.get("floor")
    if floor:
        lines.append(f"latency floor (embed question + one Chroma query): p50 {floor['p50_ms']} ms, "
                     f"p95 {floor['p95_ms']} ms; assistant p50 / floor p50 = {floor['assistant_p50_over_floor_p50']}")
    return "\n".join(lines)


def _fmt(v: Any) -> str:
    return "-" if v is None else f"{v:.3f}" if isinstance(v, float) and v < 10 else str(v)


