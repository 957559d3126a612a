"""Arpeggio orders (Tidal's ``arp`` modes) as functions on a list of chord notes.

The notes are taken in the order the chord was stacked (for voicings and ``[c,e,g]`` that is
bottom to top).

>>> arp_order("updown", ["c", "e", "g", "b"])
['c', 'e', 'g', 'b', 'g', 'e']
>>> arp_order("converge", [1, 2, 3, 4, 5])
[1, 5, 2, 4, 3]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from patterns.errors import TheoryError

__all__ = ["ARP_MODES", "arp_order", "arp_index"]

T = TypeVar("T")


def _converge(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    low, high = 0, len(items) - 1
    while low <= high:
        out.append(items[low])
        if high != low:
            out.append(items[high])
        low, high = low + 1, high - 1
    return out


def _pinkyup(items: list[Any]) -> list[Any]:
    return [x for note in items[:-1] for x in (note, items[-1])]


def _thumbup(items: list[Any]) -> list[Any]:
    return [x for note in items[1:] for x in (items[0], note)]


def _there_and_back(func: Callable[[list[Any]], list[Any]]) -> Callable[[list[Any]], list[Any]]:
    return lambda items: func(items)[:-1] + list(reversed(func(items)))[:-1]


ARP_MODES: dict[str, Callable[[list[Any]], list[Any]]] = {
    "up": lambda xs: list(xs),
    "down": lambda xs: list(reversed(xs)),
    "updown": lambda xs: xs[:-1] + list(reversed(xs))[:-1],
    "downup": lambda xs: list(reversed(xs))[:-1] + xs[:-1],
    "up&down": lambda xs: xs + list(reversed(xs)),
    "down&up": lambda xs: list(reversed(xs)) + xs,
    "converge": _converge,
    "diverge": lambda xs: list(reversed(_converge(xs))),
    "disconverge": lambda xs: _converge(xs) + list(reversed(_converge(xs)))[1:],
    "pinkyup": _pinkyup,
    "pinkyupdown": _there_and_back(_pinkyup),
    "thumbup": _thumbup,
    "thumbupdown": _there_and_back(_thumbup),
}
"""Tidal's arpeggio modes: name -> reordering of the chord's notes."""


def arp_order(mode: str, notes: Sequence[T]) -> list[T]:
    """Reorder chord notes by a named mode (see `ARP_MODES`).

    >>> arp_order("pinkyup", "ceg"), arp_order("thumbup", "ceg"), arp_order("diverge", "cegb")
    (['c', 'g', 'e', 'g'], ['c', 'e', 'c', 'g'], ['g', 'e', 'b', 'c'])
    """
    func = ARP_MODES.get(mode) if isinstance(mode, str) else None
    if func is None:
        raise TheoryError(f"arp: unknown mode {mode!r}; expected one of {', '.join(ARP_MODES)}")
    if not notes:
        return []
    result = func(list(notes))
    return result if result else list(notes)


def arp_index(notes: Sequence[T], index: int) -> T:
    """Pick a chord note by index, wrapping around (Strudel's ``arp("0 2 1")``).

    >>> arp_index(["c", "e", "g"], 3), arp_index(["c", "e", "g"], -1)
    ('c', 'g')
    """
    if isinstance(index, bool) or not isinstance(index, (int, float)) or index != int(index):
        raise TheoryError(f"arp: expected whole-number indices or a mode name, got {index!r}")
    return notes[int(index) % len(notes)]
