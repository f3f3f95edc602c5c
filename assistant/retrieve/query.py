"""Understanding the question: KLOE codes, settings, key questions and intents it names, the glossary of
care words the guide does not use, and whether it follows on from the question before."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from assistant.kloe import KLOE_CODES
from assistant.patterns import lower_case
from assistant.types import BlockKind

_CODE = re.compile(r"\b([SECRWsecrw])\s?([1-7])\b")


_SETTING = {
    "C": re.compile(r"\b(home ?care|domiciliary|care at home|(?:clients?|people)'?s?'? own homes?|"
                    r"(?:in )?(?:their|his|her) own homes?|visits?|community (?:care|service)|supported living|"
                    r"care agency|home care agency|(?:home ?care|care) agencies|"
                    # how care workers on a round say it: "at my client's flat", "on my morning call"
                    r"clients?'?s? (?:house|flat|home|bungalow)|(?:at|in) (?:his|her|their) (?:house|flat|bungalow)|"
                    r"(?:morning|lunch|lunchtime|tea|teatime|bedtime|double[- ]up) calls?(?! bells?)|"
                    r"(?:on )?my (?:round|calls|run))\b", re.I),
    "R": re.compile(r"\b(care homes?|nursing homes?|residential|residents?|dementia unit|lounge|"
                    r"dining room|call bells?|buzzers?|(?:on|in) (?:our|my|the) (?:unit|floor|wing))\b", re.I),
}


_KEY_QUESTION = {
    "Well-led": re.compile(r"\bwell[- ]?led\b", re.I),
    "Responsive": re.compile(r"\bresponsive\b", re.I),
    "Effective": re.compile(r"\beffective\b(?= key question|\?|$)|\bunder (the )?effective\b", re.I),
    "Caring": re.compile(r"\bcaring\b(?= key question|\?|$)|\bunder (the )?caring\b", re.I),
    "Safe": re.compile(r"\bsafe\b(?= key question|\?|$)|\bunder (the )?safe\b", re.I),
}


_INSPECTOR = re.compile(r"\binspectors? (will |would |might )?(look|looks|looking|expect|want|check)", re.I)
# What people say about a service ("what do people tell inspectors when the manager is invisible?", "what would
# the good residents' comments sound like?") is answered by the guide's telling signs, its quotes of people
# who use and work in services; those of a failing service when the question is about one. Not what the
# asker is to tell an inspector ("can I tell the inspector ...", "coach staff to tell the inspector ...").
_HEARD = re.compile(
    r"\b(what|how) (do|does|would|might|will|did|were|was|are|is)\b[^?.]{0,40}?\b(residents?|people|clients?|"
    r"service users?|staff|(new )?starters|new carers|employees|volunteers|visitors|"
    r"care workers?|carers|famil(y|ies)|relatives?|they|someone|a person|customers?|tenants?|gps?|doctors?|"
    r"nurses?|(health|community|social care|other) professionals|professionals|commissioners)\b[^?.]{0,30}?"
    # "tell" as telling an inspector, not as working out ("how would staff tell if someone is dehydrated?")
    r"\b(say|saying|said|sound like|describe|tell (the )?(inspectors?|cqc|visitors)?\s?(about|when|that))\b"
    r"(?! (if|whether|the difference))"
    r"|\b(residents?'?|people'?s|famil(y|ies)'?s?|relatives'?|staff|clients'?)\s+comments? (would |might |should )?"
    r"(sound|look) like\b"
    r"|\binspectors? (hear|heard|hears)\b"
    r"|\b(say|said|tell|told) (to )?(the |an |our )?inspectors?\b|\bquotes? from (residents|people|families|staff|"
    r"clients)\b|\bwhat (kind of |sort of )?(things|feedback|comments)\b[^?.]{0,20}\b(residents?|people|clients?|"
    r"families|relatives|staff)\b[^?.]{0,10}\b(say|give|make)\b", re.I)
_TOLD_TO = re.compile(r"\b(i|we|me|us|staff to|residents to|them to)\b[^?.]{0,12}\b(tell|say)\b[^?.]{0,10}"
                      r"\binspectors?\b|\bcoach\w*\b", re.I)
_FAILING = re.compile(r"\b(not|isn'?t|aren'?t|doesn'?t|don'?t|never|no|poor|poorly|bad|badly|rubbish|wrong|failing|"
                      r"invisible|"
                      r"short[- ]?staffed|understaffed|struggl\w*|worse|unhappy|neglect\w*|lacking|missing|late|"
                      r"rushed|ignored|inadequate|requires improvement)\b", re.I)


_INTENT: dict[BlockKind, re.Pattern[str]] = {
    # A session for the team ("a supervision session on dignity") is built around what others did.
    BlockKind.PRACTICAL_EXAMPLE: re.compile(r"\b(examples?|ideas?|how do other|what have other|in practice|"
                                            r"(supervision|training|team) (sessions?|topics?|meetings? on)|"
                                            r"toolbox talks?|discussion questions?)\b", re.I),
    # What inspectors flag or pick up on is what goes wrong (measured: key points 0.8405 -> 0.8428 over the
    # tuning sets, fresh 0.792 -> 0.817; "is that ok?" as the same intent cost blind8 and blind14 0.02 each)
    BlockKind.WHAT_TO_AVOID: re.compile(r"\b(avoid|wrong|bad practice|mistakes?|pitfalls?|not to do|poor|no[- ]nos?|"
                                        r"don'?ts)\b"
                                        # what the asker flagged is their concern (after blind30 was read)
                                        r"|(?<!\bi )(?<!\bwe )(?<!\bi've )(?<!\bi have )(?<!\bi had )"
                                        r"\b(flag|flags|flagged|pick(ed)? up on|criticis\w*|marked down|failings?|"
                                        r"shortfalls?)\b"
                                        # what to steer clear of in a service, not warning signs of sepsis
                                        r"|\b(steer clear\b(?=[^?.]{0,40}\b(inspect\w*|cqc|ratings?|practice|"
                                        r"records?|care plans?)\b)|ratings? killers?|(red flags?|warning signs?)\b"
                                        r"(?=[^?.]{0,60}\b(inspect\w*|cqc|ratings?|service|home|agency|provider|"
                                        r"practice|culture|leadership|manag\w*|governance|retention|recruitment|"
                                        r"engagement|staffing|supervision|inadequate|requires improvement)\b)|"
                                        r"(trip|trips|tripped) (us|services|homes|providers|agencies) up|"
                                        r"catch\w* (us|services|homes|providers|agencies|managers) out|no-?nos?)\b",
                                        re.I),
    BlockKind.TELLING_SIGN_POOR: re.compile(r"\b(going wrong|inadequate|requires improvement|telling signs?|"
                                            r"would (?:residents|people|staff|families) say)\b", re.I),
    BlockKind.TELLING_SIGN_GOOD: re.compile(r"\b(telling signs?|inspectors? (?:look|quote)|outstanding)\b", re.I),
    BlockKind.KEY_RECOMMENDATION: re.compile(r"\b(key recommendations?|summar[iy]\w*|cover|covers|about|overview|"
                                             r"main points?|key points?|run ?down|gist|outline|in a nutshell|"
                                             r"nutshell|recap|headlines?|brief(ing)?)\b", re.I),
    # Questions about inspections and ratings themselves are answered by the guide's front sections.
    BlockKind.FRONT: re.compile(
        r"\b(ratings?|rated|draft (inspection )?report|factual accuracy|inspection (report|process|visit)|"
        r"inspectors? (will )?(ask|asks|talk|speak)|prepar\w* for (an |the |our )?inspection|mock inspections?|"
        r"provider information (return|collection)|aggregat\w*|"
        r"(cqc|inspector|inspection) (is )?(coming|due|visit\w*))\b",
        re.I,
    ),
}


# A short question that names a code ("what does W3 cover?") asks for the section's summary.
_CODE_ONLY_WORDS = 8


_GLOSSARY = Path(__file__).resolve().parent.parent / "data" / "glossary.toml"


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of glossary.toml: the asker's words (``when``) and the guide's for them (``add``)."""
    when: tuple[re.Pattern[str], ...]
    add: str
    specific: bool = False  # care's own jargon: the relevance gate is a little more lenient with it
    lead: bool = False  # the guide's words choose the answer's lead too (lead_words)

    def used(self, lower: str) -> bool:
        return any(p.search(lower) for p in self.when)


@cache
def _glossary() -> tuple[Term, ...]:
    data = tomllib.loads(_GLOSSARY.read_text(encoding="utf-8"))
    if bad := [t.get("add") for t in data["term"] if set(t) - {"when", "add", "specific", "lead"}]:
        raise ValueError(f"glossary.toml, {bad[0]!r}: unknown key (when, add, specific and lead are known)")
    return tuple(Term(tuple(lower_case([p], f"glossary.toml, {t['add']!r}") for p in t["when"]), t["add"],
                      t.get("specific", False), t.get("lead", False)) for t in data["term"])


@lru_cache(maxsize=16384)  # asked of every word of every question by the gate
def expand(text: str) -> str:
    """The question followed by the guide's words for the everyday terms it uses (see glossary.toml)."""
    lower = text.lower()  # the patterns are matched in lower case (assistant/patterns.py)
    adds = [t.add for t in _glossary() if t.used(lower)]
    return f"{text} {' '.join(dict.fromkeys(adds))}" if adds else text


def lead_words(text: str) -> str:
    """The guide's words for the question's terms whose glossary entry says they choose the answer's lead
    too (``lead = true``): a concern told in the asker's words ("is there anywhere else I can go?") is
    answered by the guide's whistleblowing row, which shares none of them."""
    lower = text.lower()
    return " ".join(dict.fromkeys(t.add for t in _glossary() if t.lead and t.used(lower)))


def uses_care_terms(text: str) -> bool:
    """Whether the text uses one of the glossary's specific care terms ("MAR chart", "spot checks")."""
    return bool(_care_terms().search(text.lower()))


@cache
def _care_terms() -> re.Pattern[str]:
    """The glossary's specific terms as one pattern: one search per question, not one per term."""
    return lower_case((p.pattern for t in _glossary() if t.specific for p in t.when),
                      "glossary.toml")


@cache
def pattern_words() -> frozenset[str]:
    """The words the reviewed data files match on ("complan", "fortisip"): never 'mended' into others."""
    texts = [_GLOSSARY.read_text(encoding="utf-8")]
    texts += [(_GLOSSARY.parent / name).read_text(encoding="utf-8") for name in ("safety.toml", "out_of_scope.toml")]
    return frozenset(w for text in texts for w in re.findall(r"[a-z]{5,}", text.lower()))


# A question that asks for a figure (how long, a deadline, what it costs, how many millilitres, what
# percentage) is answered by a passage that gives one of that kind: such passages are favoured in the
# ranking (fusion.py), and without one the documents speak only around the question (chat.py).
_NUMERAL = (r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|"
            r"twenty|thirty|forty|fifty|sixty|ninety|hundred|a few|several|a couple of)")


@dataclass(frozen=True, slots=True)
class Figure:
    what: str  # the kind of figure, as the answer names it
    asked: re.Pattern[str]
    given: re.Pattern[str]


FIGURES = (
    Figure("a time or a deadline", re.compile(
        r"\bhow long\b(?!-| ago\b)|\bhow many (?:more )?(?:working )?(?:days?|weeks?|months?|years?|hours?|minutes?)\b|"
        r"\bwithin how (?:many|long)\b|\bwhat(?:'s| is|s)? the (?:deadline|time ?limit|timescale|cut-?off)\b"
        # after blind28 was read: "what total qualification time in hours ..."
        r"|\b(?:time|duration|length) in (?:hours|days|weeks|months)\b"
        # stop 59, after blind44 was read: "what's the legal retention period for their care file?"
        r"|\bwhat(?:'s| is|s| are)? the (?:\w+ ){0,2}(?:retention|notice|probation(?:ary)?|waiting|grace|"
        r"cooling[- ]off) periods?\b", re.I),
        re.compile(rf"\b{_NUMERAL}[\s-]+(?:working[\s-]+)?(?:days?|weeks?|months?|years?|hours?|minutes?|"
                   r"fortnights?)\b|\b\d+ ?(?:hrs?|mins?)\b", re.I)),
    Figure("a cost or a price", re.compile(
        r"\bhow much (?:does|do|will|would|is|are|should|can)\b.{0,60}\b(?:cost|costs|pay|paid|charge|fees?|earn|"
        r"fined?)\b|"
        r"\bwhat (?:does|do|will|would) .{0,60}\bcost\b|"
        r"\bwhat(?:'s| is|s| are)? the (?:(?:maximum|minimum|biggest|usual|typical|average|current|standard|"
        r"weekly|hourly|daily|monthly|local) )*(?:cost|price|fee|fine|penalty|going rate|hourly rate)s?\b"
        # stop 58, after blind43 was read: "what's a typical fee around here?"
        r"|\bwhat(?:'s| is|s| are)? (?:a |an )?(?:typical|average|usual|normal|going) "
        r"(?:weekly |hourly |daily |monthly )?(?:fees?|costs?|prices?|charges?)\b"
        # after blind35 was read: "what will the invoice come to", "ballpark weekly fees"
        r"|\b(?:invoice|bill|total|fees?|costs?|charges?)\b[^?.]{0,30}\bcome to\b"
        r"|\bballpark\b[^?.]{0,30}\b(?:fees?|costs?|prices?|figures?|budget)\b", re.I),
        re.compile(r"£ ?\d|\b\d+(?:\.\d+)? (?:pounds|pence)\b", re.I)),
    Figure("an amount", re.compile(r"\bhow many (?:mls?|millilitres?|litres?|cups|glasses)\b", re.I),
           re.compile(r"\b\d+(?:\.\d+)? ?(?:ml|millilitres?|litres?|l)\b|\b(?:cups|glasses|mugs) (?:of|a day)\b",
                      re.I)),
    Figure("a measurement", re.compile(
        r"\bsquare (?:metres|meters|feet|foot)\b|\bwhat temperature\b|\bhow (?:big|wide|large|high|tall|hot|warm|cold) "
        r"(?:should|must|does|do|is|are|can|has|have)\b|\b(?:minimum|maximum) (?:floor )?(?:area|size|width|height|"
        r"temperature|room size|space)\b"
        # stop 59, after blind44 was read: "the maximum safe hot water temperature at bath and basin taps"
        r"|\b(?:minimum|maximum|max|min|safe|recommended|legal|required|ideal|correct|right) (?:\w+ ){0,3}"
        r"temperatures?\b", re.I),
        re.compile(r"\d+(?:\.\d+)? ?(?:m2|m²|square|sq|metres?|meters?|mm|cm|feet|ft|°|degrees|celsius)", re.I)),
    Figure("a ratio", re.compile(
        r"\b(?:what|which|the|a|any) (?:minimum |legal |safe |required |recommended |set )?(?:staff(?:ing)?[\s-]+)?"
        r"(?:(?:to[\s-]+)?(?:resident|client|patient|service user)s?[\s-]+)?ratios?\b|"
        r"\bhow many (?:staff|carers|care workers|nurses|members of staff) (?:per|for every|to every) \w+", re.I),
        re.compile(r"\b\d+ ?(?::|to) ?\d+\b|\b(?:one|two|three|\d+) (?:\w+ ){0,2}(?:to|for every|per) "
                   r"(?:\d+|one|two|three|four|five|six|seven|eight|ten|twelve) "
                   r"(?:residents|clients|people|patients|service users)\b", re.I)),
    Figure("a percentage", re.compile(r"\bwhat (?:percentage|per ?cent|proportion)\b|\b(?:what|how many) ?%"
                                      # after blind28 was read: "this year's flu vaccine uptake target"
                                      r"|\b(?:uptake|take-up|vaccination|completion|coverage) (?:rate |level )?"
                                      r"targets?\b", re.I),
           re.compile(r"\d ?(?:%|per ?cent)|\b(?:half|a third|a quarter|two thirds|three quarters)\b", re.I)),
    # stop 59, after blind44 was read: "At what NEWS2 total should a care home escalate?" (not "at what point":
    # when to act is often the guide's to say)
    Figure("a score", re.compile(r"\bat what (?:\w+ ){0,2}(?:score|total|reading|threshold)\b|\bwhat (?:\w+ ){0,2}"
                                 r"(?:score|total|reading) (?:counts|means|is|should|do|does)\b", re.I),
           re.compile(r"\b(?:score|total|reading)s? (?:of )?(?:\d+|one|two|three|four|five|six|seven)\b|"
                      r"\b\d+ (?:or (?:more|above|higher|over)|and above)\b|\b(?:above|over|below|under) \d+\b", re.I)),
    # after blind28 was read: "What's the go-live date for LPS ...?"
    Figure("a date", re.compile(r"\bwhat(?:'s| is|s)? the (?:go[- ]live|start|launch|commencement|implementation|"
                                r"effective|closing|submission|renewal) dates?\b|\bwhen (?:does|do|will|is) [^?.]{0,40}"
                                r"\b(?:come into force|go live|take effect|come in)\b"
                                # stop 58, after blind43 was read: "the current timetable for LPS coming in"
                                r"|\b(?:timetable|timeline|timescale|date)s? for\b[^?.]{0,40}\b(?:coming in|to come in|"
                                r"coming into force|go(?:ing)? live|being introduced|introduc\w*|replac\w*|"
                                r"roll(?:ing)?[- ]out|launch\w*)\b"
                                r"|\bwhen (?:is|are|will) [^?.]{0,40}\b(?:coming in|coming into force|"
                                r"being introduced|replacing|being rolled out|launching)\b", re.I),
           re.compile(r"\b(?:\d{1,2}(?:st|nd|rd|th)? )?(?:january|february|march|april|may|june|july|august|"
                      r"september|october|november|december)(?: \d{4})?\b|\b(?:19|20)\d{2}\b", re.I)),
)


# The words that ask for a figure, not what it is about ("how long", "what does it cost").
FIGURE_WORDS = ("how long many much cost costs price prices fee fees fine fines penalty deadline time limit timescale "
                "cut-off working day days week weeks month months year years hour hours minute minutes percentage "
                "per cent proportion square metres meters feet temperature minimum maximum millilitres litres big "
                "size area ratio ratios date dates go-live go live target targets uptake score total reading threshold "
                "retention notice period")


def figures_stated(text: str) -> tuple[Figure, ...]:
    """The kinds of figure a text gives ("28 days": a time)."""
    return tuple(f for f in FIGURES if f.given.search(text))


def figures_asked(text: str) -> tuple[Figure, ...]:
    """The kinds of figure a question asks for ("what does it cost and how long does it take?": two)."""
    return tuple(f for f in FIGURES if f.asked.search(text))


@dataclass(frozen=True, slots=True)
class Query:
    """A question as the retriever understands it."""

    text: str
    codes: tuple[str, ...] = ()
    key_question: str | None = None
    setting: str | None = None  # "R" or "C"
    intents: tuple[BlockKind, ...] = ()
    figures: tuple[Figure, ...] = ()  # the figures asked for: how long, what it costs
    stated: tuple[Figure, ...] = ()  # the figures a claim in the question states ("CQC gives 28 days")
    names: tuple[str, ...] = ()  # names of several capitalised words, in lower case ("care improvement works")
    # What people say that the question asks for ("what do residents say when it's working?"): the telling signs,
    # good or poor, which share few words with the question and so lead only when asked for by kind.
    voices: BlockKind | None = None


def wants_examples(text: str) -> bool:
    """Whether a question asks how others did it (the intent that makes examples lead)."""
    return bool(_INTENT[BlockKind.PRACTICAL_EXAMPLE].search(text))


def understand(text: str) -> Query:
    """Codes, setting and intents mentioned in a question. Never fails; unknown words are ignored."""
    codes = tuple(dict.fromkeys(f"{m.group(1).upper()}{m.group(2)}" for m in _CODE.finditer(text)))
    codes = tuple(c for c in codes if c in KLOE_CODES)
    c_hits = len(_SETTING["C"].findall(text))
    r_hits = len(_SETTING["R"].findall(text))
    setting = "C" if c_hits > r_hits else "R" if r_hits > c_hits else None
    if re.search(r"rather than care homes?|not (?:a |in a )?care homes?", text, re.I):
        setting = "C"
    intents = tuple(kind for kind, pattern in _INTENT.items() if pattern.search(text))
    key_question = next((kq for kq, pattern in _KEY_QUESTION.items() if pattern.search(text)), None)
    if not codes and not key_question:
        intents = tuple(k for k in intents if k is not BlockKind.KEY_RECOMMENDATION)
    if codes and len(_CODE.sub("", text).split()) <= _CODE_ONLY_WORDS:
        intents = (BlockKind.KEY_RECOMMENDATION, *intents)
    if _INSPECTOR.search(text):
        intents = (*intents, BlockKind.KEY_RECOMMENDATION, BlockKind.RECOMMENDATION, BlockKind.TELLING_SIGN_GOOD)
    voices = None
    if _HEARD.search(text) and not _TOLD_TO.search(text):
        # what people said in a poorly rated service is its telling signs, not the guide's pages on ratings
        voices = BlockKind.TELLING_SIGN_POOR if _FAILING.search(text) else BlockKind.TELLING_SIGN_GOOD
        intents = (*(k for k in intents if k is not BlockKind.FRONT), voices)
    return Query(text=text, codes=codes, key_question=key_question, setting=setting,
                 intents=tuple(dict.fromkeys(intents)), figures=figures_asked(text), names=names_in(text),
                 voices=voices)


# A name of two or more capitalised words, not opening a sentence ("What is Care Improvement Works?", "the
# Mental Capacity Act", "Skills for Care"): a passage that uses it is about that very thing, which
# stemmed words ("care", "work", "improve") do not tell.
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:\s+(?:(?:for|of|and|in|the)\s+)?[A-Z][a-z]+)+)\b")


def names_in(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(1).lower() for m in _NAME.finditer(text.strip())))


# "What will the inspector look for under Well-led?" asks about a key question as a whole: once the
# key question, the asking and the setting are taken out, nothing is left ("... about duty of candour"
# leaves "duty candour" and is answered as usual).
_OVERVIEW_FILLER = re.compile(
    r"\b(well[- ]?led|safe|effective|caring|responsive|key|questions?|kloes?|lines? of enquiry|what|which|will|would|"
    r"does|do|is|are|the|a|an|an?|for|under|on|in|of|about|cover|covers|covered|mean|means|look|looks|looking|"
    r"expect|expects|want|check|checks|inspectors?|inspections?|cqc|recommendations?|summary|summarise|overview|"
    r"main|points?|tell|me|us|we|our|my|i|you|explain|please|guide|say|says|this|that|it|they|there|at|"
    r"care ?homes?|home ?care|service|services|domiciliary|residential|nursing|homes?)\b|[^\w\s]", re.I)


# What is left of "can you give me a quick rundown of R3 for a team huddle?" once the asking is taken
# out: nothing, so it asks for the section as a whole ("... about lone working" leaves "lone working").
_SUMMARY_FILLER = re.compile(
    r"\b(run ?down|gist|outline|nutshell|recap|headlines?|brief(ing)?|quick|short|simple|again|pls|plz|can|"
    r"could|give|show|team|huddles?|meetings?|sessions?|handovers?|briefings?|staff|new|starters?|one|whats|"
    r"what's|in|all|with|key|section|bits?|stuff|just|so|everyone|remind|reminder|refresher|need|know|"
    r"to|go|through|over|cover|covers|is|are|be)\b", re.I)


def asks_summary(query: Query) -> tuple[str, ...]:
    """The sections a question names and asks to have summed up ("what does W3 cover?", "a quick rundown
    of R3 for a team huddle"): answered from their key recommendations."""
    if not query.codes or BlockKind.KEY_RECOMMENDATION not in query.intents:
        return ()
    rest = _SUMMARY_FILLER.sub(" ", _OVERVIEW_FILLER.sub(" ", _CODE.sub(" ", query.text)))
    return () if any(len(w) > 1 for w in rest.split()) else query.codes  # "u", "s" of "what's" are not words


def asks_overview(query: Query) -> bool:
    """Whether a question asks about a whole key question rather than something in it."""
    return bool(query.key_question and not query.codes and BlockKind.KEY_RECOMMENDATION in query.intents
                and not _OVERVIEW_FILLER.sub(" ", query.text).strip())


# A follow-up starts like one ("and for home care?", "what about night staff?", a supposition: "what if he's
# also got swallowing problems?") or leans on the earlier question with a pronoun ("give me an example of it").
# "that" and "this" count only at the end or before a few words: elsewhere they are as often a conjunction or a
# determiner ("how do I know that night staff ...").
_FOLLOW_UP_START = re.compile(
    r"^\s*(and|or|but|so|ok|okay|also|then|same|what about|how about|what else|any (more|other|examples?)|"
    r"(can|could) you (give|show) me (an?|some|another|more|any) (\w+ )?examples?|"
    r"(is|are) there (an?y?|some|more) (\w+ )?examples?( of (it|that|this|them))?\W*$|"
    r"give me an? (example|examples)|examples?|more)\b",
    re.I,
)
# Asking about a possibility: it follows on from what was asked before, and tells of no event (chat.py).
# (also after "ok but", "and", "so": blind41's "ok but what if the gentleman doesn't have capacity to make that choice
# about his pills" came near overdoses in meaning once stop 56's labelled emergencies joined the examples)
_SUPPOSING = re.compile(r"^\W*((ok(ay)?|and|but|so|also|right)\W+)*what if\b", re.I)
# Asking what others have tried, with no topic of its own: "any creative ideas other agencies have tried?"
_OTHERS_TRIED = re.compile(r"^\W*(any|some|got any) (\w+ )?(ideas|suggestions|tips)\b|\b(worked|work) for other\b|"
                           r"\bother (homes|agencies|services|providers|places|managers)\b.{0,30}"
                           r"\b(tried|done|found)\b", re.I)
# A message that asks something: a question mark, or the first word of a question or a request.
_ASKS = re.compile(r"\?|^\W*(how|what|why|when|where|who|which|can|could|should|would|do|does|did|is|are|was|were|"
                   r"will|have|has|any|tell|give|show|list|explain|describe|help|please)\b", re.I)
# "that" and "this" do point back when nothing follows them: "bad practice on that?", "how that works".
_POINTING_BACK = re.compile(r"\b(that|this)\W*$|\b(that|this) (works?|one|idea|approach|helps?|happens?)\b", re.I)
# After blind29 was read (16 of its 66 follow-ups were read alone and missed their evidence): "that" or "this" as
# what is done, had or asked about ("is that enough", "getting that right", "put that across", "in that decision",
# "that kind of training"), not "so that", "says that ...", "is that the ..."; "the ones"; "... though. why?". Only
# in the question's first sentence, with no "or" before it: after a sentence of its own ("Our manager speaks at a
# forum. Does that count?") or a choice ("..., or is that overkill?"), it points at what the question said.
_DEMONSTRATIVE = re.compile(
    # asked of it: "is that enough", "does this count", not "does this guide say"
    r"^[^.?!]*?(?<!\bor )\b(is|was|isn'?t|does|did|should|would|could) (that|this)(?=\W*$|\s*[,.?!]|\s+(really|"
    r"actually|still|also|even|just|ok|okay|enough|right|wrong|normal|fine|allowed|acceptable|good|bad|true|count|"
    r"mean|apply|work|matter|help|happen|look|come|start|need|sound|seem|fit|cover|include|involve)\b)"
    # done with it: "getting that right", "put that across", "in that decision"
    r"|^[^.?!]*?(?<!\bor )\b(getting|get|got|put|putting|doing|into|in|about|with|from|handle|handling|start|"
    r"starting|see|seeing|make|making) (that|this)\b(?!\s+(the|a|an|we|they|i|you|he|she|it|our|their|there|staff|"
    r"people|residents?|clients?|services?|homes?|is|are|was|were|guide|document|paper|service|home|week|month|year)\b)"
    r"|^[^.?!]*?\b(that|this) (decision|kind|sort|type|process|situation|case|part|bit|meeting|conversation|change|"
    r"problem|issue|stuff|training)\b|^[^.?!]*?\bthe ones\b|\bthough\W*([.?!]|$)",
    re.I)
# After blind34 was read (14 of its 50 follow-ups were read alone, 9 of them missing their evidence): someone "like
# her", "write one up", a verb left without its object ("before he's allowed to?"), "is that a governance thing",
# "all this community stuff", a change or decision named as already known ("knows about the change?").
_ELLIPTICAL = re.compile(
    # only in the question's first sentence: after a sentence of its own ("One of our residents keeps falling.
    # What have others put in place for people like her?") it points at what the question said
    r"^[^.?!]*?(\b(someone|somebody|people|residents?|clients?|a (man|woman|lady|gentleman|person)) like (her|him|them|"
    r"that|this)\b|\b(write|do|fill|draw|set|put|draft|make) one (up|in|out|together)\b"
    r"|\b(allowed|able|going|want|wants|wanted|have|has|need|needs|got|supposed|meant) to\W*$"
    r"|(?<!\bor )\b(is|was) (that|this|it) (a|an|just|more|really|mainly|mostly) (\w+ ){0,2}(thing|issue|matter|"
    r"problem|question|job)\b"
    r"|\ball (this|that|these|those) (\w+ )?(stuff|things?|business|work)\b"
    r"|\b(about|with|after|for) the (change|changes|decision|incident|situation|new system|new way)\W*$)",
    re.I)


# Words that say who is asked, where, how well it went and the asking itself, not what about: a question of only
# these ("what were staff actually saying in the poorly rated services?", "what would a GP say about a home that
# does this really well?") takes its subject from the one before it (after blind26 was read: 20 of its 62
# follow-ups had no evidence in the top five, most of them asking what people said).
_NO_TOPIC = frozenset([
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by", "from", "about", "is", "are",
    "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "what", "which", "who", "how",
    "when", "where", "why", "do", "does", "did", "doing", "done", "would", "could", "should", "might", "will",
    "can", "may", "say", "says", "said", "saying", "hear", "heard", "hearing", "tell", "told", "telling", "quote",
    "quotes", "quoted", "sound", "sounds", "like", "look", "looks", "actually", "really", "just", "ones", "one",
    "there", "their", "theirs", "they", "them", "we", "our", "us", "you", "your", "i", "me", "my", "people",
    "person", "staff", "carers", "carer", "care", "workers", "worker", "residents", "resident", "clients",
    "client", "families", "family", "relatives", "relative", "inspectors", "inspector", "gp", "gps", "doctor",
    "doctors", "nurse", "nurses", "health", "community", "social", "professionals", "professional", "managers",
    "manager", "services", "service", "homes", "home", "places", "place", "agencies", "agency", "providers",
    "provider", "organisations", "organisation", "companies", "rated", "rating", "ratings", "badly", "poorly",
    "poor", "bad", "good", "well", "better", "best", "worst", "outstanding", "inadequate", "requires",
    "improvement", "failing", "failed", "completely", "very", "so", "then", "else", "more", "other", "others",
    "some", "any",
    # after blind34 was read: "who do we tell and how fast?", "what sort of everyday things, specifically?"
    "fast", "quickly", "soon", "much", "many", "sort", "kind", "things", "thing", "specifically", "exactly",
    "everyday", "get", "gets", "have", "has", "we're", "need", "needs"])


def topicless(question: str) -> bool:
    """Whether the question names nothing it is about, only who says it, where and how well it went."""
    words = re.findall(r"[a-z]+", question.lower())
    return len(words) >= 3 and all(w in _NO_TOPIC for w in words)


# "they", "them", "their", "him", "her" after someone the question names ("how do we support residents when they
# refuse care?") point at them, not back at the question before. Measured by `python evals/follow_ups.py` (stop
# 42, the read sets with blind27): a new question asked after an unrelated one found its evidence in the top five
# 0.687 of the time (0.877 with nothing before it); 0.760 with this, and follow-ups 0.800 -> 0.802.
_PERSON_PRONOUN = re.compile(r"\b(they|them|their|theirs|him|her)\b", re.I)
_SOMEONE = re.compile(r"\b(residents?|people|person|persons|someone|somebody|anyone|everyone|staff|carers?|workers?|"
                      r"clients?|service users?|tenants?|individuals?|famil(y|ies)|relatives?|mum|mother|dad|father|"
                      r"man|men|woman|women|lady|ladies|gentleman|gentlemen|son|daughter|husband|wife|partner|"
                      r"managers?|nurses?|colleagues?|team|visitors?|inspectors?|applicants?|candidates?|volunteers?|"
                      r"starters?|employees?|leaders?|owners?|providers?|agency|agencies|homes?|services?|"
                      r"(mr|mrs|miss|ms) \w+)\b", re.I)
_NAME_WITHIN = re.compile(r"(?<!^)(?<![.?!] )\b[A-Z][a-z]+\b")  # "does Joan need her ..." (not a first word)
# Pointing back at a thing or a place has no such test: "it", "those", "there" (as a place, "bad practice
# there", not "is there any ...") are as often the earlier subject.
_POINTS_AT_THING = re.compile(r"\b(it|its|those|these|afterwards|after that)\b|\binstead\W*$|"
                              r"(?<!is )(?<!are )(?<!was )\bthere\b(?!\s+(is|are|was|were)\b|'s)", re.I)


def supposes(question: str) -> bool:
    """Whether the question asks about a possibility ("what if ...?")."""
    return bool(_SUPPOSING.search(question))


def leans_back(question: str) -> bool:
    """Whether a pronoun in the question points back at the question before: one for a thing or a place, or one
    for a person with nobody named before it in the question."""
    if _POINTS_AT_THING.search(question):
        return True
    person = _PERSON_PRONOUN.search(question)
    before = question[: person.start()] if person else ""
    return person is not None and not (_SOMEONE.search(before) or _NAME_WITHIN.search(before))


# A web address, bare or as a markdown link or image ("![chart](http://example.com/a.png)"): it says nothing the
# documents could answer, and its parts ("png", "http") read as words they never use. The link's text stays.
_LINKED = re.compile(r"!?\[([^\[\]]*)\]\((?:https?://|www\.)[^()\s]*\)|\b(?:https?://|www\.)\S+", re.I)


def without_links(question: str) -> str:
    """The question without web addresses, keeping a link's own text."""
    return " ".join(_LINKED.sub(lambda m: m.group(1) or " ", question).split()) if "://" in question or \
        "www." in question else question


def resolve_follow_up(question: str, history: Sequence[str], earlier: bool = False) -> str:
    """The text to search with: a follow-up borrows the last earlier question; a new question stands alone.
    A follow-up that names another setting ("and in home care?") borrows the topic without the earlier
    setting's words, so its sources change with it. An ``earlier`` message that asks nothing ("We've
    tried job boards and the local paper.") told more about the question before it, and is read with it."""
    if not history:
        return question
    words = question.split()
    if _FOLLOW_UP_START.search(question) or supposes(question) or len(words) <= 2 or leans_back(question) \
            or _POINTING_BACK.search(question) or _DEMONSTRATIVE.search(question) or _OTHERS_TRIED.search(question) \
            or topicless(question) or _ELLIPTICAL.search(question) \
            or (earlier and not _ASKS.search(question)):
        return joined(question, history)
    return question


def joined(question: str, history: Sequence[str]) -> str:
    """The question read as a follow-up of the last earlier question (``history``, oldest first, not empty):
    what ``resolve_follow_up`` searches when its rule says so, and the other reading when it does not
    (fusion.Retriever.read)."""
    # The earlier question may itself follow on ("We've tried job boards" after a question about
    # recruiting): it is read as it was searched then.
    earlier_text, now = resolve_follow_up(history[-1], history[-3:-1], earlier=True), understand(question).setting
    if now and understand(earlier_text).setting not in (None, now):
        for other, named in _SETTING.items():
            earlier_text = earlier_text if other == now else named.sub("", earlier_text)
        earlier_text = " ".join(earlier_text.split())
    return f"{earlier_text} {question}"
