"""channel.toml: defaults, the commented file the first publish writes, and every refusal as one line."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import tomllib
from PIL import Image

from audio_edition.errors import InputError
from audio_edition.model import Channel
from audio_edition.publish.channel import (
    CATEGORIES,
    CONFIG_NAME,
    check_cover,
    cover_bytes,
    cover_name,
    default_config,
    load_channel,
)


def write_config(out: Path, text: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / CONFIG_NAME).write_text(text, encoding="utf-8")
    return out


def image(path: Path, size: tuple[int, int], mode: str = "RGB", fmt: str = "JPEG") -> Path:
    Image.new(mode, size, "teal" if mode in ("RGB", "RGBA") else 0).save(path, format=fmt)
    return path


def refusal(out: Path) -> str:
    with pytest.raises(InputError) as caught:
        load_channel(out)
    message = str(caught.value)
    assert "\n" not in message
    assert str(out / CONFIG_NAME) in message
    return message


def test_no_file_means_defaults(tmp_path):
    assert load_channel(tmp_path) == Channel()
    assert load_channel(tmp_path / "not-there-yet") == Channel()


def test_default_config_lists_every_key_commented_out_with_its_true_default(tmp_path):
    text = default_config()
    write_config(tmp_path, text)
    assert tomllib.loads(text) == {}
    assert load_channel(tmp_path) == Channel()

    # Uncomment every key line: the file stays valid and the values shown are the real defaults.
    uncommented = re.sub(r"(?m)^# (\w+ = )", r"\1", text)
    data = tomllib.loads(uncommented)
    model_keys = set(Channel.__dataclass_fields__)
    assert set(data) == model_keys
    image(tmp_path / data["cover"], (1400, 1400))
    write_config(tmp_path, uncommented)
    loaded = load_channel(tmp_path)
    defaults = Channel()
    for key in model_keys:
        if getattr(defaults, key) is not None:
            assert getattr(loaded, key) == getattr(defaults, key), key
    assert loaded.cover == tmp_path / data["cover"]


def test_full_config_with_awkward_text(tmp_path):
    image(tmp_path / "art.png", (3000, 3000), fmt="PNG")
    write_config(
        tmp_path,
        """
title = "Fish & Chips <Daily> \\"Radio\\" 🐟"
description = "Long reads, read aloud."
author = "Mara O'Neil"
email = "mara@example.org"
language = "en-gb"
category = "Society & Culture"
subcategory = "Documentary"
explicit = true
link = "https://example.org/"
cover = "art.png"
base_url = "https://example.org/pod"
locked = false
""",
    )
    channel = load_channel(tmp_path)
    assert channel.title == 'Fish & Chips <Daily> "Radio" 🐟'
    assert channel.author == "Mara O'Neil"
    assert (channel.email, channel.language, channel.category, channel.subcategory) == (
        "mara@example.org",
        "en-gb",
        "Society & Culture",
        "Documentary",
    )
    assert channel.explicit is True and channel.locked is False
    assert channel.base_url == "https://example.org/pod/"  # a folder: the trailing slash added
    assert channel.cover == tmp_path / "art.png"
    assert cover_name(channel) == "channel-cover.png"
    assert cover_bytes(channel) == (tmp_path / "art.png").read_bytes()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('titel = "Typo"\n', "unknown key 'titel'"),
        ('explicit = "yes"\n', "explicit must be true or false, not a string"),
        ("title = 42\n", "title must be a string, not a number"),
        ("locked = 1\n", "locked must be true or false"),
        ("[title]\nname = 'x'\n", "title must be a string, not a table"),
        ('title = "unterminated\n', "is not valid TOML"),
        ('title = "  "\n', "title must not be empty"),
        ('category = "Cooking"\n', "'Cooking' is not an Apple Podcasts category"),
        ('category = "News"\nsubcategory = "Drama"\n', "subcategory 'Drama' is not one of 'News'"),
        ('subcategory = "Politics"\ncategory = "Arts"\n', "subcategory 'Politics' is not one of 'Arts'"),
        ('base_url = "ftp://example.org/"\n', "base_url 'ftp://example.org/' is not an http:// or https:// URL"),
        ('link = "example.org"\n', "link 'example.org' is not an http:// or https:// URL"),
        ('email = "nobody"\n', "email 'nobody' is not an e-mail address"),
        ('language = "English (US)"\n', "language 'English (US)' is not a language code"),
        ('cover = "missing.jpg"\n', "does not exist"),
    ],
)
def test_refusals_name_the_file_and_the_key(tmp_path, text, expected):
    write_config(tmp_path, text)
    assert expected in refusal(tmp_path)


def test_subcategory_defaults_to_news_category(tmp_path):
    write_config(tmp_path, 'subcategory = "Daily News"\n')
    assert load_channel(tmp_path).subcategory == "Daily News"


def test_not_utf8_is_refused(tmp_path):
    tmp_path.joinpath(CONFIG_NAME).write_bytes(b'title = "caf\xe9"\n')
    assert "cannot be read" in refusal(tmp_path)


@pytest.mark.parametrize(
    ("size", "mode", "fmt", "expected"),
    [
        ((1400, 1300), "RGB", "JPEG", "1400x1300 px; podcast covers must be square"),
        ((1000, 1000), "RGB", "JPEG", "1000x1000 px; podcast covers are 1400 to 3000 px"),
        ((3200, 3200), "RGB", "PNG", "3200x3200 px; podcast covers are 1400 to 3000 px"),
        ((1400, 1400), "RGBA", "PNG", "is RGBA; podcast apps want RGB"),
        ((1400, 1400), "CMYK", "JPEG", "is CMYK"),
        ((1400, 1400), "L", "PNG", "is L"),
        ((1400, 1400), "RGB", "GIF", "podcast apps want a JPEG or PNG"),
    ],
)
def test_covers_that_podcast_apps_refuse(tmp_path, size, mode, fmt, expected):
    if fmt == "GIF":
        image(tmp_path / "art.gif", size, "P", fmt)
        name = "art.gif"
    else:
        name = f"art.{fmt.lower()}"
        image(tmp_path / name, size, mode, fmt)
    write_config(tmp_path, f'cover = "{name}"\n')
    message = refusal(tmp_path)
    assert "cover" in message and expected in message


def test_cover_that_is_not_an_image(tmp_path):
    (tmp_path / "art.jpg").write_text("not a picture")
    write_config(tmp_path, 'cover = "art.jpg"\n')
    assert "is not a JPEG or PNG image" in refusal(tmp_path)


def test_cover_absolute_path_and_name_by_content(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # A PNG whose name says .jpg: the copy is named for what it is.
    image(elsewhere / "art.jpg", (1400, 1400), fmt="PNG")
    out = write_config(tmp_path / "out", f'cover = "{elsewhere / "art.jpg"}"\n')
    channel = load_channel(out)
    assert channel.cover == elsewhere / "art.jpg"
    assert cover_name(channel) == "channel-cover.png"
    assert check_cover(elsewhere / "art.jpg") == "png"


def test_generated_cover_is_valid_podcast_art():
    channel = Channel(title="Harbour Lights & Night Ferries")
    assert cover_name(channel) == "channel-cover.jpg"
    data = cover_bytes(channel)
    with Image.open(io.BytesIO(data)) as art:
        assert (art.format, art.mode, art.size) == ("JPEG", "RGB", (1400, 1400))
    assert cover_bytes(Channel(title="Another show")) != data  # it shows the title


def test_category_table_is_apples_nineteen():
    assert len(CATEGORIES) == 19
    assert {"News", "Society & Culture", "True Crime", "TV & Film", "Health & Fitness"} <= set(CATEGORIES)
    assert Channel().category in CATEGORIES
