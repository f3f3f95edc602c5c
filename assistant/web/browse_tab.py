"""The "Browse the guide" tab: one section's blocks in the guide's order, filtered by service and kind."""

from __future__ import annotations

import html

import gradio as gr

from assistant.errors import AssistantError
from assistant.kloe import KEY_QUESTIONS
from assistant.services import SERVICE_CHOICES, parse_service
from assistant.tools.guide import load_guide
from assistant.web.context import WebContext
from assistant.web.guide_pages import KIND_CHOICES, section_html, section_url
from assistant.web.reports import scope_choices


def add_browse_tab(demo: gr.Blocks, ctx: WebContext) -> None:
    settings = ctx.settings

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

    with gr.Tab("Guide", id="browse", elem_id="tab-browse"):
        sections = [(label, slug) for label, slug in scope_choices(settings) if slug not in KEY_QUESTIONS.values()]
        with gr.Row():
            section = gr.Dropdown(sections, value=sections[0][1] if sections else None, label="Section",
                                  elem_id="browse-section")
            setting = gr.Radio(SERVICE_CHOICES, value="A", label="Service", elem_id="browse-setting")
            kind = gr.Dropdown(KIND_CHOICES, value="", label="Kind of passage", elem_id="browse-kind")
        shown = gr.HTML(elem_id="browse-html")
    for control in (section, setting, kind):
        control.change(browse, [section, setting, kind], shown, api_name=False)
    demo.load(browse, [section, setting, kind], shown, api_name=False)
