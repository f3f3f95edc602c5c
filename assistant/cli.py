"""``python -m assistant index | ask | batch | serve``.

Heavy libraries are imported inside the commands, so ``--help`` answers at once. Known errors are
printed as one plain sentence on stderr with no traceback; ``batch`` writes only JSON lines to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from assistant.errors import AssistantError
from assistant.settings import Settings, configure_libraries

EPILOG = """examples:
  python -m assistant index
  python -m assistant ask "What do I do if I think a colleague is taking money from a resident?"
  python -m assistant ask "What will the inspector look for?" --key-question Well-led --service-type R
  python -m assistant batch < questions.jsonl > answers.jsonl
  python -m assistant eval --mode gguf --no-baselines
  python -m assistant serve --port 7860
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

    sub.add_parser("batch", help="answer JSON lines from stdin, one JSON line out per line in (see README)")

    ev = sub.add_parser("eval", help="score the assistant and two baselines on an evaluation set")
    ev.add_argument("--set", dest="gold", default=None, help="evaluation set (JSON lines); default evals/dev.jsonl")
    ev.add_argument("--no-baselines", action="store_true", help="score the assistant only")
    ev.add_argument("--mode", choices=("grounded", "ollama", "openai", "gguf"),
                    help="who writes the answers (default ASSISTANT_LLM); a model is scored next to grounded")

    fb = sub.add_parser("feedback", help="feedback people gave on answers")
    fb_sub = fb.add_subparsers(dest="feedback_command", required=True, metavar="ACTION")
    fx = fb_sub.add_parser("export", help="write all feedback as CSV or JSON")
    fx.add_argument("--format", choices=("csv", "json"), default="csv")
    fx.add_argument("--out", help="file to write (default: standard output)")

    serve = sub.add_parser("serve", help="start the web app (builds the index first if needed)")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 7860)")
    return p


def _index(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.index import build_index

    report = build_index(settings, force=args.force, progress=not args.quiet,
                         log=lambda m: print(m, file=sys.stderr))
    print(report.summary(), file=sys.stderr)
    return 0


def _ask(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.answer.grounded import source_lines
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
        print("\n".join(source_lines(answer.citations)))
    return 0


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
    result = run(settings, gold, baselines=not args.no_baselines)
    print(table(result))
    print(f"Written to {result['written']}", file=sys.stderr)
    return 0


def _feedback(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.feedback import feedback_store

    text = feedback_store(settings.data_dir, settings.feedback_log_text).export(args.format)
    if args.out:
        from pathlib import Path

        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Feedback written to {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from assistant.web import launch

    if args.host:
        settings.host = args.host
    if args.port is not None:
        settings.port = args.port
    launch(settings)
    return 0


COMMANDS = {"index": _index, "ask": _ask, "batch": _batch, "eval": _eval, "feedback": _feedback, "serve": _serve}


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
        return COMMANDS[args.command](settings, args)
    except AssistantError as e:
        print(str(e), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if args.command == "index":
            print("Stopped. The index in use is the one that was there before.", file=sys.stderr)
        return 130
