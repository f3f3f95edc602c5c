"""The relevance gate: whether the documents speak to a question, decided here and only here.

Each test compares the cosine similarity of the best dense match with ``Settings.min_relevance``
times a multiplier that is also a setting, so one change of the gate is one change of Settings.
The multipliers were measured in ``evals/`` (README, Quality).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.answer.grounded import STOP
from assistant.retrieve.lexical import stem
from assistant.retrieve.query import expand
from assistant.settings import Settings
from assistant.types import Chunk

if TYPE_CHECKING:
    from assistant.retrieve.fusion import Retrieval


def answers(found: Retrieval, settings: Settings, missing: Sequence[str] = (), share: float = 1.0,
            about_care: Callable[[], bool] = lambda: False) -> bool:
    """Whether the passages found answer an ordinary question. A question in care's own words
    ("fortisips", "acrylic nails") can sit far from the guide's wording in MiniLM's space and still
    be about care practice, so one using a specific glossary term is held to a lower bar. One whose
    telling words the documents never use (``uncovered``: "Which company leases stairlifts most
    cheaply?") shares only its other words with them, so it is held to a higher one, when those words
    are a good part of what it asks (``share`` of its content words, ``uncovered_share``): two words the
    guide never uses in a long question ("a leaflet", "nobodys") are how it is told, not what about.
    One next to care questions in meaning (``about_care``, answer/recognise.py) is held to the care
    term's bar too; like the care terms, it is asked only when it decides."""
    # A question naming care practice the guide covers (a specific glossary term): its rare words are context.
    about_them = bool(missing) and share >= UNCOVERED_SHARE
    # A question that asks for a section of the guide by its code ("C2 - what's in that one?") is about
    # that section, however far its few other words sit from it in MiniLM's space; not one that only has
    # a code-like word in it ("parking near W1"). Found as an overview that names codes: only a summary
    # question is (a whole key question's overview names none, asks_overview).
    if not about_them and found.overview and found.query.codes:
        return True
    other = settings.relevance_uncovered if about_them else 1.0
    # Whether it uses a care term matters only between the two bars: asked only then.
    low, high = sorted((settings.relevance_care_terms, other))
    if found.best_dense >= settings.min_relevance * high:
        return True
    if found.best_dense < settings.min_relevance * low:
        return False
    factor = settings.relevance_care_terms if about_care() or found.care_terms else other
    return found.best_dense >= settings.min_relevance * factor


def about_emergency(found: Retrieval, settings: Settings) -> bool:
    """Whether the passages found for an emergency are about the situation at all, to follow its
    safety lines. Emergencies are told in words far from the guide's ("his face has dropped"), so
    the bar is lower than an ordinary question's."""
    return found.best_dense >= settings.min_relevance * settings.relevance_emergency


def fits_topic(found: Retrieval, settings: Settings) -> bool:
    """Whether a supervision topic (a few words) is close enough to the guide to plan a session
    from: short texts match less closely than questions do."""
    return found.best_dense >= settings.min_relevance * settings.relevance_topic


# A word rarer than this in general English (wordfreq's Zipf scale: 3 is once per million words) says
# what the question is about ("stairlift", "router"); commoner words are how it is asked.
SALIENT_ZIPF = 4.0
_WORD = re.compile(r"[a-z][a-z'-]+")


def vocabulary(chunks: Iterable[Chunk]) -> frozenset[str]:
    """Every word the documents use, lower-case, with the names of the providers their quotes are
    attributed to ("Dales House" is named only there)."""
    return frozenset(w.strip("'-") for c in chunks for w in _WORD.findall(f"{c.text} {c.provider or ''}".lower()))


def heading_stems(chunks: Iterable[Chunk]) -> frozenset[str]:
    """The stems of every word of the documents' heading paths: the parts they have (askable.unknown_part)."""
    return frozenset(stem(w) for c in chunks for w in re.findall(r"[a-z]+", c.heading_path.lower()))  # "well-led": 2


def plain_words(chunks: Iterable[Chunk]) -> str:
    """Every passage's headings and words, lower-case, letters and digits only, one space apart and one at
    each end: a phrase is in the documents when " its words " is in this (askable.unknown_quote)."""
    text = " ".join(f"{c.heading_path} {c.text} {c.provider or ''}" for c in chunks).lower()
    return " " + " ".join(re.findall(r"[a-z0-9]+", text)) + " "


# Uncovered words raise the bar when they are at least this share of the question's content words.
UNCOVERED_SHARE = 0.25


# A contraction typed without its apostrophe: "theyre", "dont", "shes", "wouldnt".
_CONTRACTED = re.compile(r"^(\w+?)(re|ll|ve|nt|s|d|m)$")


def _apostrophe(word: str) -> str:
    """The contraction with its apostrophe back: "wouldnt" -> "wouldn't", "theyre" -> "they're"."""
    return f"{word[:-2]}n't" if word.endswith("nt") else _CONTRACTED.sub(r"\1'\2", word)


@lru_cache(maxsize=4)
def _stems(words: frozenset[str]) -> frozenset[str]:
    """The stems of the documents' words ("shadowing" -> "shadow"), so that "shadowed" is covered."""
    return frozenset(stem(w) for w in words)


def uncovered_share(question: str, missing: Sequence[str]) -> float:
    """How much of what the question says is in words the documents never use. A name among them
    (``names``) no longer raises the bar by itself: a long question that passes the ordinary bar gets
    what the documents say around the name, after a line saying they do not mention it (chat.py), which
    is as much a refusal and more use than "not covered" (no answer on any evaluation set changed)."""
    content = {w.strip("'-") for w in _WORD.findall(question.lower())} - STOP
    content = {w for w in content if len(w) >= 3}
    return len(missing) / max(1, len(content))


def names(question: str, missing: Sequence[str]) -> list[str]:
    """The names among the words the documents never use: written with a capital inside a sentence
    ("Dulux", "Ofsted", "Zomorph"), they are what the question is about. Not a name that says when or
    where ("during Ramadan", "at Diwali", "in Leeds", "my Leicester clients"), nor one given as an example of what
    the question is about ("festivals like Diwali and Eid"): the question is about supporting a resident then or
    running a service there, which the guide may well speak to. Nor a person ("Mrs Khan", "Doris who is fully with
    it", "Maureen told ..."): the question is about their care (after blind27 and blind29 were read)."""
    named = {m.group(1).lower() for m in _NAMED.finditer(question) if not _NOT_A_NAME.fullmatch(m.group(1))
             and not _WHEN_OR_WHERE.search(_LISTED.sub("", question[: m.start()]))
             and not _A_PERSON.match(question, m.end()) and not _TITLE.search(question, 0, m.start())}
    return [w for w in missing if w in named]


def as_written(question: str, words: Sequence[str]) -> list[str]:
    """``words`` (lower case, as ``uncovered`` finds them) as the question writes them: 'Diwali', 'HIQA'."""
    return [next((m.group(0) for m in re.finditer(rf"\b{re.escape(w)}\b", question, re.I)), w) for w in words]


# A capitalised word inside a sentence: a name.
_NAMED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:[A-Z][a-z]+)?)\b")  # "Ofsted", "McGowan"
# Written with a capital, but a family title or a day or month, not a name (stop 58, after blind43 was read:
# "a complaint about Auntie June's bruises", "Saturdays and Sundays are run on agency workers").
_NOT_A_NAME = re.compile(r"(auntie|aunty|aunt|uncle|nan|nana|nanna|gran|granny|grandad|grandpa|grandma|mum|mam|dad|"
                         r"mother|father|sister|brother|(mon|tues|wednes|thurs|fri|satur|sun)days?|january|february|"
                         r"march|april|may|june|july|august|september|october|november|december)", re.I)
# A preposition of time or place just before a name.
# "my Leicester clients", "our Thursday volunteer": where or when the asker's own work is (after blind29 was read).
# "our patch of Leicester": a place the asker's work is in; "clients speak Gujarati": a language people speak
# (after blind32 was read).
_WHEN_OR_WHERE = re.compile(r"\b(during|at|over|for|in|on|around|near|after|before|until|till|like|such as|"
                            r"including|e\.?g\.?|my|our|speak|speaks|speaking|(patch|area|part|corner|borough|"
                            r"county|city|town|region|side) of)\s+(the\s+)?$", re.I)
# Names listed before a name ("like Diwali and Eid"): the list is read as its first name is.
_LISTED = re.compile(r"(\b[A-Z][a-z]+(\s*,\s*|\s+(and|or)\s+))+$")
# A person: named and then said to be someone ("Doris who ..."), or to say or tell something ("Maureen told our
# volunteer ...", after blind29 was read), or given a title ("Mrs Khan").
# After blind32 was read: doing what people do ("When Liam gets angry", "how brilliant Kasia was with her dad",
# "let Doris use the stairs"), or their supervision, plan or family ("Kasia's one-to-one").
_A_PERSON = re.compile(r"\s*,?\s+(who|told|tells|said|says|keeps|asked|asks|mentioned|confided|gets|got|refuses|"
                       r"refused|likes|loves|wants|wanted|won'?t|can'?t|doesn'?t|didn'?t|lives|speaks|walks|shouts|"
                       r"cries|was (so |really |very )?(brilliant|great|amazing|lovely|kind|upset|angry|rude|late)|"
                       r"use|uses|goes|has (been|had|dementia|capacity))\b"
                       r"|(?:'s|\u2019s) (one-to-ones?|one to ones?|1-2-1s?|supervisions?|appraisals?|care plans?|"
                       r"plans?|family|daughter|son|wife|husband|mum|dad|room|key ?worker|medication|meds|birthday|"
                       r"behaviour)\b")
# A role just before a name names a person too ("my new carer Jess", after blind30 was read).
# After blind34 was read: someone "called" or "named" so ("a tenant called Leon").
_TITLE = re.compile(r"\b(mr|mrs|ms|miss|dr|nurse|auntie|uncle|nan|grandad|carer|colleague|worker|resident|client|"
                    r"manager|senior|starter|apprentice|volunteer|student|deputy|cook|cleaner|tenant|lady|gentleman|"
                    r"son|daughter|husband|wife|mum|dad|friend|neighbour|called|named|name is|name'?s)\.?\s+$", re.I)


def uncovered(question: str, words: Collection[str]) -> list[str]:
    """The question's telling words that the documents (their ``vocabulary``) never use, in any of
    the simple forms ("stairlifts", "stairlift"): rare in general English, and not everyday care words
    the glossary translates into the guide's."""
    from assistant.english import zipf  # its table loads on first use

    out = []
    stems = _stems(frozenset(words))
    for word in dict.fromkeys(w.strip("'-") for w in _WORD.findall(question.lower())):
        forms = {word, word.removesuffix("s"), word.removesuffix("es"), word.removesuffix("'s"), f"{word}s"}
        if len(word) < 3 or word in STOP or forms & words or expand(word) != word or stem(word) in stems:
            continue
        if _CONTRACTED.match(word) and zipf(_apostrophe(word)) >= SALIENT_ZIPF:
            continue  # "theyre", "wouldnt": how it is typed, not what about
        if word.endswith("'s") and zipf(word[:-2]) >= SALIENT_ZIPF:
            continue  # "nobody's", "everyone's": an everyday word's 's, rarer than the word (after blind34 was read)
        if zipf(word) < SALIENT_ZIPF:
            out.append(word)
    return out


# A year the question asks about, later than every document ("rated outstanding now in 2024", "CQC's 2023
# framework"): the documents cannot say what was so then. Not the asker's own plans ("our inspection is
# due in 2027"), which the guide still helps with.
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
_OWN = re.compile(r"\b(i|i'm|im|we|we're|our|my|us)\b", re.I)


# An update or edition of the documents themselves, in a year later than every one of them ("The 2019 update to
# this guide dropped the E7 section"): there is none in them to say what it changed (after blind32 was read).
_EDITION = re.compile(r"\b(19|20)\d\d\s+(update|edition|version|revision|reissue|refresh)\b[^.?!]{0,30}\b(guide|"
                      r"document|this)\b|\b(update|edition|version|revision)\s+(of|to)\s+(the|this)\s+(guide|"
                      r"document)\b", re.I)


def later_edition(question: str, newest: Callable[[], int | None]) -> int | None:
    """The year of an update or edition of the documents the question names, when it is later than ``newest()``
    (read only when the question names one)."""
    if not _EDITION.search(question) or (year := newest()) is None:
        return None
    return next((y for y in map(int, _YEAR.findall(question)) if y > year), None)


def later_year(question: str, newest: int | None) -> int | None:
    """The first year in the question after ``newest`` (the newest document's), unless the question is
    about the asker's own plans."""
    if newest is None or _OWN.search(question):
        return None
    return next((int(m.group(1)) for m in _YEAR.finditer(question)
                 if int(m.group(1)) > newest and not _DATED.search(question, 0, m.start())), None)


# A record's date ("capacity assessments dated summer 2022", "last reviewed in March 2021"): when the asker's
# papers were done, not a year asked about (after blind34 was read).
_DATED = re.compile(r"\b(dated|dating (from|back to)|done|completed|signed|written|reviewed|updated|carried out|"
                    r"last)\s+(in\s+|on\s+)?((early|late|mid)[- ])?((spring|summer|autumn|winter|january|february|"
                    r"march|april|may|june|july|august|september|october|november|december)\s+)?(of\s+)?$", re.I)
