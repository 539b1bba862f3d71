"""Sentences -> mastered clips: in parallel, through the sentence cache, with progress.

Rendering a sentence (synthesis; trimming, resampling, levelling and limiting
in `assemble.master`; then MP3 encoding of its pause and clip in
`assemble.segment`) is independent of every other sentence, so it runs on a
`concurrent.futures` Executor: by default a pool of local processes, one per
core. Segments come back in reading order, a bounded window ahead, so memory
does not grow with the article. Each is looked up first in the
`SentenceCache` under a key made of the spoken text, the pause, the engine's
identity, the mastering settings and the encoder's: an unchanged sentence is
neither rendered nor encoded again.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import struct
import sys
import time
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TextIO

from audio_edition.assemble import mp3 as assemble
from audio_edition.cache import SentenceCache
from audio_edition.engines import Engine
from audio_edition.errors import AudioEditionError, SynthesisError
from audio_edition.voices import VoiceProfile

_ENGINES: dict[VoiceProfile, Engine] = {}


_SEGMENT = struct.Struct("<II")  # the clip's length in samples, its number of word timings
_WORD = struct.Struct("<II")  # a word's character offset in the spoken text, its first sample in the clip

Words = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Segment:
    """A rendered sentence: its clip's length, where its words start, and the encoded pause + clip."""

    samples: int
    words: Words
    mp3: bytes


def render_segment(profile: VoiceProfile, text: str, pause_samples: int) -> bytes:
    """One sentence synthesized, mastered, and encoded after its pause (runs in a worker).

    Returns the packed `Segment` (what is cached); a sentence with nothing
    audible gives length 0 and no frames.
    """
    engine = _ENGINES.get(profile)
    if engine is None:
        engine = _ENGINES[profile] = profile.create_engine()
    clip, words = assemble.master_timed(engine.synthesize(text))
    if len(clip) == 0:
        return _SEGMENT.pack(0, 0)
    timings = b"".join(_WORD.pack(char, sample) for char, sample in words)
    return _SEGMENT.pack(len(clip), len(words)) + timings + assemble.segment(pause_samples, clip)


def unpack_segment(payload: bytes) -> Segment:
    """The `Segment` packed by `render_segment`."""
    samples, count = _SEGMENT.unpack_from(payload)
    end = _SEGMENT.size + count * _WORD.size
    return Segment(samples, tuple(_WORD.iter_unpack(payload[_SEGMENT.size : end])), payload[end:])


def _worker_start(parent: int) -> None:
    """In each worker: Ctrl-C is the parent's to handle (workers would each print a traceback),
    and a worker dies with its parent, even one killed with kill -9, instead of lingering."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: PLC0415

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def local_executor(jobs: int | None = None) -> ProcessPoolExecutor:
    """A pool of worker processes, one per core unless `jobs` says otherwise.

    Workers are forked where the platform allows: they start at once and
    inherit the imported modules (nothing has started espeak-ng in the parent).
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "darwin" else None)
    executor = ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1, mp_context=context,
                                   initializer=_worker_start, initargs=(os.getpid(),))  # fmt: skip
    # Start the workers now, before the encoder's pipe exists: a worker forked later
    # would hold the pipe open and the encoder would never see the end of its input.
    executor.submit(os.getpid).result()
    return executor


def open_executor(spec: str | None = None, jobs: int | None = None) -> tuple[Executor, Callable[[], None]]:
    """The Executor named on the command line and a function that releases it.

    "local" (or None): a pool of local processes. "dask://HOST:PORT": the workers
    of a running Dask cluster (`pip install 'audio-edition[dask]'`); clips come
    back as bytes and land in the local cache like any other.
    """
    if spec in (None, "", "local"):
        pool = _OnDemandPool(jobs)
        return pool, lambda: pool.shutdown(wait=True, cancel_futures=True)
    if spec.startswith("dask://"):
        try:
            from distributed import Client  # noqa: PLC0415 - optional, slow to import
        except ImportError:
            raise AudioEditionError("--executor dask:// needs Dask: pip install 'audio-edition[dask]'") from None
        address = "tcp://" + spec[len("dask://") :]
        try:
            client = Client(address, timeout=10)
        except (OSError, TimeoutError) as exc:
            raise AudioEditionError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        return client.get_executor(), client.close
    raise AudioEditionError(f"unknown executor {spec!r}: use 'local' or 'dask://HOST:PORT'")


class _OnDemandPool(Executor):
    """A local process pool started by the first sentence that is not in the cache.

    A re-run whose sentences are all cached starts no worker at all.
    """

    def __init__(self, jobs: int | None) -> None:
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None

    def submit(self, fn, /, *args, **kwargs):
        if self.pool is None:
            self.pool = local_executor(self.jobs)
        return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class Progress:
    """ "rendering 12/40 sentences, 0:08 left" on a terminal; nothing elsewhere."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.done = 0
        self.started = time.monotonic()

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done)
        self.stream.write(
            f"\rrendering {self.done}/{self.total} sentences, {int(left) // 60}:{int(left) % 60:02d} left "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _excerpt(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "..."


def _find_fatal(texts: Sequence[str], profile: VoiceProfile) -> str:
    """Which of `texts` kills a worker: each tried alone in a fresh one-worker pool.

    A dead worker breaks the whole pool, and every sentence in flight fails with
    it; only a sentence that breaks a pool on its own is named.
    """
    for text in texts:
        with local_executor(1) as pool:
            try:
                pool.submit(render_segment, profile, text, 0).result()
            except BrokenProcessPool:
                return text
    return texts[0]


def render(
    items: Sequence[tuple[str, int]],
    profile: VoiceProfile,
    executor: Executor | None = None,
    cache: SentenceCache | None = None,
    progress: Progress | None = None,
    window: int = 32,
) -> Generator[Segment, None, None]:
    """For each (spoken text, pause in samples), in order: its `Segment`."""
    texts = [text for text, _ in items]
    identity = profile.create_engine().identity()
    mastering = assemble.identity()
    keys = [SentenceCache.key(identity, *mastering, str(pause), text) for text, pause in items]
    own = executor is None
    pending: deque[tuple[int, Future[bytes] | bytes]] = deque()
    next_index = 0
    try:
        while next_index < len(texts) or pending:
            while next_index < len(texts) and len(pending) < window:
                cached = cache.get(keys[next_index]) if cache else None
                if cached is None:
                    if executor is None:
                        executor = local_executor()
                    text, pause = items[next_index]
                    pending.append((next_index, executor.submit(render_segment, profile, text, pause)))
                else:
                    pending.append((next_index, cached))
                next_index += 1
            index, item = pending.popleft()
            if isinstance(item, bytes):
                clip = item
            else:
                try:
                    clip = item.result()
                except BrokenProcessPool:
                    culprit = _find_fatal(texts[index:next_index], profile)
                    raise SynthesisError(f"a render worker died on the sentence {_excerpt(culprit)!r}") from None
                except AudioEditionError:
                    raise
                except Exception as exc:  # noqa: BLE001 - a remote executor's own failure (e.g. a killed worker)
                    raise SynthesisError(
                        f"rendering failed on the sentence {_excerpt(texts[index])!r}: {type(exc).__name__}: {exc}"
                    ) from None
                if cache:
                    cache.put(keys[index], clip)
            if progress:
                progress.step()
            yield unpack_segment(clip)
    finally:
        for _, item in pending:
            if isinstance(item, Future):
                item.cancel()
        if own and executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        if progress:
            progress.close()
        if cache:
            cache.evict()
