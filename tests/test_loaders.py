"""Loaders on real files the tests generate: PDFs (good, encrypted, corrupt, empty, image-only), text, HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from assistant.errors import DocumentError
from assistant.ingest.generic import split_generic
from assistant.ingest.loaders import html_to_text, load_catalogue, load_document
from assistant.types import BlockKind, SourceDoc
from tests.conftest import CORPUS


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for lines in pages:
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def encrypt_pdf(src: Path, dst: Path, password: str = "secret", algorithm: str = "AES-256") -> Path:
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm=algorithm)
    with open(dst, "wb") as f:
        writer.write(f)
    return dst


def test_pdf_keeps_page_numbers(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "policy.pdf", [
        ["Medicines policy", "Staff must complete the MAR chart after every dose."],
        ["Safeguarding", "Report any concern to the manager on duty straight away."],
    ])
    doc = load_document(path)
    assert doc.pages is not None and len(doc.pages) == len(doc.lines)
    pairs = list(zip(doc.lines, doc.pages, strict=True))
    by_page = {p: " ".join(line for line, q in pairs if q == p) for p in set(doc.pages)}
    assert "MAR chart" in by_page[1] and "manager on duty" in by_page[2]
    blocks = split_generic(doc)
    assert {b.page for b in blocks} == {1, 2}
    assert any("MAR chart" in b.text and b.page == 1 for b in blocks)


@pytest.mark.parametrize("algorithm", ["AES-256", "RC4-128"])
def test_encrypted_pdf_is_refused_with_its_name(tmp_path: Path, algorithm: str) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", [["Confidential procedure text for night staff."]])
    locked = encrypt_pdf(plain, tmp_path / "locked.pdf", algorithm=algorithm)
    with pytest.raises(DocumentError) as err:
        load_document(locked)
    assert "locked.pdf" in str(err.value) and "password" in str(err.value)


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("corrupt.pdf", b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n garbage \x00\x01", "damaged"),
        ("empty.pdf", b"", "empty"),
        ("blank.txt", b"   \n\n  ", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "not a text file"),
        ("sheet.xlsx", b"PK\x03\x04 not supported", "not supported"),
    ],
)
def test_bad_files_give_a_clear_error(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as err:
        load_document(path)
    assert name in str(err.value) and problem in str(err.value)


def test_pdf_with_only_an_owner_password_opens(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", [["Fire drill every month, logged by the deputy manager."]])
    restricted = encrypt_pdf(plain, tmp_path / "restricted.pdf", password="")
    assert "Fire drill" in " ".join(load_document(restricted).lines)


def test_truncated_real_pdf_is_damaged(tmp_path: Path) -> None:
    good = make_pdf(tmp_path / "good.pdf", [["Infection control: wash hands before and after care."] * 20])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 3])
    with pytest.raises(DocumentError) as err:
        load_document(broken)
    assert "broken.pdf" in str(err.value)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(DocumentError) as err:
        load_document(tmp_path / "scan.pdf")
    assert "no text layer" in str(err.value)


def test_html_drops_scripts_and_keeps_paragraphs() -> None:
    text = html_to_text(
        "<html><head><title>x</title><script>alert('x')</script></head><body><h1>Falls policy</h1>"
        "<p>Check the person is safe.</p><ul><li>Call for help</li><li>Record the fall</li></ul></body></html>"
    )
    assert "alert" not in text
    assert "# Falls policy" in text and "Check the person is safe." in text and "• Record the fall" in text


def test_markdown_and_headings_become_sections(tmp_path: Path) -> None:
    path = tmp_path / "procedure.md"
    path.write_text("# Night checks\n\nCheck each person every two hours.\n\n## Records\n\n- Write it down.\n",
                    encoding="utf-8")
    blocks = split_generic(load_document(path))
    assert [(b.section, b.text) for b in blocks] == [
        ("Night checks", "Check each person every two hours."),
        ("Records", "- Write it down."),
    ]
    assert all(b.kind is BlockKind.TEXT for b in blocks)


def test_utf16_text_from_notepad_is_read(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes("Residents’ rights".encode("utf-16"))
    assert load_document(path).lines == ["Residents’ rights"]


def test_cp1252_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Residents’ rights – dignity".encode("cp1252"))
    assert load_document(path).lines == ["Residents’ rights – dignity"]


def test_catalogue_describes_every_corpus_file() -> None:
    catalogue = load_catalogue(CORPUS)
    files = {p.name for p in CORPUS.glob("*.txt")}
    assert set(catalogue) == files
    assert catalogue["004_e19dd56ae5042632.txt"].parser == "care_guide"
    assert all(s.title and s.publisher and s.year and s.kind for s in catalogue.values())
    assert catalogue["003_9788b7659c2b4a09.txt"].not_guidance_from


def test_reader_comments_are_never_indexed() -> None:
    catalogue = load_catalogue(CORPUS)
    doc = load_document(CORPUS / "003_9788b7659c2b4a09.txt", catalogue["003_9788b7659c2b4a09.txt"])
    blocks = split_generic(doc)
    comments_start = doc.lines.index("Comments") + 1
    assert blocks and all(b.line_end < comments_start for b in blocks)
    assert not any("Amsino" in b.text or "Subscribe" in b.text for b in blocks)
    assert any("psychological safety" in b.text for b in blocks)


def test_running_page_headers_are_dropped() -> None:
    catalogue = load_catalogue(CORPUS)
    doc = load_document(CORPUS / "000_470bdbf3fb86f5f0.txt", catalogue["000_470bdbf3fb86f5f0.txt"])
    texts = [b.text for b in split_generic(doc)]
    assert "Foreword 1" not in texts and "2 Voice, choice and control" not in texts
    joined = " ".join(texts)
    assert "need to take the lead in these six areas:" in joined


def test_unknown_source_gets_a_title(tmp_path: Path) -> None:
    path = tmp_path / "Moving and handling.txt"
    path.write_text("Use the hoist with two staff.", encoding="utf-8")
    doc = load_document(path)
    assert doc.source == SourceDoc(doc_id="Moving and handling.txt", title="Moving and handling", publisher="",
                                   year="", kind="document")
