"""Errors worded for the person who sees them: what went wrong and what to do next.

The CLI prints ``str(error)`` without a traceback; the web app shows it as a message in the page.
Anything that is not an ``AssistantError`` is a bug and stays visible as one.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: the message is one or two plain sentences that say what to do."""


class IndexMissing(AssistantError):
    def __init__(self, where: str) -> None:
        super().__init__(
            f"The guide has not been indexed yet (nothing usable in {where}). "
            "Run: python -m assistant index"
        )


class StoreUnreachable(AssistantError):
    def __init__(self, url: str) -> None:
        super().__init__(
            f"The knowledge base at {url} cannot be reached. Check that the Chroma server is running "
            "(chroma run --path ... --port ...), then ask again."
        )


class DocumentError(AssistantError):
    """A file that cannot be read: encrypted, corrupt, empty or of an unsupported type."""

    def __init__(self, name: str, problem: str, advice: str) -> None:
        super().__init__(f"{name}: {problem}. {advice}")
        self.name, self.problem, self.advice = name, problem, advice


class BadInput(AssistantError):
    """A question or filter that cannot be used as given."""
