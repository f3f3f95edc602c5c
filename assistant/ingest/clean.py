"""Markup cleanup shared by all loaders.

The corpus files are exports with stray HTML (``<p>``, ``<div>``, ``<ul style=...>``), markdown bold and
dead links (``[Title](#)``), escaped parentheses and decorative glyphs. Cleaning removes the markup and
keeps the words, punctuation and quote characters exactly as written, because answers quote the guide
and evidence is matched against it verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A paragraph break inside one source line: ``</p> <p>`` or ``<br>``.
_PARAGRAPH_BREAK = re.compile(r"</p>\s*<p>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
# Only links with the export's dead ``#`` anchor are links; "[care worker]" and "[Acting]" are text.
_LINK = re.compile(r"\[([^\[\]]*)\]\(#\)")
_LINK_TAIL = re.compile(r"\]\(#\)")  # end of a link whose title began on an earlier line
_LINK_HEAD = re.compile(r"\[(?=[^\]]*$)")  # start of a link whose title ends on a later line
# Bold markers glued between words ("Telling signs**Comments") must leave a space behind.
_BOLD_BETWEEN_WORDS = re.compile(r"(?<=\w)\*{2,}(?=\w)")
_BOLD = re.compile(r"\*{2,}")
_ESCAPE = re.compile(r"\\([()\[\]*_#.\-!])")
_GLYPH = re.compile(r"[☞☾✗]")
_BULLET_GLYPH = "■"  # list bullets in the ratings tables: each item becomes its own line
_TABLE_RULE = re.compile(r"^[\s|:\-]*-{3,}[\s|:\-]*$")  # markdown table rule "-----\t--"
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_line(s: str) -> str:
    """One source line without markup.

    Paragraphs the line holds (``</p> <p>``, ``■`` bullets) come back on separate lines.
    """
    if _TABLE_RULE.match(s):
        return ""
    s = _PARAGRAPH_BREAK.sub("\n", s)
    s = _TAG.sub(" ", s)
    s = _LINK.sub(r"\1", s)
    s = _LINK_TAIL.sub("", s)
    s = _LINK_HEAD.sub("", s)
    s = _BOLD_BETWEEN_WORDS.sub(" ", s)
    s = _BOLD.sub("", s)
    s = _ESCAPE.sub(r"\1", s)
    s = _GLYPH.sub(" ", s)
    s = s.replace(_BULLET_GLYPH, "\n")
    parts = (_SPACES.sub(" ", part).strip() for part in s.split("\n"))
    return "\n".join(part for part in parts if part)


def clean_text(lines: Iterable[str]) -> str:
    """Clean several source lines; each line (and each paragraph within a line) ends up on its own line."""
    cleaned = (clean_line(line) for line in lines)
    return "\n".join(c for c in cleaned if c)
