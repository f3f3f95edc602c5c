"""Which files the web app may read or hand out, and how long the files it makes are kept.

Gradio copies any file named in an event's values into its cache and serves it by URL. It checks that a
file is one it may serve only for an app it launched itself (``processing_utils._check_allowed`` returns
at once when ``blocks.has_launched`` is false, as it always is for an app mounted on FastAPI), and even
then it allows the working directory and the whole temp folder. ``guard_gradio_files`` replaces that
check with a narrow one: a value a browser sends may name only a file it uploaded (Gradio's upload
folder), and a value the app returns only a file this app made (its export folders). The app's own
handlers never hand a client's value back either (see ``assistant.web``); this is the second wall.

Exports (conversations, checklists, plans) are written to one folder per process and deleted once they
are ``export_minutes`` old; folders that earlier runs left behind are cleared at start.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
import time
import uuid
from pathlib import Path

PREFIX = "care-guide-exports-"
_allowed: set[Path] = set()
_lock = threading.Lock()


def _inside(path: Path, folders: set[Path]) -> bool:
    return any(path == f or path.is_relative_to(f) for f in folders)


def guard_gradio_files() -> None:
    """Put the narrow check in place of Gradio's own (idempotent; for every Blocks of this process)."""
    from gradio import processing_utils, utils
    from gradio.exceptions import InvalidPathError

    if getattr(processing_utils._check_allowed, "care_guide", False):
        return

    def check(path: str | Path, check_in_upload_folder: bool) -> None:
        found = Path(utils.abspath(path)).resolve()
        uploads = Path(utils.get_upload_folder()).resolve()
        allowed = {uploads} if check_in_upload_folder else {uploads, *_allowed}
        if not _inside(found, allowed):
            raise InvalidPathError("This file cannot be used here: only files uploaded through this page are.")

    check.care_guide = True  # type: ignore[attr-defined]
    processing_utils._check_allowed = check


class ExportFolder:
    """Where this process writes files for people to download; each is deleted once ``minutes`` old."""

    def __init__(self, minutes: float) -> None:
        self.seconds = minutes * 60
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX)).resolve()
        with _lock:
            _allowed.add(self.path)

    def new_path(self, stem: str) -> Path:
        """A fresh path (without a suffix) for one export, after the expired ones are deleted."""
        self.sweep()
        return self.path / f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"

    def sweep(self) -> None:
        cutoff = time.time() - self.seconds
        for old in self.path.glob("*"):
            with contextlib.suppress(FileNotFoundError):  # another request's sweep got there first
                if old.stat().st_mtime < cutoff:
                    old.unlink()


def clear_leftovers(minutes: float) -> int:
    """Delete export folders earlier runs left in the temp folder (a replica's live folder holds files newer
    than ``minutes``, and is kept). Returns how many folders were removed."""
    cutoff = time.time() - minutes * 60
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(PREFIX + "*"):
        with _lock:
            if folder.resolve() in _allowed:
                continue
        files = [f for f in folder.rglob("*") if f.is_file()]
        if all(f.stat().st_mtime < cutoff for f in files):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
