"""sizes.human_size: one form for byte counts, binary units named as such."""

from __future__ import annotations

import pytest

from audio_edition.sizes import human_size


@pytest.mark.parametrize(("n", "text"), [
    (0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1 KiB"), (38_000, "37 KiB"),
    (1024 * 1024, "1.0 MiB"), (5 * 1024 * 1024, "5.0 MiB"), (4_404_019, "4.2 MiB"), (512 * 1024 * 1024, "512.0 MiB"),
])  # fmt: skip
def test_sizes_read_as_written(n: int, text: str) -> None:
    assert human_size(n) == text
