"""A song form: sections in order with their lengths in bars, repeats unrolled.

`song(["intro", 8], ["verse", 16], ["chorus", 16], ["verse", 16, 2])` is a form of parts; a
third number repeats a part (each repeat starts its patterns again, as a DAW's loop does). A
part's length is whole bars (one bar = one cycle). `end` says what happens after the last
part: `"stop"` (default) stops every track, `"loop"` plays the form again, `"hold"` keeps
the last section playing.

>>> form = parse_form([["intro", 4], ["verse", 8, 2], ["chorus", 8]], {"intro", "verse", "chorus"})
>>> form.names(), form.length, form.start_of(3)
(['intro', 'verse', 'verse', 'chorus'], Fraction(28, 1), Fraction(20, 1))
>>> form.part_at(Fraction(13))
2
>>> str(form)
'intro 4 · verse 8 ×2 · chorus 8 = 28 bars'
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction

from livecode.errors import SongError
from patterns.pattern import did_you_mean

__all__ = ["Part", "Form", "parse_form", "ENDS"]

ENDS = ("stop", "loop", "hold")
"""What a song does after its last part."""


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a form: a section name and a length in bars.

    >>> Part("verse", 16)
    Part(section='verse', bars=16)
    """

    section: str
    bars: int


@dataclass(frozen=True, slots=True)
class Form:
    """The parts of a song in order (repeats unrolled) and what happens after the last.

    >>> Form((Part("a", 2), Part("b", 4))).starts
    (Fraction(0, 1), Fraction(2, 1), Fraction(6, 1))
    """

    parts: tuple[Part, ...]
    end: str = "stop"
    source: str | None = None

    @property
    def starts(self) -> tuple[Fraction, ...]:
        """The first cycle of each part, then the end of the form."""
        out = [Fraction(0)]
        for part in self.parts:
            out.append(out[-1] + part.bars)
        return tuple(out)

    @property
    def length(self) -> Fraction:
        """The whole form in bars (cycles)."""
        return self.starts[-1]

    def start_of(self, index: int) -> Fraction:
        """The first cycle of part `index` (counted from the song's start)."""
        return self.starts[index]

    def names(self) -> list[str]:
        """The section of each part."""
        return [part.section for part in self.parts]

    def part_at(self, cycle: Fraction) -> int:
        """The part playing at `cycle` (song time; the last part past the end)."""
        return min(len(self.parts) - 1, max(0, bisect.bisect_right(self.starts, cycle) - 1))

    def find(self, section: str, after: int | None = None) -> int | None:
        """The first part playing `section` after part `after` (wrapping round), else None.

        >>> Form((Part("v", 1), Part("c", 1), Part("v", 1))).find("v", after=0)
        2
        """
        count = len(self.parts)
        first = 0 if after is None else after + 1
        for step in range(count):
            index = (first + step) % count
            if self.parts[index].section == section:
                return index
        return None

    def __str__(self) -> str:
        groups: list[tuple[Part, int]] = []
        for part in self.parts:
            if groups and groups[-1][0] == part:
                groups[-1] = (part, groups[-1][1] + 1)
            else:
                groups.append((part, 1))
        text = " · ".join(f"{p.section} {p.bars}" + (f" ×{n}" if n > 1 else "") for p, n in groups)
        return f"{text} = {self.length} bars"


def _part(item: object, number: int, known: Collection[str]) -> list[Part]:
    where = f"song: part {number} {item!r}"
    if not isinstance(item, (list, tuple)) or len(item) not in (2, 3):
        raise SongError(f"{where}: expected [name, bars] or [name, bars, times], like ['verse', 16]")
    name, bars = item[0], item[1]
    times = item[2] if len(item) == 3 else 1
    if not isinstance(name, str) or name not in known:
        names = ", ".join(sorted(known)) or "none yet: define them with section(...)"
        hint = did_you_mean(name, list(known)) if isinstance(name, str) else ""
        raise SongError(f"{where}: unknown section {name!r}{hint}; sections: {names}")
    for value, field_name in ((bars, "bars"), (times, "times")):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 1 or value != int(value):
            raise SongError(f"{where}: {field_name} must be a whole number of 1 or more, got {value!r}")
    return [Part(name, int(bars))] * int(times)


def parse_form(items: Sequence[object], known: Collection[str], end: object = "stop",
               source: str | None = None) -> Form:
    """A checked Form from `song(...)`'s arguments; `known` are the defined section names.

    >>> parse_form([["verse", -4]], {"verse"})
    Traceback (most recent call last):
    ...
    livecode.errors.SongError: song: part 1 ['verse', -4]: bars must be a whole number of 1 or more, got -4
    >>> parse_form([["chorsu", 8]], {"chorus", "verse"})
    Traceback (most recent call last):
    ...
    livecode.errors.SongError: song: part 1 ['chorsu', 8]: unknown section 'chorsu' (did you mean: chorus?); sections: chorus, verse
    """
    if not items:
        raise SongError("song: expected parts like song(['intro', 8], ['verse', 16]), got none")
    if end not in ENDS:
        raise SongError(f"song: end must be {' or '.join(repr(e) for e in ENDS)}, got {end!r}")
    parts: list[Part] = []
    for number, item in enumerate(items, start=1):
        parts.extend(_part(item, number, known))
    return Form(tuple(parts), str(end), source)
