"""Chord voicings in a pitch range, and voice leading from one chord to the next.

A voicing is a tuple of MIDI numbers, lowest first. The candidates for a chord are its
close-position inversions (each chord tone in turn at the bottom, the others stacked above it
within an octave) whose notes all lie in ``[low, high]``; a slash chord's bass is added below
them (within the octave under the lowest voice). Chords with more than five tones drop the
fifth, then the eleventh over a major third.

With no previous voicing the candidate whose top note is the highest one at or below
`anchor` wins (Strudel's ``below`` mode). With a previous voicing the candidate that moves
the voices least wins (sum of semitone moves), ties broken by nearness to the anchor.

>>> voice("C"), voice("Am"), voice("F"), voice("G")
((64, 67, 72), (64, 69, 72), (65, 69, 72), (62, 67, 71))
>>> voice_lead(["C", "G7", "C"])
[(64, 67, 72), (62, 65, 67, 71), (64, 67, 72)]
"""

from __future__ import annotations

from functools import lru_cache

from patterns.errors import TheoryError
from patterns.theory.chords import parse_chord
from patterns.theory.notes import midi_to_note, to_midi

__all__ = [
    "DEFAULT_LOW",
    "DEFAULT_HIGH",
    "DEFAULT_ANCHOR",
    "MODES",
    "Voicing",
    "voicing_candidates",
    "voice",
    "voice_lead",
    "voicing_notes",
    "voicing_step",
]

Voicing = tuple[int, ...]

DEFAULT_LOW = "C3"
"""Lowest note of a voicing by default (MIDI 48)."""
DEFAULT_HIGH = "C5"
"""Highest note of a voicing by default (MIDI 72)."""
DEFAULT_ANCHOR = "C5"
"""Without voice leading, the top note is the highest one at or below this note."""

_MAX_TONES = 5


def _midi(value: str | int | float, what: str) -> int:
    try:
        return round(to_midi(value, 4))
    except TheoryError:
        raise TheoryError(f"voicing: {what} must be a note name or MIDI number, got {value!r}") from None


def _upper_chromas(symbol: str) -> list[int]:
    chord = parse_chord(symbol)
    chromas = chord.chromas()
    root = chord.root.chroma
    if len(chromas) > _MAX_TONES:
        chromas = [c for c in chromas if (c - root) % 12 != 7]
    if len(chromas) > _MAX_TONES and (root + 4) % 12 in chromas:
        chromas = [c for c in chromas if (c - root) % 12 != 5]
    return sorted(chromas, key=lambda c: (c - root) % 12)


@lru_cache(maxsize=2048)
def voicing_candidates(symbol: str, low: int = 48, high: int = 72) -> tuple[Voicing, ...]:
    """Every close-position voicing of a chord within [low, high] (MIDI numbers).

    >>> voicing_candidates("C", 60, 72)
    ((60, 64, 67), (64, 67, 72))
    """
    chromas = _upper_chromas(symbol)
    bass = parse_chord(symbol).bass
    out: list[Voicing] = []
    for rotation in range(len(chromas)):
        order = chromas[rotation:] + chromas[:rotation]
        for bottom in range(low, high + 1):
            if bottom % 12 != order[0]:
                continue
            notes = [bottom]
            for chroma in order[1:]:
                notes.append(notes[-1] + (chroma - notes[-1]) % 12)
            if notes[-1] > high:
                continue
            if bass is not None:
                below = notes[0] - ((notes[0] - bass.chroma) % 12 or 12)
                notes.insert(0, below)
            out.append(tuple(notes))
    if not out:
        raise TheoryError(
            f"voicing: chord {symbol!r} does not fit between {midi_to_note(low)} and "
            f"{midi_to_note(high)}; widen the range"
        )
    return tuple(sorted(out))


def _movement(previous: Voicing, candidate: Voicing) -> int:
    if len(previous) == len(candidate):
        return sum(abs(a - b) for a, b in zip(previous, candidate))
    there = sum(min(abs(n - p) for p in previous) for n in candidate)
    back = sum(min(abs(p - n) for n in candidate) for p in previous)
    return there + back


def _by_anchor(candidates: tuple[Voicing, ...], anchor: int, mode: str, root: int) -> int:
    """Index of the candidate `mode` picks relative to the anchor."""
    indexed = list(enumerate(candidates))
    if mode == "above":
        fits = [(i, c) for i, c in indexed if c[0] >= anchor]
        if fits:
            return min(fits, key=lambda ic: ic[1][0])[0]
        return max(indexed, key=lambda ic: ic[1][0])[0]
    if mode == "root":
        rooted = [(i, c) for i, c in indexed if c[0] % 12 == root] or indexed
        below = [(i, c) for i, c in rooted if c[0] <= anchor]
        if below:
            return max(below, key=lambda ic: ic[1][0])[0]
        return min(rooted, key=lambda ic: ic[1][0])[0]
    limit = anchor - 1 if mode == "duck" else anchor
    below = [(i, c) for i, c in indexed if c[-1] <= limit]
    if below:
        return max(below, key=lambda ic: (ic[1][-1], -ic[1][0]))[0]
    return min(indexed, key=lambda ic: (ic[1][-1], ic[1][0]))[0]


@lru_cache(maxsize=8192)
def _voice_midi(
    symbol: str, low: int, high: int, anchor: int, previous: Voicing | None, mode: str, offset: int
) -> Voicing:
    candidates = voicing_candidates(symbol, low, high)
    if previous and mode == "below" and not offset:
        return min(candidates, key=lambda c: (_movement(previous, c), abs(c[-1] - anchor), c[-1]))
    ordered = tuple(sorted(candidates, key=lambda c: (c[-1], c[0])))
    index = _by_anchor(ordered, anchor, mode, parse_chord(symbol).root.chroma)
    return ordered[max(0, min(len(ordered) - 1, index + offset))]


MODES = ("below", "above", "duck", "root")
"""How a voicing meets the anchor: top note at or below it, bottom note at or above it, top
note below it (the anchor itself left out), or root position with the root at or below it."""


def voice(
    symbol: str,
    previous: Voicing | None = None,
    *,
    low: str | int = DEFAULT_LOW,
    high: str | int = DEFAULT_HIGH,
    anchor: str | int = DEFAULT_ANCHOR,
    mode: str = "below",
    offset: int = 0,
) -> Voicing:
    """Voice one chord: nearest to `previous` if given (in the default mode without offset),
    else aligned to `anchor` by `mode`; `offset` moves to the next higher (or lower) voicing.

    >>> voice("Dm7"), voice("G7", previous=(62, 65, 69, 72))
    ((62, 65, 69, 72), (62, 65, 67, 71))
    >>> voice("C", low="C4", high="C6", anchor="G5"), voice("C", mode="above", anchor="E4")
    ((72, 76, 79), (64, 67, 72))
    >>> voice("C", mode="root"), voice("C", offset=-1)
    ((60, 64, 67), (60, 64, 67))
    """
    low_midi, high_midi = _midi(low, "low"), _midi(high, "high")
    if high_midi - low_midi < 12:
        raise TheoryError(f"voicing: the range {low!r}..{high!r} must span at least an octave")
    if mode not in MODES:
        raise TheoryError(f"voicing: mode must be one of {', '.join(MODES)}, got {mode!r}")
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise TheoryError(f"voicing: offset must be a whole number, got {offset!r}")
    return _voice_midi(
        symbol, low_midi, high_midi, _midi(anchor, "anchor"),
        tuple(previous) if previous else None, mode, offset,
    )


def voice_lead(
    symbols: list[str],
    *,
    low: str | int = DEFAULT_LOW,
    high: str | int = DEFAULT_HIGH,
    anchor: str | int = DEFAULT_ANCHOR,
) -> list[Voicing]:
    """Voice a chord sequence with smooth voice leading (the first one by the anchor).

    >>> [voicing_notes(v) for v in voice_lead(["Dm7", "G7", "Cmaj7"])]
    [['D4', 'F4', 'A4', 'C5'], ['D4', 'F4', 'G4', 'B4'], ['C4', 'E4', 'G4', 'B4']]
    """
    out: list[Voicing] = []
    previous: Voicing | None = None
    for symbol in symbols:
        previous = voice(symbol, previous, low=low, high=high, anchor=anchor)
        out.append(previous)
    return out


def voicing_notes(voicing: Voicing) -> list[str]:
    """Note names (flats) of a voicing.

    >>> voicing_notes((61, 65, 68))
    ['Db4', 'F4', 'Ab4']
    """
    return [midi_to_note(n) for n in voicing]


def voicing_step(voicing: Voicing, index: int) -> int:
    """The `index`-th note of a voicing played as a scale (wrapping by octaves).

    >>> voicing_step((60, 64, 67), 3), voicing_step((60, 64, 67), -1)
    (72, 55)
    """
    if isinstance(index, bool) or not isinstance(index, int):
        raise TheoryError(f"voicing: n must be a whole number, got {index!r}")
    octaves, position = divmod(index, len(voicing))
    return voicing[position] + 12 * octaves
