"""Timed events for the engine, and the queue that carries them into the audio callback.

A `NoteEvent` plays an instrument on a track at an absolute sample frame; a `ParamEvent` changes a
track, mixer or effect parameter at a sample frame (or at once). Producers push events from any
thread; the audio callback drains the inbox once per block and pops those due in the coming block.

>>> q = EventQueue()
>>> q.push(NoteEvent(300, "d1", {"s": "beep"}, 100))
>>> q.push(NoteEvent(100, "d1", {"s": "beep"}, 100))
>>> [e.time for e in q.pop_due(256)]
[100]
>>> [e.time for e in q.pop_due(512)]
[300]
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from synths.errors import ParamError

__all__ = [
    "BUS_CONTROLS",
    "bus_settings",
    "NoteEvent",
    "ParamEvent",
    "Event",
    "EventQueue",
    "PreparedNote",
    "QueueCut",
    "TRACK_SENDS",
    "note_name_to_midi",
    "prepare_note",
]


@dataclass(frozen=True, slots=True)
class NoteEvent:
    """A note: onset at absolute sample `time`, held for `duration` samples, on `track`.

    `params` is the event's control map (`s`, `n`, `bank`, `note`, `freq`, `gain`, `pan`, ...,
    and per-event track sends `room`, `delay`).

    >>> NoteEvent(48000, "d1", {"s": "bd"}, 12000).time
    48000
    """

    time: int
    track: str
    params: dict[str, Any]
    duration: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.time, bool) or not isinstance(self.time, int):
            raise ParamError(f"NoteEvent.time must be an int sample frame, not {self.time!r}")
        if isinstance(self.duration, bool) or not isinstance(self.duration, int) or self.duration < 0:
            raise ParamError(f"NoteEvent.duration must be an int >= 0 samples, not {self.duration!r}")
        if not isinstance(self.track, str) or not self.track:
            raise ParamError(f"NoteEvent.track must be a non-empty str, not {self.track!r}")
        if not isinstance(self.params, dict):
            raise ParamError(f"NoteEvent.params must be a dict, not {type(self.params).__name__}")


@dataclass(frozen=True, slots=True)
class ParamEvent:
    """A parameter change: `path` on `track` (mixer path relative to the track) set to `value`.

    `time` is an absolute sample frame, or None for "at the next block".

    >>> ParamEvent(None, "d1", "gain", 0.5).path
    'gain'
    """

    time: int | None
    track: str
    path: str
    value: float

    def __post_init__(self) -> None:
        if self.time is not None and (isinstance(self.time, bool) or not isinstance(self.time, int)):
            raise ParamError(f"ParamEvent.time must be an int sample frame or None, not {self.time!r}")
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            raise ParamError(f"ParamEvent {self.track}.{self.path}: value must be a number, not {self.value!r}")


Event = NoteEvent | ParamEvent


@dataclass(frozen=True, slots=True)
class QueueCut:
    """An inbox marker (`EventQueue.cut`): the timed events pushed before it whose time is
    `start` or later (and that `which` accepts, when given) are dropped (`dropped` is told of
    each); those pushed after it stay.

    >>> QueueCut(480).start
    480
    """

    start: int
    dropped: Callable[[Any], None] | None = None
    which: Callable[[Any], bool] | None = None


@dataclass(slots=True)
class EventQueue:
    """A lock-free inbox (deque) feeding a time-ordered heap, popped by the audio callback.

    `push` may be called from any thread; `pop_due` only from the callback.

    >>> q = EventQueue()
    >>> q.push(ParamEvent(None, "d1", "gain", 1.0))
    >>> len(q.pop_due(0))
    1
    """

    _inbox: deque[Any] = field(default_factory=deque)
    _heap: list[tuple[int, int, Any]] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=itertools.count)
    arrivals: deque[Any] | None = None
    """When a deque: every timed event, in arrival order, as the callback takes it in (for
    work done ahead of an event's block: `Engine`'s arming of notes)."""

    def push(self, event: Any) -> None:
        """Queue one event (thread-safe)."""
        self._inbox.append(event)

    def cut(self, start: int, dropped: Callable[[Any], None] | None = None,
            which: Callable[[Any], bool] | None = None) -> None:
        """Drop the timed events already pushed whose time is `start` or later (only those
        `which` accepts, when given), in order with the pushes (thread-safe): what is pushed
        after the cut stays, even when the callback takes both in at once. `dropped` (called in
        the draining thread) hears of each.

        >>> q = EventQueue()
        >>> q.push(ParamEvent(5, "d1", "gain", 0.0)); q.push(ParamEvent(9, "d1", "gain", 0.1))
        >>> q.cut(8); q.push(ParamEvent(8, "d1", "gain", 0.2))
        >>> [(e.time, e.value) for e in q.pop_due(100)]
        [(5, 0.0), (8, 0.2)]
        >>> q.push(ParamEvent(9, "d1", "gain", 0.3)); q.push(ParamEvent(9, "d2", "gain", 0.4))
        >>> q.cut(0, which=lambda e: e.track == "d1"); [e.value for e in q.pop_due(100)]
        [0.4]
        """
        self._inbox.append(QueueCut(int(start), dropped, which))

    def _apply_cut(self, cut: QueueCut) -> None:
        kept: list[tuple[int, int, Any]] = []
        for entry in self._heap:
            if entry[0] >= cut.start and (cut.which is None or cut.which(entry[2])):
                if cut.dropped is not None:
                    cut.dropped(entry[2])
            else:
                kept.append(entry)
        heapq.heapify(kept)
        self._heap[:] = kept
        if self.arrivals is not None:
            earlier = [event for event in self.arrivals
                       if event.time < cut.start or (cut.which is not None and not cut.which(event))]
            if len(earlier) < len(self.arrivals):
                self.arrivals.clear()
                self.arrivals.extend(earlier)

    def _drain(self) -> None:
        inbox, heap, seq = self._inbox, self._heap, self._seq
        while inbox:
            event = inbox.popleft()
            if isinstance(event, QueueCut):
                self._apply_cut(event)
                continue
            time = getattr(event, "time", None)
            heapq.heappush(heap, (-1 if time is None else time, next(seq), event))
            if time is not None and self.arrivals is not None:
                self.arrivals.append(event)

    def pop_due(self, end: int) -> list[Any]:
        """Remove and return the events with `time < end` (or no time), oldest first."""
        self._drain()
        heap = self._heap
        due: list[Any] = []
        while heap and heap[0][0] < end:
            due.append(heapq.heappop(heap)[2])
        return due

    def clear(self, keep: Callable[[Any], bool] | None = None) -> int:
        """Drop every pending event (except those `keep` accepts); return how many were dropped.

        >>> q = EventQueue(); q.push(ParamEvent(5, "d1", "gain", 0.0)); q.push("control")
        >>> q.clear(keep=lambda e: e == "control"), q.pop_due(0)
        (1, ['control'])
        """
        self._drain()
        if self.arrivals is not None:
            self.arrivals.clear()
        kept = [entry for entry in self._heap if keep is not None and keep(entry[2])]
        count = len(self._heap) - len(kept)
        heapq.heapify(kept)
        self._heap[:] = kept
        return count

    def __len__(self) -> int:
        return len(self._inbox) + len(self._heap)


_NOTE_RE = re.compile(r"^([a-gA-G])([#sbf]*)(-?\d+)?$")
_CHROMA = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}


def note_name_to_midi(name: str) -> float:
    """MIDI number of a note name as in Strudel (`c4` = 60, `eb3`, `f#2`, octave 3 if omitted).

    >>> note_name_to_midi("c4"), note_name_to_midi("a4"), note_name_to_midi("eb3"), note_name_to_midi("c")
    (60.0, 69.0, 51.0, 48.0)
    """
    match = _NOTE_RE.match(name.strip())
    if match is None:
        raise ParamError(f"note: {name!r} is not a note name (expected e.g. 'c4', 'eb3', 'f#2')")
    letter, accidentals, octave = match.groups()
    shift = sum(1 if ch in "#s" else -1 for ch in accidentals)
    return float((int(octave if octave is not None else 3) + 1) * 12 + _CHROMA[letter.lower()] + shift)


TRACK_SENDS = {"room": "send.reverb", "delay": "send.delay"}
"""Per-event controls that act on the track's strip at the note's time (Strudel names -> path)."""

BUS_CONTROLS = ("size", "delaytime", "delayfeedback")
"""Per-event controls that set the shared effect buses at the note's time, as SuperDirt's orbit
effects do: `size` (Strudel's 0..10) the reverb's room, `delaytime` (seconds) and
`delayfeedback` the delay. The engine turns them into bus parameters (`bus_settings`)."""


def bus_settings(controls: Mapping[str, float], bpm: float) -> list[tuple[str, float]]:
    """Mixer paths and values for a note's bus controls at tempo `bpm`.

    `size` 0..10 becomes the reverb's size 0..1; `delaytime` in seconds becomes the tempo-synced
    delay's time in beats (1/64..4); `delayfeedback` is clamped to the delay's 0..0.95.

    >>> bus_settings({"size": 8, "delaytime": 0.25, "delayfeedback": 0.5}, bpm=120)
    [('bus.reverb.size', 0.8), ('bus.delay.time', 0.5), ('bus.delay.feedback', 0.5)]
    """
    out: list[tuple[str, float]] = []
    if "size" in controls:
        out.append(("bus.reverb.size", min(1.0, controls["size"] / 10.0)))
    if "delaytime" in controls:
        out.append(("bus.delay.time", min(4.0, max(1.0 / 64.0, controls["delaytime"] * bpm / 60.0))))
    if "delayfeedback" in controls:
        out.append(("bus.delay.feedback", min(0.95, controls["delayfeedback"])))
    return out


@dataclass(frozen=True, slots=True)
class PreparedNote:
    """A validated note: voice class, defaulted params with `freq` in Hz, held seconds, sends.

    Built by `prepare_note` outside the audio callback, so the callback only sets values.
    """

    time: int
    track: str
    voice_cls: type
    params: dict[str, Any]
    dur: float
    sends: tuple[tuple[str, float], ...]
    bus: dict[str, float]


def prepare_note(event: NoteEvent, resolve: Any, sample_rate: float) -> PreparedNote:
    """Resolve the instrument (`s`, `bank`) and validate/default the params against its PARAMS.

    A bad value raises `ParamError` naming the control; unknown controls are ignored (patterns
    may carry controls for other targets). `note` may be a number or a name (`"eb3"`); `freq`
    wins over `note`.

    >>> from synths.testvoices import TEST_VOICES
    >>> n = prepare_note(NoteEvent(0, "d1", {"s": "beep", "note": "a4", "room": 0.3}, 4800),
    ...                  lambda s, bank: TEST_VOICES[s], 48000)
    >>> n.params["freq"], n.dur, n.sends, n.bus
    (440.0, 0.1, (('send.reverb', 0.3),), {})
    """
    raw = event.params
    name = raw.get("s", raw.get("sound"))
    if not isinstance(name, str) or not name:
        raise ParamError(f"NoteEvent on {event.track!r}: `s` must name an instrument, got {name!r}")
    bank = raw.get("bank")
    voice_cls = resolve(name, None if bank is None else str(bank))
    table = voice_cls.PARAMS
    values = dict(raw)
    base, colon, index = name.partition(":")
    if colon and index.isdigit() and "n" not in values:
        values["n"] = int(index)  # s("bd:3") is s("bd").n(3)
    note = values.get("note")
    if isinstance(note, str):
        values["note"] = note_name_to_midi(note)
    checked = table.validate(
        {key: value for key, value in values.items() if key in table and not isinstance(value, str)},
        strict=False,
    )
    params: dict[str, Any] = table.defaults()
    params.update(checked)
    params.update({key: value for key, value in values.items() if key in table and isinstance(value, str)})
    if "freq" not in checked:
        params["freq"] = 440.0 * 2.0 ** ((float(params.get("note", 60.0)) - 69.0) / 12.0)
    sends: list[tuple[str, float]] = []
    for key, path in TRACK_SENDS.items():
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 4.0:
                raise ParamError(f"NoteEvent on {event.track!r}: {key} must be a number in [0, 4], got {value!r}")
            sends.append((path, float(value)))
    bus: dict[str, float] = {}
    for key in BUS_CONTROLS:
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 10.0:
                raise ParamError(f"NoteEvent on {event.track!r}: {key} must be a number in [0, 10], got {value!r}")
            bus[key] = float(value)
    dur = event.duration / float(sample_rate)  # livecode already applied legato
    return PreparedNote(event.time, event.track, voice_cls, params, dur, tuple(sends), bus)
