"""Byte counts, lengths of time and counts of things as people read them, in one form everywhere
(messages, `episodes`, `cache info`, the listening page).

Binary units, named as such: 5 * 1024 * 1024 bytes is "5.0 MiB", not "5.0 MB". Lengths are whole
seconds rounded down, as players show them: a 126.9 s episode is "2:06" on the page and in the list.
"""

from __future__ import annotations

import math

__all__ = ["clock", "count", "human_size"]

_KIB = 1024
_MIB = 1024 * 1024


def human_size(n: int) -> str:
    """`n` bytes: "512 bytes", "37 KiB", "4.2 MiB" (MiB with one decimal from 1 MiB on)."""
    if n >= _MIB:
        return f"{n / _MIB:.1f} MiB"
    if n >= _KIB:
        return f"{round(n / _KIB)} KiB"
    return f"{n} byte" if n == 1 else f"{n} bytes"


def clock(seconds: float) -> str:
    """A length as players show it: "m:ss", or "h:mm:ss" from an hour on (whole seconds, rounded down)."""
    whole = max(0, math.floor(seconds + 1e-6))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def count(n: int, thing: str, things: str | None = None) -> str:
    """ "1 chapter", "2 chapters", "0 episodes" (`things` for a plural that is not `thing` + "s")."""
    return f"{n} {thing if n == 1 else things or thing + 's'}"
