"""Intervals: ``M3`` (or tonal's ``3M``), ``P5``, ``m7``, ``A4``, ``d5``, ``-M2``, and
spelled transposition of note names by them.

An interval has a number (1 = unison, 3 = third, 8 = octave, 9 = ninth ..., negative
downwards) and a quality: ``P`` perfect (1, 4, 5 and their octaves), ``M`` major / ``m``
minor (2, 3, 6, 7), ``A`` augmented and ``d`` diminished (repeatable: ``AA``, ``dd``).

>>> semitones("M3"), semitones("3M"), semitones("P5"), semitones("-m2"), semitones("M9")
(4, 4, 7, -1, 14)
>>> transpose_note("E3", "M3"), transpose_note("C3", 6), transpose_note("d", "P5")
('G#3', 'Gb3', 'A')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from patterns.errors import TheoryError
from patterns.theory.notes import Pitch, parse_note

__all__ = [
    "Interval",
    "parse_interval",
    "semitones",
    "from_semitones",
    "transpose_pitch",
    "transpose_note",
]

_MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
_PERFECT = frozenset((0, 3, 4))
_NUMBER_FIRST = re.compile(r"^([-+]?)(\d+)(P|M|m|A+|d+)$")
_QUALITY_FIRST = re.compile(r"^([-+]?)(P|M|m|A+|d+)(\d+)$")
# Strudel / tonal's Interval.fromSemitones: the interval names of 0..11 semitones.
_FROM_SEMITONES = ((1, "P"), (2, "m"), (2, "M"), (3, "m"), (3, "M"), (4, "P"),
                   (5, "d"), (5, "P"), (6, "m"), (6, "M"), (7, "m"), (7, "M"))


@dataclass(frozen=True, slots=True)
class Interval:
    """A spelled interval: `steps` letter steps (a third is 2) and `semitones`, both signed.

    >>> parse_interval("m3")
    Interval(steps=2, semitones=3)
    >>> str(parse_interval("-M2"))
    '-2M'
    """

    steps: int
    semitones: int

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.steps + other.steps, self.semitones + other.semitones)

    def __neg__(self) -> Interval:
        return Interval(-self.steps, -self.semitones)

    def __str__(self) -> str:
        sign = -1 if self.steps < 0 or (self.steps == 0 and self.semitones < 0) else 1
        steps, semis = self.steps * sign, self.semitones * sign
        octaves, simple = divmod(steps, 7)
        diff = semis - 12 * octaves - _MAJOR_STEPS[simple]
        if simple in _PERFECT:
            quality = "P" if diff == 0 else ("A" * diff if diff > 0 else "d" * -diff)
        else:
            quality = {0: "M", -1: "m"}.get(diff) or ("A" * diff if diff > 0 else "d" * (-diff - 1))
        return f"{'-' if sign < 0 else ''}{steps + 1}{quality}"


def parse_interval(name: str | int) -> Interval:
    """Parse an interval name (``M3``, ``3M``, ``-P4``) or a number of semitones.

    Semitones get Strudel's spelling (6 is a diminished fifth, 8 a minor sixth).

    >>> parse_interval("P8"), parse_interval(7)
    (Interval(steps=7, semitones=12), Interval(steps=4, semitones=7))
    >>> parse_interval("M4")
    Traceback (most recent call last):
    ...
    patterns.errors.TheoryError: interval: a 4th is perfect, augmented or diminished (P, A, d), got 'M4'
    """
    if isinstance(name, bool):  # True == 1 for the cache: reject it first
        raise TheoryError(f"interval: expected a name like M3 or P5 or semitones, got {name!r}")
    return _parse_interval(name)


@lru_cache(maxsize=1024)
def _parse_interval(name: str | int | float) -> Interval:
    if isinstance(name, (int, float)):
        if name != int(name):
            raise TheoryError(f"interval: semitones must be whole numbers, got {name!r}")
        return from_semitones(int(name))
    if not isinstance(name, str):
        raise TheoryError(f"interval: expected a name like M3 or P5 or semitones, got {name!r}")
    text = name.strip()
    match = _NUMBER_FIRST.match(text)
    if match:
        sign, number, quality = match.groups()
    else:
        match = _QUALITY_FIRST.match(text)
        if match is None:
            try:
                return from_semitones(int(text))
            except ValueError:
                raise TheoryError(
                    f"interval: expected a name like M3, P5, m7, A4, d5 (or 3M) or semitones, got {name!r}"
                ) from None
        sign, quality, number = match.groups()
    return _build(name, -1 if sign == "-" else 1, int(number), quality)


def _build(name: str, sign: int, number: int, quality: str) -> Interval:
    if number < 1:
        raise TheoryError(f"interval: the number must be 1 or more, got {name!r}")
    octaves, simple = divmod(number - 1, 7)
    base = _MAJOR_STEPS[simple] + 12 * octaves
    perfect = simple in _PERFECT
    ordinal = {1: "st", 2: "nd", 3: "rd"}.get(number if number < 20 else number % 10, "th")
    if perfect and quality in ("M", "m"):
        raise TheoryError(
            f"interval: a {number}{ordinal} is perfect, augmented or diminished (P, A, d), got {name!r}"
        )
    if not perfect and quality == "P":
        raise TheoryError(
            f"interval: a {number}{ordinal} is major, minor, augmented or diminished (M, m, A, d), got {name!r}"
        )
    if quality in ("P", "M"):
        alter = 0
    elif quality == "m":
        alter = -1
    elif quality[0] == "A":
        alter = len(quality)
    else:
        alter = -len(quality) if perfect else -len(quality) - 1
    return Interval(sign * (number - 1), sign * (base + alter))


def semitones(name: str | int) -> int:
    """The size of an interval in semitones.

    >>> semitones("m7"), semitones("A4"), semitones("d5"), semitones(-3)
    (10, 6, 6, -3)
    """
    return parse_interval(name).semitones


def from_semitones(count: int) -> Interval:
    """The interval Strudel names for a number of semitones (1 = m2, 6 = d5, 13 = m9).

    >>> str(from_semitones(6)), str(from_semitones(13)), str(from_semitones(-4))
    ('5d', '9m', '-3M')
    """
    sign = -1 if count < 0 else 1
    octaves, simple = divmod(abs(count), 12)
    number, _quality = _FROM_SEMITONES[simple]
    return Interval(sign * (number - 1 + 7 * octaves), count)


def transpose_pitch(pitch: Pitch, interval: Interval) -> Pitch:
    """Move a `Pitch` by an interval, keeping letter-correct spelling.

    >>> str(transpose_pitch(parse_note("E3"), parse_interval("M3")))
    'G#3'
    """
    octave = 0 if pitch.octave is None else pitch.octave
    total = pitch.letter + 7 * octave + interval.steps
    new_octave, letter = divmod(total, 7)
    natural = _MAJOR_STEPS[letter] + 12 * new_octave
    target = _MAJOR_STEPS[pitch.letter] + pitch.alt + 12 * octave + interval.semitones
    return Pitch(letter, target - natural, None if pitch.octave is None else new_octave)


@lru_cache(maxsize=8192)
def transpose_note(note: str, interval: str | int) -> str:
    """Transpose a note name by an interval name or semitones, spelled by letter (tonal's
    ``Note.transpose``): E + M3 is G#, C + 6 semitones is Gb.

    >>> transpose_note("C4", "m3"), transpose_note("Bb2", "P8"), transpose_note("C3", -1)
    ('Eb4', 'Bb3', 'B2')
    """
    return str(transpose_pitch(parse_note(note), parse_interval(interval)))

