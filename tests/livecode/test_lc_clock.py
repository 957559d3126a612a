"""Clock maths: the tempo map, tempo changes on a beat without a phase jump, the clocks."""

from __future__ import annotations

from fractions import Fraction

import pytest

from livecode.clock import AudioClock, ManualClock, TempoMap, VirtualClock
from livecode.errors import ClockError, LivecodeError

__all__: list[str] = []


def test_bpm_and_cps_agree_with_beats_per_cycle() -> None:
    tempo = TempoMap(bpm=120, beats_per_cycle=4)
    assert tempo.cps == pytest.approx(0.5)
    assert TempoMap(bpm=120, beats_per_cycle=3).cps == pytest.approx(120 / 60 / 3)
    assert tempo.time_at(Fraction(3)) == pytest.approx(6.0)
    assert tempo.cycle_at(6.0) == pytest.approx(3.0)


def test_tempo_change_lands_on_the_next_beat() -> None:
    tempo = TempoMap(bpm=120)
    at = tempo.set_bpm(60, after_cycle=Fraction(1, 3))
    assert at == Fraction(1, 2)            # beats are quarters of a cycle
    assert tempo.cps_at(Fraction(1, 4)) == pytest.approx(0.5)
    assert tempo.cps_at(Fraction(1, 2)) == pytest.approx(0.25)


def test_tempo_change_keeps_phase_continuous() -> None:
    tempo = TempoMap(bpm=120)
    before = tempo.time_at(Fraction(2))
    at = tempo.set_bpm(90, after_cycle=Fraction(2))
    assert at == 2
    # no jump: the boundary keeps its time, and time keeps increasing smoothly across it
    assert tempo.time_at(Fraction(2)) == pytest.approx(before)
    eps = 1e-6
    left = tempo.cycle_at(before - eps)
    right = tempo.cycle_at(before + eps)
    assert left < 2 < right
    assert right - left == pytest.approx(2 * eps * 0.5, rel=0.5)
    # after the change, one cycle takes 4 beats at 90 bpm
    assert tempo.time_at(Fraction(3)) - tempo.time_at(Fraction(2)) == pytest.approx(4 * 60 / 90)


def test_round_trip_over_many_changes() -> None:
    tempo = TempoMap(bpm=100)
    for cycle, bpm in [(1, 140), (3, 70), (Fraction(9, 2), 180)]:
        tempo.set_bpm(bpm, after_cycle=cycle)
    for k in range(0, 80):
        cycle = Fraction(k, 8)
        assert tempo.cycle_at(tempo.time_at(cycle)) == pytest.approx(float(cycle), abs=1e-9)


def test_later_change_replaces_future_segments() -> None:
    tempo = TempoMap(bpm=120)
    tempo.set_bpm(60, after_cycle=4)
    tempo.set_bpm(150, after_cycle=1)
    assert [seg.cycle0 for seg in tempo.segments] == [0, 1]
    assert tempo.bpm == pytest.approx(150)


def test_rebase_and_shift_move_cycle_zero() -> None:
    tempo = TempoMap(bpm=120)
    tempo.set_bpm(60, after_cycle=1)
    tempo.rebase(10.0)
    assert tempo.time_at(0) == pytest.approx(10.0)
    assert tempo.time_at(2) == pytest.approx(10.0 + 2.0 + 4.0)


@pytest.mark.parametrize("bad", [0, -5, 5000, float("nan"), "fast", True, None])
def test_bad_bpm_is_a_clear_error(bad: object) -> None:
    with pytest.raises(ClockError, match="bpm"):
        TempoMap(bpm=bad)  # type: ignore[arg-type]
    with pytest.raises(LivecodeError):
        TempoMap().set_bpm(bad)  # type: ignore[arg-type]


def test_manual_and_virtual_clocks() -> None:
    clock = ManualClock(48000)
    clock.advance(0.25)
    assert clock.to_frame(clock.now()) == 12000
    with pytest.raises(ClockError):
        clock.set(0.1)
    virtual = VirtualClock(44100)
    virtual.set_frames(44100 * 3)
    assert virtual.now() == pytest.approx(3.0)


def test_audio_clock_follows_the_frame_counter() -> None:
    frames = [0]
    clock = AudioClock(lambda: frames[0], 48000)
    frames[0] = 96000
    assert clock.now() == pytest.approx(2.0)
    mono_now = clock.to_monotonic(2.0)
    assert clock.to_monotonic(2.5) == pytest.approx(mono_now + 0.5)


def test_align_moves_the_phase_from_a_cycle_on_and_keeps_the_past() -> None:
    tm = TempoMap(bpm=120)
    tm.align(Fraction(2), 4.003, 0.25)              # 3 ms late, half the tempo, from cycle 2
    assert tm.time_at(1) == pytest.approx(2.0)       # before: untouched
    assert tm.time_at(2) == pytest.approx(4.003)
    assert tm.time_at(3) == pytest.approx(8.003)
    assert tm.cycle_at(8.003) == pytest.approx(3.0)
    with pytest.raises(ClockError, match="align"):
        tm.align(Fraction(3), 9.0, 0)


def test_align_keeps_a_bounded_map() -> None:
    from livecode.clock import MAX_SEGMENTS

    tm = TempoMap(bpm=120)
    for k in range(1, 1000):
        tm.align(Fraction(k), 2.0 * k + 0.001 * (k % 2), 0.5)
    assert len(tm.segments) == MAX_SEGMENTS
    assert tm.time_at(999) == pytest.approx(1998.001)


def test_restart_puts_a_cycle_at_a_time() -> None:
    tm = TempoMap(bpm=120)
    tm.set_bpm(60, after_cycle=3)
    tm.restart(Fraction(0), 10.0)
    assert len(tm.segments) == 1 and tm.time_at(1) == pytest.approx(14.0)   # the current (last) tempo
    tm.restart(Fraction(8), 1.0, cps=1.0)
    assert tm.time_at(9) == pytest.approx(2.0)


def test_from_monotonic_inverts_to_monotonic() -> None:
    from livecode.clock import MonotonicClock

    for clock in (ManualClock(48000, start=3.0), MonotonicClock(48000)):
        assert clock.from_monotonic(clock.to_monotonic(12.5)) == pytest.approx(12.5)


def test_audio_clock_from_monotonic_uses_the_least_delayed_reading() -> None:
    import time

    from livecode.clock import OFFSET_READINGS

    frames = [0]
    clock = AudioClock(lambda: frames[0], 48000)
    clock.now()
    first = time.monotonic()
    time.sleep(0.02)
    clock.now()                                      # same frame count, read 20 ms later: a delayed reading
    assert clock.from_monotonic(first) == pytest.approx(0.0, abs=0.002)
    assert clock.to_monotonic(0.0) == pytest.approx(first, abs=0.002)     # MIDI times: no jitter either
    for _ in range(OFFSET_READINGS):
        clock.now()                                  # only delayed readings left: the offset follows
    assert clock.to_monotonic(0.0) > first + 0.015
