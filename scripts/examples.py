"""Write assistant/data/emergency_examples.jsonl and topic_examples.jsonl: the labelled messages the
assistant recognises emergencies, and questions about something other than care, by meaning from
(assistant/answer/recognise.py), taken from the evaluation sets that are tuned on; and
answered_examples.jsonl, those sets' answerable questions with the sentences that answer them
(assistant/retrieve/answered.py). Emergencies are labelled with the situation the reviewed patterns give
them (or the label the writer gave, for evals/emergencies.jsonl, messages written as examples, or, where the
patterns give none, the one written by hand in evals/emergency-situations.jsonl: the script lists a newly read
set's emergencies that have neither, to be labelled there or left out as requests to do wrong); every
other question of those sets is an example of what is not an emergency; and answerable_examples.jsonl,
every question of those sets but emergencies, with whether the documents answer it
(assistant/answer/answerable.py). Every set that has been read is tuned on: its figures are then measured
with ``python -m assistant eval --leave-out``, which takes its questions out of every example file first.
The held-out sets (HELD_OUT: heldout, emergencies4, refusals4, blind6, blind11, refusals5 and refusals6,
whose even halves are unread, and the newest blind set) are never read and never examples (a question a
tuned set shares with them word for word is left out, by machine).

    .venv/bin/python scripts/examples.py
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Tuned sets' emergencies labelled with their situation by hand, where the reviewed patterns find none.
LABELLED = ROOT / "evals" / "emergency-situations.jsonl"
sys.path.insert(0, str(ROOT))

from assistant.answer.answerable import EXAMPLES as ANSWERABLE  # noqa: E402
from assistant.answer.recognise import EXAMPLES, TOPICS  # noqa: E402
from assistant.answer.safety import emergencies  # noqa: E402
from assistant.ingest.clean import clean_line  # noqa: E402
from assistant.labelled import same  # noqa: E402
from assistant.retrieve.answered import EXAMPLES as ANSWERED  # noqa: E402

# The sets read before stop 34, examples from the start. Since stop 35 every read set's messages are examples of
# emergencies and of what is not one too (recognise.py): with each later set left out in turn, the recogniser
# alone found the right situation for 250 of their 357 emergencies against 212 with these sets only, and raised
# 10 false alarms in 1,694 other questions against 12 (README, Quality).
FIRST_TUNED = ("dev", "own", "fresh", "blind", "refusals2", "refusals3", "off_topic", "emergencies2", "emergencies3",
               "blind2", "blind3", "blind4", "blind5", "blind7", "blind8", "blind9", "blind10", "blind12", "blind13")
TUNED = (*FIRST_TUNED,
         # Read for rules in later stops, and examples since stop 34: blind19, unread until then, went from
         # key points 0.692 to 0.773 and refusals 0.841 to 0.902 with the others' questions as examples
         # (README, Quality).
         "blind14", "blind15", "blind16", "blind17", "blind18", "blind19", "refusals7", "emergencies5",
         "emergencies6", "emergencies7", "emergencies8", "emergencies9",
         # read in stop 35
         "blind20",
         # read in stop 36
         "blind21",
         # read in stop 37
         "blind22",
         # read in stop 38
         "blind23",
         # read in stop 39
         "blind24",
         # read in stop 40
         "blind25",
         # read in stop 41
         "blind26",
         # read in stop 42
         "blind27",
         # read in stop 43
         "blind28",
         # read in stop 44
         "blind29",
         # read in stop 45
         "blind30",
         # read in stop 46
         "blind31",
         # read in stop 47
         "blind32",
         # read in stop 48
         "blind33",
         # read in stop 49
         "blind34",
         # read in stops 50-53; examples again since stop 53 (in stop 50, with blind35 alone, the judge's fit
         # declined two of the answerable neighbours the tests ask; with all four it declines none of them and
         # answers "How often should residents be weighed?", declined since stop 45: README, Quality)
         "blind35", "blind36", "blind37", "blind38",
         # read in stop 54
         "blind39",
         # read in stop 55
         "blind40",
         # read in stop 56
         "blind41",
         # read in stop 57
         "blind42",
         # read in stop 58
         "blind43",
         # read in stop 59
         "blind44")
EVERY_EMERGENCY_KIND = ("blind2", "blind3", "blind4", "blind5", "blind7", "blind8", "blind9", "blind10", "blind12",
                        "blind13")
# refusals5 and refusals6: their even-numbered halves are unread, their odd halves were read for rules but
# are no examples either.
HELD_OUT = ("heldout", "emergencies4", "refusals4", "blind6", "blind11", "refusals5", "refusals6", "blind45")


def main() -> None:
    rows: list[dict[str, str | None]] = []
    # Messages labelled by their writer. (Not emergencies10, stop 54's 980: as examples its even half found 287 of
    # its odd half's 340 emergencies against 280 without, but its dementia clients' "missing" outvoted abuse for
    # blind38's "a colleague has been using a client's bank card, the client has dementia". It measures the
    # recogniser instead: `python evals/recognise_messages.py evals/emergencies10.jsonl`.)
    for line in (ROOT / "evals" / "emergencies.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        rows.append({"situation": item["situation"], "text": item["message"]})
    # The tuned sets' emergencies the reviewed patterns find nothing in, labelled by hand once read (stop 56):
    # without a label they were no examples at all, and the recogniser never had "smoke is coming from under a
    # resident's bedroom door" next to fires. (Their requests to do wrong, also "safety" in blind2 to blind13, are
    # not labelled: they stay out.)
    labelled = {r["message"]: r["situation"]
                for r in map(json.loads, LABELLED.read_text(encoding="utf-8").splitlines())}
    for name in TUNED:
        # blind2's to blind5's kinds files name every emergency ("safety"); their other safety questions
        # ask the guide about a safety matter afterwards ("we locked the shower room, is that OK?") and are
        # examples of what is not an emergency. (blind's kinds file names only what it does not answer.)
        kinds_file = ROOT / "evals" / f"{name}-kinds.json"
        kinds = json.loads(kinds_file.read_text(encoding="utf-8")) if name in EVERY_EMERGENCY_KIND else None
        for line in (ROOT / "evals" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("category") == "safety" and kinds is not None and kinds.get(item["id"]) != "safety":
                if not emergencies(item["question"]):  # where the reviewed patterns disagree, no example
                    rows.append({"situation": None, "text": item["question"]})
            elif item.get("category") == "safety":
                found = emergencies(item["question"])
                if found:
                    rows.append({"situation": found[0].id, "text": item["question"]})
                elif item["question"] in labelled:
                    rows.append({"situation": labelled[item["question"]], "text": item["question"]})
                elif name == TUNED[-1] and item.get("answerable") is False:
                    print(f"{name}: no situation for {item['id']} (label it in {LABELLED.name} if an emergency)")
            else:
                rows.append({"situation": None, "text": item["question"]})
    # A question written for a tuned set that a held-out set also holds word for word ("Who won the
    # Premier League last season?") is left out, so that the held-out sets stay unseen; they are only
    # compared by machine here, never read.
    held_out = {same(json.loads(line).get("question") or "") for name in HELD_OUT
                for line in (ROOT / "evals" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()}
    unique: dict[str, dict[str, str | None]] = {}
    for row in rows:  # a question in two sets is one example, labelled as it was first
        if same(str(row["text"])) not in held_out:
            unique.setdefault(str(row["text"]), row)
    kept = list(unique.values())
    EXAMPLES.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")
    print(f"{EXAMPLES.relative_to(ROOT)}: {sum(r['situation'] is not None for r in kept)} emergencies, "
          f"{sum(r['situation'] is None for r in kept)} other questions")
    topics = [r for r in topic_examples() if same(r["text"]) not in held_out]
    TOPICS.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in topics), encoding="utf-8")
    print(f"{TOPICS.relative_to(ROOT)}: {sum(r['about'] == 'elsewhere' for r in topics)} about something else, "
          f"{sum(r['about'] == 'care' for r in topics)} about care")
    answered = [r for r in answered_examples() if same(str(r["text"])) not in held_out]
    ANSWERED.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in answered), encoding="utf-8")
    print(f"{ANSWERED.relative_to(ROOT)}: {len(answered)} answered questions and the sentences that answer them")
    judged = [r for r in answerable_examples() if same(str(r["text"])) not in held_out]
    ANSWERABLE.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in judged), encoding="utf-8")
    print(f"{ANSWERABLE.relative_to(ROOT)}: {sum(not r['answerable'] for r in judged)} questions the documents do "
          f"not answer, {sum(bool(r['answerable']) for r in judged)} they do")


def raises_concern(item: dict[str, Any]) -> bool:
    """Whether a set's answerable question tells of a concern the guide covers (retrieve/answered.py): the sets'
    answerable "safety" questions."""
    return bool(item.get("answerable")) and item.get("category") == "safety"


def answered_examples(sets: tuple[str, ...] = TUNED) -> list[dict[str, object]]:
    """The answerable first questions of the tuned sets, each with the sentences that answer it (its
    ``evidence``, copied from the documents): where a question near it in meaning finds its answer."""
    from assistant.ingest.corpus import load_corpus

    passages = [" ".join(c.text.split()) for c in load_corpus(ROOT / "corpus").chunks]
    rows: dict[str, dict[str, object]] = {}
    for name in sets:
        for line in (ROOT / "evals" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("answerable") and item.get("evidence") and not item.get("history") \
                    and (evidence := as_held([clean_line(e) for e in item["evidence"]], passages)):
                rows.setdefault(item["question"], {"text": item["question"], "evidence": evidence,
                                                   **({"concern": True} if raises_concern(item) else {})})
    return list(rows.values())


def as_held(evidence: list[str], passages: list[str]) -> list[str]:
    """The evidence as the passages hold it: each sentence copied from the documents whole where a passage holds
    it, else those of its sentences that one does. A provider's name after its example ("... clarity is needed.
    The Good Care Group") or a heading before a paper's words is not in the passage (from blind35 on); an example
    none of whose sentences a passage holds points at nothing, and is left out."""
    held: list[str] = []
    for text in evidence:
        spaced = " ".join(text.split())  # as passages are searched (retrieve/answered.py)
        parts = [text] if any(spaced in p for p in passages) else re.split(r"(?<=[.!?])\s+", spaced)
        held += [part for part in parts if part not in held and any(" ".join(part.split()) in p for p in passages)]
    return held


# The kinds as one set's writer named them, under the names the others use.
_KIND_NAMES = {"safety_concern": "safety", "on_topic_beyond_documents": "beyond_documents"}


def _asked() -> Iterator[tuple[str, dict[str, Any], str | None]]:
    """Each question of the tuned sets of questions (not the emergency sets): its set, its row, and its
    kind as the set's row or kinds file names it, if either does."""
    for name in (n for n in TUNED if not n.startswith("emergencies")):
        kinds_file = ROOT / "evals" / f"{name}-kinds.json"
        kinds = json.loads(kinds_file.read_text(encoding="utf-8")) if kinds_file.is_file() else {}
        for line in (ROOT / "evals" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                kind = item.get("kind") or kinds.get(item["id"])
                yield name, item, _KIND_NAMES.get(kind, kind)


def answerable_examples() -> list[dict[str, object]]:
    """Every question of the tuned sets but emergencies, whether the documents answer it, whether it was
    asked after another (its history), and why not where the set's kinds file says: what a question the
    documents do not answer is told from by meaning (answer/answerable.py)."""
    rows: dict[tuple[str, bool], dict[str, object]] = {}
    for name, item, kind in _asked():
        if item.get("category") == "safety":  # emergencies get their safety lines whatever this says
            continue
        follow_up = bool(item.get("history"))
        answerable = bool(item.get("answerable", True))
        why = None if answerable else kind or ("out_of_domain" if name == "off_topic" else None)
        rows.setdefault((item["question"], follow_up), {"text": item["question"], "follow_up": follow_up,
                                                        "answerable": answerable, "kind": why})
    return list(rows.values())


def topic_examples() -> list[dict[str, str]]:
    """Questions about something other than care (off_topic.jsonl, and the sets' out-of-domain kind), and
    answerable first questions of the same sets: what a question off the topic of care is told from."""
    rows: dict[str, dict[str, str]] = {}
    for name, item, kind in _asked():
        if item.get("history") or item.get("category") == "safety":
            continue
        # Not the nonsensical kind: what makes no sense shares its subject with care questions ("who gets
        # to keep the MAR chart" is near "backdate the MAR chart"), and meaning here is the subject.
        about = ("elsewhere" if name == "off_topic" or kind == "out_of_domain" else
                 "care" if item.get("answerable", True) else None)
        if about:
            rows.setdefault(item["question"], {"about": about, "text": item["question"]})
    return list(rows.values())

if __name__ == "__main__":
    main()
