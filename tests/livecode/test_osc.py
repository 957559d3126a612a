"""OSC on loopback: a track's events arrive as bundles timed at the event, a lookahead ahead;
OSC in drives a bound value, and malformed datagrams are counted and dropped with one warning."""

from __future__ import annotations

import socket
import time

from pythonosc.osc_packet import OscPacket
from pythonosc.udp_client import SimpleUDPClient

from livecode.osc.out import wall_time
from livecode.session import Session

__all__: list[str] = []


def test_track_events_arrive_as_bundles_timed_at_the_event() -> None:
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(3.0)
    port = receiver.getsockname()[1]
    session = Session.create(audio="none", bpm=120, lookahead=0.1)
    got: list[tuple[float, float, str, list[object]]] = []
    try:
        assert session.evaluate(f'd1 >> s("bd*4").n(3).osc("/dirt/play", port={port})').ok
        session.start()
        while len(got) < 6:
            data = receiver.recv(65536)
            arrived = time.time()
            packet = OscPacket(data)
            message = packet.messages[0]
            got.append((message.time, arrived, message.message.address, list(message.message.params)))
    finally:
        session.close()
        receiver.close()
    tags = [tag for tag, _, _, _ in got]
    gaps = [b - a for a, b in zip(tags, tags[1:])]
    assert all(abs(gap - 0.5) < 0.001 for gap in gaps), gaps              # a quarter at 120 BPM
    ahead = [tag - arrived for tag, arrived, _, _ in got[1:]]
    assert all(0.0 < a < 0.1 + 0.1 for a in ahead), ahead                   # sent ahead, up to a lookahead
    assert got[0][2] == "/dirt/play"
    assert got[0][3] == ["s", "bd", "n", 3, "delta", 0.5, "orbit", 0]
    # the timetag is the event's time on the session clock, in wall-clock seconds
    first = session.tempo.time_at(round(session.tempo.cycle_at(session.clock.from_monotonic(
        time.monotonic() - (time.time() - tags[0]))) * 4) / 4)
    assert abs(wall_time(session.clock.to_monotonic(first)) - tags[0]) < 0.002


def test_osc_in_drives_a_bound_value_and_drops_malformed_datagrams() -> None:
    session = Session.create(audio="none")
    try:
        listener = session.namespace["osc_in"](0)                           # type: ignore[operator]
        assert listener.host == "127.0.0.1"
        assert session.evaluate('map_osc("/fader/1", "cut", range=(200, 3200), curve="exp")').ok
        client = SimpleUDPClient("127.0.0.1", listener.port)
        client.send_message("/fader/1", 0.5)
        client.send_message("/code", "hush()")                              # never evaluated
        raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for junk in (b"not osc", b"#bundle\x00\x00"):
            raw.sendto(junk, ("127.0.0.1", listener.port))
        raw.close()
        deadline = time.monotonic() + 2.0
        while (listener.received < 2 or listener.malformed < 2) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert session.controls.values.value("cut") == 800.0
        assert listener.malformed == 2 and listener.received == 2
        warnings = [m for m in session.messages() if "malformed" in m]
        assert len(warnings) == 1, warnings
        assert session.evaluate("d1 >> s('bd')").ok                       # the session still works
    finally:
        session.close()
