"""MIDI clock out from the session on a private JACK server: exact pulses, Start, tempo on a beat."""

from __future__ import annotations

import time

import pytest

from jackserver import JackServer
from livecode.session import Session
from midicapture import MidiCapture

__all__: list[str] = []

pytestmark = pytest.mark.jack

CLOCK, START, STOP = 0xF8, 0xFA, 0xFC


def _play_clock(server: JackServer) -> tuple[int, list[tuple[int, bytes]], float]:
    """Clock out at 120 BPM, 90 from a beat, then hush: (the port's frame-clock re-anchors, the
    captured messages, the beat `set_bpm` returned)."""
    capture = MidiCapture(server.name, name="lc-f2-clockcap")
    session = Session.create(audio="none", bpm=120)
    try:
        session.midiclock("lc-f2-clockcap")
        session.start()
        time.sleep(1.3)
        at = session.set_bpm(90)
        time.sleep(1.2)
        session.hush()
        time.sleep(0.4)
        port = session.syncs.clock_out.port if session.syncs.clock_out else None
    finally:
        session.close()
        time.sleep(0.1)
        events = capture.snapshot()
        capture.close()
    assert port is not None
    return int(getattr(port, "reanchors", 0)), events, at


def test_midiclock_sends_start_exact_pulses_and_a_tempo_change_on_a_beat(jack_server: JackServer) -> None:
    # With no engine, MIDI times reach JACK frames through the port's frame clock, which
    # re-anchors when the dummy driver falls more than 12.7 ms behind the wall clock (a host
    # that stalled it): then no pulse train can be exact, so that measurement is taken again.
    reanchors, events, at = _play_clock(jack_server)
    if reanchors:
        reanchors, events, at = _play_clock(jack_server)
    assert reanchors == 0
    kinds = [data[0] for _, data in events]
    assert kinds[0] == START and kinds[1] == CLOCK                  # Start before the first pulse
    assert events[0][0] == events[1][0]                             # ... at the same frame
    assert STOP in kinds
    pulses = [frame for frame, data in events if data[0] == CLOCK]
    gaps = [b - a for a, b in zip(pulses, pulses[1:])]
    change = next(i for i, gap in enumerate(gaps) if gap != 1000)   # pulse index where 90 BPM starts
    assert change >= 48 and change % 24 == 0                        # on a beat, after two at 120
    assert change == at * 4 * 24                                    # the beat set_bpm returned
    assert set(gaps[change:]) <= {1333, 1334}                       # 90 BPM: 1333.33 frames a pulse
    assert abs(pulses[-1] - pulses[change] - (len(pulses) - 1 - change) * 48000 / 36) <= 1   # no drift
