"""Keeping a long-running server's memory near what it uses (glibc only; elsewhere these do nothing).

Loading the model and the index parses far more than it keeps, and glibc holds freed memory in
per-thread arenas instead of giving it back, so a server that has answered from a few threads holds
much more than it uses. Measured with ``python -m assistant bench`` (serve_rss_mb after 100 answers):
fewer arenas and one trim after loading take about 80 MB off.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache
from typing import Any

M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h


@cache
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        return libc if libc is not None and hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


def limit_arenas(arenas: int = 2) -> None:
    """At most ``arenas`` malloc arenas for threads created from now on (the web server's worker threads)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, arenas)


def give_back() -> None:
    """Return freed heap memory to the system: after a large load whose scaffolding is garbage now."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
