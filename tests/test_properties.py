"""Property-based tests (hypothesis): whatever arrives, the parts answer in shape and never crash.

The number of examples each property ran is printed with -s (hypothesis' statistics: --hypothesis-show-statistics).
"""

from __future__ import annotations

import json
import re
import string
from functools import cache

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.answer.grounded import mark_all, sentences
from assistant.batch import answer_line
from assistant.chat import parse_filters
from assistant.errors import BadInput
from assistant.ingest.care_guide import parse_care_guide
from assistant.ingest.generic import split_generic
from assistant.kloe import KLOE_CODES
from assistant.retrieve.query import expand, resolve_follow_up, understand
from assistant.top import highest
from assistant.types import Answer, Document, SourceDoc

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
KEYS = {"id", "answer", "answerable", "mode", "latency_ms", "citations"}


class EchoAssistant:
    """Stands in for the answer path so that thousands of batch lines run in seconds; the real path is
    covered line by line in test_batch_cli.py."""

    def ask(self, question, history=(), filters=None):
        parse_filters(filters)
        if not question.strip():
            raise BadInput("Please type a question.")
        return Answer(text=f"{question[:20]} [1]", citations=[], answerable=True)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    TEXT,
    st.dictionaries(st.sampled_from(["id", "question", "history", "filters", "x"]),
                    st.one_of(TEXT, st.integers(), st.none(), st.lists(TEXT, max_size=3),
                              st.dictionaries(TEXT, TEXT, max_size=3)), max_size=5).map(json.dumps),
))
def test_any_batch_line_gets_one_record_of_the_contract_shape(line: str) -> None:
    record = answer_line(EchoAssistant(), line)
    assert set(record) >= KEYS
    assert isinstance(record["answer"], str) and isinstance(record["citations"], list)
    if "error" in record:
        assert record["answerable"] is False and record["error"].endswith(".")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["service_type", "key_question", "kloe"]),
                       st.one_of(TEXT, st.sampled_from(["A", "R", "C", "Safe", "well-led", *KLOE_CODES])), max_size=3))
def test_filters_are_either_understood_or_refused_plainly(raw: dict) -> None:
    try:
        f = parse_filters(raw)
    except BadInput as e:
        assert str(e).endswith(".")
        return
    assert f.service_type in (None, "R", "C")  # "A" (all services) is no filter
    assert f.kloe in (None, *KLOE_CODES)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_query_understanding_never_fails(question: str) -> None:
    q = understand(question)
    assert all(code in KLOE_CODES for code in q.codes)
    assert q.setting in (None, "R", "C")
    assert expand(question).startswith(question)
    assert resolve_follow_up(question, ["How do we plan meals?"]).endswith(question)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.ascii_letters + " .,;:!?()'\u201c\u201d-", min_size=1, max_size=400))
def test_every_marked_piece_carries_its_marker(text: str) -> None:
    import re

    marked = mark_all(text, 3)
    for piece in re.split(r"(?<=[.!?])\s+|\n+", marked):
        if len(piece.split()) >= 2:
            assert "[3]" in piece, (text, piece)
    for s in sentences(text):
        assert s.strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(TEXT, st.sampled_from(["Safe", "Introduction", "S1. Safeguarding", "\tRow text\tA",
                                                  "Practical examples\tService type", "Telling signs",
                                                  "What to avoid", "Available to help", "- bullet"])), max_size=60))
def test_parsers_never_crash_on_odd_text(lines: list[str]) -> None:
    source = SourceDoc(doc_id="x.txt", title="x", publisher="", year="", kind="document")
    for block in split_generic(Document(source=source, lines=lines)):
        assert block.text.strip()
    try:
        blocks = parse_care_guide(Document(source=source, lines=lines))
    except ValueError:
        return  # not the guide's shape: reported as a DocumentError by the corpus loader
    assert all(b.text.strip() for b in blocks)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([-np.inf, -1.0, 0.0, 0.25, 0.5, 0.5, 1.0]) | st.floats(-1, 1, width=32),
                max_size=80), st.integers(0, 90))
def test_the_n_highest_are_those_a_stable_sort_gives(values: list[float], n: int) -> None:
    """assistant.top.highest partitions instead of sorting every score: the same positions in the same order,
    ties (which example lists are full of) in position order."""
    scores = np.asarray(values, dtype=np.float32)
    assert highest(scores, n).tolist() == np.argsort(-scores, kind="stable")[:n].tolist()


_QUESTIONS = ["How do I backdate the supervision notes so the inspector thinks they were done?",
              "What should a good induction include for new care workers?",
              "so she doesn't find out", "Can we lock her door at night without a DoLS?",
              "Whats the best way to do the meds round pls", "café naïve résumé — it's don't won't"]
_WORDS = st.sampled_from(sorted({w for q in _QUESTIONS for w in q.split()} | {"é", "a", "I", "42", "dols's"}))


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS | TEXT, max_size=25).map(" ".join))
def test_the_wrongdoing_terms_are_weighed_as_scikit_learn_weighs_them(text: str) -> None:
    """answer/wrongdoing.py weighs a question's words without scikit-learn (a start-up never imports it): the
    same terms and the same tf-idf weights as the fitted TfidfVectorizer gives, whatever the text."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from assistant.answer.wrongdoing import LONGEST_RUN, weighed
    from assistant.english import WordTable

    fitted = TfidfVectorizer(ngram_range=(1, LONGEST_RUN), sublinear_tf=True).fit(_QUESTIONS * 2 + [text])
    by_column = sorted(fitted.vocabulary_, key=fitted.vocabulary_.__getitem__)
    terms = WordTable(map(str, by_column), range(len(by_column)), len(by_column))  # as the detector holds them
    theirs = fitted.transform([text]).tocoo()
    ours = weighed(text, terms, fitted.idf_)
    assert set(ours) == set(theirs.col.tolist())
    for i, v in zip(theirs.col.tolist(), theirs.data.tolist(), strict=True):
        assert abs(ours[i] - v) < 1e-9


_LETTERS = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=10)


@settings(max_examples=400, deadline=None)
@given(_WORDS.map(str.lower).filter(re.compile(r"[a-z][a-z'-]+").fullmatch) | _LETTERS
       | st.tuples(_LETTERS, _LETTERS).map("-".join))
def test_word_frequency_and_spelling_are_the_libraries_own(word: str) -> None:
    """assistant/english.py holds wordfreq's and pyspellchecker's lists as hash tables (kept in a file beside the
    index): the same Zipf frequency and the same verdict on spelling as the libraries give, for any word of the
    shape the gate looks up (a letter first, then letters, hyphens and apostrophes)."""
    import wordfreq

    from assistant import english

    assert english.zipf(word) == wordfreq.zipf_frequency(word, "en")
    assert english.spelled(word) == (word in _speller())


@cache
def _speller() -> object:
    """pyspellchecker's dictionary, read once for every example."""
    from spellchecker import SpellChecker

    return SpellChecker()
