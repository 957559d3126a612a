"""Key changes: `keyChange(amount)` moves every pitched event and leaves the drums alone.

The final-chorus lift is a semitone or a tone up: `keyChange(1)`, `keyChange("M2")`, or
patterned, `keyChange("<0 0 0 1>")`. Unlike `transpose`, which insists on notes, `keyChange`
goes through a whole mix of events and moves what has a pitch:

- `note` (names are respelled, numbers get the semitones); a note made by `scale(...)` keeps
  a scale, moved too, so `scaleTranspose` still works after the lift;
- `freq` (multiplied), `chord` symbols (root and slash bass, so `voicing()` after it voices
  the new key), and bare note names or numbers;
- everything else stays: drums (`s` with no `note`), sample numbers (`n`), other controls.
  Scale degrees (`n` before `.scale(...)`) are not pitches yet: lift after `scale`.

>>> from patterns import stack, s, note
>>> mix = stack(s("bd sd"), note("c4 e4").s("piano"))
>>> [e.value for e in mix.keyChange(1).onsets(0, 1)]
[{'s': 'bd'}, {'note': 'Db4', 's': 'piano'}, {'s': 'sd'}, {'note': 'F4', 's': 'piano'}]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from patterns.errors import TheoryError
from patterns.pattern import Pattern
from patterns.register import register
from patterns.theory.intervals import parse_interval, transpose_note
from patterns.theory.notes import is_note, simplify_note
from patterns.theory.scales import ScaleNote

__all__ = ["keyChange", "key_change", "change_key_of", "transpose_chord"]

_CHORD_RE = re.compile(r"^([A-Ga-g][#b]?)(.*?)(?:/([A-Ga-g][#b]?))?$")
_SPEC_RE = re.compile(r"^\s*([^\s:]+)(.*)$", re.S)


def _amount(amount: Any) -> tuple[int, int | str]:
    """Semitones and the interval used to spell note names."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float, str)):
        raise TheoryError(f"keyChange: expected semitones or an interval like m2, M2, -m3, got {amount!r}")
    if isinstance(amount, str):
        return parse_interval(amount).semitones, amount
    if amount != int(amount):
        raise TheoryError(f"keyChange: a key moves by whole semitones, got {amount!r}")
    return int(amount), int(amount)


@lru_cache(maxsize=4096)
def _moved_name(note: str, step: int | str) -> str:
    return simplify_note(transpose_note(note, step))


def transpose_chord(symbol: str, amount: int | str) -> str:
    """A chord symbol moved by semitones or an interval (root and slash bass; quality kept).

    >>> transpose_chord("Am7", 2), transpose_chord("F/A", "m2"), transpose_chord("Bb", 1)
    ('Bm7', 'Gb/Bb', 'B')
    """
    match = _CHORD_RE.match(symbol.strip()) if isinstance(symbol, str) else None
    if match is None:
        raise TheoryError(f"keyChange: expected a chord symbol like 'Am7' or 'F/A', got {symbol!r}")
    _, step = _amount(amount)
    root, quality, bass = match.groups()
    moved = _moved_name(root[0].upper() + root[1:], step) + quality
    return moved if bass is None else f"{moved}/{_moved_name(bass[0].upper() + bass[1:], step)}"


def _moved_scale(spec: str, step: int | str) -> str:
    match = _SPEC_RE.match(spec)
    if match is None or not is_note(match.group(1)):
        return spec
    return _moved_name(match.group(1), step) + match.group(2)


def _moved_note(note: Any, semitones: int, step: int | str) -> Any:
    if isinstance(note, bool):
        return note
    if isinstance(note, (int, float)):
        return note + semitones
    if not is_note(note):
        return note
    moved = _moved_name(str(note), step)
    spec = getattr(note, "scale", None)
    return ScaleNote(moved, _moved_scale(spec, step)) if isinstance(spec, str) else moved


def change_key_of(value: Any, amount: int | str) -> Any:
    """One event value with its pitch moved (see the module doc for what counts as pitch).

    >>> change_key_of({"s": "bd"}, 2), change_key_of({"chord": "Am"}, 2), change_key_of(60, 1)
    ({'s': 'bd'}, {'chord': 'Bm'}, 61)
    >>> change_key_of({"freq": 440.0}, 12)
    {'freq': 880.0}
    """
    semitones, step = _amount(amount)
    if not isinstance(value, Mapping):
        return _moved_note(value, semitones, step)
    out = dict(value)
    if "note" in out:
        out["note"] = _moved_note(out["note"], semitones, step)
    if isinstance(out.get("freq"), (int, float)) and not isinstance(out["freq"], bool):
        out["freq"] = out["freq"] * 2.0 ** (semitones / 12.0)
    if isinstance(out.get("chord"), str):
        out["chord"] = transpose_chord(out["chord"], step)
    return out


def _key_change(amount: Any, pat: Pattern) -> Pattern:
    """Move the pitched events by semitones or an interval (patterned); drums do not move.

    >>> from patterns.controls import n, s
    >>> [e.value["note"] for e in n("0 2").scale("A:minor").keyChange("<0 2>").query_arc(1, 2)]
    ['B3', 'D4']
    >>> [e.value for e in s("bd:3").keyChange(1).first_cycle()]
    [{'s': 'bd', 'n': 3}]
    """
    _amount(amount)
    return pat.fmap(lambda value: change_key_of(value, amount))


keyChange = register(["keyChange", "key_change"], _key_change)
key_change = keyChange
