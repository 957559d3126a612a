"""A JACK-native MIDI port keeps its link (livecode.midi.jack_link), on private JACK servers with a
JACK-Client capture: what was sounding when the link broke gets note-offs and CC 123 when it
comes back, before anything else; after the server died the port reopens at the next note."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import jack
import pytest

from jackserver import JackServer
from livecode.midi import JackMidiOut
from livecode.midi import messages as msg
from livecode.midi.jack_clients import _lines_to_c, jack_messages, open_dead_clients, quiet_libjack
from midicapture import Captured, MidiCapture

__all__: list[str] = []

pytestmark = pytest.mark.jack


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def ons(events: list[Captured]) -> list[Captured]:
    return [e for e in events if msg.is_note_on(e[1])]


@pytest.fixture()
def own_jack_env() -> Iterator[None]:
    saved = os.environ.get("JACK_DEFAULT_SERVER")
    yield
    if saved is None:
        os.environ.pop("JACK_DEFAULT_SERVER", None)
    else:
        os.environ["JACK_DEFAULT_SERVER"] = saved


def test_connecting_again_by_hand_releases_what_was_held(jack_server: JackServer) -> None:
    said: list[str] = []
    patchbay = jack.Client("lc-m6-hand", servername=jack_server.name, no_start_server=True)
    with MidiCapture(jack_server.name, name="lc-m6-byhand") as capture:
        port = JackMidiOut("out", client_name="lc-m6-linkout", servername=jack_server.name,
                           connect_to="lc-m6-byhand")
        port.on_notice = said.append
        try:
            port.note(5, 72, 100, start=time.monotonic() + 0.02, duration=30.0)
            assert ons(capture.wait_for(count=1, timeout=3.0))
            patchbay.disconnect(port.port_name, "lc-m6-byhand:in")
            assert wait_for(lambda: bool(said)) and not port.link.up, said    # said: for a failure's cause
            time.sleep(0.3)
            assert not port.link.up                                # left alone: the user's graph
            patchbay.connect(port.port_name, "lc-m6-byhand:in")
            assert wait_for(lambda: len(said) == 2)
            port.note(5, 74, 100, start=time.monotonic() + 0.05, duration=0.05)
            events = capture.wait_for(count=5, timeout=3.0)
        finally:
            port.close()
            patchbay.close()
    assert [data for _, data in events[1:4]] == [msg.note_off(5, 72), msg.all_notes_off(5), msg.note_on(5, 74, 100)]
    assert events[1][0] == events[2][0] < events[3][0]
    assert said == ["lost lc-m6-byhand:in with 1 note sounding; it reconnects when that port comes back and turns "
                    "them off (disconnected by hand? re-send the .midi(...) line)",
                    "reconnected to lc-m6-byhand:in; note-offs for 1 note and CC 123 sent"]


def test_port_reopens_on_the_next_jack_server_at_the_next_note(own_jack_env: None) -> None:
    first = JackServer(rate=48000, period=256).start()
    said: list[str] = []
    capture = MidiCapture(first.name, name="lc-m6-hw")
    port = JackMidiOut(servername=first.name, connect_to="lc-m6-hw")
    port.on_notice = said.append
    second: JackServer | None = None
    try:
        port.note(1, 60, 100, start=time.monotonic() + 0.05, duration=30.0)   # sounding when JACK dies
        assert ons(capture.wait_for(count=1, timeout=3.0))
        first.stop()
        assert wait_for(lambda: any("JACK server went away" in m for m in said))
        port.note(1, 62, 100, start=time.monotonic(), duration=0.1)           # dropped: no server
        assert open_dead_clients() == 1                                       # the capture's; the port's closed
        capture.close()
        second = JackServer(rate=48000, period=256, name=first.name).start()  # JACK restarts, same name
        capture = MidiCapture(second.name, name="lc-m6-hw")
        assert wait_for(lambda: _send_until_heard(port, capture), timeout=8.0)
        events = capture.snapshot()
    finally:
        port.close()
        capture.close()
        if second is not None:
            second.stop()
        first.stop()
    assert [data for _, data in events[:2]] == [msg.note_off(1, 60), msg.all_notes_off(1)]
    assert events[0][0] == events[1][0] and ons(events)[0][0] > events[0][0]
    assert msg.note_on(1, 62, 100) not in [data for _, data in events]         # nothing stale replayed
    went = [m for m in said if "went away" in m]
    assert len(went) == 1 and "reconnect_audio()" in went[0]
    assert said[-1] == "reconnected to lc-m6-hw:in; note-offs for 1 note and CC 123 sent"


def _send_until_heard(port: JackMidiOut, capture: MidiCapture) -> bool:
    """Send a note (each send on a dead client asks for a reopen); True once a note-on arrived."""
    port.note(1, 64, 100, start=time.monotonic() + 0.05, duration=0.05)
    time.sleep(0.2)
    return bool(ons(capture.snapshot()))


def test_libjack_lines_go_to_c_while_a_dead_client_closes(no_jack_env: None) -> None:
    """While a dead client closes, libjack's lines go to a C function (no Python callback for a
    thread libjack cancels); afterwards they reach `jack_messages()` again."""
    assert open_dead_clients() == 0              # a failed open beside a dead client would crash
    quiet_libjack()

    def failed_open_logged() -> bool:
        before = jack_messages()
        with pytest.raises(jack.JackError):
            jack.Client("lc-m6-nobody", servername="lc-m6-no-such-server", no_start_server=True)
        return jack_messages() != before

    with _lines_to_c():
        assert not failed_open_logged()
    assert failed_open_logged()                  # libjack says why it could not connect
