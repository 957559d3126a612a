"""The JACK MIDI backend: every JACK MIDI port livecode opens is a `JackPort`.

A `JackPort` is one JACK client holding one MIDI port, an output or an input, opened and closed
through `livecode.midi.jack_clients` (libjack's one rule: see there). It gives its owner

* the process callback, each period, with the period's first frame (`cycle_start`) and the
  `FrameClock` already brought up to date;
* the shutdown callback: the server died, the client is marked dead at once, the owner is told
  (and closes it from an ordinary thread, never from JACK's);
* connections by name: `connect_matching(name)` connects the port to every MIDI port on the
  other side (inputs for an output, outputs for an input) whose name contains `name`.

`FrameClock` maps JACK frames to `time.monotonic()` seconds through an anchor (frame, monotonic
time) taken in the process callback, and re-anchors only when JACK's frame clock drifts from the
wall clock by more than two periods (the dummy driver falls behind when it wakes late), so the
spacing between messages stays exact in frames.

Its users: `JackMidiOut` (`livecode.midi.jack_out`: notes, CCs and MIDI clock out, frame-exact),
and `JackMidiIn` below (every message arriving on an input, stamped with the monotonic time of
its frame: MIDI clock in, `livecode.sync.midi_clock_in`). `jack_running`,
`jack_midi_destinations` and `jack_midi_sources` probe the server.

>>> clock = FrameClock(); clock.reset(48000.0)
>>> clock.update(cycle_start=4800, frames=256, now=10.0); clock.frame_of(10.5), clock.mono_of(9600)
(28800, 10.1)
>>> clock.update(cycle_start=48000, frames=256, now=10.2); clock.reanchors   # 0.8 s of frames in 0.2 s
1
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from livecode.midi.errors import MidiPortError
from livecode.midi.jack_clients import close_client, mark_dead, open_client
from livecode.midi.jack_link import Keeper

if TYPE_CHECKING:
    import jack

__all__ = ["JackPort", "JackMidiIn", "FrameClock", "jack_running", "jack_midi_destinations", "jack_midi_sources"]

Process = Callable[["JackPort", int, int], None]
"""The owner's part of the process callback: (the port, the period's first frame, its frames)."""


class FrameClock:
    """JACK frames <-> monotonic seconds, anchored in the process callback (see module doc)."""

    def __init__(self) -> None:
        self.sample_rate = 48000.0
        self.anchor: tuple[int, float] | None = None
        self.reanchors = 0

    def reset(self, sample_rate: float) -> None:
        """A new client (at `sample_rate`): the next period anchors afresh."""
        self.sample_rate = sample_rate
        self.anchor = None

    def update(self, cycle_start: int, frames: int, now: float) -> None:
        """The period starting at JACK frame `cycle_start` started at monotonic `now`."""
        anchor = self.anchor
        if anchor is None:
            self.anchor = (cycle_start, now)
            return
        predicted = anchor[0] + round((now - anchor[1]) * self.sample_rate)
        if abs(predicted - cycle_start) > 2 * frames + 0.002 * self.sample_rate:
            self.anchor = (cycle_start, now)
            self.reanchors += 1

    def frame_of(self, mono: float) -> int | None:
        """The JACK frame of monotonic time `mono` (None before the first period)."""
        anchor = self.anchor
        if anchor is None:
            return None
        return anchor[0] + round((mono - anchor[1]) * self.sample_rate)

    def mono_of(self, frame: int) -> float | None:
        """The monotonic time of JACK frame `frame` (None before the first period)."""
        anchor = self.anchor
        if anchor is None:
            return None
        return anchor[1] + (frame - anchor[0]) / self.sample_rate


class JackPort:
    """One JACK client with one MIDI port (`output` or input) of name `port_name`, active on
    return; MidiPortError when no server runs (or a dead client of this process is still open).

    `process(port, cycle_start, frames)` runs each period after `clock` was updated (from the
    first period on, before this constructor returns); `on_shutdown()`
    runs (in JACK's thread: only set flags and wake a thread) when the server dies;
    `on_registration(port, registered)` hears of ports coming and going.
    """

    def __init__(
        self,
        client_name: str,
        port_name: str,
        *,
        output: bool,
        process: Process,
        on_shutdown: Callable[[], None],
        clock: FrameClock | None = None,
        servername: str | None = None,
        on_registration: Callable[[jack.Port, bool], None] | None = None,
    ) -> None:
        client = open_client(client_name, servername)
        try:
            ports = client.midi_outports if output else client.midi_inports
            self.port: jack.OwnMidiPort = ports.register(port_name)
        except BaseException:
            close_client(client)
            raise
        self.client = client
        self.output = output
        self.name = str(self.port.name)
        self.clock = clock if clock is not None else FrameClock()
        self.clock.reset(float(client.samplerate))
        self.closed = False
        self._process_owner = process
        self._on_shutdown = on_shutdown
        client.set_process_callback(self._process)
        client.set_shutdown_callback(lambda status, reason: self._shutdown())
        if on_registration is not None:
            client.set_port_registration_callback(on_registration)
        client.activate()

    def _process(self, frames: int) -> None:
        if self.closed:
            return
        client = self.client
        cycle_start = client.last_frame_time
        started = time.monotonic() - client.frames_since_cycle_start / self.clock.sample_rate
        self.clock.update(cycle_start, frames, started)
        self._process_owner(self, cycle_start, frames)

    def _shutdown(self) -> None:
        mark_dead(self.client)
        self._on_shutdown()

    def peers(self) -> list[str]:
        """The MIDI ports this one can connect to: inputs for an output, outputs for an input."""
        return [p.name for p in self.client.get_ports(is_midi=True, is_input=self.output, is_output=not self.output)]

    def connect_matching(self, name: str) -> list[str]:
        """Connect to every peer whose name contains `name` (those already connected stay);
        returns their names ([] when none matches). MidiPortError when JACK refuses one."""
        import jack

        matching = [peer for peer in self.peers() if name in peer]
        for peer in matching:
            if self.port.is_connected_to(peer):
                continue
            source, destination = (self.port.name, peer) if self.output else (peer, self.port.name)
            try:
                self.client.connect(source, destination)
            except jack.JackError as err:
                raise MidiPortError(f"cannot connect {source} to {destination}: {err}") from err
        return matching

    def close(self) -> None:
        """Deactivate and close the client, alive or dead (idempotent; never from a JACK thread)."""
        if not self.closed:
            self.closed = True
            close_client(self.client)


class JackMidiIn:
    """A JACK MIDI input: each message arriving goes to `on_message(mono, message, jack)`, stamped
    with the monotonic time of its exact frame and with its JACK time (that frame / the rate: a
    session on the same server maps it to its timeline exactly, `AudioClock.from_jack`), in
    JACK's process thread (keep it short).

    `connect_from` names (parts of) JACK MIDI outputs to connect; `who` starts its error
    messages. When the server dies, the client is closed (by a keeper thread); `connect` then
    says so.

    Usage (not run as a doctest: it needs a running engine or device)::

        clock_in = JackMidiIn("in", on_message=print, connect_from="a2j:Clock")
    """

    def __init__(
        self,
        name: str = "midi_in",
        *,
        on_message: Callable[[float, tuple[int, ...], float], None],
        client_name: str = "livecode-midi-in",
        connect_from: str | None = None,
        servername: str | None = None,
        who: str = "midi in",
    ) -> None:
        self.who = who
        self._on_message = on_message
        self._lock = threading.Lock()
        self._keeper = Keeper(self._close_port, name, lambda err: None)
        try:
            self._jack: JackPort | None = JackPort(client_name, name, output=False, process=self._process,
                                                   on_shutdown=self._keeper.wake, servername=servername)
        except MidiPortError as err:
            self._keeper.stop()
            raise MidiPortError(f"{who}: {err}") from err
        self.port_name = self._jack.name
        if connect_from:
            try:
                self.connect(connect_from)
            except MidiPortError:
                self.close()
                raise

    @property
    def reanchors(self) -> int:
        """How often the frame clock was re-anchored (the JACK clock drifted from the wall clock)."""
        port = self._jack
        return port.clock.reanchors if port is not None else 0

    def connect(self, source: str) -> None:
        """Connect every JACK MIDI output whose name contains `source` to this input."""
        port = self._jack
        if port is None:
            raise MidiPortError(f"{self.who}: the JACK server went away ({self.who}(PORT) again once it runs)")
        try:
            connected = port.connect_matching(source)
        except MidiPortError as err:
            raise MidiPortError(f"{self.who}: {err}") from err
        if not connected:
            raise MidiPortError(f"{self.who}: no JACK MIDI output matching {source!r} "
                                f"(available: {', '.join(port.peers()) or 'none'})")

    def sources(self) -> list[str]:
        """The JACK MIDI outputs that exist now (what this input could connect from)."""
        port = self._jack
        return port.peers() if port is not None else []

    def close(self) -> None:
        """Deactivate and close the JACK client (idempotent)."""
        self._keeper.stop()
        self._close_port()

    def _process(self, port: JackPort, cycle_start: int, frames: int) -> None:
        clock = port.clock
        for offset, data in port.port.incoming_midi_events():
            mono = clock.mono_of(cycle_start + offset)
            if mono is not None:
                self._on_message(mono, tuple(bytes(data)), (cycle_start + offset) / clock.sample_rate)

    def _close_port(self) -> None:
        with self._lock:
            port, self._jack = self._jack, None
        if port is not None:
            port.close()


def jack_running(servername: str | None = None) -> bool:
    """True when a JACK server (the default one, or `servername`) accepts clients."""
    try:
        client = open_client("livecode-probe", servername)
    except MidiPortError:
        return False
    close_client(client)
    return True


def jack_midi_destinations(servername: str | None = None) -> list[str]:
    """Names of the JACK MIDI input ports (where an output can be connected)."""
    return _midi_ports(servername, inputs=True)


def jack_midi_sources(servername: str | None = None) -> list[str]:
    """Names of the JACK MIDI output ports (what an input, a MIDI clock in, can follow)."""
    return _midi_ports(servername, inputs=False)


def _midi_ports(servername: str | None, *, inputs: bool) -> list[str]:
    try:
        client = open_client("livecode-probe", servername)
    except MidiPortError:
        return []
    try:
        return [p.name for p in client.get_ports(is_midi=True, is_input=inputs, is_output=not inputs)]
    finally:
        close_client(client)
