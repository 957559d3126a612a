"""Transitions by name: risers, downlifters, impacts, reverse cymbals, roll build-ups, filter
builds and tape stops as patterns, and the song-form transforms `fill`, `dropBar` and `build`.

`transition(name, bars=4, every=None)` returns a pattern. Most play a sound, so a track plays
them (`d9 >> transition("riser", bars=4)`); two are automation for an effect parameter
(`d6.fx("hpf", cutoff=transition("filter", bars=4))`, `d6.fx("tapestop",
stop=transition("tapestop", every=8))`). Each repeats every `every` bars (default: `bars`),
placed where a producer puts it in that period: a build-up (riser, sweep, reverse cymbal, roll,
filter, tape stop) fills the *last* `bars` bars and ends on the boundary, a release (impact,
downlifter) starts *on* the boundary. A section of the song form can name such a pattern
for one of its tracks; live, the pattern lines up with the bar count (a 4-bar riser ends on bar
4, 8, 12, ...).

>>> [(str(e.whole), e.value) for e in transition("riser", bars=2, every=4).onsets(0, 8)]
[('2 → 4', {'s': 'riser'}), ('6 → 8', {'s': 'riser'})]
>>> [(str(e.whole.begin), e.value["s"]) for e in transition("impact", every=8).onsets(0, 9)]
[('0', 'impact'), ('8', 'impact')]
>>> [e.value["velocity"] for e in transition("snare roll", bars=1).onsets(0, 1)][:3]
[0.3, 0.39, 0.48]
>>> round(float(transition("filter", bars=4).query_arc(3.5, 3.5)[0].value))
1125
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from patterns.controls import control_spec
from patterns.errors import ControlError, TransitionError
from patterns.event import Event
from patterns.pattern import Pattern
from patterns.random import time_to_rand
from patterns.register import register
from patterns.signals import signal
from patterns.timespan import TimeSpan

__all__ = [
    "FILL_FIGURES",
    "ROLL_RATES",
    "TRANSITIONS",
    "Transition",
    "build",
    "dropBar",
    "drop_bar",
    "fill",
    "roll_hits",
    "transition",
    "transition_names",
]

MAX_BARS = 64
"""The longest transition or period (bars) a call accepts."""

ROLL_RATES = (8, 16, 32)
"""A roll's subdivisions per bar, slowest first: each takes half of what is left of the roll,
the last two share the end equally (8ths for half, 16ths for a quarter, 32nds for the last)."""

ROLL_LOW = 0.3
"""A roll's first velocity; it ramps linearly to 1.0 at its last hit."""

FILTER_FROM = 20.0
"""Where a filter build starts (Hz): a high-pass at 20 Hz lets everything through."""
FILTER_TO = 2000.0
"""Where a filter build ends by default (Hz): bass and kick gone, the track thin and bright."""


def _number(name: str, field: str, value: object, low: float, high: float) -> Fraction:
    """`value` as a Fraction in (low, high], or a TransitionError naming `field`."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        raise TransitionError(f"transition({name!r}): {field} must be a number of bars, got {value!r}")
    if not math.isfinite(float(value)) or not low < float(value) <= high:
        raise TransitionError(f"transition({name!r}): {field} must be more than {low:g} and at most {high:g}, got {value!r}")
    return Fraction(value).limit_denominator(64) if isinstance(value, float) else Fraction(value)


def _periodic(every: Fraction, events: Sequence[tuple[Fraction, Fraction, Any]]) -> Pattern:
    """A pattern repeating `events` ((begin, end, value) within one period) every `every` cycles."""
    ordered = sorted(events, key=lambda item: item[0])

    def query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        first = math.floor(span.begin / every)
        last = math.ceil(span.end / every)
        for period in range(first, last + 1):
            origin = period * every
            for begin, end, value in ordered:
                whole = TimeSpan(origin + begin, origin + end)
                part = whole.intersection(span)
                if part is None or (part.begin == part.end and not (span.begin == span.end == part.begin)):
                    continue
                out.append(Event(whole, part, dict(value)))
        return out

    return Pattern(query)


def roll_hits(bars: Fraction, rates: Sequence[int] = ROLL_RATES) -> list[tuple[Fraction, Fraction]]:
    """The (onset, length) of every hit of an accelerating roll `bars` long, from 0.

    >>> [(str(t), str(d)) for t, d in roll_hits(Fraction(1, 2), (8, 16))]
    [('0', '1/8'), ('1/8', '1/8'), ('1/4', '1/16'), ('5/16', '1/16'), ('3/8', '1/16'), ('7/16', '1/16')]
    """
    hits: list[tuple[Fraction, Fraction]] = []
    start = Fraction(0)
    for index, rate in enumerate(rates):
        length = bars - start if index == len(rates) - 1 else (bars - start) / 2
        step = Fraction(1, rate)
        time = start
        while time + step <= start + length + Fraction(1, 10**6):
            hits.append((time, step))
            time += step
        start += length
    return hits


@dataclass(frozen=True, slots=True)
class Transition:
    """A named transition: what it is (`sound` or `automation`), where it sits in its period
    (`end`: the last bars, `start`: from the boundary), a one-line doc, and its builder
    `make(bars, every, options) -> Pattern`.

    >>> TRANSITIONS["riser"].place, TRANSITIONS["filter"].kind
    ('end', 'automation')
    """

    name: str
    kind: str
    place: str
    doc: str
    aliases: tuple[str, ...]
    make: Callable[[Fraction, Fraction, Mapping[str, Any]], Pattern]


def _window(bars: Fraction, every: Fraction, place: str) -> tuple[Fraction, Fraction]:
    """(begin, end) of the transition inside its period."""
    return (every - bars, every) if place == "end" else (Fraction(0), bars)


def _controls(name: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """`options` as controls under their canonical names (`lpf` -> `cutoff`); an unknown name is
    a TransitionError naming the transition.

    >>> _controls("riser", {"lpf": 9000, "gain": 0.8})
    {'cutoff': 9000, 'gain': 0.8}
    """
    out: dict[str, Any] = {}
    for key, value in options.items():
        try:
            out[control_spec(key).name] = value
        except ControlError as err:
            raise TransitionError(f"transition({name!r}): {err}") from err
    return out


def _sound(instrument: str, place: str) -> Callable[[Fraction, Fraction, Mapping[str, Any]], Pattern]:
    """A builder of one `s=instrument` event per period, `bars` long, with the options as controls."""

    def make(bars: Fraction, every: Fraction, options: Mapping[str, Any]) -> Pattern:
        begin, end = _window(bars, every, place)
        return _periodic(every, [(begin, end, {"s": instrument, **_controls(instrument, options)})])

    return make


def _roll(drum: str, name: str) -> Callable[[Fraction, Fraction, Mapping[str, Any]], Pattern]:
    """A builder of an accelerating roll on `drum` over the last `bars` bars, velocity 0.3 -> 1."""

    def make(bars: Fraction, every: Fraction, options: Mapping[str, Any]) -> Pattern:
        extra = dict(options)
        rates = extra.pop("rates", ROLL_RATES)
        if not isinstance(rates, (list, tuple)) or not rates or not all(
                isinstance(r, int) and not isinstance(r, bool) and 1 <= r <= 128 for r in rates):
            raise TransitionError(f"transition({name!r}): rates must be subdivisions per bar like (8, 16, 32), got {rates!r}")
        low = extra.pop("low", ROLL_LOW)
        if isinstance(low, bool) or not isinstance(low, (int, float)) or not 0.0 <= low <= 1.0:
            raise TransitionError(f"transition({name!r}): low (the first velocity) must be 0 .. 1, got {low!r}")
        extra = _controls(name, extra)
        hits = roll_hits(bars, rates)
        begin = every - bars
        span = float(hits[-1][0]) if len(hits) > 1 else 1.0
        events = [(begin + t, begin + t + d, {"s": drum, **extra,
                                             "velocity": round(low + (1.0 - low) * float(t) / span, 2)})
                  for t, d in hits]
        return _periodic(every, events)

    return make


def _filter(bars: Fraction, every: Fraction, options: Mapping[str, Any]) -> Pattern:
    """An exponential ramp (Hz) from `start` to `to` over the last `bars` of every `every`."""
    low = float(options.get("start", FILTER_FROM))
    high = float(options.get("to", FILTER_TO))
    if not 20.0 <= low <= 20000.0 or not 20.0 <= high <= 20000.0:
        raise TransitionError(f"transition('filter'): start and to must be 20 .. 20000 Hz, got {low:g} and {high:g}")
    begin = every - bars

    def value(t: Fraction) -> float:
        pos = (t % every) - begin
        if pos < 0:
            return low
        return low * (high / low) ** (float(pos) / float(bars))

    return signal(value)


def _tapestop(bars: Fraction, every: Fraction, options: Mapping[str, Any]) -> Pattern:
    """The `tapestop` effect's `stop` gate: its length in beats during the stop, else 0."""
    beats = options.get("beats", 2)
    if isinstance(beats, bool) or not isinstance(beats, (int, float)) or not 0 < beats <= 16:
        raise TransitionError(f"transition('tapestop'): beats must be 0 .. 16 (beats of the bar to stop over), got {beats!r}")
    begin = every - Fraction(beats).limit_denominator(64) / 4
    if begin < 0:
        raise TransitionError(f"transition('tapestop'): beats ({beats}) must fit in the period of {every} bars")

    def value(t: Fraction) -> float:
        return float(beats) if (t % every) >= begin else 0.0

    return signal(value)


TRANSITIONS: Mapping[str, Transition] = MappingProxyType({t.name: t for t in (
    Transition("riser", "sound", "end", "white noise swept up through a band-pass, swelling to the boundary (instrument `riser`)",
               ("noise riser", "noise sweep", "uplifter"), _sound("riser", "end")),
    Transition("sweep", "sound", "end", "a synth riser: detuned band-limited saws gliding up `rise` semitones (instrument `sweep`)",
               ("synth riser", "synth sweep", "pitch riser"), _sound("sweep", "end")),
    Transition("downlifter", "sound", "start", "noise and a sine falling from the boundary, fading out (instrument `downlifter`)",
               ("down", "fall", "downsweep"), _sound("downlifter", "start")),
    Transition("impact", "sound", "start", "a boom on the downbeat: a falling sine thump and a noise burst (instrument `impact`)",
               ("boom", "hit", "sub drop"), _sound("impact", "start")),
    Transition("reverse cymbal", "sound", "end", "a cymbal played backwards, swelling into the boundary (instrument `revcymbal`)",
               ("revcymbal", "reverse crash", "swell"), _sound("revcymbal", "end")),
    Transition("snare roll", "sound", "end", "a snare roll accelerating 8ths -> 16ths -> 32nds with a velocity ramp",
               ("snareroll", "roll", "snare build"), _roll("sd", "snare roll")),
    Transition("hat roll", "sound", "end", "a hi-hat roll accelerating 8ths -> 16ths -> 32nds with a velocity ramp",
               ("hatroll", "hh roll", "hat build"), _roll("hh", "hat roll")),
    Transition("filter", "automation", "end", "a high-pass build: Hz rising 20 -> 2000 (`to`) for an `hpf` effect's cutoff",
               ("filter build", "hpf build", "highpass build"), _filter),
    Transition("tapestop", "automation", "end", "the gate of the `tapestop` effect: the last `beats` beats of the period",
               ("tape stop", "tape"), _tapestop),
)})
"""Every named transition (see `transition`)."""

_ALIASES: Mapping[str, str] = MappingProxyType(
    {alias: t.name for t in TRANSITIONS.values() for alias in (t.name, *t.aliases)})


def transition_names() -> list[str]:
    """The transitions' names, in the table's order.

    >>> transition_names()[:3]
    ['riser', 'sweep', 'downlifter']
    """
    return list(TRANSITIONS)


def _lookup(name: object) -> Transition:
    if not isinstance(name, str):
        raise TransitionError(f"transition(name): name must be a string like 'riser', got {name!r}")
    key = " ".join(name.lower().replace("-", " ").replace("_", " ").split())
    found = _ALIASES.get(key) or _ALIASES.get(key.replace(" ", ""))
    if found is None:
        close = difflib.get_close_matches(key, list(_ALIASES), n=3, cutoff=0.6)
        hint = f"did you mean: {', '.join(close)}?" if close else f"known: {', '.join(TRANSITIONS)}"
        raise TransitionError(f"transition({name!r}): unknown transition ({hint})")
    return TRANSITIONS[found]


def transition(name: str, bars: float = 4, every: float | None = None, **options: Any) -> Pattern:
    """The named transition as a pattern, `bars` long, once every `every` bars (default `bars`).

    Options become controls of a sound transition (`gain=0.8`, `note="a3"`, `rise=24`,
    `room=0.3`); a roll takes `rates=(8, 16, 32)` and `low=0.3` (first velocity); `filter` takes
    `start` and `to` (Hz); `tapestop` takes `beats` (its length, default 2; `bars` or `every` is
    then the period: `transition("tapestop", every=8)` stops over the last 2 beats of every 8 bars).

    >>> [str(e.whole) for e in transition("reverse cymbal", bars=1, every=8).onsets(0, 8)]
    ['7 → 8']
    >>> transition("risr")
    Traceback (most recent call last):
    ...
    patterns.errors.TransitionError: transition('risr'): unknown transition (did you mean: riser?)
    >>> transition("riser", bars=8, every=4)
    Traceback (most recent call last):
    ...
    patterns.errors.TransitionError: transition('riser'): every (4) must be at least bars (8)
    """
    spec = _lookup(name)
    length = _number(spec.name, "bars", bars, 0, MAX_BARS)
    period = length if every is None else _number(spec.name, "every", every, 0, MAX_BARS)
    if spec.name == "tapestop":      # its length is `beats`; `bars` (or `every`) is the period
        return spec.make(length, period, options)
    if period < length:
        raise TransitionError(f"transition({spec.name!r}): every ({every}) must be at least bars ({bars})")
    return spec.make(length, period, options)


def _bars_arg(function: str, field: str, value: object, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_BARS:
        raise TransitionError(f"{function}: {field} must be a whole number of bars {low} .. {MAX_BARS}, got {value!r}")
    return value


def _in_last(t: Fraction, every: int, bars: Fraction) -> bool:
    """Whether cycle time `t` lies in the last `bars` bars of its `every`-bar period."""
    return (t % every) >= every - bars


FILL_FIGURES: tuple[tuple[tuple[str, int, int], ...], ...] = (
    (("sd", 12, 16), ("sd", 13, 16), ("sd", 14, 16), ("sd", 15, 16)),
    (("sd", 8, 16), ("sd", 10, 16), ("sd", 12, 16), ("sd", 13, 16), ("sd", 14, 16), ("sd", 15, 16)),
    (("ht", 8, 16), ("ht", 9, 16), ("mt", 10, 16), ("mt", 11, 16), ("lt", 12, 16), ("lt", 13, 16),
     ("sd", 14, 16), ("sd", 15, 16)),
    (("sd", 9, 12), ("sd", 10, 12), ("sd", 11, 12)),
    (("bd", 8, 16), ("sd", 10, 16), ("bd", 11, 16), ("sd", 12, 16), ("sd", 13, 16), ("sd", 14, 16),
     ("sd", 15, 16)),
    (("sd", 12, 16), ("sd", 13, 16), *((("sd", k, 32)) for k in range(28, 32))),
    (("ht", 12, 16), ("mt", 13, 16), ("lt", 14, 16), ("lt", 15, 16)),
    (("sd", 6, 8), ("sd", 13, 16), ("ht", 14, 16), ("lt", 15, 16)),
)
"""The fill figures `fill` picks from: (drum, step, steps per bar); each starts where the bar's
own groove stops (its first step)."""


def _fill_events(cycle: int, figure: Sequence[tuple[str, int, int]], extra: Mapping[str, Any]) -> list[Event]:
    """The events of `figure` in bar `cycle`, velocity ramping 0.6 -> 1."""
    out = []
    count = max(len(figure) - 1, 1)
    for index, (drum, step, steps) in enumerate(figure):
        begin = cycle + Fraction(step, steps)
        whole = TimeSpan(begin, begin + Fraction(1, steps))
        out.append(Event(whole, whole, {"s": drum, **extra, "velocity": round(0.6 + 0.4 * index / count, 2)}))
    return out


def _fill(every: int, pat: Pattern) -> Pattern:
    """Every `every` bars, the last bar's groove stops where a fill starts (beat 3 or 4) and a
    drum fill plays to the bar's end; the figure is chosen at random per bar (`.seed(n)` picks
    other fills; the same bar always gets the same one). Other bars are untouched.

    >>> from patterns.controls import s
    >>> [e.value["s"] for e in s("[bd hh sd hh]*2").fill(2).onsets(1, 2)]
    ['bd', 'hh', 'sd', 'hh', 'bd', 'sd', 'bd', 'sd', 'sd', 'sd', 'sd']
    >>> s("[bd hh sd hh]*2").fill(2).onsets(0, 1) == s("[bd hh sd hh]*2").onsets(0, 1)
    True
    """
    period = _bars_arg("fill(every)", "every", every)
    query = pat.query

    def filled(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for piece in span.span_cycles():
            cycle = math.floor(piece.begin)
            if (cycle + 1) % period:
                out.extend(query(piece))
                continue
            figure = FILL_FIGURES[int(time_to_rand(Fraction(cycle)) * len(FILL_FIGURES)) % len(FILL_FIGURES)]
            cut = cycle + Fraction(figure[0][1], figure[0][2])
            bar = query(TimeSpan(Fraction(cycle), Fraction(cycle + 1)))
            extra = {key: value for key in ("bank",) for e in bar[:1] if isinstance(e.value, dict)
                     for value in [e.value.get(key)] if value is not None}
            for event in query(piece):
                start = event.whole.begin if event.whole is not None else event.part.begin
                if start < cut:
                    out.append(event)
            for event in _fill_events(cycle, figure, extra):
                part = event.whole.intersection(piece) if event.whole is not None else None
                if part is not None and part.begin < part.end:
                    out.append(Event(event.whole, part, event.value))
        return out

    return Pattern(filled, pat.steps)


def _drop_bar(every: int, pat: Pattern) -> Pattern:
    """The last bar of every `every` bars is silent (the one-bar drop before a chorus); put it on
    every track but the vocal for "only the vocal".

    >>> from patterns.controls import s
    >>> [len(s("bd*4").dropBar(4).onsets(c, c + 1)) for c in range(5)]
    [4, 4, 4, 0, 4]
    """
    period = _bars_arg("dropBar(every)", "every", every)
    query = pat.query

    def dropped(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for piece in span.span_cycles():
            cycle = math.floor(piece.begin)
            if (cycle + 1) % period:
                out.extend(e for e in query(piece))
        return [e for e in out if e.whole is None or not _in_last(e.whole.begin, period, Fraction(1))]

    return Pattern(dropped, pat.steps)


def _build(bars: int, every: int, pat: Pattern) -> Pattern:
    """A high-pass build on a track: over the last `bars` of every `every` bars each note's
    `hcutoff` rises exponentially from 20 Hz to 2 kHz (the notes thin out into the drop).
    For held notes use the `hpf` effect with `transition("filter", ...)` instead (a sweep
    inside the note).

    >>> from patterns.controls import note
    >>> [round(e.value.get("hcutoff", 0)) for e in note("c3*2").build(1, 2).onsets(0, 2)]
    [0, 0, 20, 200]
    """
    length = _bars_arg("build(bars, every)", "bars", bars)
    period = _bars_arg("build(bars, every)", "every", every)
    if period < length:
        raise TransitionError(f"build(bars, every): every ({every}) must be at least bars ({bars})")
    begin = period - length

    def lift(event: Event) -> Event:
        if event.whole is None or not isinstance(event.value, dict):
            return event
        pos = (event.whole.begin % period) - begin
        if pos < 0:
            return event
        hz = FILTER_FROM * (FILTER_TO / FILTER_FROM) ** (float(pos) / length)
        return Event(event.whole, event.part, {**event.value, "hcutoff": round(hz, 2)}, event.context)

    query = pat.query
    return Pattern(lambda span: [lift(e) for e in query(span)], pat.steps)


fill = register("fill", _fill, patternify=False)
dropBar = register(["dropBar", "drop_bar"], _drop_bar, patternify=False)
drop_bar = dropBar
build = register("build", _build, patternify=False)
