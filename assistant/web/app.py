"""The Gradio web app, thin over ``assistant.chat``: one module per tab, composed here.

``build_app(settings)`` returns the Blocks without starting a server, so tests can build it; the
process that serves it is ``assistant.server``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.settings import Settings, configure_libraries

configure_libraries()  # before Gradio is imported: its analytics switch is read at import time
import gradio as gr  # noqa: E402 - must follow configure_libraries()


def build_app(settings: Settings, make_assistant: Callable[[Settings], Any] | None = None) -> Any:
    """The Blocks app. The assistant (model and index) is loaded on the first question, once."""
    from assistant.chat import Assistant
    from assistant.feedback import feedback_store
    from assistant.web.ask import add_ask_tab
    from assistant.web.browse_tab import add_browse_tab
    from assistant.web.context import WebContext
    from assistant.web.files import ExportFolder
    from assistant.web.prep_tab import add_prep_tab, checklist_store
    from assistant.web.supervision_tab import add_supervision_tab

    feedback = feedback_store(settings)  # connects on first use; a database that is down is no start-up error
    feedback.flush_in_background(settings.feedback_retry_seconds)
    ctx = WebContext(settings, make_assistant or Assistant, feedback, ExportFolder(settings.export_minutes))
    # Gradio's copies of exports, and files uploaded but never added, leave its cache as our exports do.
    with gr.Blocks(title="Care Guide Assistant", delete_cache=(60, int(settings.export_minutes * 60))) as demo:
        gr.Markdown("# Care Guide Assistant\n**In an emergency, call 999.** <span class='about'>Good practice "
                    "from Skills for Care's *Good and outstanding care guide*.</span>", elem_id="page-title")
        # Created outside the tabs: a tab that is not open is not mounted and would not read localStorage.
        checklists = checklist_store(settings)
        with gr.Tabs(elem_id="tabs"):
            add_ask_tab(demo, ctx)
            add_prep_tab(demo, ctx, checklists)
            add_supervision_tab(ctx)
            add_browse_tab(demo, ctx)
    demo.state_session_capacity = settings.web_sessions  # read when the app is mounted
    return demo
