"""Pitch-class masks for the vocal chain: `notemask("<Am F C G>")` is a pattern of 12-bit masks
(bit 0 = C) of each chord's notes, for `d1.fx("tune", notes=...)` and `harmony`, so the
correction snaps to the notes of the current chord.

A symbol is a chord (`Am7`, `F`, `Bb/D`), a scale (`A:minor`) or note names joined by `_`
(`a_c_e`).

>>> pitch_mask("C"), pitch_mask("Am"), pitch_mask("a_c_e"), pitch_mask("C:major")
(145, 529, 529, 2741)
>>> [e.value for e in notemask("<Am F>").query_arc(0, 2)]
[529, 545]
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from patterns.errors import TheoryError
from patterns.pattern import Pattern, reify
from patterns.theory.chords import parse_chord
from patterns.theory.notes import parse_note
from patterns.theory.scales import get_scale

__all__ = ["pitch_mask", "notemask"]


@lru_cache(maxsize=512)
def pitch_mask(symbol: str) -> int:
    """The 12-bit mask (bit 0 = C, bit 9 = A) of a chord, a scale or `_`-joined notes.

    >>> pitch_mask("G7")
    2212
    >>> pitch_mask("x")
    Traceback (most recent call last):
    ...
    patterns.errors.TheoryError: notemask: 'x' is no chord, scale or notes (e.g. 'Am7', 'A:minor', 'a_c_e')
    """
    text = str(symbol).strip()
    try:
        if ":" in text or " " in text:
            scale = get_scale(text)
            return _mask(scale.tonic.chroma + interval.semitones for interval in scale.intervals)
        if "_" in text:
            return _mask(parse_note(part).chroma for part in text.split("_") if part)
        chord = parse_chord(text)
        return _mask(chord.root.chroma + interval.semitones for interval in chord.intervals)
    except (TheoryError, AttributeError, ValueError):
        raise TheoryError(f"notemask: {symbol!r} is no chord, scale or notes (e.g. 'Am7', 'A:minor', 'a_c_e')") from None


def _mask(chromas: Any) -> int:
    mask = 0
    for chroma in chromas:
        mask |= 1 << (int(chroma) % 12)
    return mask


def notemask(symbols: str | Pattern) -> Pattern:
    """A pattern of pitch-class masks from a pattern of chord names (mini-notation).

    >>> [e.value for e in notemask("Am F").query_arc(0, 1)]
    [529, 545]
    """
    return reify(symbols).fmap(lambda value: pitch_mask(str(value)))
