"""MIDI exact while audio runs (issue 8): a JACK-native MIDI note is written on the JACK frame
where the engine's audio of the same onset leaves the master (look-ahead included), so a synth
on MIDI and the engine play together to the frame, and 16ths keep exact spacing."""

from __future__ import annotations

import time

import jack
import numpy as np
import pytest

from livecode.session import Session
from synths.testvoices import resolve_test_voice

__all__: list[str] = []

pytestmark = pytest.mark.jack


class Capture:
    """Audio (left output of `source`) by JACK frame, and the JACK frame of every MIDI note-on."""

    def __init__(self, source: str) -> None:
        self.client = jack.Client("lc-sync-cap", no_start_server=True)
        self.audio_in = self.client.inports.register("audio")
        self.midi_in = self.client.midi_inports.register("midi")
        self.blocks: list[tuple[int, np.ndarray]] = []
        self.notes: list[int] = []
        self.client.set_process_callback(self._process)
        self.client.activate()
        self.client.connect(self.client.get_ports(f"{source}:", is_output=True, is_audio=True)[0], self.audio_in)

    def _process(self, frames: int) -> None:
        start = self.client.last_frame_time
        self.blocks.append((start, self.audio_in.get_array().copy()))
        for offset, raw in self.midi_in.incoming_midi_events():
            data = bytes(raw)
            if len(data) == 3 and data[0] & 0xF0 == 0x90 and data[2] > 0:
                self.notes.append(start + offset)

    def close(self) -> tuple[int, np.ndarray]:
        self.client.deactivate()
        self.client.close()
        first = self.blocks[0][0]
        audio = np.zeros(self.blocks[-1][0] - first + len(self.blocks[-1][1]), dtype=np.float32)
        for frame, block in self.blocks:
            audio[frame - first:frame - first + len(block)] = block
        return first, audio


def test_midi_lands_on_the_frame_of_its_audio(jack_server: object) -> None:
    session = Session.create(audio="jack", bpm=120, engine_options={"resolver": resolve_test_voice,
                                                                    "jackname": "lc-sync"})
    capture = Capture("lc-sync")
    try:
        assert session.evaluate('d1 >> s("click*16").gain(0.5).midi("lc-sync-cap", engine=True)').ok
        session.start()
        time.sleep(4.0)
    finally:
        session.close()
        first, audio = capture.close()
    onsets = []
    previous = -(10**9)
    for index in np.flatnonzero(np.abs(audio) > 0.05):
        if index - previous > 1000:
            onsets.append(int(index) + first)
        previous = index
    notes = capture.notes
    assert len(notes) >= 20
    matched = [note for note in notes if note in set(onsets)]
    assert len(matched) >= len(notes) - 2              # the first and last may be cut by the capture
    gaps = np.diff(notes)
    assert set(gaps.tolist()) == {6000}                # 16ths at 120 BPM, exact on the frame clock
