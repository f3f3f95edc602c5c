"""The screenshots in docs/, taken from a running app at 1280 and 375 px with Debian's chromium.

    .venv/bin/python -m assistant serve --port 7961 &
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:7961 [--login admin:password]

Each state is a page a person meets: the empty chat, an answer with a source opened from its
marker, an emergency, one the guide speaks only around, a question that cannot be answered as asked,
a section summed up from its code, someone held face down who says he cannot breathe, a care worker
threatened at a visit, a knife waved at staff, a question in everyday words answered from the questions answered before,
a question whose best match is a warning (the warnings, then what to do), heavy bleeding (an emergency
the documents do not cover), a concern (the guide's rows on speaking up after the answer's first paragraph),
a rating with its comment box, a checklist being worked through, a supervision
plan with its record, the guide, and the documents panel (as an administrator when --login names one).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

DOCS = Path(__file__).resolve().parent.parent / "docs"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
WIDTHS = {1280: 900, 375: 812}


def ask(page: Page, question: str, turn: int) -> None:
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    # The page says how many answers it has shown (an answer that declines has no sources to wait for).
    page.wait_for_function(f"Number(document.body.dataset.answersShown || 0) >= {turn + 1}", timeout=90_000)


def shoot(page: Page, name: str, width: int) -> None:
    page.wait_for_timeout(600)  # Gradio's own transitions
    page.screenshot(path=str(DOCS / f"{name}-{width}.png"))
    print(f"docs/{name}-{width}.png")


def open_page(browser, url: str, width: int, login: str | None) -> Page:
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]})
    page.goto(url)
    if login:
        user, _, password = login.partition(":")
        page.get_by_label("username").fill(user)
        page.get_by_label("password").fill(password)
        page.get_by_role("button", name="Login").click()
    page.locator("#question textarea").wait_for(timeout=30_000)
    return page


def chat(page: Page, width: int) -> None:
    shoot(page, "chat-empty", width)
    ask(page, "How do we make mealtimes better for people living with dementia?", 0)
    shoot(page, "chat-answer", width)
    page.locator("#chat a[href='#source-0-1']").first.click()
    page.locator("#source-0-1").scroll_into_view_if_needed()
    shoot(page, "chat-source", width)
    page.locator("#chat button[aria-label='Like']").last.click()
    page.locator("#feedback-comment textarea").wait_for(timeout=30_000)
    page.locator("#feedback").scroll_into_view_if_needed()
    shoot(page, "chat-feedback", width)
    page.locator("#new").click()
    page.wait_for_timeout(800)
    ask(page, "A resident has collapsed and is not breathing", 0)
    shoot(page, "chat-emergency", width)
    for name, question in (("chat-around", "a resident is choking on her dinner and going blue"),
                           ("chat-declined", "Who is supposed to sign it off?"),
                           ("chat-summary", "Can you give me a quick rundown of R3 for a team huddle?"),
                           ("chat-held", "two staff have got a resident pinned face down and he's saying he "
                                         "can't breathe"),
                           ("chat-threatened", "her son stood in the doorway shouting and threatened me, "
                                               "i'm too scared to go back in"),
                           ("chat-everyday", "one of my ladies barely touches her lunch, what should i actually "
                                             "be doing about it?"),
                           ("chat-weapon", "a residents son is in reception shouting and waving a knife at staff"),
                           ("chat-warned", "Staff eat lunch in front of residents waiting for theirs. Is that poor "
                                           "practice?"),
                           ("chat-bleeding", "the skin tear on her shin has soaked through two dressings and won't "
                                             "stop bleeding, she's on warfarin"),
                           ("chat-concern", "What do I do if I think a colleague is taking money from a resident?")):
        page.locator("#new").click()
        page.wait_for_timeout(800)
        ask(page, question, 0)
        if name == "chat-around":  # the line that says the guide speaks only around it, once the page
            page.wait_for_timeout(800)  # has opened the answer at its first line
            page.get_by_text("around it, the guide says").last.scroll_into_view_if_needed()
        if name == "chat-concern":  # the guide's rows on speaking up, after the answer's first paragraph
            page.wait_for_timeout(800)
            page.get_by_text("If you are worried about how someone is treated").last.scroll_into_view_if_needed()
        shoot(page, name, width)


def checklist(page: Page, width: int) -> None:
    page.get_by_role("tab", name="Inspection").click()
    page.locator("#prep-scope input").fill("W2 Gov")
    page.get_by_role("option", name="W2 Governance").click()
    page.get_by_label("Care home").check()
    page.locator("#prep-make").click()
    page.wait_for_function("document.querySelector('#prep-status').innerText.includes(' done')", timeout=60_000)
    items = page.locator("#prep-list .cl-section").first.locator(".cl-item:not(.cl-warning)")
    items.nth(0).get_by_role("checkbox").check()
    items.nth(0).locator("textarea").fill("Governance meeting minutes, March (office, blue file)")
    items.nth(2).get_by_role("checkbox").check()
    page.wait_for_function("document.querySelector('#prep-status').innerText.trim().startsWith('2 of')",
                           timeout=30_000)
    page.locator("#prep-status").scroll_into_view_if_needed()
    shoot(page, "checklist", width)
    page.locator("#prep-list .cl-warning").first.scroll_into_view_if_needed()
    shoot(page, "checklist-warning", width)


def supervision(page: Page, width: int) -> None:
    page.get_by_role("tab", name="Supervision").click()
    page.locator("#sup-topic textarea, #sup-topic input").first.fill("dignity in personal care")
    page.get_by_label("Care at home").first.check()
    page.locator("#sup-make").click()
    page.wait_for_function("document.querySelector('#sup-preview').innerText.includes('Discussion questions')",
                           timeout=90_000)
    shoot(page, "supervision", width)


def guide(page: Page, width: int) -> None:
    page.get_by_role("tab", name="Guide").click()
    page.locator("#browse-html").wait_for(timeout=30_000)
    shoot(page, "guide", width)


def documents(page: Page, width: int) -> None:
    page.get_by_role("tab", name="Ask").click()
    page.locator("#documents").click()
    page.locator("#upload-list").scroll_into_view_if_needed()
    shoot(page, "documents", width)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--login", help="user:password of an administrator, for the documents panel's controls")
    args = parser.parse_args()
    DOCS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for width in WIDTHS:
            for state in (chat, checklist, supervision, guide, documents):
                page = open_page(browser, args.url, width, args.login)
                state(page, width)
                page.close()
        browser.close()


if __name__ == "__main__":
    main()
