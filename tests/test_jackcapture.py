"""The shared out-of-process JACK capture (tests/jackcapture.py) records audio and MIDI at their
exact JACK frames: a source client in this process plays an impulse on each output and a note,
each at a frame chosen ahead, and the capture finds them there."""

from __future__ import annotations

import doctest
import time

import jack
import numpy as np
import pytest

import jackcapture
from jackcapture import JackCapture
from jackserver import JackServer

__all__: list[str] = []

AHEAD = 12000
"""Frames between choosing the target frame and playing it (a quarter second at 48 kHz)."""


class Source:
    """Two audio outputs and a MIDI output that play once at `at`: 0.5 on the left, -0.8 on the
    right ten frames later, a note-on on the MIDI port at `at`."""

    def __init__(self) -> None:
        self.client = jack.Client("lc-jc-source", no_start_server=True)
        self.outs = [self.client.outports.register(f"out_{i}") for i in (1, 2)]
        self.midi = self.client.midi_outports.register("midi_out")
        self.at: int | None = None
        self.played = 0
        self.client.set_process_callback(self._process)
        self.client.activate()

    def _process(self, frames: int) -> None:
        buffers = [port.get_array() for port in self.outs]
        for buffer in buffers:
            buffer[:] = 0.0
        self.midi.clear_buffer()
        if self.at is None:
            return
        for buffer, value, late in zip(buffers, (0.5, -0.8), (0, 10)):
            offset = self.at + late - self.client.last_frame_time
            if 0 <= offset < frames:
                buffer[offset] = value
                self.played += 1
        offset = self.at - self.client.last_frame_time
        if 0 <= offset < frames:
            self.midi.write_midi_event(offset, bytes([0x90, 60, 100]))

    def close(self) -> None:
        self.client.deactivate()
        self.client.close()


def test_the_module_examples_run() -> None:
    result = doctest.testmod(jackcapture)
    assert result.failed == 0 and result.attempted > 0


def test_a_midi_port_must_be_named_in_full() -> None:
    with pytest.raises(ValueError, match="midi='lc-jc-midi' must be a port name 'CLIENT:PORT'"):
        JackCapture("lc-jc-source", midi="lc-jc-midi")


@pytest.mark.jack
@pytest.mark.parametrize(("peaks", "midi"), [(False, "lc-jc-capture:midi"), (True, "lc-jc-midi:in")],
                         ids=["samples-midi-on-the-capture-client", "peaks-midi-on-a-client-of-its-own"])
def test_audio_and_midi_land_on_their_jack_frames(jack_server: JackServer, peaks: bool, midi: str) -> None:
    source = Source()
    try:
        capture = JackCapture("lc-jc-source", name="lc-jc-capture", channels=2, peaks=peaks, midi=midi)
        source.client.connect(source.midi, midi)
        at = source.client.frame_time + AHEAD
        source.at = at
        deadline = time.monotonic() + 10.0
        while (source.played < 2 or source.client.frame_time < at + AHEAD) and time.monotonic() < deadline:
            time.sleep(0.02)
        recording = capture.close()
    finally:
        source.close()
    assert source.played == 2
    assert [(frame, data) for _, frame, data in recording.midi] == [(at, bytes([0x90, 60, 100]))]
    assert recording.nonfinite == 0
    first, left = recording.placed(0)
    if peaks:                                   # one row: the larger magnitude of the two channels
        assert recording.audio.shape[0] == 1
        assert np.nonzero(left)[0].tolist() == [at - first, at + 10 - first]
        assert left[at - first] == pytest.approx(0.5) and left[at + 10 - first] == pytest.approx(0.8)
    else:
        _, right = recording.placed(1)
        assert np.nonzero(left)[0].tolist() == [at - first] and left[at - first] == pytest.approx(0.5)
        assert np.nonzero(right)[0].tolist() == [at + 10 - first] and right[at + 10 - first] == pytest.approx(-0.8)
        assert recording.concatenated(1).shape == (recording.frames,)
