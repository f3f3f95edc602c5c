"""What every part of the web app shares: the settings, the assistant (loaded on the first question),
the feedback store, the export folder and the checklist state kept in the browser."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.errors import AssistantError
from assistant.feedback import FeedbackStore
from assistant.settings import Settings
from assistant.web.files import ExportFolder


@dataclass
class WebContext:
    settings: Settings
    make_assistant: Callable[[Settings], Any]
    feedback: FeedbackStore
    exports: ExportFolder
    _held: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def assistant(self) -> Any:
        """The assistant (model and index), made on first use, once."""
        with self._lock:
            if "a" not in self._held:
                self._held["a"] = self.make_assistant(self.settings)
            return self._held["a"]

    def guide_doc(self) -> str | None:
        """The guide's document id, for links to its browse pages (None when it cannot be read)."""
        from assistant.tools.guide import load_guide

        try:
            return load_guide(self.settings.corpus_dir).source.doc_id
        except AssistantError:
            return None
