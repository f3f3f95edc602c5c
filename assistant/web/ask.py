"""The Ask tab: the conversation, its filters, sources, feedback and export.

Each browser tab keeps its own conversation in ``gr.State`` (on the server); the page's chat is rebuilt
from it on every turn, never from the history a browser sends back, which could name any file of the
server. Text from people and documents is shown as text (``assistant.web.text``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.feedback import Feedback
from assistant.kloe import KEY_QUESTIONS
from assistant.services import SERVICE_CHOICES
from assistant.settings import Settings
from assistant.types import Answer, Turn
from assistant.web.context import WebContext
from assistant.web.render import sources_html
from assistant.web.text import answer_markdown, as_text

STARTERS = [
    "What do I do if I think a colleague is taking money from a resident?",
    "What will the inspector look for under Well-led?",
    "A supervision session on dignity in personal care: examples and discussion points",
]
KEY_QUESTION_CHOICES = [("Any key question", ""), *((k, k) for k in KEY_QUESTIONS.values())]
# Shown under a reply while the model writes: nothing unchecked is ever on the page.
WRITING = "Writing: each sentence appears once it has been checked against the source it cites ..."

Chat = list[dict[str, str]]


def kloe_choices(settings: Settings) -> list[tuple[str, str]]:
    """("S3 Safe recruitment; Safe staffing", "S3") ... from the guide's contents list."""
    from assistant.ingest.corpus import kloe_sections

    titles: dict[str, list[str]] = {}
    for section in kloe_sections(settings.corpus_dir):
        titles.setdefault(section.code, []).append(section.title)
    return [("Any KLOE", ""), *((f"{code} {'; '.join(t)}", code) for code, t in titles.items())]


def shown_answer(text: str, note: str, linked: bool) -> str:
    """An answer as the chat shows it: quoted text as text, markers linked (latest answer only: the cards
    on the page are its), and with a model configured, the note that says who wrote it and that it was
    checked, or why the guide's own words are shown instead."""
    shown = answer_markdown(text, linked)
    return f"{shown}\n\n*{as_text(note)}*" if note else shown


def conversation(turns: list[Turn]) -> Chat:
    """The chat as shown, rebuilt from the turns kept on the server."""
    out: Chat = []
    for i, t in enumerate(turns):
        out += [{"role": "user", "content": as_text(t.question)},
                {"role": "assistant", "content": shown_answer(t.answer.text, t.answer.note, i == len(turns) - 1)}]
    return out


class AskHandlers:
    """The tab's events; bound methods, so that Gradio reads their parameters (gr.LikeData) as written."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx

    def respond_stream(self, message: str, turns: list[Turn], service: str, kq: str, kloe: str
                       ) -> Iterator[tuple[Chat, list[Turn], str, Any]]:
        message = message.strip() if isinstance(message, str) else ""
        turns = [t for t in turns if isinstance(t, Turn)] if isinstance(turns, list) else []
        if not message:
            yield conversation(turns), turns, "", gr.skip()
            return
        asked = [*conversation(turns), {"role": "user", "content": as_text(message)}]
        writing = self.ctx.settings.llm != "grounded"
        if writing:  # the question shows at once; the model's checked sentences follow as they come
            yield [*asked, {"role": "assistant", "content": f"*{WRITING}*"}], turns, "", gr.skip()
        answer = None
        try:
            for event in self.ctx.assistant().stream(
                    message, history=[t.question for t in turns],
                    filters={"service_type": service or None, "key_question": kq or None, "kloe": kloe or None}):
                if isinstance(event, Answer):
                    answer = event
                elif writing:
                    draft = answer_markdown(event.text) + "\n\n" if event.text else ""
                    yield [*asked, {"role": "assistant", "content": f"{draft}*{WRITING}*"}], turns, "", gr.skip()
        except AssistantError as err:
            if writing:
                yield conversation(turns), turns, message, gr.skip()  # the question goes back, nothing half-shown
            raise gr.Error(str(err), print_exception=False) from None
        assert answer is not None
        try:
            chunks = self.ctx.assistant().reader.chunks
        except AssistantError:
            chunks = []
        turns = [*turns, Turn(message, answer)]
        yield conversation(turns), turns, "", sources_html(answer, chunks, self.ctx.guide_doc())

    def respond_once(self, message: str, turns: list[Turn], service: str, kq: str,
                     kloe: str) -> tuple[Chat, list[Turn], str, Any]:
        *_, last = self.respond_stream(message, turns, service, kq, kloe)
        return last

    def feedback(self, turns: list[Turn], comment: str, data: gr.LikeData) -> tuple[str, str]:
        # The message index and the rating come from the browser: only a whole number naming an answer counts.
        index = data.index[0] if isinstance(data.index, (list, tuple)) and data.index else data.index
        if not turns or isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 2 * len(turns):
            raise gr.Error("That answer is no longer on the page: ask again, then rate the new answer.",
                           print_exception=False)
        turn = turns[index // 2]
        comment = comment.strip()[:2000] if isinstance(comment, str) else ""
        try:
            receipt = self.ctx.feedback.add(Feedback(
                rating="up" if data.liked is True else "down", comment=comment, question=turn.question,
                answer=turn.answer))
        except AssistantError as err:
            raise gr.Error(str(err), print_exception=False) from None
        return receipt.message, ""

    def export(self, turns: list[Turn], kind: str) -> str:
        from assistant.tools.export import to_markdown, to_pdf

        if not turns:
            raise gr.Error("Ask a question first: there is nothing to export yet.", print_exception=False)
        stem = self.ctx.exports.new_path("care-guide-conversation")
        if kind == "pdf":
            return str(to_pdf(turns, stem.with_suffix(".pdf")))
        stem.with_suffix(".md").write_text(to_markdown(turns), encoding="utf-8")
        return str(stem.with_suffix(".md"))


def add_ask_tab(demo: gr.Blocks, ctx: WebContext) -> None:
    """The Ask tab's components and events, inside the caller's ``gr.Tabs``."""
    from assistant.answer.backends import describe
    from assistant.web.documents import add_documents_panel

    settings = ctx.settings
    on = AskHandlers(ctx)
    with gr.Tab("Ask", id="ask", elem_id="tab-ask"):
        gr.Markdown(f"**Mode: {settings.llm}.** {describe(settings)}", elem_id="mode")
        turns = gr.State([])
        with gr.Row():
            service = gr.Dropdown(SERVICE_CHOICES, value="A", label="Service type", elem_id="filter-service")
            key_question = gr.Dropdown(KEY_QUESTION_CHOICES, value="", label="Key question", elem_id="filter-kq")
            kloe = gr.Dropdown(kloe_choices(settings), value="", label="Key line of enquiry (KLOE)",
                               elem_id="filter-kloe")
        chat = gr.Chatbot(label="Conversation", height=420, feedback_options=("Like", "Dislike"), elem_id="chat",
                          buttons=["copy", "copy_all"])
        box = gr.Textbox(label="Your question", placeholder="Ask about good practice, e.g. " + STARTERS[0],
                         lines=2, max_lines=6, elem_id="question")
        with gr.Row():
            send = gr.Button("Ask", variant="primary", elem_id="ask")
            new = gr.Button("New conversation", elem_id="new")
        gr.Examples(STARTERS, inputs=box, label="Try one of these")
        sources = gr.HTML(elem_id="sources")
        with gr.Accordion("Feedback and export", open=False, elem_id="tools"):
            comment = gr.Textbox(label="Comment on an answer (optional): type it, then press the thumbs up or down "
                                       "under that answer", lines=2, elem_id="feedback-comment")
            status = gr.Markdown(elem_id="feedback-status")
            with gr.Row():
                md_button = gr.Button("Export conversation as Markdown", elem_id="export-md")
                pdf_button = gr.Button("Export conversation as PDF", elem_id="export-pdf")
            download = gr.File(label="Your export", elem_id="export-file", interactive=False)
        add_documents_panel(demo, ctx)

    # Grounded answers come whole, so Gradio gets a plain function (no streaming state left on the page);
    # with a model, a generator that shows checked sentences as they come.
    respond = on.respond_stream if settings.llm != "grounded" else on.respond_once
    inputs = [box, turns, service, key_question, kloe]
    outputs = [chat, turns, box, sources]
    send.click(respond, inputs, outputs, api_name="ask")
    box.submit(respond, inputs, outputs, api_name=False)
    new.click(lambda: ([], [], "", ""), None, outputs, api_name=False)
    chat.like(on.feedback, [turns, comment], [status, comment], api_name=False)
    md_button.click(lambda t: on.export(t, "md"), turns, download, api_name=False)
    pdf_button.click(lambda t: on.export(t, "pdf"), turns, download, api_name=False)
