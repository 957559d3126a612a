"""Keeping a JACK MIDI output linked to its destination: losses seen at once, said once, healed.

A `JackMidiOut` connects to the JACK MIDI inputs whose names contain a destination name. Three
things break that link: the destination's client goes away (a synth restarts), someone removes
the connection (`jack_disconnect`, a patchbay), or the JACK server dies. The notes that were
sounding then stay on in the device, since their note-offs go nowhere.

`Link` is the half that runs in the JACK process callback: at the start of every period it
checks that the expected connections exist. The period they stop, it keeps a note-off for each
note sounding then (what the device still holds); the first period they exist again, it hands
those note-offs, and CC 123 on their channels, to be written before anything else.

`Keeper` is the other half: a thread that sleeps until something wakes it (the process callback
on a change, JACK's registration and shutdown callbacks, a send on a dead client) and then runs
the port's `tend()`, which reports and reconnects. JACK callbacks only set flags and wake it.

>>> link = Link(lambda: None)
>>> link.up, link.ports
(True, ())
>>> release_messages([(0x80, 60, 0), (0x81, 62, 0)])
[(128, 60, 0), (129, 62, 0), (176, 123, 0), (177, 123, 0)]
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Protocol

import livecode.midi.messages as msg

__all__ = ["Link", "Keeper", "OwnPort", "release_messages", "SETTLE_PERIODS"]

SETTLE_PERIODS = 8
"""Periods after `Link.follow` during which missing connections are not a loss: a connection
JACK just made shows in the process callback's view of the graph only from a later period start
(measured: a false "lost ... with 0 notes" then "reconnected" at about 1 connect in 150 on a
busy host). 8 periods: 43 ms at 256 frames, 48 kHz."""


class OwnPort(Protocol):
    """What `Link.check` reads of a JACK-Client own port."""

    @property
    def number_of_connections(self) -> int: ...

    def is_connected_to(self, port: str) -> bool: ...


def release_messages(note_offs: list[msg.Bytes]) -> list[msg.Bytes]:
    """The note-offs, then CC 123 (All Notes Off) on each of their channels (wire order)."""
    channels = sorted({message[0] & 0x0F for message in note_offs})
    return list(note_offs) + [msg.all_notes_off(channel + 1) for channel in channels]


class Link:
    """The process-side link state of one output port (see module doc).

    `ports` are the full names of the inputs the port should be connected to (none: it is
    always up); `destination` the name they were matched by. `changes` gets ("lost", notes held)
    and ("back", notes released) entries for the keeper to report; `on_change` wakes it.

    >>> class Port:                      # stands for a JACK-Client own port
    ...     number_of_connections = 1
    ...     def is_connected_to(self, name): return self.number_of_connections > 0
    >>> port, link = Port(), Link(lambda: None)
    >>> port.number_of_connections = 0               # connected, but not yet in the graph's view
    >>> link.follow("synth", ("synth:in",))
    >>> link.check(port, lambda: []), list(link.changes)
    ([], [])
    >>> port.number_of_connections = 1               # now it is
    >>> link.check(port, lambda: []), list(link.changes)
    ([], [])
    >>> port.number_of_connections = 0               # the synth went away, C4 sounding
    >>> link.check(port, lambda: [(0x80, 60, 0)]), link.changes[-1]
    ([], ('lost', 1))
    >>> port.number_of_connections = 1               # it is back: release first
    >>> link.check(port, lambda: [])
    [(128, 60, 0), (176, 123, 0)]
    """

    def __init__(self, on_change: Callable[[], None]) -> None:
        self.destination: str | None = None
        self.ports: tuple[str, ...] = ()
        self.up = True
        self.held: list[msg.Bytes] = []
        self.changes: deque[tuple[str, int]] = deque()
        self._on_change = on_change
        self._settling = 0

    def follow(self, destination: str, ports: tuple[str, ...]) -> None:
        """Keep the connections to `ports` (just made, matched by `destination`): for up to
        `SETTLE_PERIODS` periods, or until they first show, their absence is no loss."""
        self._settling = SETTLE_PERIODS              # first: the process callback may run meanwhile
        self.destination, self.ports = destination, ports

    def check(self, port: OwnPort, note_offs: Callable[[], list[msg.Bytes]]) -> list[msg.Bytes]:
        """Process callback, period start: the messages to write first (empty unless the link
        just came back). `note_offs()` gives a note-off per sounding note."""
        up = self._connected(port)
        if self._settling:
            self._settling = 0 if up else self._settling - 1
            if not up and self._settling:
                return []
        if up == self.up:
            return []
        self.up = up
        if not up:
            self.held = note_offs()
            self._changed("lost", len(self.held))
            return []
        held, self.held = self.held, []
        self._changed("back", len(held))
        return release_messages(held)

    def server_gone(self, note_offs: list[msg.Bytes]) -> None:
        """The JACK server died (no process callback ran since): hold `note_offs` (the notes
        sounding then) unless the link was already down, for a client on the next server."""
        if self.up and self.ports:
            self.up = False
            self.held = note_offs

    def _connected(self, port: OwnPort) -> bool:
        names = self.ports
        if port.number_of_connections < len(names):
            return False                     # no name lookup: libjack complains of unknown names
        return all(port.is_connected_to(name) for name in names)

    def _changed(self, what: str, notes: int) -> None:
        self.changes.append((what, notes))
        self._on_change()


class Keeper:
    """A thread that runs `tend()` each time `wake()` is called, and never otherwise; an error
    in `tend()` goes to `on_error` and the thread carries on.

    >>> import time
    >>> calls = []
    >>> keeper = Keeper(lambda: calls.append(1), name="doc", on_error=print)
    >>> keeper.wake(); time.sleep(0.1); keeper.stop(); calls
    [1]
    """

    def __init__(self, tend: Callable[[], None], name: str, on_error: Callable[[Exception], None]) -> None:
        self._tend = tend
        self._on_error = on_error
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=f"livecode-midi-link-{name}", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Ask for one more `tend()` (cheap; safe from any thread, JACK's included)."""
        self._wake.set()

    def stop(self) -> None:
        """End the thread after the `tend()` in progress, if any (waits up to 2 s)."""
        self._stopping = True
        self._wake.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=2.0)

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            try:
                self._tend()
            except Exception as err:  # noqa: BLE001 - reported; the port must keep its keeper
                self._on_error(err)
