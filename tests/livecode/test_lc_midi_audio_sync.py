"""MIDI exact while audio runs (issue 8): a JACK-native MIDI note is written on the JACK frame
where the engine's audio of the same onset leaves the master (look-ahead included), so a synth
on MIDI and the engine play together to the frame, and 16ths keep exact spacing.

A MIDI track sent while the engine plays is on its frames from its very first note: its port
opens when the line is evaluated, not in the scheduler's tick that sends its first note (a JACK
port takes 40-90 ms to open, more than a short lookahead; opened in the tick, the first note was
written late). The capture runs in a process of its own (tests/jackcapture.py), so this
process's GIL never delays it.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from jackcapture import JackCapture, Recording
from jackserver import JackServer
from livecode.midi.port import MidiOut
from livecode.session import Session
from synths.testvoices import resolve_test_voice

__all__: list[str] = []

pytestmark = pytest.mark.jack

SIXTEENTH = 6000
"""Frames between 16ths at 120 BPM, 48 kHz."""
LIVE_LOOKAHEAD = 0.04
"""The scheduler's lookahead (s) in the live test: shorter than a JACK port takes to open."""


def note_frames(recording: Recording) -> list[int]:
    """The JACK frame of every note-on the capture received."""
    return [frame for _, frame, data in recording.midi if len(data) == 3 and data[0] & 0xF0 == 0x90 and data[2] > 0]


def audio_onsets(recording: Recording) -> list[int]:
    """The JACK frame of each click in the captured audio (the first sample above 0.05 after a gap)."""
    first, audio = recording.placed()
    onsets: list[int] = []
    previous = -(10**9)
    for index in np.flatnonzero(np.abs(audio) > 0.05).tolist():
        if index - previous > 1000:
            onsets.append(index + first)
        previous = index
    return onsets


def session_on(jackname: str, lookahead: float = 0.1) -> Session:
    return Session.create(audio="jack", bpm=120, lookahead=lookahead,
                          engine_options={"resolver": resolve_test_voice, "jackname": jackname})


def test_midi_lands_on_the_frame_of_its_audio(jack_server: JackServer) -> None:
    session = session_on("lc-sync")
    capture = JackCapture("lc-sync", name="lc-sync-cap", midi="lc-sync-cap:midi")
    try:
        assert session.evaluate('d1 >> s("click*16").gain(0.5).midi("lc-sync-cap", engine=True)').ok
        session.start()
        time.sleep(4.0)
    finally:
        session.close()
        recording = capture.close()
    notes = note_frames(recording)
    assert len(notes) >= 20
    onsets = set(audio_onsets(recording))
    matched = [note for note in notes if note in onsets]
    assert len(matched) >= len(notes) - 2              # the first and last may be cut by the capture
    assert set(np.diff(notes).tolist()) == {SIXTEENTH}  # 16ths at 120 BPM, exact on the frame clock


def test_a_midi_track_sent_while_the_engine_plays_is_on_its_frames_from_its_first_note(
        jack_server: JackServer) -> None:
    session = session_on("lc-sync-live", LIVE_LOOKAHEAD)
    capture = JackCapture("lc-sync-live", name="lc-sync-live-cap", midi="lc-sync-live-cap:midi")
    try:
        session.start()
        time.sleep(0.5)                                # the engine plays, the tick runs
        assert session.evaluate('d1 >> s("click*16").gain(0.5).midi("lc-sync-live-cap", engine=True)').ok
        port = session.outputs.ports.get("lc-sync-live-cap")
        assert isinstance(port, MidiOut)               # opened by the evaluation, not by the tick
        swap = session.tracks["d1"].swap_at
        assert swap is not None
        deadline = time.monotonic() + 10.0
        while session.scheduler.horizon < swap + 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)                                # the last notes sent reach the capture
        late, port_late = session.scheduler.stats.late, port.late_count
    finally:
        session.close()
        recording = capture.close()
    notes = note_frames(recording)
    assert len(notes) >= 16                            # a whole cycle of 16ths
    onsets = audio_onsets(recording)
    assert onsets and notes[0] == onsets[0]            # the very first note, on the frame of its audio
    assert set(np.diff(notes).tolist()) == {SIXTEENTH}
    assert (late, port_late) == (0, 0)
