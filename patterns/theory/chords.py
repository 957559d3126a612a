"""Chord symbols: ``C``, ``Cm7``, ``Fmaj9``, ``G7sus4``, ``Bb/D``, ``Am7b5``, ``Cadd9``, ``C^7``...

A symbol is a root (``A``..``G`` with an optional ``#`` or ``b``), a quality from `CHORDS`
(or one of its aliases) and an optional slash bass (``/D``). Notes are spelled by letter
from the root, as in tonal.

>>> chord_notes("Cm7"), chord_notes("Bb/D", octave=3)
(['C', 'Eb', 'G', 'Bb'], ['D3', 'Bb3', 'D4', 'F4'])
>>> chord_midi("G7sus4", octave=3)
[55, 60, 62, 65]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from patterns.errors import TheoryError
from patterns.theory.intervals import Interval, parse_interval, transpose_pitch
from patterns.theory.notes import Pitch, parse_note

__all__ = ["CHORDS", "CHORD_ALIASES", "Chord", "parse_chord", "chord_notes", "chord_midi"]

CHORDS: dict[str, str] = {
    "": "1P 3M 5P",
    "m": "1P 3m 5P",
    "dim": "1P 3m 5d",
    "aug": "1P 3M 5A",
    "sus2": "1P 2M 5P",
    "sus4": "1P 4P 5P",
    "5": "1P 5P",
    "6": "1P 3M 5P 6M",
    "m6": "1P 3m 5P 6M",
    "69": "1P 3M 5P 6M 9M",
    "m69": "1P 3m 5P 6M 9M",
    "7": "1P 3M 5P 7m",
    "maj7": "1P 3M 5P 7M",
    "m7": "1P 3m 5P 7m",
    "mM7": "1P 3m 5P 7M",
    "m7b5": "1P 3m 5d 7m",
    "dim7": "1P 3m 5d 7d",
    "aug7": "1P 3M 5A 7m",
    "augmaj7": "1P 3M 5A 7M",
    "7b5": "1P 3M 5d 7m",
    "7sus4": "1P 4P 5P 7m",
    "7sus2": "1P 2M 5P 7m",
    "add9": "1P 3M 5P 9M",
    "madd9": "1P 3m 5P 9M",
    "add11": "1P 3M 5P 11P",
    "9": "1P 3M 5P 7m 9M",
    "maj9": "1P 3M 5P 7M 9M",
    "m9": "1P 3m 5P 7m 9M",
    "mM9": "1P 3m 5P 7M 9M",
    "9sus4": "1P 4P 5P 7m 9M",
    "7b9": "1P 3M 5P 7m 9m",
    "7#9": "1P 3M 5P 7m 9A",
    "7#11": "1P 3M 5P 7m 11A",
    "7b13": "1P 3M 5P 7m 13m",
    "9#11": "1P 3M 5P 7m 9M 11A",
    "maj7#11": "1P 3M 5P 7M 11A",
    "7alt": "1P 3M 7m 9m 9A 13m",
    "11": "1P 5P 7m 9M 11P",
    "m11": "1P 3m 5P 7m 9M 11P",
    "13": "1P 3M 5P 7m 9M 13M",
    "maj13": "1P 3M 5P 7M 9M 13M",
    "m13": "1P 3m 5P 7m 9M 13M",
}
"""Chord qualities: canonical symbol -> intervals from the root."""

CHORD_ALIASES: dict[str, str] = {
    "M": "", "maj": "", "major": "", "^": "", "Δ": "",
    "min": "m", "minor": "m", "-": "m",
    "o": "dim", "°": "dim",
    "+": "aug", "#5": "aug",
    "sus": "sus4",
    "M6": "6", "maj6": "6", "-6": "m6", "min6": "m6",
    "6/9": "69", "6add9": "69", "-69": "m69", "m6/9": "m69",
    "dom7": "7",
    "M7": "maj7", "^7": "maj7", "Δ7": "maj7", "ma7": "maj7", "j7": "maj7",
    "-7": "m7", "min7": "m7",
    "m^7": "mM7", "-^7": "mM7", "mmaj7": "mM7", "minmaj7": "mM7", "m(maj7)": "mM7",
    "ø": "m7b5", "ø7": "m7b5", "h7": "m7b5", "h": "m7b5", "-7b5": "m7b5", "min7b5": "m7b5",
    "o7": "dim7", "°7": "dim7",
    "+7": "aug7", "7#5": "aug7", "7+5": "aug7", "7aug": "aug7",
    "+^7": "augmaj7", "^7#5": "augmaj7", "maj7#5": "augmaj7", "M7#5": "augmaj7",
    "7sus": "7sus4", "9sus": "9sus4",
    "add2": "add9", "2": "add9", "m(add9)": "madd9", "-add9": "madd9",
    "add4": "add11",
    "M9": "maj9", "^9": "maj9", "-9": "m9", "min9": "m9", "m^9": "mM9",
    "^7#11": "maj7#11", "M7#11": "maj7#11",
    "alt": "7alt",
    "-11": "m11", "min11": "m11",
    "M13": "maj13", "^13": "maj13", "-13": "m13", "min13": "m13",
}
"""Other spellings of the qualities in `CHORDS` (Strudel's ``^``/``-``/``o``/``h``...)."""

_SYMBOL_RE = re.compile(r"^([A-Ga-g])([#b]?)(.*?)(?:/([A-Ga-g][#b]?))?$")


@dataclass(frozen=True, slots=True)
class Chord:
    """A parsed chord symbol: root pitch class, canonical quality, intervals, optional bass.

    >>> c = parse_chord("Am7/G")
    >>> str(c.root), c.quality, str(c.bass), c.symbol
    ('A', 'm7', 'G', 'Am7/G')
    """

    symbol: str
    root: Pitch
    quality: str
    intervals: tuple[Interval, ...]
    bass: Pitch | None = None

    def pitches(self, octave: int | None = None) -> list[Pitch]:
        """The chord's pitches from the root upwards (the slash bass first, below them).

        >>> [str(p) for p in parse_chord("C/E").pitches(4)]
        ['E3', 'C4', 'E4', 'G4']
        """
        root = Pitch(self.root.letter, self.root.alt, octave)
        pitches = [transpose_pitch(root, i) for i in self.intervals]
        if self.bass is None:
            return pitches
        if octave is None:
            return [self.bass, *pitches]
        bass = Pitch(self.bass.letter, self.bass.alt, octave)
        while bass.midi >= pitches[0].midi:
            bass = Pitch(bass.letter, bass.alt, (bass.octave or 0) - 1)
        return [bass, *pitches]

    def chromas(self) -> list[int]:
        """Pitch classes (0..11) of the upper structure, root first, without repeats.

        >>> parse_chord("C7").chromas()
        [0, 4, 7, 10]
        """
        seen: list[int] = []
        for interval in self.intervals:
            chroma = (self.root.chroma + interval.semitones) % 12
            if chroma not in seen:
                seen.append(chroma)
        return seen


@lru_cache(maxsize=1024)
def parse_chord(symbol: str) -> Chord:
    """Parse a chord symbol.

    >>> parse_chord("C^7").quality, parse_chord("Fmaj9").quality, parse_chord("Cdim7").quality
    ('maj7', 'maj9', 'dim7')
    >>> parse_chord("Cxyz")
    Traceback (most recent call last):
    ...
    patterns.errors.TheoryError: chord: unknown quality 'xyz' in 'Cxyz'; try C, Cm, C7, Cmaj7, Cm7, Cdim, Caug, Csus4, C9 (docs/theory.md lists all)
    """
    text = symbol.strip() if isinstance(symbol, str) else ""
    match = _SYMBOL_RE.match(text)
    if not text or match is None:
        raise TheoryError(f"chord: expected a symbol like 'C', 'Am7' or 'Bb/D', got {symbol!r}")
    letter, accidental, quality, bass = match.groups()
    canonical = quality if quality in CHORDS else CHORD_ALIASES.get(quality)
    if canonical is None:
        raise TheoryError(
            f"chord: unknown quality {quality!r} in {symbol!r}; try C, Cm, C7, Cmaj7, Cm7, Cdim, "
            "Caug, Csus4, C9 (docs/theory.md lists all)"
        )
    root = parse_note(letter.upper() + accidental)
    intervals = tuple(parse_interval(i) for i in CHORDS[canonical].split())
    bass_pitch = None if bass is None else parse_note(bass[0].upper() + bass[1:])
    return Chord(text, root, canonical, intervals, bass_pitch)


def chord_notes(symbol: str, octave: int | None = None) -> list[str]:
    """The note names of a chord in root position (pitch classes when `octave` is None).

    >>> chord_notes("Fmaj9", 3), chord_notes("Am7b5")
    (['F3', 'A3', 'C4', 'E4', 'G4'], ['A', 'C', 'Eb', 'G'])
    """
    return [str(p) for p in parse_chord(symbol).pitches(octave)]


def chord_midi(symbol: str, octave: int = 3, inversion: int = 0) -> list[int]:
    """MIDI numbers of a chord with its root in `octave`, optionally inverted `inversion` times
    (each inversion moves the lowest note up an octave; negative moves the top note down).

    >>> chord_midi("C", 4), chord_midi("C", 4, inversion=1), chord_midi("C", 4, inversion=-1)
    ([60, 64, 67], [64, 67, 72], [55, 60, 64])
    """
    notes = [p.midi for p in parse_chord(symbol).pitches(octave)]
    for _ in range(abs(inversion)):
        if inversion > 0:
            notes = [*notes[1:], notes[0] + 12]
        else:
            notes = [notes[-1] - 12, *notes[:-1]]
    return notes
