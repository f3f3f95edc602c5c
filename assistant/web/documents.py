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

    def view(self, request: gr.Request) -> tuple[str, Any, Any]:
        docs = Uploads(self.settings).documents()
        manage = gr.update(visible=self.is_admin(request))
        if not docs:
            return "No documents of the organisation's own yet.", gr.update(choices=[], value=None), manage
        lines = [f"- **{as_text(d.title)}** ({as_text(d.file)}, {d.chunks} passages), added "
                 f"{time.strftime('%d %B %Y', time.localtime(d.added))}"
                 + (f" by {as_text(d.added_by)}" if d.added_by else "") for d in docs]
        return "\n".join(lines), gr.update(choices=[(d.title, d.doc_id) for d in docs], value=None), manage

    def add(self, path: Any, title: str, request: gr.Request) -> tuple[str, str, Any, None, str]:
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
                else f"Added '{shown}' ({added.chunks} passages). Answers can now cite it.")
        listing, choices, _ = self.view(request)
        return note, listing, choices, None, ""

    def remove(self, doc_id: Any, request: gr.Request) -> tuple[str, str, Any]:
        if not self.is_admin(request):
            raise gr.Error("Only an administrator can remove the organisation's documents.", print_exception=False)
        if not isinstance(doc_id, str) or not doc_id:
            raise gr.Error("Choose a document to remove.", print_exception=False)
        done = Uploads(self.settings).remove(doc_id)
        listing, choices, _ = self.view(request)
        return ("Removed." if done else "That document was already gone."), listing, choices


def add_documents_panel(demo: gr.Blocks, ctx: WebContext) -> None:
    settings = ctx.settings
    on = DocumentHandlers(ctx)
    with gr.Accordion("Your organisation's documents (policies, procedures)", open=False, elem_id="documents"):
        gr.Markdown(
            "Answers cite your organisation's own policies and procedures beside the guide, under their own title. "
            "Everyone who uses this assistant is answered from them, so only an administrator adds or removes one"
            + (": sign in as one to see the controls." if login_pairs(settings) else
               ". This assistant has no sign-in: whoever runs it adds documents on the server with "
               "`python -m assistant documents add FILE`.")
            + (" With several servers, a document is cited only by the server that stored it."
               if settings.chroma_url else ""))
        doc_list = gr.Markdown(elem_id="upload-list")
        with gr.Group(visible=False, elem_id="upload-manage") as manage:
            upload = gr.File(label=f"Document to add ({FORMATS}, up to "
                                   f"{settings.max_upload_mb} MB; only its passages are kept)",
                             file_types=sorted(SUPPORTED), type="filepath", elem_id="upload-file")
            doc_title = gr.Textbox(label="Title to cite it by (optional)", elem_id="upload-title")
            add_button = gr.Button("Add document", elem_id="upload-add")
            upload_status = gr.Markdown(elem_id="upload-status")
            with gr.Row():
                doc_choice = gr.Dropdown(label="Document to remove", choices=[], elem_id="upload-choice")
                remove_button = gr.Button("Remove document", elem_id="upload-remove")
    add_button.click(on.add, [upload, doc_title], [upload_status, doc_list, doc_choice, upload, doc_title],
                     api_name=False)
    remove_button.click(on.remove, doc_choice, [upload_status, doc_list, doc_choice], api_name=False)
    demo.load(on.view, None, [doc_list, doc_choice, manage], api_name=False)
