"""Generated cover art for an episode that has none: a square JPEG showing the headline.

Podcast apps want square art of 1400 to 3000 pixels, RGB; ID3's APIC frame
carries the same image inside the MP3. The text is set in DejaVu Sans (the
set-up installs fonts-dejavu-core), which has every Latin, Greek and Cyrillic
letter a headline or a byline needs ("Sølvberg", "Київ", "€"); Pillow's own
font has ASCII only and would draw boxes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

SIZE = 1400
_PALETTE = [
    ((24, 46, 74), (236, 196, 112)),
    ((58, 28, 52), (240, 170, 150)),
    ((20, 64, 58), (190, 230, 200)),
    ((70, 40, 20), (245, 215, 170)),
    ((36, 36, 44), (170, 200, 240)),
]


_FONTS = {
    False: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVu Sans"),
    True: ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "DejaVu Sans:bold"),
}


@functools.cache
def font_path(bold: bool = False) -> str | None:
    """The cover's font file: DejaVu Sans where Debian installs it, else where fontconfig finds it."""
    path, pattern = _FONTS[bold]
    if Path(path).is_file():
        return path
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True).stdout.strip()
        if found and Path(found).is_file() and "dejavu" in found.lower():
            return found
    print("audio-edition: warning: DejaVu Sans not found (install fonts-dejavu-core): covers show ASCII only",
          file=sys.stderr)  # fmt: skip
    return None


def font(size: int, bold: bool = False) -> Any:
    """The cover font at `size` pixels."""
    from PIL import ImageFont  # noqa: PLC0415 - only a convert needs Pillow

    path = font_path(bold)
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size=size)


def _wrap(text: str, face: Any, width: float) -> list[str]:
    """Words into lines no wider than `width` pixels in `face` (a word wider than a line stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and face.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _fit(text: str, face: Any, width: float) -> str:
    """`text` cut with "…" to fit one line of `width` pixels."""
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def make_cover(title: str, subtitle: str = "", label: str = "AUDIO EDITION") -> bytes:
    """A SIZE x SIZE JPEG: `label` at the top, `title` large, `subtitle` under it."""
    from PIL import Image, ImageDraw  # noqa: PLC0415 - only a convert needs Pillow

    digest = hashlib.sha256(title.encode("utf-8")).digest()
    background, accent = _PALETTE[digest[0] % len(_PALETTE)]
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    margin = 110
    inner = SIZE - 2 * margin
    draw.rectangle([margin, margin, margin + 180, margin + 14], fill=accent)
    small = font(48)
    draw.text((margin, margin + 50), label, font=font(48, bold=True), fill=accent)

    # Largest size at which the wrapped headline fits the space under the label.
    for size in (112, 100, 88, 76, 66, 58, 50, 44):
        face = font(size, bold=True)
        lines = _wrap(title, face, inner)
        if len(lines) * size * 1.22 <= inner - 360 and all(face.getlength(line) <= inner for line in lines):
            break
    lines = [_fit(line, face, inner) for line in lines[:9]]
    y = margin + 200
    for line in lines:
        draw.text((margin, y), line, font=face, fill=(250, 248, 244))
        y += int(size * 1.22)
    if subtitle:
        draw.text((margin, SIZE - margin - 60), _fit(subtitle, small, inner), font=small, fill=accent)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()
