"""Opening and closing JACK clients in this process, under the one rule libjack imposes.

Measured with JACK2's libjack (1.9.x, JACK-Client 0.5): when a JACK server dies, the clients this
process had on it are left behind, dead. If any client is then opened (even an attempt that fails
because no server runs yet) while such a dead client is still open, the process crashes with
SIGSEGV as soon as the dead client is closed, or at exit. So every client livecode keeps open is
opened with `open_client`, tells `mark_dead` from its shutdown callback, and is closed with
`close_client` from an ordinary thread; `open_client` refuses to open while a dead one is open.

libjack's own error and info lines go to `jack_messages()` instead of the terminal: they would
scribble over the REPL, and each retry against a dead server prints five of them. While a dead
client closes they go nowhere, through a C function (`_lines_to_c`): libjack cancels that
client's threads, and one cancelled inside a Python callback would hang the process.

>>> open_dead_clients()
0
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING

from livecode.midi.errors import MidiPortError

if TYPE_CHECKING:
    import jack

__all__ = ["open_client", "close_client", "mark_dead", "open_dead_clients", "quiet_libjack", "jack_messages"]

_LIBJACK_LOG: deque[str] = deque(maxlen=200)
_quiet = threading.Event()
_open_lock = threading.Lock()
_names: dict[int, str] = {}           # id(client) -> name, for every client open_client opened
_dead: dict[int, str] = {}            # the same, for those whose server died


def quiet_libjack() -> None:
    """Send libjack's error and info lines to `jack_messages()` (idempotent)."""
    if _quiet.is_set():
        return
    import jack

    jack.set_error_function(_LIBJACK_LOG.append)
    jack.set_info_function(_LIBJACK_LOG.append)
    _quiet.set()


def jack_messages() -> list[str]:
    """The last lines libjack wrote in this process (after `quiet_libjack()`), oldest first."""
    return list(_LIBJACK_LOG)


def open_dead_clients() -> int:
    """How many clients of a dead server are still open (opening waits for none)."""
    return len(_dead)


def open_client(name: str, servername: str | None = None) -> jack.Client:
    """A new JACK client (never starts a server). MidiPortError when no server runs or while a
    client of a dead server is still open (see the module doc)."""
    import jack

    quiet_libjack()
    with _open_lock:
        if _dead:
            raise MidiPortError(f"cannot open JACK client {name!r} yet: {', '.join(_dead.values())} "
                                "from the JACK server that went away must close first")
        try:
            client = jack.Client(name, servername=servername, no_start_server=True)
        except jack.JackError as err:
            raise MidiPortError(f"no JACK server to open {name!r} on: {' '.join(str(err).split())}") from err
    _names[id(client)] = name
    return client


def mark_dead(client: jack.Client) -> None:
    """The client's server died (call from its shutdown callback): it must be closed before
    anything else opens."""
    _dead[id(client)] = _names.get(id(client), "a client")


DEAD_CLOSE_PAUSE = 0.1
"""Seconds `close_client` waits before closing a client whose server died. libjack's close
cancels the client's threads asynchronously; the one that ran the shutdown callback may still be
finishing it in Python, holding the GIL, when the woken owner closes, and a thread cancelled there
never releases the GIL: the whole process hangs (seen once in a test run: the GIL's last holder
a thread that no longer existed). The pause (the GIL released) lets that thread get back into
libjack first."""


def close_client(client: jack.Client) -> None:
    """Deactivate and close a client, alive or dead (call once, from an ordinary thread)."""
    dead = id(client) in _dead
    if dead:
        time.sleep(DEAD_CLOSE_PAUSE)
    with _open_lock, (_lines_to_c() if dead else nullcontext()):   # never while another client opens
        _close(client)
        _dead.pop(id(client), None)
        _names.pop(id(client), None)


def _close(client: jack.Client) -> None:
    import jack

    try:
        client.deactivate()
    except jack.JackError:
        pass                                 # a dead server's client: closing still frees it
    client.close()


@contextmanager
def _lines_to_c() -> Iterator[None]:
    """libjack's error and info lines dropped by a C function (no Python, no GIL) meanwhile.

    libjack cancels a dead client's threads on close; if one of them were logging a line through
    the Python function `quiet_libjack` installs, it would be cancelled holding the GIL and the
    process would hang. The sink is libc's `strlen`: it takes the line as libjack's message
    functions do (`void (*)(const char *)` but for a return value libjack never reads), holds no
    lock and is no cancellation point. Afterwards the functions found before are put back as
    they were (the same pointers: JACK-Client's callbacks are not made again). Without libc or
    libjack found by ctypes, nothing changes.
    """
    libjack = _libjack()
    sink = _c_sink()
    if libjack is None or sink is None:
        yield
        return
    slots = [(ctypes.c_void_p.in_dll(libjack, f"jack_{kind}_callback"), getattr(libjack, f"jack_set_{kind}_function"))
             for kind in ("error", "info")]
    before = [slot.value for slot, _ in slots]
    for _, setter in slots:
        setter.argtypes, setter.restype = [ctypes.c_void_p], None
        setter(sink)
    try:
        yield
    finally:
        for (_, setter), pointer in zip(slots, before):
            setter(pointer)


def _libjack() -> ctypes.CDLL | None:
    """The libjack JACK-Client loaded (the same library, so the same globals), via ctypes."""
    name = ctypes.util.find_library("jack")
    return None if name is None else ctypes.CDLL(name)


def _c_sink() -> int | None:
    strlen = getattr(ctypes.CDLL(None), "strlen", None)
    return None if strlen is None else ctypes.cast(strlen, ctypes.c_void_p).value
