"""The "Plan a supervision" tab: a session plan on a topic, whose points can be dropped or swapped."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.services import SERVICE_CHOICES, parse_service
from assistant.tools.guide import load_guide
from assistant.tools.report import Report, to_markdown
from assistant.web.context import WebContext
from assistant.web.reports import export_report, fail
from assistant.web.text import as_text


def _clip(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"


def _preview(report: Report) -> str:
    return to_markdown(report, quote=as_text)


class SupervisionHandlers:
    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx

    def plan(self, topic: str, setting: str) -> tuple[Any, ...]:
        from assistant.tools.supervision import QUESTIONS, build_plan

        topic = topic if isinstance(topic, str) else ""
        try:
            report = build_plan(load_guide(self.ctx.settings.corpus_dir), self.ctx.assistant(), topic,
                                parse_service(setting))
        except AssistantError as err:
            raise fail(err) from None
        # Discussion questions follow the points chosen, so they are not offered themselves.
        offered = [i for i in report.items if i.part != QUESTIONS]
        choices = [(f"{i.part}: {_clip(i.text)}", i.id) for i in offered]
        chosen = [i.id for i in offered if i.selected]
        return (report, gr.update(choices=choices, value=chosen), _preview(report),
                *(gr.update(value="") for _ in report.record))

    @staticmethod
    def with_record(report: Report | None, *values: Any) -> Report | None:
        """The plan with the session record typed beside it (date, who attended, ...)."""
        from assistant.tools.supervision import RECORD_FIELDS

        if not isinstance(report, Report):
            return None
        kept = {k: (v.strip()[:2000] if isinstance(v, str) else "") for k, v in zip(RECORD_FIELDS, values,
                                                                                    strict=False)}
        return replace(report, record=kept)

    def record(self, report: Report | None, *values: Any) -> tuple[Any, ...]:
        report = self.with_record(report, *values)
        return report, (_preview(report) if report else "")

    def choose(self, report: Report | None, keep: list[str]) -> tuple[Any, ...]:
        from assistant.tools.supervision import QUESTIONS, with_questions

        if report is None:
            return report, ""
        questions = {i.id for i in report.items if i.part == QUESTIONS}
        chosen = {k for k in keep if isinstance(k, str)} if isinstance(keep, list) else set()
        report = with_questions(report.with_choices(keep=chosen | questions))
        return report, _preview(report)


def add_supervision_tab(ctx: WebContext) -> None:
    on = SupervisionHandlers(ctx)
    with gr.Tab("Supervision", id="supervision", elem_id="tab-supervision"):
        gr.Markdown("A supervision or team-meeting plan on a topic in your words: learning points, practical "
                    "examples, telling signs to discuss, what to avoid, discussion questions and resources, each "
                    "citing the guide. Untick a point to drop it, or tick another example to swap it in.")
        with gr.Row():
            topic = gr.Textbox(label="Topic", placeholder="e.g. dignity in personal care", elem_id="sup-topic")
            setting = gr.Radio(SERVICE_CHOICES, value="A", label="Service", elem_id="sup-setting")
            make = gr.Button("Plan the session", variant="primary", elem_id="sup-make")
        plan_state = gr.State(None)
        points = gr.CheckboxGroup(label="Points in the plan", elem_id="sup-points")
        with gr.Accordion("Session record: date, who attended, notes (kept in the exports)", open=True,
                          elem_id="sup-record"):
            with gr.Row():
                date = gr.Textbox(label="Date", placeholder="e.g. 3 December 2026", elem_id="sup-date")
                led = gr.Textbox(label="Led by", elem_id="sup-led")
            attended = gr.Textbox(label="Who attended", elem_id="sup-attended")
            notes = gr.Textbox(label="Notes and actions agreed", lines=3, elem_id="sup-notes")
        preview = gr.Markdown(elem_id="sup-preview")
        with gr.Row():
            buttons = [(gr.Button("Export as Word (DOCX)", elem_id="sup-docx"), "docx"),
                       (gr.Button("Export as PDF", elem_id="sup-pdf"), "pdf"),
                       (gr.Button("Export as Markdown", elem_id="sup-md"), "md")]
        sup_file = gr.File(label="Your plan", interactive=False, elem_id="sup-file")
    fields = [date, attended, led, notes]  # in the order of RECORD_FIELDS
    make.click(on.plan, [topic, setting], [plan_state, points, preview, *fields], api_name=False)
    topic.submit(on.plan, [topic, setting], [plan_state, points, preview, *fields], api_name=False)
    for box in fields:
        box.change(on.record, [plan_state, *fields], [plan_state, preview], api_name=False)
    points.input(on.choose, [plan_state, points], [plan_state, preview], api_name=False)
    # The export reads the record's boxes itself: what is typed is in the file even if the preview lags.
    for btn, fmt in buttons:
        btn.click(lambda r, *v, f=fmt: export_report(ctx, on.with_record(r, *v), f, "supervision-plan"),
                  [plan_state, *fields], sup_file, api_name=False)
