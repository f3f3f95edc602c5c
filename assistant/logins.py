"""Who may sign in to the web chat: ``ASSISTANT_AUTH`` and ``ASSISTANT_AUTH_FILE`` as (user, password) pairs."""

from __future__ import annotations

from assistant.errors import AssistantError
from assistant.settings import Settings


def login_pairs(settings: Settings) -> list[tuple[str, str]]:
    """(user, password) pairs from ASSISTANT_AUTH and ASSISTANT_AUTH_FILE; empty = no login.

    Raises AssistantError for a malformed entry, naming where it is but never the password."""
    entries = [(f"ASSISTANT_AUTH entry {i}", e) for i, e in enumerate(settings.auth.split(","), 1) if e.strip()]
    if settings.auth_file is not None:
        try:
            lines = settings.auth_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise AssistantError(f"The login file {settings.auth_file} cannot be read ({e.__class__.__name__}). "
                                 "Check ASSISTANT_AUTH_FILE.") from None
        entries += [(f"line {i} of {settings.auth_file}", line) for i, line in enumerate(lines, 1)
                    if line.strip() and not line.lstrip().startswith("#")]
    pairs = []
    for where, entry in entries:
        # Spaces around names and passwords are dropped; a colon inside a password is kept.
        user, sep, password = (part.strip() for part in entry.partition(":"))
        if not sep or not user or not password:
            raise AssistantError(f"The login in {where} is not 'user:password'. Fix it, or unset the login.")
        pairs.append((user, password))
    return pairs
