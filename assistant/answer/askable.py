"""Questions that cannot be answered as asked, whatever passages a search would find for them.

A search always finds something, so these are read from the question itself, by principle rather
than by topic: a request to hide something from people who must be told; a question about another
UK nation's regulator (the documents are about CQC in England); a KLOE code the guide does not have;
words that are not words; a question that only points at something never named ("How often do we
have to do them?"); and a claim about what a document says that the passages found do not say.
Each gets one plain sentence saying why, and what to ask or do instead.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from assistant.answer.grounded import STOP, terms
from assistant.types import Passage

KEY_QUESTION_CODES = {"S": "Safe", "E": "Effective", "C": "Caring", "R": "Responsive", "W": "Well-led"}


@dataclass(frozen=True, slots=True)
class Declined:
    kind: str  # conceal, elsewhere, commerce, not_care, number, unknown_code, nonsense, underspecified
    said: str


_CONCEAL = re.compile(
    r"\bso (that )?(cqc|the inspectors?|inspectors?|nobody|no one|no-one|the family|the council|the manager|"
    r"my manager|they|the police)\b.{0,25}\b(won'?t|wont|doesn'?t|don'?t|can'?t|cannot|will not|does not|do not|"
    r"never)\b.{0,20}\b(spot|find out|notice|know|see|find|realise|realize|catch)\b"
    r"|\bso (that )?(nobody|no one|no-one|nobody else)\b.{0,10}\b(finds? out|knows?|notices?|sees?|spots?|realises?)\b"
    r"|\b(cover (it |this |that |the \w+ )?up|hide (it|this|that|the (error|mistake|incident|bruis\w*|fall))|"
    r"backdat\w*|falsif\w*|fake (the )?(records?|notes?|signatures?|mar)|"
    r"tidy up the (mar|records?|notes?|charts?)|without (cqc|anyone|the family|the manager) (knowing|finding out))\b"
    # Keeping it from the person, the family or the regulator; getting round a legal safeguard.
    r"|\bso (that )?(she|he|they|the resident|residents|the family)\b.{0,10}\b(doesn'?t|don'?t|won'?t|can'?t|does not|"
    r"do not|will not) (notice|know|realise|realize|find out)\b"
    r"|\bso (that )?(they|cqc|the inspectors?|inspectors?|the family)\b.{0,10}"
    r"\b(think|thinks|believe|believes|assume)\b"
    r"|\b(keep (it|this|that) quiet|avoid reporting|not report(ing)? (it|this|that)|don'?t report (it|this|that))\b"
    r"|\b(just )?not (mention|tell|say anything about)\b.{0,30}"
    r"\b(family|cqc|inspectors?|manager|relatives?|daughter|son|wife|husband)\b"
    r"|\bwithout (applying for|telling|informing|asking|reporting( it)? to|a dols\b|their consent|it looking like)",
    re.I)
CONCEAL = ("I cannot help keep this from anyone. Tell your manager now and record what happened: errors and "
           "concerns must be reported, and services must be open and honest with people, their families and "
           "CQC when things go wrong (the duty of candour).")

_ELSEWHERE = re.compile(r"\b(care inspectorate|scotland|scottish|wales|welsh|ciw|northern ireland|rqia|"
                        r"social care wales|sssc|niscc)\b", re.I)
ELSEWHERE = ("These documents are about adult social care in England, inspected by CQC, so they do not answer "
             "this. In Scotland, see the Care Inspectorate and the SSSC; in Wales, Care Inspectorate Wales and "
             "Social Care Wales; in Northern Ireland, the RQIA and NISCC.")

# Products, suppliers, prices and contracts: the documents describe practice, never what to buy.
_COMMERCE = re.compile(
    r"\b(cheapest|cheaply|cheaper|best (deal|price|tariff)|leases?|leasing|tariffs?|(phone|mobile|broadband|energy) "
    r"contracts?|sim[- ]only)\b"
    r"|\b\w+ or \w+\b.{0,20}\bthe (better|best)\b.{0,30}\b(apps?|software|systems?|company|companies|suppliers?|"
    r"brands?|products?)\b", re.I)
COMMERCE = ("These documents are about good practice in care; they do not compare products, suppliers, prices or "
            "contracts. Ask your manager or the organisation's purchasing lead, and compare suppliers' own terms.")
# A particular organisation's phone number: the documents hold none, and a wrong one would do harm.
_NUMBER = re.compile(r"\b(what('?s| is)|give me|find) (the|their|a) (phone|telephone|contact) number\b|"
                     r"\b(phone|telephone) (number|no\.?) (for|of)\b", re.I)
NUMBER = ("The documents do not list local phone numbers. Your local authority's website gives its adult "
          "safeguarding team's number; CQC's is 03000 616161, and in an emergency call 999.")

_CODE = re.compile(r"\b(?:kloe\s*)?([SECRW])(\d{1,2})\b")
_POINTING = frozenset({"it", "them", "they", "this", "that", "these", "those", "ours", "one", "ones", "theirs",
                       "he", "she", "him", "her"})
# Words that say how something is asked, not what about: with only these, a question names nothing.
_HOW = frozenset({"often", "long", "take", "takes", "check", "enough", "good", "much", "many", "time", "make", "know",
                  "tell", "okay", "right", "thing", "things", "stuff", "happen", "happens", "done", "again", "still",
                  "want", "best", "way", "does", "did", "doing", "going", "look", "see", "sure", "mean", "like",
                  "fine", "ever", "every", "then", "now", "next", "first", "start", "stop", "allowed",
                  "supposed", "need", "needs", "have", "got", "keep", "use", "can", "must", "ought", "please",
                  "help", "who", "whom", "whose"})
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")


def unknown_code(question: str, codes: Collection[str]) -> Declined | None:
    """A KLOE code the guide does not have ("KLOE S7"), named as the subject of the question."""
    for letter, number in _CODE.findall(question):
        code = f"{letter}{number}"
        if code in codes:
            continue
        have = sorted((c for c in codes if c[0] == letter), key=lambda c: int(c[1:]))
        if not have:
            continue
        return Declined("unknown_code", f"The guide has no KLOE {code}: under {KEY_QUESTION_CODES[letter]} it has "
                                        f"{have[0]} to {have[-1]}. Ask about one of those, or name the topic.")
    return None


def nonsense(question: str, vocabulary: Collection[str]) -> Declined | None:
    """Two or more tokens that are neither English words nor words the documents use, and that no
    one types as a word: no vowel inside, or four consonants in a row ("asdkjh", "zxcv"). Text-speak
    ("pls", "atm") is short enough to pass."""
    from assistant.english import spelled

    odd = [w for w in dict.fromkeys(_TOKEN.findall(question.lower()))
           if len(w) >= 4 and w not in vocabulary and not spelled(w)
           and (not re.search(r"[aeiouy]", w[1:-1]) or re.search(r"[bcdfghjklmnpqrstvwxz]{4,}", w))]
    if len(odd) >= 2:
        shown = ", ".join(f"'{w}'" for w in odd[:3])
        return Declined("nonsense", f"I could not make sense of part of this question ({shown}). Please ask it "
                                    "again in a sentence, for example 'What should a care plan include?'")
    return None


# "Do the night staff need to do it too?", "Is that one S2 or S3?": something earlier is pointed at.
_POINTS_BACK = re.compile(
    # a verb whose object is only "it", "them", "this": "sign it off", "do it too" (not "keep this record")
    r"\b(do|does|did|doing|sign|signs|fill|send|report|keep|file|use|complete|check|store|record)\s+"
    r"(it|this|that|them|these|those)(?=\s*([?,.!]|$|\b(off|up|out|in|too|again|also|now|then|first|properly|"
    r"as well|for (me|us|them|her|him))\b))"
    r"|\b(that|this|the other|the second|the same) (one|ones|form|thing|bit)\b"
    # "Does this count as ...?", "Is that allowed?": the question's subject is only a pointer
    r"|^\s*(is|are|does|do|can|should)\s+(that|this|it|they|these|those)\s+(count|counts|mean|apply|applies|need|"
    r"matter|work|go|happen|sound|seem|look|ok|okay|allowed|right|enough|normal|legal)\b", re.I)


def underspecified(question: str, history: Sequence[str]) -> Declined | None:
    """A first question that only points ("How often do we have to do them?", "Who is supposed to sign it
    off?"): what it is about is never named."""
    if history:
        return None
    words = _TOKEN.findall(question.lower())
    pointing = [w for w in words if w in _POINTING]
    named = [w for w in words if w not in STOP and w not in _HOW and w not in _POINTING and len(w) > 2]
    points_back = _POINTS_BACK.search(question)
    code = re.search(r"\b[secrw]\d{1,2}\b", question, re.I)  # a KLOE code, however it is typed
    if points_back and code and code.start() < points_back.start():  # "R1 - what's that one about?"
        points_back = None
    if (pointing and len(named) <= 1 and not code) or (points_back and len(named) <= 3):
        which = pointing[-1] if pointing else points_back.group(0).strip() if points_back else "this"
        return Declined("underspecified", f"I am not sure what '{which}' refers to here. Please ask again "
                                          "naming it, for example 'How often do we have to do fire drills?'")
    return None


# Not a question about care at all: a poem, a joke, a recommendation for the evenings, a quiz answer.
_NOT_CARE = re.compile(
    r"\b(write|compose|make up) (me )?(a|an|some) (\w+ ){0,2}(poem|joke|song|limerick|rap|story|riddle)s?\b"
    r"|\b(tell|give) me (a|another) joke\b"
    r"|\brecommend (me )?(a|an|some) (good |decent )?"
    r"(tv|telly|series|film|movie|book|novel|show|podcast|restaurant)s?\b"
    r"|\b(christmas )?number one (single|song|hit)\b|\bpivot tables?\b|\b(excel|spreadsheet) formulas?\b", re.I)
NOT_CARE = ("That is not a question about care practice, so these documents do not answer it. I answer questions "
            "about good practice in adult social care from Skills for Care's Good and outstanding care guide.")


def read(question: str, history: Sequence[str], vocabulary: Collection[str], codes: Collection[str]) -> Declined | None:
    """Why the question cannot be answered as asked, or None when it can be looked up."""
    if _CONCEAL.search(question):
        return Declined("conceal", CONCEAL)
    if _ELSEWHERE.search(question):
        return Declined("elsewhere", ELSEWHERE)
    if _COMMERCE.search(question):
        return Declined("commerce", COMMERCE)
    if _NOT_CARE.search(question):
        return Declined("not_care", NOT_CARE)
    if _NUMBER.search(question):
        return Declined("number", NUMBER)
    return unknown_code(question, codes) or nonsense(question, vocabulary) or underspecified(question, history)


# "The guide says ...", "Why does the Compassion in Practice document say ...", "According to the guide, ..."
_PREMISE = re.compile(
    r"\b(?:the|this|your|skills for care'?s?|cqc'?s?)\s+(?:[\w'-]+\s+){0,4}?"
    r"(?:guide|document|paper|report|guidance|framework)\s+(?:\w+\s+){0,2}?"
    r"(?:says?|said|states?|found|finds|recommends?|claims?|tells us|suggests?)\s+(?:that\s+)?(?P<claim>[^?!]+)"
    r"|\baccording to (?:the|this|your) [\w' -]{0,40}?(?:guide|document|paper|report|guidance),?\s+(?P<claim2>[^?!]+)",
    re.I)


# "What does the guide suggest ..." asks; "Why does the guide say ..." and "The guide says ..." claim.
_ASKING = re.compile(r"\b(what|how|where|when|which|whether|if|does|do|did)\b[^.?!]*"
                     r"\b(does|do|did|would|could|can|will|might)\s+$|\b(does|do|did)\s+$", re.I)
# Where the claim ends and the question built on it starts: "..., so how often do we need it?"
_THEN_ASKS = re.compile(r",?\s+(?:so|and|but|then)\s+(?=(?:how|what|when|where|which|who|why|do|does|can|should|"
                        r"is|are|must)\b)|,\s*(?=(?:how|what|when|where|which|who|why)\b)", re.I)
_TAG = re.compile(r",?\s*(right|isn'?t it|is that right|is that true|correct|yes|true)\s*$", re.I)


def premise(question: str) -> str | None:
    """The claim a question says a document makes, if it says one."""
    m = _PREMISE.search(question)
    if not m or (_ASKING.search(question[: m.start()]) and not re.search(r"\bwhy\b", question[: m.start()], re.I)):
        return None
    claim = re.split(r"(?<=[.])\s", (m.group("claim") or m.group("claim2") or ""))[0].strip(" ,.")
    claim = _THEN_ASKS.split(claim)[0]
    claim = _TAG.sub("", claim).strip(" ,.")
    return claim if len(terms(claim)) >= 3 else None


def supported(claim: str, passages: Sequence[Passage], weights: Mapping[str, float], share: float = 0.6) -> bool:
    """Whether one of the passages found holds most of the claim's content words, each counted by how
    telling it is in the documents (``term_weights``): "staff" and "supervision" are everywhere, so a
    passage about supervision does not hold "experienced staff can skip supervision" unless it says "skip"."""
    want = terms(claim)
    unknown = max(weights.values(), default=1.0)  # a word the documents never use is as telling as any
    total = sum(weights.get(t, unknown) for t in want)
    return any(sum(weights.get(t, unknown) for t in want & terms(p.chunk.text)) >= share * total for p in passages)
