"""sizes.human_size: one form for byte counts, binary units named as such."""

from __future__ import annotations

import pytest

from audio_edition.sizes import clock, count, human_size


@pytest.mark.parametrize(("n", "text"), [
    (0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1 KiB"), (38_000, "37 KiB"),
    (1024 * 1024, "1.0 MiB"), (5 * 1024 * 1024, "5.0 MiB"), (4_404_019, "4.2 MiB"), (512 * 1024 * 1024, "512.0 MiB"),
])  # fmt: skip
def test_sizes_read_as_written(n: int, text: str) -> None:
    assert human_size(n) == text


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (59.999, "0:59"), (126.9, "2:06"), (127.0, "2:07"),
                                               (3599.5, "59:59"), (3600, "1:00:00"), (7384.2, "2:03:04")])  # fmt: skip
def test_lengths_are_whole_seconds_rounded_down(seconds: float, text: str) -> None:
    assert clock(seconds) == text


def test_counts_say_one_thing_or_many() -> None:
    assert [count(n, "chapter") for n in (0, 1, 2)] == ["0 chapters", "1 chapter", "2 chapters"]
    assert count(1, "episode") == "1 episode" and count(3, "person", "people") == "3 people"
