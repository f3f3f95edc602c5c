"""One turn of a conversation: safety first, check the input, resolve a follow-up, retrieve, answer.

``Assistant`` holds nothing about conversations: the history comes in with each call, so any
number of app replicas can serve the same users. Safety-first lines never depend on the index: a
message describing an emergency gets them even when the knowledge base cannot be reached (only a
misspelt one, "chokking", needs the index's words to be recognised).
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from assistant import english, patterns
from assistant.answer import answerable, askable, concern, gate, then_and_now, wrongdoing
from assistant.answer.grounded import (
    answering_first,
    compose,
    declined,
    figure_given,
    follow_up_weights,
    prepare,
    setting_first,
    term_weights,
    terms,
)
from assistant.answer.safety import emergencies, out_of_scope, situations
from assistant.errors import AssistantError, BadInput
from assistant.ingest.loaders import newest_year
from assistant.kloe import KEY_QUESTIONS, KLOE_CODES
from assistant.retrieve.query import figures_stated, lead_words, supposes, understand
from assistant.services import parse_service
from assistant.settings import Settings
from assistant.types import Answer, Chunk, Filters, Passage

if TYPE_CHECKING:  # loaded with the retriever, on first use
    from assistant.retrieve.fusion import Asked

KEY_QUESTION_NAMES = tuple(KEY_QUESTIONS.values())
# Asked once at start-up by a server (never logged): it goes through the whole path, spelling and gate.
WARM_UP = "How do good services keep people safe?"
FILTER_KEYS = ("service_type", "key_question", "kloe", "doc")

def parse_filters(raw: dict[str, object] | None) -> Filters:
    """Filters from untrusted input. Raises BadInput naming the allowed values for an unknown one."""
    raw = raw or {}
    unknown = set(raw) - set(FILTER_KEYS)
    if unknown:
        raise BadInput(f"Unknown filter {sorted(unknown)[0]!r}. Use service_type, key_question, kloe or doc.")

    def text(key: str) -> str | None:
        value = raw.get(key)
        if value in (None, "", "any", "Any"):
            return None
        if not isinstance(value, str):
            raise BadInput(f"The {key} filter must be text, not {type(value).__name__}.")
        return value.strip()

    service = parse_service(text("service_type"))
    kq = text("key_question")
    if kq is not None:
        match = [k for k in KEY_QUESTION_NAMES if k.lower().replace("-", " ") == kq.lower().replace("-", " ")]
        if not match:
            raise BadInput(f"Unknown key question {kq!r}. Use one of: {', '.join(KEY_QUESTION_NAMES)}.")
        kq = match[0]
    kloe = text("kloe")
    if kloe is not None:
        kloe = kloe.upper().replace(" ", "").rstrip(".")
        if kloe not in KLOE_CODES:
            raise BadInput(f"Unknown KLOE {raw.get('kloe')!r}. Use a code such as S1, E2 or W5.")
    return Filters(service_type=service, key_question=kq, kloe=kloe, doc_id=text("doc"))


@dataclass
class Assistant:
    """The whole answer path over one index. Build once per process; ``ask`` is safe to call from
    several threads. The model and index are loaded on first use, so that a missing index or a stopped
    Chroma server is a message at question time, not a crash at start-up."""

    settings: Settings
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _retriever: Any = field(default=None, repr=False)
    _writer: Any = field(default=None, repr=False)
    _recogniser: Any = field(default=None, repr=False)
    _judge: Any = field(default=None, repr=False)
    _wrongdoing: Any = field(default=None, repr=False)
    # Their own locks, one each: embedding the examples (and fitting the judge) the first time takes seconds,
    # and no question should wait for it to reach the retriever, nor for the one it does not need.
    _locks: dict[str, threading.Lock] = field(
        default_factory=lambda: {name: threading.Lock() for name in ("_recogniser", "_judge", "_wrongdoing")},
        repr=False)

    def __post_init__(self) -> None:
        # What each question reader's pattern needs, read once and kept with the index for the next process
        # (assistant/patterns.py): a new process then compiles only what its questions need.
        patterns.keep_analyses(self.settings.index_dir / "patterns.json")
        english.keep_in(self.settings.index_dir)  # the word lists' tables too (assistant/english.py)

    @property
    def retriever(self) -> Any:
        with self._lock:
            if self._retriever is None:
                from assistant.index.embedding import embedder_for, encoder_folder
                from assistant.index.reader import IndexReader
                from assistant.memory import give_back
                from assistant.retrieve import answered
                from assistant.retrieve.fusion import Retriever

                reader = IndexReader(self.settings)
                embedder = embedder_for(self.settings)
                # the answered questions' vectors, embedded once per version and kept with the encoder
                before = answered.load(embedder, encoder_folder(self.settings.model_path, self.settings.index_dir))
                self._retriever = Retriever(reader, embedder, answered=before)
                give_back()  # what loading the model and reading the index left behind
            return self._retriever

    def with_settings(self, **update: Any) -> Assistant:
        """The same index, retriever, embedder, recogniser and judge (loaded once) with other settings, e.g.
        another writer."""
        return Assistant(self.settings.model_copy(update=update), _retriever=self.retriever,
                         _recogniser=self._recogniser, _judge=self._judge, _wrongdoing=self._wrongdoing)

    @property
    def reader(self) -> Any:
        return self.retriever.reader

    @property
    def embedder(self) -> Any:
        return self.retriever.embedder

    @property
    def recogniser(self) -> Any:
        """Emergencies by meaning (answer/recognise.py), its example vectors kept with the encoder."""
        from assistant.answer import recognise

        return self._labelled("_recogniser", recognise.load)

    @property
    def judge(self) -> Any:
        """Questions the documents do not answer, by meaning (answer/answerable.py), kept with the encoder."""
        return self._labelled("_judge", answerable.load)

    @property
    def wrongdoing(self) -> Any:
        """Requests for help to do wrong, by words and meaning (answer/wrongdoing.py), fitted on the judge's
        examples and kept with the encoder."""
        return self._labelled("_wrongdoing", lambda _, folder: wrongdoing.load(self.judge, folder))

    def _labelled(self, name: str, load: Any) -> Any:
        """What ``load`` makes of labelled examples and the embedder, made once and kept in field ``name``."""
        embedder = self.embedder
        with self._locks[name]:
            if getattr(self, name) is None:
                from assistant.index.embedding import encoder_folder

                setattr(self, name, load(embedder, encoder_folder(self.settings.model_path, self.settings.index_dir)))
            return getattr(self, name)

    def leave_out(self, questions: Collection[str]) -> int:
        """Take ``questions`` out of the labelled examples this assistant reads (questions answered before,
        emergencies, topics, and the judge's answerable and unanswerable questions, which it is fitted again
        without: ``scripts/examples.py``), so that a set that was tuned on is answered as one that was not
        (``python -m assistant eval --leave-out``). How many answered questions went."""
        retriever, recogniser = self.retriever, self.recogniser.without(questions)
        answered = retriever.answered.without(questions)
        left = len(retriever.answered.texts) - len(answered.texts)
        retriever.answered, self._recogniser, self._judge = answered, recogniser, self.judge.without(questions)
        self._wrongdoing = wrongdoing.fitted(self._judge)
        return left

    @contextlib.contextmanager
    def without_passages_of(self, evidence: Collection[str]) -> Iterator[None]:
        """Within the block, the answered examples less those answered by the passages holding ``evidence``
        (an evaluation row's): the row is answered as if its passages had never answered a question before.
        For evaluation, one question at a time: not for a server's threads."""
        answered = self.retriever.answered
        if answered is None or not evidence:
            yield
            return
        from assistant.retrieve.answered import holding

        snap = self.retriever.reader.snapshot
        self.retriever.answered = answered.without_passages(snap, holding(snap, evidence))
        try:
            yield
        finally:
            self.retriever.answered = answered

    @property
    def mode(self) -> str:
        """Who writes answers: grounded, ollama, openai or gguf (settings.llm)."""
        return self.settings.llm

    @property
    def writer(self) -> Any:
        """The model writer (generated answers); None in grounded mode, where no model library is loaded."""
        if self.settings.llm == "grounded":
            return None
        with self._lock:
            if self._writer is None:
                from assistant.answer.generate import Writer

                self._writer = Writer(self.settings)
            return self._writer

    def _kloe_titles(self) -> dict[str, str]:
        from assistant.ingest.corpus import kloe_sections

        titles: dict[str, list[str]] = {}
        for section in kloe_sections(self.settings.corpus_dir):
            titles.setdefault(section.code, []).append(section.title)
        return {code: "; ".join(t) for code, t in titles.items()}

    def warm(self) -> None:
        """Load the model and the index and make every table a question needs, so that the first person to
        ask waits for none of it. A missing index is left for question time to explain."""
        from assistant.retrieve import lexical

        with contextlib.suppress(AssistantError):
            self.ask(WARM_UP)
            self.recogniser  # noqa: B018 (its example vectors, embedded or read once)
            self.judge  # noqa: B018 (its examples' vectors and fitted weights, made or read once)
            self.wrongdoing  # noqa: B018 (its terms and fitted weights, made or read once)
            if self.retriever.answered is not None:  # which passages hold the answered questions' sentences
                self.retriever.answered.holders(self.reader.snapshot)
            chunks = self.reader.chunks
            prepare(chunks)  # each passage's sentences: their words, whether they may be quoted
            lexical.prepare([c.text for c in chunks])
            english.load()
        patterns.save_analyses()

    def ask(self, question: str, history: Sequence[str] = (), filters: Filters | dict | None = None) -> Answer:
        """Answer one question. Raises BadInput for an empty or over-long question or a bad filter, and
        the index's errors (IndexMissing, StoreUnreachable) unless the message describes an emergency,
        in which case the safety-first lines are answered on their own with a note."""
        answer = None
        for event in self.stream(question, history, filters):
            answer = event
        assert isinstance(answer, Answer)
        return answer

    def stream(self, question: str, history: Sequence[str] = (),
               filters: Filters | dict | None = None) -> Iterator[Any]:
        """``ask``, step by step: with a model, ``Draft``s of its checked sentences while it writes, then
        the ``Answer`` last (always). Raises as ``ask`` does, before anything is yielded."""
        start = time.perf_counter()
        question = (question or "").strip()
        if not question:
            raise BadInput("Please type a question.")
        safety = emergencies(question[: self.settings.max_question_chars])
        history = [h for h in history if isinstance(h, str) and h.strip()]
        asked: Asked | None = None
        if len(question) <= self.settings.max_question_chars:
            # The question is read once, against one build, its misspellings mended, so that "chokking"
            # is an emergency and "holliday pay" out of scope. Without the index it is read as typed.
            with contextlib.suppress(AssistantError):
                asked = self.retriever.read(question, history)
            if asked is not None and asked.question != question:
                safety = safety or emergencies(asked.question)
        known = None
        if asked is not None and not safety:
            # What the patterns do not know may still be near an emergency in meaning. Only then: a
            # resident's talk of suicide is near a colleague's in meaning, and the patterns tell them
            # apart. The vector is the one the search then uses, so it costs nothing more.
            known = (asked.question, self.embedder.embed_query(asked.question))
            # Asking about a possibility ("what if he's also got swallowing problems?") tells no situation: only
            # the patterns read it (after blind27 was read, that one was near a severe allergic reaction).
            # Nor a request to do wrong that the rules decline ("how do i do it before the family finds out?"): it is
            # told so, not given an emergency's lines by meaning (stop 59: with blind44's "nephew ... bank card"
            # among the examples, a nephew's bank form to be signed behind the family's back was near abuse).
            meant = set() if supposes(asked.question) or askable.wrongful(asked.question) \
                else set(self.recogniser.situations(known[1]))
            # The reviewed exclusions hold however it was recognised ("an error last week" is for learning).
            safety = [s for s in situations() if s.id in meant and not s.excluded(asked.question)]
        passages: list[Passage] = []
        try:
            answer, passages = self._ground(question, asked, history, filters, safety, known)
        except AssistantError as err:
            if not safety:
                raise
            answer = compose(question, [], answerable=True, safety=safety, mode=self.mode)
            answer.text += f"\n\n(I could not look this up in the guide just now: {err})"
        if passages and self.writer is not None:
            answer = yield from self.writer.write(question, answer.question, passages, answer)
        answer.latency_ms = round((time.perf_counter() - start) * 1000, 1)
        yield answer

    def _ground(self, question: str, asked: Asked | None, history: Sequence[str], filters: Filters | dict | None,
                safety: list[Any], known: tuple[str, list[float]] | None = None) -> tuple[Answer, list[Passage]]:
        """The grounded answer, and the passages a model may write from: none for safety-first answers,
        refusals and questions the documents do not answer, which are always answered here."""
        if len(question) > self.settings.max_question_chars:
            raise BadInput(
                f"That question is {len(question):,} characters long; please keep it under "
                f"{self.settings.max_question_chars:,} characters, for example by asking about one thing at a time."
            )
        if not isinstance(filters, Filters):
            filters = parse_filters(filters)
        # An update or edition of the documents later than all of them ("the 2019 update to this guide") is not in
        # them: not mapped to the later framework as if it were, and declined once the index says no organisation's
        # own documents are in it.
        # The newest document's year, read from the catalogue once and only if a question needs it.
        newest = cache(lambda: newest_year(self.settings.corpus_dir))
        edition = None if safety else gate.later_edition(question, newest)
        codes = [] if safety or edition else then_and_now.asks_then_and_now(question)
        if codes:  # reviewed mapping data, answered as it stands: never rewritten by a model
            mapped = then_and_now.answer(codes, self._kloe_titles())
            mapped.mode = self.mode
            return mapped, []
        if not safety and then_and_now.asks_about_later_framework(question):
            return declined(question, then_and_now.LATER_FRAMEWORK, self.mode), []
        asked = asked or self.retriever.read(question, history)  # raises the index's error, if any
        search_text = asked.search_text
        words = asked.snap.cached("words", lambda: gate.vocabulary(asked.snap.chunks))
        if edition and not own_documents(asked.snap):
            return declined(question, f"These documents date from {newest()} and earlier and hold no {edition} update "
                                      "or edition, so they cannot say what one changed. Ask about what they say, for "
                                      "example about a key question or a KLOE by its code.", self.mode), []
        # Read from the question itself, before anything is searched for it.
        if not safety and (why := askable.read(asked.question, history, words)):
            return declined(question, why.said, self.mode), []
        if safety and (why := askable.wrongful(asked.question)):  # the safety lines, then no help to do wrong
            answer = compose(search_text, [], answerable=False, safety=safety, mode=self.mode)
            answer.text = f"{answer.text}\n\n{why.said}"
            return answer, []
        # An emergency is told in words far from the guide's; the reviewed data says where the guide
        # speaks to it, and that is what is looked up (with the message, for its setting and details).
        lookup = " ".join(s.guide for s in safety if s.guide)
        # A claim about what a document says, checked against what is found (below).
        claim = "" if safety else askable.premise(asked.question) or ""
        # The guide's words for a concern told in the asker's own (glossary.toml, `lead`): searched for besides
        # the question, and they choose the lead's sentences too.
        leading = "" if safety else lead_words(asked.question)
        found = self.retriever.retrieve(asked, filters, k=self.settings.top_k, n=self.settings.candidates,
                                        lookup=lookup, codes=tuple(dict.fromkeys(c for s in safety for c in s.kloe)),
                                        overview=not safety, known=known, stated=figures_stated(claim),
                                        lead=leading)
        # About something else altogether (a recipe, a cup final), however many words it shares with a
        # passage: nearer in meaning to such questions than to care questions and to the documents.
        scope = out_of_scope(question) or (out_of_scope(asked.question) if asked.question != question else None)
        weights = asked.snap.cached("term_weights", lambda: term_weights(asked.snap.chunks))
        if scope and scope.unless_given and found.query.figures \
                and figure_given(asked.question, found.query.figures, found.passages, weights):
            scope = None
        # (A topic the data files name, such as vehicle tax, is declined below with where to look instead.)
        if not safety and not history and known and not scope and not _CARED_FOR.search(asked.question) \
                and self.recogniser.off_topic(known[1], found.best_dense):
            return declined(question, askable.NOT_CARE, self.mode), []
        # A follow-up's own words say what its quotes should lead with (only in choosing and ordering them).
        quoting = follow_up_weights(weights, asked.question) if search_text != asked.question else weights
        if not found.overview:  # a key question's overview keeps the guide's order
            found.passages = answering_first(found.passages, terms(f"{search_text} {leading}"), quoting,
                                             found.query.voices)
            # A follow-up that names a setting leads with a passage of that setting, when one was found: "and in home
            # care?" after a care-home question asks for home care's practice (stop 59: with blind44 among the
            # answered examples, a paper's passage that names no setting led).
            if search_text != asked.question and (named := understand(asked.question).setting):
                found.passages = setting_first(found.passages, named)
        # A question after others that the follow-up rule read alone is answered by the documents when they
        # answer it read with the one before, if it is about care by itself (stop 59: "will i get in trouble if i
        # own up?" after a question about a missed dose was refused, alone, as far from every passage; a recipe
        # asked next is still read alone).
        if found.other_dense > found.best_dense and known and search_text == asked.question \
                and self.recogniser.nearest_about(known[1]) == "care":
            found.best_dense = found.other_dense
        missing = gate.uncovered(asked.question, words)
        relevant = gate.answers(found, self.settings, missing, gate.uncovered_share(asked.question, missing),
                                about_care=lambda: bool(known) and self.recogniser.about_care(known[1]))
        if safety:
            # After the safety lines, the guide's passages only if they are about the situation at all (with
            # the situation's `guide` words in the search they nearly always are; this guards one without).
            # Only situations the guide speaks to (a `guide` entry in safety.toml) get its passages; for the
            # others (a seizure, a hypo, a gas leak) the reviewed lines are the whole answer, and the
            # documents are not said to answer it.
            quoted = any(s.guide for s in safety) and gate.about_emergency(found, self.settings)
            # Answered from the documents only when the guide says what to do in every situation named.
            uncovered = [s.title.lower() for s in safety if not s.covers(asked.question)]
            around = "" if not uncovered else (
                f"These documents do not say what to do in an emergency like this ({'; '.join(uncovered)}); "
                f"around it, the guide says:")
            # Abuse or restraint is a concern too: what the guide asks of anyone who sees it follows.
            raising = concern.raising(asked.snap) if quoted and {s.id for s in safety} & concern.situations() else ()
            return compose(search_text, found.passages if quoted else [], answerable=quoted, safety=safety,
                           scope=scope, mode=self.mode, weights=weights, around=around, about=lookup,
                           answering=found.answering, raising=raising), []
        if not found.passages and filters != Filters():
            raise BadInput("Nothing in the documents matches those filters together; try removing a filter.")
        # A claim about what a document says, checked against what was found: if no passage holds it, the
        # answer says so and quotes what the documents do say on it.
        around = (f"The documents do not say \u201c{claim}\u201d; what they say on it:"
                  if claim and relevant and not askable.supported(claim, found.passages, weights) else "")
        # A part of the documents they do not have ("the hospice chapter of the guide"): what they say on its subject.
        headings = asked.snap.cached("heading_stems", lambda: gate.heading_stems(asked.snap.chunks))
        if relevant and not around and (part := askable.unknown_part(asked.question, headings)):
            around = f"The documents have no \u201c{part}\u201d chapter or section; what they say on it:"
        # Words quoted as a document's own that none of them holds ("the six Cs include 'cost-effectiveness'").
        plain = asked.snap.cached("plain_words", lambda: gate.plain_words(asked.snap.chunks))
        if relevant and not around and (quote := askable.unknown_quote(asked.question, plain)):
            around = f"The documents never use the words \u201c{quote}\u201d; what they say on it:"
        # A name the documents never use ("Which Dulux shades ...?"): they speak around it at most.
        written = dict(zip(missing, gate.as_written(asked.question, missing), strict=True))  # 'HIQA', not 'hiqa'
        if relevant and not around and (named := gate.names(asked.question, missing)):
            shown = " or ".join(f"'{written[n]}'" for n in named)
            around = f"The documents do not mention {shown}; what they say on it:"
        # A year later than every document: what they say is from before it. (Own uploaded documents may be
        # of any year, so not with them.)
        if relevant and not around and not own_documents(asked.snap) and \
                (later := gate.later_year(asked.question, newest())):
            around = (f"These documents date from {newest()} and earlier, so they do not say what was so in {later}; "
                      "what they say on it:")
        # What the rules let through may still be unanswerable by meaning: a figure the law sets, a pointer
        # to nothing, nonsense in the guide's words. Only what is answered as it stands is judged so: a
        # false premise or a name the documents lack (around) is better told what they do say, a section
        # asked for by its code ("sum up C2") is there to be summed up, and a figure asked for about no name
        # the documents lack ("How much does the printed workbook cost?", not "hours of Oliver McGowan
        # training") is given if the passages give it, and if not, the answer says so and what they do say
        # (compose), however like the law's figures it is asked for. Nor a question the organisation's own
        # documents answer first: the judge knows only what the published documents answer.
        judged = False  # declined by the judge as uncovered
        if relevant and not around and known and not found.query.codes and not from_own(found.passages) and \
                not (found.query.figures and not gate.names(asked.question, missing)) and \
                (kind := self.judge.unanswerable(known[1], bool(history))) is not None:
            if kind in answerable.SAID:
                return declined(question, answerable.SAID[kind], self.mode), []
            relevant, judged = False, True
        # A request for help to do wrong that neither the rules (askable.wrongful) nor the judge were written
        # for, told by its words and meaning, when it would otherwise be answered. Only a first question (a
        # follow-up's words lean on what came before), not one asking for a section by its code ("sum up C2"),
        # one whose nearest labelled question is about care (the fit knows care's requests, and "get red wine
        # out of a carpet" or "write my dating profile" are better told the documents do not cover them), and
        # not one next to a question the documents answered, as the judge does not ("How do we keep it quiet
        # at night so residents can sleep?"), unless the fit is sure of it (wrongdoing.SURE_AT).
        # The fit first: the other two compare the question with thousands of examples, and it rarely fires.
        # Also one the judge has declined as uncovered: a request to do wrong is better told so (after blind28's
        # questions joined the judge's examples, "write the handover so the agency nurse gets blamed" was judged
        # uncovered first). Never one that raises a concern (askable.speaks_up), nor a claim about what a document
        # says: that is checked against the document, below (stop 57: with blind42's questions among the fit's
        # examples, "The guide says to cancel visits when the rota is short. How do I tell families?" was read as
        # a request to do wrong before its claim was checked).
        if (relevant or judged) and not history and known and not scope and not found.query.codes and not claim \
                and not askable.speaks_up(asked.question) and self.wrongdoing.wrongful(asked.question, known[1]) \
                and self.recogniser.nearest_about(known[1]) == "care" \
                and (self.wrongdoing.sure(asked.question, known[1]) or not self.judge.near_answered(known[1])):
            return declined(question, wrongdoing.SAID, self.mode), []
        # A claim that states a figure ("28 days") is answered by the documents' figure of that kind, if any.
        figures = found.query.figures or (found.query.stated if around else ())
        answer = compose(search_text, found.passages, answerable=relevant, scope=scope, mode=self.mode,
                         overview=found.overview, weights=quoting, missing=list(written.values()),
                         around=around, about=leading, answering=found.answering, figures=figures,
                         voices=found.query.voices, raising=concern.raising(asked.snap) if found.concern else ())
        if answer.answerable:
            answer.note = next((note for pattern, note in _TOOLS if pattern.search(question)), "")
        # A key question section by section is the guide's own list: nothing for a model to rewrite.
        return answer, (found.passages if answer.answerable and not found.overview else [])


def from_own(passages: Sequence[Passage]) -> bool:
    """Whether the best passage found is from the organisation's own documents."""
    return bool(passages) and _own(passages[0].chunk)


def own_documents(snap: Any) -> bool:
    """Whether the organisation has added its own documents to this build."""
    return snap.cached("own_documents", lambda: any(_own(c) for c in snap.chunks))


def _own(chunk: Chunk) -> bool:
    from assistant.index.uploads import PUBLISHER

    return chunk.publisher == PUBLISHER


# A question about a person receiving care ("resident wants to go to Blackpool for the weekend and her
# daughter says no") is about care, however near it sits to questions about one's own holidays.
_CARED_FOR = re.compile(r"\b(residents?|clients?|service users?|people we (support|care for)|"
                        r"(person|people|man|lady|woman|gentleman) (i|we) (support|care for|look after))\b", re.I)


# Questions that the planning tools answer more fully than a chat reply can: the note says where.
_TOOLS = (
    (re.compile(r"\b(supervision|training|team) (sessions?|topics?|plans?|meetings?)\b|\btoolbox talks?\b|"
                r"\bdiscussion questions?\b", re.I),
     "For a whole session plan (learning points, examples, discussion questions) to print or edit, use the "
     "Supervision tab."),
    (re.compile(r"\bprepar\w* for (an |the |our )?(cqc )?inspection\b|\bmock inspections?\b|"
                r"\b(inspection|cqc) checklist\b|\bchecklist for (an |the |our )?(cqc|inspection)\b", re.I),
     "For a checklist of a key question or KLOE section to tick off and export, use the Inspection tab."),
)
