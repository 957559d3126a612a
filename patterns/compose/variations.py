"""Variations of a motif: inversion, retrograde, sequence along the scale, augmentation,
diminution, ornaments, rhythmic displacement, and call-and-response between two tracks.

Pitch moves are counted in the scale when the notes come from one (`scale(...)`, `motif`,
`walk`: the notes remember their scale), in degrees for `n` values, and in semitones for
plain notes.

>>> from patterns.controls import n
>>> m = n("0 1 2 4").scale("C:major")
>>> [e.value["note"] for e in m.inversion().onsets(0, 1)]
['C3', 'B2', 'A2', 'F2']
>>> [e.value["note"] for e in m.retrograde().onsets(0, 1)]
['G3', 'E3', 'D3', 'C3']
>>> [e.value["note"] for e in m.scaleSequence(1, 3).onsets(1, 2)]
['D3', 'E3', 'F3', 'A3']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from patterns.errors import TheoryError
from patterns.event import Event
from patterns.pattern import Pattern
from patterns.register import register
from patterns.runaway import to_count
from patterns.theory.notes import is_note, midi_to_note, to_midi
from patterns.theory.scales import get_scale, scale_note
from patterns.timespan import TimeSpan, to_time

__all__ = [
    "ORNAMENTS",
    "inversion",
    "inversionAt",
    "inversion_at",
    "retrograde",
    "retrogradeBy",
    "retrograde_by",
    "scaleSequence",
    "scale_sequence",
    "augment",
    "diminish",
    "ornament",
    "displace",
    "call_response",
]

ORNAMENTS: dict[str, tuple[tuple[int, Fraction], ...]] = {
    "grace": ((1, Fraction(1, 4)), (0, Fraction(3, 4))),
    "slide": ((-2, Fraction(1, 8)), (-1, Fraction(1, 8)), (0, Fraction(3, 4))),
    "mordent": ((0, Fraction(1, 8)), (1, Fraction(1, 8)), (0, Fraction(3, 4))),
    "lower-mordent": ((0, Fraction(1, 8)), (-1, Fraction(1, 8)), (0, Fraction(3, 4))),
    "turn": ((1, Fraction(1, 4)), (0, Fraction(1, 4)), (-1, Fraction(1, 4)), (0, Fraction(1, 4))),
    "trill": ((0, Fraction(1, 8)), (1, Fraction(1, 8))) * 4,
}
"""Each ornament: (scale steps from the note, share of the note's length), in order."""

_CHROMATIC_NEIGHBOUR = {1: 2, -1: -1, 2: 4, -2: -2}
_SHORTEST_PHRASE = Fraction(1, 64)
_LONGEST_PHRASE = Fraction(64)


# ------------------------------------------------------------------ pitch positions


def _note_field(value: Any) -> tuple[str, Any]:
    """Which field holds the pitch ("note", "n" or "" for a bare value) and its content."""
    if isinstance(value, Mapping):
        if "note" in value:
            return "note", value["note"]
        if "n" in value:
            return "n", value["n"]
        raise TheoryError(f"expected notes (note or n), got {dict(value)!r}")
    return "", value


def _with_field(value: Any, field: str, pitch: Any) -> Any:
    return {**value, field: pitch} if field else pitch


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _scale_of(pitch: Any) -> str | None:
    spec = getattr(pitch, "scale", None)
    return spec if isinstance(spec, str) else None


def _steps_moved(value: Any, steps: int, where: str) -> Any:
    """Move a pitch by scale steps (scale notes), degrees (n, bare numbers)."""
    field, pitch = _note_field(value)
    spec = _scale_of(pitch)
    if spec is not None:
        scale = get_scale(spec)
        return _with_field(value, field, scale_note(scale.degree_of(pitch) + steps, spec))
    if _is_number(pitch) and field != "note":
        return _with_field(value, field, pitch + steps)
    raise TheoryError(
        f"{where}: {pitch!r} has no scale to move along; use notes from .scale(...), motif(...) "
        "or n degrees"
    )


def _neighbour(value: Any, steps: int) -> Any:
    """A neighbour note `steps` scale steps away; plain notes move by whole tone / semitone."""
    field, pitch = _note_field(value)
    if _scale_of(pitch) is not None or (_is_number(pitch) and field != "note"):
        return _steps_moved(value, steps, "ornament")
    semitones = _CHROMATIC_NEIGHBOUR.get(steps, 2 * steps)
    if _is_number(pitch):
        return _with_field(value, field, pitch + semitones)
    if is_note(pitch):
        return _with_field(value, field, midi_to_note(round(to_midi(pitch)) + semitones))
    raise TheoryError(f"ornament: expected notes, got {value!r}")


def _mirrored(value: Any, axis: Any) -> Any:
    """Mirror a pitch around `axis`: a note name, or a number (a degree for scale notes and n,
    a MIDI number for plain notes)."""
    field, pitch = _note_field(value)
    spec = _scale_of(pitch)
    if spec is not None:
        scale = get_scale(spec)
        centre = scale.degree_of(axis) if is_note(axis) else axis
        if not _is_number(centre) or centre != int(centre):
            raise TheoryError(f"inversion: the axis must be a note name or a whole degree, got {axis!r}")
        return _with_field(value, field, scale_note(2 * int(centre) - scale.degree_of(pitch), spec))
    if _is_number(pitch) and field != "note":
        centre = axis if _is_number(axis) else None
        if centre is None:
            raise TheoryError(f"inversion: mirroring n degrees needs a degree as the axis, got {axis!r}")
        return _with_field(value, field, 2 * centre - pitch)
    if not (_is_number(pitch) or is_note(pitch)):
        raise TheoryError(f"inversion: expected notes, got {value!r}")
    if not (_is_number(axis) or is_note(axis)):
        raise TheoryError(f"inversion: the axis must be a note name or a number, got {axis!r}")
    midi = 2 * to_midi(axis) - to_midi(pitch)
    return _with_field(value, field, midi if _is_number(pitch) else midi_to_note(round(midi)))


# ------------------------------------------------------------------ inversion


def _inversion_at(axis: Any, pat: Pattern) -> Pattern:
    """Melodic inversion around an axis note: steps up become steps down.

    `axis` is a note name, or a number: a scale degree for notes from a scale and for n, a MIDI
    number for plain notes.

    >>> from patterns.controls import n, note
    >>> [e.value["note"] for e in n("0 2 4").scale("A:minor").inversionAt("c4").onsets(0, 1)]
    ['E4', 'C4', 'A3']
    >>> [e.value["note"] for e in note("c4 e4").inversionAt(62).onsets(0, 1)]
    ['E4', 'C4']
    """
    return pat.fmap(lambda value: _mirrored(value, axis))


def _first_pitch(pat: Pattern, cycle: int) -> Any:
    onsets = [e for e in pat.query(TimeSpan(Fraction(cycle), Fraction(cycle + 1)))
              if e.whole is not None and e.has_onset()]
    if not onsets:
        return None
    first = min(onsets, key=lambda e: e.whole.begin)  # type: ignore[union-attr]
    return _note_field(first.value)[1]


def _inversion(pat: Pattern) -> Pattern:
    """Melodic inversion around each cycle's first note: the same start, the other way.

    >>> from patterns.controls import n
    >>> [e.value["note"] for e in n("2 3 4").scale("C:major").inversion().onsets(0, 1)]
    ['E3', 'D3', 'C3']
    """
    query = pat.query

    def mirrored(span: TimeSpan) -> list[Event]:
        axes: dict[int, Any] = {}
        out: list[Event] = []
        for event in query(span):
            cycle = math.floor(event.whole_or_part().begin)
            if cycle not in axes:
                axes[cycle] = _first_pitch(pat, cycle)

            def mirror(value: Any, cycle: int = cycle) -> Any:
                return _mirrored(value, axes[cycle])

            out.append(event.with_value(mirror))
        return out

    return Pattern(mirrored, pat.steps)


# ------------------------------------------------------------------ retrograde


def _phrase_reversed(pat: Pattern, begin: Fraction, end: Fraction) -> list[Event]:
    """The onsets of [begin, end), their values in reverse order on the original rhythm."""
    onsets = [e for e in pat.query(TimeSpan(begin, end)) if e.whole is not None and e.has_onset()]
    times = sorted({e.whole.begin for e in onsets})  # type: ignore[union-attr]
    groups = [[e for e in onsets if e.whole.begin == t] for t in times]  # type: ignore[union-attr]
    out: list[Event] = []
    for slot, source in zip(groups, reversed(groups)):
        whole = slot[0].whole
        out.extend(Event(whole, whole, e.value, e.context) for e in source)  # type: ignore[arg-type]
    return out


def _retrograde_by(cycles: Any, pat: Pattern) -> Pattern:
    """Retrograde over phrases of `cycles` cycles: the notes reversed, the rhythm kept.

    For the strict mirror in time, rhythm too, use `rev` or `outside(n, rev)`.

    >>> from patterns import cat
    >>> from patterns.controls import note
    >>> [e.value["note"] for e in cat(note("c4 d4"), note("e4 f4 g4")).retrogradeBy(2).onsets(0, 2)]
    ['g4', 'f4', 'e4', 'd4', 'c4']
    """
    length = to_time(cycles)
    if not _SHORTEST_PHRASE <= length <= _LONGEST_PHRASE:
        raise TheoryError(f"retrogradeBy: the phrase must be 1/64 .. 64 cycles long, got {cycles!r}")

    def query(span: TimeSpan) -> list[Event]:
        first = math.floor(span.begin / length)
        last = max(first + 1, math.ceil(span.end / length))
        out: list[Event] = []
        for index in range(first, last):
            for event in _phrase_reversed(pat, length * index, length * (index + 1)):
                part = event.whole.intersection(span)  # type: ignore[union-attr]
                if part is not None:
                    out.append(Event(event.whole, part, event.value, event.context))
        return out

    return Pattern(query, pat.steps)


def _retrograde(pat: Pattern) -> Pattern:
    """Each cycle's notes in reverse order, on the original rhythm (`retrogradeBy(1)`).

    >>> from patterns.controls import note
    >>> [(str(e.whole.begin), e.value["note"]) for e in note("c4 [d4 e4]").retrograde().onsets(0, 1)]
    [('0', 'e4'), ('1/2', 'd4'), ('3/4', 'c4')]
    """
    return _retrograde_by(1, pat)


# ------------------------------------------------------------------ sequence, time


def _scale_sequence(step: Any, times: Any, pat: Pattern) -> Pattern:
    """A sequence: the motif again each cycle, `step` scale steps higher, `times` times.

    A negative step goes down; after `times` cycles the sequence starts again.

    >>> from patterns.controls import n
    >>> [e.value["note"] for e in n("0 2").scale("C:major").scaleSequence(-1, 4).onsets(0, 4)]
    ['C3', 'E3', 'B2', 'D3', 'A2', 'C3', 'G2', 'B2']
    """
    if isinstance(step, bool) or not _is_number(step) or step != int(step):
        raise TheoryError(f"scaleSequence: the step is a whole number of scale steps, got {step!r}")
    count = to_count(times, "scaleSequence")
    if count < 1:
        raise TheoryError(f"scaleSequence: times must be at least 1, got {times!r}")
    query = pat.query

    def moved(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        for piece in span.span_cycles():
            shift = int(step) * (math.floor(piece.begin) % count)
            out.extend(e.with_value(lambda v: _steps_moved(v, shift, "scaleSequence")) if shift else e
                       for e in query(piece))
        return out

    return Pattern(moved, pat.steps)


def _augment(factor: Any, pat: Pattern) -> Pattern:
    """Augmentation: every length times `factor` (`slow` by name).

    >>> from patterns.controls import note
    >>> [str(e.whole) for e in note("c4 d4").augment(2).onsets(0, 2)]
    ['0 → 1', '1 → 2']
    """
    return pat.slow(factor)


def _diminish(factor: Any, pat: Pattern) -> Pattern:
    """Diminution: every length divided by `factor` (`fast` by name).

    >>> from patterns.controls import note
    >>> [str(e.whole.begin) for e in note("c4 d4").diminish(2).onsets(0, 1)]
    ['0', '1/4', '1/2', '3/4']
    """
    return pat.fast(factor)


def _displace(amount: Any, pat: Pattern) -> Pattern:
    """Rhythmic displacement: the motif `amount` cycles later (`late` by name).

    Its accents land on other beats: `displace(1/8)` moves it an eighth note.

    >>> from patterns.controls import note
    >>> [(str(e.whole.begin), e.value["note"]) for e in note("c4 d4").displace(0.25).onsets(0, 1)]
    [('1/4', 'c4'), ('3/4', 'd4')]
    """
    return pat.late(amount)


# ------------------------------------------------------------------ ornaments


def _ornament(kind: Any, pat: Pattern) -> Pattern:
    """Ornament every note: grace, slide, mordent, lower-mordent, turn or trill.

    `grace` plays the note above first, `slide` comes up from two steps below; the ornament
    takes the start of the note. `sometimesBy(0.3, ornament("turn"))` ornaments some notes.

    >>> from patterns.controls import n
    >>> [(str(e.whole.begin), e.value["note"]) for e in n("0").scale("C:major").ornament("mordent").onsets(0, 1)]
    [('0', 'C3'), ('1/8', 'D3'), ('1/4', 'C3')]
    """
    if kind not in ORNAMENTS:
        raise TheoryError(f"ornament: unknown ornament {kind!r}; ornaments: {', '.join(ORNAMENTS)}")
    shape = ORNAMENTS[kind]

    def pieces(event: Event) -> list[Event]:
        whole = event.whole
        if whole is None:
            return [event]
        out: list[Event] = []
        begin = whole.begin
        for steps, share in shape:
            end = begin + whole.duration * share
            span = TimeSpan(begin, end)
            part = span.intersection(event.part)
            if part is not None:
                value = _neighbour(event.value, steps) if steps else event.value
                out.append(Event(span, part, value, event.context))
            begin = end
        return out

    return pat.with_events(lambda events: [p for e in events for p in pieces(e)])


# ------------------------------------------------------------------ call and response


def _in_phrases(pat: Pattern, cycles: Fraction, parity: int) -> Pattern:
    return pat.filter_events(
        lambda e: e.whole is not None and math.floor(e.whole.begin / cycles) % 2 == parity
    )


def call_response(call: Pattern, answer: Pattern | Callable[[Pattern], Pattern] | None = None,
                  cycles: Any = 1) -> tuple[Pattern, Pattern]:
    """Call and response: two patterns for two tracks, taking turns every `cycles` cycles.

    The call plays `cycles` cycles, then rests while the answer plays. `answer` is a pattern
    (its start lands on the response), a function of the call (`retrograde`,
    `scaleSequence(2, 2)` ...) or None, the call's inversion. Returns (call track, response
    track): `d1, d2 = ...` then give each its sound.

    >>> from patterns.controls import n
    >>> ask, reply = call_response(n("0 2 4").scale("C:major"))
    >>> [e.value["note"] for e in ask.onsets(0, 2)], [e.value["note"] for e in reply.onsets(0, 2)]
    (['C3', 'E3', 'G3'], ['C3', 'A2', 'F2'])
    """
    length = to_time(cycles)
    if not _SHORTEST_PHRASE <= length <= _LONGEST_PHRASE:
        raise TheoryError(f"call_response: cycles must be 1/64 .. 64, got {cycles!r}")
    if answer is None:
        reply = _inversion(call)
    elif isinstance(answer, Pattern):
        reply = answer
    elif callable(answer):
        reply = answer(call)
    else:
        raise TheoryError(f"call_response: the answer is a pattern, a function of the call or None, got {answer!r}")
    return _in_phrases(call, length, 0), _in_phrases(reply.late(length), length, 1)


inversion = register("inversion", _inversion)
inversionAt = register(["inversionAt", "inversion_at"], _inversion_at)
inversion_at = inversionAt
retrograde = register("retrograde", _retrograde)
retrogradeBy = register(["retrogradeBy", "retrograde_by"], _retrograde_by)
retrograde_by = retrogradeBy
scaleSequence = register(["scaleSequence", "scale_sequence"], _scale_sequence)
scale_sequence = scaleSequence
augment = register("augment", _augment, patternify=False)
diminish = register("diminish", _diminish, patternify=False)
displace = register("displace", _displace, patternify=False)
ornament = register("ornament", _ornament)
