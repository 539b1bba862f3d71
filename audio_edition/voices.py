"""Voice profiles: TOML files in `voices/` that name an engine and its settings.

A profile `voices/NAME.toml` is chosen with `--voice NAME`. Profiles are looked
up, first match wins, in the folders of `AUDIO_EDITION_VOICES` (os.pathsep
separated), then the user's `~/.config/audio-edition/voices`, then the
project's own `voices/` folder.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from audio_edition.datafiles import DataFiles, bundled
from audio_edition.engines import ENGINES, Engine, create_engine
from audio_edition.errors import VoiceError

PROJECT_VOICES = bundled()


@dataclass(frozen=True)
class VoiceProfile:
    """One voice: which engine speaks, and how."""

    name: str
    engine: str
    """Engine name, a key of `audio_edition.engines.ENGINES`."""
    voice: str
    """The engine's own voice id, e.g. "en-us" for espeak-ng."""
    language: str = "en-US"
    """BCP 47 language of the voice; also the episode's language tag."""
    rate: int = 175
    """Speaking rate in words per minute."""
    pitch: int = 50
    """Pitch, 0-100; 50 is the voice's neutral pitch."""
    volume: float = 1.0
    """Engine output volume, 0.0-1.0 (loudness is normalised afterwards)."""
    description: str = ""
    lexicons: tuple[str, ...] = ("news",)
    """Pronunciation lexicons (voices/lexicon/NAME.tsv), later ones overriding earlier ones."""
    path: Path | None = None

    def create_engine(self) -> Engine:
        """The engine this profile describes, ready to synthesize."""
        return create_engine(self.engine, voice=self.voice, rate=self.rate, pitch=self.pitch, volume=self.volume)


VOICES = DataFiles("voice", "AUDIO_EDITION_VOICES", "voices", PROJECT_VOICES, ".toml")
search_path = VOICES.folders
available = VOICES.available


def load_profile(name: str) -> VoiceProfile:
    """Read the profile called `name`; a clear `VoiceError` when it is unknown or malformed."""
    return _parse(name, VOICES.find(name))


def _parse(name: str, path: Path) -> VoiceProfile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise VoiceError(f"voice profile {path} cannot be read: {exc}") from None
    fields = {"engine", "voice", "language", "rate", "pitch", "volume", "description", "lexicons"}
    unknown = sorted(set(data) - fields)
    if unknown:
        raise VoiceError(f"voice profile {path}: unknown field(s) {', '.join(unknown)}")
    for required in ("engine", "voice"):
        if not isinstance(data.get(required), str):
            raise VoiceError(f"voice profile {path}: {required!r} must be a string")
    lexicons = data.get("lexicons", ["news"])
    if not (isinstance(lexicons, list) and all(isinstance(x, str) for x in lexicons)):
        raise VoiceError(f"voice profile {path}: 'lexicons' must be a list of names")
    if data["engine"] not in ENGINES:
        raise VoiceError(f"voice profile {path}: unknown engine {data['engine']!r}")
    try:
        return VoiceProfile(
            name=name,
            engine=data["engine"],
            voice=data["voice"],
            language=str(data.get("language", "en-US")),
            rate=int(data.get("rate", 175)),
            pitch=int(data.get("pitch", 50)),
            volume=float(data.get("volume", 1.0)),
            description=str(data.get("description", "")),
            lexicons=tuple(lexicons),
            path=path,
        )
    except (TypeError, ValueError) as exc:
        raise VoiceError(f"voice profile {path}: {exc}") from None


def check(profile: VoiceProfile) -> str | None:
    """Why `profile` cannot be used on this machine (and what to install), or None when it can."""
    from audio_edition.errors import AudioEditionError  # noqa: PLC0415

    try:
        engine = profile.create_engine()
        try:
            engine.synthesize("Test.")
        finally:
            engine.close()
    except AudioEditionError as exc:
        return str(exc)
    return None


def language_mismatch(language: str | None, profile: VoiceProfile) -> str | None:
    """One line saying that an article in `language` (a BCP 47 tag) is read by a voice of another
    language, and which voices speak the article's; None when they match or the language is unknown."""
    if not language:
        return None
    said, spoken = language.split("-")[0].lower(), profile.language.split("-")[0].lower()
    if said == spoken:
        return None
    speakers = []
    for name in VOICES.available():
        try:
            if load_profile(name).language.split("-")[0].lower() == said:
                speakers.append(name)
        except VoiceError:
            continue
    advice = f"use --voice {' or --voice '.join(speakers)}" if speakers else f"no voice here speaks {said!r}"
    return (f"the article is in {_language_name(said)} ({language}) but voice {profile.name!r} speaks "
            f"{_language_name(spoken)} ({profile.language}); it is read by {_language_name(spoken)} rules: {advice}")  # fmt: skip


def _language_name(code: str) -> str:
    from audio_edition.inputs.stopwords import LANGUAGES  # noqa: PLC0415

    names = {"ja": "Japanese", "ko": "Korean", "zh": "Chinese", **LANGUAGES}
    return names.get(code, code).replace("_", " ")
