"""Write assistant/data/emergency_examples.jsonl and topic_examples.jsonl: the labelled messages the
assistant recognises emergencies, and questions about something other than care, by meaning from
(assistant/answer/recognise.py), taken from the evaluation sets that are tuned on; and
answered_examples.jsonl, those sets' answerable questions with the sentences that answer them
(assistant/retrieve/answered.py). Emergencies are
labelled with the situation the reviewed patterns give them (or the label the set's writer gave, for
evals/emergencies.jsonl); every other question of those sets is an example of what is not an
emergency. The held-out sets (HELD_OUT: heldout, emergencies4, refusals4, blind6, blind11, and the unread
halves of refusals5 and refusals6) are never read, and the sets read only for rules are no examples
either, so that they still measure what this does on messages nobody tuned for (a question a tuned set
shares with them word for word is left out, by machine).

    .venv/bin/python scripts/examples.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answer.recognise import EXAMPLES, TOPICS  # noqa: E402
from assistant.answer.safety import emergencies  # noqa: E402
from assistant.labelled import same  # noqa: E402
from assistant.retrieve.answered import EXAMPLES as ANSWERED  # noqa: E402

TUNED = ("dev", "own", "fresh", "blind", "refusals2", "refusals3", "off_topic", "emergencies2", "emergencies3",
         "blind2", "blind3", "blind4", "blind5", "blind7", "blind8", "blind9", "blind10", "blind12", "blind13")
EVERY_EMERGENCY_KIND = ("blind2", "blind3", "blind4", "blind5", "blind7", "blind8", "blind9", "blind10", "blind12",
                        "blind13")
# refusals5 and refusals6: their even-numbered halves are unread, their odd halves were read for rules but
# are no examples either. blind14, emergencies6, emergencies7 and emergencies9 were read for rules only: kept out of the
# examples so that their figures measure the rules, not recall of the questions.
HELD_OUT = ("heldout", "emergencies4", "refusals4", "blind6", "blind11", "refusals5", "refusals6", "blind14",
            "emergencies6", "emergencies7", "blind15", "refusals7", "emergencies8", "blind16", "blind17", "blind18",
            "blind19")


def main() -> None:
    rows: list[dict[str, str | None]] = []
    for line in (ROOT / "evals" / "emergencies.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        rows.append({"situation": item["situation"], "text": item["message"]})
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


def answered_examples(sets: tuple[str, ...] = TUNED) -> list[dict[str, object]]:
    """The answerable first questions of the tuned sets, each with the sentences that answer it (its
    ``evidence``, copied from the documents): where a question near it in meaning finds its answer."""
    rows: dict[str, dict[str, object]] = {}
    for name in sets:
        for line in (ROOT / "evals" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("answerable") and item.get("evidence") and not item.get("history"):
                rows.setdefault(item["question"], {"text": item["question"], "evidence": item["evidence"]})
    return list(rows.values())


def topic_examples() -> list[dict[str, str]]:
    """Questions about something other than care (off_topic.jsonl, and the sets' out-of-domain kind), and
    answerable first questions of the same sets: what a question off the topic of care is told from."""
    rows: dict[str, dict[str, str]] = {}
    for name in (n for n in TUNED if not n.startswith("emergencies")):
        kinds_file = ROOT / "evals" / f"{name}-kinds.json"
        kinds = json.loads(kinds_file.read_text(encoding="utf-8")) if kinds_file.is_file() else {}
        for line in (ROOT / "evals" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("history") or item.get("category") == "safety":
                continue
            kind = item.get("kind") or kinds.get(item["id"])
            # Not the nonsensical kind: what makes no sense shares its subject with care questions ("who gets
            # to keep the MAR chart" is near "backdate the MAR chart"), and meaning here is the subject.
            about = ("elsewhere" if name == "off_topic" or kind == "out_of_domain" else
                     "care" if item.get("answerable", True) else None)
            if about:
                rows.setdefault(item["question"], {"about": about, "text": item["question"]})
    return list(rows.values())


if __name__ == "__main__":
    main()
