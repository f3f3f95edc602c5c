"""The LangChain-native parts on the real index, including LangChain's own standard retriever suite."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.chains import CareGuideRetriever, answer_chain
from assistant.settings import Settings
from assistant.types import Answer

CITATION_FIELDS = {"n", "doc", "title", "publisher", "key_question", "kloe", "kloe_title", "block_type",
                   "service_type", "provider", "location", "score", "section"}


class TestCareGuideRetrieverStandard(RetrieversIntegrationTests):
    """LangChain's standard retriever tests, run against the real index built for this session."""

    settings: Settings | None = None

    @pytest.fixture(autouse=True)
    def _index(self, index_settings: Settings) -> None:
        type(self).settings = index_settings

    @property
    def retriever_constructor(self) -> type[CareGuideRetriever]:
        return CareGuideRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"k": 2, "settings": self.settings}

    @property
    def retriever_query_example(self) -> str:
        return "How should we support staff after a medication error?"


def test_documents_carry_every_citation_field(index_settings: Settings) -> None:
    docs = CareGuideRetriever(settings=index_settings, k=4).invoke("What does good end of life care look like?")
    assert len(docs) == 4 and all(isinstance(d, Document) for d in docs)
    for d in docs:
        assert set(d.metadata) >= CITATION_FIELDS and d.page_content
    assert docs[0].metadata["kloe"] == "R3" and docs[0].metadata["title"] == "Good and outstanding care guide"


def test_filters_on_the_retriever_and_per_call(index_settings: Settings) -> None:
    r = CareGuideRetriever(settings=index_settings, k=5, service_type="C")
    docs = r.invoke("Examples of supporting people to eat well")
    assert docs and all(d.metadata["service_type"] in ("C", "A", None) for d in docs)
    per_call = r.invoke("How do we store medicines safely?", kloe="S4", k=3)
    assert len(per_call) == 3 and all(d.metadata["kloe"] == "S4" for d in per_call)


async def test_async_retrieval_matches_sync(index_settings: Settings) -> None:
    r = CareGuideRetriever(settings=index_settings, k=3)
    q = "How can we reduce loneliness for people who rarely get visitors?"
    assert [d.page_content for d in await r.ainvoke(q)] == [d.page_content for d in r.invoke(q)]


def test_answer_chain_is_a_runnable(index_settings: Settings) -> None:
    chain = answer_chain(index_settings)
    answer = chain.invoke({"question": "Any examples from home care?",
                           "history": ["What does good end of life care look like?"]})
    assert isinstance(answer, Answer) and answer.answerable and "[1]" in answer.text
    assert answer.citations[0].kloe == "R3"
    batch = chain.batch(["What is whistleblowing?", "What's the National Living Wage this year?"])
    assert batch[0].answerable and not batch[1].answerable
