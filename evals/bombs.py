"""Hostile uploads, timed: each small bomb read without limits in-process (as before) and through the guarded
reader (limits checked while reading, in a memory-capped child), in the same run.

    .venv/bin/python evals/bombs.py [--skip-unguarded]      # Markdown table on standard output

Each reading runs in a fresh process of its own, so its peak memory is its own; an unguarded reading is
stopped after 100 s (that is the figure then shown, with ">").
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile import BOMBS  # noqa: E402

LIMIT_S = 100


def _one(name: str, guarded: bool) -> dict[str, object]:
    """Read one bomb in this process and report the time and the peak memory (this process and its children)."""
    from assistant.errors import DocumentError
    from assistant.ingest.loaders import load_bytes, sniff
    from assistant.ingest.sandbox import read_untrusted
    from assistant.settings import Settings
    from assistant.types import SourceDoc

    data = BOMBS[name]()
    settings = Settings()
    source = SourceDoc(doc_id="bomb", title="bomb", publisher="", year="", kind="uploaded")
    start = time.perf_counter()
    try:
        if guarded:
            read_untrusted(name, sniff(data), data, source, settings.read_limits(), settings.upload_memory_mb)
        else:
            load_bytes(name, sniff(data), data, source)
        outcome = "read"
    except DocumentError as e:
        outcome = f"refused: {e.problem}"
    seconds = time.perf_counter() - start
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"bomb": name, "bytes": len(data), "seconds": round(seconds, 2), "peak_mb": round(peak_kb / 1024),
            "outcome": outcome}


def measure(name: str, guarded: bool) -> dict[str, object]:
    args = [sys.executable, __file__, "--one", name] + (["--guarded"] if guarded else [])
    start = time.perf_counter()
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=LIMIT_S, check=False)
        return json.loads(done.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        return {"bomb": name, "seconds": f">{LIMIT_S}", "peak_mb": "?", "outcome": "did not finish"}
    except (ValueError, IndexError):
        return {"bomb": name, "seconds": round(time.perf_counter() - start, 2), "peak_mb": "?",
                "outcome": "crashed"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one")
    parser.add_argument("--guarded", action="store_true")
    parser.add_argument("--skip-unguarded", action="store_true")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one(args.one, args.guarded)))
        return
    print("| file | size | unguarded: time, peak memory | guarded: time, peak memory | guarded outcome |")
    print("|---|---|---|---|---|")
    for name in BOMBS:
        after = measure(name, guarded=True)
        before = {"seconds": "-", "peak_mb": "-"} if args.skip_unguarded else measure(name, guarded=False)
        size = f"{len(BOMBS[name]()) // 1024} KB"
        print(f"| {name} | {size} | {before['seconds']} s, {before['peak_mb']} MB | "
              f"{after['seconds']} s, {after['peak_mb']} MB | {after['outcome']} |", flush=True)


if __name__ == "__main__":
    main()
