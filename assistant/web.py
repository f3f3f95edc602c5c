"""The Gradio web chat, thin over ``assistant.chat``.

Each browser session keeps its own conversation in ``gr.State``; the server keeps none, so several
replicas can serve the same users. Text from users and documents is escaped before it is shown.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from assistant.browse import BLOCK_CSS
from assistant.errors import AssistantError
from assistant.ingest.loaders import SUPPORTED
from assistant.kloe import KEY_QUESTIONS
from assistant.settings import Settings, configure_libraries
from assistant.types import SERVICE_TYPES, Answer, BlockKind, Chunk, Citation
from assistant.web_files import ExportFolder
from assistant.web_text import answer_markdown, as_text

configure_libraries()  # before Gradio is imported: its analytics switch is read at import time
import gradio as gr  # noqa: E402 - must follow configure_libraries()

STARTERS = [
    "What do I do if I think a colleague is taking money from a resident?",
    "What will the inspector look for under Well-led?",
    "A supervision session on dignity in personal care: examples and discussion points",
]
SERVICE_CHOICES = [("Any service", ""), *((name, code) for code, name in SERVICE_TYPES.items())]
KEY_QUESTION_CHOICES = [("Any key question", ""), *((k, k) for k in KEY_QUESTIONS.values())]

CSS = """
button.primary, #ask { background: #1d4f91 !important; border-color: #1d4f91 !important; color: #fff !important; }
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
""" + BLOCK_CSS


# Clicking a marker such as [2] in the latest answer opens source card 2 and scrolls to it.
CITE_JS = """
() => {
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#source-"]');
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const card = document.getElementById(link.getAttribute('href').slice(1));
    if (!card) return;
    const details = card.querySelector('details');
    if (details) details.open = true;
    card.scrollIntoView({behavior: 'smooth', block: 'center'});
    const summary = card.querySelector('summary');
    if (summary) summary.focus({preventScroll: true});
  }, true);
  // Gradio's table nests its tick boxes in a role=button wrapper and leaves them unnamed, and labels a
  // lock icon with no role: repair both so that screen readers announce each tick with its item.
  const nameTicks = () => {
    document.querySelectorAll('#prep-table .wrapper[aria-label]:not([role]), div.empty[aria-label]:not([role])')
      .forEach((el) => el.setAttribute('role', 'img'));
    document.querySelectorAll('#prep-table .select-all-checkbox[role], #prep-table .bool-cell[role]')
      .forEach((el) => {
        el.removeAttribute('role');
        el.removeAttribute('aria-label');
        const box = el.querySelector('input[type="checkbox"]');
        if (!box) return;
        if (el.classList.contains('select-all-checkbox')) {
          box.setAttribute('aria-label', 'Tick every item');
          return;
        }
        const cell = el.closest('[data-testid^="cell-"]');
        const row = cell ? cell.getAttribute('data-testid').split('-')[1] : '';
        const item = document.querySelector(`#prep-table [data-testid="cell-${row}-2"]`);
        box.setAttribute('aria-label', 'Done: ' + (item ? item.innerText.trim().slice(0, 80) : 'this item'));
      });
  };
  new MutationObserver(nameTicks).observe(document.body,
    {childList: true, subtree: true, attributes: true, attributeFilter: ['role']});
}
"""
# Shown under a reply while the model writes: nothing unchecked is ever on the page.
WRITING = "Writing: each sentence appears once it has been checked against the source it cites ..."
def _kind_label(block_type: str) -> str:
    try:
        return BlockKind(block_type).label
    except ValueError:
        return block_type


def context_html(c: Citation, chunks: list[Chunk]) -> str:
    """The cited passage highlighted among its neighbours: the whole KLOE or front-matter section of the
    guide, or the passages around it in another document."""
    same_doc = [x for x in chunks if x.doc_id == c.doc]
    in_section = c.kloe or c.section
    around = [x for x in same_doc if (x.kloe, x.section) == (c.kloe, c.section)] if in_section else same_doc
    around.sort(key=lambda x: x.line_start)
    at = next((i for i, x in enumerate(around) if x.text == c.text), None)
    if at is None:
        return ""
    window = around[max(0, at - 8): at + 9]
    parts = []
    for x in window:
        body = html.escape(x.text)
        label = html.escape(x.kind.label)
        if x.text == c.text:
            parts.append(f'<div class="context-cited"><small>{label}</small><br><mark>{body}</mark></div>')
        else:
            parts.append(f'<div class="context"><small>{label}</small><br>{body}</div>')
    return f'<details class="show-in-guide"><summary>Show in the guide</summary>{"".join(parts)}</details>'


def guide_link(c: Citation, guide_doc: str | None) -> str:
    """A link to the cited passage's place on the guide's browse pages (guide citations only)."""
    m = re.match(r"lines? (\d+)", c.location)
    if not guide_doc or c.doc != guide_doc or not m:
        return ""
    return (f'<p class="open-in-guide"><a href="/guide/at/{m.group(1)}" target="_blank" rel="noopener">'
            "Open in the guide (its section, in order)</a></p>")


def citation_html(c: Citation, chunks: list[Chunk] | None = None, guide_doc: str | None = None) -> str:
    """One source card: what it is, where it comes from, the whole passage on expand, and the passage in
    its surrounding section ("show in the guide")."""
    e = html.escape
    where = f"{c.kloe} {c.kloe_title}" if c.kloe else (c.section or "")
    badges = [f'<span class="badge">{e(c.key_question)}</span>'] if c.key_question else []
    if c.service_type:
        badges.append(f'<span class="badge">{e(SERVICE_TYPES.get(c.service_type, c.service_type))}</span>')
    provider = f" · {e(c.provider)}" if c.provider else ""
    return (
        f'<div class="source-card" id="source-{c.n}"><details><summary><strong>[{c.n}]</strong> '
        f"{''.join(badges)}{e(where)} — {e(_kind_label(c.block_type))}{provider}<br>"
        f"<small>{e(c.title)} ({e(c.publisher)}), {e(c.location)}</small></summary>"
        f'<div class="source-text">{e(c.text)}</div>{context_html(c, chunks or [])}{guide_link(c, guide_doc)}'
        "</details></div>"
    )


def sources_html(answer: Answer | None, chunks: list[Chunk] | None = None, guide_doc: str | None = None) -> str:
    if answer is None or not answer.citations:
        return ""
    return "<h3>Sources</h3>" + "".join(citation_html(c, chunks, guide_doc) for c in answer.citations)


def kloe_choices(settings: Settings) -> list[tuple[str, str]]:
    """("S3 Safe recruitment; Safe staffing", "S3") ... from the guide's contents list."""
    from assistant.ingest.corpus import kloe_sections

    titles: dict[str, list[str]] = {}
    for section in kloe_sections(settings.corpus_dir):
        titles.setdefault(section.code, []).append(section.title)
    return [("Any KLOE", ""), *((f"{code} {'; '.join(t)}", code) for code, t in titles.items())]


def build_app(settings: Settings, make_assistant: Callable[[Settings], Any] | None = None) -> Any:
    """The Blocks app. The assistant (model and index) is loaded on the first question, once."""
    from dataclasses import asdict
    from pathlib import Path

    from assistant.answer.backends import describe
    from assistant.chat import Assistant
    from assistant.export import to_markdown, to_pdf
    from assistant.feedback import Feedback, feedback_store
    from assistant.web_tools import add_tabs, checklist_store

    make = make_assistant or Assistant
    holder: dict[str, Any] = {}
    lock = threading.Lock()
    exports = ExportFolder(settings.export_minutes)
    feedback = feedback_store(settings)  # connects on first use; a database that is down is no start-up error
    feedback.flush_in_background(settings.feedback_retry_seconds)

    def assistant() -> Any:
        with lock:
            if "a" not in holder:
                holder["a"] = make(settings)
            return holder["a"]

    def shown_answer(text: str, note: str, linked: bool) -> str:
        """An answer as the chat shows it: quoted text as text, markers linked (latest answer only: the cards
        on the page are its), and with a model configured, the note that says who wrote it and that it was
        checked, or why the guide's own words are shown instead."""
        shown = answer_markdown(text, linked)
        return f"{shown}\n\n*{as_text(note)}*" if note else shown

    def conversation(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
        """The chat as shown, rebuilt from the turns kept on the server: nothing the browser sends back is
        ever shown again (a chat history from a client could carry a reference to any file of the server)."""
        out: list[dict[str, str]] = []
        for i, t in enumerate(turns):
            out += [{"role": "user", "content": as_text(t["question"])},
                    {"role": "assistant", "content": shown_answer(t["answer"], t["note"], i == len(turns) - 1)}]
        return out

    def guide_doc() -> str | None:
        from assistant.guide import load_guide

        try:
            return load_guide(settings.corpus_dir).source.doc_id
        except AssistantError:
            return None

    def respond_stream(message: str, turns: list[dict[str, Any]], service: str, kq: str, kloe: str
                       ) -> Iterator[tuple[list[dict[str, str]], list[dict[str, Any]], str, Any]]:
        message = message if isinstance(message, str) else ""
        message = message.strip()
        turns = turns if isinstance(turns, list) else []
        if not message:
            yield conversation(turns), turns, "", gr.skip()
            return
        asked = [*conversation(turns), {"role": "user", "content": as_text(message)}]
        writing = settings.llm != "grounded"
        if writing:  # the question shows at once; the model's checked sentences follow as they come
            yield [*asked, {"role": "assistant", "content": f"*{WRITING}*"}], turns, "", gr.skip()
        answer = None
        try:
            for event in assistant().stream(message, history=[t["question"] for t in turns],
                                            filters={"service_type": service or None, "key_question": kq or None,
                                                     "kloe": kloe or None}):
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
        turn = {"question": message, "answer": answer.text, "citations": [asdict(c) for c in answer.citations],
                "mode": answer.mode, "generated": answer.generated, "note": answer.note}
        try:
            chunks = assistant().reader.chunks
        except AssistantError:
            chunks = []
        turns = [*turns, turn]
        yield conversation(turns), turns, "", sources_html(answer, chunks, guide_doc())

    def respond_once(message: str, turns: list[dict[str, Any]], service: str, kq: str,
                     kloe: str) -> tuple[list[dict[str, str]], list[dict[str, Any]], str, Any]:
        *_, last = respond_stream(message, turns, service, kq, kloe)
        return last

    # Grounded answers come whole, so Gradio gets a plain function (no streaming state left on the page);
    # with a model, a generator that shows checked sentences as they come.
    respond = respond_stream if settings.llm != "grounded" else respond_once

    def give_feedback(turns: list[dict[str, Any]], comment: str, data: gr.LikeData) -> tuple[str, str]:
        # The message index and the rating come from the browser: only a whole number naming an answer counts.
        index = data.index[0] if isinstance(data.index, (list, tuple)) and data.index else data.index
        if not turns or isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < 2 * len(turns):
            raise gr.Error("That answer is no longer on the page: ask again, then rate the new answer.",
                           print_exception=False)
        turn = turns[index // 2]
        comment = comment.strip()[:2000] if isinstance(comment, str) else ""
        try:
            receipt = feedback.add(Feedback(
                rating="up" if data.liked is True else "down", comment=comment, question=turn["question"],
                answer=turn["answer"], citations=tuple(turn["citations"])))
        except AssistantError as err:
            raise gr.Error(str(err), print_exception=False) from None
        return receipt.message, ""

    def is_admin(request: gr.Request | None) -> bool:
        name = getattr(request, "username", None) if request is not None else None
        return bool(name) and name in settings.admin_names

    def documents_view(request: gr.Request) -> tuple[str, Any, Any]:
        from assistant.uploads import Uploads

        docs = Uploads(settings).documents()
        admin = is_admin(request)
        manage = gr.update(visible=admin)
        if not docs:
            return "No documents of the organisation's own yet.", gr.update(choices=[], value=None), manage
        lines = [f"- **{as_text(d.title)}** ({as_text(d.file)}, {d.chunks} passages), added "
                 f"{time.strftime('%d %B %Y', time.localtime(d.added))}"
                 + (f" by {as_text(d.added_by)}" if d.added_by else "") for d in docs]
        return "\n".join(lines), gr.update(choices=[(d.title, d.doc_id) for d in docs], value=None), manage

    def uploaded_file(path: Any) -> Path:
        """The file the browser uploaded: only a file in Gradio's own upload folder is accepted, whatever
        path a client names."""
        from gradio.utils import get_upload_folder

        folder = Path(get_upload_folder()).resolve()
        found = Path(path).resolve() if isinstance(path, str) and path else None
        if found is None or not found.is_relative_to(folder) or not found.is_file():
            raise gr.Error("Choose a file to add first.", print_exception=False)
        return found

    def add_document(path: Any, title: str, request: gr.Request) -> tuple[str, str, Any, None, str]:
        from assistant.uploads import Uploads

        if not is_admin(request):
            raise gr.Error("Only an administrator can add the organisation's documents.", print_exception=False)
        found = uploaded_file(path)
        try:
            if found.stat().st_size > settings.max_upload_mb * 1024 * 1024:
                raise gr.Error(f"The file is larger than {settings.max_upload_mb} MB: upload a smaller file, or "
                               "split the document.", print_exception=False)
            data = found.read_bytes()
        finally:
            # Gradio keeps uploads in its cache and would serve them back by URL: only the passages are kept.
            found.unlink(missing_ok=True)
        try:
            added = Uploads(settings).add(found.name, data, title if isinstance(title, str) else "",
                                          added_by=request.username or "")
        except AssistantError as err:
            raise gr.Error(str(err), print_exception=False) from None
        shown = as_text(added.title)
        note = (f"'{shown}' was already added; nothing changed." if added.duplicate
                else f"Added '{shown}' ({added.chunks} passages). Answers can now cite it.")
        listing, choices, _ = documents_view(request)
        return note, listing, choices, None, ""

    def remove_document(doc_id: Any, request: gr.Request) -> tuple[str, str, Any]:
        from assistant.uploads import Uploads

        if not is_admin(request):
            raise gr.Error("Only an administrator can remove the organisation's documents.", print_exception=False)
        if not isinstance(doc_id, str) or not doc_id:
            raise gr.Error("Choose a document to remove.", print_exception=False)
        done = Uploads(settings).remove(doc_id)
        listing, choices, _ = documents_view(request)
        return ("Removed." if done else "That document was already gone."), listing, choices

    def export(turns: list[dict[str, Any]], kind: str) -> str:
        if not turns:
            raise gr.Error("Ask a question first: there is nothing to export yet.", print_exception=False)
        stem = exports.new_path("care-guide-conversation")
        if kind == "pdf":
            return str(to_pdf(turns, stem.with_suffix(".pdf")))
        stem.with_suffix(".md").write_text(to_markdown(turns), encoding="utf-8")
        return str(stem.with_suffix(".md"))

    # Gradio's copies of exports, and files uploaded but never added, leave its cache as our exports do.
    with gr.Blocks(title="Care Guide Assistant", delete_cache=(60, int(settings.export_minutes * 60))) as demo:
        gr.Markdown(
            "# Care Guide Assistant\nAnswers on good practice in adult social care from Skills for Care's "
            "*Good and outstanding care guide*. Every answer shows its sources: open a source to read the passage. "
            "**In an emergency, call 999.**"
        )
        checklists = checklist_store(settings)
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab("Ask", id="ask", elem_id="tab-ask"):
                gr.Markdown(f"**Mode: {settings.llm}.** {describe(settings)}", elem_id="mode")
                turns = gr.State([])
                with gr.Row():
                    service = gr.Dropdown(SERVICE_CHOICES, value="", label="Service type", elem_id="filter-service")
                    key_question = gr.Dropdown(KEY_QUESTION_CHOICES, value="", label="Key question",
                                               elem_id="filter-kq")
                    kloe = gr.Dropdown(kloe_choices(settings), value="", label="Key line of enquiry (KLOE)",
                                       elem_id="filter-kloe")
                chat = gr.Chatbot(label="Conversation", height=420, feedback_options=("Like", "Dislike"),
                                  elem_id="chat",
                                  buttons=["copy", "copy_all"])
                box = gr.Textbox(label="Your question", placeholder="Ask about good practice, e.g. " + STARTERS[0],
                                 lines=2, max_lines=6, elem_id="question")
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="ask")
                    new = gr.Button("New conversation", elem_id="new")
                gr.Examples(STARTERS, inputs=box, label="Try one of these")
                sources = gr.HTML(elem_id="sources")
                with gr.Accordion("Feedback and export", open=False, elem_id="tools"):
                    comment = gr.Textbox(label="Comment on an answer (optional): type it, then press the thumbs up "
                                               "or down "
                                               "under that answer", lines=2, elem_id="feedback-comment")
                    status = gr.Markdown(elem_id="feedback-status")
                    with gr.Row():
                        md_button = gr.Button("Export conversation as Markdown", elem_id="export-md")
                        pdf_button = gr.Button("Export conversation as PDF", elem_id="export-pdf")
                    download = gr.File(label="Your export", elem_id="export-file", interactive=False)
                with gr.Accordion("Your organisation's documents (policies, procedures)", open=False,
                                  elem_id="documents"):
                    gr.Markdown(
                        "Answers cite your organisation's own policies and procedures beside the guide, under their "
                        "own title. Everyone who uses this assistant is answered from them, so only an "
                        "administrator adds or removes one"
                        + (": sign in as one to see the controls." if login_pairs(settings) else
                           ". This assistant has no sign-in: whoever runs it adds documents on the server with "
                           "`python -m assistant documents add FILE`.")
                        + (" With several servers, a document is cited only by the server that stored it."
                           if settings.chroma_url else ""))
                    doc_list = gr.Markdown(elem_id="upload-list")
                    with gr.Group(visible=False, elem_id="upload-manage") as manage:
                        upload = gr.File(label=f"Document to add (PDF, Word, text, Markdown or HTML, up to "
                                               f"{settings.max_upload_mb} MB; only its passages are kept)",
                                         file_types=sorted(SUPPORTED), type="filepath", elem_id="upload-file")
                        doc_title = gr.Textbox(label="Title to cite it by (optional)", elem_id="upload-title")
                        add_button = gr.Button("Add document", elem_id="upload-add")
                        upload_status = gr.Markdown(elem_id="upload-status")
                        with gr.Row():
                            doc_choice = gr.Dropdown(label="Document to remove", choices=[], elem_id="upload-choice")
                            remove_button = gr.Button("Remove document", elem_id="upload-remove")

            add_tabs(demo, settings, assistant, checklists)

        inputs = [box, turns, service, key_question, kloe]
        outputs = [chat, turns, box, sources]
        send.click(respond, inputs, outputs, api_name="ask")
        box.submit(respond, inputs, outputs, api_name=False)
        new.click(lambda: ([], [], "", ""), None, outputs, api_name=False)
        chat.like(give_feedback, [turns, comment], [status, comment], api_name=False)
        md_button.click(lambda t: export(t, "md"), turns, download, api_name=False)
        pdf_button.click(lambda t: export(t, "pdf"), turns, download, api_name=False)
        add_button.click(add_document, [upload, doc_title], [upload_status, doc_list, doc_choice, upload, doc_title],
                         api_name=False)
        remove_button.click(remove_document, doc_choice, [upload_status, doc_list, doc_choice], api_name=False)
        demo.load(documents_view, None, [doc_list, doc_choice, manage], api_name=False)
    return demo


def launch(settings: Settings, *, build_first: bool = True) -> None:
    """Build the index if it is missing or stale (with a progress bar), then serve the web chat and the
    OpenAI-compatible API from one process. Raises AssistantError when the port cannot be used."""
    import socket
    import sys

    import uvicorn

    from assistant.server import build_server

    logins = login_pairs(settings)  # checked before anything slow, so a typo fails fast
    if build_first and not settings.chroma_url:
        # With a Chroma server, replicas must not race to build: run `python -m assistant index` once.
        from assistant.index import build_index

        print("Checking the index ...", file=sys.stderr)
        report = build_index(settings, log=lambda m: print(m, file=sys.stderr))
        print(report.summary(), file=sys.stderr)
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not logins:
        print(f"Warning: listening on {settings.host} lets other machines reach the app without a login: set "
              "ASSISTANT_AUTH or ASSISTANT_AUTH_FILE, or put it behind a proxy that asks for one.", file=sys.stderr)
    with socket.socket() as probe:
        # as uvicorn does: a port left in TIME_WAIT by an app just stopped is free to use again
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((settings.host, settings.port))
            port = int(probe.getsockname()[1])
        except OSError as e:
            raise AssistantError(f"The web app cannot listen on {settings.host}:{settings.port} ({e.strerror}). "
                                 "Another program may be using that port: set ASSISTANT_PORT or use --port.") from None
    app = build_server(settings)
    print(f"Open http://{settings.host}:{port} in your browser; the OpenAI-compatible API is at "
          f"http://{settings.host}:{port}/v1 (Ctrl-C to stop).", file=sys.stderr)
    level = settings.log_level.lower()
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Access logs carry request paths only: questions travel in request bodies, which are never logged.
    uvicorn.run(app, host=settings.host, port=port, log_level=level)


def login_pairs(settings: Settings) -> list[tuple[str, str]]:
    """(user, password) pairs from ASSISTANT_AUTH and ASSISTANT_AUTH_FILE; empty = no login.

    Raises AssistantError for a malformed entry, naming where it is but never the password."""
    entries = [(f"ASSISTANT_AUTH entry {i}", e) for i, e in enumerate(settings.auth.split(","), 1) if e.strip()]
    if settings.auth_file is not None:
        try:
            lines = settings.auth_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise AssistantError(f"The login file {settings.auth_file} cannot be read ({e.__class__.__name__}). "
                                 "Check ASSISTANT_AUTH_FILE.") from None
        entries += [(f"line {i} of {settings.auth_file}", line) for i, line in enumerate(lines, 1)
                    if line.strip() and not line.lstrip().startswith("#")]
    pairs = []
    for where, entry in entries:
        # Spaces around names and passwords are dropped; a colon inside a password is kept.
        user, sep, password = (part.strip() for part in entry.partition(":"))
        if not sep or not user or not password:
            raise AssistantError(f"The login in {where} is not 'user:password'. Fix it, or unset the login.")
        pairs.append((user, password))
    return pairs
