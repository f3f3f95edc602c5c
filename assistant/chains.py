"""LangChain-native parts: the hybrid retriever as a ``BaseRetriever`` and the answer path as a Runnable.

For care groups with their own LangChain code::

    from assistant.chains import CareGuideRetriever, answer_chain
    docs = CareGuideRetriever(k=4, service_type="C").invoke("How do we plan end of life care?")
    answer = answer_chain().invoke({"question": "And for care homes?", "history": ["How do we plan end of life care?"]})

Both load the model and index once per process and per settings, and never reach the internet.
"""

from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import ConfigDict, Field

from assistant.chat import Assistant, parse_filters
from assistant.settings import Settings, configure_libraries
from assistant.types import Answer, Citation

_assistants: dict[str, Assistant] = {}
_lock = threading.Lock()


def shared_assistant(settings: Settings) -> Assistant:
    """One Assistant per distinct settings in this process (the model and index load once)."""
    key = settings.model_dump_json()
    with _lock:
        if key not in _assistants:
            configure_libraries()
            _assistants[key] = Assistant(settings)
        return _assistants[key]


def to_document(citation: Citation) -> Document:
    """A citation as a LangChain Document: the passage as content, every citation field as metadata."""
    meta = {k: v for k, v in asdict(citation).items() if k != "text"}
    return Document(page_content=citation.text, metadata=meta, id=f"{citation.doc}:{citation.location}")


class CareGuideRetriever(BaseRetriever):
    """Dense + BM25 retrieval over the care guide and related documents, with citation metadata.

    ``k``, ``service_type`` ("A", "R", "C"), ``key_question`` ("Safe" ... "Well-led"), ``kloe`` ("S1" ...)
    and ``history`` (earlier questions, for follow-ups) can be set on the retriever or per call:
    ``retriever.invoke("...", k=3, kloe="S4")``.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    settings: Settings = Field(default_factory=Settings)
    k: int = 6
    service_type: str | None = None
    key_question: str | None = None
    kloe: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        assistant = shared_assistant(self.settings)
        filters = parse_filters({
            "service_type": kwargs.get("service_type", self.service_type),
            "key_question": kwargs.get("key_question", self.key_question),
            "kloe": kwargs.get("kloe", self.kloe),
        })
        k = int(kwargs.get("k", self.k))
        history = [h for h in kwargs.get("history") or [] if isinstance(h, str)]
        retriever = assistant.retriever
        found = retriever.retrieve(retriever.read(query, history), filters, k=k, n=max(self.settings.candidates, k))
        return [to_document(Citation.from_passage(n, p)) for n, p in enumerate(found.passages, start=1)]


def answer_chain(settings: Settings | None = None) -> Runnable[Any, Answer]:
    """The whole answer path as a Runnable: a question (str) or {"question", "history", "filters"} in,
    an ``Answer`` (text, citations, answerable, mode, latency_ms) out."""
    assistant = shared_assistant(settings or Settings())

    def run(value: Any) -> Answer:
        if isinstance(value, str):
            return assistant.ask(value)
        return assistant.ask(value["question"], value.get("history") or [], value.get("filters"))

    return RunnableLambda(run, name="care_guide_answer")
