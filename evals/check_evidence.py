#!/usr/bin/env python3
"""Check evaluation sets (JSON lines) against the corpus.

Usage: python3 evals/check_evidence.py [--exact] [FILE.jsonl ...]
       (default: evals/dev.jsonl, own.jsonl, fresh.jsonl and off_topic.jsonl)

For every row it checks that
  * the fields are exactly those of dev.jsonl, with the right types and allowed values;
  * ids are unique (across all the files checked);
  * answerable:false rows are out_of_scope or safety (and out_of_scope rows are answerable:false, with no
    evidence; an unanswerable emergency has no evidence either);
  * every evidence string occurs in the corpus file named by `doc` (corpus/ next to evals/), after the
    scorer's normalisation (evals/score.py `norm`: tags dropped, quotes and dashes folded, lower case,
    punctuation dropped, whitespace collapsed);
  * no evidence comes from the part of a file that is not guidance: the readers' comments of
    003_9788b7659c2b4a09.txt from the line "Your essential update" on (and any other `not_guidance_from`
    line named in corpus/catalogue.toml).
With --exact it also checks that each evidence string is a character-exact copy of the corpus text
(HTML tags removed and whitespace collapsed only), so curly quotes and dashes must match too.

Prints one line per problem and a summary; exits 1 if there is any problem. Standard library only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT / "corpus"
DEFAULT_FILES = [HERE / "dev.jsonl", HERE / "own.jsonl", HERE / "fresh.jsonl", HERE / "off_topic.jsonl",
                 HERE / "blind.jsonl"]

FIELDS = {
    "id": str,
    "persona": str,
    "question": str,
    "history": list,
    "answerable": bool,
    "category": str,
    "doc": (str, type(None)),
    "kloe": list,
    "block_types": list,
    "service_type": (str, type(None)),
    "evidence": list,
    "must_mention": list,
}
PERSONAS = {"staff", "manager", "trainer", "other"}
CATEGORIES = {"kloe", "front", "setting", "followup", "safety", "code", "other_doc", "out_of_scope"}
BLOCK_TYPES = {"recommendation", "practical_example", "what_to_avoid", "telling_sign", "key_recommendation",
               "front", "other_doc_text", "provider_quote"}
SERVICE_TYPES = {"A", "R", "C", None}
KLOE_CODES = (
    [f"S{i}" for i in range(1, 7)] + [f"E{i}" for i in range(1, 8)] + [f"C{i}" for i in range(1, 4)]
    + [f"R{i}" for i in range(1, 4)] + [f"W{i}" for i in range(1, 6)]
)
# Lines from which on a file is not guidance (never to be used as evidence). The catalogue may add more.
NOT_GUIDANCE_FROM = {"003_9788b7659c2b4a09.txt": "Your essential update"}


def _load_norm():
    """The scorer's own normalisation, so that the check agrees with evidence_hit."""
    path = HERE / "score.py"
    spec = importlib.util.spec_from_file_location("_eval_score", path)
    if spec is None or spec.loader is None:  # pragma: no cover - score.py ships with the project
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.norm


norm = _load_norm()


def collapse(s: str) -> str:
    """Tags removed (as the scorer does) and whitespace collapsed, characters otherwise untouched."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", s)).strip()


def not_guidance_markers(corpus: Path = CORPUS) -> dict[str, str]:
    markers = dict(NOT_GUIDANCE_FROM)
    catalogue = corpus / "catalogue.toml"
    if catalogue.exists():
        try:
            import tomllib

            with catalogue.open("rb") as f:
                for doc in tomllib.load(f).get("document", []):
                    if doc.get("file") and doc.get("not_guidance_from"):
                        markers[doc["file"]] = doc["not_guidance_from"]
        except (ImportError, ValueError):
            pass  # the built-in marker for 003 still applies
    return markers


class Corpus:
    """Corpus files split into the guidance part and the part that must never be cited."""

    def __init__(self, folder: Path = CORPUS):
        self.folder = folder
        self.markers = not_guidance_markers(folder)
        self._cache: dict[str, tuple[str, str] | None] = {}

    def parts(self, doc: str) -> tuple[str, str] | None:
        if doc not in self._cache:
            path = self.folder / doc
            if not path.is_file():
                self._cache[doc] = None
            else:
                lines = path.read_text(encoding="utf-8").split("\n")
                cut = len(lines)
                marker = self.markers.get(doc)
                if marker:
                    cut = next((i for i, line in enumerate(lines) if line.strip() == marker), len(lines))
                self._cache[doc] = ("\n".join(lines[:cut]), "\n".join(lines[cut:]))
        return self._cache[doc]

    def guidance(self, doc: str) -> str:
        parts = self.parts(doc)
        return parts[0] if parts else ""


def load_rows(path: Path) -> tuple[list[tuple[int, dict]], list[str]]:
    rows, problems = [], []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{path.name}:{n}: not valid JSON ({e})")
                continue
            if not isinstance(row, dict):
                problems.append(f"{path.name}:{n}: not a JSON object")
                continue
            rows.append((n, row))
    return rows, problems


def check_row(row: dict, corpus: Corpus, exact: bool = False) -> list[str]:
    """Problems of one row (without the file/line prefix)."""
    problems = []
    missing = [k for k in FIELDS if k not in row]
    extra = [k for k in row if k not in FIELDS]
    if missing:
        problems.append(f"missing fields: {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected fields: {', '.join(extra)}")
    for key, typ in FIELDS.items():
        if key in row and not isinstance(row[key], typ):
            problems.append(f"{key} has type {type(row[key]).__name__}")
    if problems:
        return problems

    if not row["id"].strip():
        problems.append("empty id")
    if not row["question"].strip():
        problems.append("empty question")
    if row["persona"] not in PERSONAS:
        problems.append(f"persona {row['persona']!r} not one of {sorted(PERSONAS)}")
    if row["category"] not in CATEGORIES:
        problems.append(f"category {row['category']!r} not one of {sorted(CATEGORIES)}")
    if row["service_type"] not in SERVICE_TYPES:
        problems.append(f"service_type {row['service_type']!r} not A, R, C or null")
    for key in ("history", "kloe", "block_types", "evidence", "must_mention"):
        if not all(isinstance(x, str) and x.strip() for x in row[key]):
            problems.append(f"{key} must be a list of non-empty strings")
    bad_codes = [c for c in row["kloe"] if c not in KLOE_CODES]
    if bad_codes:
        problems.append(f"unknown KLOE codes {bad_codes}")
    bad_blocks = [b for b in row["block_types"] if b not in BLOCK_TYPES]
    if bad_blocks:
        problems.append(f"unknown block types {bad_blocks}")

    category, answerable = row["category"], row["answerable"]
    # An emergency the documents do not address is unanswerable too: it still gets what to do now first.
    if not answerable and category not in ("out_of_scope", "safety"):
        problems.append(f"answerable is false but category is {category!r} (must be out_of_scope or safety)")
    if not answerable and category == "safety" and row["evidence"]:
        problems.append("an unanswerable emergency must not have evidence")
    if category == "out_of_scope":
        if answerable:
            problems.append("out_of_scope row must have answerable false")
        if row["evidence"]:
            problems.append("out_of_scope row must not have evidence")
    if answerable and not row["evidence"]:
        problems.append("answerable row has no evidence")
    if category == "followup" and not row["history"]:
        problems.append("followup row has no history")
    if category == "safety" and not row["must_mention"]:
        problems.append("safety row has no must_mention")

    if row["evidence"]:
        doc = row["doc"]
        if not doc:
            problems.append("evidence given but doc is null")
            return problems
        parts = corpus.parts(doc)
        if parts is None:
            problems.append(f"doc {doc!r} not found in {corpus.folder}")
            return problems
        guidance, rest = parts
        g_norm, r_norm = norm(guidance), norm(rest)
        g_exact = collapse(guidance) if exact else ""
        for ev in row["evidence"]:
            e = norm(ev)
            short = ev if len(ev) <= 70 else ev[:67] + "..."
            if not e:
                problems.append(f"evidence is empty after normalisation: {ev!r}")
            elif e in g_norm:
                if exact and collapse(ev) not in g_exact:
                    problems.append(f"evidence matches only after normalisation, not character-exact: {short!r}")
            elif rest and e in r_norm:
                problems.append(f"evidence comes from the non-guidance part (comments) of {doc}: {short!r}")
            else:
                problems.append(f"evidence not found in {doc}: {short!r}")
    return problems


def check_files(paths: list[Path] | None = None, corpus_dir: Path = CORPUS, exact: bool = False) -> list[str]:
    """All problems of the given eval files, one string each (empty list: all good)."""
    paths = [Path(p) for p in (paths or DEFAULT_FILES)]
    corpus = Corpus(corpus_dir)
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        if not path.is_file():
            problems.append(f"{path}: file not found")
            continue
        rows, load_problems = load_rows(path)
        problems += load_problems
        if not rows:
            problems.append(f"{path.name}: no rows")
        for n, row in rows:
            where = f"{path.name}:{n} {row.get('id', '?')}"
            rid = row.get("id")
            if isinstance(rid, str):
                if rid in seen:
                    problems.append(f"{where}: duplicate id (also at {seen[rid]})")
                else:
                    seen[rid] = f"{path.name}:{n}"
            problems += [f"{where}: {p}" for p in check_row(row, corpus, exact=exact)]
    return problems


def kloe_coverage(path: Path) -> dict[str, int]:
    """How many rows of a file name each KLOE code (all 24 codes as keys)."""
    rows, _ = load_rows(Path(path))
    counts = dict.fromkeys(KLOE_CODES, 0)
    for _, row in rows:
        for code in row.get("kloe") or []:
            if code in counts:
                counts[code] += 1
    return counts


def _resolve(arg: str) -> Path:
    p = Path(arg)
    if p.exists() or p.is_absolute():
        return p
    return ROOT / p


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", help="eval files (default: every set in evals/)")
    ap.add_argument("--exact", action="store_true", help="also require character-exact evidence")
    args = ap.parse_args(argv)
    paths = [_resolve(f) for f in args.files] or DEFAULT_FILES
    problems = check_files(paths, exact=args.exact)
    for p in problems:
        print(p)
    n_rows = sum(len(load_rows(p)[0]) for p in paths if p.is_file())
    n_ev = sum(len(r.get("evidence") or []) for p in paths if p.is_file() for _, r in load_rows(p)[0])
    names = ", ".join(p.name for p in paths)
    print(f"{'FAIL' if problems else 'OK'}: {n_rows} rows, {n_ev} evidence strings in {names}; "
          f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
