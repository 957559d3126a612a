"""Named scales and scale degrees: ``scale_note(2, "C:major")`` is ``"E3"``.

A scale spec is a tonic (a note name, octave 3 when missing) and a scale name, separated by
``:`` or spaces: ``"C:minor"``, ``"C2:minor"``, ``"E:major:pentatonic"``, ``"f# dorian"``.
Names are matched ignoring case, spaces, ``-`` and ``_`` (``harmonicMinor`` works).
Degrees count from 0, wrap into octaves and go below the tonic when negative; ``"2#"`` and
``"3b"`` raise or lower a degree by a semitone. Results are spelled by letter from the
tonic (C minor has Eb, Ab, Bb), as Strudel does.

>>> [scale_note(d, "C:minor") for d in (0, 2, 5, 7, -1)]
['C3', 'Eb3', 'Ab3', 'C4', 'Bb2']
>>> scale_note(4, "E:major:pentatonic"), scale_note("2#", "C:major")
('C#4', 'F3')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from patterns.errors import TheoryError
from patterns.theory.intervals import Interval, parse_interval, transpose_pitch
from patterns.theory.notes import DEFAULT_OCTAVE, Pitch, is_note, parse_note

__all__ = [
    "SCALES",
    "SCALE_ALIASES",
    "Scale",
    "ScaleNote",
    "scale_names",
    "get_scale",
    "scale_note",
    "scale_transpose_note",
]

SCALES: dict[str, str] = {
    # the seven modes of the major scale
    "major": "1P 2M 3M 4P 5P 6M 7M",
    "dorian": "1P 2M 3m 4P 5P 6M 7m",
    "phrygian": "1P 2m 3m 4P 5P 6m 7m",
    "lydian": "1P 2M 3M 4A 5P 6M 7M",
    "mixolydian": "1P 2M 3M 4P 5P 6M 7m",
    "minor": "1P 2M 3m 4P 5P 6m 7m",
    "locrian": "1P 2m 3m 4P 5d 6m 7m",
    # minor variants and their modes
    "harmonic minor": "1P 2M 3m 4P 5P 6m 7M",
    "melodic minor": "1P 2M 3m 4P 5P 6M 7M",
    "dorian b2": "1P 2m 3m 4P 5P 6M 7m",
    "lydian augmented": "1P 2M 3M 4A 5A 6M 7M",
    "lydian dominant": "1P 2M 3M 4A 5P 6M 7m",
    "mixolydian b6": "1P 2M 3M 4P 5P 6m 7m",
    "locrian #2": "1P 2M 3m 4P 5d 6m 7m",
    "altered": "1P 2m 3m 3M 5d 6m 7m",
    "locrian 6": "1P 2m 3m 4P 5d 6M 7m",
    "ukrainian dorian": "1P 2M 3m 4A 5P 6M 7m",
    "phrygian dominant": "1P 2m 3M 4P 5P 6m 7m",
    "harmonic major": "1P 2M 3M 4P 5P 6m 7M",
    "double harmonic major": "1P 2m 3M 4P 5P 6m 7M",
    "hungarian minor": "1P 2M 3m 4A 5P 6m 7M",
    "hungarian major": "1P 2A 3M 4A 5P 6M 7m",
    "neapolitan major": "1P 2m 3m 4P 5P 6M 7M",
    "neapolitan minor": "1P 2m 3m 4P 5P 6m 7M",
    "romanian minor": "1P 2M 3m 5d 5P 6M 7m",
    "enigmatic": "1P 2m 3M 5d 6m 7m 7M",
    "persian": "1P 2m 3M 4P 5d 6m 7M",
    "oriental": "1P 2m 3M 4P 5d 6M 7m",
    "flamenco": "1P 2m 3m 3M 4A 5P 7m",
    # pentatonic and other five-note scales
    "major pentatonic": "1P 2M 3M 5P 6M",
    "minor pentatonic": "1P 3m 4P 5P 7m",
    "minor six pentatonic": "1P 3m 4P 5P 6M",
    "flat three pentatonic": "1P 2M 3m 5P 6M",
    "lydian pentatonic": "1P 3M 4A 5P 7M",
    "mixolydian pentatonic": "1P 3M 4P 5P 7m",
    "locrian pentatonic": "1P 3m 4P 5d 7m",
    "ritusen": "1P 2M 4P 5P 6M",
    "egyptian": "1P 2M 4P 5P 7m",
    "in-sen": "1P 2m 4P 5P 7m",
    "hirajoshi": "1P 2M 3m 5P 6m",
    "iwato": "1P 2m 4P 5d 7m",
    "kumoijoshi": "1P 2m 4P 5P 6m",
    "pelog": "1P 2m 3m 5P 6m",
    "scriabin": "1P 2m 3M 5P 6M",
    "chinese": "1P 3M 4A 5P 7M",
    "malkos raga": "1P 3m 4P 6m 7m",
    # six-note scales
    "blues": "1P 3m 4P 5d 5P 7m",
    "major blues": "1P 2M 3m 3M 5P 6M",
    "whole tone": "1P 2M 3M 4A 5A 7m",
    "augmented": "1P 2A 3M 5P 5A 7M",
    "prometheus": "1P 2M 3M 4A 6M 7m",
    "minor hexatonic": "1P 2M 3m 4P 5P 7M",
    # eight notes and more
    "diminished": "1P 2M 3m 4P 5d 6m 6M 7M",
    "half-whole diminished": "1P 2m 3m 3M 4A 5P 6M 7m",
    "bebop": "1P 2M 3M 4P 5P 6M 7m 7M",
    "bebop major": "1P 2M 3M 4P 5P 5A 6M 7M",
    "bebop minor": "1P 2M 3m 3M 4P 5P 6M 7m",
    "chromatic": "1P 2m 2M 3m 3M 4P 4A 5P 6m 6M 7m 7M",
}
"""Every scale: name -> intervals from the tonic (tonal's notation: number then quality)."""

SCALE_ALIASES: dict[str, str] = {
    "ionian": "major",
    "aeolian": "minor",
    "natural minor": "minor",
    "pentatonic": "major pentatonic",
    "maj pent": "major pentatonic",
    "min pent": "minor pentatonic",
    "harmonic": "harmonic minor",
    "melodic": "melodic minor",
    "jazz minor": "melodic minor",
    "super locrian": "altered",
    "half diminished": "locrian #2",
    "spanish": "phrygian dominant",
    "byzantine": "double harmonic major",
    "gypsy": "hungarian minor",
    "acoustic": "lydian dominant",
    "whole": "whole tone",
    "bebop dominant": "bebop",
    "minor blues": "blues",
    "whole-half diminished": "diminished",
    "octatonic": "diminished",
    "insen": "in-sen",
    "kumoi": "kumoijoshi",
}
"""Other names for scales of `SCALES` (Tidal's camelCase names match too)."""

_DEGREE_RE = re.compile(r"^([-+]?\d+)(#*|b*)$")


def _key(name: str) -> str:
    return re.sub(r"[\s_\-:]+", "", name.lower())


_LOOKUP: dict[str, str] = {_key(name): name for name in SCALES}
_LOOKUP.update({_key(alias): target for alias, target in SCALE_ALIASES.items()})


def scale_names() -> list[str]:
    """All scale names (without aliases), in table order.

    >>> len(scale_names()) >= 40, scale_names()[:3]
    (True, ['major', 'dorian', 'phrygian'])
    """
    return list(SCALES)


class ScaleNote(str):
    """A note name produced by a scale, remembering the scale (for `scaleTranspose`).

    It is a plain ``str`` for every other purpose.

    >>> n = ScaleNote("E3", "C:major")
    >>> n == "E3", n.scale
    (True, 'C:major')
    """

    scale: str

    def __new__(cls, name: str, scale: str) -> ScaleNote:
        note = super().__new__(cls, name)
        note.scale = scale
        return note

    def __reduce__(self) -> tuple[object, ...]:
        return (ScaleNote, (str(self), self.scale))


@dataclass(frozen=True, slots=True)
class Scale:
    """A tonic and the intervals of a named scale.

    >>> s = get_scale("D:minor")
    >>> s.name, str(s.tonic), len(s)
    ('minor', 'D3', 7)
    """

    spec: str
    name: str
    tonic: Pitch
    intervals: tuple[Interval, ...]

    def __len__(self) -> int:
        return len(self.intervals)

    def step(self, degree: int) -> str:
        """The note name of a degree (0-based, wrapping into octaves).

        >>> get_scale("C:major").step(9)
        'E4'
        """
        octaves, index = divmod(degree, len(self.intervals))
        interval = self.intervals[index] + Interval(7 * octaves, 12 * octaves)
        return str(transpose_pitch(self.tonic, interval))

    def degree_of(self, note: str) -> int:
        """The degree of a note of this scale (inverse of `step`); TheoryError if not in it.

        >>> get_scale("C:major").degree_of("D4"), get_scale("C:major").degree_of("B2")
        (8, -1)
        """
        pitch = parse_note(note)
        rel = pitch.midi - self.tonic.midi
        for index, interval in enumerate(self.intervals):
            if (rel - interval.semitones) % 12 == 0:
                return index + len(self.intervals) * ((rel - interval.semitones) // 12)
        raise TheoryError(f"scaleTranspose: note {note!r} is not in the scale {self.spec!r}")


@lru_cache(maxsize=512)
def get_scale(spec: str) -> Scale:
    """Parse a scale spec (``"C:minor"``, ``"C2:minor"``, ``"E:major:pentatonic"``).

    >>> get_scale("c:harmonicMinor").name
    'harmonic minor'
    >>> get_scale("C:blah")
    Traceback (most recent call last):
    ...
    patterns.errors.TheoryError: scale: unknown scale name 'blah' in 'C:blah'; try major, minor, dorian, major pentatonic, blues (docs/theory.md lists all)
    """
    if not isinstance(spec, str) or not spec.strip():
        raise TheoryError(f"scale: expected a tonic and a name like 'C:minor', got {spec!r}")
    parts = [p for p in re.split(r"[\s:]+", spec.strip()) if p]
    if len(parts) < 2 or not is_note(parts[0]):
        raise TheoryError(
            f"scale: expected a tonic and a name like 'C:minor' or 'C2:major:pentatonic', got {spec!r}"
        )
    tonic = parse_note(parts[0])
    if tonic.octave is None:
        tonic = Pitch(tonic.letter, tonic.alt, DEFAULT_OCTAVE)
    name = _LOOKUP.get(_key("".join(parts[1:])))
    if name is None:
        raise TheoryError(
            f"scale: unknown scale name {' '.join(parts[1:])!r} in {spec!r}; try major, minor, "
            "dorian, major pentatonic, blues (docs/theory.md lists all)"
        )
    intervals = tuple(parse_interval(i) for i in SCALES[name].split())
    return Scale(spec, name, tonic, intervals)


def _parse_degree(degree: object) -> tuple[int, int]:
    """A degree and its alteration in semitones: 2 -> (2, 0); "2#" -> (2, 1); 1.5 -> (2, 0)."""
    if isinstance(degree, bool):
        raise TheoryError(f"scale: expected a degree number like 2 or '2#', got {degree!r}")
    if isinstance(degree, int):
        return degree, 0
    if isinstance(degree, float):
        if not math.isfinite(degree):
            raise TheoryError(f"scale: expected a finite degree, got {degree!r}")
        return math.ceil(degree), 0
    if isinstance(degree, str):
        match = _DEGREE_RE.match(degree.strip())
        if match:
            number, accidentals = match.groups()
            alter = len(accidentals) * (1 if accidentals.startswith("#") else -1)
            return int(number), alter
    raise TheoryError(f"scale: expected a degree number like 2 or '2#' / '3b', got {degree!r}")


@lru_cache(maxsize=8192)
def _scale_note_cached(degree: object, spec: str) -> str:
    scale = get_scale(spec)
    number, alter = _parse_degree(degree)
    name = scale.step(number)
    if alter:
        name = str(transpose_pitch(parse_note(name), parse_interval(alter)))
    return ScaleNote(name, spec)


def scale_note(degree: int | float | str, spec: str) -> str:
    """The note name of a scale degree (Strudel's ``n(..).scale(..)``).

    >>> scale_note(7, "C:major"), scale_note(-2, "C:major"), scale_note(1, "C2:minor")
    ('C4', 'A2', 'D2')
    """
    if isinstance(degree, bool):  # True == 1 for the cache: reject it first
        raise TheoryError(f"scale: expected a degree number like 2 or '2#', got {degree!r}")
    try:
        return _scale_note_cached(degree, spec)
    except TypeError:  # an unhashable degree
        raise TheoryError(f"scale: expected a degree number like 2 or '2#', got {degree!r}") from None


def scale_transpose_note(note: str, steps: int, spec: str) -> str:
    """Move a note of a scale by `steps` scale degrees.

    >>> scale_transpose_note("E3", 1, "C:major"), scale_transpose_note("C3", -1, "C:minor")
    ('F3', 'Bb2')
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, float)) or steps != int(steps):
        raise TheoryError(f"scaleTranspose: expected a whole number of steps, got {steps!r}")
    scale = get_scale(spec)
    return ScaleNote(scale.step(scale.degree_of(note) + int(steps)), spec)
