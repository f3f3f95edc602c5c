"""Hostile files made on the spot: small PDFs and Word files that cost a naive reader minutes and gigabytes.

Shared by the tests and ``evals/bombs.py`` (which times them); nothing here is stored in the repository.
"""

from __future__ import annotations

import io
import zipfile
import zlib


def pdf_reused_page(pages: int = 2000, lines: int = 400) -> bytes:
    """A PDF whose ``pages`` pages all draw one shared content stream of ``lines`` lines of text."""
    text = "".join(f"BT /F1 9 Tf 20 {780 - (i % 80) * 9} Td (Safeguarding line {i} of the reused page) Tj ET\n"
                   for i in range(lines)).encode()
    stream = zlib.compress(text)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    }
    kids = []
    for i in range(pages):
        objects[5 + i] = b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"
        kids.append(b"%d 0 R" % (5 + i))
    objects[2] = (b"<< /Type /Pages /Resources << /Font << /F1 3 0 R >> >> /MediaBox [0 0 612 792] /Count %d "
                  b"/Kids [" % pages + b" ".join(kids) + b"] >>")
    return _pdf(objects)


def pdf_many_pages(pages: int = 100_000) -> bytes:
    """A PDF of ``pages`` near-empty pages: small on disk, a long walk for a reader."""
    return pdf_reused_page(pages=pages, lines=1)


def _pdf(objects: dict[int, bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n")
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def docx_many_paragraphs(paragraphs: int = 50_000, text: str = "A line of policy text.") -> bytes:
    """A Word file of ``paragraphs`` paragraphs (they compress to almost nothing)."""
    body = ("<w:p><w:r><w:t>" + text + "</w:t></w:r></w:p>") * paragraphs if text else "<w:p/>" * paragraphs
    return _docx(body)


def _docx(body: str) -> bytes:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
        "/></Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body>{body}</w:body>'
        "</w:document>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


BOMBS = {
    "PDF, one page reused 2,000 times": lambda: pdf_reused_page(2000),
    "PDF, 100,000 pages": lambda: pdf_many_pages(100_000),
    "DOCX, 50,000 paragraphs": lambda: docx_many_paragraphs(50_000),
    "DOCX, 3 million empty paragraphs": lambda: docx_many_paragraphs(3_000_000, text=""),
}
