"""The web app in a real browser: Debian's chromium driven by Playwright against the app on a free port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.settings import Settings
from tests.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(index_settings: Settings, assistant) -> Iterator[str]:
    """The production app (web chat and API in one process, as `serve` runs it) on a free port."""
    served = Served(index_settings, assistant)
    try:
        yield f"{served.url}/"
    finally:
        served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def ask(page, question: str) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()


def test_question_gets_a_cited_answer(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    ask(page, "What do I do if I think a colleague is taking money from a resident?")
    card = page.locator("#source-1")
    card.wait_for(timeout=60_000)
    answer = page.locator("#chat .message").last
    assert "[1]" in answer.inner_text()
    # A marker in the answer opens its source card.
    assert page.locator("#source-2 > details").get_attribute("open") is None
    answer.locator("a[href='#source-2']").first.click()
    page.wait_for_function("document.querySelector('#source-2 > details').open === true", timeout=5_000)
    card.locator("> details > summary").click()
    text = card.locator(".source-text").inner_text()
    assert len(text) > 40
    assert "Good and outstanding care guide" in page.locator("#sources").inner_text()
    card.locator(".show-in-guide summary").click()
    highlighted = card.locator(".show-in-guide mark").inner_text()
    assert highlighted.strip() == text.strip(), "the cited passage is highlighted in its section"
    assert card.locator(".show-in-guide .context").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    page.close()


def test_script_in_a_question_is_shown_not_run(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ask(page, "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> safeguarding training?")
    page.locator("#source-1").wait_for(timeout=60_000)
    assert page.evaluate("window.__pwned") is None
    assert not dialogs
    assert "<script>window.__pwned=1</script>" in page.locator("#chat").inner_text()
    page.close()


def test_new_conversation_clears_the_chat(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    ask(page, "How do we make mealtimes better in a care home?")
    page.locator("#source-1").wait_for(timeout=60_000)
    page.locator("#new").click()
    page.locator("#source-1").wait_for(state="detached", timeout=10_000)
    assert "mealtimes" not in page.locator("#chat").inner_text()
    page.close()


def test_kloe_filter_is_honoured(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    page.locator("#filter-kloe input").click()
    page.get_by_role("option", name="S4 Medicines").click()
    ask(page, "What should our training cover?")
    page.locator("#source-1").wait_for(timeout=60_000)
    sources = page.locator("#sources .source-card > details > summary")
    assert sources.count() >= 3
    for i in range(sources.count()):
        text = sources.nth(i).inner_text()
        assert "S4 Medicines" in text or "safety" in text, text
    page.close()


def test_feedback_is_saved(browser, app_url: str, index_settings) -> None:
    from assistant.feedback import feedback_store

    store = feedback_store(index_settings)
    before = len(store.all())
    page = browser.new_page()
    page.goto(app_url)
    ask(page, "How do we support staff wellbeing?")
    page.locator("#source-1").wait_for(timeout=60_000)
    page.locator("#tools").click()
    page.locator("#feedback-comment textarea").fill("Useful for our team meeting")
    page.locator("#chat button[aria-label='Like']").last.click()
    page.get_by_text("your feedback was saved").wait_for(timeout=10_000)
    rows = store.all()
    assert len(rows) == before + 1
    assert rows[-1]["rating"] == "up" and rows[-1]["comment"] == "Useful for our team meeting"
    assert rows[-1]["question"] is None, "question text is not stored unless feedback logging is on"
    assert "kloe" in rows[-1]["sources"]
    page.close()


@pytest.mark.parametrize("kind", ["md", "pdf"])
def test_export_downloads_and_opens(browser, app_url: str, kind: str, tmp_path) -> None:
    page = browser.new_page()
    page.goto(app_url)
    ask(page, "How do we involve people in their own risk assessments?")
    page.locator("#source-1").wait_for(timeout=60_000)
    page.locator("#tools").click()
    page.locator(f"#export-{kind}").click()
    link = page.locator("#export-file [data-testid='download-link']")
    link.wait_for(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    path = tmp_path / f"record.{kind}"
    info.value.save_as(path)
    if kind == "md":
        text = path.read_text(encoding="utf-8")
    else:
        from pypdf import PdfReader

        text = " ".join(p.extract_text() or "" for p in PdfReader(path).pages)
    flat = " ".join(text.split())
    assert "How do we involve people in their own risk assessments?" in flat
    assert "Good and outstanding care guide" in flat and "[1]" in flat
    page.close()


def test_no_serious_accessibility_violations(browser, app_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    for width in (1280, 375):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(app_url)
        ask(page, "How do we make mealtimes better for people living with dementia?")
        page.locator("#source-1").wait_for(timeout=60_000)
        results = Axe().run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        assert not bad, [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"chat-{width}.png"), full_page=True)
        page.close()


@pytest.fixture(scope="module")
def admin_url(index_settings: Settings, assistant) -> Iterator[str]:
    """The app with a login: "boss" is an administrator, "carer" is not."""
    settings = index_settings.model_copy(update={"auth": "boss:pw-boss-1,carer:pw-carer-2", "admins": "boss"})
    served = Served(settings, assistant)
    try:
        yield f"{served.url}/"
    finally:
        served.stop()


def sign_in(browser, url: str, user: str, password: str):
    page = browser.new_page()
    page.goto(url)
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()
    page.locator("#question textarea").wait_for(timeout=30_000)
    return page


def test_an_administrator_adds_a_pdf_and_answers_cite_it(browser, admin_url: str, tmp_path) -> None:
    from tests.test_loaders import make_pdf

    pdf = make_pdf(tmp_path / "handover.pdf", [[
        "Handover procedure",
        "At Maple Court every handover uses the red folder and both seniors sign the handover sheet at 8pm.",
    ]])
    carer = sign_in(browser, admin_url, "carer", "pw-carer-2")
    carer.locator("#documents").click()
    carer.get_by_text("only an administrator adds or removes one").wait_for(timeout=10_000)
    assert not carer.locator("#upload-add").is_visible(), "a user who is not an administrator has no controls"
    carer.close()
    page = sign_in(browser, admin_url, "boss", "pw-boss-1")
    page.locator("#documents").click()
    with page.expect_response(lambda r: r.request.method == "POST" and "/gradio_api/upload?" in r.url) as uploaded:
        page.locator("#upload-file input[type=file]").set_input_files(str(pdf))
    (cached,) = uploaded.value.json()
    raw = f"{admin_url}gradio_api/file={cached}"
    assert page.request.get(raw).body() == pdf.read_bytes(), "control: Gradio serves what it holds"
    page.locator("#upload-title input, #upload-title textarea").first.fill("Maple Court handover procedure")
    page.locator("#upload-add").click()
    page.get_by_text("Added 'Maple Court handover procedure'").wait_for(timeout=60_000)
    assert page.request.get(raw).status >= 400, "the original is never served back once added"
    listing = page.locator("#upload-list").inner_text()
    assert "Maple Court handover procedure" in listing and "by boss" in listing
    ask(page, "Who signs the handover sheet at Maple Court and when?")
    page.locator("#source-1").wait_for(timeout=60_000)
    assert "Maple Court handover procedure" in page.locator("#sources").inner_text()
    page.locator("#upload-choice input").click()
    page.get_by_role("option", name="Maple Court handover procedure").click()
    page.locator("#upload-remove").click()
    page.get_by_text("Removed.").wait_for(timeout=30_000)
    page.close()


def test_markup_in_a_document_is_shown_as_text_everywhere(browser, admin_url: str, tmp_path) -> None:
    """A document's Markdown image, link, bare address and HTML appear as typed in the answer, the sources,
    the list and the status line: nothing is fetched and nothing is a live link."""
    doc = tmp_path / "trap.md"
    doc.write_text("# Kestrel Lodge laundry rota\n\nAt Kestrel Lodge the laundry rota is pinned by the sluice "
                   "room ![beacon](http://127.0.0.1:9/beacon.png) and [click here](http://127.0.0.1:9/x) or "
                   "http://127.0.0.1:9/bare and <img src=http://127.0.0.1:9/html.png> every Monday, "
                   "see_http://127.0.0.1:9/u or 1http://127.0.0.1:9/d or xwww.127.0.0.1:9/w or "
                   "HTTP://127.0.0.1:9/c or a@127.0.0.1.\n",
                   encoding="utf-8")
    page = sign_in(browser, admin_url, "boss", "pw-boss-1")
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if ":9/" in r.url else None)
    page.locator("#documents").click()
    page.locator("#upload-file input[type=file]").set_input_files(str(doc))
    page.locator("#upload-title input, #upload-title textarea").first.fill("Rota [see](http://127.0.0.1:9/t) <b>x</b>")
    page.locator("#upload-add").click()
    page.get_by_text("passages). Answers can now cite it.").wait_for(timeout=60_000)
    ask(page, "Where is the laundry rota pinned at Kestrel Lodge?")
    page.locator("#source-1").wait_for(timeout=60_000)
    chat = page.locator("#chat")
    assert "![beacon](http://127.0.0.1:9/beacon.png)" in chat.inner_text()
    for where in ("#chat", "#sources", "#upload-list", "#upload-status"):
        region = page.locator(where)
        assert region.locator("img[src*=':9/']").count() == 0, where
        assert region.locator("a[href*=':9/'], a[href*='127.0.0.1'], a[href^='mailto']").count() == 0, where
        assert region.locator("b").count() == 0 or where == "#chat", where
    assert "[see](http://127.0.0.1:9/t)" in page.locator("#upload-list").inner_text()
    assert not fetched, fetched
    page.locator("#upload-choice input").click()
    page.get_by_role("option").filter(has_text="Rota").first.click()
    page.locator("#upload-remove").click()
    page.get_by_text("Removed.").wait_for(timeout=30_000)
    page.close()


def test_errors_show_one_plain_sentence_in_the_page(browser, tmp_path) -> None:
    from assistant.chat import Assistant

    settings = Settings(index_dir=tmp_path / "no-index", data_dir=tmp_path / "data")
    served = Served(settings, Assistant(settings))
    try:
        page = browser.new_page()
        page.goto(f"{served.url}/")
        ask(page, "How do we support people with dementia at mealtimes?")
        page.get_by_text("python -m assistant index").first.wait_for(timeout=30_000)
        ask(page, "why " * 2_000)
        page.get_by_text("characters long").first.wait_for(timeout=30_000)
        assert "Traceback" not in page.content()
        page.close()
    finally:
        served.stop()


def test_the_mode_is_shown(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    mode = page.locator("#mode").inner_text()
    assert "Mode: grounded" in mode and "without a language model" in mode
    page.close()


def test_llm_mode_streams_and_shows_the_mode_and_a_checked_answer(browser, gguf_settings, assistant) -> None:
    """The local SmolLM2 writes; the page says so, shows only checked text while it writes, and ends with an
    answer that is either the model's checked sentences or the guide's, with the note that says which."""
    from assistant.chat import Assistant

    served = Served(gguf_settings, Assistant(gguf_settings, _retriever=assistant.retriever))
    try:
        page = browser.new_page()
        page.goto(f"{served.url}/")
        mode = page.locator("#mode").inner_text()
        assert "Mode: gguf" in mode and "SmolLM2-135M-Instruct" in mode and "checked" in mode
        ask(page, "How should staff report concerns about abuse?")
        page.get_by_text("Writing: each sentence appears once it has been checked").first.wait_for(timeout=60_000)
        page.locator("#source-1").wait_for(timeout=300_000)
        last = page.locator("#chat .message").last.inner_text()
        assert "Writing:" not in last and "[1]" in last
        assert "and checked: each sentence is supported" in last or "quoted from the guide instead" in last
        page.close()
    finally:
        served.stop()
