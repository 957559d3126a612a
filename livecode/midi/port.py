"""The MIDI output port template: timed sends, sounding-note tracking, silence and panic.

A concrete port implements four hooks (`_schedule`, `_send_now`, `_cut`, `_close`); `MidiOut`
validates every message at the boundary, applies the port's latency offset, keeps the set of
notes that are sounding on the device, and guarantees that no note is left hanging:

* `silence()` (what `hush()` does): pending channel messages (notes, CCs) are dropped and a
  note-off goes out for each sounding note; clock messages already queued still go out;
* `panic()`: every pending message is dropped, a note-off goes out for each sounding note, then
  CC 123 (All Notes Off) on all 16 channels;
* `close()`: panic, then release the port;
* `retract(when)`: a timeline that restarts (an incoming MIDI Start) forgets what it queued for
  `when` or later: those notes never start, the notes started before keep their note-offs
  (`retracted`).

A port that can lose its way to the device (a JACK port whose destination goes away) says so
through `on_notice` and gets it back with `relink()`; for other ports `relink()` does nothing.

>>> class Printer(MidiOut):
...     def _schedule(self, when, message): self._sent(message)
...     def _send_now(self, message): self._sent(message)
...     def _cut(self, keep, release):
...         for message in release(): self._send_now(message)
...     def _close(self): pass
>>> port = Printer("demo")
>>> port.send_now((0x90, 60, 100)); port.sounding()
[(1, 60)]
>>> port.silence(); port.sounding()
[]
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from typing import Protocol, TypeVar, runtime_checkable
from collections import Counter
from collections.abc import Callable, Iterable
from types import TracebackType

import livecode.midi.messages as msg
from livecode.midi.errors import MidiPortError, MidiValueError

__all__ = ["MidiOut", "FrameSender", "as_bytes", "MessageLike", "Keep", "Release", "retracted"]

MessageLike = tuple[int, ...] | list[int] | bytes
Keep = Callable[[msg.Bytes], bool]
"""Which pending messages survive a cut (see `MidiOut._cut`)."""
Release = Callable[[], list[msg.Bytes]]
"""The messages a cut sends, computed at the moment of the cut."""
T = TypeVar("T", int, float)
Entry = tuple[T, int, msg.Bytes]
"""A queued message: (its time, its arrival number, the message), as ports keep them in a heap."""


def _keep_nothing(message: msg.Bytes) -> bool:
    return False


def _keep_system(message: msg.Bytes) -> bool:
    """Clock, Start, Stop, Song Position: what a hush leaves queued."""
    return not msg.is_channel_message(message)


def _ignore(text: str) -> None:
    """The default `on_notice`: nobody listens."""


def retracted(entries: Iterable[Entry[T]], start: T) -> list[Entry[T]]:
    """The queued messages a retraction from `start` keeps: everything before `start`, system
    messages (clock, Start), and the note-offs of notes that started before it. Channel messages
    at or after `start` go, and for each note-on that goes, the last pending note-off of its
    channel and key goes with it.

    >>> on, off = msg.note_on(1, 60, 100), msg.note_off(1, 60)
    >>> queue = [(0, 0, on), (10, 1, off), (12, 2, on), (20, 3, off), (15, 4, msg.CLOCK)]
    >>> [(t, m[0]) for t, _, m in retracted(queue, 5)]
    [(0, 144), (10, 128), (15, 248)]
    """
    kept: list[Entry[T]] = []
    offs: dict[tuple[int, int], list[int]] = {}
    dropped: Counter[tuple[int, int]] = Counter()
    for entry in sorted(entries):
        when, _, message = entry
        if when < start or not msg.is_channel_message(message):
            kept.append(entry)
            continue
        key = (message[0] & 0x0F, message[1]) if len(message) == 3 else (-1, -1)
        if msg.is_note_on(message):
            dropped[key] += 1
        elif msg.is_note_off(message):
            offs.setdefault(key, []).append(len(kept))
            kept.append(entry)
    gone = {index for key, count in dropped.items() for index in offs.get(key, [])[-count:]}
    return [entry for index, entry in enumerate(kept) if index not in gone]


def as_bytes(message: object) -> msg.Bytes:
    """Turn a tuple of ints, bytes or a `mido.Message` into a validated tuple of ints."""
    raw = message.bytes() if hasattr(message, "bytes") and callable(message.bytes) else message
    if not isinstance(raw, (tuple, list, bytes, bytearray)) or not raw:
        raise MidiValueError(f"message must be a mido.Message or a sequence of bytes, not {message!r}")
    data = tuple(int(b) for b in raw)
    body = data[1:-1] if data[0] == 0xF0 and data[-1] == 0xF7 else data[1:]     # sysex ends with F7
    if not 0x80 <= data[0] <= 0xFF or any(not 0 <= b <= 0x7F for b in body):
        raise MidiValueError(f"message {data!r} is not valid MIDI (status 128..255, data 0..127)")
    return data


@runtime_checkable
class FrameSender(Protocol):
    """A port that writes a message at a JACK frame (a JACK-native port): the frame where the
    audio engine plays the same instant (`AudioClock.jack_frame`), exact whatever the wall
    clock does."""

    def send_at_frame(self, message: object, frame: int) -> None:
        """Send `message` at JACK frame `frame` (plus the port's latency)."""


class MidiOut(ABC):
    """A MIDI output with timed sends (`when` is `time.monotonic()` seconds) and a panic button."""

    def __init__(self, name: str, latency_ms: float = 0.0) -> None:
        if not -1000.0 <= latency_ms <= 1000.0:
            raise MidiValueError(f"latency_ms={latency_ms!r} is out of range -1000..1000")
        self.name = name
        self.latency = latency_ms / 1000.0
        self.closed = False
        self.late_count = 0
        self._notes: Counter[tuple[int, int]] = Counter()
        self._lock = threading.Lock()
        self.on_notice: Callable[[str], None] = _ignore
        """Called with a one-line text when the port loses or regains its device."""
        self.server_lost = False
        """True while the port has no server to send through (a JACK port whose server died)."""

    # -- public API ---------------------------------------------------------------------------
    def send_at(self, message: object, when: float) -> None:
        """Send `message` at monotonic time `when` (plus the port's latency offset)."""
        self._check_open()
        self._schedule(when + self.latency, as_bytes(message))

    def send_now(self, message: object) -> None:
        """Send `message` as soon as possible."""
        self._check_open()
        self._send_now(as_bytes(message))

    def note(self, channel: int, note: int, velocity: int, start: float, duration: float) -> None:
        """Schedule a note-on at `start` and its note-off `duration` seconds later.

        Channel is 1..16, note and velocity 0..127.
        """
        if duration < 0:
            raise MidiValueError(f"duration={duration!r} must not be negative")
        on = msg.note_on(channel, note, velocity)
        off = msg.note_off(channel, note)
        self._check_open()
        self._schedule(start + self.latency, on)
        self._schedule(start + duration + self.latency, off)

    def cc(self, channel: int, control: int, value: int, when: float) -> None:
        """Schedule a control change."""
        self.send_at(msg.control_change(channel, control, value), when)

    def sounding(self) -> list[tuple[int, int]]:
        """The (channel, note) pairs that are on at the device now (channel 1..16)."""
        with self._lock:
            return sorted(key for key, count in self._notes.items() if count > 0)

    def silence(self) -> None:
        """Silence at once (hush): drop pending channel messages, note-off for each sounding note.

        Clock messages already queued (pulses, Stop) still go out; nothing else is sent.
        """
        if not self.closed:
            self._cut(_keep_system, self._note_offs)

    def panic(self) -> None:
        """Drop pending messages; note-off for every sounding note; CC 123 on every channel."""
        if not self.closed:
            self._cut(_keep_nothing, self._panic_messages)

    def retract(self, when: float, frame: int | None = None) -> None:
        """Forget what was queued for monotonic time `when` (JACK frame `frame`, for a port that
        writes at frames) or later, the port's latency included: see `retracted`."""
        if not self.closed:
            self._retract(when + self.latency, frame)

    def relink(self) -> None:
        """Get the port's way to its device back if it was lost (a JACK port: reopen the client
        after the server came back, reconnect to the destination by name). Nothing here."""

    def flush(self, timeout: float = 1.0) -> bool:
        """Wait (up to `timeout` seconds) until what is already due has been written; True when
        it was. Here nothing waits: a port that queues its messages (JACK) overrides it."""
        return True

    def close(self) -> None:
        """Panic, then release the port. Idempotent."""
        if self.closed:
            return
        self.panic()
        self.closed = True
        self._close()

    def __enter__(self) -> MidiOut:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- for subclasses -----------------------------------------------------------------------
    def _sent(self, message: msg.Bytes) -> None:
        """Record that `message` went out to the device (call from the sending thread)."""
        if len(message) != 3:
            return
        kind = message[0] & 0xF0
        if kind not in (0x80, 0x90):
            if kind == 0xB0 and message[1] == 123:
                self._all_off(message[0] & 0x0F)
            return
        key = ((message[0] & 0x0F) + 1, message[1])
        with self._lock:
            if msg.is_note_on(message):
                self._notes[key] += 1
            elif self._notes[key] > 0:
                self._notes[key] -= 1

    def _note_offs(self) -> list[msg.Bytes]:
        """A note-off for each sounding note (as many as it was started), in note order."""
        with self._lock:
            held = sorted((key, count) for key, count in self._notes.items() if count > 0)
        return [msg.note_off(channel, note) for (channel, note), count in held for _ in range(count)]

    def _panic_messages(self) -> list[msg.Bytes]:
        return self._note_offs() + [msg.all_notes_off(channel) for channel in range(1, 17)]

    def _all_off(self, wire_channel: int) -> None:
        with self._lock:
            for key in [k for k in self._notes if k[0] == wire_channel + 1]:
                del self._notes[key]

    def _check_open(self) -> None:
        if self.closed:
            raise MidiPortError(f"MIDI port {self.name!r} is closed")

    @abstractmethod
    def _schedule(self, when: float, message: msg.Bytes) -> None:
        """Queue `message` for monotonic time `when` (already offset by latency)."""

    @abstractmethod
    def _send_now(self, message: msg.Bytes) -> None:
        """Send at once, after anything already handed to the device."""

    @abstractmethod
    def _cut(self, keep: Keep, release: Release) -> None:
        """Forget the queued messages `keep` rejects, then send the messages `release()` returns.

        Both happen in the sending thread (or under its lock), so no queued message is sent
        between the two and `release()` sees the sounding notes as they are at that moment.
        """

    def _retract(self, when: float, frame: int | None) -> None:
        """Forget the queued messages `retracted` drops from `when` (monotonic, latency included)
        or JACK frame `frame` (latency not included). A port that queues nothing has nothing to
        forget: this one."""

    @abstractmethod
    def _close(self) -> None:
        """Release the underlying port."""
