"""Tests for audio_edition.assemble.cover: square art whose every letter is drawn, in any European script."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, ImageDraw

from audio_edition.assemble import cover

# Headlines and bylines written for this test, one per script a news page is likely to use.
TITLES = {
    "latin": "Sølvberg café reopens — Ærøskøbing’s “Łódź” night, €4 or £3",
    "cyrillic": "Київ: міст через Дніпро відкрито; Олена Коваль, Ґданськ і Москва",
    "greek": "Αθήνα: νέα γέφυρα στον Πειραιά για £2 εκατομμύρια",
}


def _glyph(face, ch: str) -> bytes:
    image = Image.new("L", (200, 200), 0)
    ImageDraw.Draw(image).text((20, 20), ch, font=face, fill=255)
    return image.tobytes()


@pytest.mark.parametrize("script", sorted(TITLES))
def test_every_letter_of_a_title_has_a_glyph(script: str) -> None:
    assert cover.font_path(bold=True) is not None, "DejaVu Sans is not installed: make installs fonts-dejavu-core"
    face = cover.font(80, bold=True)
    missing = _glyph(face, "\U000e0fff")  # an unassigned code point: the font's "missing" box
    absent = sorted({ch for ch in TITLES[script] if not ch.isspace() and _glyph(face, ch) == missing})
    assert absent == []


@pytest.mark.parametrize("script", sorted(TITLES))
def test_a_cover_in_each_script_is_square_rgb_and_shows_the_title(script: str) -> None:
    data = cover.make_cover(TITLES[script], "By Олена Коваль")
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.mode == "RGB" and image.size == (cover.SIZE, cover.SIZE)
    # The title is drawn: the cover differs from the same cover with another title of that script.
    other = Image.open(io.BytesIO(cover.make_cover(TITLES[script][::-1], "By Олена Коваль")))
    assert ImageChops.difference(image, other).getbbox() is not None


def test_a_long_title_and_byline_stay_inside_the_art() -> None:
    title = "Дніпропетровськ " * 30
    image = Image.open(io.BytesIO(cover.make_cover(title, "By " + "Вишневецький-Оленченко " * 5))).convert("L")
    background = image.getpixel((5, 5))
    # The right margin (the last 60 px) is untouched: no line runs off the art.
    strip = image.crop((cover.SIZE - 60, 0, cover.SIZE, cover.SIZE))
    assert ImageChops.difference(strip, Image.new("L", strip.size, background)).getextrema()[1] < 40
