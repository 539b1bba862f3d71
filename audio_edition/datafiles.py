"""User-editable data files found by name on a search path (voice profiles, lexicons).

A name `NAME` is the file `NAME<suffix>` in, first match wins: the folders of
an environment variable (os.pathsep separated), the user's
`~/.config/audio-edition/<subfolder>` (or under `$XDG_CONFIG_HOME`), then the
bundled files (`bundled()`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from audio_edition.errors import VoiceError

PROJECT = Path(__file__).resolve().parent.parent


def bundled(*parts: str) -> Path:
    """The folder of the bundled data files `voices/<parts>`.

    In a source checkout (or an editable install) that is the repository's
    `voices/`; an installed wheel carries the same files as data files under
    `<prefix>/share/audio-edition/voices/` (pip and pipx install them under the
    environment's prefix, or the user base with --user)."""
    repo = PROJECT.joinpath("voices", *parts)
    if repo.is_dir():
        return repo
    import site  # noqa: PLC0415
    import sys  # noqa: PLC0415

    for prefix in (sys.prefix, site.getuserbase()):
        installed = Path(prefix, "share", "audio-edition", "voices", *parts)
        if installed.is_dir():
            return installed
    return repo


@dataclass(frozen=True)
class DataFiles:
    """One kind of data file and where it is looked for."""

    kind: str
    """What a file is, for messages: "voice", "lexicon"."""
    env: str
    """Environment variable listing folders searched first."""
    subfolder: str
    """Folder under ~/.config/audio-edition."""
    project: Path
    """The project's own folder, searched last."""
    suffix: str

    def folders(self) -> list[Path]:
        """Folders searched, in order."""
        folders = [Path(p) for p in os.environ.get(self.env, "").split(os.pathsep) if p]
        config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        return folders + [config / "audio-edition" / self.subfolder, self.project]

    def origin(self, path: Path) -> str:
        """Where a found file comes from, for people: "bundled", "user config", or the variable that named it."""
        folder = path.parent
        if folder == self.project:
            return "bundled"
        config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "audio-edition" / self.subfolder
        if folder == config:
            return "user config"
        return f"${self.env}"

    def shadowed(self, name: str) -> list[Path]:
        """Other files called `name` later on the search path, hidden by the one `find` returns."""
        paths = [folder / f"{name}{self.suffix}" for folder in self.folders()]
        found = [p for p in paths if p.is_file()]
        return found[1:]

    def available(self) -> list[str]:
        """Every name on the search path."""
        return sorted({p.stem for f in self.folders() if f.is_dir() for p in f.glob(f"*{self.suffix}")})

    def find(self, name: str) -> Path:
        """The file `name` stands for; a `VoiceError` listing the available names when there is none."""
        if name and "/" not in name and "\\" not in name:
            for folder in self.folders():
                path = folder / f"{name}{self.suffix}"
                if path.is_file():
                    return path
        listed = ", ".join(self.available()) or "none"
        raise VoiceError(f"unknown {self.kind} {name!r}; available {self.kind}s: {listed}")
