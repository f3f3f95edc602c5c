"""Browse the guide: each KLOE section's blocks in the guide's order, as plain HTML pages.

Served at ``/guide`` (the contents), ``/guide/<section>`` (one section, filterable by service type
and block kind) and ``/guide/at/<line>`` (the section holding a line, scrolled to it), so that every
citation in the chat can link to its place. The same HTML is shown in the web app's Browse tab.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from assistant.kloe import KEY_QUESTIONS
from assistant.services import SERVICE_WORDS, service_fits
from assistant.tools.guide import Guide, Section
from assistant.types import BlockKind

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.settings import Settings

KIND_CHOICES = [("Every kind", "")] + [(k.label, k.value) for k in (
    BlockKind.INTRODUCTION, BlockKind.KEY_RECOMMENDATION, BlockKind.RECOMMENDATION, BlockKind.PRACTICAL_EXAMPLE,
    BlockKind.TELLING_SIGN_GOOD, BlockKind.TELLING_SIGN_POOR, BlockKind.WHAT_TO_AVOID, BlockKind.PROVIDER_STORY,
    BlockKind.PROVIDER_QUOTE, BlockKind.AVAILABLE_TO_HELP)]

# Shared with the web app's Browse tab.
BLOCK_CSS = """
.guide-block { border-left: 3px solid #c8c8c8; padding: 4px 10px; margin: 10px 0; white-space: pre-wrap; }
.guide-block:target { border-left-color: #1d4f91; background: #fff3b0; }
.guide-block .meta { color: #444; font-size: 0.85em; white-space: normal; }
.indicative { border: 1px dashed #8a8a8a; padding: 6px 10px; margin: 8px 0; }
"""
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 1rem auto; padding: 0 1rem; color: #111; }
a { color: #1d4f91; }
""" + BLOCK_CSS


def anchor(line: int) -> str:
    return f"L{line}"


def section_url(section: Section, service: str | None = None, kind: str | None = None, line: int | None = None) -> str:
    query = urlencode({k: v for k, v in (("service", service), ("kind", kind)) if v})
    return f"/guide/{section.slug}" + (f"?{query}" if query else "") + (f"#{anchor(line)}" if line else "")


def contents_html(guide: Guide) -> str:
    e = html.escape
    out = ["<h1>Good and outstanding care guide: sections</h1>",
           f"<p>{e(guide.source.title)} ({e(guide.source.publisher)}), by CQC key question and key line of "
           "enquiry (KLOE).</p>"]
    for letter, name in KEY_QUESTIONS.items():
        links = "".join(f'<li><a href="{section_url(s)}">{e(s.label)}</a></li>'
                        for s in guide.sections if s.code[0] == letter)
        out.append(f"<h2>{e(name)}</h2><ul>{links}</ul>")
    return "".join(out)


def quality_statements_html(section: Section) -> str:
    from assistant.answer.then_and_now import LABEL, load_mapping

    mapping = load_mapping()
    rows = "".join(f"<li><strong>{html.escape(link.statement)}</strong> ({html.escape(link.key_question)}): "
                   f"{html.escape(link.reason)}</li>" for link in mapping.for_kloe(section.code))
    return (f'<div class="indicative"><strong>Then and now: CQC quality statements ({html.escape(LABEL)})</strong>'
            f"<ul>{rows}</ul><small>{html.escape(mapping.caveat)}</small></div>")


def section_html(guide: Guide, section: Section, service: str | None = None, kind: str | None = None) -> str:
    """One section's blocks in order; ``service`` keeps blocks for that setting (and all settings)."""
    e = html.escape
    blocks = [b for b in guide.blocks if b.kloe == section.code and b.kloe_title == section.title
              and service_fits(b.service_type, service) and (not kind or b.kind.value == kind)]
    shown = SERVICE_WORDS.get(service or "A", "all services")
    head = (f'<p><a href="/guide">All sections</a></p><h1>{e(section.label)}</h1>'
            f"<p>{e(section.key_question)} · guide page {section.page} · showing {e(shown)}"
            f"{' · ' + e(BlockKind(kind).label) if kind else ''} · {len(blocks)} passages</p>")
    rows = []
    for b in blocks:
        meta = [b.kind.label]
        if b.service_type:
            meta.append(SERVICE_WORDS.get(b.service_type, b.service_type))
        if b.provider:
            meta.append(b.provider)
        meta.append(f"lines {b.line_start}-{b.line_end}" if b.line_end > b.line_start else f"line {b.line_start}")
        rows.append(f'<div class="guide-block" id="{anchor(b.line_start)}">'
                    f'<div class="meta">{e(" · ".join(meta))}</div>{e(b.text)}</div>')
    if not rows:
        rows.append("<p>No passages of this kind for this setting in this section.</p>")
    return head + quality_statements_html(section) + "".join(rows)


def page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
            f"<body>{body}</body></html>")


def front_html(guide: Guide, line: int) -> str:
    """A front-matter section (no KLOE), such as 'Preparing for inspection', around a line."""
    e = html.escape
    at = guide.block_at(line)
    top = ((at.section if at else None) or "").split(" > ")[0]
    blocks = [b for b in guide.blocks if b.kloe is None and (b.section or "").split(" > ")[0] == top]
    rows = [f'<div class="guide-block" id="{anchor(b.line_start)}"><div class="meta">'
            f"{e(b.section or '')} · {e(b.kind.label)} · line {b.line_start}</div>{e(b.text)}</div>" for b in blocks]
    return f'<p><a href="/guide">All sections</a></p><h1>{e(top or "The guide")}</h1>' + "".join(rows)


def add_routes(app: FastAPI, settings: Settings) -> None:
    """The /guide pages on the FastAPI app (public text of the guide: no user data on them)."""
    from fastapi.responses import HTMLResponse, RedirectResponse

    from assistant.errors import AssistantError
    from assistant.services import parse_service
    from assistant.tools.guide import load_guide

    def respond(title: str, body: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(page(title, body), status_code=status)

    @app.get("/guide", response_class=HTMLResponse)
    def contents() -> HTMLResponse:
        try:
            return respond("The guide", contents_html(load_guide(settings.corpus_dir)))
        except AssistantError as err:
            return respond("The guide", f"<p>{html.escape(str(err))}</p>", 503)

    @app.get("/guide/at/{line}", response_model=None)
    def at(line: int) -> HTMLResponse | RedirectResponse:
        try:
            guide = load_guide(settings.corpus_dir)
        except AssistantError as err:
            return respond("The guide", f"<p>{html.escape(str(err))}</p>", 503)
        block = guide.block_at(line)
        if block is None:
            return respond("Not found", f'<p>Line {line} is not in the guide. <a href="/guide">All sections</a></p>',
                           404)
        if block.kloe is None:
            return respond(block.section or "The guide", front_html(guide, line))
        section = next(s for s in guide.sections if (s.code, s.title) == (block.kloe, block.kloe_title))
        return RedirectResponse(section_url(section, line=block.line_start), status_code=307)

    @app.get("/guide/{slug}", response_class=HTMLResponse)
    def section(slug: str, service: str = "", kind: str = "") -> HTMLResponse:
        try:
            guide = load_guide(settings.corpus_dir)
            sec = guide.section(slug)
            code = parse_service(service)
        except AssistantError as err:
            return respond("Not found", f'<p>{html.escape(str(err))} <a href="/guide">All sections</a></p>', 404)
        if kind and kind not in {v for _, v in KIND_CHOICES}:
            return respond("Not found", f"<p>Unknown block kind {html.escape(kind[:40])!r}. Use one of: "
                           f"{html.escape(', '.join(v for _, v in KIND_CHOICES if v))}.</p>", 404)
        return respond(sec.label, section_html(guide, sec, code, kind or None))
