"""MIDI clock in on a private JACK server: a JACK-native 130 BPM clock drives the session's tempo map."""

from __future__ import annotations

import time

import pytest

from jackserver import JackServer
from livecode.midi import JackMidiOut, MidiClockOut
from livecode.session import Session
from livecode.sync import ClockFollower
from livecode.sync.midi_clock_in import CLOCK_IN_DELAY

__all__: list[str] = []

pytestmark = pytest.mark.jack


def test_song_position_and_continue_set_the_beat() -> None:
    follower = ClockFollower()
    follower.feed(0.0, (0xF2, 32, 0))          # sixteenth 32 = beat 8
    follower.feed(0.0, (0xFB,))
    for k in range(25):
        follower.feed(k * 0.02, (0xF8,))
    line = follower.line()
    assert line is not None and line.beat == 9.0 and line.epoch == 1
    follower.feed(0.6, (0xFC,))
    assert follower.line() is None and follower.position == pytest.approx(9 + 1 / 24)


def test_a_jack_stamped_clock_is_placed_through_jack_frames_whatever_monotonic_time_says() -> None:
    """Pulses stamped in JACK frames reach the tempo map through the engine's JACK offset only:
    monotonic stamps that are off by milliseconds (a frame clock re-anchored, a wall clock
    that jumped) move nothing (issue 9: clock in drifted by up to 16 ms when they did)."""
    from fractions import Fraction

    from livecode.clock import AudioClock, TempoMap
    from livecode.outputs import ListSink
    from livecode.scheduler import Scheduler
    from livecode.sync.follow import TempoFollower
    from livecode.tracks import StaticHost, TrackTable

    rate, offset, bpm = 48000, 1000, 130.0
    reading = [0]
    clock = AudioClock(lambda: (reading[0], offset), rate)      # engine frame F sounds at JACK frame F + 1000
    tempo = TempoMap(bpm=100)
    sched = Scheduler(TrackTable(StaticHost()), tempo, clock, ListSink())
    follower = ClockFollower()
    follow = TempoFollower(follower, tempo, sched)
    pulse = rate * 60 / bpm / 24                                 # frames per pulse
    start_frame = 96000                                          # JACK frame of the first pulse
    follower.feed(0.0, (0xFA,), start_frame / rate)
    for k in range(60):
        reading[0] = int(start_frame + k * pulse) - offset - 1024      # the engine, two blocks before
        clock.now()
        wrong_mono = 5.0 + k * pulse / rate + (0.016 if k % 7 == 3 else 0.0)   # off by 16 ms now and then
        follower.feed(wrong_mono, (0xF8,), (start_frame + k * pulse) / rate)
        follow(sched.horizon if k else Fraction(0))
    delay = follower.delay                                       # the pure follower's: 0
    for cycle in (1, 2):
        heard = clock.jack_frame(clock.to_frame(tempo.time_at(cycle)))
        assert heard is not None
        assert abs(heard - (start_frame + cycle * 4 * 24 * pulse + delay * rate)) <= 1     # frame-exact
    assert abs(tempo.bpm - bpm) < 1e-6


def test_session_follows_a_130_bpm_clock_and_start_is_cycle_0_after_the_delay(jack_server: JackServer) -> None:
    sender = JackMidiOut("clock", client_name="lc-f2-sender", servername=jack_server.name)
    session = Session.create(audio="none", bpm=100)
    try:
        session.midiclock_in("lc-f2-sender:clock")
        session.start()
        clock = MidiClockOut(sender)
        when = time.monotonic() + 0.3
        clock.start(when, 130.0)
        two_beats = when + 2 * 60 / 130
        while time.monotonic() < two_beats + 0.15:
            clock.send_window(time.monotonic() + 0.1)
            time.sleep(0.02)
        bpm = session.tempo.bpm
        start = session.clock.to_monotonic(session.tempo.time_at(0))
        bar = session.clock.to_monotonic(session.tempo.time_at(1))
        horizon = session.scheduler.horizon
    finally:
        session.close()
        sender.close()
    assert abs(bpm - 130.0) < 0.5                       # after two beats
    assert abs(start - (when + CLOCK_IN_DELAY)) < 0.003                   # cycle 0 is the Start (+ delay)
    assert abs(bar - (when + CLOCK_IN_DELAY + 4 * 60 / 130)) < 0.003      # and cycle 1 a 130 BPM bar later
    assert 0 < horizon < 1


def test_an_unknown_source_is_one_clear_error_and_nothing_is_left_open(jack_server: JackServer) -> None:
    import jack

    from livecode.errors import LivecodeError

    session = Session.create(audio="none")
    try:
        with pytest.raises(LivecodeError, match="no JACK MIDI output matching 'nosuchport'"):
            session.midiclock_in("nosuchport")
        assert session.syncs.source is None and session.status().sync == ""
    finally:
        session.close()
    probe = jack.Client("lc-f2-probe", servername=jack_server.name, no_start_server=True)
    try:
        assert not [p for p in probe.get_ports(is_midi=True) if "clock-in" in p.name]
    finally:
        probe.close()
