"""Safety first and out of scope: what to say before (or instead of) an answer from the guide.

The wording lives in reviewed data files (``assistant/data/safety.toml`` and ``out_of_scope.toml``),
one entry per situation, so that a care manager can review it without reading code. These lines
never come from a language model.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from assistant.labelled import DATA
from assistant.patterns import lower_case

_NEVER = re.compile(r"(?!)")  # a pattern that matches nothing


@dataclass(frozen=True, slots=True)
class Situation:
    id: str
    title: str
    patterns: re.Pattern[str]  # the data file's patterns as one: one search per message, not one each
    first: tuple[str, ...]
    unless: re.Pattern[str] = _NEVER  # when the data file gives no exclusions
    guide: str = ""  # what to look up in the guide after the safety lines, in the guide's own words
    kloe: tuple[str, ...] = ()  # the guide's sections on the situation, favoured in that search
    # Whether the guide says what to do in the situation itself (report abuse, after a fall), not only
    # around it (preventing choking, fire drills): only then do the documents answer the message.
    covered: bool = False
    yields: tuple[str, ...] = ()  # situations whose lines say what to do instead, when they apply too
    # Told as happening now or just disclosed (safety.toml `happening`): the guide says how to raise the
    # concern, not what to do while someone is being hurt, so then it does not answer the message.
    now: re.Pattern[str] = _NEVER

    def lines(self, person: Person = "them") -> tuple[str, ...]:
        """The first lines, their ``{them}`` / ``{they are}`` placeholders said of ``person`` (see ``person_in``)."""
        return tuple(said_of(line, person) for line in self.first)

    def applies(self, message: str) -> bool:
        message = literal(message.lower())  # the patterns are matched in lower case (assistant/patterns.py)
        # A match that names a subject of practice ("choking risks", "sepsis training") is not this
        # happening now; another match in the message may still be.
        said = any(not _PRACTICE.match(message, m.end()) and not _PRACTICE_OF.search(message, 0, m.start())
                   for m in self.patterns.finditer(message))
        return said and not self.excluded(message)

    def covers(self, message: str) -> bool:
        """Whether the guide says what to do in the situation as this message tells it."""
        return self.covered and not self.now.search(message.lower())

    def excluded(self, message: str) -> bool:
        """Whether one of the situation's ``unless`` patterns matches (they hold for a message recognised by
        meaning too)."""
        return bool(self.unless.search(message.lower()))


# Words that make an emergency's name the subject of training or policy rather than an event.
_PRACTICE = re.compile(r"[\s-]+(training|risks?|policy|policies|awareness|assessments?|plans?|protocols?|tools?|"
                       r"screening|champions?|courses?|sessions?|procedures?|prevention|management|guidance|"
                       r"e-?learning|competenc\w*|pathways?|safety)\b", re.IGNORECASE)


# The same, said before the name: "our training on choking", "a policy about severe bleeding".
_PRACTICE_OF = re.compile(r"\b(training|courses?|sessions?|polic(y|ies)|awareness|assessments?|plans?|protocols?|"
                          r"procedures?|guidance|e-?learning|prevention|lessons?) (on|in|about|for|around|covering) "
                          r"(the |a |an )?(\w+ )?$", re.IGNORECASE)


# Who the first lines speak of: "him" or "her" when the message speaks of one man or one woman only
# ("stay with her" is what a nurse on the phone would say), else "them".
Person = Literal["them", "him", "her"]
_HE = frozenset(["he", "him", "his", "himself", "he's", "hes", "he'd", "he'll", "mr", "gentleman", "man"])
_SHE = frozenset(["she", "her", "hers", "herself", "she's", "shes", "she'd", "she'll", "mrs", "ms", "lady", "woman"])
# A message that names anyone besides the person in need (a worker, a relative, the call handler, someone
# who did the harm) may use "she" or "he" of either ("my colleague says she found a resident on the
# floor", "I've rung Sue, she's on her way"): the lines then stay with "them". So do two names.
# Staff told as a body ("staff are busy", stop 58 after blind43 was read) are no one "he" or "she" could be.
_OTHERS = re.compile(r"\b(colleagues?|nurses?|carers?|staff(?! (are|were|have|aren'?t|weren'?t|haven'?t)\b)|"
                     r"manager|senior|team leader|doctor|gp|paramedics?|"
                     r"husband|wife|son|daughter|family|relatives?|friend|neighbour|visitor|first aider|"
                     r"call handler|operator|999|111|ambulance|someone|somebody|another|intruder|attacker|"
                     r"mum|dad|mother|father|brother|sister|grand(?:son|daughter|ad|dad|father|mother|ma|pa)|nan|"
                     r"gran|boyfriend|girlfriend|partner|nephew|niece|uncle|aunt(?:ie)?)\b")
# A capitalised word inside a sentence, or one that opens the message as its subject ("Bob is choking").
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b(?!(?:I|Mr|Mrs|Ms|Miss|Dr|CQC|NHS|GP|KLOE|MAR)\b)[A-Z][a-z]+\b"
                   r"|^(?!(?:Resident|Client|He|She|They|It|This|That|There|Someone|Mum|Dad|My|Our|The|A|An|Her|His|"
                   r"One|Service|Staff|Man|Lady|Woman|Gentleman|Help|Please|Just)\b)[A-Z][a-z]+"
                   r"(?= (is|has|was|keeps|just)\b|'s\b)")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_MEN = frozenset(["dad", "father", "brother", "son", "husband", "grandson", "grandad", "granddad", "grandfather",
                  "grandpa", "boyfriend", "nephew", "uncle"])
_WOMEN = frozenset(["mum", "mother", "sister", "daughter", "wife", "granddaughter", "grandmother", "grandma", "nan",
                    "gran", "girlfriend", "niece", "aunt", "auntie"])


def person_in(message: str) -> Person:
    """Whom the message is about, as far as its pronouns and gendered words tell: one gender only, and no one
    else named who could be "he" or "she"."""
    text = message.lower().replace("\u2019", "'")
    found = _WORD.findall(text)
    words = set(found) | {w.removesuffix("'s") for w in found}  # "her dad's" is her dad
    he, she = bool(words & _HE), bool(words & _SHE)
    if he == she or len(set(_NAME.findall(message.strip()))) >= 2:
        return "them"
    # Others named may be "he" or "she" too, unless the only others are relatives of the pronouns' gender:
    # then the relative is the person ("Dad suddenly can't breathe, he's sat up gasping", after blind39 was
    # read), while "her son hit her" or "my colleague says she found him" stay with "them".
    others = {m.group(0) for m in _OTHERS.finditer(text)}
    if others and not others <= (_MEN if he else _WOMEN):
        return "them"
    return "him" if he else "her"


# Harm done by someone: the message speaks of two people at least, and "he" may be the one who did it
# ("someone pushed the resident down the stairs and he ran off").
_BY_ANOTHER = frozenset({"abuse", "threat_to_staff", "restraint"})


def person_for(message: str, found: Sequence[Situation]) -> Person:
    """Whom the lines of the situations ``found`` speak of: "them" beside harm done by someone, else as
    ``person_in`` reads the message."""
    return "them" if any(s.id in _BY_ANOTHER for s in found) else person_in(message)


# The verbs a placeholder may hold: a word not listed ("{thme}") is a typo, refused when the file is read.
_VERBS = "are|become|can|cannot|collapse|come|could|do|feel|have|may|need|respond|say|seem|stop|take|were|would"
_PLACEHOLDER = re.compile(rf"\{{(?:(they|them|their|themselves)(?: ({_VERBS}))?|({_VERBS}))\}}", re.IGNORECASE)
_FORMS = {"him": {"they": "he", "them": "him", "their": "his", "themselves": "himself"},
          "her": {"they": "she", "them": "her", "their": "her", "themselves": "herself"}}
_SINGULAR = {"are": "is", "have": "has", "were": "was", "do": "does"}
_MODAL = frozenset(["can", "cannot", "could", "may", "would"])


def said_of(line: str, person: Person) -> str:
    """A first line with its placeholders filled: ``{them}``, ``{their}``, ``{themselves}``, ``{they}``, and
    a verb that agrees with the person, alone or after the pronoun ("{they are}", "{they collapse} and
    {stop} breathing": "he is", "he collapses and stops breathing" of a man)."""

    def agree(verb: str) -> str:
        if person == "them" or verb in _MODAL:
            return verb
        return _SINGULAR.get(verb) or verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "o")) else "s")

    def fill(m: re.Match[str]) -> str:
        pronoun, verb = m.group(1), m.group(2) or m.group(3)
        if not pronoun:
            return agree(verb)
        word = pronoun.lower() if person == "them" else _FORMS[person][pronoun.lower()]
        word = word[0].upper() + word[1:] if pronoun[0].isupper() else word
        return f"{word} {agree(verb)}" if verb else word

    return _PLACEHOLDER.sub(fill, line)


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    patterns: re.Pattern[str]
    where: str
    # Answered after all when the passages found give the figure asked for, about what was asked (the
    # guide's own price, the workbook edition's): a price in general is not the documents' to give.
    unless_given: bool = False
    # A situation of safety.toml whose recognition this topic shares ("medicine_dose": a dose asked for is
    # read in one place, and is both a safety line and a refusal).
    situation: str = ""


@cache
def _data() -> dict:
    """safety.toml, read once: its situations and the file-wide patterns they share."""
    return tomllib.loads((DATA / "safety.toml").read_text(encoding="utf-8"))


@cache
def _figurative() -> re.Pattern[str]:
    return lower_case(_data().get("figurative", ()), "safety.toml, figurative")


@lru_cache(maxsize=64)  # each situation reads the same message: its figurative words are found once
def literal(message: str) -> str:
    """The lower-case message less the emergency words it uses figuratively or of something else ("morale is
    on the floor", "hit and miss", safety.toml `figurative`), each blanked to one space, so that no situation's
    pattern reads them."""
    spans = [m.span() for m in _figurative().finditer(message)]
    for start, end in reversed(spans):
        message = f"{message[:start]} {message[end:]}"
    return message


@cache
def situations() -> tuple[Situation, ...]:
    data = _data()
    known = {"id", "title", "patterns", "first", "unless", "guide", "kloe", "covered", "yields"}
    for s in data["situation"]:
        # A typo ("coverd") or a string ("false") would silently say the guide answers an emergency.
        if set(s) - known or not isinstance(s.get("covered", True), bool):
            raise ValueError(f"safety.toml, situation {s.get('id')!r}: unknown keys {sorted(set(s) - known)} "
                             "or 'covered' not true/false")
    # An event of some days ago is for learning, not first aid, in the situations `past_for` names.
    past_for = set(data.get("past_for", ()))
    # A practice question told around an event or a risk, in the situations `learning_for` names.
    learning_for = set(data.get("learning_for", ()))
    # A plan asked for around a history, a habit or a condition: in those situations and in `history_also`'s.
    history_for = learning_for | set(data.get("history_also", ()))
    # Happening now or just disclosed: not answered by the guide, in the situations `happening_for` names.
    happening_for = set(data.get("happening_for", ()))
    happening = lower_case([data["happening"]], "safety.toml, happening") if happening_for else _NEVER
    # Care after a death in general, not a death now, in the situations `after_death_for` names.
    after_death_for = set(data.get("after_death_for", ()))
    ids = {s["id"] for s in data["situation"]}
    yielded = {y for s in data["situation"] for y in s.get("yields", ())}
    if unknown := (past_for | learning_for | history_for | happening_for | after_death_for | yielded) - ids:
        raise ValueError(f"safety.toml, past_for, learning_for, history_also, happening_for, after_death_for or "
                         f"yields: no situation {sorted(unknown)}")

    for s in data["situation"]:
        # A mistyped placeholder ("{thme}") would be shown to a care worker in braces.
        if bad := [line for line in s["first"] if set("{}") & set(_PLACEHOLDER.sub("", line))]:
            raise ValueError(f"safety.toml, situation {s['id']!r}: a placeholder is not {{them}}, {{their}}, "
                             f"{{themselves}}, {{they}} or {{VERB}}: {bad[0]!r}")

    def unless(s: dict) -> list[str]:
        return [*s.get("unless", ()), *([data["past"]] if s["id"] in past_for else []),
                *([data["learning"]] if s["id"] in learning_for else []),
                *([data["history"]] if s["id"] in history_for else []),
                *(data.get("after_death", ()) if s["id"] in after_death_for else ())]

    return tuple(Situation(s["id"], s["title"], lower_case(s["patterns"], f"safety.toml, {s['id']}"),
                           tuple(s["first"]),
                           lower_case(unless(s), f"safety.toml, {s['id']}"),
                           s.get("guide", ""),
                           tuple(s.get("kloe", ())),
                           bool(s.get("guide")) and s.get("covered", True), tuple(s.get("yields", ())),
                           happening if s["id"] in happening_for else _NEVER)
                 for s in data["situation"])


@cache
def topics() -> tuple[Topic, ...]:
    data = tomllib.loads((DATA / "out_of_scope.toml").read_text(encoding="utf-8"))
    for t in data["topic"]:
        if set(t) - {"id", "patterns", "where", "unless_given", "situation"} \
                or not isinstance(t.get("unless_given", False), bool):
            raise ValueError(f"out_of_scope.toml, {t.get('id')!r}: unknown key, or 'unless_given' not true/false")
        if t.get("situation") and t["situation"] not in {s.id for s in situations()}:
            raise ValueError(f"out_of_scope.toml, {t['id']!r}: no situation {t['situation']!r} in safety.toml")
    return tuple(Topic(t["id"], lower_case(t["patterns"], f"out_of_scope.toml, {t['id']}"), t["where"],
                       t.get("unless_given", False), t.get("situation", "")) for t in data["topic"])


def emergencies(question: str) -> list[Situation]:
    """Every situation the message describes, in the order of the data file, less one that yields to
    another that applies (breathing difficulty, when it is choking)."""
    message = question.lower()
    found = [s for s in situations() if s.applies(message)]
    ids = {s.id for s in found}
    return [s for s in found if not ids.intersection(s.yields)]


def out_of_scope(question: str) -> Topic | None:
    """The first out-of-scope topic the question is about, if any."""
    question = question.lower()  # the patterns are matched in lower case (assistant/patterns.py)
    wanted = {t.situation for t in topics() if t.situation}
    shared = {s.id for s in situations() if s.id in wanted and s.applies(question)}
    return next((t for t in topics() if t.patterns.search(question) or t.situation in shared), None)
