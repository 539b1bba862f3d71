"""The one error root of audio-edition and a subclass per pipeline stage.

Every error a user can cause or act on is an `AudioEditionError`; the CLI turns it
into a single line on stderr and exit status 1. Each subclass also inherits the
builtin it most resembles, so callers may catch either.
"""

from __future__ import annotations


class AudioEditionError(Exception):
    """Root of every error audio-edition raises on purpose."""


class InputError(AudioEditionError, ValueError):
    """The input cannot be read or holds no article."""


class VoiceError(AudioEditionError, LookupError):
    """A voice profile is unknown, malformed or unusable on this machine."""


class SynthesisError(AudioEditionError, RuntimeError):
    """An engine failed to render a sentence."""


class AssembleError(AudioEditionError, RuntimeError):
    """The audio could not be assembled or encoded."""


class OutputError(AudioEditionError, OSError):
    """The output folder cannot be written."""
