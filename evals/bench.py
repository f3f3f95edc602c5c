"""Speed of the assistant on this machine, each figure next to a floor measured in the same run.

``python -m assistant bench`` (or ``python evals/bench.py``) writes ``evals/results/bench-<commit>.json``
and prints a table. Every index it builds lives in a temporary folder: the user's ``index/`` is never
touched. The machine may be shared, so floors and our figures are measured alternately, and the
load average before and after is recorded next to them.

Floors (what the hardware needs at least for the same work):

* build: plain sentence-transformers loading MiniLM and encoding the same chunk texts, with the batch
  size that was fastest on a sample in this run; also the LangChain tutorial's build
  (``assistant.evaluate.TutorialBaseline``: RecursiveCharacterTextSplitter 1000/200 into Chroma).
* warm answer: embedding the question + one Chroma query + one BM25 query, with the assistant's own
  model, collection and BM25 index, timed question by question between the assistant's answers.
* cold ask: a fresh interpreter that imports sentence-transformers and Chroma, loads the model, embeds
  the question and queries the built collection once: the least the stack before issue 19 needed
  (the assistant itself now embeds with onnxruntime and never imports torch).
* serve: the same floor plus importing Gradio, FastAPI and uvicorn, which any server of that stack loads.
* ``--help``: a fresh interpreter that does nothing (``python -c pass``).
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from assistant.settings import Settings, configure_libraries  # noqa: E402

COLD_QUESTION = "What should I do if I think a colleague is taking money from a resident?"
ADDED_FILE = "900_bench_added.txt"
# The targets of issue 9: (figure, how its ratio or value is judged, limit).
TARGETS: dict[str, tuple[str, float]] = {
    "build_vs_floor": ("ratio", 1.3),
    "build_vs_tutorial": ("ratio", 0.6),
    # The same targets on CPU seconds: on a shared machine wall time mostly measures the other programs.
    "build_cpu_vs_floor": ("ratio", 1.3),
    "build_cpu_vs_tutorial": ("ratio", 0.6),
    "noop_rebuild_s": ("value", 1.0),
    "warm_p50_ms": ("ratio", 1.5),
    "warm_p95_ms": ("ratio", 3.0),
    "help_s": ("value", 1.0),
    # Issue 19: answering without torch. 0.4x the floor of the sentence-transformers stack; half the
    # 10.3 s that `serve` took from launch to its first answer before (measured in issue 19); 400 MB.
    "cold_ask_s": ("ratio", 0.4),
    "serve_first_answer_s": ("value", 5.15),
    "serve_rss_mb": ("value", 400.0),
}
SERVE_ANSWERS = 100


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    floor: float | None = None
    floor_label: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return round(self.value / self.floor, 2) if self.floor else None

    def judged(self) -> tuple[float | None, bool | None]:
        """(limit, met) for figures that have a target."""
        if self.name not in TARGETS:
            return None, None
        how, limit = TARGETS[self.name]
        got = self.ratio if how == "ratio" else self.value
        return limit, (got is not None and got <= limit)

    def as_dict(self) -> dict[str, Any]:
        limit, met = self.judged()
        how = TARGETS.get(self.name, ("", 0))[0]
        return {"name": self.name, "value": self.value, "unit": self.unit, "floor": self.floor,
                "floor_label": self.floor_label, "ratio": self.ratio, "target": limit,
                "target_on": how or None, "met": met, "note": self.note}


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_CORPUS_DIR=str(settings.corpus_dir), ASSISTANT_INDEX_DIR=str(settings.index_dir),
               ASSISTANT_DATA_DIR=str(settings.data_dir))
    if settings.embedding_model:
        env["ASSISTANT_EMBEDDING_MODEL"] = settings.embedding_model
    return env


def _run_timed(cmd: list[str], env: dict[str, str], timeout: float = 300) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process, which must succeed."""
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err, text=True)
        # wait4 rather than wait: it also gives the child's own CPU time.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.read()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def _copy_corpus(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _add_document(corpus: Path) -> None:
    """One more document, as a user adds one: a copy of the smallest policy document under a new title."""
    source = min((p for p in corpus.glob("*.txt") if p.name != ADDED_FILE), key=lambda p: p.stat().st_size)
    shutil.copy(source, corpus / ADDED_FILE)
    with open(corpus / "catalogue.toml", "a", encoding="utf-8") as f:
        f.write(f'\n[[document]]\nfile = "{ADDED_FILE}"\ntitle = "Added for the speed benchmark"\n'
                'publisher = "Benchmark"\nyear = "2026"\nkind = "policy"\n')


# ---------------------------------------------------------------- build


def _floor_build(model_path: str, texts: list[str], sample: int) -> dict[str, Any]:
    """Plain sentence-transformers: load MiniLM, pick the fastest batch size on a sample, encode all.
    Wall and CPU seconds count the load and the encoding, not the batch-size probe."""
    from sentence_transformers import SentenceTransformer

    started, cpu = time.perf_counter(), time.process_time()
    model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
    load_s, load_cpu = time.perf_counter() - started, time.process_time() - cpu
    model.encode(texts[:8])
    probe = texts[:: max(1, len(texts) // sample)][:sample]
    tried = {}
    for size in (16, 32, 64):
        t = time.perf_counter()
        model.encode(probe, batch_size=size, normalize_embeddings=True)
        tried[size] = time.perf_counter() - t
    best = min(tried, key=lambda s: tried[s])
    t, cpu = time.perf_counter(), time.process_time()
    vectors = model.encode(texts, batch_size=best, normalize_embeddings=True)
    encode_s, encode_cpu = time.perf_counter() - t, time.process_time() - cpu
    del model
    gc.collect()
    return {"seconds": load_s + encode_s, "cpu_s": load_cpu + encode_cpu, "load_s": load_s, "encode_s": encode_s,
            "batch_size": best, "probe_s": {str(k): round(v, 3) for k, v in tried.items()}, "vectors": vectors}


def _our_build(settings: Settings) -> dict[str, Any]:
    from assistant.index.build import build_index
    from assistant.index.embedding import load_embedder

    load_embedder.cache_clear()  # each build loads the model, as a fresh `python -m assistant index` does
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    report = build_index(settings, force=True, progress=False)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cpu_s": time.process_time() - cpu, "chunks": report.chunks,
            "embedded": report.embedded}


def _tutorial_build(settings: Settings) -> dict[str, Any]:
    from langchain_huggingface import HuggingFaceEmbeddings

    from assistant.evaluate import TutorialBaseline

    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    # The tutorial's embedder as the tutorial sets it up: defaults, no tuning.
    embedder = HuggingFaceEmbeddings(model_name=settings.model_path,
                                     model_kwargs={"device": "cpu", "local_files_only": True})
    baseline = TutorialBaseline(settings, embedder, [])
    seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    texts = baseline.store.get(include=["documents"])["documents"]
    out = {"seconds": seconds, "cpu_s": cpu_s, "chunks": baseline.n_chunks, "add_documents_s": baseline.build_seconds,
           "texts": texts}
    baseline._tmp.cleanup()
    return out


def _tokens(model_path: str, texts: list[str]) -> int:
    """Word pieces MiniLM reads for ``texts`` (each cut at the model's 256): the work an encoder does."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_path, local_files_only=True)
    return sum(len(ids) for ids in tokenizer(texts, truncation=True, max_length=256)["input_ids"])


def _chroma_write_s(vectors: Any, chunks: list[Any], folder: Path) -> float:
    """Writing the finished vectors into a new persistent collection: the part of a build that is not
    embedding (measured on the floor's vectors, so it costs no model time)."""
    from assistant.index.records import to_metadata
    from assistant.index.store import local_client

    started = time.perf_counter()
    collection = local_client(folder).get_or_create_collection("write-only", embedding_function=None,
                                                               metadata={"hnsw:space": "cosine"})
    for at in range(0, len(chunks), 256):
        part = chunks[at : at + 256]
        collection.upsert(ids=[c.id for c in part], embeddings=vectors[at : at + 256],
                          documents=[c.text for c in part], metadatas=[to_metadata(c) for c in part])
    return time.perf_counter() - started


def bench_build(settings: Settings, work: Path, repeats: int, sample: int, log: Callable[[str], None]
                ) -> tuple[list[Figure], dict[str, Any], Settings]:
    from assistant.index.build import build_index
    from assistant.ingest.corpus import load_corpus

    started = time.perf_counter()
    corpus = load_corpus(settings.corpus_dir)
    parse_s = time.perf_counter() - started
    texts = [c.embed_text for c in corpus.chunks]
    runs: dict[str, list[dict[str, Any]]] = {"floor": [], "ours": [], "tutorial": []}
    built = settings
    for r in range(repeats):
        # Alternated, so that a burst of load elsewhere on the machine hits all three alike.
        log(f"build {r + 1}/{repeats}: floor ...")
        runs["floor"].append(_floor_build(settings.model_path, texts, sample))
        log(f"build {r + 1}/{repeats}: assistant ...")
        built = settings.model_copy(update={"index_dir": work / f"index-{r}"})
        runs["ours"].append(_our_build(built))
        log(f"build {r + 1}/{repeats}: tutorial ...")
        runs["tutorial"].append(_tutorial_build(settings))
    write_s = _chroma_write_s(runs["floor"][-1]["vectors"], corpus.chunks, work / "chroma-write")
    for run in runs["floor"]:
        run.pop("vectors")
    tutorial_texts = runs["tutorial"][-1]["texts"]
    for run in runs["tutorial"]:
        run.pop("texts")
    tokens = {"assistant": _tokens(settings.model_path, texts),
              "tutorial": _tokens(settings.model_path, tutorial_texts)}

    def best(name: str, key: str = "seconds") -> float:
        return min(run[key] for run in runs[name])

    n = len(texts)
    ours, floor, tutorial = best("ours"), best("floor"), best("tutorial")
    figures = [
        Figure("build_vs_floor", round(ours, 2), "s", round(floor, 2), "plain sentence-transformers, same texts",
               note=f"{n} chunks, {n / ours:.1f} chunks/s vs {n / floor:.1f}; best of {repeats}"),
        Figure("build_vs_tutorial", round(ours, 2), "s", round(tutorial, 2),
               f"tutorial build ({runs['tutorial'][0]['chunks']} chunks)",
               note=f"tutorial {runs['tutorial'][0]['chunks'] / tutorial:.1f} chunks/s; word pieces embedded: "
                    f"{tokens['assistant']} vs {tokens['tutorial']}"),
    ]
    # CPU seconds suffer less than wall time from other programs on a shared machine.
    cpu = {name: best(name, "cpu_s") for name in runs}
    figures += [
        Figure("build_cpu_vs_floor", round(cpu["ours"], 1), "cpu s", round(cpu["floor"], 1),
               "CPU seconds of the floor", note="CPU time of the same builds (all threads)"),
        Figure("build_cpu_vs_tutorial", round(cpu["ours"], 1), "cpu s", round(cpu["tutorial"], 1),
               "CPU seconds of the tutorial build"),
    ]
    # No-op: nothing changed since the last build (in this process, and as a fresh CLI process).
    t = time.perf_counter()
    report = build_index(built, progress=False)
    noop = time.perf_counter() - t
    assert not report.built, "a rebuild with nothing changed should do nothing"
    cli_noop, _ = _run_timed([sys.executable, "-m", "assistant", "index", "--quiet"], _env(built))
    figures.append(Figure("noop_rebuild_s", round(noop, 3), "s", note=f"as a fresh CLI process: {cli_noop:.2f} s"))
    # Incremental: one document added to a copy of the corpus.
    inc_corpus = _copy_corpus(settings.corpus_dir, work / "corpus-inc")
    inc = built.model_copy(update={"corpus_dir": inc_corpus})
    build_index(inc, progress=False)  # same files and catalogue in another folder: nothing to do
    _add_document(inc_corpus)
    from assistant.index.embedding import load_embedder

    load_embedder.cache_clear()
    t = time.perf_counter()
    report = build_index(inc, progress=False)
    inc_s = time.perf_counter() - t
    figures.append(Figure("incremental_rebuild_s", round(inc_s, 2), "s", round(ours, 2), "full build",
                          note=f"{report.embedded} of {report.chunks} chunks embedded, the rest reused"))
    detail = {
        "chunks": n,
        "parse_s": round(parse_s, 3),
        "tokens": tokens,
        "chroma_write_s": round(write_s, 3),
        "incremental": {"embedded": report.embedded, "chunks": report.chunks, "seconds": round(inc_s, 3)},
        "runs": {k: [{kk: (round(vv, 3) if isinstance(vv, float) else vv) for kk, vv in run.items()}
                     for run in v] for k, v in runs.items()},
    }
    # The index now holds the added document: what serves next is that corpus, so nothing is rebuilt at start.
    return figures, detail, inc


# ---------------------------------------------------------------- answers


def bench_warm(settings: Settings, questions: list[dict[str, Any]], rounds: int) -> tuple[list[Figure], dict]:
    from assistant.chat import Assistant

    assistant = Assistant(settings)
    assistant.ask("warm-up question about safeguarding")
    retriever = assistant.retriever
    snap = retriever.reader.snapshot
    bm25 = retriever.bm25(snap)
    n = settings.candidates

    def floor(q: str) -> float:
        t = time.perf_counter()
        vector = assistant.embedder.embed_query(q)
        snap.collection.query(query_embeddings=[vector], n_results=min(n, snap.collection.count()),
                              include=["distances"])
        bm25.search(q, n, {})
        return (time.perf_counter() - t) * 1000

    ours_ms: list[float] = []
    floor_ms: list[float] = []
    for _ in range(rounds):
        for g in questions:
            floor_ms.append(floor(g["question"]))
            t = time.perf_counter()
            assistant.ask(g["question"], g.get("history") or [])
            ours_ms.append((time.perf_counter() - t) * 1000)
    figures = [
        Figure(f"warm_{name}_ms", round(_pct(ours_ms, q), 1), "ms", round(_pct(floor_ms, q), 1),
               "embed + 1 Chroma query + 1 BM25 query")
        for name, q in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))
    ]
    return figures, {"answers": len(ours_ms), "candidates": n}


def _cold_floor_code(settings: Settings) -> str:
    from assistant.index.build import current_build

    build = current_build(settings.index_dir)
    return (
        "from assistant.settings import configure_libraries; configure_libraries()\n"
        "from sentence_transformers import SentenceTransformer\n"
        "from assistant.index.store import local_client\n"
        f"m = SentenceTransformer({settings.model_path!r}, device='cpu', local_files_only=True)\n"
        f"v = m.encode({COLD_QUESTION!r}, normalize_embeddings=True)\n"
        "from pathlib import Path\n"
        f"c = local_client(Path({str(build / 'chroma')!r})).get_collection({settings.collection!r})\n"
        "c.query(query_embeddings=[v.tolist()], n_results=5)\n"
    )


SERVE_IMPORTS = "import gradio, fastapi, uvicorn\n"


def bench_cold(settings: Settings, repeats: int) -> tuple[list[Figure], dict]:
    env = _env(settings)
    runs: dict[str, list[tuple[float, float]]] = {"floor": [], "serve_floor": [], "ask": [], "python": [], "help": []}
    commands = {
        "floor": [sys.executable, "-c", _cold_floor_code(settings)],
        "serve_floor": [sys.executable, "-c", _cold_floor_code(settings) + SERVE_IMPORTS],
        "ask": [sys.executable, "-m", "assistant", "ask", COLD_QUESTION],
        "python": [sys.executable, "-c", "pass"],
        "help": [sys.executable, "-m", "assistant", "--help"],
    }
    for _ in range(repeats):
        for name, cmd in commands.items():
            runs[name].append(_run_timed(cmd, env))

    def med(name: str, i: int = 0) -> float:
        return statistics.median(r[i] for r in runs[name])

    figures = [
        Figure("cold_ask_s", round(med("ask"), 2), "s", round(med("floor"), 2),
               "fresh process: import, load MiniLM, embed, 1 Chroma query", note=f"median of {repeats}"),
        Figure("cold_ask_cpu_s", round(med("ask", 1), 2), "cpu s", round(med("floor", 1), 2),
               "CPU seconds of the same floor"),
        Figure("help_s", round(med("help"), 3), "s", round(med("python"), 3), "python -c pass",
               note=f"median of {repeats}"),
    ]
    detail_floor = round(med("serve_floor"), 2)
    detail = {name: [[round(w, 3), round(c, 3)] for w, c in r] for name, r in runs.items()}
    detail["serve_floor_s"] = detail_floor  # type: ignore[assignment]
    return figures, detail


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())


def bench_serve(settings: Settings, questions: list[dict[str, Any]], floor: float | None = None,
                timeout: float = 180) -> tuple[list[Figure], dict]:
    """Launch ``python -m assistant serve``, wait for /healthz, time the first answer; then answer
    SERVE_ANSWERS questions through the API (the set, over and over) and read the process's RSS."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port)], env=_env(settings),
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        healthy = None
        while time.perf_counter() - started < timeout:
            if proc.poll() is not None:
                tail = proc.stderr.read()[-2000:] if proc.stderr else ""
                raise RuntimeError(f"serve exited ({proc.returncode}): {tail}")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=5) as resp:
                    if resp.status == 200:
                        healthy = time.perf_counter() - started
                        break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        if healthy is None:
            raise RuntimeError(f"serve did not answer /healthz within {timeout} s")
        body = {"model": "care-guide-assistant", "messages": [{"role": "user", "content": COLD_QUESTION}]}
        reply = _post(f"{base}/v1/chat/completions", body, timeout)
        first = time.perf_counter() - started
        assert reply["choices"][0]["message"]["content"], "the first answer was empty"
        for i in range(SERVE_ANSWERS - 1):
            g = questions[i % len(questions)]
            _post(f"{base}/v1/chat/completions",
                  {"model": "care-guide-assistant", "messages": [{"role": "user", "content": g["question"]}]}, timeout)
        rss, peak = _rss_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()
    figures = [
        Figure("serve_first_answer_s", round(first, 2), "s", floor, "floor + import gradio, fastapi, uvicorn",
               note=f"/healthz answered after {healthy:.2f} s"),
        Figure("serve_rss_mb", rss, "MB", note=f"after {SERVE_ANSWERS} answers through /v1"),
        Figure("serve_peak_rss_mb", peak, "MB", note="the most it held at any time"),
    ]
    return figures, {"healthz_s": round(healthy, 2), "port": port}


def _rss_mb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM): what a running process holds now and the most it ever held, from /proc."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = round(int(value.split()[0]) / 1024)
    if len(found) < 2:
        raise RuntimeError("no VmRSS in /proc: memory figures need Linux")
    return found["VmRSS"], found["VmHWM"]


# ---------------------------------------------------------------- the run


def run(settings: Settings, questions_path: Path, out_dir: Path | None = None, *, repeats: int = 2,
        rounds: int = 3, cold_repeats: int = 3, max_questions: int | None = None, sample: int = 128,
        log: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> dict[str, Any]:
    """Run every measurement once (builds ``repeats`` times) and write the JSON report."""
    from assistant.evaluate import _commit, read_jsonl

    configure_libraries()
    commit = _commit()  # the code being measured, before anything else can be committed meanwhile
    questions = read_jsonl(questions_path)[:max_questions]
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        work = Path(tmp)
        base = settings.model_copy(update={"corpus_dir": _copy_corpus(settings.corpus_dir, work / "corpus"),
                                           "data_dir": work / "data", "chroma_url": ""})
        figures, detail, built = bench_build(base, work, repeats, sample, log)
        log("warm answers ...")
        warm, warm_detail = bench_warm(built, questions, rounds)
        log("cold ask and --help ...")
        cold, cold_detail = bench_cold(built, cold_repeats)
        log("serve ...")
        serve, serve_detail = bench_serve(built, questions, cold_detail["serve_floor_s"])
    figures += warm + cold + serve
    result = {
        "commit": commit,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "load_before": load_before, "load_after": _load(),
                    "python": sys.version.split()[0]},
        "questions": len(questions),
        "figures": [f.as_dict() for f in figures],
        "detail": {"build": detail, "warm": warm_detail, "cold": cold_detail, "serve": serve_detail},
    }
    out_dir = out_dir or ROOT / "evals" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"bench-{result['commit'][:10]}.json"
    path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    result["written"] = str(path)
    return result


def table(result: dict[str, Any]) -> str:
    head = f"{'figure':<24}{'value':>10} {'unit':<4}{'floor':>10}{'ratio':>8}{'target':>9}  met  note"
    lines = [head, "-" * len(head)]
    for f in result["figures"]:
        target = "" if f["target"] is None else ("≤" + (f"{f['target']}×" if f["target_on"] == "ratio"
                                                         else f"{f['target']:g}"))
        met = "" if f["met"] is None else ("yes" if f["met"] else "NO")
        floor = "" if f["floor"] is None else f"{f['floor']:g}"
        ratio = "" if f["ratio"] is None else f"{f['ratio']:.2f}"
        lines.append(f"{f['name']:<24}{f['value']:>10g} {f['unit']:<4}{floor:>10}{ratio:>8}{target:>9}  {met:<4} "
                     f"{f['note'] or f['floor_label']}")
    m = result["machine"]
    lines.append(f"commit {result['commit'][:10]}, {m['cpus']} CPUs, load average before {m['load_before']} "
                 f"after {m['load_after']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m assistant bench", description=__doc__.splitlines()[0])
    p.add_argument("--set", dest="gold", default=str(ROOT / "evals" / "dev.jsonl"), help="questions (JSON lines)")
    p.add_argument("--repeats", type=int, default=2, help="full builds of each kind (best is reported)")
    p.add_argument("--rounds", type=int, default=3, help="passes over the questions for warm latency")
    p.add_argument("--out", default=None, help="folder for the JSON report (default evals/results)")
    args = p.parse_args(argv)
    configure_libraries()
    result = run(Settings(), Path(args.gold), Path(args.out) if args.out else None, repeats=args.repeats,
                 rounds=args.rounds)
    print(table(result))
    print(f"Written to {result['written']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
