"""The "Prepare for inspection" tab: a readiness checklist whose ticks and notes stay in the browser.

Ticks and notes are kept in the user's browser (localStorage, through ``gr.BrowserState``), so they
survive a reload and a restart without the server keeping anything, and every replica sees the same
ticks for the same browser. What comes back from the browser is read through a strict shape.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
from pydantic import BaseModel, Field, ValidationError

from assistant.errors import AssistantError
from assistant.services import SERVICE_CHOICES, parse_service
from assistant.settings import Settings
from assistant.tools.guide import load_guide
from assistant.tools.report import Report
from assistant.web.checklist_view import MARK_JS, NOTE_CHARS, checklist_html, progress, read_marks
from assistant.web.context import WebContext
from assistant.web.reports import export_report, fail, scope_choices


class Saved(BaseModel):
    """What a browser keeps for the checklist. It comes back from the browser, so it is read through this
    shape and rebuilt: nothing else a client puts there (a file reference, a huge value) is kept or returned."""

    # {"<scope>|<setting>": {item id: (ticked, note)}}
    ticks: dict[str, dict[str, tuple[bool, str]]] = Field(default_factory=dict, max_length=200)
    last: tuple[str, str] | None = None


def read_saved(raw: Any) -> dict[str, Any]:
    """The browser's saved checklists, checked; anything malformed is dropped, not shown."""
    try:
        saved = Saved.model_validate(raw if isinstance(raw, dict) else {})
    except ValidationError:
        saved = Saved()
    ticks = {key[:300]: {i[:100]: (t, n[:NOTE_CHARS]) for i, (t, n) in list(items.items())[:2000]}
             for key, items in saved.ticks.items()}
    return Saved(ticks=ticks, last=saved.last).model_dump(mode="json")


def checklist_store(settings: Settings) -> gr.BrowserState:
    """Where ticks and notes live: the browser's localStorage. It must be created outside the tabs, since a
    tab that is not open is not mounted and would not read localStorage when the page loads."""
    return gr.BrowserState({"ticks": {}, "last": None}, storage_key="care-guide-checklists",
                           secret=settings.browser_secret)


def progress_line(report: Report, saved_now: bool = False) -> str:
    done, total = progress(report.items)
    warnings = len(report.items) - total
    noted = sum(1 for i in report.items if i.note)
    signs = f" and {warnings} warning signs to check against" if warnings else ""
    where = "Saved in this browser." if saved_now else "Ticks and notes are saved in this browser as you go."
    return f"**{done} of {total} done**, {noted} with notes{signs}. {where}"


class PrepHandlers:
    def __init__(self, ctx: WebContext) -> None:
        self.settings = ctx.settings

    def make(self, scope: str, setting: str, saved: Any) -> tuple[Any, ...]:
        from assistant.tools.prep import build_prep

        saved = read_saved(saved)
        if not scope or not isinstance(scope, str) or not isinstance(setting, str):
            raise gr.Error("Choose a key question or section first.", print_exception=False)
        try:
            report = build_prep(load_guide(self.settings.corpus_dir), scope, parse_service(setting))
        except (AssistantError, ValueError) as err:
            raise fail(err) from None
        key = f"{scope}|{setting or 'A'}"
        ticks = {k: tuple(v) for k, v in saved["ticks"].get(key, {}).items()}
        report = report.with_choices(ticks=ticks)
        saved = {**saved, "last": [scope, setting]}
        return checklist_html(report, key), report, key, saved, progress_line(report)

    def mark(self, report: Report | None, key: str, saved: Any, last: Any, event: gr.EventData) -> tuple[Any, ...]:
        """A tick or a note changed: the page sends every ticked or noted item, kept for this checklist.
        ``last`` is the number of the last mark kept (server-side), so an older one arriving late is dropped."""
        unchanged = (gr.update(),) * 4
        if not isinstance(report, Report) or not isinstance(key, str) or not key:
            return unchanged
        sent = read_marks(getattr(event, "_data", None), report, key, last if isinstance(last, int) else -1)
        if sent is None:  # a wrong shape, marks for the checklist before this one, or an older mark
            return unchanged
        marks = sent.marks
        saved = read_saved(saved)
        kept = {k: [done, note] for k, (done, note) in marks.items() if done or note}
        saved = read_saved({**saved, "ticks": {**saved["ticks"], key: kept}})
        report = report.with_choices(ticks={i.id: marks.get(i.id, (False, "")) for i in report.items})
        return saved, report, progress_line(report, saved_now=True), sent.seq

    def restore(self, saved: Any, current: Any = "") -> tuple[Any, ...]:
        """The checklist last open in this browser, on page load, unless one has been made since."""
        if isinstance(current, str) and current:
            return (gr.update(),) * 7
        saved = read_saved(saved)
        scope, setting = saved["last"] or ["", "A"]
        try:
            if not scope:
                raise gr.Error("nothing to restore")
            listing, report, key, saved, said = self.make(scope, setting, saved)
        except gr.Error:
            # Nothing saved, or a section no longer in the guide: change nothing. This runs on page load and
            # may finish after a checklist the person has already made; it must not blank that one.
            return (gr.update(),) * 7
        return gr.update(value=scope), gr.update(value=setting), listing, report, key, saved, said


def add_prep_tab(demo: gr.Blocks, ctx: WebContext, saved: gr.BrowserState) -> None:
    on = PrepHandlers(ctx)
    with gr.Tab("Inspection", id="prep", elem_id="tab-prep"):
        gr.Markdown("A readiness checklist from the guide for a key question or KLOE: what good looks like, the "
                    "telling signs inspectors quote, what to avoid, practical examples and questions an inspector "
                    "might ask. Tick what you can show and note where the evidence is; your ticks stay in this "
                    "browser. Quality statements are shown as an **indicative** link, not CQC's own mapping.")
        with gr.Row():
            scope = gr.Dropdown(scope_choices(ctx.settings), label="Key question or section", elem_id="prep-scope")
            setting = gr.Radio(SERVICE_CHOICES, value="A", label="Service", elem_id="prep-setting")
            make = gr.Button("Make checklist", variant="primary", elem_id="prep-make")
        status = gr.Markdown(elem_id="prep-status")
        listing = gr.HTML("", js_on_load=MARK_JS, elem_id="prep-list", apply_default_css=False)
        report_state = gr.State(None)
        key_state = gr.State("")
        # Inside the tab: a component made between tabs, in gr.Tabs itself, shifts the tabs (Guide showed
        # as a second "Supervision").
        last_mark = gr.State(-1)
        with gr.Row():
            buttons = [(gr.Button("Export as Word (DOCX)", elem_id="prep-docx"), "docx"),
                       (gr.Button("Export as PDF", elem_id="prep-pdf"), "pdf"),
                       (gr.Button("Export as Markdown", elem_id="prep-md"), "md")]
        prep_file = gr.File(label="Your checklist", interactive=False, elem_id="prep-file")
    make.click(on.make, [scope, setting, saved], [listing, report_state, key_state, saved, status], api_name=False)
    # Every mark is run, one at a time in order (Gradio's default, 'once', drops a tick made while the last
    # one is on its way); each carries the whole checklist, so the last one to run holds everything.
    listing.mark(on.mark, [report_state, key_state, saved, last_mark], [saved, report_state, status, last_mark],
                 api_name=False,
                 concurrency_limit=1, trigger_mode="multiple", show_progress="hidden")
    for btn, fmt in buttons:
        btn.click(lambda r, f=fmt: export_report(ctx, r, f, "inspection-checklist"), report_state, prep_file,
                  api_name=False)
    demo.load(on.restore, [saved, key_state], [scope, setting, listing, report_state, key_state, saved, status],
              api_name=False)
