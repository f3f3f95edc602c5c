"""The web app in a real browser: Debian's chromium driven by Playwright against the app on a free port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.settings import Settings
from tests.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, free_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(index_settings: Settings, assistant) -> Iterator[str]:
    from assistant.web import CSS, build_app

    demo = build_app(index_settings, make_assistant=lambda _settings: assistant)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


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
    card.locator("summary").click()
    text = card.locator(".source-text").inner_text()
    assert len(text) > 40
    assert "Good and outstanding care guide" in page.locator("#sources").inner_text()
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
