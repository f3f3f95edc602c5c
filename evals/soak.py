"""Memory over a long session: the server's resident memory, sampled while people use every part of it.

    .venv/bin/python evals/soak.py                  # 30 minutes, writes evals/results/soak-<commit>.json
    .venv/bin/python evals/soak.py --minutes 2      # a short look

The script starts ``python -m assistant serve`` on a free port with the built index (in a temporary
data folder, with one administrator login), then two clients take turns until the time is up:

* the web page's own events, sent as the page sends them (Gradio's queue, one session per visitor):
  a question and two follow-ups, a rating, a Markdown and a PDF export of the conversation, an
  inspection checklist, a supervision plan with a point swapped and a Word export, the guide browser,
  and every tenth visitor an administrator who uploads a small policy and removes it again;
* the OpenAI-compatible API: a question and a follow-up with its history.

The server's VmRSS is read from /proc every ``--every`` seconds. The report gives the curve, and
whether it levels off: the growth over the second half of the run, against the first half's.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
ADMIN = ("soak-admin", "soak-password-1")
CARER = ("soak-carer", "soak-password-2")
FOLLOW_UPS = ["What about in home care?", "Can you give an example?", "What should I avoid?"]
TOPICS = ["dignity in personal care", "safeguarding and whistleblowing", "medicines records", "end of life care",
          "person-centred care planning", "infection control"]


def _questions() -> list[str]:
    rows = [json.loads(x) for x in (ROOT / "evals" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if x]
    return [r["question"] for r in rows]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmRSS in /proc: the soak needs Linux")


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class Page:
    """One visitor of the web page: a Gradio session, its events found by the components' elem_id."""

    def __init__(self, base: str, config: dict[str, Any], login: tuple[str, str] | None = None) -> None:
        self.client = httpx.Client(base_url=base, timeout=120)
        if login:
            self.client.post("/login", data={"username": login[0], "password": login[1]}).raise_for_status()
            config = self.client.get("/config").json()
        self.config = config
        self.session = uuid.uuid4().hex[:12]
        self.components = {c["id"]: c for c in config["components"]}

    def fn(self, elem_id: str, trigger: str = "click") -> tuple[int, int | None]:
        for index, dep in enumerate(self.config["dependencies"]):
            for target, kind in dep["targets"]:
                named = self.components.get(target, {}).get("props", {}).get("elem_id", "")
                if kind == trigger and named == elem_id:
                    return index, target
        raise LookupError(f"no {trigger} event on {elem_id!r}")

    def load_events(self) -> list[int]:
        return [i for i, dep in enumerate(self.config["dependencies"])
                if any(kind == "load" for _, kind in dep["targets"])]

    def call(self, fn: int, trigger: int | None, data: list[Any], event_data: Any = None) -> list[Any]:
        r = self.client.post("/gradio_api/queue/join", json={
            "data": data, "fn_index": fn, "trigger_id": trigger, "session_hash": self.session,
            "event_data": event_data})
        r.raise_for_status()
        with self.client.stream("GET", "/gradio_api/queue/data", params={"session_hash": self.session}) as s:
            for line in s.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        if not message.get("success"):
                            raise RuntimeError(f"event {fn} failed: {str(message.get('output'))[:300]}")
                        return message["output"]["data"]
                    if message.get("msg") in ("close_stream", "unexpected_error"):
                        raise RuntimeError(f"event {fn}: {message}")
        raise RuntimeError(f"event {fn} ended without a result")

    def event(self, elem_id: str, data: list[Any], trigger: str = "click", event_data: Any = None) -> list[Any]:
        fn, target = self.fn(elem_id, trigger)
        return self.call(fn, target, data, event_data)

    def inputs(self, elem_id: str, trigger: str = "click") -> list[str]:
        fn, _ = self.fn(elem_id, trigger)
        return [self.components[i]["type"] for i in self.config["dependencies"][fn]["inputs"]]

    def close(self) -> None:
        self.client.close()


def visit(base: str, config: dict[str, Any], n: int, questions: list[str], rng: random.Random) -> int:
    """One visitor's session through every tab. Returns the number of events sent."""
    admin = n % 10 == 9
    page = Page(base, config, ADMIN if admin else CARER)
    sent = 0
    try:
        for fn in page.load_events():  # what the page runs when it opens (restored checklists, the list)
            deps = page.config["dependencies"][fn]
            page.call(fn, None, [None] * len(deps["inputs"]))
            sent += 1
        question = rng.choice(questions)
        for asked in [question, *rng.sample(FOLLOW_UPS, 2)]:
            page.event("ask", [asked, None, "A", "", ""])
            sent += 1
        page.event("chat", [None, ""], trigger="like", event_data={"index": 1, "value": "", "liked": True})
        page.event("export-md", [None])
        page.event("export-pdf", [None])
        sent += 3
        scope = rng.choice(["Safe", "Effective", "Caring", "Responsive", "Well-led"])
        page.event("prep-make", [scope, rng.choice(["A", "R", "C"]), None])
        page.event("prep-docx", [None])
        sent += 2
        plan = page.event("sup-make", [rng.choice(TOPICS), rng.choice(["A", "R", "C"])])
        choices = [c[1] if isinstance(c, list) else c for c in (plan[1].get("choices") or [])]
        if choices:
            page.event("sup-points", [None, choices[1:]], trigger="input")
            sent += 1
        page.event("sup-docx", [None])
        sent += 2
        if admin:
            name = f"soak-policy-{uuid.uuid4().hex[:6]}.docx"
            body = _docx(f"Lone working policy {name}\nStaff who work alone carry a charged phone and check in "
                         "with the office at the start and end of each visit.")
            (path,) = page.client.post("/gradio_api/upload", files={"files": (name, body)}).json()
            ref = {"path": path, "url": None, "orig_name": name, "meta": {"_type": "gradio.FileData"}}
            added = page.event("upload-add", [ref, "Soak policy"])
            choices = [c[1] if isinstance(c, list) else c for c in (added[2].get("choices") or [])]
            for doc_id in choices:
                page.event("upload-remove", [doc_id])
                sent += 1
            sent += 1
    finally:
        page.close()
    return sent


def api_turn(base: str, questions: list[str], rng: random.Random) -> int:
    first = rng.choice(questions)
    messages = [{"role": "user", "content": first}]
    with httpx.Client(base_url=base, timeout=120) as client:
        reply = client.post("/v1/chat/completions", json={"model": "care-guide-assistant", "messages": messages})
        reply.raise_for_status()
        messages += [{"role": "assistant", "content": reply.json()["choices"][0]["message"]["content"]},
                     {"role": "user", "content": rng.choice(FOLLOW_UPS)}]
        client.post("/v1/chat/completions", json={"model": "care-guide-assistant", "messages": messages}
                    ).raise_for_status()
    return 2


def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("serve did not become healthy")


def run(minutes: float, every: float, out_dir: Path, pause: float = 0.5) -> dict[str, Any]:
    from assistant.evaluate import _commit
    from tests.conftest import free_port

    commit = _commit()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    questions = _questions()
    with tempfile.TemporaryDirectory(prefix="assistant-soak-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env.update(ASSISTANT_DATA_DIR=str(Path(tmp) / "data"), ASSISTANT_ADMINS=ADMIN[0],
                   ASSISTANT_AUTH=f"{ADMIN[0]}:{ADMIN[1]},{CARER[0]}:{CARER[1]}", ASSISTANT_EXPORT_MINUTES="2")
        proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        samples: list[dict[str, float]] = []
        counts = {"web_events": 0, "api_answers": 0, "visitors": 0, "errors": 0}
        errors: list[str] = []
        stop = threading.Event()
        try:
            _wait_healthy(base, proc)
            with httpx.Client(base_url=base) as c:
                c.post("/login", data={"username": ADMIN[0], "password": ADMIN[1]}).raise_for_status()
                config = c.get("/config").json()
            started = time.monotonic()

            def web() -> None:
                rng = random.Random(1)
                while not stop.is_set():
                    try:
                        counts["web_events"] += visit(base, config, counts["visitors"], questions, rng)
                    except Exception as err:  # counted and reported: the soak goes on
                        counts["errors"] += 1
                        errors.append(f"web: {err}"[:300])
                        time.sleep(1)
                    counts["visitors"] += 1
                    stop.wait(pause)

            def api() -> None:
                rng = random.Random(2)
                while not stop.is_set():
                    try:
                        counts["api_answers"] += api_turn(base, questions, rng)
                        stop.wait(pause)
                    except Exception as err:
                        counts["errors"] += 1
                        errors.append(f"api: {err}"[:300])
                        time.sleep(1)

            threads = [threading.Thread(target=web, daemon=True), threading.Thread(target=api, daemon=True)]
            for t in threads:
                t.start()
            while (elapsed := time.monotonic() - started) < minutes * 60:
                samples.append({"t_s": round(elapsed, 1), "rss_mb": _rss_mb(proc.pid), **counts})
                print(f"{elapsed / 60:5.1f} min  {samples[-1]['rss_mb']:7.1f} MB  {counts}", file=sys.stderr)
                time.sleep(every)
            stop.set()
            for t in threads:
                t.join(timeout=120)
            samples.append({"t_s": round(time.monotonic() - started, 1), "rss_mb": _rss_mb(proc.pid), **counts})
        finally:
            stop.set()
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    half = len(samples) // 2
    first, second = samples[: half + 1], samples[half:]
    growth = {"first_half_mb": round(first[-1]["rss_mb"] - first[0]["rss_mb"], 1),
              "second_half_mb": round(second[-1]["rss_mb"] - second[0]["rss_mb"], 1)}
    result = {
        "commit": commit, "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "minutes": minutes, "every_s": every,
        "pause_s": pause,
        "counts": counts, "errors": errors[:20], "growth": growth,
        "rss_mb": {"start": samples[0]["rss_mb"], "max": max(s["rss_mb"] for s in samples),
                   "end": samples[-1]["rss_mb"]},
        # Levels off: the second half adds less than a fifth of what the first added (or under 20 MB).
        "levels_off": growth["second_half_mb"] <= max(20.0, 0.2 * growth["first_half_mb"]),
        "samples": samples,
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"soak-{commit[:10]}.json"
    path.write_text(json.dumps(result, indent=1), encoding="utf-8")
    result["written"] = str(path)
    return result


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=float, default=30)
    p.add_argument("--every", type=float, default=15, help="seconds between memory samples")
    p.add_argument("--pause", type=float, default=0.5, help="seconds each client waits between visits or turns")
    p.add_argument("--out", default=str(ROOT / "evals" / "results"))
    args = p.parse_args()
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    result = run(args.minutes, args.every, Path(args.out), args.pause)
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
    return 0 if result["levels_off"] and not result["counts"]["errors"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
