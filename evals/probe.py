"""An attacker's probe of the web app: every event listed in /config, every input that can hold a file,
sent references to marker files; nothing may come back, be copied or be indexed.

    .venv/bin/python evals/probe.py URL MARKER [MARKER ...] [--login USER:PASSWORD]

Each marker is a file whose text is secret; the probe sends Gradio file references to it (a chat
message with a file part, a table cell, browser-state values, a file input, a plain path in a text
box, a like event's value) to every event, including those hidden from the API page, and counts what
is served back: a reply holding a marker's text, or a /gradio_api/file= URL that serves it. It prints
one JSON line with the counts; the tests run it against a real server.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx

# Component types whose values are kept on the server: a client's value for them is ignored by Gradio.
SERVER_SIDE = {"state"}


def file_ref(path: str) -> dict[str, Any]:
    return {"path": path, "url": None, "orig_name": Path(path).name, "meta": {"_type": "gradio.FileData"}}


def payloads(kind: str, path: str) -> list[Any]:
    """Values for an input of component type ``kind`` that carry a reference to ``path``."""
    ref = file_ref(path)
    common: list[Any] = [ref, path, [ref], {"value": ref}]
    if kind == "chatbot":
        return [[{"role": "user", "content": [{"type": "file", "file": ref}]}],
                [{"role": "assistant", "content": [{"type": "file", "file": ref}]}],
                [{"role": "user", "content": ref}], *common]
    if kind == "dataframe":
        return [{"headers": ["Done", "Part", "Item", "Source", "Our evidence"], "data": [[ref, ref, ref, ref, ref]]},
                {"headers": ["a"], "data": [[path]]}, *common]
    if kind == "browserstate":
        return [{"ticks": {"k": {"i": ref}}, "last": [ref, ref], "x": ref},
                {"ticks": {"Well-led|A": {"x": [True, ref]}}, "last": ["Well-led", "A"]}, *common]
    return common


class Probe:
    def __init__(self, base: str, login: str | None = None) -> None:
        self.base = base.rstrip("/")
        self.client = httpx.Client(base_url=self.base, timeout=120, follow_redirects=True)
        if login:
            user, _, password = login.partition(":")
            r = self.client.post("/login", data={"username": user, "password": password})
            r.raise_for_status()

    def config(self) -> dict[str, Any]:
        return self.client.get("/config").json()

    def call(self, fn: int, trigger: int | None, data: list[Any], event_data: Any = None,
             session: str | None = None) -> list[str]:
        """Every message the server sent for one event (in a new session unless one is named), as raw JSON."""
        session = session or uuid.uuid4().hex[:12]
        r = self.client.post("/gradio_api/queue/join",
                             json={"data": data, "fn_index": fn, "trigger_id": trigger, "session_hash": session,
                                   "event_data": event_data})
        if r.status_code != 200:
            return [r.text]
        out = []
        with self.client.stream("GET", "/gradio_api/queue/data", params={"session_hash": session}) as s:
            for line in s.iter_lines():
                if not line.startswith("data:"):
                    continue
                out.append(line[5:])
                if json.loads(line[5:]).get("msg") in ("process_completed", "close_stream", "unexpected_error"):
                    break
        return out

    def served(self, replies: list[str], secrets: list[str]) -> bool:
        """Whether a reply holds a secret, or names a file URL that serves one."""
        text = "\n".join(replies)
        if any(s in text for s in secrets):
            return True
        for chunk in text.split("gradio_api/file=")[1:]:
            target = chunk.split('"')[0]
            r = self.client.get(f"/gradio_api/file={target}")
            if r.status_code == 200 and any(s in r.text for s in secrets):
                return True
        return False


def run(base: str, markers: list[Path], login: str | None = None) -> dict[str, Any]:
    probe = Probe(base, login)
    secrets = [m.read_text(encoding="utf-8").strip() for m in markers]
    config = probe.config()
    components = {c["id"]: c for c in config["components"]}
    events = inputs = tried = served = failures = 0
    leaks: list[str] = []
    for fn, dep in enumerate(config["dependencies"]):
        events += 1
        kinds = [components[i]["type"] for i in dep["inputs"]]
        defaults = [None if k in SERVER_SIDE else components[i].get("props", {}).get("value")
                    for i, k in zip(dep["inputs"], kinds, strict=True)]
        trigger = dep["targets"][0][0] if dep.get("targets") else None
        is_like = any(t[1] == "like" for t in dep.get("targets", []))
        slots = [j for j, k in enumerate(kinds) if k not in SERVER_SIDE]
        inputs += len(slots)
        for path in (str(m) for m in markers):
            cases: list[tuple[list[Any], Any]] = []
            for j in slots:
                for value in payloads(kinds[j], path):
                    data = list(defaults)
                    data[j] = value
                    cases.append((data, None))
            if is_like:
                cases += [(list(defaults), {"index": 0, "value": file_ref(path), "liked": True}),
                          (list(defaults), {"index": file_ref(path), "value": path, "liked": file_ref(path)})]
            # Event data is the browser's too, for every event (a custom HTML event carries its own).
            cases += [(list(defaults), file_ref(path)),
                      (list(defaults), {"marks": {path: [True, file_ref(path)], "x": [file_ref(path), path]},
                                        "index": file_ref(path), "value": file_ref(path)})]
            for data, event_data in cases:
                tried += 1
                try:
                    replies = probe.call(fn, trigger, data, event_data)
                except (httpx.HTTPError, ValueError):
                    failures += 1
                    continue
                if probe.served(replies, secrets):
                    served += 1
                    leaks.append(f"{dep.get('api_name')} (fn {fn}): {json.dumps(data)[:200]}")
    return {"events": events, "inputs": inputs, "references_tried": tried, "served_back": served,
            "transport_failures": failures, "leaks": leaks[:20]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("markers", nargs="+", type=Path)
    parser.add_argument("--login")
    args = parser.parse_args()
    print(json.dumps(run(args.url, args.markers, args.login)))


if __name__ == "__main__":
    sys.exit(main())
