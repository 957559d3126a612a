"""MIDI inputs: open a controller or keyboard by name, JACK-native where JACK runs, else rtmidi.

Every input is a `MidiIn`: it hands each message to `on_message(mono, message)`, stamped with
the `time.monotonic()` time it arrived (a JACK input: the time of its exact frame), from a
thread that is not JACK's (the input's own, or rtmidi's). `open_input(name)` opens
one, connected to the MIDI outputs whose names contain `name`; a name that matches nothing is one
`MidiPortError` listing the inputs that exist. `list_inputs()` lists them.

A JACK input whose source goes away (a keyboard unplugged, a2j restarted) is reconnected when a
port matching the name registers again, with one line to `on_notice` each way.

Usage (not run as a doctest: it needs a running engine or device)::

    port = open_input("Keystation", on_message=print)
    list_inputs()
    # -> ['jack: a2j:Keystation [24] (capture): Keystation MIDI 1']
"""

from __future__ import annotations

import queue
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable

from livecode.midi.errors import MidiPortError
from livecode.midi.jack_backend import JackMidiIn, jack_midi_sources, jack_running

__all__ = ["MidiIn", "JackInput", "RtMidiInput", "open_input", "list_inputs", "rtmidi_input_names",
           "OnMessage", "INPUT_APIS", "WATCH_INTERVAL"]

OnMessage = Callable[[float, tuple[int, ...]], None]
INPUT_APIS = ("auto", "jack", "rtmidi", "rtmidi-jack", "alsa")
WATCH_INTERVAL = 0.5
"""Seconds between two checks that a JACK input's source is still there."""


def _ignore(text: str) -> None:
    """The default `on_notice`."""


class MidiIn(ABC):
    """An open MIDI input (see module doc)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.on_notice: Callable[[str], None] = _ignore
        self.received = 0

    @abstractmethod
    def close(self) -> None:
        """Stop receiving and release the port (idempotent)."""


class JackInput(MidiIn):
    """A JACK-native input connected to every JACK MIDI output whose name contains `source`;
    reconnected when such a port appears again.

    JACK's process thread only queues each message; a thread of the input's own hands them to
    `on_message` (which may talk to the engine, take locks: never in JACK's thread) and, twice a
    second, checks that a matching source is still there.
    """

    def __init__(self, source: str, on_message: OnMessage, *, client_name: str = "livecode-in",
                 servername: str | None = None) -> None:
        super().__init__(source)
        self._on_message = on_message
        self._queue: queue.SimpleQueue[tuple[float, tuple[int, ...]] | None] = queue.SimpleQueue()
        self._lost = False
        self._next_check = 0.0
        self.port = JackMidiIn("midi_in", on_message=self._receive, client_name=client_name,
                               connect_from=source, servername=servername, who=f"midi in {source!r}")
        self.port_name = self.port.port_name
        self._thread = threading.Thread(target=self._run, name=f"livecode-midi-in-{source}", daemon=True)
        self._thread.start()

    def _receive(self, mono: float, message: tuple[int, ...], jack: float) -> None:
        """JACK's process thread: queue it, nothing else (its JACK time is not needed here)."""
        self._queue.put((mono, message))

    def _run(self) -> None:
        while True:
            try:
                item = self._queue.get(timeout=WATCH_INTERVAL)
            except queue.Empty:
                pass
            else:
                if item is None:
                    return
                self.received += 1
                self._on_message(*item)
            if time.monotonic() >= self._next_check:
                self._next_check = time.monotonic() + WATCH_INTERVAL
                self._watch()

    def _watch(self) -> None:
        """Is a matching source still there? Report a loss once, reconnect a return."""
        try:
            present = any(self.name in source for source in self.port.sources())
            if not present and not self._lost:
                self._lost = True
                self.on_notice(f"lost its source {self.name!r}; it reconnects when that port comes back")
            elif present and self._lost:
                self.port.connect(self.name)
                self._lost = False
                self.on_notice(f"reconnected to {self.name!r}")
        except MidiPortError as err:
            self.on_notice(" ".join(str(err).split()))

    def close(self) -> None:
        """Close the JACK client, then end the thread."""
        self.port.close()
        self._queue.put(None)
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=1.0)


def rtmidi_input_names(api: str = "auto") -> list[str]:
    """The rtmidi input ports (empty when none or rtmidi cannot probe)."""
    import rtmidi

    table = {"auto": rtmidi.API_UNSPECIFIED, "jack": rtmidi.API_UNIX_JACK, "alsa": rtmidi.API_LINUX_ALSA}
    try:
        probe = rtmidi.MidiIn(table[api], name="livecode-probe")
    except rtmidi.SystemError:
        return []
    try:
        return list(probe.get_ports())
    finally:
        probe.delete()


class RtMidiInput(MidiIn):
    """An rtmidi input (ALSA, CoreMIDI, WinMM; or JACK with api="jack"), port matched by name;
    messages are stamped with `time.monotonic()` as rtmidi's thread delivers them."""

    def __init__(self, name: str, on_message: OnMessage, *, api: str = "auto") -> None:
        import rtmidi

        super().__init__(name)
        table = {"auto": rtmidi.API_UNSPECIFIED, "jack": rtmidi.API_UNIX_JACK, "alsa": rtmidi.API_LINUX_ALSA}
        self._on_message = on_message
        try:
            self._port = rtmidi.MidiIn(table[api], name="livecode-in")
        except rtmidi.SystemError as err:
            raise MidiPortError(f"midi_in: cannot open MIDI input ({api}): {err}") from err
        names = list(self._port.get_ports())
        index = next((i for i, port in enumerate(names) if name in port), None)
        if index is None:
            self._port.delete()
            raise MidiPortError(f"midi_in: no MIDI input matching {name!r} (available: {', '.join(names) or 'none'})")
        self._port.ignore_types(sysex=False, timing=True, active_sense=True)
        self._port.set_callback(self._receive)
        self._port.open_port(index)
        self._closed = False

    def _receive(self, event: tuple[list[int], float], data: object = None) -> None:
        self.received += 1
        self._on_message(time.monotonic(), tuple(event[0]))

    def close(self) -> None:
        """Close the rtmidi port."""
        if not self._closed:
            self._closed = True
            self._port.cancel_callback()
            self._port.close_port()
            self._port.delete()


def open_input(name: str, on_message: OnMessage, *, api: str = "auto", servername: str | None = None) -> MidiIn:
    """Open the MIDI input(s) whose name contains `name`: JACK-native when a JACK server runs
    ("auto"), else rtmidi ("rtmidi": its default API; "rtmidi-jack", "alsa": that API).
    MidiPortError listing the inputs when none matches.

    >>> open_input("", print)
    Traceback (most recent call last):
    ...
    livecode.midi.errors.MidiPortError: midi_in: port must be a port name, got ''
    >>> open_input("Keystation", print, api="coremidi")
    Traceback (most recent call last):
    ...
    livecode.midi.errors.MidiPortError: midi_in: api='coremidi' must be one of auto, jack, rtmidi, rtmidi-jack, alsa
    """
    if not isinstance(name, str) or not name:
        raise MidiPortError(f"midi_in: port must be a port name, got {name!r}")
    if api not in INPUT_APIS:
        raise MidiPortError(f"midi_in: api={api!r} must be one of {', '.join(INPUT_APIS)}")
    if api == "jack" or (api == "auto" and jack_running(servername)):
        available = jack_midi_sources(servername)
        if not any(name in source for source in available):
            raise MidiPortError(f"midi_in: no MIDI input matching {name!r} "
                                f"(available: {', '.join(available) or 'none'})")
        return JackInput(name, on_message, servername=servername)
    return RtMidiInput(name, on_message, api={"rtmidi": "auto", "auto": "auto", "rtmidi-jack": "jack",
                                               "alsa": "alsa"}[api])


def list_inputs() -> list[str]:
    """Every MIDI source livecode can open: JACK MIDI outputs and rtmidi inputs."""
    return [f"jack: {n}" for n in jack_midi_sources()] + [f"rtmidi: {n}" for n in rtmidi_input_names()]
