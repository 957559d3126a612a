"""Live input and take recording on a private JACK dummy server (docs/takes.md).

A JACK-Client "performer" plays a click into the engine's input port on the downbeat of a bar,
as a singer in time with what they hear would: at the JACK frame where that bar's audio leaves
the engine, plus the playback latency JACK reports for the engine's output, plus the capture
latency the performer's own port reports (480 frames, set through JACK's latency callback). The
take is recorded with a punch-in at a bar, and placed back it lines up to the sample. Monitoring
through `audio_in` is heard at the output.
"""

from __future__ import annotations

import time
from pathlib import Path

import jack
import numpy as np
import pytest
import soundfile as sf

from jackcapture import JackCapture
from livecode.render import render_set
from livecode.session import Session
from synths.jack_latency import on_latency, set_port_latency

__all__: list[str] = []

pytestmark = [pytest.mark.jack, pytest.mark.filterwarnings("ignore::synths.recorder.SkippedStemWarning")]

SR = 48000
BAR = SR                 # 240 bpm: one bar is one second
CAPTURE_LATENCY = 480
PERIOD = 256             # the jack_server fixture's


class Performer:
    """Plays one click into `target` at JACK frame `at`; reports a capture latency on its port."""

    def __init__(self, target: str, latency: int) -> None:
        self.client = jack.Client("lc-takes-performer", no_start_server=True)
        self.port = self.client.outports.register("voice")
        self.at: int | None = None
        self.played: int | None = None
        self.client.set_process_callback(self._process)
        self._latency = on_latency(self.client, self._report_latency)
        self.latency = latency
        self.client.activate()
        self.client.connect(self.port, target)

    def _report_latency(self, mode: str) -> None:
        if mode == "capture":
            set_port_latency(self.port, "capture", self.latency, self.latency)

    def _process(self, frames: int) -> None:
        buffer = self.port.get_array()
        buffer[:] = 0.0
        if self.at is not None:
            offset = self.at - self.client.last_frame_time
            if 0 <= offset < frames:
                buffer[offset] = 0.8
                self.played = self.at

    def close(self) -> None:
        self.client.deactivate()
        self.client.close()


def _wait(predicate: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:  # type: ignore[operator]
        time.sleep(0.02)


def test_a_take_recorded_on_jack_lines_up_to_the_sample_when_placed_back(
        jack_server: object, tmp_path: Path) -> None:
    session = Session.create(audio="jack", lookahead=0.15, bpm=240,
                             engine_options={"jackname": "lc-takes", "inputs": 1})
    try:
        session.outputs.send_param("master", "mix", 0.0, None)         # neutral master
        performer = Performer("lc-takes:input_1", CAPTURE_LATENCY)
        capture = JackCapture("lc-takes", name="lc-takes-capture")
        session.start()
        assert session.evaluate("d9 >> audio_in(1).gain(0.5)").ok          # monitored
        _wait(lambda: session.status().cycle > 1.0)
        engine = session.engine
        assert engine is not None
        latency = engine.input_latency()
        assert latency["capture"] == CAPTURE_LATENCY and latency["playback"] > 0
        bar = int(session.status().cycle) + 4                          # bar numbers start at 1
        said = session.evaluate(f"record_take(at={bar}, bars=2, count_in=1, folder={str(tmp_path / 'takes')!r})")
        assert said.ok, said.error
        # the performer sings on the downbeat of the bar after the punch-in, as heard
        downbeat = session.clock.to_frame(session.tempo.time_at(bar))   # cycle `bar` = bar + 1
        _, to_jack = engine.clock()
        assert to_jack is not None
        performer.at = downbeat + to_jack + latency["playback"] + CAPTURE_LATENCY
        _wait(lambda: (state := engine.take_state()) is not None and state.done)
        state = engine.take_state()
        heard = capture.close().concatenated()
        performer.close()
    finally:
        session.close()
    assert performer.played is not None and state is not None and state.error is None
    take = tmp_path / "takes" / "take1.wav"
    recorded, rate = sf.read(take, dtype="float32")
    assert rate == SR and recorded.shape[0] == 2 * BAR                 # punch in and out on bar lines
    clicks = np.nonzero(np.abs(recorded) > 0.1)[0]
    assert clicks.tolist() == [BAR]                                    # one bar after the punch-in
    # monitored, at gain 0.5: heard once, or (an xrun of the engine under load) again in the next
    # periods, where the capture reads the engine's port buffer unchanged: the same offset
    monitored = np.nonzero(np.isclose(heard, 0.4, atol=1e-4))[0]
    assert len(monitored) >= 1 and len(set((monitored % PERIOD).tolist())) == 1, monitored
    assert np.max(np.abs(heard)) > 0.1 and np.count_nonzero(np.abs(heard) > 0.05) > 40   # the count-in
    # placed back at the punch-in bar, the click sounds on the downbeat's sample
    setfile = tmp_path / "placed.py"
    setfile.write_text(f"bpm(240)\nd8 >> audio({str(take)!r}, at={bar})\n")
    render_set(setfile, tmp_path / "mix.wav", bars=bar + 2, stems_dir=tmp_path / "stems", bits="float",
               neutral_master=True, tail=0.05)
    stem = sf.read(tmp_path / "stems" / "d8.wav", dtype="float32")[0][:, 0]
    assert np.nonzero(np.abs(stem) > 0.1)[0].tolist() == [bar * BAR]
