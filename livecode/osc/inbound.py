"""OSC in: a UDP listener whose messages drive bound parameters, and nothing else.

`OscIn(handler, port=57121)` listens on 127.0.0.1 (loopback) unless a host is named (`host=
"0.0.0.0"` for the network). Each datagram is parsed with python-osc; each message in it (a
bundle's too) goes to `handler(address, args, mono)` from the listener's thread. Nothing
received is ever evaluated as code. A datagram that does not parse is counted (`malformed`) and
dropped; the first one gives one warning, later ones only count.

>>> import socket, time
>>> got = []
>>> listener = OscIn(lambda address, args, mono: got.append((address, args)), port=0)
>>> from pythonosc.udp_client import SimpleUDPClient
>>> SimpleUDPClient("127.0.0.1", listener.port).send_message("/fader/1", 0.5)
>>> sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); _ = sock.sendto(b"garbage", ("127.0.0.1", listener.port))
>>> time.sleep(0.2); listener.close(); sock.close()
>>> got, listener.malformed, listener.received
([('/fader/1', [0.5])], 1, 1)
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

from pythonosc.osc_packet import OscPacket, ParseError

from livecode.osc.errors import OscError

__all__ = ["OscIn", "Handler"]

Handler = Callable[[str, list[object], float], None]


def _ignore(text: str) -> None:
    """The default warning sink."""


class OscIn:
    """A UDP OSC listener (see module doc); `port=0` picks a free port (`self.port`)."""

    def __init__(self, handler: Handler, *, port: int = 57121, host: str = "127.0.0.1",
                 warn: Callable[[str], None] = _ignore) -> None:
        if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
            raise OscError(f"osc_in: port={port!r} is out of range 1..65535")
        if not isinstance(host, str) or not host:
            raise OscError(f"osc_in: host={host!r} must be an address such as 127.0.0.1")
        self._handler = handler
        self._warn = warn
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            self.sock.bind((host, port))
        except OSError as err:
            self.sock.close()
            raise OscError(f"osc_in: cannot listen on {host}:{port}: {' '.join(str(err).split())}") from None
        self.sock.settimeout(0.2)
        self.host = host
        self.port = int(self.sock.getsockname()[1])
        self.received = 0
        self.malformed = 0
        self.failed = 0
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=f"livecode-osc-in-{self.port}", daemon=True)
        self._thread.start()

    def __repr__(self) -> str:
        """What the REPL shows: where it listens and what it counted."""
        return (f"osc in {self.host}:{self.port}: {self.received} received, {self.malformed} malformed"
                + (" (closed)" if self._stopping else ""))

    def _run(self) -> None:
        while not self._stopping:
            try:
                data, sender = self.sock.recvfrom(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            self._datagram(data, sender)

    def _datagram(self, data: bytes, sender: tuple[str, int]) -> None:
        mono = time.monotonic()
        try:
            packet = OscPacket(data)
        except ParseError:
            self.malformed += 1
            if self.malformed == 1:
                self._warn(f"osc in :{self.port}: dropped a malformed message from {sender[0]} "
                           "(later ones are only counted)")
            return
        for timed in packet.messages:
            self.received += 1
            try:
                self._handler(timed.message.address, list(timed.message.params), mono)
            except Exception as err:  # noqa: BLE001 - the listener must keep listening
                self.failed += 1
                if self.failed == 1:
                    self._warn(f"osc in {timed.message.address}: {' '.join(str(err).split())}")

    def close(self) -> None:
        """Stop listening (idempotent)."""
        if not self._stopping:
            self._stopping = True
            self._thread.join(timeout=1.0)
            self.sock.close()
