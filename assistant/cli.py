"""``python -m assistant index | ask | prep | supervision | batch | eval | bench | feedback | documents | serve``.

Heavy libraries are imported inside the commands, so ``--help`` answers at once. Known errors are
printed as one plain sentence on stderr with no traceback; ``batch`` writes only JSON lines to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from assistant.errors import AssistantError
from assistant.ingest.loaders import FORMATS
from assistant.settings import Settings, configure_libraries

EPILOG = """examples:
  python -m assistant index
  python -m assistant ask "What do I do if I think a colleague is taking money from a resident?"
  python -m assistant ask "What will the inspector look for?" --key-question Well-led --service-type R
  python -m assistant prep Well-led --service-type "care home" --out checklist.docx
  python -m assistant supervision "dignity in personal care" --out plan.pdf
  python -m assistant batch < questions.jsonl > answers.jsonl
  python -m assistant eval --mode gguf --no-baselines
  python -m assistant documents add our-safeguarding-policy.pdf --title "Our safeguarding policy"
  python -m assistant serve --port 7860
  python -m assistant bench          # speed against floors, in temporary folders
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m assistant",
        description="Cited answers on good practice in adult social care, from Skills for Care's guide.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    idx = sub.add_parser("index", help="build the index (only when the corpus, model or chunker changed)")
    idx.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    idx.add_argument("--quiet", action="store_true", help="no progress bar")

    ask = sub.add_parser("ask", help="answer one question with its sources")
    ask.add_argument("question")
    ask.add_argument("--service-type", help="A (all services), R (care homes) or C (care at home)")
    ask.add_argument("--key-question", help="Safe, Effective, Caring, Responsive or Well-led")
    ask.add_argument("--kloe", help="a KLOE code such as S1 or W2")
    ask.add_argument("--json", action="store_true", help="print the batch-format JSON instead of text")

    prep = sub.add_parser("prep", help="an inspection readiness checklist for a key question or KLOE")
    prep.add_argument("scope", help="a key question (Well-led), a KLOE code (W2) or a section ('S3 Safe staffing')")
    prep.add_argument("--service-type", help="R or 'care home', C or 'care at home', A or 'all' (default)")
    prep.add_argument("--out", help="file to write: .md, .docx or .pdf (default: Markdown on standard output)")

    sup = sub.add_parser("supervision", help="a supervision session plan on a topic, with examples and questions")
    sup.add_argument("topic", help="the topic in your words, e.g. 'dignity in personal care'")
    sup.add_argument("--service-type", help="R or 'care home', C or 'care at home', A or 'all' (default)")
    sup.add_argument("--examples", type=int, default=3, help="practical examples in the plan (default 3)")
    sup.add_argument("--points", type=int, default=5, help="learning points in the plan (default 5)")
    sup.add_argument("--out", help="file to write: .md, .docx or .pdf (default: Markdown on standard output)")

    sub.add_parser("batch", help="answer JSON lines from stdin, one JSON line out per line in (see README)")

    ev = sub.add_parser("eval", help="score the assistant and two baselines on an evaluation set")
    ev.add_argument("--set", dest="gold", default=None, help="evaluation set (JSON lines); default evals/dev.jsonl")
    ev.add_argument("--no-baselines", action="store_true", help="score the assistant only")
    from assistant.evaluate import LEAVE_OUT

    ev.add_argument("--leave-out", nargs="?", const="questions", default="", choices=tuple(LEAVE_OUT),
                    help="take the set's own questions out of the labelled examples first (a tuned set as if unseen); "
                         "'passages': also, for each question, every example answered from its evidence's passages")
    ev.add_argument("--mode", choices=("grounded", "ollama", "openai", "gguf"),
                    help="who writes the answers (default ASSISTANT_LLM); a model is scored next to grounded")

    bench = sub.add_parser("bench", help="time build, answers and start-up against floors (evals/bench.py)")
    bench.add_argument("--set", dest="gold", default=None, help="questions (JSON lines); default evals/dev.jsonl")
    bench.add_argument("--repeats", type=int, default=2, help="full builds of each kind; the best is reported")
    bench.add_argument("--rounds", type=int, default=3, help="passes over the questions for warm latency")

    fb = sub.add_parser("feedback", help="feedback people gave on answers")
    fb_sub = fb.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    fx = fb_sub.add_parser("export", help="write all feedback as CSV or JSON")
    fx.add_argument("--format", choices=("csv", "json"), default="csv")
    fx.add_argument("--out", help="file to write (default: standard output)")

    docs = sub.add_parser("documents", help="the organisation's own documents that answers cite (list, add, remove)")
    docs_sub = docs.add_subparsers(dest="documents_command", required=True, metavar="ACTION")
    docs_sub.add_parser("list", help="list them, with who added each and when")
    dadd = docs_sub.add_parser("add", help=f"add a {FORMATS} file")
    dadd.add_argument("file")
    dadd.add_argument("--title", help="the title to cite it by (default: the file's name)")
    drm = docs_sub.add_parser("remove", help="remove one by its id (see list)")
    drm.add_argument("doc_id")

    serve = sub.add_parser("serve", help="start the web app (builds the index first if needed)")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 7860)")
    return p


def _index(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.index.build import build_index

    report = build_index(settings, force=args.force, progress=not args.quiet,
                         log=lambda m: print(m, file=sys.stderr))
    print(report.summary(), file=sys.stderr)
    return 0


def _ask(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.chat import Assistant

    filters = {"service_type": args.service_type, "key_question": args.key_question, "kloe": args.kloe}
    answer = Assistant(settings).ask(args.question, filters=filters)
    if args.json:
        from assistant.batch import answer_record

        print(json.dumps(answer_record(None, answer), ensure_ascii=False))
        return 0
    print(answer.text)
    if answer.note:
        print(f"\n({answer.note})")
    if answer.citations:
        print("\nSources:")
        print("\n".join(c.line() for c in answer.citations))
    return 0


def _write_report(report: object, out: str | None) -> int:
    from pathlib import Path

    from assistant.tools.report import FORMATS, to_markdown, write

    if not out:
        sys.stdout.write(to_markdown(report))  # type: ignore[arg-type]
        return 0
    fmt = Path(out).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise AssistantError(f"Cannot write {out}: name the file .md, .docx or .pdf.")
    write(report, fmt, Path(out))  # type: ignore[arg-type]
    print(f"Written to {out}.", file=sys.stderr)
    return 0


def _prep(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.services import parse_service
    from assistant.tools.guide import load_guide
    from assistant.tools.prep import build_prep

    report = build_prep(load_guide(settings.corpus_dir), args.scope, parse_service(args.service_type))
    return _write_report(report, args.out)


def _supervision(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.chat import Assistant
    from assistant.services import parse_service
    from assistant.tools.guide import load_guide
    from assistant.tools.supervision import build_plan

    report = build_plan(load_guide(settings.corpus_dir), Assistant(settings), args.topic,
                        parse_service(args.service_type), points=max(1, args.points),
                        examples=max(1, args.examples))
    return _write_report(report, args.out)


def _batch(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.batch import run_batch
    from assistant.chat import Assistant

    failures = run_batch(Assistant(settings), sys.stdin, sys.stdout)
    if failures:
        print(f"{failures} line(s) could not be answered; see their \"error\" field.", file=sys.stderr)
    return 0


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant.evaluate import run, table
    from assistant.settings import ROOT

    if args.mode:
        settings.llm = args.mode
    gold = Path(args.gold) if args.gold else ROOT / "evals" / "dev.jsonl"
    if not gold.is_file():
        raise AssistantError(f"No evaluation set at {gold}. Give one with --set FILE.")
    result = run(settings, gold, baselines=not args.no_baselines, leave_out=args.leave_out)
    print(table(result))
    print(f"Written to {result['written']}", file=sys.stderr)
    return 0


def _bench(settings: Settings, args: argparse.Namespace) -> int:
    import importlib.util
    from pathlib import Path

    from assistant.settings import ROOT

    path = ROOT / "evals" / "bench.py"
    spec = importlib.util.spec_from_file_location("care_guide_bench", path)
    if spec is None or spec.loader is None or not path.is_file():
        raise AssistantError(f"The benchmark script {path} is missing; it ships with the source checkout.")
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    gold = ROOT / "evals" / "dev.jsonl" if args.gold is None else Path(args.gold)
    if not gold.is_file():
        raise AssistantError(f"No question set at {gold}. Give one with --set FILE.")
    result = bench.run(settings, gold, repeats=args.repeats, rounds=args.rounds)
    print(bench.table(result))
    print(f"Written to {result['written']}", file=sys.stderr)
    return 0


def _feedback(settings: Settings, args: argparse.Namespace) -> int:
    from contextlib import suppress

    from sqlalchemy.exc import SQLAlchemyError

    from assistant.feedback import feedback_store

    store = feedback_store(settings)
    with suppress(SQLAlchemyError):  # if still down, export() below says so plainly
        store.flush()  # what waits on this machine belongs in the export too
    text = store.export(args.format)
    if store.pending():
        print(f"{store.pending()} feedback record(s) still wait on this machine to be sent.", file=sys.stderr)
    if args.out:
        from pathlib import Path

        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Feedback written to {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _documents(settings: Settings, args: argparse.Namespace) -> int:
    import time
    from pathlib import Path

    from assistant.index.uploads import Uploads

    uploads = Uploads(settings)
    if args.documents_command == "add":
        path = Path(args.file)
        try:
            if path.stat().st_size > settings.max_upload_mb * 1024 * 1024:
                raise AssistantError(f"{path.name} is larger than {settings.max_upload_mb} MB: split it, or raise "
                                     "ASSISTANT_MAX_UPLOAD_MB.")
            data = path.read_bytes()
        except OSError as e:
            raise AssistantError(f"{path} cannot be read ({e.strerror}). Check the file's name.") from None
        added = uploads.add(path.name, data, args.title, added_by="the server's command line")
        print(f"'{added.title}' was already added ({added.doc_id})." if added.duplicate else
              f"Added '{added.title}' ({added.chunks} passages) as {added.doc_id}.", file=sys.stderr)
    elif args.documents_command == "remove":
        if not uploads.remove(args.doc_id):
            raise AssistantError(f"There is no document {args.doc_id!r}: see python -m assistant documents list.")
        print(f"Removed {args.doc_id}.", file=sys.stderr)
    else:
        for d in uploads.documents():
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(d.added))
            print(f"{d.doc_id}\t{d.title}\t{d.file}\t{d.chunks} passages\tadded {when} by {d.added_by or 'unknown'}")
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.server import launch

    if args.host:
        settings.host = args.host
    if args.port is not None:
        settings.port = args.port
    launch(settings)
    return 0


COMMANDS = {"index": _index, "ask": _ask, "prep": _prep, "supervision": _supervision, "batch": _batch, "eval": _eval,
            "feedback": _feedback, "documents": _documents, "serve": _serve, "bench": _bench}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_libraries()
    from pydantic import ValidationError

    try:
        try:
            settings = Settings()
        except ValidationError as e:
            err = e.errors()[0]
            name = "ASSISTANT_" + str(err["loc"][0]).upper()
            raise AssistantError(f"The setting {name} is not valid ({err['msg']}). Fix or unset it.") from None
        import logging

        logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        return COMMANDS[args.command](settings, args)
    except AssistantError as e:
        print(str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if args.command == "index":
            print("Stopped. The index in use is the one that was there before.", file=sys.stderr)
        return 130
