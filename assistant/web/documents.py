"""The organisation's documents panel: listed for everyone, added and removed only by an administrator.

The controls are hidden unless the signed-in user is named in ``ASSISTANT_ADMINS``, and every handler
checks the role again, since a hidden event can still be called.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.index.uploads import Uploads
from assistant.ingest.loaders import FORMATS, SUPPORTED
from assistant.logins import login_pairs
from assistant.web.context import WebContext
from assistant.web.text import as_text

REMOVE_CONFIRM = """(doc) => (doc && window.confirm(
  'Remove this document? Answers will no longer cite it, for everyone who uses the assistant.')) ? doc : null"""


def _passages(n: int) -> str:
    return f"{n} passage" if n == 1 else f"{n} passages"


def uploaded_file(path: Any) -> Path:
    """The file the browser uploaded: only a file in Gradio's own upload folder is accepted, whatever path a
    client names."""
    from gradio.utils import get_upload_folder

    folder = Path(get_upload_folder()).resolve()
    found = Path(path).resolve() if isinstance(path, str) and path else None
    if found is None or not found.is_relative_to(folder) or not found.is_file():
        raise gr.Error("Choose a file to add first.", print_exception=False)
    return found


class DocumentHandlers:
    def __init__(self, ctx: WebContext) -> None:
        self.settings = ctx.settings

    def is_admin(self, request: gr.Request | None) -> bool:
        name = getattr(request, "username", None) if request is not None else None
        return bool(name) and name in self.settings.admin_names

    def view(self, request: gr.Request) -> tuple[str, Any, Any, str]:
        docs = Uploads(self.settings).documents()
        admin = self.is_admin(request)
        manage = gr.update(visible=admin)
        intro = self.intro(admin)
        if not docs:
            return "No documents of the organisation's own yet.", gr.update(choices=[], value=None), manage, intro
        lines = [f"- **{as_text(d.title)}** ({as_text(d.file)}, {_passages(d.chunks)}), "
                 f"added {time.strftime('%d %B %Y', time.localtime(d.added))}"
                 + (f" by {as_text(d.added_by)}" if d.added_by else "") for d in docs]
        return "\n".join(lines), gr.update(choices=[(d.title, d.doc_id) for d in docs], value=None), manage, intro

    def intro(self, admin: bool) -> str:
        """What the panel is for, said to the person reading it: an administrator is told what adding does."""
        said = ("Answers cite your organisation's own policies and procedures beside the guide, under their own "
                "title. Everyone who uses this assistant is answered from them")
        if admin:
            said += (". You are an administrator: a document you add here is cited in everyone's answers, and one "
                     "you remove is no longer cited.")
        elif login_pairs(self.settings):
            said += ", so only an administrator adds or removes one: sign in as one to see the controls."
        else:
            said += (", so only an administrator adds or removes one. This assistant has no sign-in: whoever runs "
                     "it adds documents on the server with `python -m assistant documents add FILE`.")
        if self.settings.chroma_url:
            said += " With several servers, a document is cited only by the server that stored it."
        return said

    def add(self, path: Any, title: Any, request: gr.Request) -> tuple[Any, ...]:
        """Add the uploaded file; a refusal is one sentence under the button, with the file kept to try again."""
        try:
            return self._add(path, title, request)
        except gr.Error as err:
            return f"**Not added:** {err.message}", gr.update(), gr.update(), gr.update(), gr.update()

    def _add(self, path: Any, title: Any, request: gr.Request) -> tuple[Any, ...]:
        if not self.is_admin(request):
            raise gr.Error("Only an administrator can add the organisation's documents.", print_exception=False)
        found = uploaded_file(path)
        limit = self.settings.max_upload_mb
        try:
            if found.stat().st_size > limit * 1024 * 1024:
                raise gr.Error(f"The file is larger than {limit} MB: upload a smaller file, or split the document.",
                               print_exception=False)
            data = found.read_bytes()
        finally:
            # Gradio keeps uploads in its cache and would serve them back by URL: only the passages are kept.
            found.unlink(missing_ok=True)
        try:
            added = Uploads(self.settings).add(found.name, data, title if isinstance(title, str) else "",
                                               added_by=request.username or "")
        except AssistantError as err:
            raise gr.Error(str(err), print_exception=False) from None
        shown = as_text(added.title)
        note = (f"'{shown}' was already added; nothing changed." if added.duplicate
                else f"Added '{shown}' ({_passages(added.chunks)}). Answers can now cite it.")
        listing, choices, _, _ = self.view(request)
        return note, listing, choices, None, ""

    def remove(self, doc_id: Any, request: gr.Request) -> tuple[Any, ...]:
        if not self.is_admin(request):
            return "**Not removed:** Only an administrator can remove the organisation's documents.", \
                gr.update(), gr.update()
        if not isinstance(doc_id, str) or not doc_id:
            return "**Not removed:** Choose a document, then confirm.", gr.update(), gr.update()
        done = Uploads(self.settings).remove(doc_id)
        listing, choices, _, _ = self.view(request)
        return ("Removed." if done else "That document was already gone."), listing, choices


def add_documents_panel(demo: gr.Blocks, ctx: WebContext) -> None:
    settings = ctx.settings
    on = DocumentHandlers(ctx)
    with gr.Accordion("Your organisation's documents (policies, procedures)", open=False, elem_id="documents"):
        intro = gr.Markdown(on.intro(False), elem_id="documents-intro")
        doc_list = gr.Markdown(elem_id="upload-list")
        # A Column, not a Group: Gradio gives a Group's id to two nested elements.
        with gr.Column(visible=False, variant="panel", elem_id="upload-manage") as manage:
            upload = gr.File(label=f"Document to add ({FORMATS}, up to "
                                   f"{settings.max_upload_mb} MB; only its passages are kept)",
                             file_types=sorted(SUPPORTED), type="filepath", elem_id="upload-file")
            doc_title = gr.Textbox(label="Title to cite it by (optional)", elem_id="upload-title")
            add_button = gr.Button("Add document", elem_id="upload-add")
            upload_status = gr.Markdown(elem_id="upload-status")
            # One above the other, so that on a phone the document's title is not cut to fit beside the button.
            doc_choice = gr.Dropdown(label="Document to remove", choices=[], elem_id="upload-choice")
            remove_button = gr.Button("Remove document", variant="stop", elem_id="upload-remove")
    add_button.click(on.add, [upload, doc_title], [upload_status, doc_list, doc_choice, upload, doc_title],
                     api_name=False)
    # Answers stop citing a removed document for everyone, so the browser asks first; cancelling sends nothing.
    remove_button.click(on.remove, doc_choice, [upload_status, doc_list, doc_choice], api_name=False,
                        js=REMOVE_CONFIRM)
    demo.load(on.view, None, [doc_list, doc_choice, manage, intro], api_name=False)
