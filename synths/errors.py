"""Errors raised by the audio engine, all rooted at `LivecodeError`.

>>> issubclass(UnknownInstrumentError, LivecodeError)
True
"""

from __future__ import annotations

from patterns.errors import LivecodeError

__all__ = [
    "LivecodeError",
    "SynthError",
    "EngineError",
    "AudioDeviceError",
    "UnknownInstrumentError",
    "UnknownEffectError",
    "ParamError",
    "RenderError",
]


class SynthError(LivecodeError):
    """Root of the audio engine's errors."""


class EngineError(SynthError):
    """The engine is not running, has died, or was asked something it cannot do."""


class AudioDeviceError(EngineError):
    """No usable audio backend or device; the message says how to render instead."""


class UnknownInstrumentError(SynthError, ValueError):
    """An `s` name that is neither a built-in instrument nor a loaded sample folder."""


class UnknownEffectError(SynthError, ValueError):
    """An effect kind that does not exist."""


class ParamError(SynthError, ValueError):
    """An unknown parameter, or a value of the wrong type or out of range; names the parameter."""


class RenderError(SynthError):
    """An offline render or a recording could not be written."""
