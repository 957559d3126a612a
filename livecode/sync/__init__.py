"""Tempo sync: MIDI clock out from the tempo map, Ableton Link, MIDI clock in.

MIDI clock out is built on the MIDI ports (`livecode.midi.clock_out`, re-exported here); Link
and MIDI clock in steer the session's tempo map.

Importing starts nothing: `LinkSync.start()` starts Link's thread, `JackMidiClockIn(...)` opens
its JACK client. The session wires them through its `SyncHub` (`session.syncs`;
`Session.midiclock`, `Session.link`, `Session.midiclock_in` delegate to it).

>>> from livecode.sync import BeatLine
>>> BeatLine(mono=0.0, beat=0.0, bpm=120.0, epoch=0).mono_of(4.0)
2.0
"""

from __future__ import annotations

from livecode.midi.clock_out import MidiClockOut, TempoClockOut, clock_times
from livecode.sync.follow import BeatLine, BeatSource, TempoFollower
from livecode.sync.hub import SyncHub
from livecode.sync.link import LinkError, LinkSync
from livecode.sync.midi_clock_in import ClockFollower, JackMidiClockIn

__all__ = ["TempoClockOut", "MidiClockOut", "clock_times", "BeatLine", "BeatSource", "TempoFollower", "LinkSync",
           "LinkError", "ClockFollower", "JackMidiClockIn", "SyncHub"]
