"""OSC out: a track's events as OSC messages in bundles timed at the event.

`pattern.osc(address, port=57120, host="127.0.0.1", shape="dirt")` tags each event with its
destination (`oscaddr`, `oschost`, `oscport`, `oscshape`); the session's outputs turn it into an
`OscEvent` and `OscSenders` sends it at once, in a bundle whose timetag is the event's onset in
wall-clock time. The scheduler runs a lookahead ahead (0.1 s by default), so the receiver gets
each bundle that long before it is due, as SuperDirt expects from Tidal.

Shapes: "dirt" is SuperDirt's `/dirt/play`: key/value pairs of the event's controls, then
`delta` (the held length in seconds) and `orbit` (0 unless set); "pairs" is the key/value pairs
alone. Values are sent as they are (int, float, str); anything else as its text.

>>> osc_event({"s": "bd", "oscaddr": "/dirt/play", "oscport": 57120}, 0.5).args
['s', 'bd', 'delta', 0.5, 'orbit', 0]
>>> osc_event({"s": "bd"}, 0.5) is None
True
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pythonosc.osc_message_builder import OscMessageBuilder
from pythonosc.parsing import osc_types

from livecode.osc.errors import OscError
from livecode.targets import event_params
from patterns.pattern import Pattern

__all__ = ["OscEvent", "OscSenders", "osc_event", "dirt_args", "pair_args", "check_address", "check_port",
           "SHAPES", "wall_time", "pattern_osc"]

SHAPES = ("dirt", "pairs")
OSC_KEYS = frozenset({"oscaddr", "oschost", "oscport", "oscshape", "oscengine", "midiport", "midichan",
                      "midiengine", "mididevice", "midinudge"})

Arg = int | float | str


@dataclass(frozen=True, slots=True)
class OscEvent:
    """One OSC message to send: where, what."""

    host: str
    port: int
    address: str
    args: list[Arg]


def check_address(address: object) -> str:
    """An OSC address pattern: text starting with '/', no spaces.

    >>> check_address("dirt/play")
    Traceback (most recent call last):
    ...
    livecode.osc.errors.OscError: osc: address='dirt/play' must start with '/' (e.g. "/dirt/play")
    """
    if not isinstance(address, str) or not address.startswith("/") or any(c.isspace() for c in address):
        raise OscError(f'osc: address={address!r} must start with \'/\' (e.g. "/dirt/play")')
    return address


def check_port(port: object, field: str = "port") -> int:
    """A UDP port number 1..65535.

    >>> check_port(0)
    Traceback (most recent call last):
    ...
    livecode.osc.errors.OscError: osc: port=0 is out of range 1..65535
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise OscError(f"osc: {field}={port!r} is out of range 1..65535")
    return port


def _arg(value: object) -> Arg:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def pair_args(params: Mapping[str, object]) -> list[Arg]:
    """The event's controls as key, value, key, value ... (livecode's own keys left out).

    >>> pair_args({"s": "bd", "gain": 0.8, "midiport": "x"})
    ['s', 'bd', 'gain', 0.8]
    """
    out: list[Arg] = []
    for key, value in params.items():
        if key not in OSC_KEYS:
            out += [key, _arg(value)]
    return out


def dirt_args(params: Mapping[str, object], hold: float) -> list[Arg]:
    """SuperDirt's `/dirt/play` arguments: the pairs, then `delta` and `orbit`."""
    out = pair_args(params)
    if "delta" not in params:
        out += ["delta", float(hold)]
    if "orbit" not in params:
        out += ["orbit", 0]
    return out


def osc_event(params: Mapping[str, object], hold: float) -> OscEvent | None:
    """The OSC message an event asks for (`oscaddr` set by `.osc(...)`), else None."""
    address = params.get("oscaddr")
    if address is None:
        return None
    shape = params.get("oscshape", "dirt")
    if shape not in SHAPES:
        raise OscError(f"osc: shape={shape!r} must be one of {', '.join(SHAPES)}")
    host = params.get("oschost", "127.0.0.1")
    if not isinstance(host, str) or not host:
        raise OscError(f"osc: host={host!r} must be a host name or address")
    args = dirt_args(params, hold) if shape == "dirt" else pair_args(params)
    return OscEvent(host, check_port(params.get("oscport", 57120)), check_address(address), args)


def pattern_osc(pattern: Pattern, address: str = "/dirt/play", port: int = 57120, host: str = "127.0.0.1",
                shape: str = "dirt", engine: bool = False) -> Pattern:
    """`s("bd sd").osc("/dirt/play", port=57120)`: these events go to an OSC address as timed
    bundles (SuperDirt's shape by default); `engine=True` also plays them in the engine."""
    check_address(address)
    check_port(port)
    if shape not in SHAPES:
        raise OscError(f"osc: shape={shape!r} must be one of {', '.join(SHAPES)}")
    extra: dict[str, object] = {"oscaddr": address, "oscport": port, "oschost": host, "oscshape": shape,
                                "oscengine": engine}

    def route(value: object) -> object:
        return {**event_params(value), **extra}

    return pattern.fmap(route)


def wall_time(mono: float) -> float:
    """`time.time()` seconds of monotonic time `mono` (an OSC timetag is wall-clock time)."""
    return time.time() + (mono - time.monotonic())


def build_bundle(event: OscEvent, when: float) -> bytes:
    """The datagram: a bundle timed at wall-clock `when` holding the one message."""
    message = OscMessageBuilder(event.address)
    for arg in event.args:
        message.add_arg(arg)
    built = message.build()
    return b"#bundle\x00" + osc_types.write_date(when) + osc_types.write_int(built.size) + built.dgram


class OscSenders:
    """UDP sockets by destination; `send` never raises (a failure is reported once per host)."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self._report = report
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._failed: set[tuple[str, int]] = set()
        self.sent = 0

    def send(self, event: OscEvent, start: float) -> None:
        """Send `event` now in a bundle timed at monotonic `start`."""
        data = build_bundle(event, wall_time(start))
        with self._lock:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock = self._socket
        try:
            sock.sendto(data, (event.host, event.port))
            self.sent += 1
        except OSError as err:
            key = (event.host, event.port)
            if key not in self._failed:
                self._failed.add(key)
                self._report(f"osc {event.host}:{event.port}: {' '.join(str(err).split())}")

    def close(self) -> None:
        """Close the socket (a later send opens a new one)."""
        with self._lock:
            sock, self._socket = self._socket, None
        if sock is not None:
            sock.close()
