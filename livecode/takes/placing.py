"""Takes as patterns: `audio(file, at=9)` and comping (`comp`), one segment per cycle.

A placed take is a pattern with one event per cycle (bar): each event plays the part of the
file that falls in its cycle (`livecode.takes.timeline` turns it into samples). Cutting a take
into bars is what lets a performer start the song at bar 11 of a take placed at bar 9 and hear
it from the right sample, and what lets comping switch takes on a bar boundary, exactly.

Comping picks one take per bar range: `comp({1: "take1.wav", 9: "take3.wav"})` plays take 1 in
bars 1-8 and take 3 from bar 9; `comp("<a a b a>", takes={"a": ..., "b": ...})` follows a
pattern of names (a name may change inside a bar, "a b" splits it). `comp_ranges` is the core:
a list of (first bar, last bar or None, take); a section name can later map onto a range.

>>> from livecode.takes.spec import make_take_for_test
>>> t = make_take_for_test(48000)
>>> [str(e.whole) for e in audio_pattern(t).query_arc(0, 2)]
['0 → 1', '1 → 2']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path

from livecode.takes.spec import (
    CompPiece,
    LiveInput,
    Take,
    make_take,
    parse_bar,
    parse_time,
)
from patterns.event import Event
from patterns.pattern import Pattern, reify
from patterns.timespan import TimeSpan
from synths.errors import TakeError

__all__ = ["audio", "audio_pattern", "audio_in", "comp", "comp_ranges", "TAKE_KEY"]

TAKE_KEY = "take"
"""The control that carries a `Take` to the scheduler (which turns it into engine samples)."""

Piece = tuple[Fraction, Fraction, Take | LiveInput | CompPiece]
TakeLike = Take | str | Path | Mapping[str, object]


def _segments(pick: Callable[[int], list[Piece]]) -> Pattern:
    """A pattern of the pieces `pick(cycle)` returns for each cycle the query touches."""

    def query(span: TimeSpan) -> list[Event]:
        out: list[Event] = []
        low = math.floor(span.begin)
        high = max(low + 1, math.ceil(span.end))
        for cycle in range(low, high):
            for begin, end, take in pick(cycle):
                whole = TimeSpan(begin, end)
                if span.begin == span.end:
                    if not begin <= span.begin < end:
                        continue
                    part = span
                else:
                    found = whole.intersection(span)
                    if found is None or found.begin == found.end:
                        continue
                    part = found
                out.append(Event(whole, part, {"s": take.sound, TAKE_KEY: take}))
        return out

    return Pattern(query, Fraction(1))


def audio_pattern(take: Take) -> Pattern:
    """The segments of one take: an event for every cycle from cycle 0 (a negative `offset`
    plays before bar `at`; segments with nothing of the file are dropped when scheduled)."""
    return _segments(lambda cycle: [] if cycle < 0 else [(Fraction(cycle), Fraction(cycle + 1), take)])


def audio_in(*channels: int) -> Pattern:
    """The live audio input as a track source, heard through the track's chain and fader.

    Start livecode with --inputs N; give one channel, or two for a stereo pair.
    Example: d9 >> audio_in(1)
    """
    source = LiveInput.of(channels or (1,))
    return _segments(lambda cycle: [] if cycle < 0 else [(Fraction(cycle), Fraction(cycle + 1), source)])


def audio(
    path: str | Path,
    at: object = 1,
    *,
    begin: object = None,
    end: object = None,
    offset: object = 0,
    gain: object = 1.0,
    fadein: object = 0,
    fadeout: object = 0,
) -> Pattern:
    """A recorded file (WAV/FLAC/AIFF) on the timeline at bar `at`, exact to the sample.

    Trim with `begin`/`end` (positions in the file), move with `offset`, `gain`, `fadein`/`fadeout`;
    times are ms or strings ("1.5s", "480smp"); see docs/takes.md.
    Example: d8 >> audio("vox_verse.wav", at=9, fadein=10)
    """
    take = make_take(path, at, begin=begin, end=end, offset=offset, gain=gain, fadein=fadein,
                     fadeout=fadeout)
    return audio_pattern(take)


_TAKE_FIELDS = ("file", "at", "begin", "end", "offset", "gain", "fadein", "fadeout")


def _as_take(value: TakeLike | Mapping[str, object], at: object) -> Take:
    """A take from a file name, a dict of `audio()`'s arguments ({"file": ..., "gain": ...}), or a Take.

    >>> _as_take({"file": "x.wav", "volume": 1}, 1)
    Traceback (most recent call last):
    ...
    synths.errors.TakeError: comp: unknown take field 'volume' (known: file, at, begin, end, offset, gain, fadein, fadeout)
    """
    if isinstance(value, Take):
        return value
    if isinstance(value, (str, Path)):
        return make_take(value, at)
    if isinstance(value, Mapping):
        unknown = [key for key in value if key not in _TAKE_FIELDS]
        if unknown:
            raise TakeError(f"comp: unknown take field {unknown[0]!r} (known: {', '.join(_TAKE_FIELDS)})")
        if "file" not in value:
            raise TakeError("comp: a take given as a dict needs its 'file'")
        fields = {key: item for key, item in value.items() if key not in ("file", "at")}
        return make_take(value["file"], value.get("at", at), **fields)  # type: ignore[arg-type]
    raise TakeError(f"comp: a take must be a file name or a dict of audio()'s arguments "
                    f"({{'file': 'take1.wav', 'gain': 0.8}}), got {type(value).__name__}")


def comp_ranges(ranges: Sequence[tuple[object, object, TakeLike]], at: object = 1, *,
                xfade: object = 0) -> Pattern:
    """Comping by bar ranges: [(first bar, last bar or None, take), ...]; other bars are silent.

    Overlapping ranges are refused; files named by string are placed at bar `at`; `xfade` (ms or
    "480smp", at most 1 s) crossfades adjacent takes across their bar line.
    Example: d8 >> comp_ranges([(1, 8, "take1.wav"), (9, None, "take3.wav")], xfade=10)

    >>> comp_ranges([(1, 8, "missing.wav")])
    Traceback (most recent call last):
    ...
    synths.errors.TakeError: take: no such file 'missing.wav'
    """
    fade = parse_time(xfade, "xfade")
    if not 0.0 <= fade.value <= (1000.0 if fade.unit == "ms" else 384000.0):
        raise TakeError(f"comp: xfade must be 0 to 1 s, got {xfade!r}")
    ranges_ = _checked_ranges(ranges, at)
    starts = {begin for begin, _, _ in ranges_}
    ends = {end for _, end, _ in ranges_ if end is not None}
    crossfade = fade.value > 0.0
    pieces = [(begin, end, CompPiece(take, begin if crossfade and begin in ends else None,
                                     end if crossfade and end in starts else None, fade))
              for begin, end, take in ranges_]

    def pick(cycle: int) -> list[Piece]:
        out: list[Piece] = []
        lo, hi = Fraction(cycle), Fraction(cycle + 1)
        for begin, end, piece in pieces:
            b, e = max(begin, lo), hi if end is None else min(end, hi)
            if b < e:
                out.append((b, e, piece))
            elif piece.start is not None and lo < begin <= hi:
                out.append((lo, begin, piece))        # the lead-in of a crossfade into this take
        return out

    return _segments(pick)


def _checked_ranges(ranges: Sequence[tuple[object, object, TakeLike]], at: object
                    ) -> list[tuple[Fraction, Fraction | None, Take]]:
    """(first cycle, end cycle or None, take) of each range, sorted; overlaps refused."""
    pieces: list[tuple[Fraction, Fraction | None, Take]] = []
    for index, item in enumerate(ranges):
        if not isinstance(item, tuple) or len(item) != 3:
            raise TakeError(f"comp: range {index + 1} must be (first bar, last bar or None, take), got {item!r}")
        first = parse_bar(item[0], "first bar")
        last = None if item[1] is None else parse_bar(item[1], "last bar")
        if last is not None and last < first:
            raise TakeError(f"comp: range {index + 1} ends (bar {last}) before it starts (bar {first})")
        pieces.append((first - 1, None if last is None else last, _as_take(item[2], at)))
    pieces.sort(key=lambda piece: piece[0])
    for (b0, e0, _), (b1, _, _) in zip(pieces, pieces[1:]):
        if e0 is None or e0 > b1:
            raise TakeError(f"comp: the ranges starting at bars {b0 + 1} and {b1 + 1} overlap")
    return pieces


def comp(
    choices: Mapping[int, TakeLike] | Pattern | str,
    at: object = 1,
    *,
    takes: Mapping[str, TakeLike] | None = None,
    xfade: object = 0,
) -> Pattern:
    """Comping: one take per bar range, switching on the sample where the bar starts.

    A dict maps the bar where each choice starts to its take; a pattern (or mini-notation) of
    names picks from `takes` per cycle (a hard cut). `xfade` (ms) crossfades the bar ranges of
    a dict across their bar lines. Example: d8 >> comp({1: "take1.wav", 9: "take3.wav"})
    """
    if isinstance(choices, Mapping):
        if not choices:
            raise TakeError("comp: give at least one {bar: take} choice")
        bars = sorted((parse_bar(bar, "bar"), value) for bar, value in choices.items())
        ranges = [(bar, None if i + 1 == len(bars) else bars[i + 1][0] - 1, value)
                  for i, (bar, value) in enumerate(bars)]
        return comp_ranges(ranges, at, xfade=xfade)
    if parse_time(xfade, "xfade").value != 0.0:
        raise TakeError("comp: xfade works with bar ranges ({bar: take}); a pattern of names cuts")
    if takes is None or not takes:
        raise TakeError("comp: a pattern of take names needs takes={name: file or audio(...)}")
    table = {str(name): _as_take(value, at) for name, value in takes.items()}
    names = reify(choices)
    for event in names.query_arc(0, 16):
        if str(event.value) not in table and event.value is not None:
            raise TakeError(f"comp: unknown take {event.value!r} (known: {', '.join(sorted(table))})")

    def pick(cycle: int) -> list[Piece]:
        out: list[Piece] = []
        lo, hi = Fraction(cycle), Fraction(cycle + 1)
        for event in names.query_arc(lo, hi):
            if event.whole is None:
                continue
            begin, end = max(event.whole.begin, lo), min(event.whole.end, hi)
            if begin >= end or (event.whole.begin < lo and begin != lo):
                continue
            take = table.get(str(event.value))
            if take is None:
                raise TakeError(f"comp: unknown take {event.value!r} (known: {', '.join(sorted(table))})")
            if event.part.begin <= begin:          # one piece per event and cycle
                out.append((begin, end, take))
        return out

    return _segments(pick)
