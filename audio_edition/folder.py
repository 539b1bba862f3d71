"""The output folder: a free name for each episode, staging and rollback, and the one atomic write.

An episode is written into a hidden staging folder inside the output folder
and moved into place only when complete (`Staging`), so an interrupted or
failed convert leaves nothing half-written; a folder it replaces is put back
if publishing fails. Single files are replaced with `atomic_write`: a
temporary file beside the target, then `os.replace`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from audio_edition import episode
from audio_edition.errors import OutputError

STAGING_PREFIX = ".staging-"


def slugify(title: str, limit: int = 60) -> str:
    """A folder and file name for the episode: lowercase ASCII words joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "episode"


def free_slug(out_dir: Path, slug: str, guid: str) -> str:
    """`slug`, or `slug-2`, `slug-3`...: a folder that is free or already holds this same article."""
    candidate, n = slug, 1
    while (out_dir / candidate).exists():
        if episode.recorded(out_dir / candidate, "guid") == guid:
            break
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def free_name(out_dir: Path, slug: str) -> str:
    """`slug`, or `slug-2`, `slug-3`...: the first name in `out_dir` that nothing holds."""
    candidate, n = slug, 1
    while (out_dir / candidate).exists() or (out_dir / candidate).is_symlink():
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def prepare_out_dir(out_dir: Path) -> None:
    """Create the output folder and prove it is writable, before any rendering."""
    blocker = next((p for p in (out_dir, *out_dir.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        what = "it is" if blocker == out_dir else f"{blocker} is"
        raise OutputError(f"cannot write to {out_dir}: {what} a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir):
            pass
    except OSError as exc:
        raise OutputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    _remove_stale_staging(out_dir)


def _remove_stale_staging(out_dir: Path) -> None:
    """Staging folders left by a killed convert (their process is gone)."""
    for folder in out_dir.glob(f"{STAGING_PREFIX}*"):
        match = re.search(r"-pid(\d+)-", folder.name)
        if match and not _alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Staging:
    """A hidden folder in `out_dir` where one episode is written, then installed under its slug.

    Use: write into `path`; `install()` (directly, or from the publish step
    under its lock); `roll_back()` on any failure; `close()` in every case.
    """

    def __init__(self, out_dir: Path, slug: str, guid: str) -> None:
        self.out_dir, self.slug, self.guid = out_dir, slug, guid
        self.path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{slug}-pid{os.getpid()}-", dir=out_dir))
        self.final: Path | None = None
        self._displaced: Path | None = None
        self._published = False

    def ready(self) -> None:
        """The episode is complete: open its folder to readers (mkdtemp makes it private)."""
        self.path.chmod(0o755)

    def install(self) -> Path:
        """Move the finished folder into place, under a name chosen now (under the publish lock:
        two converts of different articles with one title get two folders)."""
        final = self.out_dir / free_slug(self.out_dir, self.slug, self.guid)
        self.final = final
        if final.exists():
            self._displaced = final.with_name(f"{STAGING_PREFIX}old-{final.name}-pid{os.getpid()}-")
            os.replace(final, self._displaced)
        os.replace(self.path, final)
        return final

    def published(self, final: Path) -> None:
        """The publish step installed the folder as `final`: it is no longer this staging's to undo."""
        self.final, self._published = final, True

    def roll_back(self) -> None:
        """Undo: remove what was written or installed, put back the folder it displaced (a folder the
        publish step took is left to it: it undoes its own change, or the change stands)."""
        if self._published:
            return
        installed = self.final is not None and not self.path.exists()  # then publishing failed: take it back
        shutil.rmtree(self.path, ignore_errors=True)
        if installed and self.final is not None:
            shutil.rmtree(self.final, ignore_errors=True)
        if self._displaced is not None and self.final is not None and not self.final.exists():
            os.replace(self._displaced, self.final)  # the episode that was there before
            self._displaced = None

    def close(self) -> None:
        """Remove the folder the installed one replaced."""
        if self._displaced is not None:
            shutil.rmtree(self._displaced, ignore_errors=True)
            self._displaced = None


def write_temp(target: Path, data: bytes, *, prefix: str, mode: int | None = 0o644, sync: bool = False) -> Path:
    """`data` in a new temporary file beside `target` (hidden, named `prefix`...), flushed to disk with `sync`.

    Raises OSError; nothing is left behind when it does.
    """
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temp, mode)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def atomic_write(target: Path, data: bytes | str, *, prefix: str | None = None, mode: int | None = 0o644,
                 sync: bool = False) -> None:  # fmt: skip
    """Replace `target` with `data` (text as UTF-8 with "\\n" line ends) in one step: readers see the old
    file or the new one, never a part. Raises OSError; nothing is left behind when it does."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temp = write_temp(target, payload, prefix=prefix or f".{target.name}.", mode=mode, sync=sync)
    try:
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def fsync(path: Path) -> None:
    """Flush a file or a folder (its entries: renames into it) to disk."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
