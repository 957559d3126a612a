"""`Link`'s process-side rules without JACK: a connection just made is not lost while JACK's
graph catches up (`SETTLE_PERIODS`), and one that never shows is lost once they are over."""

from __future__ import annotations

from livecode.midi import messages as msg
from livecode.midi.jack_link import SETTLE_PERIODS, Link

__all__: list[str] = []


class FakePort:
    """A JACK-Client own port, as `Link.check` reads it."""

    def __init__(self, connected: bool) -> None:
        self.connected = connected

    @property
    def number_of_connections(self) -> int:
        return int(self.connected)

    def is_connected_to(self, port: str) -> bool:
        return self.connected


def sounding() -> list[msg.Bytes]:
    return [msg.note_off(1, 60)]


def test_a_connection_the_graph_shows_late_is_no_loss() -> None:
    port, link = FakePort(connected=False), Link(lambda: None)
    link.follow("synth", ("synth:in",))
    for _ in range(SETTLE_PERIODS - 1):
        assert link.check(port, sounding) == []
    port.connected = True
    assert link.check(port, sounding) == []
    assert link.up and not link.changes
    port.connected = False                   # settled: now a missing connection is a loss
    link.check(port, sounding)
    assert not link.up and list(link.changes) == [("lost", 1)]


def test_a_connection_that_never_shows_is_lost_after_the_settling_periods() -> None:
    port, link = FakePort(connected=False), Link(lambda: None)
    link.follow("synth", ("synth:in",))
    for _ in range(SETTLE_PERIODS - 1):
        link.check(port, sounding)
    assert link.up and not link.changes
    link.check(port, sounding)
    assert not link.up and list(link.changes) == [("lost", 1)]


def test_a_relink_releases_once_the_connection_shows() -> None:
    port, link = FakePort(connected=True), Link(lambda: None)
    link.follow("synth", ("synth:in",))
    link.check(port, sounding)
    port.connected = False
    link.check(port, sounding)               # lost with C4 held
    link.follow("synth", ("synth:in",))      # the keeper reconnects; the graph shows it later
    assert link.check(port, sounding) == []
    port.connected = True
    assert link.check(port, sounding) == [msg.note_off(1, 60), msg.all_notes_off(1)]
    assert list(link.changes) == [("lost", 1), ("back", 1)]
