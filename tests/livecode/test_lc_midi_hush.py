"""hush() on MIDI, on a private JACK server with a JACK-Client capture: silent at once.

Mid-note, the note-offs of the sounding notes arrive within a period or two, the notes the
scheduler had queued in its lookahead never arrive, and no CC 123 is sent (that is panic()).
"""

from __future__ import annotations

import time

import pytest

from jackserver import JackServer
from livecode.midi import messages as msg
from livecode.session import Session
from midicapture import Captured, MidiCapture

__all__: list[str] = []

pytestmark = pytest.mark.jack


def ons(events: list[Captured]) -> list[Captured]:
    return [e for e in events if msg.is_note_on(e[1])]


def test_hush_mid_note_sends_note_offs_at_once_and_drops_queued_notes(jack_server: JackServer) -> None:
    with MidiCapture(jack_server.name, name="lc-m6-hush") as capture, \
            Session.create(audio="none", bpm=240, lookahead=0.6) as session:
        assert session.evaluate('d1 >> note("c4 e4 g4 b4").legato(8).midi("lc-m6-hush", channel=2)').ok
        session.start()
        assert len(ons(capture.wait_for(count=3, timeout=5.0))) >= 3
        port = session.outputs.ports["lc-m6-hush"]
        assert port.sounding()                                      # type: ignore[attr-defined]
        hush_frame = capture.client.frame_time
        assert session.evaluate("hush()").ok
        time.sleep(1.5)                                             # past the queued notes' times
        events = capture.snapshot()
        left = port.sounding()                                      # type: ignore[attr-defined]
    # the capture stamps a message with the start of the JACK cycle that carried it, and the
    # frame time read before hush() can already be inside that cycle: one period earlier counts
    after = [e for e in events if e[0] >= hush_frame - jack_server.period]
    offs = [e for e in after if msg.is_note_off(e[1])]
    seen = [(frame, list(data[:3])) for frame, data in events[-12:]]
    assert offs and offs[0][0] - hush_frame < 0.05 * 48000, (hush_frame, left, seen)  # at once (held 2 s)
    assert not [e for e in ons(events) if e[0] >= offs[0][0]]      # nothing queued arrives after hush
    held: dict[int, int] = {}
    for _, data in events:
        if msg.is_note_on(data):
            held[data[1]] = held.get(data[1], 0) + 1
        elif msg.is_note_off(data):
            held[data[1]] = held.get(data[1], 0) - 1
    assert set(held.values()) == {0} and left == []                # every note that started is off
    assert not [data for _, data in after if data[0] & 0xF0 == 0xB0]  # hush is not panic: no CC 123
