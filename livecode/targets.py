"""Turning pattern event values into what the outputs take: engine params and MIDI notes.

A control pattern's value is a dict (`{"s": "bd", "n": 3, "gain": 0.8}`); a bare number is a
`note`, a bare string an `s` (`"bd:3"` means `s="bd", n=3`). Note names become MIDI numbers
(C4 = 60; a bare name is octave 3, as in Strudel).

>>> event_params({"s": "bd:3", "gain": 0.8})
{'s': 'bd', 'gain': 0.8, 'n': 3}
>>> event_params(60), event_params("sd")
({'note': 60}, {'s': 'sd'})
>>> midi_note({"note": "a4", "velocity": 0.5})
(69, 64)
"""

from __future__ import annotations

import math
import re
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from livecode.errors import TargetError

__all__ = [
    "Target",
    "event_params",
    "note_name_to_midi",
    "midi_note",
    "hold_seconds",
    "event_route",
    "ENGINE_ONLY_KEYS",
    "Outputs",
    "LockedEngine",
]

# Controls livecode consumes itself; they are not sent to the engine as voice params.
ENGINE_ONLY_KEYS = frozenset({"legato", "midiport", "midichan", "midiengine"})

_NOTE_RE = re.compile(r"^([a-gA-G])([#sbf]*)(-?\d+)?$")
_STEPS = {"c": 0, "d": 2, "e": 4, "f": 5, "g": 7, "a": 9, "b": 11}


@dataclass(slots=True)
class Target:
    """Where a track's events go: the engine, a MIDI port and channel, or both.

    >>> Target().describe(), Target(engine=False, midi_port="IAC", midi_channel=2).describe()
    ('engine', 'midi IAC ch2')
    """

    engine: bool = True
    midi_port: str | None = None
    midi_channel: int = 1

    def describe(self) -> str:
        """A short human description."""
        parts = ["engine"] if self.engine else []
        if self.midi_port is not None:
            parts.append(f"midi {self.midi_port} ch{self.midi_channel}")
        return " + ".join(parts) or "nowhere"


def note_name_to_midi(name: str) -> float:
    """MIDI number of a note name: `c4` = 60, `eb3` = 51, `a#2` = 46, bare `c` = 48.

    >>> note_name_to_midi("c4"), note_name_to_midi("eb3"), note_name_to_midi("c")
    (60, 51, 48)
    """
    match = _NOTE_RE.match(name.strip())
    if match is None:
        raise TargetError(f"note: {name!r} is not a note name (expected e.g. c4, eb3, a#2)")
    letter, accidentals, octave = match.groups()
    value = _STEPS[letter.lower()]
    for acc in accidentals:
        value += 1 if acc in "#s" else -1
    return value + 12 * ((int(octave) if octave is not None else 3) + 1)


def _split_colon(params: dict[str, object]) -> None:
    sound = params.get("s")
    if isinstance(sound, str) and ":" in sound:
        name, _, index = sound.partition(":")
        params["s"] = name
        if index.lstrip("-").isdigit() and "n" not in params:
            params["n"] = int(index)


def event_params(value: object) -> dict[str, object]:
    """A fresh control dict for an event value (dict, number, string or (s, n) pair).

    >>> event_params(("bd", 2))
    {'s': 'bd', 'n': 2}
    >>> event_params({"note": "c4"})
    {'note': 60}
    """
    if isinstance(value, Mapping):
        params = dict(value)
    elif isinstance(value, bool):
        params = {"note": int(value)}
    elif isinstance(value, (int, float)):
        params = {"note": value}
    elif isinstance(value, str):
        params = {"s": value}
    elif isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[0], str):
        params = {"s": value[0], "n": value[1]}
    else:
        params = {"value": value}
    _split_colon(params)
    note = params.get("note")
    if isinstance(note, str):
        params["note"] = note_name_to_midi(note)
    return params


def event_route(params: Mapping[str, object], default: Target) -> Target:
    """The target of one event: a `midiport` control (from `pattern.midi(...)`) overrides the track's.

    >>> event_route({"midiport": "IAC", "midichan": 3}, Target()).describe()
    'midi IAC ch3'
    """
    port = params.get("midiport")
    if not isinstance(port, str):
        return default
    channel = params.get("midichan", params.get("channel", 1))
    chan = int(channel) if isinstance(channel, (int, float)) and not isinstance(channel, bool) else 1
    if not 1 <= chan <= 16:
        raise TargetError(f"midi: channel must be 1..16, got {channel!r}")
    return Target(engine=bool(params.get("midiengine", False)), midi_port=port, midi_channel=chan)


def hold_seconds(params: Mapping[str, object], event_seconds: float) -> float:
    """How long a note is held: the event's length times `legato` (default 1).

    >>> hold_seconds({"legato": 0.5}, 2.0)
    1.0
    """
    legato = params.get("legato", 1.0)
    factor = float(legato) if isinstance(legato, (int, float)) and not isinstance(legato, bool) else 1.0
    return max(0.0, event_seconds * factor)


def midi_note(params: Mapping[str, object]) -> tuple[int, int]:
    """(note number, velocity 1..127) for a MIDI output; note from `note`, else `n` (default 60).

    Velocity is `velocity` (0..1, default 0.8) times `gain` (default 1).

    >>> midi_note({"n": 62, "gain": 0.5})
    (62, 51)
    """
    raw = params.get("note", params.get("n", 60))
    if isinstance(raw, str):
        raw = note_name_to_midi(raw)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise TargetError(f"midi: note must be a number or note name, got {raw!r}")
    number = int(round(raw))
    if not 0 <= number <= 127:
        raise TargetError(f"midi: note {number} is out of range 0..127")
    velocity = _number(params.get("velocity", 0.8)) * _number(params.get("gain", 1.0))
    return number, max(1, min(127, int(round(velocity * 127))))


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 1.0
    return float(value)


MidiOpener = Callable[[str], object]


class LockedEngine:
    """Serialises every call to an engine: an `EngineProcess` talks over one pipe, and the
    scheduler thread and the REPL thread both use it.

    >>> class Fake:
    ...     sample_rate = 48000
    ...     def now(self): return 42
    >>> LockedEngine(Fake()).now(), LockedEngine(Fake()).sample_rate
    (42, 48000)
    """

    def __init__(self, engine: object) -> None:
        self.inner = engine
        self._lock = threading.RLock()

    def __getattr__(self, name: str) -> object:
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr
        lock = self._lock

        def locked(*args: object, **kwargs: object) -> object:
            with lock:
                return attr(*args, **kwargs)

        locked.__name__ = name
        return locked


def _default_midi_opener(name: str) -> object:
    from livecode.midi import open_output

    return open_output(name)


class Outputs:
    """The session's output sink: the audio engine (or none) and MIDI ports opened by name.

    Errors from an output are reported once as messages (drained by the REPL), never raised into
    the scheduler. A lost engine is remembered (`engine_error`) until `reconnect`.

    >>> out = Outputs(engine=None)
    >>> out.report("d1: oops"); out.drain()
    ['d1: oops']
    """

    def __init__(self, engine: object | None = None, midi_opener: MidiOpener | None = None) -> None:
        self.engine = engine
        self.engine_error: str | None = None
        self.opener = midi_opener or _default_midi_opener
        self.ports: dict[str, object] = {}
        self._failed_ports: set[str] = set()
        self._event_errors: set[str] = set()
        self._messages: deque[str] = deque(maxlen=500)
        self._lock = threading.Lock()

    # -- messages ------------------------------------------------------------------------------
    def report(self, message: str) -> None:
        """Queue a one-line message for the performer."""
        with self._lock:
            self._messages.append(message)

    def drain(self) -> list[str]:
        """Take every queued message."""
        with self._lock:
            items = list(self._messages)
            self._messages.clear()
        return items

    # -- engine --------------------------------------------------------------------------------
    def engine_failed(self, err: Exception) -> None:
        """Remember that the engine is lost and say so once."""
        if self.engine_error is None:
            self.engine_error = f"audio engine: {' '.join(str(err).split())}"
            self.report(self.engine_error + " (session state kept; reconnect_audio() to retry)")

    def send_notes(self, events: list[object]) -> None:
        """Hand note events to the engine."""
        if self.engine is None or self.engine_error is not None:
            return
        try:
            self.engine.schedule_many(events)  # type: ignore[attr-defined]
        except Exception as err:  # noqa: BLE001 - a dead engine is reported, never raised here
            if not _is_event_error(err):
                self.engine_failed(err)
                return
            self._schedule_each(events)

    def _schedule_each(self, events: list[object]) -> None:
        """Schedule one by one so that one bad event (unknown instrument...) loses only itself."""
        for event in events:
            try:
                self.engine.schedule(event)  # type: ignore[union-attr]
            except Exception as err:  # noqa: BLE001
                if not _is_event_error(err):
                    self.engine_failed(err)
                    return
                message = f"{getattr(event, 'track', '?')}: {' '.join(str(err).split())}"
                if message not in self._event_errors:
                    self._event_errors.add(message)
                    self.report(message)

    def send_param(self, track: str, path: str, value: float, frame: int | None) -> None:
        """A (timed) engine parameter change."""
        if self.engine is None or self.engine_error is not None:
            return
        try:
            self.engine.set_param(track, path, value, time=frame)  # type: ignore[attr-defined]
        except Exception as err:  # noqa: BLE001
            if _is_engine_lost(err):
                self.engine_failed(err)
            else:
                self.report(f"{track}.{path}: {' '.join(str(err).split())}")

    def call_engine(self, what: str, *args: object, **kwargs: object) -> object | None:
        """Call an engine method by name; errors are reported and None returned."""
        if self.engine is None or self.engine_error is not None:
            return None
        try:
            return getattr(self.engine, what)(*args, **kwargs)
        except Exception as err:  # noqa: BLE001
            if _is_engine_lost(err):
                self.engine_failed(err)
            else:
                self.report(f"engine.{what}: {' '.join(str(err).split())}")
            return None

    # -- MIDI ----------------------------------------------------------------------------------
    def port(self, name: str) -> object | None:
        """The MIDI output `name`, opened on first use (None if it cannot be opened)."""
        port = self.ports.get(name)
        if port is None and name not in self._failed_ports:
            try:
                port = self.opener(name)
            except Exception as err:  # noqa: BLE001
                self._failed_ports.add(name)
                self.report(f"midi {name!r}: {' '.join(str(err).split())}")
                return None
            self.ports[name] = port
        return port

    def send_midi(self, target: Target, note: int, velocity: int, start: float, duration: float) -> None:
        """A MIDI note on `target`'s port and channel."""
        port = self.port(target.midi_port) if target.midi_port is not None else None
        if port is None:
            return
        try:
            port.note(target.midi_channel, note, velocity, start, duration)  # type: ignore[attr-defined]
        except Exception as err:  # noqa: BLE001
            self.report(f"midi {target.midi_port!r}: {' '.join(str(err).split())}")

    def midi_panic(self) -> None:
        """Note-offs and CC 123 on every open port."""
        for name, port in list(self.ports.items()):
            try:
                port.panic()  # type: ignore[attr-defined]
            except Exception as err:  # noqa: BLE001
                self.report(f"midi {name!r}: panic failed: {err}")

    def close_midi(self) -> None:
        """Close every port (each panics first)."""
        for name, port in list(self.ports.items()):
            try:
                port.close()  # type: ignore[attr-defined]
            except Exception as err:  # noqa: BLE001
                self.report(f"midi {name!r}: close failed: {err}")
        self.ports.clear()


def _is_event_error(err: Exception) -> bool:
    """A bad event (ParamError, UnknownInstrumentError) as opposed to a dead engine."""
    from synths.errors import EngineError, SynthError

    return isinstance(err, SynthError) and not isinstance(err, EngineError)


def _is_engine_lost(err: Exception) -> bool:
    """The engine (process) is gone: EngineError, a broken pipe, EOF."""
    from synths.errors import EngineError

    return isinstance(err, (EngineError, BrokenPipeError, EOFError, ConnectionError))
