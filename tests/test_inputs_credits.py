"""Tests for audio_edition.inputs.credits: a photo caption's credit is split off in every shape it comes in."""

from __future__ import annotations

import pytest

from audio_edition.inputs.credits import caption_label, credit_line, split_credit


@pytest.mark.parametrize(
    ("line", "caption", "credit"),
    [
        (
            "A ship leaves the port of Velmar as the strike continued.Credit: EPA",
            "A ship leaves the port of Velmar as the strike continued.",
            "EPA",
        ),
        (
            "Rescuers search a slope near Hallstein, Austria.Lukas Amreiner / Alpenbild file",
            "Rescuers search a slope near Hallstein, Austria.",
            "Lukas Amreiner / Alpenbild file",
        ),
        (
            'A valve on the new pipeline, March 28, 2025. (Taras Movchan / Vilna Hromada / JSC "UA:PBC" / '
            "Global Images Ukraine via Getty Images)",
            "A valve on the new pipeline, March 28, 2025.",
            'Taras Movchan / Vilna Hromada / JSC "UA:PBC" / Global Images Ukraine via Getty Images',
        ),
        ("The pier at dawn. Photograph: Jane Roe", "The pier at dawn.", "Jane Roe"),
        ("Das Becken ist leer. Foto: Jens Oltmanns", "Das Becken ist leer.", "Jens Oltmanns"),
        ("The old bridge at dawn. (Photo: Ana Ruiz / River Post)", "The old bridge at dawn.", "Ana Ruiz / River Post"),
        ("Hikers on the reopened trail (Foto Marta Bellini)", "Hikers on the reopened trail", "Marta Bellini"),
        (
            "Houses below the dyke © Polder Nieuws / Sanne de Vries",
            "Houses below the dyke",
            "Polder Nieuws / Sanne de Vries",
        ),
        (
            "The market hall on Saturday. © Paul Morel / Le Journal",
            "The market hall on Saturday.",
            "Paul Morel / Le Journal",
        ),
    ],
)
def test_credit_split_off(line: str, caption: str, credit: str) -> None:
    assert split_credit(line) == (caption, credit)


@pytest.mark.parametrize(
    "line",
    [
        "The council met on Tuesday. It voted 5-2.",
        "He said it was fine.Then he left.",
        "Mr. Smith (D-Mass.) voted no.",
        "The talks (held in Geneva) ended.",
        "The cost has doubled since the first estimate (see chart)",
        "The mayor spoke at the pier (photo below)",
    ],
)
def test_no_credit_in_body_text(line: str) -> None:
    assert split_credit(line) == (line, None)


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Getty Images", "Getty Images"),
        ("Image copyright EPA", "EPA"),
        ("Photo: AFP", "AFP"),
        ("(Bild: Hersteller)", "Hersteller"),
        ("© PR", "PR"),
        ("Image source, Getty Images", "Getty Images"),
        ("(photo credit: DORIT AMSALEM/HARBOUR POST)", "DORIT AMSALEM/HARBOUR POST"),
        ("Фото: Илья Жаров / «Северная газета»", "Илья Жаров / «Северная газета»"),
        ("AP Photo/Jane Doe", "AP Photo/Jane Doe"),
        ("Fot. Krzysztof Nowak", "Krzysztof Nowak"),
    ],
)
def test_credit_lines(line: str, credit: str) -> None:
    assert credit_line(line) == credit


@pytest.mark.parametrize(
    "line", ["The council met.", "World News", "Image", "Reuters reported that prices fell sharply."]
)
def test_not_credit_lines(line: str) -> None:
    assert credit_line(line) is None


def test_caption_label() -> None:
    assert caption_label("Image caption, The ferry at the quay") == "The ferry at the quay"
    assert caption_label("The ferry at the quay") is None
