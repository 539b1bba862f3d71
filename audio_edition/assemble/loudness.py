"""Loudness (ITU-R BS.1770 / EBU R 128) and true-peak control for speech clips.

We meter and limit each sentence on its own, so every clip arrives at the
encoder already at the target loudness and under the true-peak ceiling: the
episode is levelled sentence by sentence, the work streams and parallelises,
and pauses (digital silence) fall below the absolute gate and do not count.

The meter is small numpy code rather than pyloudnorm because pyloudnorm pulls
in scipy, about two seconds of import time in every process that renders;
the K-weighting filter is applied as an FFT convolution with its impulse
response (truncated where it has decayed below -140 dB). Tests check it
against ffmpeg's ebur128 filter.
"""

from __future__ import annotations

from functools import lru_cache
from math import pi, tan

import numpy as np

ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
BLOCK_S = 0.400
STEP_S = 0.100


def _k_weighting_biquads(rate: int) -> list[tuple[list[float], list[float]]]:
    """The two K-weighting stages (high shelf, then high pass) designed for `rate`.

    BS.1770 gives coefficients at 48 kHz; these are the analogue prototypes
    (centre frequency, gain, Q) bilinear-transformed to any rate.
    """
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = tan(pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = (
        [(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0],
        [1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0],
    )
    f0, q = 38.13547087602444, 0.5003270373238773
    k = tan(pi * f0 / rate)
    a0 = 1 + k / q + k * k
    high_pass = ([1.0, -2.0, 1.0], [1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return [shelf, high_pass]


@lru_cache(maxsize=8)
def k_weighting_ir(rate: int) -> np.ndarray:
    """Impulse response of the K-weighting filter at `rate`, long enough to be exact in practice."""
    n = 1 << int(np.ceil(np.log2(rate * 0.2)))  # 200 ms: the 38 Hz pole decays far below -140 dB
    signal = [0.0] * n
    signal[0] = 1.0
    for b, a in _k_weighting_biquads(rate):
        x1 = x2 = y1 = y2 = 0.0
        out = [0.0] * n
        for i, x in enumerate(signal):
            y = b[0] * x + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
            out[i] = y
            x2, x1, y2, y1 = x1, x, y1, y
        signal = out
    return np.asarray(signal)


def _fast_size(n: int) -> int:
    """The smallest 2^a 3^b 5^c >= n: FFT sizes that are quick to transform."""
    best = 1 << max(0, (n - 1).bit_length())
    five = 1
    while five < best:
        three = five
        while three < best:
            size = three << max(0, (-(-n // three) - 1).bit_length())
            best = min(best, size)
            three *= 3
        five *= 5
    return best


@lru_cache(maxsize=2)  # one clip's repeated meterings; each spectrum is megabytes
def _ir_spectrum(rate: int, size: int) -> np.ndarray:
    return np.fft.rfft(k_weighting_ir(rate), size)


def k_weighted(x: np.ndarray, rate: int) -> np.ndarray:
    """`x` (float, mono) through the K-weighting filter."""
    size = _fast_size(len(x) + len(k_weighting_ir(rate)) - 1)
    y = np.fft.irfft(np.fft.rfft(x, size) * _ir_spectrum(rate, size), size)
    return y[: len(x)]


def block_powers(x: np.ndarray, rate: int) -> np.ndarray:
    """Mean square of the K-weighted signal in 400 ms blocks every 100 ms (one block if shorter)."""
    if len(x) == 0:
        return np.zeros(0)
    energy = np.concatenate(([0.0], np.cumsum(k_weighted(x, rate) ** 2)))
    block, step = round(BLOCK_S * rate), round(STEP_S * rate)
    if len(x) < block:
        return np.array([energy[-1] / len(x)])
    starts = np.arange(0, len(x) - block + 1, step)
    return (energy[starts + block] - energy[starts]) / block


def _lufs(power: float | np.ndarray) -> np.ndarray:
    return -0.691 + 10 * np.log10(np.maximum(power, 1e-20))


def integrated_loudness(x: np.ndarray, rate: int) -> float:
    """Gated integrated loudness of mono `x` (floats, full scale 1.0) in LUFS.

    A mono signal counts as one channel, as ffmpeg's ebur128 measures it.
    Returns -inf for silence.
    """
    powers = block_powers(x, rate)
    powers = powers[_lufs(powers) > ABSOLUTE_GATE_LUFS]
    if len(powers) == 0:
        return float("-inf")
    relative_gate = _lufs(powers.mean()) + RELATIVE_GATE_LU
    gated = powers[_lufs(powers) > relative_gate]
    return float(_lufs(gated.mean()))


def true_peak_db(x: np.ndarray, rate: int) -> float:
    """Peak of `x` after 4x oversampling, in dBTP."""
    import soxr  # noqa: PLC0415 - soxr is fast to import, but only renders need it

    if len(x) == 0:
        return float("-inf")
    over = soxr.resample(x.astype(np.float32), rate, rate * 4)
    peak = float(max(np.abs(over).max(), np.abs(x).max()))
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def _running_min(x: np.ndarray, radius: int) -> np.ndarray:
    """min(x[i - radius : i + radius + 1]) for every i, in O(n) (van Herk / Gil-Werman)."""
    k = 2 * radius + 1
    padded = np.concatenate((np.full(radius, np.inf), x, np.full(radius + k, np.inf)))
    blocks = padded[: (len(padded) // k) * k].reshape(-1, k)
    prefix = np.minimum.accumulate(blocks, axis=1).ravel()
    suffix = np.minimum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    i = np.arange(len(x))
    return np.minimum(suffix[i], prefix[i + k - 1])


def limit(x: np.ndarray, rate: int, ceiling_db: float, window_s: float = 0.010) -> np.ndarray:
    """Look-ahead peak limiter: no sample of the result exceeds `ceiling_db` dBFS.

    The gain needed at each sample is min-filtered over +-window and then
    averaged over +-window: every averaged value comes from minima that
    include the sample itself, so the ceiling holds exactly, while the gain
    moves smoothly over about 2 x window instead of clipping.
    """
    ceiling = 10 ** (ceiling_db / 20)
    need = np.minimum(1.0, ceiling / np.maximum(np.abs(x), 1e-12))
    if need.min() >= 1.0:
        return x
    radius = max(1, round(window_s * rate))
    floor = _running_min(need, radius)
    # Beyond the ends, repeat the end values: each still covers the samples it stands for.
    padded = np.concatenate((np.full(radius, floor[0]), floor, np.full(radius, floor[-1])))
    kernel = np.concatenate(([0.0], np.cumsum(padded)))
    width = 2 * radius + 1
    gain = (kernel[width:] - kernel[:-width])[: len(x)] / width
    return x * np.minimum(gain, need)


def in_context_loudness(x: np.ndarray, rate: int, pad_s: float = BLOCK_S) -> float:
    """Loudness of a clip as it counts inside a programme, between pauses.

    In the programme, the 400 ms blocks that overlap a clip's edges also
    cover silence; they pass the gates and pull the integrated figure down.
    Metering the clip between `pad_s` of silence on each side counts them.
    """
    pad = np.zeros(round(pad_s * rate))
    return integrated_loudness(np.concatenate((pad, x, pad)), rate)


def normalize(
    x: np.ndarray, rate: int, target_lufs: float, true_peak_ceiling_db: float, loudness: float | None = None
) -> np.ndarray:
    """`x` brought to `target_lufs` (in context) and limited to `true_peak_ceiling_db` dBTP.

    `loudness` is x's in-context loudness when the caller has measured it already.
    """
    if loudness is None:
        loudness = in_context_loudness(x, rate)
    if not np.isfinite(loudness):
        return x
    gain_db = target_lufs - loudness
    ceiling = true_peak_ceiling_db - 0.1  # sample peaks a hair below: inter-sample peaks rise
    y = x
    for _ in range(6):
        scaled = x * 10 ** (gain_db / 20)
        y = limit(scaled, rate, ceiling)
        peak = true_peak_db(y, rate)
        if peak > true_peak_ceiling_db:
            ceiling -= peak - true_peak_ceiling_db + 0.02
            continue
        if y is scaled:  # a gain alone: the loudness is the target exactly
            break
        # Limiting costs a little loudness: make it up, then check the peaks again.
        short = target_lufs - in_context_loudness(y, rate)
        if abs(short) <= 0.05:
            break
        gain_db += short
    return y
