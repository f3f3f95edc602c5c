"""Source cards: what a cited passage is, where it comes from, and the passage in its section of the guide.

Every string from a document or a person is escaped (``html.escape``): the cards are HTML. Each answer
carries its own cards, under it in the chat, with ids of their own (``source-<turn>-<n>``): a marker
in an earlier answer opens that answer's passage. The cards are written on one line, with newlines as
character references, because the chat renders Markdown and a blank line would end the HTML block and
let a passage's own text be read as Markdown.
"""

from __future__ import annotations

import html
import re

from assistant.types import Answer, Chunk, Citation


def context_html(c: Citation, chunks: list[Chunk]) -> str:
    """The cited passage highlighted among its neighbours: the whole KLOE or front-matter section of the
    guide, or the passages around it in another document."""
    same_doc = [x for x in chunks if x.doc_id == c.doc]
    in_section = c.kloe or c.section
    around = [x for x in same_doc if (x.kloe, x.section) == (c.kloe, c.section)] if in_section else same_doc
    around.sort(key=lambda x: x.line_start)
    at = next((i for i, x in enumerate(around) if x.text == c.text), None)
    if at is None:
        return ""
    window = around[max(0, at - 8): at + 9]
    parts = []
    for x in window:
        body = _e(x.text)
        label = _e(x.kind.label)
        if x.text == c.text:
            parts.append(f'<div class="context-cited"><small>{label}</small><br><mark>{body}</mark></div>')
        else:
            parts.append(f'<div class="context"><small>{label}</small><br>{body}</div>')
    return f'<details class="show-in-guide"><summary>Show in the guide</summary>{"".join(parts)}</details>'


def guide_link(c: Citation, guide_doc: str | None) -> str:
    """A link to the cited passage's place on the guide's browse pages (guide citations only)."""
    m = re.match(r"lines? (\d+)", c.location)
    if not guide_doc or c.doc != guide_doc or not m:
        return ""
    return (f'<p class="open-in-guide"><a href="/guide/at/{m.group(1)}" target="_blank" rel="noopener">'
            "Open in the guide (its section, in order)</a></p>")


def _e(text: str) -> str:
    return html.escape(text).replace("\r", "").replace("\n", "&#10;")


def source_id(turn: int, n: int) -> str:
    return f"source-{turn}-{n}"


def citation_html(c: Citation, chunks: list[Chunk] | None = None, guide_doc: str | None = None,
                  turn: int = 0) -> str:
    """One source card: what it is, where it comes from, the whole passage on expand, and the passage in
    its surrounding section ("show in the guide")."""
    e = _e
    badges = [f'<span class="badge">{e(x)}</span>' for x in (c.key_question, c.service_name) if x]
    provider = f" · {e(c.provider)}" if c.provider else ""
    return (
        f'<div class="source-card" id="{source_id(turn, c.n)}"><details><summary><strong>[{c.n}]</strong> '
        f"{''.join(badges)}{e(c.where)} — {e(c.kind_label)}{provider}<br>"
        f"<small>{e(c.title)} ({e(c.publisher)}), {e(c.location)}</small></summary>"
        f'<div class="source-text">{e(c.text)}</div>{context_html(c, chunks or [])}{guide_link(c, guide_doc)}'
        "</details></div>"
    )


def sources_html(answer: Answer | None, chunks: list[Chunk] | None = None, guide_doc: str | None = None,
                 turn: int = 0) -> str:
    """An answer's sources, folded under it: "Sources (5)", then a card for each."""
    if answer is None or not answer.citations:
        return ""
    cards = "".join(citation_html(c, chunks, guide_doc, turn) for c in answer.citations)
    return (f'<details class="answer-sources" id="sources-{turn}"><summary>Sources ({len(answer.citations)}): '
            "open one to read the passage</summary>" + cards + "</details>")
