"""Files to ``Document``: plain text, Markdown, HTML and PDF (pypdf, page numbers kept).

Every failure is a ``DocumentError`` that names the file and says what to do, so that one bad
file never stops the rest of a corpus from being indexed.
"""

from __future__ import annotations

import html
import re
import time
import tomllib
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from assistant.errors import DocumentError
from assistant.types import Document, SourceDoc

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES
# The same formats as people name them, for every message and label that lists them.
FORMATS = "PDF, Word (DOCX), text, Markdown or HTML"


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file is read before it is refused, checked while reading, so that a small hostile
    file (one page reused thousands of times, a zip of millions of empty paragraphs) is refused quickly
    instead of being read to the end. The corpus is read without limits; uploads with them."""

    max_pages: int = 1000
    max_paragraphs: int = 20_000
    max_chars: int = 2_000_000
    seconds: float = 60.0
    # Word's text (word/document.xml) unpacked: a zip bomb is refused before it is parsed. Pictures are
    # other parts of the file and do not count.
    max_unpacked_bytes: int = 15_000_000


class _Budget:
    """The limits being spent while one file is read."""

    def __init__(self, name: str, limits: ReadLimits | None) -> None:
        self.name, self.limits, self.chars = name, limits, 0
        self.deadline = time.monotonic() + limits.seconds if limits else None

    def spend(self, text: str) -> None:
        if self.limits is None:
            return
        self.chars += len(text)
        if self.chars > self.limits.max_chars:
            raise DocumentError(self.name, f"it holds more than {self.limits.max_chars:,} characters of text",
                                "Split it into smaller documents and add them one by one.")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise DocumentError(self.name, f"it could not be read within {self.limits.seconds:.0f} seconds",
                                "Save it again (for example as a simpler PDF or a Word file) and retry.")

    def count(self, what: str, n: int, most: int) -> None:
        if self.limits is not None and n > most:
            raise DocumentError(self.name, f"it has more than {most:,} {what}",
                                "Split it into smaller documents and add them one by one.")


def sniff(data: bytes) -> str:
    """The file's real type from its content, whatever its name says: ".pdf", ".docx", ".html", ".txt",
    or "" for anything else (a spreadsheet, an image, a program)."""
    head = data[:2048].lstrip()
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        import zipfile
        from io import BytesIO

        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                return ".docx" if "word/document.xml" in z.namelist() else ""
        except zipfile.BadZipFile:
            return ""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return ".txt"
    if b"\x00" in data[:4096]:
        return ""
    if head[:1] == b"<" and any(tag in head[:512].lower() for tag in (b"<html", b"<!doctype html", b"<body", b"<p",
                                                                       b"<h1", b"<div")):
        return ".html"
    return ".txt"


def load_catalogue(corpus_dir: Path) -> dict[str, SourceDoc]:
    """``corpus/catalogue.toml`` as ``{file name: SourceDoc}``. Raises DocumentError if unreadable."""
    path = corpus_dir / "catalogue.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DocumentError(str(path), "the corpus catalogue is missing", "Restore corpus/catalogue.toml.") from None
    except tomllib.TOMLDecodeError as e:
        raise DocumentError(str(path), f"the catalogue is not valid TOML ({e})", "Fix the file and retry.") from None
    out: dict[str, SourceDoc] = {}
    for number, entry in enumerate(data.get("document", []), start=1):
        if not entry.get("file") or not entry.get("title"):
            raise DocumentError(str(path), f"entry {number} has no file or no title",
                                "Give every [[document]] a file and a title.")
        out[entry["file"]] = SourceDoc(
            doc_id=entry["file"],
            title=entry["title"],
            publisher=entry.get("publisher", "Unknown publisher"),
            year=str(entry.get("year", "unknown")),
            kind=entry.get("kind", "document"),
            parser=entry.get("parser", "generic"),
            not_guidance_from=entry.get("not_guidance_from"),
        )
    return out


@cache
def newest_year(corpus_dir: Path) -> int | None:
    """The newest year among the catalogued documents ("c. 2015" is 2015); None when none gives one or
    the catalogue cannot be read (the index build reports that)."""
    try:
        catalogue = load_catalogue(corpus_dir)
    except DocumentError:
        return None
    years = [int(m.group()) for doc in catalogue.values() if (m := re.search(r"\b(?:19|20)\d\d\b", doc.year))]
    return max(years, default=None)


def corpus_files(corpus_dir: Path, catalogue: dict[str, SourceDoc]) -> list[Path]:
    """The catalogued files that exist, in catalogue order."""
    return [corpus_dir / name for name in catalogue if (corpus_dir / name).is_file()]


def load_document(path: Path, source: SourceDoc | None = None) -> Document:
    """Read one file. Raises DocumentError for an empty, encrypted, corrupt or unsupported file."""
    source = source or SourceDoc(doc_id=path.name, title=path.stem, publisher="", year="", kind="document")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise DocumentError(
            path.name, f"files of type '{suffix or 'none'}' are not supported", f"Use {FORMATS}."
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DocumentError(path.name, f"the file cannot be opened ({e.strerror})", "Check it exists.") from None
    return load_bytes(path.name, suffix, data, source)


def load_bytes(name: str, suffix: str, data: bytes, source: SourceDoc, limits: ReadLimits | None = None) -> Document:
    """Read a file's bytes as the type ``suffix``, within ``limits`` when given (raises DocumentError)."""
    if not data.strip():
        raise DocumentError(name, "the file is empty", "Choose the file that holds the document's text.")
    budget = _Budget(name, limits)
    if suffix in PDF_SUFFIXES:
        return _load_pdf(name, data, source, budget)
    if suffix in DOCX_SUFFIXES:
        return _load_docx(name, data, source, budget)
    text = _decode(name, data)
    if suffix in HTML_SUFFIXES:
        text = html_to_text(text)
    budget.spend(text)
    if not text.strip():
        raise DocumentError(name, "the file has no readable text", "Check that it is the right file.")
    return Document(source=source, lines=text.split("\n"))


def _decode(name: str, data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")  # what Notepad saves as "Unicode"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise DocumentError(name, "this is not a text file", f"Save it as {FORMATS} and try again.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1252 is what Word and older intranet pages save "plain text" as.
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise DocumentError(name, "the text is not in a known encoding", "Save it as UTF-8 and try again.") from None


def _load_pdf(name: str, data: bytes, source: SourceDoc, budget: _Budget) -> Document:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                name, "the PDF is password-protected", "Save an unprotected copy and add that instead."
            )
        if budget.limits is not None:
            # The count the file declares, read before pypdf walks the page tree; the walk is checked again.
            declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
            budget.count("pages", int(declared) if isinstance(declared, int) else 0, budget.limits.max_pages)
            budget.count("pages", len(reader.pages), budget.limits.max_pages)
        lines: list[str] = []
        pages: list[int] = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            budget.spend(text)
            for line in text.split("\n"):
                lines.append(line)
                pages.append(number)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
        # pypdf raises a range of exceptions for damaged files; all of them mean the same to a user.
        raise DocumentError(
            name, f"the PDF is damaged and cannot be read ({type(e).__name__})", "Export it again and retry."
        ) from None
    except Exception as e:
        if "crypt" in str(e).lower():
            raise DocumentError(
                name, "the PDF is encrypted in a way that cannot be opened", "Save an unprotected copy."
            ) from None
        raise DocumentError(name, "the PDF cannot be read", "Export it again and retry.") from None
    if not any(line.strip() for line in lines):
        raise DocumentError(
            name, "the PDF has no text layer (is it a scan?)", "Use a PDF with selectable text."
        )
    return Document(source=source, lines=lines, pages=pages)


def _load_docx(name: str, data: bytes, source: SourceDoc, budget: _Budget) -> Document:
    import io
    import zipfile

    if budget.limits is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                unpacked = sum(i.file_size for i in z.infolist() if i.filename == "word/document.xml")
        except zipfile.BadZipFile:
            unpacked = 0  # python-docx reports the damage below
        if unpacked > budget.limits.max_unpacked_bytes:
            raise DocumentError(name, "it unpacks to far more than a document's text",
                                "Save it again from Word, or split it, and retry.")
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError

        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError, ImportError) as e:
        raise DocumentError(name, f"the Word file is damaged and cannot be read ({type(e).__name__})",
                            "Save it again from Word and retry.") from None
    except Exception:  # python-docx and lxml may raise anything on a hostile file
        raise DocumentError(name, "the Word file cannot be read", "Save it again from Word and retry.") from None
    if budget.limits is not None:
        body = document.element.body
        budget.count("paragraphs", len(body.findall(".//" + body.tag.replace("body", "p"))),
                     budget.limits.max_paragraphs)
    lines: list[str] = []
    for para in document.paragraphs:
        text = para.text.strip()
        budget.spend(text)
        style = (para.style.name if para.style is not None else "").lower()
        if not text:
            lines.append("")
        elif style.startswith(("heading", "title")):
            lines += ["", f"# {text}", ""]
        elif style.startswith("list"):
            lines.append(f"• {text}")
        else:
            lines += [text, ""]
    for table in document.tables:
        for row in table.rows:
            text = " | ".join(cell.text.strip() for cell in row.cells)
            budget.spend(text)
            lines += [text, ""]
    if not any(line.strip() for line in lines):
        raise DocumentError(name, "the Word file has no text", "Check that it is the right file.")
    return Document(source=source, lines=lines)


class _TextExtractor(HTMLParser):
    _BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "blockquote"})
    _HEADING = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
    _SKIP = frozenset({"script", "style", "noscript", "template", "head", "nav", "footer"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._HEADING:
            self.parts.append("\n\n# ")
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._HEADING or tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(" ".join(data.split()) if data.strip() else " ")


def html_to_text(markup: str) -> str:
    """Visible text of an HTML page, paragraphs on their own lines; scripts and styles dropped."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
