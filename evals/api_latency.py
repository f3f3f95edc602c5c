"""Latency through the OpenAI-compatible API next to the same questions asked in-process, in one run.

Starts the app (web chat + /v1) on a free localhost port with the built index, asks each question of
evals/dev.jsonl (or --set) through the official `openai` client, plain and streamed (time to the first
content chunk), and through ``Assistant.ask`` directly, then prints p50/p95 of each and the ratios.

    .venv/bin/python evals/api_latency.py [--set evals/own.jsonl] [--limit 40]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import threading
import time
from pathlib import Path


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(xs[int(q * (len(xs) - 1))], 1)


def main() -> None:
    from assistant.settings import ROOT, Settings, configure_libraries

    configure_libraries()
    import openai
    import uvicorn

    from assistant.chat import Assistant
    from assistant.server import build_server

    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=str(ROOT / "evals" / "dev.jsonl"))
    ap.add_argument("--limit", type=int, default=60)
    args = ap.parse_args()
    questions = [json.loads(line)["question"] for line in Path(args.set).read_text(encoding="utf-8").splitlines()
                 if line.strip()][: args.limit]

    settings = Settings()
    assistant = Assistant(settings)
    assistant.ask("warm-up about safeguarding")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(build_server(settings, assistant), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="local", max_retries=0)
    msgs = lambda q: [{"role": "user", "content": q}]  # noqa: E731
    client.chat.completions.create(model="care-guide-assistant", messages=msgs("warm-up"))

    inproc, plain, first = [], [], []
    for q in questions:
        t = time.perf_counter()
        assistant.ask(q)
        inproc.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        client.chat.completions.create(model="care-guide-assistant", messages=msgs(q))
        plain.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        for chunk in client.chat.completions.create(model="care-guide-assistant", messages=msgs(q), stream=True):
            if chunk.choices and chunk.choices[0].delta.content:
                first.append((time.perf_counter() - t) * 1000)
                break
    server.should_exit = True
    thread.join(timeout=10)

    rows = {"in-process ask": inproc, "openai, not streamed": plain, "openai, first streamed chunk": first}
    base = statistics.median(inproc)
    print(f"{len(questions)} questions from {args.set}")
    for name, xs in rows.items():
        print(f"{name:<30} p50 {pct(xs, .5):7.1f} ms  p95 {pct(xs, .95):7.1f} ms  p50 / in-process "
              f"{statistics.median(xs) / base:4.2f}")


if __name__ == "__main__":
    main()
