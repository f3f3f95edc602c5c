"""The web app in a real browser: Debian's chromium driven by Playwright against the app on a free port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.settings import Settings
from tests.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Served, assert_accessible

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
    """Type a question and press Enter, as people send a message in any chat."""
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")


def answered(page, turn: int = 0, timeout: float = 60_000) -> None:
    """Wait for answer ``turn`` (0 = the first) and its sources, folded under it, and for the page to have
    scrolled to it."""
    page.locator(f"#sources-{turn}").wait_for(state="attached", timeout=timeout)
    page.wait_for_function(f"Number(document.body.dataset.answersShown || 0) >= {turn + 1}", timeout=10_000)


def on_screen(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + 20 <= height


@pytest.mark.parametrize("width", [1280, 375])
def test_an_answer_opens_at_its_first_line_and_cites_its_own_passages(browser, app_url: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900 if width > 400 else 812})
    page.goto(app_url)
    assert on_screen(page, page.locator("#question textarea")), "the question box is on the first screen"
    ask(page, "What do I do if I think a colleague is taking money from a resident?")
    answered(page, 0)
    first = page.locator("#chat .message-row.bot-row").last.locator(".prose > *").first
    assert "Safety first" in first.inner_text()
    assert on_screen(page, first), "an answer opens at its first line, not at its end"
    assert on_screen(page, page.locator("#question textarea")), "the question box stays under the chat"
    # A follow-up gets its own sources; a marker in the first answer still opens the first answer's passage.
    ask(page, "and in home care?")
    answered(page, 1)
    assert on_screen(page, page.locator("#chat .message-row.user-row").last), "the follow-up opens at its start"
    first_answer = page.locator("#chat .message-row.bot-row").first
    link = first_answer.locator("a[href='#source-0-1']").first  # [1]: the guide (the safety lines are [7])
    target = link.get_attribute("href")[1:]
    link.click()
    card = page.locator(f"#{target}")
    page.wait_for_function(f"document.querySelector('#{target} > details').open === true", timeout=5_000)
    assert card.is_visible() and page.locator("#sources-0").get_attribute("open") is not None
    assert page.locator("#sources-1").get_attribute("open") is None, "the later answer's sources stay folded"
    text = card.locator(".source-text").inner_text()
    assert len(text) > 40 and "Good and outstanding care guide" in card.inner_text()
    card.locator(".show-in-guide summary").click()
    assert card.locator(".show-in-guide mark").inner_text().strip() == text.strip()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"chat-followup-{width}.png"))
    page.close()


def test_enter_sends_and_shift_enter_starts_a_new_line(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    box = page.locator("#question textarea")
    box.fill("How do we make mealtimes better")
    box.press("Shift+Enter")
    box.type("for people living with dementia?")
    assert box.input_value() == "How do we make mealtimes better\nfor people living with dementia?"
    assert page.locator("#chat .message-row.user-row").count() == 0, "Shift+Enter does not send"
    box.press("Enter")
    answered(page, 0)
    assert box.input_value() == ""
    assert "for people living with dementia?" in page.locator("#chat .message-row.user-row").last.inner_text()
    page.close()


def test_a_starter_question_is_asked_at_once(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    page.get_by_role("button", name="Select example 2: What will the inspector look for under Well-led?").click()
    answered(page, 0)
    assert "Well-led" in page.locator("#chat .message-row.user-row").last.inner_text()
    page.close()


def test_script_in_a_question_is_shown_not_run(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ask(page, "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"> safeguarding training?")
    answered(page, 0)
    assert page.evaluate("window.__pwned") is None
    assert not dialogs
    assert "<script>window.__pwned=1</script>" in page.locator("#chat").inner_text()
    page.close()


def test_new_conversation_clears_the_chat(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    ask(page, "How do we make mealtimes better in a care home?")
    answered(page, 0)
    page.locator("#new").click()
    page.locator("#sources-0").wait_for(state="detached", timeout=10_000)
    assert "mealtimes" not in page.locator("#chat").inner_text()
    page.close()


def test_the_kloe_list_follows_the_key_question_and_is_honoured(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    page.locator("#filters").click()
    page.locator("#filter-kloe input").click()
    page.get_by_role("option", name="S4 Medicines").click()
    # Choosing a KLOE sets its key question; choosing another key question lets the KLOE go.
    page.wait_for_function("document.querySelector('#filter-kq input').value === 'Safe'", timeout=5_000)
    assert "Safe · S4" in page.locator("#filters").inner_text()
    page.locator("#filter-kq input").click()
    page.get_by_role("option", name="Caring").click()
    page.wait_for_function("document.querySelector('#filter-kloe input').value === 'Any KLOE'", timeout=5_000)
    page.locator("#filter-kloe input").click()
    listed = page.locator("#filter-kloe").get_by_role("option").all_inner_texts()
    codes = [o.replace("✓", "").split()[0] for o in listed]
    assert codes[0] == "Any" and set(codes[1:]) == {"C1", "C2", "C3"}, codes
    page.get_by_role("option", name="Any KLOE").click()
    page.locator("#filter-kq input").click()
    page.get_by_role("option", name="Safe").click()
    page.wait_for_function("document.querySelector('#filters').innerText.includes('Filters: Safe')", timeout=5_000)
    page.locator("#filter-kloe input").click()
    page.get_by_role("option", name="S4 Medicines").click()
    ask(page, "What should our training cover?")
    answered(page, 0)
    sources = page.locator("#sources-0 .source-card > details > summary")
    assert sources.count() >= 3
    for i in range(sources.count()):
        text = sources.nth(i).text_content() or ""  # folded under the answer: read, not seen
        assert "S4 Medicines" in text or "safety" in text, text
    page.close()


def test_filters_that_contradict_each_other_get_a_sentence_in_the_conversation(app_url: str) -> None:
    """The page's lists cannot contradict each other; a client that sends Caring with S4 anyway gets one
    plain sentence as the reply, and the question back in the box."""
    from gradio_client import Client

    chat, box = Client(app_url, verbose=False).predict("What should our training cover?", "A", "Caring", "S4",
                                                       api_name="/ask")
    reply = str(chat[-1]["content"])
    assert chat[-1]["role"] == "assistant"
    assert "Not answered" in reply and "try removing a filter" in reply
    assert box == "What should our training cover?"


def test_a_thumb_saves_the_rating_and_then_takes_a_comment(browser, app_url: str, index_settings) -> None:
    from assistant.feedback import feedback_store

    store = feedback_store(index_settings)
    before = len(store.all())
    page = browser.new_page(viewport={"width": 375, "height": 812})
    page.goto(app_url)
    ask(page, "How do we support staff wellbeing?")
    answered(page, 0)
    assert not page.locator("#feedback-comment").is_visible(), "no comment box before a thumb"
    page.locator("#chat button[aria-label='Like']").last.click()
    page.get_by_text("your feedback was saved").wait_for(timeout=10_000)
    assert page.locator("#feedback-status").is_visible()
    assert page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]')].map((e) => e.id)
        .filter(Boolean); return ids.length - new Set(ids).size; }""") == 0, "every id names one element"
    rows = store.all()
    assert len(rows) == before + 1 and rows[-1]["rating"] == "up" and rows[-1]["comment"] == ""
    page.locator("#feedback-comment textarea").fill("Useful for our team meeting")
    page.locator("#feedback-send").click()
    page.get_by_text("your comment was saved").wait_for(timeout=10_000)
    rows = store.all()
    assert len(rows) == before + 1, "the comment joins the rating; it is not a second rating"
    assert rows[-1]["comment"] == "Useful for our team meeting"
    assert rows[-1]["question"] is None, "question text is not stored unless feedback logging is on"
    assert "kloe" in rows[-1]["sources"]
    page.close()


@pytest.mark.parametrize("kind", ["md", "pdf"])
def test_export_downloads_and_opens(browser, app_url: str, kind: str, tmp_path) -> None:
    page = browser.new_page()
    page.goto(app_url)
    ask(page, "How do we involve people in their own risk assessments?")
    answered(page, 0)
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
    for width in (1280, 375):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(app_url)
        ask(page, "How do we make mealtimes better for people living with dementia?")
        answered(page, 0)
        page.locator("#chat a[href='#source-0-1']").first.click()  # an open source card is checked too
        assert_accessible(page)
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
    answered(page, 0)
    assert "Maple Court handover procedure" in (page.locator("#sources-0").text_content() or "")
    page.locator("#upload-choice input").click()
    page.get_by_role("option", name="Maple Court handover procedure").click()
    # On a phone: the panel's controls fit, pass axe, and removing asks first (cancelling keeps it).
    page.set_viewport_size({"width": 375, "height": 812})
    page.locator("#upload-remove").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "documents-375.png"))
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("#upload-remove").click()
    page.get_by_text("Not removed: Choose a document, then confirm.").wait_for(timeout=30_000)
    assert asked and "no longer cite it" in asked[0]
    assert "Maple Court handover procedure" in page.locator("#upload-list").inner_text()
    page.locator("#upload-choice input").click()
    page.get_by_role("option", name="Maple Court handover procedure").click()
    page.once("dialog", lambda dialog: dialog.accept())  # "Remove this document?"
    page.locator("#upload-remove").click()
    page.get_by_text("Removed.").wait_for(timeout=30_000)
    assert "No documents of the organisation's own yet" in page.locator("#upload-list").inner_text()
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
    page.get_by_text("). Answers can now cite it.").wait_for(timeout=60_000)
    ask(page, "Where is the laundry rota pinned at Kestrel Lodge?")
    answered(page, 0)
    chat = page.locator("#chat")
    assert "![beacon](http://127.0.0.1:9/beacon.png)" in chat.inner_text()
    for where in ("#chat", "#upload-list", "#upload-status"):
        region = page.locator(where)
        assert region.locator("img[src*=':9/']").count() == 0, where
        assert region.locator("a[href*=':9/'], a[href*='127.0.0.1'], a[href^='mailto']").count() == 0, where
        assert region.locator("b").count() == 0 or where == "#chat", where
    assert "[see](http://127.0.0.1:9/t)" in page.locator("#upload-list").inner_text()
    assert not fetched, fetched
    page.locator("#upload-choice input").click()
    page.get_by_role("option").filter(has_text="Rota").first.click()
    page.once("dialog", lambda dialog: dialog.accept())  # "Remove this document?"
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
        page.locator("#chat").get_by_text("python -m assistant index").first.wait_for(timeout=30_000)
        ask(page, "why " * 2_000)
        page.locator("#chat").get_by_text("characters long").first.wait_for(timeout=30_000)
        assert "Traceback" not in page.content()
        assert page.locator(".toast-body, [data-testid='toast-body']").count() == 0, "no toast that vanishes"
        assert not page.locator("#chat .error, #question .error").count(), "nothing else on the page breaks"
        page.close()
    finally:
        served.stop()


def test_the_mode_is_shown(browser, app_url: str) -> None:
    page = browser.new_page()
    page.goto(app_url)
    mode = page.locator("#mode").inner_text()
    assert "without a language model" in mode and "not sent" in mode
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
        assert "SmolLM2-135M-Instruct" in mode and "checked" in mode
        ask(page, "How should staff report concerns about abuse?")
        page.get_by_text("Writing: each sentence appears once it has been checked").first.wait_for(timeout=60_000)
        answered(page, 0, timeout=300_000)
        last = page.locator("#chat .message").last.inner_text()
        assert "Writing:" not in last and "[1]" in last
        assert "and checked: each sentence is supported" in last or "quoted from the guide instead" in last
        page.close()
    finally:
        served.stop()
