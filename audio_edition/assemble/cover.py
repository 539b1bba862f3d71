"""Generated cover art for an episode that has none: a square JPEG showing the headline.

Podcast apps want square art of 1400 to 3000 pixels, RGB; ID3's APIC frame
carries the same image inside the MP3.
"""

from __future__ import annotations

import hashlib
import io
import textwrap

SIZE = 1400
_PALETTE = [
    ((24, 46, 74), (236, 196, 112)),
    ((58, 28, 52), (240, 170, 150)),
    ((20, 64, 58), (190, 230, 200)),
    ((70, 40, 20), (245, 215, 170)),
    ((36, 36, 44), (170, 200, 240)),
]


def make_cover(title: str, subtitle: str = "", label: str = "AUDIO EDITION") -> bytes:
    """A SIZE x SIZE JPEG: `label` at the top, `title` large, `subtitle` under it."""
    from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415 - only a convert needs Pillow

    digest = hashlib.sha256(title.encode("utf-8")).digest()
    background, accent = _PALETTE[digest[0] % len(_PALETTE)]
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    margin = 110
    draw.rectangle([margin, margin, margin + 180, margin + 14], fill=accent)
    small = ImageFont.load_default(size=52)
    draw.text((margin, margin + 50), label, font=small, fill=accent)

    # Largest size at which the wrapped headline fits the space under the label.
    for size in (120, 104, 92, 80, 68, 58, 50):
        font = ImageFont.load_default(size=size)
        width = max(8, int((SIZE - 2 * margin) / (size * 0.52)))
        lines = textwrap.wrap(title, width=width)[:9]
        height = len(lines) * size * 1.18
        if height <= SIZE - 2 * margin - 360:
            break
    y = margin + 200
    for line in lines:
        draw.text((margin, y), line, font=font, fill=(250, 248, 244))
        y += int(size * 1.18)
    if subtitle:
        draw.text((margin, SIZE - margin - 60), subtitle[:60], font=small, fill=accent)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()
