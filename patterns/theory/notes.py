"""Note names and MIDI numbers: ``c4`` is 60, ``a4`` is 69, a bare ``c`` is octave 3 (48).

A note name is a letter ``a``..``g`` (either case), any number of accidentals (``#`` or ``s``
raise a semitone, ``b`` or ``f`` lower one) and an optional octave (``-1`` .. ``9``). Names keep
their spelling (``Eb3`` is not ``D#3``) as a `Pitch`; `note_to_midi` forgets it.

>>> note_to_midi("c4"), note_to_midi("eb3"), note_to_midi("c"), note_to_midi("fs2")
(60, 51, 48, 42)
>>> midi_to_note(61), midi_to_note(61, sharps=True)
('Db4', 'C#4')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from patterns.errors import TheoryError

__all__ = [
    "DEFAULT_OCTAVE",
    "Pitch",
    "parse_note",
    "is_note",
    "note_to_midi",
    "midi_to_note",
    "to_midi",
    "simplify_note",
]

DEFAULT_OCTAVE = 3
"""The octave of a bare note name (``c`` is C3 = 48), as in Strudel."""

LETTERS = "CDEFGAB"
_NATURAL = (0, 2, 4, 5, 7, 9, 11)
_ACCIDENTAL = {"#": 1, "s": 1, "b": -1, "f": -1}
_NOTE_RE = re.compile(r"^([a-gA-G])([#sbf]*)(-?\d+)?$")
_FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")
_SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


@dataclass(frozen=True, slots=True)
class Pitch:
    """A spelled pitch: letter index (0 = C .. 6 = B), alteration in semitones, octave or None.

    >>> p = parse_note("Bb2")
    >>> p.letter, p.alt, p.octave, p.midi, str(p)
    (6, -1, 2, 46, 'Bb2')
    """

    letter: int
    alt: int
    octave: int | None

    @property
    def chroma(self) -> int:
        """Pitch class 0..11 (C = 0).

        >>> parse_note("B#").chroma
        0
        """
        return (_NATURAL[self.letter] + self.alt) % 12

    @property
    def midi(self) -> int:
        """MIDI number; a pitch class counts as octave 3.

        >>> parse_note("a4").midi, parse_note("a").midi
        (69, 57)
        """
        octave = DEFAULT_OCTAVE if self.octave is None else self.octave
        return (octave + 1) * 12 + _NATURAL[self.letter] + self.alt

    @property
    def pc(self) -> str:
        """The pitch class name with upper-case letter and ``#``/``b`` accidentals.

        >>> parse_note("fs3").pc
        'F#'
        """
        sign = "#" if self.alt > 0 else "b"
        return LETTERS[self.letter] + sign * abs(self.alt)

    def __str__(self) -> str:
        return self.pc if self.octave is None else f"{self.pc}{self.octave}"


@lru_cache(maxsize=4096)
def parse_note(name: str) -> Pitch:
    """Parse a note name into a `Pitch`; raises TheoryError for anything else.

    >>> parse_note("C#4")
    Pitch(letter=0, alt=1, octave=4)
    >>> parse_note("h2")
    Traceback (most recent call last):
    ...
    patterns.errors.TheoryError: note name: expected a letter a-g, accidentals (# s b f) and an optional octave, got 'h2'
    """
    match = _NOTE_RE.match(name) if isinstance(name, str) else None
    if match is None:
        raise TheoryError(
            "note name: expected a letter a-g, accidentals (# s b f) and an optional octave, "
            f"got {name!r}"
        )
    letter, accidentals, octave = match.groups()
    alt = sum(_ACCIDENTAL[a] for a in accidentals)
    return Pitch(LETTERS.index(letter.upper()), alt, None if octave is None else int(octave))


def is_note(value: object) -> bool:
    """Whether `value` is a note name string.

    >>> is_note("eb3"), is_note("bd"), is_note(60)
    (True, False, False)
    """
    return isinstance(value, str) and _NOTE_RE.match(value) is not None


def note_to_midi(name: str, default_octave: int = DEFAULT_OCTAVE) -> int:
    """The MIDI number of a note name; C4 = 60, a name without octave takes `default_octave`.

    >>> note_to_midi("a4"), note_to_midi("c", 4), note_to_midi("Cb4")
    (69, 60, 59)
    """
    pitch = parse_note(name)
    octave = default_octave if pitch.octave is None else pitch.octave
    return (octave + 1) * 12 + _NATURAL[pitch.letter] + pitch.alt


def midi_to_note(midi: int, sharps: bool = False) -> str:
    """The name of a MIDI number, spelled with flats unless `sharps`.

    >>> midi_to_note(60), midi_to_note(70), midi_to_note(70, sharps=True)
    ('C4', 'Bb4', 'A#4')
    """
    if isinstance(midi, bool) or not isinstance(midi, int):
        raise TheoryError(f"midi_to_note: expected an integer MIDI number, got {midi!r}")
    names = _SHARP_NAMES if sharps else _FLAT_NAMES
    return f"{names[midi % 12]}{midi // 12 - 1}"


def to_midi(value: object, default_octave: int = DEFAULT_OCTAVE) -> float:
    """A note as a MIDI number: numbers pass through, note names are converted.

    >>> to_midi("c4"), to_midi(61.5)
    (60, 61.5)
    """
    if isinstance(value, bool):
        raise TheoryError(f"to_midi: expected a note name or number, got {value!r}")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return note_to_midi(value, default_octave)
    raise TheoryError(f"to_midi: expected a note name or number, got {value!r}")


def simplify_note(name: str) -> str:
    """Respell a note with at most one accidental (Strudel's ``Note.simplify``): ``E#3`` is
    ``F3``, ``C##4`` is ``D4``; sharps stay sharps, flats stay flats, naturals stay natural.

    >>> simplify_note("E#3"), simplify_note("Cb4"), simplify_note("G#3"), simplify_note("fss")
    ('F3', 'B3', 'G#3', 'G')
    """
    pitch = parse_note(name)
    if -1 <= pitch.alt <= 1 and not (pitch.alt and pitch.chroma in (0, 4, 5, 11)):
        return str(pitch)
    names = _SHARP_NAMES if pitch.alt > 0 else _FLAT_NAMES
    if pitch.octave is None:
        return names[pitch.chroma]
    return f"{names[pitch.midi % 12]}{pitch.midi // 12 - 1}"
