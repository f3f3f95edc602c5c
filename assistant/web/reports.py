"""What the planning tabs share: the guide's scopes and writing a report for download."""

from __future__ import annotations

import gradio as gr

from assistant.errors import AssistantError
from assistant.kloe import KEY_QUESTIONS
from assistant.settings import Settings
from assistant.tools.guide import load_guide
from assistant.tools.report import Report, write
from assistant.web.context import WebContext


def fail(err: Exception) -> gr.Error:
    return gr.Error(str(err), print_exception=False)


def scope_choices(settings: Settings) -> list[tuple[str, str]]:
    """Every key question, then every section of the guide, as (label, value) for a dropdown."""
    try:
        sections = load_guide(settings.corpus_dir).sections
    except AssistantError:
        return []
    return [*((f"{name} (every {letter} section)", name) for letter, name in KEY_QUESTIONS.items()),
            *((s.label, s.slug) for s in sections)]


def export_report(ctx: WebContext, report: Report | None, fmt: str, stem: str) -> str:
    """The report written as ``fmt`` in the export folder (deleted within minutes); its path."""
    if report is None:
        raise gr.Error("Make it first: there is nothing to export yet.", print_exception=False)
    return str(write(report, fmt, ctx.exports.new_path(stem).with_suffix(f".{fmt}")))
