"""The default engine: pyttsx3 (espeak-ng on Linux, SAPI5 or NSSpeechSynthesizer elsewhere).

pyttsx3 2.99's espeak driver has four quirks this module exists to contain:

* espeak-ng keeps synthesis state between utterances (pitch flutter, noise), so
  the same text rendered twice in one process gives different samples, and the
  first `save_to_file` of a process can be lost;
* it prints "Audio saved to ..." on standard output;
* it writes a WAV header with a hard-coded 22050 Hz rate, whatever espeak-ng runs at;
* it runs espeak-ng asynchronously, where the voice setting races the other
  settings (now and then a sentence is spoken at the driver's default rate),
  and a process that has initialised espeak-ng cannot safely fork.

So where the platform can fork (Linux and the BSDs), every sentence is rendered
in a short-lived child forked from a parent that has imported pyttsx3 but never
initialised espeak-ng: each sentence starts from the same pristine state, which
makes the output complete and bit-identical for identical text and settings (it
matches `espeak-ng -w` sample for sample). The child's standard output goes to
/dev/null, it reports the library's true sample rate, and a child that hangs or
dies is killed and reported as a `SynthesisError` naming the sentence. In the
child espeak-ng runs synchronously (see `_use_synchronous_espeak`).
Elsewhere (Windows, macOS) the platform driver is driven in-process, with one
warm-up render and standard output silenced around each call.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audio_edition.engines import Engine
from audio_edition.errors import SynthesisError
from audio_edition.model import Audio

_HEADER = struct.Struct("<III")  # sample rate, exit marker, word count
_WORD = struct.Struct("<II")  # character offset, sample offset
_OK = 0x5AFE
_FAILED = 0xBAD


def _forking_platform() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"


@functools.lru_cache(maxsize=1)
def _espeak_version() -> str:
    """espeak-ng's version, from its command line (the library cannot be asked before a fork)."""
    try:
        out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "espeak-ng unknown"
    return " ".join(out.split()[:6])


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _excerpt(text: str) -> str:
    return text if len(text) <= 70 else text[:67] + "..."


def _read_pcm(path: Path) -> tuple[bytes, int]:
    """Mono 16-bit PCM and the rate stated in the file, whatever format the driver wrote."""
    from pydub import AudioSegment  # noqa: PLC0415 - pydub is only needed here

    segment = AudioSegment.from_file(path)
    segment = segment.set_channels(1).set_sample_width(2)
    return segment.raw_data, segment.frame_rate


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """Send file descriptor 1 to /dev/null: pyttsx3 prints from C callbacks and Python alike."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _use_synchronous_espeak(
    voice: str, words: list[tuple[int, int]] | None = None, pcm: list[bytes] | None = None
) -> int:
    """In a render child: make pyttsx3's espeak driver run espeak-ng synchronously.

    The driver initialises espeak-ng in its asynchronous mode, where a setting
    is queued for espeak-ng's thread but the voice applies at once: the two
    race, and now and then a sentence comes out at the driver's default rate
    instead of the profile's. Initialised synchronously (as espeak-ng's own
    command line runs), every call applies in order and the synthesis
    finishes inside `Synth`. In that mode espeak-ng sends no end-of-message
    event, which is when the driver writes its file, so the driver subclass
    delivers that event itself once `Synth` has returned. `Synth` also gets the
    phoneme flag, so `[[...]]` from the lexicon is read as phonemes. Only the
    short-lived child process is changed. Each word event (where a word of the
    text starts in the audio) is appended to `words` as (character offset,
    sample offset), and the samples of each utterance to `pcm`, so they need not
    be read back from the driver's file. Returns espeak-ng's true sample rate.
    """
    from pyttsx3.drivers import _espeak, espeak  # noqa: PLC0415

    rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000)
    if rate <= 0:
        raise RuntimeError("espeak-ng failed to initialise")
    espeak.EspeakDriver._moduleInitialized = True
    espeak.EspeakDriver._defaultVoice = voice

    class SynchronousDriver(espeak.EspeakDriver):
        def _start_synthesis(self, text: str) -> None:
            super()._start_synthesis(text)  # returns with every sample delivered
            if pcm is not None:
                pcm.append(bytes(self._data_buffer))
            if self._speaking:
                events = (_espeak.EVENT * 2)()
                events[0].type = _espeak.EVENT_MSG_TERMINATED
                events[1].type = _espeak.EVENT_LIST_TERMINATED
                self._onSynth(None, 0, events)

        def _onSynth(self, wav: Any, numsamples: int, events: Any) -> int:  # noqa: N802 - the driver's name
            if words is not None and self._speaking:
                i = 0
                while events[i].type != _espeak.EVENT_LIST_TERMINATED:
                    if events[i].type == _espeak.EVENT_WORD:
                        words.append((events[i].text_position - 1, events[i].sample))
                    i += 1
            return int(super()._onSynth(wav, numsamples, events) or 0)

    espeak.buildDriver = SynchronousDriver
    # Read [[...]] as espeak-ng phonemes (the lexicon's), as espeak-ng's own command line does.
    synth = _espeak.Synth
    espeak._espeak.Synth = lambda text, *args, flags=0, **kwargs: synth(
        text, *args, flags=flags | _espeak.PHONEMES, **kwargs
    )
    return int(rate)


_READY: tuple[Any, int, list[tuple[int, int]], list[bytes]] | None = None
"""This process's espeak-ng, initialised for forking: the pyttsx3 engine, the sample rate, and the
lists the driver fills with word timings and samples."""


def _forget_espeak() -> None:
    global _READY
    _READY = None
    gc.collect()


class Pyttsx3Engine(Engine):
    """pyttsx3 with deterministic, complete, silent output and the true sample rate."""

    name = "pyttsx3"
    accepts_phonemes = _forking_platform()  # espeak-ng reads [[...]] as phonemes; SAPI and NSSS do not

    def __init__(
        self,
        voice: str = "en-us",
        rate: int = 175,
        pitch: int = 50,
        volume: float = 1.0,
        timeout_s: float = 120.0,
    ) -> None:
        self.voice = voice
        self.rate = int(rate)
        self.pitch = int(pitch)
        self.volume = float(volume)
        self.timeout_s = timeout_s
        self._inprocess: Any = None  # a pyttsx3 Engine, off Linux only
        try:
            import pyttsx3  # noqa: F401, PLC0415 - import once, before any fork

            if _forking_platform():
                from pyttsx3.drivers import _espeak  # noqa: F401, PLC0415 - loads libespeak-ng
        except (ImportError, OSError) as exc:
            raise SynthesisError(
                f"pyttsx3 cannot start: {exc}; on Debian/Ubuntu install espeak-ng and libespeak-ng1"
            ) from None

    # -- the one method -------------------------------------------------
    def synthesize(self, text: str) -> Audio:
        if not text.strip():
            raise SynthesisError("cannot synthesize an empty sentence")
        render = self._render_forked if _forking_platform() else self._render_inprocess
        # A render that comes back empty is the driver's lost-save bug: render again.
        for _attempt in range(3):
            audio = render(text)
            if audio.samples:
                return audio
        raise SynthesisError(f"pyttsx3 produced no audio for the sentence {_excerpt(text)!r}")

    def identity(self) -> str:
        from importlib.metadata import version  # noqa: PLC0415

        return (
            f"pyttsx3 {version('pyttsx3')}; {_espeak_version()}; voice={self.voice} rate={self.rate} "
            f"pitch={self.pitch} volume={self.volume:g}"
        )

    # -- Linux: one pristine forked child per sentence ------------------
    def _configure(self, engine: object) -> None:
        engine.setProperty("voice", self.voice)  # type: ignore[attr-defined]
        engine.setProperty("rate", self.rate)  # type: ignore[attr-defined]
        engine.setProperty("pitch", self.pitch)  # type: ignore[attr-defined]
        engine.setProperty("volume", self.volume)  # type: ignore[attr-defined]

    def _espeak_ready(self) -> tuple[Any, int, list[tuple[int, int]], list[bytes]]:
        """espeak-ng initialised (synchronously) in this process, once, and never used here.

        Every sentence is rendered in a child forked from this state, which
        configures the voice and speaks, so each starts from the same pristine
        state; with no synthesis thread in synchronous mode, forking it is safe.
        """
        global _READY
        if _READY is None:
            import pyttsx3  # noqa: PLC0415

            words: list[tuple[int, int]] = []
            captured: list[bytes] = []
            try:
                with _stdout_silenced():
                    # Started with espeak-ng's own default voice: each child sets the profile's.
                    rate = _use_synchronous_espeak("en", words, captured)
                    engine = pyttsx3.init("espeak")
            except Exception as exc:  # noqa: BLE001 - whatever the driver raises
                raise SynthesisError(f"pyttsx3 cannot start espeak-ng: {exc}") from None
            _READY = (engine, rate, words, captured)
            atexit.register(_forget_espeak)  # before interpreter teardown, when the driver can still clean up
        return _READY

    def _child(self, text: str, out_fd: int) -> None:
        """Runs in the forked child; never returns."""
        status = 3
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            original_stderr = os.dup(2)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the child exits
            engine, true_rate, words, captured = self._espeak_ready()
            from pyttsx3.drivers.espeak import EspeakDriver  # noqa: PLC0415

            EspeakDriver.setProperty("voice", self.voice)  # raises for an unknown voice (the queued call would not)
            self._configure(engine)
            folder = Path(tempfile.mkdtemp(prefix="audio-edition-"))
            try:
                wav = folder / "sentence.wav"
                engine.save_to_file(text, str(wav))
                engine.runAndWait()
                if captured:
                    pcm = captured[-1]
                else:
                    pcm = _read_pcm(wav)[0] if wav.exists() else b""
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            timings = b"".join(_WORD.pack(max(c, 0), max(s, 0)) for c, s in words)
            _write_all(out_fd, _HEADER.pack(true_rate, _OK, len(words)) + timings + pcm)
            status = 0
        except BaseException as exc:  # noqa: BLE001 - the parent reports it
            if os.environ.get("AUDIO_EDITION_DEBUG"):
                import traceback  # noqa: PLC0415

                os.write(original_stderr, traceback.format_exc().encode())
            with contextlib.suppress(OSError):
                _write_all(out_fd, _HEADER.pack(0, _FAILED, 0) + str(exc).encode("utf-8", "replace"))
            status = 4
        finally:
            os._exit(status)

    def _render_forked(self, text: str) -> Audio:
        self._espeak_ready()
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            os.close(read_fd)
            self._child(text, write_fd)
        os.close(write_fd)
        chunks: list[bytes] = []
        deadline = time.monotonic() + self.timeout_s
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    os.kill(pid, signal.SIGKILL)
                    raise SynthesisError(
                        f"espeak-ng took longer than {self.timeout_s:g} s on the sentence {_excerpt(text)!r}"
                    )
                ready, _, _ = select.select([read_fd], [], [], min(left, 1.0))
                if ready:
                    chunk = os.read(read_fd, 1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
        finally:
            os.close(read_fd)
            _, status = os.waitpid(pid, 0)
        data = b"".join(chunks)
        rate, marker, count = _HEADER.unpack_from(data) if len(data) >= _HEADER.size else (0, 0, 0)
        if marker == _FAILED:
            reason = data[_HEADER.size :].decode("utf-8", "replace")
            raise SynthesisError(f"pyttsx3 failed on the sentence {_excerpt(text)!r}: {reason}")
        if os.waitstatus_to_exitcode(status) != 0 or marker != _OK:
            raise SynthesisError(f"espeak-ng failed on the sentence {_excerpt(text)!r}")
        end = _HEADER.size + count * _WORD.size
        words = tuple(_WORD.iter_unpack(data[_HEADER.size : end]))
        return Audio(samples=data[end:], sample_rate=rate, words=words)

    # -- elsewhere: the platform driver in-process -----------------------
    def _render_inprocess(self, text: str) -> Audio:  # pragma: no cover - not Linux
        import pyttsx3  # noqa: PLC0415

        folder = Path(tempfile.mkdtemp(prefix="audio-edition-"))
        path = folder / "sentence.wav"
        with _stdout_silenced():
            if self._inprocess is None:
                self._inprocess = pyttsx3.init()
                self._configure(self._inprocess)
                self._inprocess.save_to_file("Ready.", str(path))  # absorbs the lost first save
                self._inprocess.runAndWait()
            self._inprocess.save_to_file(text, str(path))
            self._inprocess.runAndWait()
        try:
            return Audio(*_read_pcm(path)) if path.exists() else Audio(b"", 0)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
