"""Screening a pattern by the strings its matches need (assistant/patterns.py): the same matches, whatever the
text, for every pattern the question readers screen."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.patterns import Screened, needs, screened, top_level_branches

EVALS = Path(__file__).resolve().parents[1] / "evals"


def _screened_patterns() -> dict[str, Screened]:
    from assistant.answer import askable
    from assistant.answer.safety import situations, topics
    from assistant.retrieve.query import _glossary

    found = {f"askable.{k}": v for k, v in vars(askable).items() if isinstance(v, Screened)}
    for s in situations():
        for field in ("patterns", "unless", "now"):
            if isinstance(p := getattr(s, field), Screened):
                found[f"safety.{s.id}.{field}"] = p
    found |= {f"out_of_scope.{t.id}": t.patterns for t in topics() if isinstance(t.patterns, Screened)}
    for term in _glossary():
        found |= {f"glossary.{term.add}.{i}": p for i, p in enumerate(term.when) if isinstance(p, Screened)}
    return found


def _questions() -> list[str]:
    """Every twelfth question of the evaluation sets (the real questions the readers meet), as asked and as the
    safety check reads them (lower case)."""
    texts: set[str] = set()
    for path in sorted(EVALS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.add(row.get("question") or row["message"])  # emergencies.jsonl holds messages
    sample = sorted(texts)[::12]
    return sample + [t.lower() for t in sample]


def _same(pattern: Screened, text: str) -> None:
    raw = pattern.pattern_
    a, b = raw.search(text), pattern.search(text)
    assert (a and a.span()) == (b and b.span()), (raw.pattern[:80], text)
    assert [m.span() for m in raw.finditer(text)] == [m.span() for m in pattern.finditer(text)]
    assert bool(raw.match(text)) == bool(pattern.match(text))


def test_what_a_match_needs_is_read_from_the_pattern() -> None:
    assert set(needs(re.compile(r"\bchok(e|ing)\b|can.?t breathe"))) == {"chok", "t breathe"}
    assert needs(re.compile(r"(?i)Fall(en)? over")) == ("fall",), "a case-insensitive pattern's strings in lower case"
    assert needs(re.compile(r"\w+ing")) == ("ing",)
    assert needs(re.compile(r"(fits?)?\s*\d+")) is None, "nothing certain: the pattern is run on every text"
    assert needs(re.compile(r"a|\w")) is None, "one branch needs nothing, so the pattern needs nothing"
    # a group matched in another case than the pattern offers nothing
    assert needs(re.compile(r"(?i:choking)")) is None and needs(re.compile(r"(?-i:Mr)", re.I)) is None
    assert screened(re.compile(r"(?i:choking) now")).search("CHOKING now")
    plain = re.compile(r"\d+ mins?")
    assert screened(plain) is plain or needs(plain) == (" min",)


def test_a_screened_pattern_passes_over_texts_without_its_strings_and_matches_the_rest() -> None:
    p = screened(re.compile(r"\b(?:resident|client)s? (?:is|was) choking\b", re.I))
    assert isinstance(p, Screened)
    assert p.search("The RESIDENT is choking now").span() == (4, 23)
    assert p.search("a resident who chokes") is None and p.findall("nothing here") == []
    # Characters `re.I` takes for ASCII letters without lower-casing to them are always matched in full.
    dotless = screened(re.compile(r"\bkitchen\b", re.I))
    assert dotless.search("the \u212aitchen") is not None  # the Kelvin sign lower-cases to k
    assert screened(re.compile(r"\bsick\b", re.I)).search("he is \u017fick")  # long s
    assert screened(re.compile(r"\bits\b", re.I)).search("\u0130ts")  # capital I with a dot
    assert p.sub("x", "a resident is choking") == "a x", "anything else is the pattern's own"


def test_an_alternation_is_screened_branch_by_branch() -> None:
    assert top_level_branches(r"a|(b|c)|[|)]d|\|e|[]|]f|\\|g") == ["a", "(b|c)", "[|)]d", r"\|e", "[]|]f", r"\\", "g"]
    assert top_level_branches(r"(?:a|b)") == ["(?:a|b)"]
    # "as" lets nearly every question through to the whole; on its own branch it no longer does
    p = screened(re.compile(r"\bhide it from (cqc|the family)\b|\b(as|was) (blue|purple) as\b"
                            r"|(?P<x>rota) of the (?P=x)"))
    assert isinstance(p, Screened) and len(p.branches) == 3
    assert p.search("as a carer, what is my role?") is None
    assert p.search("can we hide it from CQC?".lower()).span() == (7, 23)
    assert p.search("the rota of the rota").span() == (4, 20), "a named group is the branch's own"
    assert p.search("it was purple as a plum").group(0) == "was purple as"
    # a group referred to by number would be renumbered on its own: the pattern is screened whole
    assert not screened(re.compile(r"(a) hoist|(b) \2 sling")).branches


def test_every_screened_pattern_finds_what_it_found_before_on_the_evaluation_questions() -> None:
    patterns = _screened_patterns()
    assert len(patterns) > 100, "askable's patterns and the data files' are screened"
    questions = _questions()
    passed_over = 0
    for pattern in patterns.values():
        for text in questions:
            # A text the screen lets through is the pattern's own to match: only those it passes over are in doubt.
            if not pattern._may_match(text):
                passed_over += 1
                assert pattern.pattern_.search(text) is None, (pattern.pattern[:80], text)
    assert passed_over > len(patterns) * len(questions) // 2, "most patterns are passed over for most questions"


_WORDS = st.sampled_from(["the", "a", "resident", "is", "choking", "fell", "colour", "of", "guide", "says", "cqc",
                          "staff", "hide", "it", "from", "\u2019s", "Tuesday", "purple", "smells", "not", "breathing"])


@pytest.mark.parametrize("name", ["askable._ABSURD", "askable._PREMISE", "askable._CONCEAL", "askable._DECEIVE",
                                  "safety.abuse.patterns", "safety.choking.patterns", "safety.restraint.unless"])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_screening_is_sound_on_texts_made_of_its_own_strings(name: str, data: st.DataObject) -> None:
    """Texts mixing the strings a pattern needs with other words, cut and joined anywhere: the screen never
    passes over a text the pattern matches."""
    pattern = _screened_patterns()[name].analyse()  # read now, whatever ran before (it is read on first use)
    # the strings the whole needs and those its branches need, each of which lets a text through to a branch (not
    # fall's unless since stop 58: safety.toml's `history` may match without any string, so it is run whole)
    own = sorted({*pattern.strings, *(s for _, strings in pattern.branches for s in strings or ())})
    pieces = st.one_of(st.sampled_from(own), _WORDS, st.text(max_size=3))
    text = data.draw(st.lists(pieces, max_size=8).map(" ".join))
    _same(pattern, text)
    _same(pattern, text.upper())


def test_the_screening_measure_runs_and_finds_the_same_spans_three_ways() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, str(root / "evals" / "screening.py"), "--set", str(EVALS / "dev.jsonl"),
                          "--runs", "1"], capture_output=True, text=True, timeout=600, cwd=root)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "the same spans all three ways" in out.stdout
    lines = {line.split()[0]: line for line in out.stdout.splitlines()[1:]}
    assert set(lines) == {"whole", "union", "screened"} and "1.00× whole" in lines["whole"]


def test_what_a_pattern_needs_is_kept_for_the_next_process_which_compiles_only_what_a_text_needs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import patterns

    source = r"\bhide it from (cqc|the family)\b|\b(as|was) (blue|purple) as\b|choking now"
    kept = tmp_path / "patterns.json"
    first = patterns._Analyses()
    monkeypatch.setattr(patterns, "ANALYSES", first)
    first.keep_in(kept)
    made = patterns.lazy(source)
    assert made.search("she was purple as a plum").group(0) == "was purple as"
    first.save()
    assert kept.is_file()

    # The next process reads it back: nothing is compiled for a text holding none of the strings, and only the
    # branch a text may match, then the whole for its own match.
    second = patterns._Analyses()
    monkeypatch.setattr(patterns, "ANALYSES", second)
    second.keep_in(kept)
    again = patterns.lazy(source)
    assert again.search("how do we plan the rota?") is None
    assert again._compiled is None and again.branch_strings == made.branch_strings
    assert again.search("can we hide it from the family?").span() == (7, 30)
    assert again._compiled is not None and sum(b is not None for b in again._branch_compiled) == 1
    for text in ("as a carer", "it was blue as ink", "choking now!", "nothing"):
        assert (again.search(text) and again.search(text).span()) == \
            (re.search(source, text) and re.search(source, text).span())

    # A file cut short, or an entry not as written, is not trusted: the pattern is analysed afresh.
    kept.write_text(kept.read_text()[:-20])
    third = patterns._Analyses()
    third.keep_in(kept)
    assert third.known == {}
    kept.write_text(json.dumps({patterns._key(source, 0): {"f": 32, "s": [""], "b": None}}))
    fourth = patterns._Analyses()
    fourth.keep_in(kept)
    assert fourth.known == {}


def test_a_broken_pattern_in_a_data_file_is_named_when_the_file_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import patterns
    from assistant.patterns import lower_case

    monkeypatch.setattr(patterns, "ANALYSES", patterns._Analyses())
    with pytest.raises(ValueError, match=r"safety.toml, choking: the pattern '\\\\bchok\(e' is not a regular"):
        lower_case([r"\bfell\b", r"\bchok(e"], "safety.toml, choking")
