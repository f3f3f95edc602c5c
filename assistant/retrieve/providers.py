"""Passages attributed to a provider the question names ("What did Dales House do?", "How did Welmede
manage a move like that?").

The guide's quotes and stories carry who said them in ``Chunk.provider`` ("Mary-Jane Hoyle, Registered
Manager, Dales House, Westwood Care Group"), not in their text, so neither search sees the name: a trainer
asking what a named provider did got passages that merely share the question's topic, and a name the
passages never spell was even taken for something the documents do not mention (after blind28 was read).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.english import zipf
from assistant.types import Chunk

# A run of capitalised words, joined by the small words names use ("Castle Supported Living", "Home
# Instead", "Skills for Care"), or one capitalised word ("Welmede").
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:for|of|and|in|the|at)\s+)?[A-Z][\w'’-]*)*")
# One word alone names a provider only when it is rare in English ("Welmede", "Brunelcare"), not "Belong",
# "Avenues" or "Care", which a question uses for what they mean (the guide's own text names those that
# are, and search finds them there).
RARE_ZIPF = 3.0


def _candidates(question: str) -> list[str]:
    """Every capitalised run of the question and each part of it that starts and ends with a capital,
    lower case and without a possessive ("Avenues' approach", "Welmede's")."""
    out: list[str] = []
    for m in _CAPITALISED.finditer(question.replace("’", "'")):
        words = m.group(0).split()
        for i in range(len(words)):
            for j in range(len(words), i, -1):
                if words[j - 1][:1].isupper():
                    out.append(re.sub(r"'s?$", "", " ".join(words[i:j]).lower()))
    return list(dict.fromkeys(c for c in out if len(c) >= 4))


def _named(name: str, text: str) -> bool:
    return name in text and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


class Providers:
    """The providers the passages are attributed to, made once per build."""

    def __init__(self, chunks: Iterable[Chunk]) -> None:
        chunks = list(chunks)
        self.by_provider: dict[str, set[str]] = {}
        for c in chunks:
            if c.provider:
                self.by_provider.setdefault(c.provider.lower().replace("’", "'"), set()).add(c.id)
        self.texts = [c.text.lower().replace("’", "'") for c in chunks]

    def attributed(self, question: str, common: int) -> frozenset[str]:
        """The ids of the passages whose provider the question names. A name more than ``common`` passages'
        own words use is the documents' subject, not a provider ("CQC", "Skills for Care", "Registered
        Manager"). A shorter name inside one already found ("Care Partnership" in "City Care Partnership")
        adds nothing: it would find others too."""
        held: set[str] = set()
        found: list[str] = []
        if not self.by_provider:
            return frozenset()
        for name in sorted(_candidates(question), key=lambda n: -len(n)):
            if any(name in longer for longer in found) or (" " not in name and zipf(name) >= RARE_ZIPF):
                continue
            ids = {cid for provider, cids in self.by_provider.items() if _named(name, provider) for cid in cids}
            if ids and sum(_named(name, t) for t in self.texts) <= common:
                held |= ids
                found.append(name)
        return frozenset(held)
