"""MIDI errors, rooted at `LivecodeError`.

>>> issubclass(MidiValueError, ValueError)
True
"""

from __future__ import annotations

from patterns.errors import LivecodeError

__all__ = ["MidiError", "MidiPortError", "MidiValueError"]


class MidiError(LivecodeError):
    """Root of the MIDI layer's errors."""


class MidiPortError(MidiError):
    """A MIDI port could not be found, opened or used."""


class MidiValueError(MidiError, ValueError):
    """A MIDI field out of range; the message names the field."""
