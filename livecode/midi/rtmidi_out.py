"""A MIDI output through python-rtmidi (ALSA, JACK, CoreMIDI, WinMM), sent at each message's time.

A dispatcher thread sends each message when it is due, so timing equals the thread's wake-up
timing (about a millisecond). Through rtmidi's JACK API every message lands at frame 0 of the next
JACK period; use `JackMidiOut` for frame-exact timing where JACK runs.

Usage (not run as a doctest: it needs a running engine or device)::

    port = RtMidiOut("livecode", api="jack", virtual=True)
    port.note(1, 60, 100, start=time.monotonic() + 0.1, duration=0.25)
"""

from __future__ import annotations

import threading

from livecode.midi.dispatcher import Dispatcher
from livecode.midi.errors import MidiPortError
from livecode.midi.messages import Bytes
from livecode.midi.port import Keep, MidiOut, Release

__all__ = ["RtMidiOut", "RTMIDI_APIS", "rtmidi_output_names"]

RTMIDI_APIS = ("auto", "alsa", "jack")


def _api_id(api: str) -> int:
    """rtmidi's number for an API name.

    >>> _api_id("alsa") > 0
    True
    >>> _api_id("coremidi")
    Traceback (most recent call last):
    ...
    livecode.midi.errors.MidiPortError: unknown rtmidi api 'coremidi'; choose one of auto, alsa, jack
    """
    import rtmidi

    table = {"auto": rtmidi.API_UNSPECIFIED, "alsa": rtmidi.API_LINUX_ALSA, "jack": rtmidi.API_UNIX_JACK}
    if api not in table:
        raise MidiPortError(f"unknown rtmidi api {api!r}; choose one of {', '.join(RTMIDI_APIS)}")
    return int(table[api])


def rtmidi_output_names(api: str = "auto") -> list[str]:
    """The names of the output ports rtmidi sees through `api` (empty when none or unavailable)."""
    import rtmidi

    try:
        probe = rtmidi.MidiOut(_api_id(api), name="livecode-probe")
    except rtmidi.SystemError:
        return []
    try:
        return list(probe.get_ports())
    finally:
        probe.delete()


class RtMidiOut(MidiOut):
    """An rtmidi output port: an existing port matched by name, or a new virtual port."""

    def __init__(
        self,
        name: str,
        *,
        api: str = "auto",
        virtual: bool = False,
        latency_ms: float = 0.0,
        client_name: str = "livecode",
    ) -> None:
        super().__init__(name, latency_ms)
        import rtmidi

        try:
            self._out = rtmidi.MidiOut(_api_id(api), name=client_name)
        except rtmidi.SystemError as err:
            raise MidiPortError(f"cannot open MIDI ({api}): {err}") from err
        try:
            if virtual:
                self._out.open_virtual_port(name)
            else:
                self._out.open_port(self._find(name))
        except (rtmidi.SystemError, rtmidi.InvalidUseError, NotImplementedError) as err:
            self._out.delete()
            raise MidiPortError(f"cannot open MIDI port {name!r}: {err}") from err
        self._send_lock = threading.Lock()
        self._dispatcher = Dispatcher(self._emit, name=name)

    def _find(self, name: str) -> int:
        ports = list(self._out.get_ports())
        wanted = name.lower()
        for index, port in enumerate(ports):
            if port.lower() == wanted:
                return index
        for index, port in enumerate(ports):
            if wanted in port.lower():
                return index
        available = ", ".join(ports) or "none"
        raise MidiPortError(f"no MIDI output named {name!r} (available: {available})")

    @property
    def late_count_dispatch(self) -> int:
        """Messages the dispatcher sent more than 2 ms after their time."""
        return self._dispatcher.late_count

    def _emit(self, message: Bytes) -> None:
        with self._send_lock:
            self._out.send_message(list(message))
            self._sent(message)

    def _schedule(self, when: float, message: Bytes) -> None:
        self._dispatcher.put(when, message)

    def _send_now(self, message: Bytes) -> None:
        self._emit(message)

    def _cut(self, keep: Keep, release: Release) -> None:
        def send_release() -> None:
            for message in release():
                self._emit(message)

        self._dispatcher.cut(keep, send_release)

    def _retract(self, when: float, frame: int | None) -> None:
        self._dispatcher.retract(when)

    def _close(self) -> None:
        self._dispatcher.stop()
        self._out.close_port()
        self._out.delete()
