"""Inspection preparation, the supervision planner, the browse pages and the then-and-now mapping:
through the CLI (real subprocesses), with every export opened again by python-docx and pypdf."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assistant.answer.then_and_now import asks_then_and_now, load_mapping
from assistant.kloe import KLOE_CODES
from assistant.services import parse_service
from assistant.settings import Settings
from assistant.tools.guide import load_guide
from assistant.types import BlockKind
from tests.conftest import CORPUS, ROOT, Served, venv_env

sys.path.insert(0, str(ROOT / "evals"))
from score import support


def run(*args: str, settings: Settings | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, timeout=300,
                          env=venv_env(settings), cwd=ROOT)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(str(path)).pages)


def flat(text: str) -> str:
    """Whitespace and the PDF's Latin-1 quote marks aside, so that a passage can be found in an export."""
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                                         "\u2013": "-", "\u2014": "-"}))
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def guide():
    return load_guide(CORPUS)


# ---- then and now -------------------------------------------------------------------------------

def test_mapping_file_covers_every_kloe_and_every_statement() -> None:
    mapping = load_mapping()
    assert mapping.problems() == []
    statements = [s for group in mapping.statements.values() for s in group]
    assert len(statements) == len(set(statements)) == 34
    assert {link.kloe for link in mapping.links} == set(KLOE_CODES)
    assert {link.statement for link in mapping.links} == set(statements)
    assert all(len(link.reason.split()) >= 6 for link in mapping.links), "every link has a one-line reason"
    assert "not" in mapping.caveat and "CQC" in mapping.caveat and "2026" in mapping.caveat


def test_question_about_the_new_framework_is_answered_from_the_mapping(assistant) -> None:
    answer = assistant.ask("What is S1 called now?")
    assert answer.answerable and answer.citations[0].block_type == "mapping"
    assert "Safeguarding (Safe)" in answer.text
    assert "Indicative" in answer.text and "not published by CQC" in answer.text
    cites = [{"n": c.n, "text": c.text} for c in answer.citations]
    supported, claims = support(answer.text, cites)
    assert claims >= 2 and supported == claims, "every sentence carries a marker and is in the cited mapping"
    e4 = assistant.ask("which quality statements cover E4 in the current framework?")
    assert "How staff, teams and services work together" in e4.text and e4.citations[0].kloe == "E4"
    # An ordinary question that happens to say "new" is not diverted.
    assert asks_then_and_now("What is new in S4 medicines?") == []
    assert assistant.ask("What will the inspector look for under S4 medicines?").citations[0].block_type != "mapping"


# ---- inspection preparation ---------------------------------------------------------------------

@pytest.mark.parametrize(("setting", "code"), [("care home", "R"), ("home care", "C")])
def test_prep_checklist_exports_in_every_format_with_its_cited_passages(tmp_path: Path, guide, setting: str,
                                                                      code: str) -> None:
    section = guide.section("E4")
    blocks = guide.blocks_of(section)
    own = next(b for b in blocks if b.kind == BlockKind.PRACTICAL_EXAMPLE and b.service_type == code)
    other = next(b for b in blocks if b.kind == BlockKind.PRACTICAL_EXAMPLE
                 and b.service_type == ({"R", "C"} - {code}).pop())
    from assistant.tools.prep import _bullets
    from assistant.tools.report import similar

    # A recommendation the key recommendations do not already say (those are listed once, as key ones).
    key = [t for b in blocks if b.kind == BlockKind.KEY_RECOMMENDATION for t in _bullets(b)]
    rec = next(b for b in blocks if b.kind == BlockKind.RECOMMENDATION and b.service_type == "A"
               and not any(similar(b.text, t) for t in key))
    poor = next(b for b in blocks if b.kind == BlockKind.TELLING_SIGN_POOR)
    md = run("prep", "E4", "--service-type", setting).stdout
    for part in ("what good looks like (key recommendations)", "telling signs inspectors quote (good and outstanding)",
                 "warning signs inspectors reported (inadequate and requires improvement)", "what to avoid",
                 "mock inspection questions", "Preparing for inspection: provider information collection",
                 "Preparing for inspection: evidencing good practice", "Preparing for inspection: mock inspections",
                 "Then and now: CQC quality statements (Indicative"):
        assert part in md, part
    assert "How staff, teams and services work together" in md
    assert flat(own.text) in flat(md) and flat(other.text) not in flat(md), "examples for the chosen setting only"
    assert "- [ ] How do you " in md, "mock inspection questions are checklist items"
    assert f"- Check against: {flat(poor.text)[:40]}" in flat(md), "a warning sign is not a thing to tick off"
    where = "Care homes" if code == "R" else "Care at home"
    assert re.search(r"\[\d+\] Good and outstanding care guide \(Skills for Care\) · Effective > E4 Working "
                     rf"together across organisations · Practical example, {where}", md)
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text), ("md", lambda p: p.read_text(encoding="utf-8"))):
        out = tmp_path / f"checklist.{fmt}"
        run("prep", "E4", "--service-type", setting, "--out", str(out))
        text = flat(read(out))
        for block in (own, rec, poor):
            assert flat(block.text)[:150] in text, f"{fmt} lacks a cited passage"
        assert "Sources" in text and "E4 Working together" in text
        assert fmt == "md" or "Our evidence" in text, "Word and PDF leave a line for the evidence"
        if fmt == "docx":
            from docx import Document

            tables = Document(str(out)).tables
            heads = [[c.text for c in t.rows[0].cells] for t in tables]
            assert tables and all(h in (["Done", "What to show", "Our evidence"],
                                        ["Check", "Warning sign", "How we check"]) for h in heads), \
                "a real table in Word, one per part"
            assert ["Check", "Warning sign", "How we check"] in heads


def test_prep_for_a_key_question_covers_each_of_its_sections(guide) -> None:
    from assistant.tools.prep import build_prep
    from assistant.tools.report import similar

    report = build_prep(guide, "Well-led", "R")
    points = [i.text for i in report.items if "question" not in i.part]
    assert not any(similar(a, b) for n, a in enumerate(points) for b in points[:n]), "no point twice"
    parts = {i.section for i in report.items}
    assert {s.label for s in guide.scope("W")} <= parts
    ids = [i.id for i in report.items]
    assert len(ids) == len(set(ids)), "item ids are unique, so ticks map back to the right item"
    parts_numbered, citations = report.numbered()
    assert len({c.text for c in citations}) == len(citations), "two quotes on one line get two numbers"
    for _, rows in parts_numbered:
        for item, n in rows:
            assert item.source.text == citations[n - 1].text
    ticked = report.with_choices(ticks={ids[0]: (True, "Minutes of the March governance meeting")})
    from assistant.tools.report import to_markdown

    assert "- [x] " in to_markdown(ticked) and "Our evidence: Minutes of the March governance meeting" in \
        to_markdown(ticked)


def test_prep_bad_input_is_one_plain_sentence(tmp_path: Path) -> None:
    for args, words in ((("prep", "W9"), "no guide section called"),
                        (("prep", "S1", "--service-type", "hospital"), "Unknown service type"),
                        (("prep", "S1", "--out", str(tmp_path / "x.xlsx")), "name the file .md, .docx or .pdf")):
        done = run(*args, check=False)
        assert done.returncode == 1 and words in done.stderr and "Traceback" not in done.stderr


def test_service_words() -> None:
    assert parse_service("Care home") == "R" and parse_service("domiciliary") == "C"
    assert parse_service("all") is None and parse_service(None) is None


# ---- supervision planner -------------------------------------------------------------------------

def test_supervision_plan_through_the_cli_in_docx_and_pdf(tmp_path: Path, index_settings: Settings, guide) -> None:
    docx_path, pdf_path, md_path = tmp_path / "plan.docx", tmp_path / "plan.pdf", tmp_path / "plan.md"
    run("supervision", "dignity in personal care", "--service-type", "care home", "--out", str(docx_path),
        settings=index_settings)
    run("supervision", "dignity in personal care", "--service-type", "home care", "--out", str(pdf_path),
        settings=index_settings)
    run("supervision", "dignity in personal care", "--out", str(md_path), settings=index_settings)
    c3 = guide.section("C3")
    for text in (flat(docx_text(docx_path)), flat(pdf_text(pdf_path)), flat(md_path.read_text(encoding="utf-8"))):
        assert "C3 Privacy, dignity and independence" in text
        for heading in ("Learning points", "Practical examples to discuss", "Discussion questions",
                        "What to avoid", "Available to help", "Sources"):
            assert heading in text
        cited = [b for b in guide.blocks_of(c3) if flat(b.text)[:120] in text]
        kinds = {b.kind for b in cited}
        assert {BlockKind.RECOMMENDATION, BlockKind.PRACTICAL_EXAMPLE, BlockKind.WHAT_TO_AVOID,
                BlockKind.AVAILABLE_TO_HELP} <= kinds


def test_supervision_plan_swaps_and_drops(assistant, guide) -> None:
    from assistant.tools.report import to_markdown
    from assistant.tools.supervision import EXAMPLES, LEARNING, QUESTIONS, build_plan, with_questions

    plan = build_plan(guide, assistant, "safe recruitment checks", "C")
    examples = [i for i in plan.items if i.part == EXAMPLES]
    chosen, spare = [i for i in examples if i.selected], [i for i in examples if not i.selected]
    assert len(chosen) == 3 and spare, "alternatives are offered for swapping"
    dropped = next(i for i in plan.items if i.part == LEARNING)
    keep = {i.id for i in plan.chosen()} - {dropped.id, chosen[0].id} | {spare[0].id}
    swapped = with_questions(plan.with_choices(keep=keep))
    md = to_markdown(swapped)
    body = md.split("## Sources")[0]  # the sources quote whole passages, a dropped point's block included
    assert spare[0].text in body and chosen[0].text not in md and dropped.text not in body
    questions = [i for i in swapped.items if i.part == QUESTIONS]
    assert any(q.source.text == spare[0].source.text for q in questions), "questions follow the examples chosen"
    quoted = body.split("## Session record")[0] + "\n".join(body.split("## Session record")[1].split("\n## ")[1:])
    assert all(re.search(r"\[\d+\]$", line) for line in quoted.splitlines() if line.startswith("- "))
    assert "- **Date:** ____" in body, "the record to fill in is not a quotation, and has no marker"


def test_a_plan_for_home_care_chooses_examples_told_of_home_care(assistant, guide) -> None:
    """"Dignity in personal care" for home care: the guide's home-care example is in the plan, and
    examples told of care homes come after it, not as the first choices."""
    from assistant.tools.supervision import EXAMPLES, OTHER_SETTING, RECORD_FIELDS, build_plan

    plan = build_plan(guide, assistant, "dignity in personal care", "C")
    examples = [i for i in plan.items if i.part == EXAMPLES]
    chosen = [i for i in examples if i.selected]
    assert any("homecare" in i.text.lower() or "home care" in i.text.lower() for i in chosen), chosen
    care_home = [n for n, i in enumerate(examples) if OTHER_SETTING["C"].search(f"{i.source.provider} {i.text}")]
    assert all(n > 0 for n in care_home), "no care-home example leads a home-care plan"
    assert list(plan.record) == list(RECORD_FIELDS) and not any(plan.record.values())


def test_supervision_refuses_a_topic_the_guide_does_not_cover(assistant, guide) -> None:
    from assistant.errors import BadInput
    from assistant.tools.supervision import build_plan

    for topic in ("", "x" * 400, "weather forecast", "holiday pay for night staff"):
        with pytest.raises(BadInput):
            build_plan(guide, assistant, topic)
    plan = build_plan(guide, assistant, "medicines ![x](http://example.com/a.png) <b>errors</b>")
    assert "![" not in plan.title and "<b>" not in plan.title


# ---- browse pages --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(index_settings: Settings, assistant):
    s = Served(index_settings, assistant)
    yield s
    s.stop()


def fetch(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.geturl(), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, url, e.read().decode("utf-8")


def test_browse_pages_list_each_section_in_order_with_filters(served, guide) -> None:
    status, _, body = fetch(f"{served.url}/guide")
    assert status == 200 and body.count('href="/guide/') == 34
    s1 = guide.section("S1")
    status, _, body = fetch(f"{served.url}/guide/{s1.slug}")
    blocks = guide.blocks_of(s1)
    starts = [int(m) for m in re.findall(r'id="L(\d+)"', body)]
    assert status == 200 and starts == [b.line_start for b in blocks], "every block, in the guide's order"
    assert "Safeguarding</strong> (Safe)" in body and "Indicative" in body
    _, _, examples = fetch(f"{served.url}/guide/{s1.slug}?service=R&kind=practical_example")
    shown = re.findall(r'<div class="meta">([^<]*)</div>', examples)
    assert shown and all(m.startswith("Practical example") and "care at home" not in m for m in shown)
    status, _, body = fetch(f"{served.url}/guide/{s1.slug}?kind=nonsense")
    assert status == 404 and "Unknown block kind" in body
    status, _, body = fetch(f"{served.url}/guide/Z9")
    assert status == 404 and "no guide section called" in body


def test_a_chat_citation_links_to_its_place_in_the_guide(served, assistant, guide) -> None:
    from assistant.web.render import guide_link

    answer = assistant.ask("How should staff report a safeguarding concern?")
    cited = next(c for c in answer.citations if c.doc == guide.source.doc_id and c.kloe)
    link = re.search(r'href="([^"]+)"', guide_link(cited, guide.source.doc_id)).group(1)
    status, final, body = fetch(served.url + link)
    line = int(re.match(r"lines? (\d+)", cited.location).group(1))
    assert status == 200 and final.endswith(f"#L{guide.block_at(line).line_start}")
    assert f'id="L{guide.block_at(line).line_start}"' in body
    # Front matter (no KLOE) opens on its own page, and a line past the end says so.
    assert fetch(f"{served.url}/guide/at/400")[0] == 200
    assert fetch(f"{served.url}/guide/at/999999")[0] == 404
