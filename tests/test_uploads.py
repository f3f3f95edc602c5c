"""People's own documents: validated by content, indexed beside the guide, cited, removable, never doubled."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.index.uploads import Uploads, safe_name
from assistant.settings import Settings
from tests.test_loaders import encrypt_pdf, make_pdf

POLICY = ["Night medication policy",
          "At Rosewood House the night senior checks the controlled drugs register at 10pm with a second witness.",
          "Any discrepancy is reported to the registered manager before the end of the shift."]


def make_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("Visiting policy", level=1)
    d.add_paragraph("Families can visit Rosewood House at any time; the quiet lounge is kept free for private visits.")
    d.save(str(path))
    return path


@pytest.fixture()
def mine(index_settings: Settings, tmp_path: Path) -> Settings:
    """The session's real index with a data folder of this test's own."""
    return index_settings.model_copy(update={"data_dir": tmp_path / "data"})


def test_uploaded_pdf_is_cited_with_its_title_and_can_be_removed(mine: Settings, tmp_path: Path) -> None:
    from assistant.chat import Assistant

    assistant = Assistant(mine)
    pdf = make_pdf(tmp_path / "policy.pdf", [POLICY])
    added = Uploads(mine).add("Night meds policy.pdf", pdf.read_bytes(), title="Rosewood night medication policy")
    assert added.chunks >= 1 and not added.duplicate
    answer = assistant.ask("Who checks the controlled drugs register at night at Rosewood House?")
    mine_cited = [c for c in answer.citations if c.doc == added.doc_id]
    assert mine_cited and mine_cited[0].title == "Rosewood night medication policy"
    assert mine_cited[0].publisher == "Uploaded by your organisation" and mine_cited[0].location == "page 1"
    guide_chunks = len([c for c in assistant.reader.chunks if not c.doc_id.startswith("upload-")])

    again = Uploads(mine).add("copy of policy.pdf", pdf.read_bytes())
    assert again.duplicate and again.doc_id == added.doc_id
    assistant.reader.refresh()
    assert len([c for c in assistant.reader.chunks if c.doc_id == added.doc_id]) == added.chunks

    assert Uploads(mine).remove(added.doc_id) and not Uploads(mine).remove(added.doc_id)
    after = assistant.ask("Who checks the controlled drugs register at night at Rosewood House?")
    assert all(c.doc != added.doc_id for c in after.citations)
    assert len(assistant.reader.chunks) == guide_chunks, "the guide's index is untouched"


def test_docx_markdown_and_html_uploads(mine: Settings, tmp_path: Path) -> None:
    uploads = Uploads(mine)
    assert uploads.add("visiting.docx", make_docx(tmp_path / "v.docx").read_bytes()).chunks >= 1
    assert uploads.add("rota.md", b"# Rota\n\nNight staff swap shifts only with the manager's agreement.\n").chunks
    page = b"<html><body><h1>Fire</h1><p>Fire doors are checked every Monday by the handyman.</p></body></html>"
    assert uploads.add("fire.html", page).chunks
    titles = {d.title for d in uploads.documents()}
    assert titles == {"visiting", "rota", "fire"}


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.pdf", b"", "empty"),
        ("scan.txt", bytes(range(256)) * 8, "not a PDF, Word"),
        ("sheet.docx", b"PK\x03\x04" + b"\x00" * 40, "not a PDF, Word"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj garbage", "damaged"),
    ],
)
def test_bad_uploads_are_refused_plainly(mine: Settings, name: str, content: bytes, problem: str) -> None:
    with pytest.raises(DocumentError) as err:
        Uploads(mine).add(name, content)
    assert name in str(err.value) and problem in str(err.value)
    assert Uploads(mine).documents() == []


def test_encrypted_and_oversized_uploads(mine: Settings, tmp_path: Path) -> None:
    locked = encrypt_pdf(make_pdf(tmp_path / "p.pdf", [POLICY]), tmp_path / "locked.pdf")
    with pytest.raises(DocumentError, match="password"):
        Uploads(mine).add("locked.pdf", locked.read_bytes())
    small = mine.model_copy(update={"max_upload_mb": 1})
    with pytest.raises(DocumentError, match="larger than 1 MB"):
        Uploads(small).add("big.txt", b"a line of text\n" * 100_000)


def test_type_comes_from_content_not_name(mine: Settings, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "p.pdf", [POLICY])
    added = Uploads(mine).add("looks-like-text.txt", pdf.read_bytes())
    assert added.chunks >= 1


def test_path_traversal_names_are_made_safe() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\..\\windows\\system.ini") == "system.ini"
    assert safe_name("<script>.pdf") == "_script_.pdf"
    assert safe_name("") == "document"
    assert len(safe_name("x" * 500 + ".pdf")) <= 100


def test_uploads_text_is_not_kept_as_a_file(mine: Settings, tmp_path: Path) -> None:
    Uploads(mine).add("rota.md", io.BytesIO(b"Night staff swap shifts only with agreement.").getvalue())
    stored = [p for p in (mine.data_dir / "uploads").rglob("*") if p.is_file() and p.suffix in (".md", ".txt")]
    assert stored == [], "originals are never kept or served back"
