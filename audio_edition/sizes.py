"""Byte counts as people read them, in one form everywhere (messages, `cache info`, the listening page).

Binary units, named as such: 5 * 1024 * 1024 bytes is "5.0 MiB", not "5.0 MB".
"""

from __future__ import annotations

__all__ = ["human_size"]

_KIB = 1024
_MIB = 1024 * 1024


def human_size(n: int) -> str:
    """`n` bytes: "512 bytes", "37 KiB", "4.2 MiB" (MiB with one decimal from 1 MiB on)."""
    if n >= _MIB:
        return f"{n / _MIB:.1f} MiB"
    if n >= _KIB:
        return f"{round(n / _KIB)} KiB"
    return f"{n} byte" if n == 1 else f"{n} bytes"
