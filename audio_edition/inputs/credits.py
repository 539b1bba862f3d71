"""Photo captions and their credits: the credit is split off and never read aloud.

A credit comes in many shapes on a scraped page:

- in parentheses at the end: "The pier at dawn (Jane Roe / Reuters)", however
  many parts: "(A / Suspilne / JSC "UA:PBC" / Global Images Ukraine via Getty Images)"
- after a label: "The pier at dawn. Photo: Jane Roe", "…Credit: EPA", "Foto: dpa"
- glued on without a space: "…near Salzburg, Austria.Leonhard Foeger / Reuters file"
- on a line of its own, before or after its caption: "Getty Images",
  "Image copyright EPA", "(Bild: Hersteller)", "© PR", "Image source, Getty Images"

`split_credit` splits one line; `credit_line` recognises a line that is only a
credit. What counts as a credit (agencies, "via", "Name/Agency") are the
"credit" rows of data/furniture.tsv; the labels are here, in the languages
news pages are written in.
"""

from __future__ import annotations

import re

from audio_edition.inputs.furniture import Furniture, load_furniture
from audio_edition.inputs.shapes import words

__all__ = [
    "CREDIT_LABEL",
    "caption_label",
    "credit_line",
    "is_credit_label",
    "paren_credit",
    "split_credit",
    "strip_label",
]

_LABELS = (
    r"photo|photograph|photos|photographs|photography|image|images|picture|pictures|illustration|credit|credits|"
    r"video|graphic|graphics|lead image|top image|cover image|image copyright|copyright|source|image source|"
    r"foto|fotos|fotografie|fotografía|fotografia|bild|bilder|quelle|crédit|crédits|crédito|créditos|fonte|"
    r"immagine|zdjęcie|fot|źródło|фото|фотография|джерело|источник|zdroj|kuva|kép|resim"
)
CREDIT_LABEL = re.compile(
    rf"^\(?\s*(?:{_LABELS})(?:\s+(?:credit|by|de|von|par|di|por))?\s*(?::|,|\bby\b|\.(?=\s))\s*", re.I
)
"""A credit's label ("Photo: ", "Image copyright ", "Foto: "), to strip from the credit."""
_BARE_LABEL = re.compile(rf"^\(?\s*(?:image copyright|copyright|©|\(c\)|{_LABELS})\s*[:,.]?\s+(?=\S)", re.I)
# "Houses below the dyke © Rivierenland Nieuws / Jeroen Kamphuis": a copyright sign and the credit after the caption.
_COPYRIGHT_AFTER = re.compile(r"(?P<text>.*?\S)\s*(?:©|\(c\))\s*(?P<credit>[^©]{2,160})", re.S)
_CAPTION = re.compile(r"(?P<text>.*?\S)\s*\((?P<credit>[^()]{2,200})\)\s*", re.S)
_LABELLED = re.compile(
    rf"(?P<text>.*?[.!?…][\"'”’)]*)\s*(?P<credit>(?:{_LABELS})s?(?:\s+credit)?(?:\s*:|\s+by\b)\s*[^.!?]{{2,160}})",
    re.S | re.I,
)
# "…Austria.Leonhard Foeger / Reuters file": a sentence's full stop with the credit glued to it.
_GLUED = re.compile(r"(?P<text>.*?\S[.!?][\"'”’)]?)(?P<credit>[A-Z][^.!?]{2,160})")
_CAPTION_LABEL = re.compile(
    r"^(?:image caption|caption|media caption|video caption|légende|bildunterschrift|leyenda|legenda|подпись)\s*[,:]\s*",
    re.I,
)
_CAP = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯІЇЄҐ"
_LABEL_NAME = re.compile(
    rf"^(?i:{_LABELS})\s+[{_CAP}][^\s()]*(?:\s+(?:[{_CAP}][^\s()]*|de|da|di|van|von|der|del|la|le))" "{0,4}$"
)
"""Inside parentheses, a label and a name with nothing between: "(Foto Davide Morselli)"."""
_COPYRIGHT = re.compile(r"^(?:©|\(c\))\s*\S", re.I)
_LABEL_ALONE = re.compile(rf"(?:{_LABELS})s?(?:\s+credit)?\s*(?::|\.\.\.|…)?", re.I)


def paren_credit(text: str, furniture: Furniture | None = None) -> tuple[str, str] | None:
    """ "The pier at dawn (Photo: Jane Roe/Reuters)" -> ("The pier at dawn", "Photo: Jane Roe/Reuters"):
    a caption of two words or more and, in parentheses, what the furniture list knows as a photo credit."""
    furniture = furniture or load_furniture()
    match = _CAPTION.fullmatch(text)
    if match and words(match.group("text")) >= 2:
        credit = match.group("credit").strip()
        if words(credit) <= 24 and (
            furniture.is_credit(credit) or CREDIT_LABEL.match(credit) or _LABEL_NAME.match(credit)
        ):
            return match.group("text").strip(), credit
    return None


def strip_label(credit: str) -> str:
    """ "Photo: Jane Roe" -> "Jane Roe"; "(Bild: Hersteller)" -> "Hersteller"; "© PR" -> "PR"."""
    text = credit.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    text = CREDIT_LABEL.sub("", text)
    if _LABEL_NAME.match(text):
        text = text.split(None, 1)[1]
    text = _BARE_LABEL.sub("", text) if re.match(r"(?i)(?:image )?copyright\s", text) else text
    text = re.sub(r"^(?:©|\(c\))\s*", "", text, flags=re.I)
    return text.strip(" ,;")


def split_credit(text: str) -> tuple[str, str | None]:
    """A caption and its photo credit (label removed), or the text and None when it carries no credit.

    "The pier at dawn (Photo: Jane Roe/Reuters)" -> ("The pier at dawn", "Jane Roe/Reuters");
    "The pier at dawn. Photograph: Jane Roe" -> ("The pier at dawn.", "Jane Roe");
    "…continued.Credit: EPA" -> ("…continued.", "EPA").
    """
    text = text.strip()
    furniture = load_furniture()
    split = paren_credit(text, furniture)
    if split is not None:
        return split[0], strip_label(split[1]) or None
    match = _LABELLED.fullmatch(text)
    if match and words(match.group("text")) >= 2:
        return match.group("text").strip(), strip_label(match.group("credit")) or None
    match = _COPYRIGHT_AFTER.fullmatch(text)
    if match and words(match.group("text")) >= 2 and words(match.group("credit")) <= 14:
        return match.group("text").strip(), match.group("credit").strip()
    match = _GLUED.fullmatch(text)
    if match and words(match.group("text")) >= 3:
        credit = match.group("credit").strip()
        if words(credit) <= 12 and furniture.is_credit(credit) and not re.search(r"\s[a-z]+\s[a-z]+\s[a-z]+", credit):
            return match.group("text").strip(), credit
    return text, None


def credit_line(text: str) -> str | None:
    """The credit, when a whole line is only a photo credit ("Getty Images", "Image copyright EPA", "© PR")."""
    text = text.strip()
    if not text or words(text) > 16 or (text.rstrip(")").endswith((".", "!", "?")) and not text.endswith(".)")):
        if not (text.startswith("(") and text.endswith(")")):
            return None
    furniture = load_furniture()
    inner = text[1:-1].strip() if text.startswith("(") and text.endswith(")") else text
    labelled = bool(_BARE_LABEL.match(inner)) or bool(_COPYRIGHT.match(inner))
    credit = strip_label(inner)
    if not credit or words(credit) > 14:
        return None
    if labelled and (furniture.is_credit(credit) or words(credit) <= 6):
        return credit
    if text.startswith("(") and furniture.is_credit(credit):
        return credit
    # A bare agency or "Name/Agency" line: nothing on it but a credit.
    if furniture.is_credit(credit) and words(credit) <= 8 and not re.search(r"\b[a-z]{4,}\b.*\b[a-z]{4,}\b", credit):
        return credit
    return None


def is_credit_label(text: str) -> bool:
    """Whether a line is a credit's label alone ("Credit...", "Photo:"), the credit on the line below it."""
    return bool(_LABEL_ALONE.fullmatch(text.strip()))


def caption_label(text: str) -> str | None:
    """ "Image caption, The ferry at the quay" -> "The ferry at the quay" (as BBC-like pages print captions)."""
    match = _CAPTION_LABEL.match(text.strip())
    return text.strip()[match.end() :].strip() if match else None
