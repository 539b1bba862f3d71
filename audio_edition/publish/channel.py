"""Podcast settings: `channel.toml` in the output folder, read into a `Channel`.

Every key is optional; a missing file means every default. The keys:

    title        The show's name (default "Audio editions").
    description  One or two sentences about the show.
    author       Who publishes it; itunes:author and the owner's name.
    email        The owner's e-mail: itunes:owner, podcast:locked owner. Not set by default.
    language     The feed's language, e.g. "en-us", "de" (default "en-us").
    category     An Apple Podcasts category, e.g. "News", "Society & Culture" (default "News").
    subcategory  One of that category's subcategories, e.g. "Daily News". Not set by default.
    explicit     true when episodes contain explicit content (default false).
    link         The website the podcast belongs to; the base URL when not set.
    cover        Square RGB JPEG or PNG, 1400 to 3000 px, relative to the output folder
                 or absolute; without one a cover showing the title is generated.
    base_url     Where the output folder is published, e.g. "https://example.org/podcast/";
                 not set: where `audio-edition serve` serves it.
    locked       podcast:locked: true asks other podcast hosts not to import the feed; not set: locked
                 once `email` is set (a lock is verified against the owner's e-mail), else unlocked.
    guid         podcast:guid; not set: the UUIDv5 of the feed's URL at the first publish, kept
                 from then on in the output folder's `.podcast-guid` whatever the address.

The first publish into a folder writes a `channel.toml` listing these keys,
commented out with their defaults, so the user sees what there is to edit.
"""

from __future__ import annotations

import io
import re
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

from audio_edition.assemble.cover import make_cover
from audio_edition.errors import InputError
from audio_edition.model import Channel

CONFIG_NAME = "channel.toml"
GUID_NAME = ".podcast-guid"
"""The podcast:guid fixed at the first publish, when channel.toml sets none: one UUID, one line."""
COVER_STEM = "channel-cover"
"""The channel cover inside the output folder: channel-cover.jpg or channel-cover.png."""
MIN_COVER, MAX_COVER = 1400, 3000

# Apple Podcasts' categories and their subcategories (podcasters.apple.com, 2019 list, still current).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"),
    "History": (),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}

# What each key holds, in the order the generated file lists them; the comment above each key.
_KEYS: dict[str, tuple[type, str]] = {
    "title": (str, "The show's name."),
    "description": (str, "One or two sentences about the show."),
    "author": (str, "Who publishes it (itunes:author, and the owner's name)."),
    "email": (str, "The owner's e-mail (itunes:owner, podcast:locked owner); Apple uses it to verify ownership."),
    "language": (str, 'The feed\'s language: "en-us", "en-gb", "de", ...'),
    "category": (str, 'An Apple Podcasts category: "News", "Society & Culture", "Technology", ...'),
    "subcategory": (str, 'One of its subcategories, e.g. "Daily News" or "Politics" under "News".'),
    "explicit": (bool, "true when episodes contain explicit content."),
    "link": (str, "The website the podcast belongs to; the base URL when not set."),
    "cover": (
        str,
        "Square RGB JPEG or PNG, 1400 to 3000 px, relative to this folder or absolute;\n"
        "# without one, a cover showing the title is generated.",
    ),
    "base_url": (
        str,
        'Where this folder is published, e.g. "https://example.org/podcast/";\n'
        "# not set: the address `audio-edition serve` serves it on.",
    ),
    "locked": (
        bool,
        "podcast:locked: true asks other podcast hosts not to import the feed; not set: locked\n"
        "# once email is set (hosts verify a lock by the owner's e-mail), unlocked until then.",
    ),
    "guid": (
        str,
        "podcast:guid, the show's identity for life; not set: the UUIDv5 of the feed's URL at the\n"
        "# first publish, kept in .podcast-guid beside this file (it stays when the feed moves).",
    ),
}
_EXAMPLES = {
    "email": "you@example.org",
    "subcategory": "Daily News",
    "link": "https://example.org/",
    "cover": "my-cover.jpg",
    "base_url": "https://example.org/podcast/",
    "guid": "917393e3-1b1e-5cef-ace4-edaa54e1f810",
    "locked": True,
}
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def load_channel(out_dir: Path) -> Channel:
    """The channel settings of `out_dir`: `channel.toml` if there is one, else the defaults.

    An unknown key, a value of the wrong type or a cover that is not square
    RGB art of 1400 to 3000 px is an `InputError` naming the file and the key.
    """
    path = Path(out_dir) / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Channel(guid=stored_guid(out_dir))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path} is not valid TOML: {exc}") from None
    values: dict[str, object] = {}
    for key, value in data.items():
        if key not in _KEYS:
            known = ", ".join(_KEYS)
            raise InputError(f"{path}: unknown key {key!r} (known keys: {known})")
        kind = _KEYS[key][0]
        if not isinstance(value, kind):
            raise InputError(
                f"{path}: {key} must be {'true or false' if kind is bool else 'a string'}, not {_toml_type(value)}"
            )
        values[key] = _checked(path, key, value, Path(out_dir))
    category = str(values.get("category", Channel.category))
    subcategory = values.get("subcategory")
    if subcategory is not None and subcategory not in CATEGORIES[category]:
        choices = ", ".join(CATEGORIES[category]) or "none"
        raise InputError(f"{path}: subcategory {subcategory!r} is not one of {category!r} (choices: {choices})")
    values.setdefault("guid", stored_guid(out_dir))
    return Channel(**values)  # type: ignore[arg-type]


def stored_guid(out_dir: Path) -> str | None:
    """The podcast:guid the first publish fixed (`.podcast-guid`), or None when there is none or it is no UUID."""
    try:
        text = (Path(out_dir) / GUID_NAME).read_text(encoding="ascii").strip()
        return str(uuid.UUID(text))
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def _checked(path: Path, key: str, value: object, out_dir: Path) -> object:
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if not text and key in ("title", "description", "author", "language", "category"):
        raise InputError(f"{path}: {key} must not be empty")
    if key == "language" and not _LANGUAGE.fullmatch(text):
        raise InputError(f'{path}: language {text!r} is not a language code such as "en-us"')
    if key == "email" and not _EMAIL.fullmatch(text):
        raise InputError(f"{path}: email {text!r} is not an e-mail address")
    if key == "category" and text not in CATEGORIES:
        raise InputError(
            f"{path}: category {text!r} is not an Apple Podcasts category (choices: {', '.join(CATEGORIES)})"
        )
    if key in ("link", "base_url"):
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"{path}: {key} {text!r} is not an http:// or https:// URL")
        if key == "base_url":
            return text if text.endswith("/") else text + "/"
    if key == "guid":
        try:
            return str(uuid.UUID(text))
        except ValueError:
            raise InputError(f"{path}: guid {text!r} is not a UUID") from None
    if key == "cover":
        cover = Path(text).expanduser()
        cover = cover if cover.is_absolute() else out_dir / cover
        check_cover(cover, f"{path}: cover")
        return cover
    return text


def _toml_type(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def check_cover(cover: Path, what: str = "cover") -> str:
    """Check that `cover` is podcast art: square, 1400 to 3000 px, RGB, JPEG or PNG. Returns "jpg" or "png"."""
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - Pillow only when a cover is set

    try:
        with Image.open(cover) as image:
            kind, mode, (width, height) = image.format, image.mode, image.size
    except FileNotFoundError:
        raise InputError(f"{what} {cover} does not exist") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError(f"{what} {cover} is not a JPEG or PNG image ({exc})") from None
    if kind not in ("JPEG", "PNG"):
        raise InputError(f"{what} {cover} is {kind}; podcast apps want a JPEG or PNG")
    if mode != "RGB":
        raise InputError(f"{what} {cover} is {mode}; podcast apps want RGB without transparency")
    if width != height:
        raise InputError(f"{what} {cover} is {width}x{height} px; podcast covers must be square")
    if not MIN_COVER <= width <= MAX_COVER:
        raise InputError(f"{what} {cover} is {width}x{height} px; podcast covers are {MIN_COVER} to {MAX_COVER} px")
    return "jpg" if kind == "JPEG" else "png"


def cover_name(channel: Channel) -> str:
    """The channel cover's file name inside the output folder: named by what the configured file is."""
    if channel.cover is not None and check_cover(channel.cover) == "png":
        return f"{COVER_STEM}.png"
    return f"{COVER_STEM}.jpg"


def cover_bytes(channel: Channel) -> bytes:
    """The channel cover: the configured file's bytes as they are, or a generated one showing the title."""
    if channel.cover is None:
        return make_cover(channel.title, channel.author, label="PODCAST")
    check_cover(channel.cover)
    try:
        return channel.cover.read_bytes()
    except OSError as exc:
        raise InputError(f"cover {channel.cover} cannot be read: {exc.strerror or exc}") from None


def default_config() -> str:
    """The commented `channel.toml` the first publish writes: every key with its default, commented out."""
    defaults = Channel()
    out = io.StringIO()
    out.write(
        "# Podcast settings for this output folder, read by audio-edition on every publish.\n"
        '# Remove the "# " in front of a key to set it; unset keys keep the defaults shown.\n'
        "# After editing, run `audio-edition feed rebuild` (or publish an episode) to update feed.xml.\n"
    )
    for key, (_, doc) in _KEYS.items():
        value = getattr(defaults, key)
        out.write(f"\n# {doc}\n")
        if value is None:
            out.write(f"# {key} = {_toml_value(_EXAMPLES[key])}    # not set by default\n")
        else:
            out.write(f"# {key} = {_toml_value(value)}\n")
    return out.getvalue()


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
