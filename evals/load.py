"""Load test: N concurrent simulated users asking questions through the OpenAI-compatible API.

Each user asks the evaluation questions in turn, one request at a time, for a bounded time per level;
the report gives throughput, p50/p95/p99 latency and errors for each number of users. Traffic goes
only to localhost. Without --url the script starts the app itself (`python -m assistant serve` on a
free port, with the built index) and stops it at the end.

    .venv/bin/python evals/load.py                      # users 1, 5, 10, 20, 40; 10 s each
    .venv/bin/python evals/load.py --users 20 --seconds 30 --url http://127.0.0.1:7860
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def _percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * len(xs)))], 1) if xs else 0.0


def run_level(url: str, users: int, seconds: float, questions: list[str]) -> dict[str, float]:
    import httpx

    host = urlparse(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("This load test only sends traffic to this machine (localhost).")
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def user(k: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=url, timeout=30) as client:
            i = k
            while time.perf_counter() < stop_at:
                q = questions[i % len(questions)]
                i += users
                started = time.perf_counter()
                try:
                    r = client.post("/v1/chat/completions", json={
                        "model": "care-guide-assistant", "messages": [{"role": "user", "content": q}]})
                    ok = r.status_code == 200 and "choices" in r.json()
                except httpx.HTTPError:
                    ok = False
                took = (time.perf_counter() - started) * 1000
                with lock:
                    if ok:
                        latencies.append(took)
                    else:
                        errors += 1

    threads = [threading.Thread(target=user, args=(k,)) for k in range(users)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    return {"users": users, "requests": len(latencies), "errors": errors,
            "throughput_rps": round(len(latencies) / wall, 1), "p50_ms": _percentile(latencies, 0.50),
            "p95_ms": _percentile(latencies, 0.95), "p99_ms": _percentile(latencies, 0.99)}


def start_app() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("The app did not start; run `python -m assistant index` first.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", help="a running app (default: start one on a free localhost port)")
    ap.add_argument("--users", type=int, nargs="+", default=[1, 5, 10, 20, 40])
    ap.add_argument("--seconds", type=float, default=10.0, help="how long each level runs")
    ap.add_argument("--set", default=str(ROOT / "evals" / "dev.jsonl"))
    ap.add_argument("--out", help="write the results as JSON here too")
    args = ap.parse_args()
    questions = [json.loads(line)["question"] for line in Path(args.set).read_text(encoding="utf-8").splitlines()
                 if line.strip()]
    proc, url = (None, args.url) if args.url else start_app()
    try:
        run_level(url, 2, 3, questions)  # warm-up: model, index and BM25 loaded before measuring
        rows = [run_level(url, n, args.seconds, questions) for n in args.users]
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"{'users':>5} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for r in rows:
        print(f"{r['users']:>5} {r['requests']:>9} {r['errors']:>7} {r['throughput_rps']:>7} {r['p50_ms']:>8} "
              f"{r['p95_ms']:>8} {r['p99_ms']:>8}")
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
