"""One turn of a conversation: check the input, resolve a follow-up, retrieve, answer.

``Assistant`` holds nothing about conversations: the history comes in with each call, so any
number of app replicas can serve the same users.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.grounded import compose
from assistant.answer.safety import emergencies, out_of_scope
from assistant.errors import BadInput
from assistant.settings import Settings
from assistant.types import Answer, Filters

KEY_QUESTION_NAMES = ("Safe", "Effective", "Caring", "Responsive", "Well-led")
SERVICE_TYPE_CODES = {"A": "A", "R": "R", "C": "C", "all": "A", "all services": "A", "care homes": "R",
                      "care home": "R", "residential": "R", "care at home": "C", "home care": "C", "community": "C"}

_FOLLOW_UP = re.compile(
    r"^\s*(and|or|but|so|ok|okay|also|what about|how about|any|same|then|give me an example)\b"
    r"|\b(that|those|them|they|there|it|this one|these|him|her)\b",
    re.I,
)


def resolve_follow_up(question: str, history: Sequence[str]) -> str:
    """The text to search with: a follow-up ("and for home care?") borrows its earlier question."""
    if not history:
        return question
    if _FOLLOW_UP.search(question) or len(question.split()) <= 6:
        return f"{history[-1]} {question}"
    return question


def parse_filters(raw: dict[str, object] | None, known_kloes: set[str]) -> Filters:
    """Filters from untrusted input. Raises BadInput naming the allowed values for an unknown one."""
    raw = raw or {}
    unknown = set(raw) - {"service_type", "key_question", "kloe", "doc"}
    if unknown:
        raise BadInput(f"Unknown filter {sorted(unknown)[0]!r}. Use service_type, key_question or kloe.")

    def text(key: str) -> str | None:
        value = raw.get(key)
        if value in (None, "", "any", "Any"):
            return None
        if not isinstance(value, str):
            raise BadInput(f"The {key} filter must be text, not {type(value).__name__}.")
        return value.strip()

    service = text("service_type")
    if service is not None:
        code = SERVICE_TYPE_CODES.get(service) or SERVICE_TYPE_CODES.get(service.lower())
        if code is None:
            raise BadInput(
                f"Unknown service type {service!r}. Use A (all services), R (care homes) or C (care at home)."
            )
        service = code
    kq = text("key_question")
    if kq is not None:
        match = [k for k in KEY_QUESTION_NAMES if k.lower().replace("-", " ") == kq.lower().replace("-", " ")]
        if not match:
            raise BadInput(f"Unknown key question {kq!r}. Use one of: {', '.join(KEY_QUESTION_NAMES)}.")
        kq = match[0]
    kloe = text("kloe")
    if kloe is not None:
        kloe = kloe.upper().replace(" ", "")[:2]
        if kloe not in known_kloes:
            raise BadInput(f"Unknown KLOE {raw.get('kloe')!r}. Use a code such as S1, E2 or W5.")
    return Filters(service_type=service, key_question=kq, kloe=kloe, doc_id=text("doc"))


@dataclass
class Assistant:
    """The whole answer path over one index. Build once per process; ``ask`` is thread-safe to call."""

    settings: Settings

    def __post_init__(self) -> None:
        from assistant.index import IndexReader, load_embedder
        from assistant.retrieve import Retriever

        self.reader = IndexReader(self.settings)
        self.embedder = load_embedder(self.settings.model_path, self.settings.embed_batch_size)
        self.retriever = Retriever(self.reader, self.embedder)

    @property
    def known_kloes(self) -> set[str]:
        return {c.kloe for c in self.reader.chunks if c.kloe}

    def ask(self, question: str, history: Sequence[str] = (), filters: Filters | dict | None = None) -> Answer:
        """Answer one question. Raises BadInput for an empty or over-long question or a bad filter."""
        start = time.perf_counter()
        question = (question or "").strip()
        if not question:
            raise BadInput("Please type a question.")
        if len(question) > self.settings.max_question_chars:
            raise BadInput(
                f"That question is {len(question):,} characters long; please keep it under "
                f"{self.settings.max_question_chars:,} characters, for example by asking about one thing at a time."
            )
        if not isinstance(filters, Filters):
            filters = parse_filters(filters, self.known_kloes)
        history = [h for h in history if isinstance(h, str) and h.strip()][-3:]
        search_text = resolve_follow_up(question, history)
        found = self.retriever.retrieve(question, filters, k=self.settings.top_k, n=self.settings.candidates,
                                        search_text=search_text)
        safety = emergencies(question)
        # Someone describing an emergency gets the guide's passages too, however loosely they match.
        answerable = bool(found.passages) and (bool(safety) or found.best_dense >= self.settings.min_relevance)
        answer = compose(search_text, found.passages, answerable=answerable, safety=safety,
                         scope=out_of_scope(question))
        answer.question = search_text
        answer.latency_ms = round((time.perf_counter() - start) * 1000, 1)
        return answer
