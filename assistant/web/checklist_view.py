"""The readiness checklist as a page a manager works through, on a desk or a phone.

A spreadsheet does not fit a phone and hides its notes behind a double-click, so the checklist is
plain HTML in a ``gr.HTML`` (Gradio's own custom-HTML piece): a folding section per part of the guide
with its progress in the heading, a real tick box and a note field for each item, and warning signs
shown as things to check against, with no tick box. Every string from the guide or the user is
escaped. The browser sends back every tick and note each time one changes (``mark``), never a
difference: events run in order, so the last one always holds the whole checklist and a tick made
while an earlier one was on its way is not lost.
"""

from __future__ import annotations

import html
from itertools import groupby
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from assistant.tools.report import Item, Report

NOTE_CHARS = 2000

# Runs once, when the component is first drawn; the listeners sit on the component itself, so they keep
# working when a new checklist replaces the old one's HTML.
MARK_JS = """
const tally = (section) => {
  const boxes = section.querySelectorAll('input[type="checkbox"]');
  const done = [...boxes].filter((b) => b.checked).length;
  const out = section.querySelector('.cl-progress');
  if (out) out.textContent = `${done} of ${boxes.length} done`;
};
const send = () => {
  const marks = {};
  element.querySelectorAll('.cl-item').forEach((item) => {
    const box = item.querySelector('input[type="checkbox"]');
    const note = item.querySelector('textarea');
    const done = Boolean(box && box.checked);
    const text = note ? note.value : '';
    if (done || text) marks[item.dataset.id] = [done, text];
  });
  const list = element.querySelector('.cl-list');
  sent += 1;
  trigger('mark', {marks, key: list ? list.dataset.key : '', seq: sent});
};
let waiting = null;
// Each mark is numbered: two sent close together can reach the server in either order, and only the
// latest (which holds everything) may be kept.
let sent = 0;
element.addEventListener('change', (event) => {
  const section = event.target.closest('.cl-section');
  if (section) tally(section);
  clearTimeout(waiting);
  send();
});
element.addEventListener('input', (event) => {
  if (event.target.tagName !== 'TEXTAREA') return;
  clearTimeout(waiting);
  waiting = setTimeout(send, 800);
});
"""

CSS = """
#prep-list .cl-section { border: 1px solid var(--border-color-primary); border-radius: 8px; margin: 0 0 8px; }
#prep-list .cl-section > summary { cursor: pointer; padding: 10px 12px; display: flex; flex-wrap: wrap;
  gap: 4px 12px; align-items: baseline; font-weight: 600; }
#prep-list .cl-progress { font-weight: 400; color: #4a4a4a; }
#prep-list .cl-body { padding: 0 12px 8px; }
#prep-list h4 { margin: 16px 0 6px; font-size: 0.95em; font-weight: 600; }
#prep-list ul { list-style: none; padding: 0; margin: 0; }
#prep-list .cl-item { padding: 8px 0; border-top: 1px solid var(--border-color-primary); }
#prep-list .cl-item label { display: flex; gap: 10px; align-items: flex-start; cursor: pointer; }
/* The browser's own tick box: Gradio's theme draws a checked box of its own only inside its components. */
#prep-list .cl-item input[type="checkbox"] { appearance: auto !important; -webkit-appearance: checkbox !important;
  accent-color: #1d4f91; background: none !important; border: none !important; box-shadow: none !important;
  width: 22px; height: 22px; flex: none; margin: 1px 0 0; }
#prep-list .cl-warn { flex: none; width: 22px; text-align: center; }
#prep-list .cl-warning .cl-line { display: flex; gap: 10px; align-items: flex-start; }
#prep-list .cl-warning { background: var(--color-accent-soft); }
#prep-list .cl-source { display: block; margin: 4px 0 0 32px; font-size: 0.8em;
  color: #555; overflow-wrap: anywhere; }
#prep-list textarea { display: block; width: calc(100% - 32px); margin: 6px 0 0 32px; min-height: 2.2em;
  field-sizing: content; font: inherit; font-size: 0.9em; padding: 4px 6px; box-sizing: border-box;
  border: 1px solid var(--border-color-primary); border-radius: 6px; background: var(--input-background-fill);
  color: var(--body-text-color); }
#prep-list textarea::placeholder { color: #767676; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _item(item: Item) -> str:
    source = f'<span class="cl-source">Source: {_e(item.source.line(document=False))}</span>'
    note = _e(item.note)
    if item.warning:
        return (f'<li class="cl-item cl-warning" data-id="{_e(item.id)}"><div class="cl-line">'
                f'<span class="cl-warn" aria-hidden="true">\u26a0</span><span>Warning sign: {_e(item.text)}</span>'
                f'</div>{source}<textarea maxlength="{NOTE_CHARS}" aria-label="How we check: {_e(item.text[:80])}" '
                f'placeholder="How we check this is not happening here">{note}</textarea></li>')
    checked = " checked" if item.done else ""
    return (f'<li class="cl-item" data-id="{_e(item.id)}"><label><input type="checkbox"{checked}>'
            f'<span>{_e(item.text)}</span></label>{source}<textarea maxlength="{NOTE_CHARS}" '
            f'aria-label="Our evidence: {_e(item.text[:80])}" placeholder="Our evidence: where is it?">{note}'
            f'</textarea></li>')


def progress(items: list[Item]) -> tuple[int, int]:
    """Items ticked, and items there are to tick (warning signs are not ticked off)."""
    tickable = [i for i in items if not i.warning]
    return sum(i.done for i in tickable), len(tickable)


def checklist_html(report: Report | None, key: str = "") -> str:
    """The checklist grouped by section, then by part, each section folding with its progress shown.
    The first section is open."""
    if report is None:
        return ""
    out = []
    sections = groupby(report.chosen(), key=lambda i: i.section or i.part)
    for n, (section, grouped) in enumerate(sections):
        items = list(grouped)
        done, total = progress(items)
        parts = []
        for part, rows in groupby(items, key=lambda i: i.part if i.section else ""):
            heading = f"<h4>{_e(part[:1].upper() + part[1:])}</h4>" if part else ""
            parts.append(f"{heading}<ul>{''.join(_item(i) for i in rows)}</ul>")
        opened = " open" if n == 0 else ""
        out.append(f'<details class="cl-section"{opened}><summary><span>{_e(section)}</span>'
                   f'<span class="cl-progress">{done} of {total} done</span></summary>'
                   f'<div class="cl-body">{"".join(parts)}</div></details>')
    return f'<div class="cl-list" data-key="{_e(key)}">{"".join(out)}</div>'


class Marks(BaseModel):
    """What the page sends back when a tick or a note changes: every ticked or noted item, which
    checklist they belong to (a mark sent just before another checklist was made is not applied to it),
    and the mark's number on the page (two sent close together can arrive in either order)."""

    marks: dict[str, tuple[bool, str]] = Field(default_factory=dict, max_length=5000)
    key: str = Field("", max_length=400)
    seq: int = Field(0, ge=0, le=10**9, strict=True)


def read_marks(data: Any, report: Report, key: str = "", after: int = -1) -> Marks | None:
    """The ticks and notes a browser sent, for the report's own items only; None when the shape is wrong,
    they belong to another checklist than ``key``, or they are not newer than mark number ``after``. A
    warning sign keeps its note but is never ticked."""
    if not isinstance(data, dict) or "marks" not in data:  # not the page's own shape: nothing to save
        return None
    try:
        sent = Marks.model_validate(data)
    except ValidationError:
        return None
    if (key and sent.key != key) or sent.seq <= after:
        return None
    warnings = {i.id for i in report.items if i.warning}
    known = {i.id for i in report.items}
    marks = {k: (done and k not in warnings, note[:NOTE_CHARS]) for k, (done, note) in sent.marks.items() if k in known}
    return sent.model_copy(update={"marks": marks})
