"""The Ask tab: a chat first. The conversation fills the screen, the question box sits under it (Enter
sends, Shift+Enter starts a new line), each answer carries its own sources folded under it, and the
thumbs on each answer save a rating at once and then ask for a comment.

Each browser tab keeps its own conversation in ``gr.State`` (on the server); the page's chat is rebuilt
from it on every turn, never from the history a browser sends back, which could name any file of the
server. Text from people and documents is shown as text (``assistant.web.text``). Anything that goes
wrong is one plain sentence in the conversation, never a red badge or a toast that vanishes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.feedback import Feedback
from assistant.kloe import KEY_QUESTIONS
from assistant.services import SERVICE_CHOICES, SERVICE_TYPES
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
ASK_AGAIN = "Ask again, then rate the new answer: that answer is no longer on the page."

Chat = list[dict[str, str]]


def kloe_choices(settings: Settings, key_question: str = "") -> list[tuple[str, str]]:
    """("S3 Safe recruitment; Safe staffing", "S3") ... from the guide's contents list; only the key
    question's own KLOEs when one is chosen, so that the filters cannot contradict each other."""
    from assistant.ingest.corpus import kloe_sections

    letter = next((code for code, name in KEY_QUESTIONS.items() if name == key_question), "")
    titles: dict[str, list[str]] = {}
    for section in kloe_sections(settings.corpus_dir):
        if section.code.startswith(letter):
            titles.setdefault(section.code, []).append(section.title)
    return [("Any KLOE", ""), *((f"{code} {'; '.join(t)}", code) for code, t in titles.items())]


def filters_label(service: Any, key_question: Any, kloe: Any) -> str:
    """The filters' folded panel says what is chosen: "Filters: Care homes · Safe · S4"."""
    name = SERVICE_TYPES.get(service, "") if isinstance(service, str) and service != "A" else ""
    chosen = [c for c in (name, key_question, kloe) if isinstance(c, str) and c]
    return "Filters: " + (" · ".join(chosen) if chosen else "all services, every key question")


def shown_answer(answer: Answer, turn: int | None, sources: str = "") -> str:
    """An answer as the chat shows it: quoted text as text, markers linked to this answer's own cards,
    the note that says who wrote it when a model is configured, then its sources folded under it."""
    shown = answer_markdown(answer.text, turn)
    if answer.note:
        shown += f"\n\n*{as_text(answer.note)}*"
    return f"{shown}\n\n{sources}" if sources else shown


def problem(text: str) -> dict[str, str]:
    """A sentence about something that went wrong, as the assistant's reply in the conversation."""
    return {"role": "assistant", "content": f"**Not answered:** {as_text(text)}"}


class AskHandlers:
    """The tab's events; bound methods, so that Gradio reads their parameters (gr.LikeData) as written."""

    def __init__(self, ctx: WebContext) -> None:
        self.ctx = ctx

    def conversation(self, turns: list[Turn]) -> Chat:
        """The chat as shown, rebuilt from the turns kept on the server, each answer with its sources."""
        try:
            chunks = self.ctx.assistant().reader.chunks
        except AssistantError:
            chunks = []
        guide = self.ctx.guide_doc()
        out: Chat = []
        for i, t in enumerate(turns):
            sources = sources_html(t.answer, chunks, guide, i)
            out += [{"role": "user", "content": as_text(t.question)},
                    {"role": "assistant", "content": shown_answer(t.answer, i, sources)}]
        return out

    def respond_stream(self, message: str, turns: list[Turn], service: str, kq: str, kloe: str
                       ) -> Iterator[tuple[Chat, list[Turn], str]]:
        message = message.strip() if isinstance(message, str) else ""
        turns = [t for t in turns if isinstance(t, Turn)] if isinstance(turns, list) else []
        if not message:
            yield self.conversation(turns), turns, ""
            return
        writing = self.ctx.settings.llm != "grounded"

        def asked() -> Chat:  # the chat so far and the question: shown while a model writes, or with a problem
            return [*self.conversation(turns), {"role": "user", "content": as_text(message[:2000])}]

        if writing:  # the question shows at once; the model's checked sentences follow as they come
            shown = asked()
            yield [*shown, {"role": "assistant", "content": f"*{WRITING}*"}], turns, ""
        answer = None
        try:
            for event in self.ctx.assistant().stream(
                    message, history=[t.question for t in turns],
                    filters={"service_type": service or None, "key_question": kq or None, "kloe": kloe or None}):
                if isinstance(event, Answer):
                    answer = event
                elif writing:
                    draft = answer_markdown(event.text, None) + "\n\n" if event.text else ""
                    yield [*shown, {"role": "assistant", "content": f"{draft}*{WRITING}*"}], turns, ""
        except AssistantError as err:
            # The sentence is the reply; the question stays in the box, to send again once it is put right.
            yield [*asked(), problem(str(err))], turns, message
            return
        assert answer is not None
        turns = [*turns, Turn(message, answer)]
        yield self.conversation(turns), turns, ""

    def respond_once(self, message: str, turns: list[Turn], service: str, kq: str,
                     kloe: str) -> tuple[Chat, list[Turn], str]:
        *_, last = self.respond_stream(message, turns, service, kq, kloe)
        return last

    def starter(self, turns: list[Turn], service: str, kq: str, kloe: str,
                data: gr.SelectData) -> tuple[Chat, list[Turn], str]:
        """A starter question picked in the empty chat: asked at once. Only the list's own questions are
        asked: the browser names one by its place in the list."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) and data.index else data.index
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(STARTERS):
            return self.respond_once("", turns, service, kq, kloe)
        return self.respond_once(STARTERS[index], turns, service, kq, kloe)

    def new_conversation(self) -> tuple[Chat, list[Turn], str, Any, str]:
        return [], [], "", gr.update(visible=False), ""

    def feedback(self, turns: list[Turn], data: gr.LikeData) -> tuple[Any, str, str, str]:
        """A thumb on an answer: the rating is saved at once, then a comment is asked for beside it."""
        # The message index and the rating come from the browser: only a whole number naming an answer counts.
        index = data.index[0] if isinstance(data.index, (list, tuple)) and data.index else data.index
        turns = [t for t in turns if isinstance(t, Turn)] if isinstance(turns, list) else []
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 2 * len(turns) \
                or index % 2 == 0:
            return gr.update(visible=True), ASK_AGAIN, "", ""
        turn = turns[index // 2]
        try:
            receipt = self.ctx.feedback.add(Feedback(
                rating="up" if data.liked is True else "down", comment="", question=turn.question,
                answer=turn.answer))
        except AssistantError as err:
            return gr.update(visible=True), str(err), "", ""
        thanks = receipt.message + " Anything to add? Write it below and press Send comment (optional)."
        return gr.update(visible=True), thanks, receipt.id, ""

    def comment(self, record: str, comment: str) -> tuple[str, str, str]:
        """The comment asked for after a thumb, added to that rating."""
        comment = comment.strip() if isinstance(comment, str) else ""
        if not isinstance(record, str) or not record:
            return "Press a thumb under an answer first; then your comment goes with that rating.", comment, ""
        if not comment:
            return "Write your comment in the box first, then press Send comment.", "", record
        try:
            self.ctx.feedback.add_comment(record, comment)
        except AssistantError as err:
            return str(err), comment, record
        return "Thank you: your comment was saved with your rating.", "", ""

    def export(self, turns: list[Turn], kind: str) -> Any:
        from assistant.tools.export import to_markdown, to_pdf

        turns = [t for t in turns if isinstance(t, Turn)] if isinstance(turns, list) else []
        if not turns:
            gr.Info("Ask a question first: there is nothing to export yet.")
            return gr.update(value=None, visible=False)
        stem = self.ctx.exports.new_path("care-guide-conversation")
        if kind == "pdf":
            return gr.update(value=str(to_pdf(turns, stem.with_suffix(".pdf"))), visible=True)
        stem.with_suffix(".md").write_text(to_markdown(turns), encoding="utf-8")
        return gr.update(value=str(stem.with_suffix(".md")), visible=True)

    def key_question_chosen(self, kq: Any, kloe: Any, service: Any) -> tuple[Any, Any]:
        """The KLOE list follows the key question; a KLOE of another key question is let go."""
        kq = kq if kq in KEY_QUESTIONS.values() else ""
        choices = kloe_choices(self.ctx.settings, kq)
        keep = kloe if any(kloe == value for _, value in choices) else ""
        return gr.update(choices=choices, value=keep), gr.update(label=filters_label(service, kq, keep))

    def kloe_chosen(self, kloe: Any, kq: Any, service: Any) -> tuple[Any, Any]:
        """A KLOE chosen sets its own key question ("Any KLOE" leaves the key question as it is)."""
        code = kloe if isinstance(kloe, str) and kloe[:1] in KEY_QUESTIONS else ""
        kq = kq if kq in KEY_QUESTIONS.values() else ""
        if not code:
            return gr.skip(), gr.update(label=filters_label(service, kq, ""))
        kq = KEY_QUESTIONS[code[0]]
        return gr.update(value=kq, choices=KEY_QUESTION_CHOICES), gr.update(label=filters_label(service, kq, code))


def add_ask_tab(demo: gr.Blocks, ctx: WebContext) -> None:
    """The tab's components and events, inside the caller's ``gr.Tabs``."""
    from assistant.answer.backends import describe
    from assistant.web.documents import add_documents_panel

    settings = ctx.settings
    on = AskHandlers(ctx)
    with gr.Tab("Ask", id="ask", elem_id="tab-ask"):
        turns = gr.State([])
        # No autoscroll: an answer opens at its first line (the page's script scrolls to the question).
        # No copy buttons: each answer holds its source cards; the exports give clean text.
        chat = gr.Chatbot(label="Conversation", show_label=False, elem_id="chat", autoscroll=False, buttons=[],
                          height="calc(100dvh - 330px)", min_height=280,
                          feedback_options=("Like", "Dislike"), examples=[{"text": s} for s in STARTERS],
                          placeholder="**Ask about good practice in adult social care.** Every answer shows the "
                                      "passages it quotes. In an emergency, call 999 first.")
        with gr.Row(elem_id="ask-bar"):
            box = gr.Textbox(label="Your question", show_label=False, lines=1, max_lines=6, submit_btn="Ask",
                             placeholder="Ask a question (Enter sends; Shift+Enter, new line)",
                             elem_id="question", container=False)
        # A Column, not a Group: Gradio gives a Group's id to two nested elements.
        with gr.Column(visible=False, variant="panel", elem_id="feedback") as feedback_panel:
            thanks = gr.Markdown(elem_id="feedback-status")
            comment = gr.Textbox(label="Your comment (optional)", lines=2, max_lines=6, elem_id="feedback-comment")
            send_comment = gr.Button("Send comment", size="sm", elem_id="feedback-send")
        record = gr.State("")
        with gr.Row(elem_id="chat-actions"):
            new = gr.Button("New conversation", size="sm", elem_id="new")
            md_button = gr.Button("Export as Markdown", size="sm", elem_id="export-md")
            pdf_button = gr.Button("Export as PDF", size="sm", elem_id="export-pdf")
        download = gr.File(label="Your export", elem_id="export-file", interactive=False, visible=False)
        with gr.Accordion(filters_label("A", "", ""), open=False, elem_id="filters") as filters, gr.Row():
            service = gr.Dropdown(SERVICE_CHOICES, value="A", label="Service type", elem_id="filter-service")
            key_question = gr.Dropdown(KEY_QUESTION_CHOICES, value="", label="Key question",
                                       elem_id="filter-kq")
            # Its list follows the key question; the value is checked by the assistant itself (a wrong one is a
            # sentence in the chat), not by Gradio against a list that may have just changed.
            kloe = gr.Dropdown(kloe_choices(settings), value="", label="Key line of enquiry (KLOE)",
                               elem_id="filter-kloe", allow_custom_value=True)
        gr.Markdown(describe(settings), elem_id="mode")
        add_documents_panel(demo, ctx)

    # Grounded answers come whole, so Gradio gets a plain function (no streaming state left on the page);
    # with a model, a generator that shows checked sentences as they come.
    respond = on.respond_stream if settings.llm != "grounded" else on.respond_once
    filters_in = [service, key_question, kloe]
    outputs = [chat, turns, box]
    box.submit(respond, [box, turns, *filters_in], outputs, api_name="ask")
    chat.example_select(on.starter, [turns, *filters_in], outputs, api_name=False)
    for clear in (new.click, chat.clear):
        clear(on.new_conversation, None, [chat, turns, box, feedback_panel, record], api_name=False)
    chat.like(on.feedback, turns, [feedback_panel, thanks, record, comment], api_name=False)
    send_comment.click(on.comment, [record, comment], [thanks, comment, record], api_name=False)
    comment.submit(on.comment, [record, comment], [thanks, comment, record], api_name=False)
    md_button.click(lambda t: on.export(t, "md"), turns, download, api_name=False)
    pdf_button.click(lambda t: on.export(t, "pdf"), turns, download, api_name=False)
    key_question.input(on.key_question_chosen, [key_question, kloe, service], [kloe, filters], api_name=False)
    kloe.input(on.kloe_chosen, [kloe, key_question, service], [key_question, filters], api_name=False)
    service.input(lambda s, k, c: gr.update(label=filters_label(s, k, c)), filters_in, filters, api_name=False)
