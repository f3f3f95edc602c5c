"""Generated answers: a chat model writes from the numbered passages, each sentence is checked as it
arrives, and the grounded answer is shown instead, with a short note why, when the model fails, is
too slow, or too little of what it wrote holds up.

``Writer.write`` is a generator: it yields ``Draft``s (only sentences that passed the check, for the
web chat to show while the model writes) and returns the final ``Answer``. Safety-first lines and
refusals never reach it: ``chat.py`` answers those on the grounded path.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from typing import Any

from assistant.answer.backends import ConfigError, chat_model, model_name, server_url
from assistant.answer.check import Checker, SentenceStream
from assistant.answer.prompt import build
from assistant.settings import Settings
from assistant.types import Answer, Passage

INSTEAD = "so this answer is quoted from the guide instead"


@dataclass(frozen=True)
class Draft:
    """The checked part of a reply while the model is still writing."""

    text: str  # sentences that passed the check so far, markers at their ends
    kept: int
    dropped: int


class ModelTimeout(Exception):
    pass


def _unreachable(err: BaseException) -> bool:
    """A connection that could not be made (nothing listening, no route, unknown host)."""
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, ConnectionError) or "connect" in type(seen).__name__.lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _timed_out(err: BaseException) -> bool:
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, TimeoutError) or "timeout" in type(seen).__name__.lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class Writer:
    """Writes answers with the chat model the settings choose (loaded on first use, once)."""

    def __init__(self, settings: Settings, model: Any = None) -> None:
        self.settings = settings
        self._model = model
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = chat_model(self.settings)
            return self._model

    @property
    def name(self) -> str:
        return model_name(self.settings)

    def write(self, question: str, resolved: str, passages: list[Passage],
              grounded: Answer) -> Generator[Draft, None, Answer]:
        """Yields drafts while the model writes; returns the checked answer, or ``grounded`` with a note.
        Raises ConfigError when the backend is not set up (a setting or package to fix)."""
        s = self.settings
        prompt = build(question, resolved, passages)
        checker = Checker(prompt.texts, s.llm_min_support)
        cut = SentenceStream()
        try:
            for piece in self._pieces(prompt.messages):
                ready = cut.feed(piece)
                for sentence in ready:
                    checker.check(sentence)
                if ready:
                    yield Draft(checker.text, checker.kept, checker.dropped)
            rest = cut.close()
            for sentence in rest:
                checker.check(sentence)
            if rest:
                yield Draft(checker.text, checker.kept, checker.dropped)
        except ConfigError:
            raise
        except ModelTimeout as late:
            return self._instead(grounded, "timeout", f"The language model did not answer within "
                                                      f"{late.args[0]:g} seconds, {INSTEAD}.")
        except Exception as err:  # whatever the client library raises: the person still gets an answer
            if _timed_out(err):
                return self._instead(grounded, "timeout", f"The language model did not answer in time, {INSTEAD}.")
            if _unreachable(err):
                where = server_url(s) or "its server"
                return self._instead(grounded, "unreachable",
                                     f"The language model at {where} could not be reached, {INSTEAD}.")
            return self._instead(grounded, "error", f"The language model failed ({type(err).__name__}), {INSTEAD}.")
        if not checker.enough(s.llm_min_kept):
            if checker.declined and not checker.kept:
                return self._instead(grounded, "declined", "The language model found no answer in the passages, "
                                                           "so these are the closest passages, quoted.")
            said = checker.kept + checker.dropped
            share = f" ({checker.kept} of {said} sentences)" if said else ""
            return self._instead(grounded, "unsupported", f"Too little of the language model's reply was supported "
                                                          f"by the sources{share}, {INSTEAD}.")
        left_out = (f" {checker.dropped} sentence{'s' if checker.dropped != 1 else ''} that the sources did not "
                    "support were left out." if checker.dropped else "")
        note = (f"Written by {self.name} from the numbered sources and checked: each sentence is supported by "
                f"the source it cites.{left_out}")
        return replace(grounded, text=checker.text, generated=True, fallback="", note=note)

    def _instead(self, grounded: Answer, reason: str, note: str) -> Answer:
        return replace(grounded, generated=False, fallback=reason, note=note)

    def _pieces(self, messages: list[Any]) -> Iterator[str]:
        """The reply's text as it streams, read in a worker thread so that a silent model can be left
        behind: ModelTimeout when nothing arrives for ``llm_timeout`` s or the whole takes longer than
        ``llm_max_seconds``."""
        model = self.model
        box: queue.Queue[tuple[str, Any]] = queue.Queue()
        stop = threading.Event()

        def work() -> None:
            try:
                for chunk in model.stream(messages):
                    if stop.is_set():
                        break  # closes the model's stream, which stops a local model generating
                    box.put(("text", chunk.text))
                box.put(("end", None))
            except BaseException as e:
                box.put(("error", e))

        threading.Thread(target=work, name="llm-reply", daemon=True).start()
        limit = time.monotonic() + self.settings.llm_max_seconds
        try:
            while True:
                left = limit - time.monotonic()
                wait = min(self.settings.llm_timeout, left)
                try:
                    kind, value = box.get(timeout=max(wait, 0.001))
                except queue.Empty:
                    waited = self.settings.llm_timeout if wait < left else self.settings.llm_max_seconds
                    raise ModelTimeout(waited) from None
                if kind == "end":
                    return
                if kind == "error":
                    raise value
                yield value
        finally:
            stop.set()
