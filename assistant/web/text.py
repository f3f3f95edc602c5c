"""Text for the web page: whatever a question or a document says is shown as text, never as markup.

The chat and the planner's preview render Markdown, and their words come from people (questions) and
from documents (answers quote them; an uploaded document may hold Markdown, HTML or bare links), so
every such string goes through ``as_text`` before it reaches the page.
"""

from __future__ import annotations

import html
import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~@-])")
_ESCAPED_MARKER = re.compile(r"\\\[(\d+)\\\]")
_BULLET = re.compile(r"^(\s*)(- )?(.*)$")
# Bare web and mail addresses, which the chat's Markdown would turn into live links by itself.
# No word boundary: Markdown links "see_https://..." and "1www.example" too, so any run of these letters counts.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)([:.])")


def as_text(text: str) -> str:
    """Text for the chat, which renders Markdown: no HTML, link or image syntax survives, so
    '![x](http://...)' shows as typed and loads nothing. Used for questions and for every quoted passage."""
    text = _AUTOLINK.sub(r"\1\\\2", _MARKDOWN.sub(r"\\\1", text))
    return html.escape(text, quote=False)


def answer_markdown(text: str, turn: int | None = 0) -> str:
    """An answer for the chat. Its words are quoted from documents, and an uploaded document may hold
    Markdown or HTML, so every line is shown as text; only the answer's own layout is kept (bullets and
    their indented continuation lines, and its headings, "What good services do:", in bold), and [n]
    becomes a link to that answer's own source card n (``turn`` None: plain markers)."""
    lines = []
    for line in text.split("\n"):
        indent, bullet, body = _BULLET.match(line).groups()  # type: ignore[union-attr]  # matches any line
        # A heading is the answer's own line ending in ':' with no marker ("What to avoid:", and the longer
        # "These documents do not say what to do in an emergency like this (choking); around it, ...:").
        heading = not indent and not bullet and body.endswith(":") and len(body) < 240 and "[" not in body
        shown = as_text(body)
        lines.append(f"**{shown}**" if heading else f"{indent}{bullet or ''}{shown}")
    shown = "\n".join(lines)
    if turn is None:
        return _ESCAPED_MARKER.sub(lambda m: f"\\[{m.group(1)}\\]", shown)
    return _ESCAPED_MARKER.sub(lambda m: f"[[{m.group(1)}]](#source-{turn}-{m.group(1)})", shown)
