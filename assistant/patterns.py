"""The reviewed data files' regular expressions (safety.toml, out_of_scope.toml, glossary.toml), compiled
once to be matched against lower-case text.

Python's case-insensitive matching folds the case of every character it compares: the safety check
took 0.27 ms a question that way and takes 0.12 ms on the lower-cased message (blind2's questions),
and finds the same. That holds only while a pattern names no
capital letter itself, so one that does is refused here, by name, when the file is read.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import json
import os
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

# The `re` module's own parser and its names, for reading what a pattern's matches need (``needs``).
from re import _constants as _C
from re import _parser
from typing import Any

_ESCAPE = re.compile(r"\\.")


def lower_case(patterns: Iterable[str], where: str) -> re.Pattern[str]:
    """One pattern that matches lower-case text where any of ``patterns`` does, screened (``Screened``). A
    pattern with a capital letter is refused by name with ``where``, and so is a broken one: now, unless the
    joined pattern was analysed before (``keep_analyses``), which only a pattern that compiles ever is."""
    patterns = list(patterns)
    for p in patterns:
        if re.search("[A-Z]", _ESCAPE.sub("", p)):
            raise ValueError(f"{where}: the pattern {p!r} has a capital letter; write it in lower case "
                             "(messages are matched in lower case)")
    joined = Screened("|".join(f"(?:{p})" for p in patterns) or r"(?!)", parts=patterns, where=where)
    if ANALYSES.get(_key(joined.pattern, 0)) is None:
        joined.analyse()
    return joined  # type: ignore[return-value]


# ---------------------------------------------------------------- screening by the words a match needs
#
# Python's `re` tries every branch of an alternation at every position of the text: the question readers'
# largest patterns (askable's, the safety situations') took 2-3 ms of a warm answer, most of it on questions
# that hold none of the words they look for. A match of most patterns must contain one of a few plain strings
# ("colou", " of monday", "smell"), read here from the pattern itself (the `re` module's own parser), so a text
# holding none of them is passed over without running the pattern: the same matches, found sooner (RE2 and
# Hyperscan screen the same way, but neither takes Python's lookarounds).

# Characters that match an ASCII letter in a case-insensitive pattern but do not lower-case to it ("ſ" is "s"
# to `re.I`): a text holding one is always matched in full.
_FOLDS_TO_ASCII = frozenset("\u0130\u0131\u017f")


@functools.lru_cache(maxsize=8)
def _folded(text: str) -> str | None:
    """``text`` lower-cased for a case-insensitive screen, or None when it holds a character that folds to an
    ASCII letter only under ``re.I``. Kept for the last few texts: one question is screened by thousands of
    patterns in turn (a warm answer's p50, `python -m assistant bench`)."""
    if not text.isascii() and not _FOLDS_TO_ASCII.isdisjoint(text):
        return None
    return text.lower()


def _strength(strings: frozenset[str]) -> tuple[int, int]:
    """How rare a match's required strings are likely to be: their shortest in letters ("a " is weak), fewer
    alternatives better."""
    return min(sum(ch.isalnum() for ch in s) for s in strings), -len(strings)


def _needs_seq(items: Any, fold: bool) -> frozenset[str] | None:
    """One set of strings of which a match of the sequence ``items`` holds at least one, the strongest the
    sequence offers (a run of literal characters, or an element's own set), or None."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(strings: frozenset[str] | None) -> None:
        nonlocal best
        if strings and (best is None or _strength(strings) > _strength(best)):
            best = strings

    for op, av in items:
        if op is _C.LITERAL:
            run.append(chr(av).lower() if fold else chr(av))
        elif op is _C.AT or op is _C.ASSERT or op is _C.ASSERT_NOT:
            continue  # zero width: the characters either side are next to each other in the text
        else:
            consider(frozenset(["".join(run)]) if run else None)
            run = []
            consider(_needs_node(op, av, fold))
    consider(frozenset(["".join(run)]) if run else None)
    return best


def _needs_node(op: Any, av: Any, fold: bool) -> frozenset[str] | None:
    if op is _C.SUBPATTERN:
        _group, add, remove, sub = av
        # A group that turns case-insensitivity on or off ("(?i:...)") is matched in another case than the text
        # the screen reads: it offers nothing certain.
        return None if (add | remove) & re.I else _needs_seq(sub.data, fold)
    if op is _C.BRANCH:  # any branch may match: the union, if every branch needs something
        union: set[str] = set()
        for branch in av[1]:
            if not (strings := _needs_seq(branch.data, fold)):
                return None
            union |= strings
        return frozenset(union)
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
        low, _high, sub = av
        return _needs_seq(sub.data, fold) if low >= 1 else None
    if op is _C.ATOMIC_GROUP:
        return _needs_seq(av.data, fold)
    return None  # a class, any character, a back reference: nothing certain


def needs(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` holds (lower-cased for a case-insensitive pattern), or
    None when the pattern offers none that can be trusted."""
    try:
        strings = _needs_seq(_parser.parse(pattern.pattern, pattern.flags).data, bool(pattern.flags & re.I))
    except Exception:
        return None  # `re._parser` is private: if it changes, nothing is screened and every text is matched
    if not strings or (pattern.flags & re.I and not all(s.isascii() for s in strings)):
        return None
    ordered = sorted(strings, key=len)  # a string holding a shorter one is implied by it
    return tuple(s for i, s in enumerate(ordered) if not any(t in s for t in ordered[:i]))


class Screened:
    """A pattern that is only run on texts holding one of the strings its matches need (``needs``).
    ``search``, ``match``, ``fullmatch``, ``finditer`` and ``findall`` on a whole text are screened; anything
    else is the pattern's own.

    A pattern that is an alternation at its top level ("a|b|c") is screened branch by branch (``branches``):
    the largest question readers hold a hundred branches, and a few of them need only a common string ("as",
    "won"), so the union of their strings let nearly every question through to the whole pattern. The whole
    matches a text only where one of its branches does, so the branches whose strings the text holds are tried
    on their own first, and the whole is run, for its own match, only when one of them matches.

    Made by ``lazy`` (or ``lower_case``), nothing is compiled or read until the pattern is first used, and then
    only what the text needs: the whole pattern when a branch matches, a branch when the text holds its strings.
    What each pattern needs is read once and kept (``keep_analyses``), so a new process compiles a few branches
    for its first question rather than every pattern (cold ``ask`` in ``python -m assistant bench``)."""

    __slots__ = ("_branch_compiled", "_branch_sources", "_compiled", "_given", "_parts", "_ready", "branch_strings",
                 "flags", "fold", "pattern", "strings", "where")

    def __init__(self, source: str, flags: int = 0, *, parts: Sequence[str] = (), where: str = "") -> None:
        # The flags as given (what it is kept by), and as compiled (with any "(?i)" of the pattern's own).
        self.pattern, self._given, self.flags, self.fold = source, flags, flags, bool(flags & re.I)
        self._parts, self.where = tuple(parts), where  # the patterns joined into this one, to name a broken one
        self._compiled: re.Pattern[str] | None = None
        self._ready = False
        self.strings: tuple[str, ...] | None = None
        self._branch_sources: list[str] = []
        self.branch_strings: tuple[tuple[str, ...] | None, ...] = ()
        self._branch_compiled: list[re.Pattern[str] | None] = []

    @property
    def pattern_(self) -> re.Pattern[str]:
        """The whole pattern, compiled on first use."""
        if self._compiled is None:
            self._compiled = self._compile()
        return self._compiled

    def _compile(self) -> re.Pattern[str]:
        try:
            return re.compile(self.pattern, self._given)
        except re.error as e:
            for part in self._parts:  # name the pattern of the data file that is broken
                try:
                    re.compile(part, self.flags)
                except re.error as err:
                    raise ValueError(f"{self.where}: the pattern {part!r} is not a regular expression: {err}") from None
            raise ValueError(f"{self.where or 'pattern'}: {self.pattern[:80]!r} is not a regular expression: {e}"
                             ) from None

    def analyse(self) -> Screened:
        """Read what the pattern's matches need (kept between processes: ``keep_analyses``); a pattern never
        analysed before is compiled here, so a broken one is named now."""
        if self._ready:
            return self
        key = _key(self.pattern, self._given)
        info = ANALYSES.get(key)
        if info is None:
            whole = self.pattern_
            strings = needs(whole)
            branches = _branches(whole) if strings is not None else ()
            info = {"f": whole.flags, "s": list(strings) if strings else None,
                    "b": [list(b) if b else None for _, b in branches] if branches else None}
            ANALYSES.put(key, info)
            self._branch_compiled = [b for b, _ in branches]
        self.flags, self.fold = info["f"], bool(info["f"] & re.I)
        self.strings = tuple(info["s"]) if info["s"] else None
        if self.strings is not None and info["b"]:
            self._branch_sources = top_level_branches(self.pattern)
            self.branch_strings = tuple(tuple(b) if b else None for b in info["b"])
            if len(self._branch_sources) != len(self.branch_strings):  # not what was analysed: screened whole
                self._branch_sources, self.branch_strings = [], ()
            if len(self._branch_compiled) != len(self._branch_sources):
                self._branch_compiled = [None] * len(self._branch_sources)
        self._ready = True
        return self

    @property
    def branches(self) -> tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...]:
        """Each top-level branch compiled on its own with the strings it needs (none unless split)."""
        self.analyse()
        return tuple((self._branch(i), s) for i, s in enumerate(self.branch_strings))

    def _branch(self, i: int) -> re.Pattern[str]:
        compiled = self._branch_compiled[i]
        if compiled is None:
            compiled = self._branch_compiled[i] = re.compile(self._branch_sources[i], self.flags)
        return compiled

    def _text_for(self, text: str) -> str | None:
        """The text as the screen reads it (lower case for a case-insensitive pattern), or None when it holds a
        character that folds to an ASCII letter only under ``re.I`` and so must be matched in full."""
        if self.fold:
            return _folded(text)
        return text

    def _may_match(self, text: str) -> bool:
        if not self._ready:
            self.analyse()
        if self.strings is None or (read := self._text_for(text)) is None:
            return True
        return any(map(read.__contains__, self.strings))  # map, not a generator: thousands per question

    def _found(self, text: str, how: str) -> bool:
        """Whether the pattern may match (``how`` is "search", "match" or "fullmatch"): by the strings alone, or,
        for an alternation, by trying the branches the text may match."""
        if not self._ready:
            self.analyse()
        if not self.branch_strings:
            return self._may_match(text)
        if (read := self._text_for(text)) is None:
            return True
        has = read.__contains__
        for i, strings in enumerate(self.branch_strings):
            if (strings is None or any(map(has, strings))) and getattr(self._branch(i), how)(text) is not None:
                return True
        return False

    def search(self, text: str, *where: int) -> re.Match[str] | None:
        return self.pattern_.search(text, *where) if where or self._found(text, "search") else None

    def match(self, text: str, *where: int) -> re.Match[str] | None:
        return self.pattern_.match(text, *where) if where or self._found(text, "match") else None

    def fullmatch(self, text: str, *where: int) -> re.Match[str] | None:
        return self.pattern_.fullmatch(text, *where) if where or self._found(text, "fullmatch") else None

    def finditer(self, text: str, *where: int) -> Iterator[re.Match[str]]:
        return self.pattern_.finditer(text, *where) if where or self._found(text, "search") else iter(())

    def findall(self, text: str, *where: int) -> list[Any]:
        return self.pattern_.findall(text, *where) if where or self._found(text, "search") else []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern_, name)

    def __repr__(self) -> str:
        return f"Screened({self.pattern[:60]!r})"


def lazy(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, screened (``Screened``), compiled and analysed on first use."""
    return Screened(source, flags)  # type: ignore[return-value]


# ---------------------------------------------------------------- what each pattern needs, kept between processes
#
# Reading what a pattern needs parses it, and its branches, with `re`'s own parser: for the question readers'
# thousands of patterns that was most of a new process's first answer. It depends only on the pattern and the
# Python version, so it is kept in a file (in the index folder: ``keep_analyses``) and read back by the next
# process; a pattern is keyed by a hash of its text, so a changed pattern is analysed afresh.
_FORMAT = 1
# The most analyses kept in the file, the oldest dropped first: each edit of a pattern leaves its old analysis
# behind (about 640 patterns are analysed now).
MAX_ANALYSES = 20_000


def _key(source: str, flags: int) -> str:
    return hashlib.sha256(f"{_FORMAT}\0{sys.version_info[:2]}\0{flags}\0{source}".encode()).hexdigest()[:32]


class _Analyses:
    def __init__(self) -> None:
        self.path: Path | None = None
        self.known: dict[str, dict[str, Any]] = {}
        self.added = False
        self.registered = False  # to be saved at exit
        self.lock = threading.Lock()

    def keep_in(self, path: Path) -> None:
        with self.lock:
            if path == self.path:
                return
            self.path = path
            with contextlib.suppress(OSError, ValueError):
                read = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(read, dict):
                    self.known = {**{k: v for k, v in read.items() if _valid(v)}, **self.known}
            if not self.registered:
                atexit.register(self.save)
                self.registered = True

    def get(self, key: str) -> dict[str, Any] | None:
        return self.known.get(key)

    def put(self, key: str, info: dict[str, Any]) -> None:
        self.known[key] = info
        self.added = True

    def save(self) -> None:
        """Write what was analysed to the file, if anything was added (one write, replacing the file whole)."""
        with self.lock:
            if not self.added or self.path is None or not self.path.parent.is_dir():
                return
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            try:
                kept = dict(list(self.known.items())[-MAX_ANALYSES:])
                tmp.write_text(json.dumps(kept, separators=(",", ":")), encoding="utf-8")
                os.replace(tmp, self.path)
                self.added = False
            except OSError:
                with contextlib.suppress(OSError):
                    tmp.unlink()


def _valid(info: Any) -> bool:
    """An entry as ``analyse`` writes it (a file edited by hand or cut short is not trusted)."""
    def strings(v: Any) -> bool:
        return v is None or (isinstance(v, list) and bool(v) and all(isinstance(s, str) and s for s in v))

    return isinstance(info, dict) and isinstance(info.get("f"), int) and strings(info.get("s")) and (
        info.get("b") is None or (isinstance(info["b"], list) and all(strings(b) for b in info["b"])))


ANALYSES = _Analyses()


def keep_analyses(path: Path) -> None:
    """Keep what each pattern needs in ``path`` (read now, written at exit and by ``save_analyses``)."""
    ANALYSES.keep_in(path)


def save_analyses() -> None:
    ANALYSES.save()


# What makes a branch mean something else on its own: a group referred to by number (renumbered) or a
# condition on a group, and verbose mode (a "|" in a comment). A name refers to the same group in a branch
# compiled alone, or fails to compile there, and the pattern is then screened whole.
_REFERS = re.compile(r"\\[1-9]|\(\?\(")


def top_level_branches(source: str) -> list[str]:
    """The branches of ``source``'s top-level alternation ("a|(b|c)|d" gives "a", "(b|c)", "d"), read by
    skipping escapes, character classes and groups; a single item when it has none."""
    branches, depth, start, i = [], 0, 0, 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: "]" first (after an optional "^") is a literal
            i += 1
            if i < len(source) and source[i] == "^":
                i += 1
            if i < len(source) and source[i] == "]":
                i += 1
            while i < len(source) and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            branches.append(source[start:i])
            start = i + 1
        i += 1
    return [*branches, source[start:]]


def _branches(pattern: re.Pattern[str]) -> tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...]:
    """Each top-level branch compiled on its own with the strings it needs, or nothing when the pattern is not
    an alternation or a branch would not mean on its own what it means inside the whole."""
    if pattern.flags & re.X or _REFERS.search(pattern.pattern):
        return ()
    sources = top_level_branches(pattern.pattern)
    if len(sources) < 2:
        return ()
    try:
        compiled = [re.compile(b, pattern.flags) for b in sources]
    except re.error:
        return ()
    return tuple((b, needs(b)) for b in compiled)


def screened(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern``, run only on texts that may hold a match (``Screened``); itself when it needs nothing."""
    lazily = Screened(pattern.pattern, pattern.flags)  # (its flags as compiled: the key of its own analysis)
    lazily._compiled = pattern
    return pattern if lazily.analyse().strings is None else lazily  # type: ignore[return-value]
