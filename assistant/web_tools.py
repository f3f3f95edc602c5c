"""The web app's work tabs: inspection preparation, supervision planning and browsing the guide.

The readiness checklist's ticks and notes are kept in the user's browser (localStorage, through
``gr.BrowserState``), so they survive a reload and a restart without the server keeping anything,
and every replica sees the same ticks for the same browser.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import gradio as gr
from pydantic import BaseModel, Field, ValidationError

from assistant.browse import KIND_CHOICES, section_html, section_url
from assistant.errors import AssistantError
from assistant.guide import load_guide, parse_service
from assistant.kloe import KEY_QUESTIONS
from assistant.report import Report, source_line, write
from assistant.settings import Settings
from assistant.web_files import ExportFolder
from assistant.web_text import as_text

SETTING_CHOICES = [("All services", "A"), ("Care home", "R"), ("Care at home", "C")]
TABLE_HEADERS = ["Done", "Part", "Item", "Source", "Our evidence"]


def _fail(err: Exception) -> gr.Error:
    return gr.Error(str(err), print_exception=False)


def scope_choices(settings: Settings) -> list[tuple[str, str]]:
    try:
        sections = load_guide(settings.corpus_dir).sections
    except AssistantError:
        return []
    return [*((f"{name} (every {letter} section)", name) for letter, name in KEY_QUESTIONS.items()),
            *((s.label, s.slug) for s in sections)]


def _short_source(item: Any) -> str:
    c = item.source
    return source_line(c).split(". ", 1)[-1] if c.kloe is None else \
        f"{c.kloe} {c.kloe_title} · {c.block_type.replace('_', ' ')}" + \
        (f" · {c.service_type}" if c.service_type else "") + (f" · {c.provider}" if c.provider else "") + \
        f" · {c.location}"


class Saved(BaseModel):
    """What a browser keeps for the checklist. It comes back from the browser, so it is read through this
    shape and rebuilt: nothing else a client puts there (a file reference, a huge value) is kept or returned."""

    # {"<scope>|<setting>": {item id: (ticked, note)}}
    ticks: dict[str, dict[str, tuple[bool, str]]] = Field(default_factory=dict, max_length=200)
    last: tuple[str, str] | None = None


_NOTE_CHARS = 2000


def read_saved(raw: Any) -> dict[str, Any]:
    """The browser's saved checklists, checked; anything malformed is dropped, not shown."""
    try:
        saved = Saved.model_validate(raw if isinstance(raw, dict) else {})
    except ValidationError:
        saved = Saved()
    ticks = {key[:300]: {i[:100]: (t, n[:_NOTE_CHARS]) for i, (t, n) in list(items.items())[:2000]}
             for key, items in saved.ticks.items()}
    return Saved(ticks=ticks, last=saved.last).model_dump(mode="json")


def checklist_store(settings: Settings) -> gr.BrowserState:
    """Where ticks and notes live: the browser's localStorage. It must be created outside the tabs, since a
    tab that is not open is not mounted and would not read localStorage when the page loads."""
    return gr.BrowserState({"ticks": {}, "last": None}, storage_key="care-guide-checklists",
                           secret=settings.browser_secret)


def add_tabs(demo: gr.Blocks, settings: Settings, assistant: Callable[[], Any], saved: gr.BrowserState) -> None:
    """The three tabs, inside the caller's ``gr.Tabs``; the checklist last open in this browser comes back
    on load."""
    exports = ExportFolder(settings.export_minutes)

    def export(report: Report | None, fmt: str, stem: str) -> str:
        if report is None:
            raise gr.Error("Make it first: there is nothing to export yet.", print_exception=False)
        return str(write(report, fmt, exports.new_path(stem).with_suffix(f".{fmt}")))

    # ---- Inspection preparation -------------------------------------------------------------
    def make_checklist(scope: str, setting: str, saved: Any) -> tuple[Any, ...]:
        from assistant.prep import build_prep

        saved = read_saved(saved)
        if not scope or not isinstance(scope, str) or not isinstance(setting, str):
            raise gr.Error("Choose a key question or section first.", print_exception=False)
        try:
            report = build_prep(load_guide(settings.corpus_dir), scope, parse_service(setting))
        except (AssistantError, ValueError) as err:
            raise _fail(err) from None
        key = f"{scope}|{setting or 'A'}"
        ticks = {k: tuple(v) for k, v in saved["ticks"].get(key, {}).items()}
        report = report.with_choices(ticks=ticks)
        rows = [[i.done, i.part, i.text, _short_source(i), i.note] for i in report.items]
        saved = {**saved, "last": [scope, setting]}
        done = sum(1 for i in report.items if i.done)
        return (gr.update(value=rows), report, key, saved,
                f"{len(rows)} items; {done} ticked. Ticks and notes are saved in this browser as you go.")

    def keep_ticks(table: Any, report: Report | None, key: str, saved: Any) -> tuple[Any, ...]:
        saved = read_saved(saved)
        if report is None or not key:
            return saved, report, gr.update()
        rows = table.values.tolist() if hasattr(table, "values") else []
        # Only the tick and the note of each row are read back, and only as a tick and as text.
        ticks = {item.id: [_ticked(row[0]), row[4][:_NOTE_CHARS] if isinstance(row[4], str) else ""]
                 for item, row in zip(report.items, rows, strict=False) if isinstance(row, list) and len(row) == 5}
        kept = {k: v for k, v in ticks.items() if v[0] or v[1]}
        saved = read_saved({**saved, "ticks": {**saved["ticks"], key: kept}})
        report = report.with_choices(ticks={k: (v[0], v[1]) for k, v in ticks.items()})
        return saved, report, f"{len(rows)} items; {len(kept)} ticked or annotated. Saved in this browser."

    def restore(saved: Any) -> tuple[Any, ...]:
        saved = read_saved(saved)
        scope, setting = saved["last"] or ["", "A"]
        try:
            if not scope:
                raise gr.Error("nothing to restore")
            table, report, key, saved, status = make_checklist(scope, setting, saved)
        except gr.Error:  # nothing saved, or a section that is no longer in the guide: start afresh
            return gr.update(), gr.update(), gr.update(), None, "", saved, ""
        return gr.update(value=scope), gr.update(value=setting), table, report, key, saved, status

    with gr.Tab("Prepare for inspection", id="prep", elem_id="tab-prep"):
        gr.Markdown("A readiness checklist from the guide for a key question or KLOE: what good looks like, the "
                    "telling signs inspectors quote, what to avoid, practical examples and questions an inspector "
                    "might ask. Tick what you can show and note where the evidence is; your ticks stay in this "
                    "browser. Quality statements are shown as an **indicative** link, not CQC's own mapping.")
        with gr.Row():
            scope = gr.Dropdown(scope_choices(settings), label="Key question or section", elem_id="prep-scope")
            setting = gr.Radio(SETTING_CHOICES, value="A", label="Service", elem_id="prep-setting")
            make = gr.Button("Make checklist", variant="primary", elem_id="prep-make")
        status = gr.Markdown(elem_id="prep-status")
        table = gr.Dataframe(headers=TABLE_HEADERS, datatype=["bool", "str", "str", "str", "str"],
                             static_columns=[1, 2, 3], interactive=True, wrap=True, max_height=600,
                             column_widths=["7%", "18%", "40%", "17%", "18%"], label="Readiness checklist",
                             elem_id="prep-table")
        report_state = gr.State(None)
        key_state = gr.State("")
        with gr.Row():
            docx_btn = gr.Button("Export as Word (DOCX)", elem_id="prep-docx")
            pdf_btn = gr.Button("Export as PDF", elem_id="prep-pdf")
            md_btn = gr.Button("Export as Markdown", elem_id="prep-md")
        prep_file = gr.File(label="Your checklist", interactive=False, elem_id="prep-file")
        make.click(make_checklist, [scope, setting, saved], [table, report_state, key_state, saved, status],
                   api_name=False)
        table.input(keep_ticks, [table, report_state, key_state, saved], [saved, report_state, status],
                    api_name=False)
        for btn, fmt in ((docx_btn, "docx"), (pdf_btn, "pdf"), (md_btn, "md")):
            btn.click(lambda r, f=fmt: export(r, f, "inspection-checklist"), report_state, prep_file, api_name=False)

    # ---- Supervision planner ----------------------------------------------------------------
    def plan(topic: str, setting: str) -> tuple[Any, ...]:
        from assistant.supervision import QUESTIONS, build_plan

        topic = topic if isinstance(topic, str) else ""
        try:
            report = build_plan(load_guide(settings.corpus_dir), assistant(), topic, parse_service(setting))
        except AssistantError as err:
            raise _fail(err) from None
        # Discussion questions follow the points chosen, so they are not offered themselves.
        offered = [i for i in report.items if i.part != QUESTIONS]
        choices = [(f"{i.part}: {_clip(i.text)}", i.id) for i in offered]
        chosen = [i.id for i in offered if i.selected]
        return report, gr.update(choices=choices, value=chosen), _preview(report)

    def choose(report: Report | None, keep: list[str]) -> tuple[Any, ...]:
        from assistant.supervision import QUESTIONS, with_questions

        if report is None:
            return report, ""
        questions = {i.id for i in report.items if i.part == QUESTIONS}
        chosen = {k for k in keep if isinstance(k, str)} if isinstance(keep, list) else set()
        report = with_questions(report.with_choices(keep=chosen | questions))
        return report, _preview(report)

    with gr.Tab("Plan a supervision", id="supervision", elem_id="tab-supervision"):
        gr.Markdown("A supervision or team-meeting plan on a topic in your words: learning points, practical "
                    "examples, telling signs to discuss, what to avoid, discussion questions and resources, each "
                    "citing the guide. Untick a point to drop it, or tick another example to swap it in.")
        with gr.Row():
            topic = gr.Textbox(label="Topic", placeholder="e.g. dignity in personal care", elem_id="sup-topic")
            sup_setting = gr.Radio(SETTING_CHOICES, value="A", label="Service", elem_id="sup-setting")
            sup_make = gr.Button("Plan the session", variant="primary", elem_id="sup-make")
        plan_state = gr.State(None)
        points = gr.CheckboxGroup(label="Points in the plan", elem_id="sup-points")
        preview = gr.Markdown(elem_id="sup-preview")
        with gr.Row():
            sdocx = gr.Button("Export as Word (DOCX)", elem_id="sup-docx")
            spdf = gr.Button("Export as PDF", elem_id="sup-pdf")
            smd = gr.Button("Export as Markdown", elem_id="sup-md")
        sup_file = gr.File(label="Your plan", interactive=False, elem_id="sup-file")
        sup_make.click(plan, [topic, sup_setting], [plan_state, points, preview], api_name=False)
        topic.submit(plan, [topic, sup_setting], [plan_state, points, preview], api_name=False)
        points.input(choose, [plan_state, points], [plan_state, preview], api_name=False)
        for btn, fmt in ((sdocx, "docx"), (spdf, "pdf"), (smd, "md")):
            btn.click(lambda r, f=fmt: export(r, f, "supervision-plan"), plan_state, sup_file, api_name=False)

    # ---- Browse the guide -------------------------------------------------------------------
    def browse(slug: str, setting: str, kind: str) -> str:
        kind = kind if isinstance(kind, str) and kind in {k for _, k in KIND_CHOICES} else ""
        try:
            guide = load_guide(settings.corpus_dir)
            section = guide.section(slug if isinstance(slug, str) else "")
            service = parse_service(setting if isinstance(setting, str) else "")
        except AssistantError as err:
            return f"<p>{html.escape(str(err))}</p>"
        link = section_url(section, service, kind or None)
        return (f'<p><a href="{link}" target="_blank" rel="noopener">Open this section on its own page</a></p>'
                + section_html(guide, section, service, kind or None))

    with gr.Tab("Browse the guide", id="browse", elem_id="tab-browse"):
        sections = [(label, slug) for label, slug in scope_choices(settings) if slug not in KEY_QUESTIONS.values()]
        with gr.Row():
            b_section = gr.Dropdown(sections, value=sections[0][1] if sections else None, label="Section",
                                    elem_id="browse-section")
            b_setting = gr.Radio(SETTING_CHOICES, value="A", label="Service", elem_id="browse-setting")
            b_kind = gr.Dropdown(KIND_CHOICES, value="", label="Kind of passage", elem_id="browse-kind")
        b_html = gr.HTML(elem_id="browse-html")
        for control in (b_section, b_setting, b_kind):
            control.change(browse, [b_section, b_setting, b_kind], b_html, api_name=False)

    demo.load(restore, saved, [scope, setting, table, report_state, key_state, saved, status], api_name=False)
    demo.load(browse, [b_section, b_setting, b_kind], b_html, api_name=False)


def _ticked(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _clip(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"


def _preview(report: Report) -> str:
    from assistant.report import to_markdown

    return to_markdown(report, quote=as_text)
