"""The page's own theme, style and script: system fonts (nothing fetched from a font service; one font
for every letter), colours that pass axe, a chat that fits a phone, and markers that open their own
answer's source card."""

from __future__ import annotations

from typing import Any

from assistant.web.checklist_view import CSS as CHECKLIST_CSS
from assistant.web.guide_pages import BLOCK_CSS

SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def theme() -> Any:
    """Gradio's default theme with the fonts this computer already has: the default asks Google Fonts
    for its typeface, which a locked-down office PC cannot reach (so letters came in two fonts) and which
    would tell a third party that the page was opened."""
    import gradio as gr

    return gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS)


CSS = """
button.primary, #ask, #question .submit-button { background: #1d4f91 !important; border-color: #1d4f91 !important;
  color: #fff !important; }
#page-title { margin: 0; border: none !important; padding: 0 4px !important; }
#page-title h1 { font-size: 1.25rem; margin: 0 0 2px; }
#page-title p { margin: 0; font-size: 0.9rem; }
@media (max-width: 640px) { #page-title .about { display: none; } #page-title h1 { font-size: 1.1rem; } }
#mode, #mode p { font-size: 0.85rem; color: #444; }
#chat .message-wrap .prose p { margin: 0.3em 0 !important; }
#chat .message-wrap .prose ul { margin: 0.1em 0 0.4em !important; padding-left: 1.2em; }
#chat .message-wrap .prose li { margin: 0.15em 0 !important; }
#chat .message-wrap .prose li p { margin: 0 !important; }
#chat .message-row.bot-row { max-width: 100% !important; }
#chat .message-row.bot-row .message, #chat .message-row.bot-row .flex-wrap { max-width: 100% !important; }
#chat .message-row.user-row { max-width: 90% !important; }
/* The conversation is sized to the screen (ask.py), so the question box sits on the first screen under it.
   Not sticky: a bar pinned to the screen's foot covered the lists that open below the filters. */
#ask-bar { padding: 0; }
#question { margin: 0 !important; padding: 4px 6px !important; min-height: 0 !important; display: flex;
  align-items: center; }
#question label { flex: 1 1 auto; }
#question .sr-only { position: absolute !important; }
#question textarea { font-size: 1rem; }
#filters > button { padding-top: 6px; padding-bottom: 6px; }
#chat .message-wrap .prose ul li::marker { color: #555; }
#chat .answer-sources { margin-top: 10px; border-top: 1px solid #c8c8c8; padding-top: 6px; }
#chat .answer-sources > summary { cursor: pointer; font-weight: 600; color: #1d4f91; }
#feedback { padding: 8px; }
#upload-file .or { color: #4a4a4a; }  /* the upload box's "- or -", too faint for axe */
#upload-remove { background: #a61b1b !important; border-color: #a61b1b !important; color: #fff !important; }
#chat-actions button { flex: 1 1 auto; min-width: 0; }
@media (max-width: 640px) {
  .tabitem { padding-left: 0 !important; padding-right: 0 !important; }
  #tabs button[role="tab"] { padding: 6px 7px !important; font-size: 0.95rem; }
  #chat-actions { gap: 4px; }
  #chat-actions button { font-size: 0.8rem; padding: 4px 6px; }
}
.source-card { border: 1px solid #8a8a8a; border-radius: 6px; padding: 8px 10px; margin: 6px 0; }
.source-card summary { cursor: pointer; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; background: #1d4f91; color: #fff;
         font-size: 0.85em; margin-right: 4px; }
.source-text { white-space: pre-wrap; margin-top: 6px; }
.show-in-guide { margin-top: 8px; }
.show-in-guide .context, .show-in-guide .context-cited { white-space: pre-wrap; margin: 6px 0; padding-left: 8px;
  border-left: 3px solid #c8c8c8; }
.show-in-guide .context-cited { border-left-color: #1d4f91; }
.show-in-guide mark { background: #fff3b0; color: #111; }
button[role="tab"].selected, button[role="tab"][aria-selected="true"] { color: #1d4f91 !important; }
""" + BLOCK_CSS + CHECKLIST_CSS


# Gradio scopes CSS inside its app's container: the page's own margins are set from the head instead.
HEAD = """<style>
.gradio-container .main.fillable { padding-top: 6px !important; }
@media (max-width: 640px) { .gradio-container .main.fillable { padding: 4px 6px 0 !important; } }
</style>"""

# Clicking a marker such as [2] in an answer opens that answer's source card 2 (unfolding its sources)
# and scrolls to it. A new answer is shown from its start: the chat scrolls to the question it answers.
CITE_JS = """
() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#source-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const card = document.getElementById(link.getAttribute('href').slice(1));
    if (!card) return;
    const folded = card.closest('details.answer-sources');
    if (folded) folded.open = true;
    const details = card.querySelector('details');
    if (details) details.open = true;
    card.scrollIntoView({behavior: 'smooth', block: 'center'});
    const summary = card.querySelector('summary');
    if (summary) summary.focus({preventScroll: true});
  }, true);
  let answers = 0;
  const showNewAnswer = () => {
    const chat = document.querySelector('#chat');
    if (!chat) return;
    // Gradio names each message by its raw text, HTML and all; the text itself is what should be read.
    chat.querySelectorAll('[data-testid="bot"][aria-label], [data-testid="user"][aria-label]')
      .forEach((el) => el.removeAttribute('aria-label'));
    // The starter questions' box claims a list role without list items: its buttons speak for themselves.
    chat.querySelectorAll('.examples[role]').forEach((el) => el.removeAttribute('role'));
    const bots = chat.querySelectorAll('.message-row.bot-row');
    if (bots.length === answers) return;
    const grew = bots.length > answers;
    answers = bots.length;
    if (!grew) return;
    // After Gradio has laid the new messages out (it renders in the next frames).
    const scroll = () => {
      const asked = chat.querySelectorAll('.message-row.user-row');
      const top = asked.length ? asked[asked.length - 1] : bots[bots.length - 1];
      const box = top.closest('.bubble-wrap');
      if (box) box.scrollTop += top.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
      const where = chat.getBoundingClientRect();
      if (where.top < 0 || where.bottom > window.innerHeight + 40) chat.scrollIntoView({block: 'start'});
    };
    setTimeout(scroll, 50);
    // The last scroll, then the page says how many answers it has shown (the browser tests wait for it).
    const shown = answers;
    setTimeout(() => { scroll(); document.body.dataset.answersShown = String(shown); }, 400);
  };
  new MutationObserver(showNewAnswer).observe(document.body, {childList: true, subtree: true});
  // An empty file box is labelled with no role (axe: a label on a plain div is not announced): an image.
  const nameEmpty = () => document.querySelectorAll('div.empty[aria-label]:not([role])')
    .forEach((el) => el.setAttribute('role', 'img'));
  new MutationObserver(nameEmpty).observe(document.body, {childList: true, subtree: true});
}
"""
