"""A conversation with its citations as Markdown or PDF, for supervision records and inspection evidence."""

from __future__ import annotations

import time
from pathlib import Path

from assistant.types import Turn

HEADER = "Care Guide Assistant: conversation record"
NOTE = ("Answers are quoted from the documents cited under each one. Check the sources before relying on them; "
        "in an emergency call 999.")


def to_markdown(turns: list[Turn]) -> str:
    """Each turn's question, answer and numbered sources with the cited passages quoted."""
    out = [f"# {HEADER}", "", f"Exported {time.strftime('%d %B %Y, %H:%M')}. {NOTE}", ""]
    for i, t in enumerate(turns, start=1):
        out += [f"## {i}. {t.question}", "", t.answer.text.replace("\u2060", ""), "", "**Sources**", ""]
        for c in t.answer.citations:
            out += [f"- {c.line()}", "", *(f"  > {line}" for line in c.text.splitlines()), ""]
    return "\n".join(out).rstrip() + "\n"


# The PDF's built-in fonts cover Latin-1 only; the corpus' typographic characters are mapped to it.
_LATIN1 = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                         "\u2026": "...", "\u2022": "-", "\u2060": "", "\u00a0": " ", "\u2192": "->"})


def latin1(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def to_pdf(turns: list[Turn], path: Path) -> Path:
    """The same record as ``to_markdown``, laid out as a PDF at ``path``."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(HEADER)
    pdf.add_page()

    def para(text: str, size: int = 10, style: str = "", gap: float = 2) -> None:
        pdf.set_font("helvetica", style, size)
        pdf.multi_cell(0, size * 0.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    para(HEADER, 15, "B")
    para(f"Exported {time.strftime('%d %B %Y, %H:%M')}. {NOTE}", 9)
    for i, t in enumerate(turns, start=1):
        para(f"{i}. {t.question}", 12, "B")
        for line in t.answer.text.splitlines():
            if line.strip():
                para(line, 10, "B" if line.rstrip().endswith(":") else "", 1)
        para("Sources", 10, "B")
        for c in t.answer.citations:
            para(c.line(), 9, "B", 1)
            para(c.text, 9, "I", 3)
    pdf.output(str(path))
    return path
