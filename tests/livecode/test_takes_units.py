"""Take recording's arithmetic and files without a device: numbering, the latency compensation,
the punch plan, the count-in, and refusals as one line (docs/takes.md)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import soundfile as sf

from livecode.clock import ManualClock, TempoMap
from livecode.session import Session
from livecode.takes.recording import next_take_path, plan_take, punch_frames
from synths.errors import TakeError
from synths.live_input import input_frame, round_trip


def test_takes_are_numbered_and_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "take1.wav").write_bytes(b"one")
    (tmp_path / "take3.wav").write_bytes(b"three")
    (tmp_path / "notes.txt").write_text("x")
    assert next_take_path(tmp_path).name == "take4.wav"
    assert next_take_path(tmp_path).name == "take5.wav"
    assert next_take_path(tmp_path, "vox").name == "vox1.wav"
    assert (tmp_path / "take1.wav").read_bytes() == b"one"
    with pytest.raises(TakeError, match="name must be letters"):
        next_take_path(tmp_path, "../x")


def test_the_round_trip_moves_the_punch_by_the_reported_latencies() -> None:
    latency = round_trip(master=79, playback=256, capture=480)
    assert latency == 815
    assert punch_frames((96000, 192000), latency) == (96815, 192815)
    assert punch_frames((96000, None), latency) == (96815, None)
    # what the performer played in time with timeline frame F is at input frame F + round trip
    assert input_frame(96000, latency) - latency == 96000


def test_a_plan_puts_punch_and_count_in_on_bar_and_beat_samples() -> None:
    tempo, clock = TempoMap(bpm=240), ManualClock(48000)
    plan = plan_take(tempo, clock.to_frame, 0.0, 0.1, path=Path("t.wav"), at=5, bars=2, count_in=1, latency=100)
    assert (plan.punch_in, plan.punch_out) == (4 * 48000, 6 * 48000)
    assert plan.clicks == ((3 * 48000, True), (3 * 48000 + 12000, False), (3 * 48000 + 24000, False),
                           (3 * 48000 + 36000, False))
    soonest = plan_take(tempo, clock.to_frame, 0.0, 0.1, path=Path("t.wav"), at=None, bars=None, count_in=2,
                        latency=0)
    assert soonest.at == Fraction(4) and soonest.punch_out is None
    with pytest.raises(TakeError, match="bar 2 starts too soon for a count-in of 1 bar; punch in at bar 3 or later"):
        plan_take(tempo, clock.to_frame, 0.0, 0.1, path=Path("t.wav"), at=2, bars=1, count_in=1, latency=0)
    with pytest.raises(TakeError, match="count_in must be 0..8 bars"):
        plan_take(tempo, clock.to_frame, 0.0, 0.1, path=Path("t.wav"), at=9, bars=1, count_in=-1, latency=0)


@pytest.mark.parametrize(("code", "message"), [
    ("record_take(at=9)", "record_take: no audio engine to record with"),
    ("d9 >> audio_in(0)", "audio_in: channel 0 does not exist"),
    ("d9 >> audio_in(1, 2, 3)", "audio_in: give one or two input channels, got 3"),
])
def test_refusals_are_one_line(code: str, message: str) -> None:
    session = Session.create(audio="none")
    try:
        result = session.evaluate(code)
    finally:
        session.close()
    assert result.error is not None and "\n" not in result.error and message in result.error


def test_an_engine_without_inputs_says_how_to_get_them(tmp_path: Path) -> None:
    session = Session.create(audio="manual")
    try:
        result = session.evaluate(f"record_take(at=9, folder={str(tmp_path)!r})")
    finally:
        session.close()
    assert result.error is not None and "the engine has no audio inputs (start livecode with --inputs N)" in result.error
    assert list(tmp_path.iterdir()) == []             # no take number was used up


def test_stop_take_punches_out_on_a_bar_line_and_the_count_in_plays(tmp_path: Path) -> None:
    session = Session.create(audio="manual", bpm=240, engine_options={"inputs": 1})
    try:
        engine = session.manual_engine
        session.run_blocks(4)
        said = session.evaluate(f"record_take(at=3, count_in=1, folder={str(tmp_path)!r})")
        assert said.ok, said.error
        assert "take1.wav: bar 3 until stop_take(), 4 count-in clicks" in str(said.value_repr)
        session.run_blocks(int(3.3 * 48000) // 256)              # into bar 4
        midway = sf.info(str(tmp_path / "take1.wav")).frames      # a valid WAV while it records
        assert 48000 < midway < 2 * 48000
        assert session.evaluate("stop_take()").ok                # out at the start of bar 5
        session.run_blocks(int(1.0 * 48000) // 256)
        state = session.evaluate("take_status()")
        played = engine.stats()["played"]
    finally:
        session.close()
    assert "done=True" in str(state.value_repr)
    assert sf.info(str(tmp_path / "take1.wav")).frames == 2 * 48000          # bars 3 and 4, exactly
    assert played == 4                                                      # the count-in's clicks
