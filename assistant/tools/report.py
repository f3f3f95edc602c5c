"""Checklists and plans people keep: one structure, written out as Markdown, Word (DOCX) or PDF.

Every item names the guide passage it comes from. Citation numbers are given when a report is
written, in order of first use, so that dropping an item never leaves a gap or a stale number.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.tools.export import latin1
from assistant.types import Citation

FORMATS = ("md", "docx", "pdf")
BLANK = "_" * 30  # a line to write on, in a record left empty


@dataclass(frozen=True, slots=True)
class Item:
    id: str  # stable across runs: the passage's document and line, plus a suffix for derived items
    part: str  # the heading the item sits under, within its section
    text: str
    source: Citation
    done: bool = False
    note: str = ""  # "our evidence: ..." typed by the user
    selected: bool = True  # False for alternatives offered but not (yet) chosen
    section: str = ""  # the guide section a checklist groups its parts under ("W2 Governance")
    # Something to check against, not to tick off: what inspectors found in inadequate services.
    warning: bool = False

    @property
    def heading(self) -> str:
        return f"{self.section}: {self.part}" if self.section else self.part


def similar(a: str, b: str) -> bool:
    """Two passages that say much the same (the guide repeats a section's recommendations in its key
    recommendations): most of the shorter one's words are in the other."""
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return len(wa & wb) / max(1, min(len(wa), len(wb))) >= 0.8


def distinct(items: list[Item]) -> list[Item]:
    """Items without repeats: a later item that says what an earlier one of its kind (a point, or a
    question) already says is dropped. A question built from a point is not a repeat of the point."""
    kept: list[Item] = []
    for item in items:
        asks = "question" in item.part
        if not any(similar(item.text, k.text) for k in kept if ("question" in k.part) == asks and
                   k.warning == item.warning):
            kept.append(item)
    return kept


@dataclass
class Report:
    title: str
    subtitle: str
    items: list[Item]
    notes: list[str] = field(default_factory=list)
    checklist: bool = False  # show a tick box and an evidence line for every item
    # A record to fill in ("Date", "Who attended", "Notes" for a supervision): written near the top of
    # every export, with the values given or a blank to write on.
    record: dict[str, str] = field(default_factory=dict)

    def chosen(self) -> list[Item]:
        return [i for i in self.items if i.selected]

    def with_choices(self, keep: set[str] | None = None, ticks: dict[str, tuple[bool, str]] | None = None) -> Report:
        """A copy with only the ``keep`` items (all selected ones when None) and the user's ticks and notes."""
        ticks = ticks or {}
        items = []
        for item in self.items:
            selected = item.selected if keep is None else item.id in keep
            done, note = ticks.get(item.id, (item.done, item.note))
            items.append(replace(item, selected=selected, done=bool(done), note=str(note or "")))
        return replace(self, items=items)

    def numbered(self) -> tuple[list[tuple[str, list[tuple[Item, int]]]], list[Citation]]:
        """The chosen items grouped by part in order, each with its citation number, and the citations."""
        numbers: dict[tuple[str, str, str], int] = {}
        citations: list[Citation] = []
        parts: dict[str, list[tuple[Item, int]]] = {}
        for item in self.chosen():
            key = (item.source.doc, item.source.location, item.source.text)
            if key not in numbers:
                numbers[key] = len(citations) + 1
                citations.append(replace(item.source, n=numbers[key]))
            parts.setdefault(item.heading, []).append((item, numbers[key]))
        return list(parts.items()), citations


def _quoted_in_items(c: Citation, rows: list[tuple[Item, int]]) -> bool:
    return any(n == c.n and c.text.strip() in item.text for item, n in rows)


def _box(report: Report, item: Item, done: str, todo: str, warning: str) -> str:
    """What comes before an item: a tick box in a checklist, or the words that mark a warning sign."""
    if not report.checklist:
        return ""
    return warning if item.warning else (done if item.done else todo)


def _note_label(item: Item) -> str:
    """What a checklist item's note is: where the evidence is, or how a warning sign is checked against."""
    return "How we check" if item.warning else "Our evidence"


def to_markdown(report: Report, quote: Callable[[str], str] = str) -> str:
    """The report as Markdown; ``quote`` is applied to every string that comes from a document or a person
    (the web page passes one that keeps Markdown and HTML in them from becoming markup)."""
    parts, citations = report.numbered()
    out = [f"# {quote(report.title)}", "", quote(report.subtitle), "", f"_Made {time.strftime('%d %B %Y')}._", ""]
    out += [f"> {quote(note)}" for note in report.notes] + ([""] if report.notes else [])
    if report.record:
        out += ["## Session record", ""]
        out += [f"- **{quote(k)}:** {quote(v) if v else BLANK}" for k, v in report.record.items()] + [""]
    for title, rows in parts:
        out += [f"## {quote(title)}", ""]
        for item, n in rows:
            box = _box(report, item, "[x] ", "[ ] ", "Check against: ")
            out.append(f"- {box}{quote(item.text)} [{n}]")
            if report.checklist and item.note:
                out.append(f"  - {_note_label(item)}: {quote(item.note)}")
        out.append("")
    all_rows = [row for _, rows in parts for row in rows]
    out += ["## Sources", ""]
    for c in citations:
        out.append(f"- {quote(c.line())}")
        if not _quoted_in_items(c, all_rows):
            out += [f"  > {quote(line)}" for line in c.text.splitlines() if line.strip()]
    return "\n".join(out).rstrip() + "\n"


def to_docx(report: Report, path: Path) -> Path:
    from docx import Document
    from docx.shared import Pt

    parts, citations = report.numbered()
    doc = Document()
    doc.core_properties.title = report.title
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.subtitle)
    doc.add_paragraph(f"Made {time.strftime('%d %B %Y')}.")
    for note in report.notes:
        doc.add_paragraph(note, style="Intense Quote")
    if report.record:
        doc.add_heading("Session record", level=1)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for key, value in report.record.items():
            cells = table.add_row().cells
            cells[0].text, cells[1].text = key, value or ""
    for title, rows in parts:
        doc.add_heading(title, level=1)
        if report.checklist:  # a real table: tick, item, where the evidence is, to fill in on paper too
            table = doc.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            warnings = all(item.warning for item, _ in rows)
            heads = ("Check", "Warning sign", "How we check") if warnings else ("Done", "What to show", "Our evidence")
            for cell, head in zip(table.rows[0].cells, heads, strict=True):
                cell.text = head
                cell.paragraphs[0].runs[0].bold = True
            for item, n in rows:
                cells = table.add_row().cells
                cells[0].text = _box(report, item, "\u2611", "\u2610", "\u26a0")
                cells[1].text = f"{item.text} [{n}]"
                cells[2].text = item.note
            continue
        for item, n in rows:
            doc.add_paragraph(f"{item.text} [{n}]", style="List Bullet")
    doc.add_heading("Sources", level=1)
    all_rows = [row for _, rows in parts for row in rows]
    for c in citations:
        doc.add_paragraph(c.line())
        if not _quoted_in_items(c, all_rows):
            quote = doc.add_paragraph(c.text, style="Quote")
            for run in quote.runs:
                run.font.size = Pt(9)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def to_pdf(report: Report, path: Path) -> Path:
    from fpdf import FPDF

    parts, citations = report.numbered()
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(latin1(report.title))
    pdf.add_page()

    def para(text: str, size: int = 10, style: str = "", gap: float = 1.5, indent: float = 0) -> None:
        pdf.set_font("helvetica", style, size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    para(report.title, 15, "B")
    para(report.subtitle, 10)
    para(f"Made {time.strftime('%d %B %Y')}.", 9)
    for note in report.notes:
        para(note, 9, "I")
    if report.record:
        para("Session record", 12, "B", gap=2)
        for key, value in report.record.items():
            para(f"{key}: {value or BLANK}")
    for title, rows in parts:
        para(title, 12, "B", gap=2)
        for item, n in rows:
            box = _box(report, item, "[x] ", "[ ] ", "(!) ") if report.checklist else "- "
            para(f"{box}{item.text} [{n}]")
            if report.checklist:
                para(f"{_note_label(item)}: {item.note}", 9, "I", indent=6)
    para("Sources", 12, "B", gap=2)
    all_rows = [row for _, rows in parts for row in rows]
    for c in citations:
        para(c.line(), 9)
        if not _quoted_in_items(c, all_rows):
            para(c.text, 8, indent=6)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def write(report: Report, fmt: str, path: Path) -> Path:
    """Write ``report`` as ``fmt`` (md, docx or pdf) to ``path``."""
    if fmt == "md":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(to_markdown(report), encoding="utf-8")
        return path
    if fmt == "docx":
        return to_docx(report, path)
    if fmt == "pdf":
        return to_pdf(report, path)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
