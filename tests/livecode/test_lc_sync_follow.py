"""The tempo follower and the clock-out sender against a manual clock (no JACK, no network)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest

from livecode.clock import ManualClock, TempoMap
from livecode.midi.port import MidiOut
from livecode.outputs import ListSink
from livecode.scheduler import Scheduler
from livecode.sync import BeatLine, ClockFollower, TempoClockOut, TempoFollower
from livecode.tracks import StaticHost, TrackTable

__all__: list[str] = []


class Source:
    """A BeatSource whose line the test sets."""

    def __init__(self, restarts: bool) -> None:
        self.restarts = restarts
        self.delay = 0.0
        self.current: BeatLine | None = None

    def line(self) -> BeatLine | None:
        return self.current


def _scheduler(bpm: float = 120.0) -> tuple[Scheduler, ManualClock]:
    clock = ManualClock(48000)
    return Scheduler(TrackTable(StaticHost()), TempoMap(bpm=bpm), clock, ListSink()), clock


def test_link_like_source_sets_tempo_and_phase_at_the_horizon_without_moving_cycles() -> None:
    sched, clock = _scheduler()
    source = Source(restarts=False)
    follower = TempoFollower(source, sched.tempo, sched)
    mono0 = clock.to_monotonic(0.0)
    # the external line is at beat 1001.9 at timeline 0.95 s: 130 BPM, about two beats away from ours
    source.current = BeatLine(mono0 + 0.95, 1001.9, 130.0, 0)
    follower(Fraction(1, 2))                       # the horizon was at 1.0 s = external beat 1002.008
    assert follower.offset == -250                 # session cycle 1/2 = external beat 1002: 4 ms back
    beat = float(Fraction(1, 2) - follower.offset) * 4
    assert beat == 1002.0
    assert sched.tempo.time_at(Fraction(1, 2)) == pytest.approx(0.95 + (beat - 1001.9) * 60 / 130)
    assert sched.tempo.time_at(Fraction(1, 2)) == pytest.approx(1.0, abs=0.005)
    source.current = BeatLine(mono0 + 0.95, 1002.3, 130.0, 1)    # a new epoch 0.4 beat ahead: joins again
    before = sched.tempo.time_at(Fraction(1))
    follower(Fraction(1))
    assert follower.offset == -251                 # the next external bar, not 0.18 s back
    assert sched.tempo.time_at(Fraction(1)) == pytest.approx(0.95 + (1008 - 1002.3) * 60 / 130)
    assert sched.tempo.time_at(Fraction(1)) > before
    assert sched.tempo.bpm == pytest.approx(130.0)
    assert sched.tempo.time_at(Fraction(1, 4)) == pytest.approx(0.5)        # before the horizon: kept
    corrections = follower.corrections
    follower(Fraction(5, 4))                                               # already on the line
    assert follower.corrections == corrections


def test_a_small_phase_error_is_left_alone_and_a_larger_one_corrected() -> None:
    sched, clock = _scheduler()
    source = Source(restarts=False)
    follower = TempoFollower(source, sched.tempo, sched)
    mono0 = clock.to_monotonic(0.0)
    source.current = BeatLine(mono0 + 0.0003, 0.0, 120.0, 0)                # 0.3 ms: within tolerance
    follower(Fraction(1))
    assert follower.corrections == 0
    source.current = BeatLine(mono0 + 0.002, 0.0, 120.0, 0)                 # 2 ms: corrected
    follower(Fraction(1))
    assert follower.corrections == 1
    assert sched.tempo.time_at(1) == pytest.approx(2.002)


def test_a_new_epoch_restarts_the_cycle_count_at_the_source_position() -> None:
    sched, clock = _scheduler()
    sched.horizon = Fraction(37, 2)
    follower_in = ClockFollower()
    follower = TempoFollower(follower_in, sched.tempo, sched)
    mono0 = clock.to_monotonic(0.0)
    follower_in.feed(mono0 + 40.0, (0xFA,))
    for k in range(49):
        follower_in.feed(mono0 + 40.0 + k * 60 / 130 / 24, (0xF8,))
    clock.set(40.0 + 2 * 60 / 130)                                          # the tick comes two beats in
    follower(sched.horizon)
    assert sched.horizon == Fraction(1, 2)                                  # beat 2 of the new song
    assert sched.tempo.time_at(0) == pytest.approx(40.0)                    # cycle 0 = the Start
    assert sched.tempo.bpm == pytest.approx(130.0)


def test_a_restart_within_the_delay_plays_from_the_epochs_first_beat() -> None:
    sched, clock = _scheduler()
    sched.horizon = Fraction(37, 2)
    follower_in = ClockFollower()
    follower_in.delay = 0.03
    follower = TempoFollower(follower_in, sched.tempo, sched)
    mono0 = clock.to_monotonic(0.0)
    follower_in.feed(mono0 + 40.0, (0xFA,))
    for k in range(2):                                                      # two pulses in
        follower_in.feed(mono0 + 40.0 + k * 60 / 130 / 24, (0xF8,))
    clock.set(40.0 + 60 / 130 / 24 + 0.001)                                 # 20 ms: within the 30
    follower(sched.horizon)
    assert sched.horizon == 0                                               # nothing skipped
    assert sched.tempo.time_at(0) == pytest.approx(40.03)                   # the Start + the delay


def test_a_start_while_playing_retracts_what_the_old_timeline_sent_ahead() -> None:
    """An incoming Start while the session plays at its own tempo: the notes its lookahead had
    already handed over for times after the new cycle 0 are retracted (they played as stray hits
    over the restarted pattern before), the earlier ones stay."""
    sched, clock = _scheduler(bpm=100)
    sink = sched.sink
    assert isinstance(sink, ListSink)
    _ = sched.tracks["d1"] >> "bd*16"                     # every 0.15 s: one at 10.05
    clock.set(10.0)
    sched.tick()                                           # everything up to 10.1 s is handed over
    old = [note.time for note in sink.notes]
    assert max(old) > 10.035 * 48000                      # some lie past the coming restart
    follower_in = ClockFollower()
    follower_in.delay = 0.035
    follower = TempoFollower(follower_in, sched.tempo, sched)
    sched.followers.append(follower)
    mono = clock.to_monotonic(10.0)
    follower_in.feed(mono, (0xFA,))
    follower_in.feed(mono, (0xF8,))
    follower_in.feed(mono + 60 / 120 / 24, (0xF8,))        # 120 BPM from the second pulse
    clock.set(10.025)
    sched.tick()
    restart = round(10.035 * 48000)
    assert sink.retractions == [restart]
    heard = [note.time for note in sink.notes]
    assert [time for time in heard if time >= restart] == [restart]     # cycle 0 only; 10.05 s gone
    assert [time for time in heard if time < restart] == [time for time in old if time < restart]


def test_pulses_from_before_a_pause_do_not_count_for_the_tempo_after_it() -> None:
    """A source that sends no clock while stopped: a Start after a pause of 8.5 s must not
    average its pulses with those from before (one pulse then took 8.5 s: a tempo near 0)."""
    follower = ClockFollower()
    follower.feed(0.0, (0xFA,))
    for k in range(3):
        follower.feed(k * 60 / 130 / 24, (0xF8,))
    follower.feed(0.5, (0xFC,))
    follower.feed(9.0, (0xFA,))
    follower.feed(9.0, (0xF8,))
    assert follower.line() is None                         # no estimate yet: wait for the next pulse
    follower.feed(9.0 + 60 / 90 / 24, (0xF8,))
    line = follower.line()
    assert line is not None and line.bpm == pytest.approx(90.0) and line.beat == pytest.approx(1 / 24)


def test_the_first_pulses_of_a_start_wake_the_scheduler() -> None:
    follower = ClockFollower()
    woken: list[int] = []
    follower.on_epoch = lambda: woken.append(1)
    follower.feed(0.0, (0xF8,))
    assert woken == []                                     # clock while stopped
    follower.feed(0.1, (0xFA,))
    follower.feed(0.11, (0xF8,))
    follower.feed(0.12, (0xF8,))                           # the first estimate, from a cold start
    follower.feed(0.13, (0xF8,))
    assert woken == [1, 1]


def test_stop_pauses_the_session_and_start_plays_from_cycle_0() -> None:
    sched, clock = _scheduler()
    follower_in = ClockFollower()
    follower = TempoFollower(follower_in, sched.tempo, sched)
    follower_in.feed(0.0, (0xFA,))
    follower_in.feed(0.0, (0xFC,))
    sched.horizon = Fraction(3, 4)
    follower(sched.horizon)
    assert follower.paused and sched.stop_at == Fraction(3, 4) and sched.tempo.bpm == 120.0
    clock.advance(5.0)
    sched.tick()
    assert sched.horizon == Fraction(3, 4)                  # nothing past the Stop
    mono = clock.to_monotonic(5.0)
    follower_in.feed(mono, (0xFA,))
    for k in range(25):
        follower_in.feed(mono + k * 0.02, (0xF8,))          # 125 BPM
    clock.advance(0.48)                                     # the tick comes a beat in
    follower(sched.horizon)
    assert not follower.paused and sched.stop_at is None
    assert sched.horizon == Fraction(1, 4)                  # beat 1 of the new song
    assert sched.tempo.time_at(0) == pytest.approx(5.0) and sched.tempo.bpm == pytest.approx(125.0)


class Recorder(MidiOut):
    """A MidiOut keeping (monotonic time or None, bytes)."""

    def __init__(self) -> None:
        super().__init__("rec")
        self.sent: list[tuple[float | None, tuple[int, ...]]] = []

    def _schedule(self, when: float, message: tuple[int, ...]) -> None:
        self.sent.append((when, message))

    def _send_now(self, message: tuple[int, ...]) -> None:
        self.sent.append((None, message))

    def _cut(self, keep: Callable[[tuple[int, ...]], bool], release: Callable[[], list[tuple[int, ...]]]) -> None:
        self.sent.extend((None, message) for message in release())

    def _close(self) -> None:
        pass


def test_clock_out_starts_on_a_cycle_and_follows_a_tempo_change_on_a_beat() -> None:
    clock = ManualClock(48000)
    tempo = TempoMap(bpm=120)
    port = Recorder()
    out = TempoClockOut(port, tempo, clock)
    out.enable(Fraction(1, 3))                              # Start at cycle 1
    out.window(Fraction(0), Fraction(1, 2))
    assert port.sent == []
    out.window(Fraction(1, 2), Fraction(3, 2))
    mono0 = clock.to_monotonic(0.0)
    assert port.sent[0] == (pytest.approx(mono0 + 2.0), (0xFA,))
    assert len(port.sent) == 1 + 48 and port.sent[1][0] == port.sent[0][0]
    tempo.set_bpm(60, after_cycle=Fraction(3, 2))
    out.window(Fraction(3, 2), Fraction(2))
    times = [when for when, message in port.sent if message == (0xF8,)]
    gaps = [round(b - a, 9) for a, b in zip(times, times[1:])]
    assert set(gaps[:48]) == {round(0.5 / 24, 9)} and set(gaps[48:]) == {round(1.0 / 24, 9)}
    out.stop(at=Fraction(2))
    assert port.sent[-1] == (pytest.approx(mono0 + 3.0 + 2.0), (0xFC,))   # 1.5 cycles at 120, then 60
    assert not out.running
    out.window(Fraction(2), Fraction(3))
    assert port.sent[-1][1] == (0xFC,)                      # nothing after Stop


def test_status_says_what_the_tempo_is_synced_with() -> None:
    from livecode.session import Session
    from livecode.sync import ClockFollower

    session = Session(clock=ManualClock(48000))
    try:
        assert session.status().sync == ""
        source = ClockFollower()
        source.close = lambda: None  # type: ignore[attr-defined]
        session.syncs.follow(source)
        assert session.status().sync == "midi clock in (stopped)"
        assert session.syncs.follower in session.scheduler.followers
        session.syncs.unfollow()
        assert session.status().sync == "" and session.scheduler.followers == []
    finally:
        session.close()


@pytest.mark.parametrize("name", ["livecode.sync", "livecode.sync.follow", "livecode.midi.clock_out",
                                  "livecode.sync.hub", "livecode.sync.link", "livecode.sync.midi_clock_in"])
def test_sync_doctests(name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_session_clock_out_stops_on_hush_starts_again_with_the_next_pattern_and_stops_on_close() -> None:
    from livecode.session import Session

    port = Recorder()
    clock = ManualClock(48000)
    session = Session(clock=clock, midi_opener=lambda name: port)
    session.midiclock("synth")
    assert session.evaluate('d1 >> s("bd")').ok
    clock.advance(0.9)
    session.scheduler.tick()
    assert port.sent[0][1] == (0xFA,) and port.sent[1][1] == (0xF8,)
    session.hush()
    stop_time, stop = port.sent[-1]
    assert stop == (0xFC,) and stop_time == pytest.approx(
        clock.to_monotonic(session.tempo.time_at(session.scheduler.horizon)))
    clock.advance(1.0)
    session.scheduler.tick()
    assert port.sent[-1][1] == (0xFC,)                       # stopped: no pulses
    assert session.evaluate('d1 >> s("sd")').ok
    clock.advance(2.0)
    session.scheduler.tick()
    starts = [when for when, message in port.sent if message == (0xFA,)]
    assert len(starts) == 2 and starts[1] == pytest.approx(clock.to_monotonic(session.tempo.time_at(1)))
    assert "clock out" in session.status().sync
    sent_before_close = len(port.sent)
    session.close()
    assert (None, (0xFC,)) in port.sent[sent_before_close:]  # Stop at once on close (then the port's panic)
