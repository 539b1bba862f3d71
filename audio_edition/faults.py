"""Named points on the convert and publish path where a test can make the process die or fail.

`AUDIO_EDITION_FAULT=<point>:<action>` makes `point(<point>)` act: `kill` (SIGKILL, as a power cut or
`kill -9` would), `interrupt` (KeyboardInterrupt, as Ctrl-C) or `enospc` (OSError: no space left on
device). Unset, each point costs one dictionary lookup. The fault-injection test walks `POINTS`.
"""

from __future__ import annotations

import errno
import os
import signal

ENV = "AUDIO_EDITION_FAULT"
ACTIONS = ("kill", "interrupt", "enospc")
POINTS = (
    "publish.locked",  # the lock is held, recovery done, nothing of this change written
    "publish.journaled",  # the journal names the change; nothing moved yet
    "publish.installed",  # the new version's folder moved in beside the old, the catalog not yet changed
    "publish.staged",  # the new feed, page and cover written aside, the catalog transaction open
    "publish.committed",  # the switch: the catalog holds the new state
    "publish.swapping",  # between renaming the new page and the new feed into place
    "publish.swapped",  # feed, page and cover in place; old folders not yet removed
    "publish.done",  # old folders removed; the journal not yet
)
HOST_POINTS = (
    "host.media",  # publish --to: changed media uploaded, the manifest not yet
    "host.page",  # the new index.html up, the new feed not yet
    "host.feed",  # the new feed up, what it no longer names not yet deleted
)
"""The points of `publish --to` (publish.host), walked by its own test."""


def point(name: str) -> None:
    """Act on `name` when AUDIO_EDITION_FAULT names it."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    where, _, action = spec.partition(":")
    if where != name:
        return
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "interrupt":
        raise KeyboardInterrupt
    elif action == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
