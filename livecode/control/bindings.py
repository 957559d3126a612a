"""Bindings: a controller (a MIDI CC, an OSC address) drives a parameter, with soft takeover.

A `Source` says which controller (kind "cc" with input, channel and number, or kind "osc" with an
address); `Binding` joins it to a `ParamTarget` through a `Scale` (range and curve). With
`pickup` (soft takeover) a moved knob does not make the parameter jump: the binding waits until
the knob reaches the parameter's current value (or crosses it) and follows from there. The
target says what its current value is; a value set elsewhere (code) is picked up again.

`Bindings` holds them all and `learn(target)` binds the next controller moved.

>>> class Gain:
...     name = "d1.gain"
...     def __init__(self): self.now = 0.5; self.sent = []
...     def current(self): return self.now
...     def set(self, value, mono): self.now = value; self.sent.append(round(value, 2))
>>> gain = Gain(); binds = Bindings()
>>> _ = binds.bind(Source("cc", control=7), gain, Scale(0, 1), pickup=True)
>>> for raw in (0, 20, 60, 70, 127): binds.feed(Source("cc", control=7, channel=1, input="kb"), raw / 127, 0.0)
>>> gain.sent          # 0, 20, 60 are below 0.5: ignored; 70 crossed it: caught
[0.55, 1.0]
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from livecode.control.curves import Scale

__all__ = ["Source", "ParamTarget", "Binding", "Bindings", "PICKUP_WINDOW"]

PICKUP_WINDOW = 2.0 / 127.0
"""How close (in knob travel) a knob must come to the value to take it over without crossing."""


@dataclass(frozen=True, slots=True)
class Source:
    """A controller: kind "cc" (`control` number; `channel` 1..16 and `input` name, None = any)
    or kind "osc" (`address`)."""

    kind: str
    control: int = 0
    channel: int | None = None
    input: str | None = None
    address: str = ""

    def matches(self, event: Source) -> bool:
        """Does an incoming `event` (fully specified) come from this controller?

        >>> Source("cc", control=7).matches(Source("cc", control=7, channel=3, input="x"))
        True
        """
        if self.kind != event.kind:
            return False
        if self.kind == "osc":
            return self.address == event.address
        return (self.control == event.control and self.channel in (None, event.channel)
                and (self.input is None or self.input in (event.input or "")))

    def describe(self) -> str:
        """How the performer names it.

        >>> Source("cc", control=74, channel=2).describe(), Source("osc", address="/fader").describe()
        ('cc 74 ch2', 'osc /fader')
        """
        if self.kind == "osc":
            return f"osc {self.address}"
        where = f" ch{self.channel}" if self.channel is not None else ""
        return f"cc {self.control}{where}" + (f" on {self.input}" if self.input else "")


class ParamTarget(Protocol):
    """What a binding drives: a track's gain or pan, an effect parameter, the tempo, a value."""

    @property
    def name(self) -> str:
        """As the performer typed it (`d1.gain`, `bpm`, `cut`)."""
        ...

    def current(self) -> float | None:
        """The parameter's value now (None: unknown, so no takeover is needed)."""
        ...

    def set(self, value: float, mono: float) -> None:
        """Set it for `time.monotonic()` time `mono` (the controller moved then)."""
        ...


class Binding:
    """One controller driving one target (see module doc)."""

    def __init__(self, source: Source, target: ParamTarget, scale: Scale, pickup: bool = True) -> None:
        self.source = source
        self.target = target
        self.scale = scale
        self.pickup = pickup
        self.caught = not pickup
        self._last_x: float | None = None
        self._last_set: float | None = None

    def feed(self, x: float, mono: float) -> bool:
        """The controller is at position `x` (0..1): set the target unless still picking up.
        True when the target was set."""
        if self.caught:
            self.check_takeover()
        if not self.caught:
            self.caught = self._reaches(x)
            self._last_x = x
            if not self.caught:
                return False
        value = self.scale.map(x)
        self.target.set(value, mono)
        self._last_set = value
        self._last_x = x
        return True

    def _reaches(self, x: float) -> bool:
        current = self.target.current()
        if current is None:
            return True
        here = self.scale.unmap(current)
        if abs(x - here) <= PICKUP_WINDOW:
            return True
        last = self._last_x
        return last is not None and (last - here) * (x - here) <= 0

    def code(self) -> str:
        """The line that makes this binding again (what `learn` bound, to keep in a set file).

        >>> class T:
        ...     name = "d1.gain"
        >>> Binding(Source("cc", control=7, channel=1, input="kb"), T(), Scale(-60, 0)).code()
        'map_cc(7, "d1.gain", range=(-60, 0), curve="lin", channel=1, input="kb")'
        """
        scale = f"range=({_number(self.scale.lo)}, {_number(self.scale.hi)}), curve={_text(self.scale.curve)}"
        if self.source.kind == "osc":
            takeover = ", pickup=True" if self.pickup else ""          # map_osc's default: False
            return f"map_osc({_text(self.source.address)}, {_text(self.target.name)}, {scale}{takeover})"
        where = (f", channel={self.source.channel}" if self.source.channel is not None else "") + (
            f", input={_text(self.source.input)}" if self.source.input else "")
        pickup = "" if self.pickup else ", pickup=False"
        return f"map_cc({self.source.control}, {_text(self.target.name)}, {scale}{where}{pickup})"

    def check_takeover(self) -> None:
        """The target may have been set elsewhere (code): pick it up again if it moved."""
        current = self.target.current()
        if self.pickup and current is not None and self._last_set is not None and abs(current - self._last_set) > 1e-9:
            self.caught = False
            self._last_set = None
            self._last_x = None


def _number(value: float) -> str:
    """A range end as code: short (`:g`) when that reads back as the same number, else exact.

    >>> _number(-60.0), _number(200), _number(0.1234567891)
    ('-60', '200', '0.1234567891')
    """
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


def _text(value: str) -> str:
    """A name as a double-quoted string literal (quotes and backslashes escaped).

    >>> print(_text('d1.gain'), _text('my "kb"'))
    "d1.gain" "my \\"kb\\""
    """
    return json.dumps(value, ensure_ascii=False)


class Bindings:
    """Every binding of a session, and learning (thread-safe)."""

    def __init__(self) -> None:
        self._bindings: list[Binding] = []
        self._learning: Callable[[Source], Binding] | None = None
        self._lock = threading.Lock()
        self.on_learned: Callable[[Binding], None] = lambda binding: None

    def bind(self, source: Source, target: ParamTarget, scale: Scale, pickup: bool = True) -> Binding:
        """Add a binding (replacing one from the same controller to the same target)."""
        binding = Binding(source, target, scale, pickup)
        with self._lock:
            self._bindings = [b for b in self._bindings
                              if not (b.source == source and b.target.name == target.name)] + [binding]
        return binding

    def unbind(self, target_name: str | None = None) -> int:
        """Remove the bindings to `target_name` (None: all); how many went."""
        with self._lock:
            before = len(self._bindings)
            self._bindings = [b for b in self._bindings if target_name is not None and b.target.name != target_name]
            return before - len(self._bindings)

    def all(self) -> list[Binding]:
        """The bindings, oldest first."""
        with self._lock:
            return list(self._bindings)

    def learn(self, make: Callable[[Source], Binding]) -> None:
        """The next controller event calls `make(source)` (which binds) instead of being fed."""
        with self._lock:
            self._learning = make

    @property
    def learning(self) -> bool:
        """True while waiting for a controller to learn."""
        return self._learning is not None

    def feed(self, event: Source, x: float, mono: float) -> None:
        """A controller event (position 0..1): learn it, or drive every matching binding."""
        with self._lock:
            make, self._learning = self._learning, None
            matching = [b for b in self._bindings if b.source.matches(event)] if make is None else []
        if make is not None:
            binding = make(event)
            self.on_learned(binding)
            binding.feed(x, mono)
            return
        for binding in matching:
            binding.feed(x, mono)
