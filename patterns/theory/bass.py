"""A bass that follows the chords: ``progression("royal road", "A:minor").bass()``.

`bass()` plays each chord's bass note (the slash bass of ``C/E``, else the root) placed in a
one-octave window, E1 up to Eb2 by default (`bassFrom("E2")` moves it up an octave), so the
line stays in one low octave and a chord always gets the same note. Rhythm, octave jumps and
glides are chained on: `struct("x*8")` plays it in eighths, `octaveJumps("[0 1]*4")`
alternates root and octave, and `slideOnChange(0.08)` glides into every note that differs
from the one before (303 / 808 slide).

>>> from patterns import progression
>>> [e.value["note"] for e in progression("royal road", "A:minor").bass().onsets(0, 4)]
['F1', 'G1', 'E1', 'A1']
>>> [e.value["note"] for e in progression("pop", "C").bass().struct("x x").octaveJumps("0 1").onsets(0, 1)]
['C2', 'C3']
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from patterns.errors import TheoryError
from patterns.event import Event
from patterns.pattern import Pattern
from patterns.register import register
from patterns.theory.chords import parse_chord
from patterns.theory.notes import Pitch, to_midi
from patterns.theory.ops import transpose
from patterns.timespan import TimeSpan

__all__ = [
    "BASS_LOW",
    "bass_note",
    "bass",
    "bassFrom",
    "bass_from",
    "octaveJumps",
    "octave_jumps",
    "slideOnChange",
    "slide_on_change",
]

BASS_LOW = "E1"
"""The lowest note of `bass()`'s window; the window is the octave from it (E1 .. Eb2)."""

_CHORD_KEYS = ("chord", "anchor", "mode", "offset", "n", "dictionary")
_LOOKBACK = Fraction(1)


def _low_midi(low: Any) -> int:
    try:
        midi = to_midi(low, 2)
    except TheoryError:
        raise TheoryError(f"bassFrom: expected the window's lowest note, like 'E1' or 'C2', got {low!r}") from None
    if not 0 <= midi <= 115:
        raise TheoryError(f"bassFrom: the lowest note must be a MIDI note 0 .. 115, got {low!r}")
    return round(midi)


def bass_note(symbol: str, low: str | int = BASS_LOW) -> str:
    """The bass note of a chord symbol (slash bass, else root) in the octave from `low`,
    spelled like the chord.

    >>> bass_note("Am"), bass_note("C/E"), bass_note("Bb", "C2"), bass_note("F#m", "E2")
    ('A1', 'E1', 'Bb2', 'F#2')
    """
    chord = parse_chord(symbol)
    pitch = chord.bass if chord.bass is not None else chord.root
    bottom = _low_midi(low)
    midi = bottom + (pitch.chroma - bottom) % 12
    octave = (midi - Pitch(pitch.letter, pitch.alt, 0).midi) // 12
    return str(Pitch(pitch.letter, pitch.alt, octave))


def _chord_symbol(value: Any) -> str:
    symbol = value.get("chord") if isinstance(value, Mapping) else value
    if isinstance(symbol, (list, tuple)):
        symbol = "/".join(str(v) for v in symbol)  # mini-notation: "Bb:D" is Bb/D
    if not isinstance(symbol, str):
        raise TheoryError(f"bass: expected chord symbols (progression(...) or chord('C Am')), got {value!r}")
    return symbol


def _bass_from(low: Any, pat: Pattern) -> Pattern:
    """`bass()` in the octave from another note: `bassFrom("E2")` is an octave higher.

    >>> from patterns.controls import chord
    >>> [e.value for e in chord("<C G:B>").s("bass808").bassFrom("C2").query_arc(0, 2)]
    [{'s': 'bass808', 'note': 'C2'}, {'s': 'bass808', 'note': 'B2'}]
    """
    _low_midi(low)

    def follow(value: Any) -> Any:
        note = bass_note(_chord_symbol(value), low)
        if not isinstance(value, Mapping):
            return note
        return {**{k: v for k, v in value.items() if k not in _CHORD_KEYS}, "note": note}

    return pat.fmap(follow)


def _bass(pat: Pattern) -> Pattern:
    """The bass line of a chord pattern, in the octave from E1.

    Each chord's bass note (slash bass, else root), held for the chord; other controls are kept.

    >>> from patterns.controls import chord
    >>> [e.value for e in chord("<Am F C G>").bass().query_arc(0, 4)]
    [{'note': 'A1'}, {'note': 'F1'}, {'note': 'C2'}, {'note': 'G1'}]
    """
    return _bass_from(BASS_LOW, pat)


def _octave_jumps(octaves: Any, pat: Pattern) -> Pattern:
    """Move notes by whole octaves (patterned), for octave-jumping bass lines.

    `octaveJumps("[0 1]*4")` alternates the note and its octave in eighths (the disco bass),
    `"<0 -1>"` drops every other cycle.

    >>> from patterns.controls import note
    >>> [e.value["note"] for e in note("a1*4").octaveJumps("0 1 0 1").onsets(0, 1)]
    ['A1', 'A2', 'A1', 'A2']
    """
    if isinstance(octaves, bool) or not isinstance(octaves, (int, float)) or octaves != int(octaves):
        raise TheoryError(f"octaveJumps: expected whole octaves like 0, 1, -1, got {octaves!r}")
    return transpose(12 * int(octaves), pat)


def _pitch_of(value: Any) -> float | None:
    note = value.get("note") if isinstance(value, Mapping) else value
    if isinstance(note, bool) or not isinstance(note, (int, float, str)):
        return None
    try:
        return to_midi(note)
    except TheoryError:
        return None


def _slide_on_change(time: Any, pat: Pattern) -> Pattern:
    """Glide into each note that differs from the one before it (a 303 / 808 slide).

    Such notes get `slide` 1 and `slidetime` seconds (acid and bass808 play them as a slide);
    repeated notes stay plain.

    >>> from patterns.controls import note
    >>> [e.value.get("slide", 0) for e in note("a1 a1 c2 c2").slideOnChange(0.1).onsets(1, 2)]
    [1, 0, 1, 0]
    """
    if isinstance(time, bool) or not isinstance(time, (int, float)) or not 0 <= time <= 4:
        raise TheoryError(f"slideOnChange: expected a slide time in seconds, 0 .. 4, got {time!r}")
    query = pat.query

    def previous(begin: Fraction) -> float | None:
        before = [e for e in query(TimeSpan(begin - _LOOKBACK, begin))
                  if e.whole is not None and e.whole.begin < begin]
        if not before:
            return None
        latest = max(e.whole.begin for e in before)  # type: ignore[union-attr]
        pitches = [_pitch_of(e.value) for e in before if e.whole.begin == latest]  # type: ignore[union-attr]
        known = [p for p in pitches if p is not None]
        return min(known) if known else None

    def slid(event: Event) -> Event:
        value = event.value
        if event.whole is None or not isinstance(value, Mapping):
            return event
        pitch = _pitch_of(value)
        before = previous(event.whole.begin)
        if pitch is None or before is None or before == pitch:
            return event
        return Event(event.whole, event.part, {**value, "slide": 1, "slidetime": time}, event.context)

    return Pattern(lambda span: [slid(e) for e in query(span)], pat.steps)


bass = register("bass", _bass)
bassFrom = register(["bassFrom", "bass_from"], _bass_from)
bass_from = bassFrom
octaveJumps = register(["octaveJumps", "octave_jumps"], _octave_jumps)
octave_jumps = octaveJumps
slideOnChange = register(["slideOnChange", "slide_on_change"], _slide_on_change)
slide_on_change = slideOnChange
