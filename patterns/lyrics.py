"""Lyrics on a melody: `note("c4 d4 e4").lyrics("sa-rang-hae")` puts one syllable on each
onset as the `lyric` control, for a vocal synth to sing and for timed-lyric export.

The text: words separated by spaces, syllables inside a word by `-`; `_` holds the syllable
before over one more note (a melisma), `/` or a new line starts a new line of the lyric.
Syllables go to the onsets in order (notes starting together share one); the lyric is a
phrase of as many cycles as it takes to use every syllable, and repeats with it. Notes left
over at the end of the phrase get no syllable.

On the events a syllable is written the way karaoke files write it: a trailing `-` says the
word goes on (`sa-`, `rang-`, `hae`), `_` is a held note, and a leading `/` starts a line (the
text's first syllable starts one too). `sung(lyric)` gives the plain syllable, and
`lyric_lines(pattern, cycles)` the timed lines, ready for LRC.

>>> from patterns.controls import note
>>> [e.value["lyric"] for e in note("c4 d4 e4 e4").lyrics("sa-rang-hae _").onsets(0, 1)]
['/sa-', 'rang-', 'hae', '_']
>>> [[(str(t), s) for t, s in line] for line in lyric_lines(note("c4 d4 e4 e4").lyrics("sa-rang-hae _"), 1)]
[[('0', 'sa-'), ('1/4', 'rang-'), ('1/2', 'hae')]]
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any

from patterns.controls import CONTROL_FUNCTIONS
from patterns.errors import LyricsError
from patterns.event import Event
from patterns.pattern import Pattern
from patterns.register import register
from patterns.timespan import TimeSpan, to_time

__all__ = [
    "HOLD",
    "LINE",
    "MAX_LYRIC_CYCLES",
    "lyric",
    "lyrics",
    "split_lyrics",
    "sung",
    "lyric_lines",
    "line_text",
]

HOLD = "_"
"""A held note: the syllable before goes on over it."""

LINE = "/"
"""Starts a new line of the lyric (in the text, and at the front of a syllable on the events)."""

MAX_LYRIC_CYCLES = 256
"""The longest lyric phrase, in cycles: a text with more syllables than the notes of this many
cycles is an error."""

lyric = CONTROL_FUNCTIONS["lyric"]
"""The `lyric` control itself (one syllable a note, as written on the events)."""


def _word_tokens(word: str) -> list[str]:
    parts = [p for p in word.split("-") if p]
    sung_parts = [i for i, p in enumerate(parts) if p != HOLD]
    last = sung_parts[-1] if sung_parts else -1
    return [p if p == HOLD or i == last else f"{p}-" for i, p in enumerate(parts)]


def split_lyrics(text: str) -> list[str]:
    """The syllables of a lyric text, one per note, as they go on the events.

    >>> split_lyrics("sa-rang-hae _ / na-_-do")
    ['/sa-', 'rang-', 'hae', '_', '/na-', '_', 'do']
    """
    if not isinstance(text, str) or not text.strip():
        raise LyricsError(f"lyrics: expected a text like 'sa-rang-hae', got {text!r}")
    out: list[str] = []
    new_line = True
    for word in text.replace("\n", f" {LINE} ").split():
        if word.startswith(LINE):
            new_line, word = True, word.lstrip(LINE)
        for token in _word_tokens(word):
            if token == HOLD:
                if not out:
                    raise LyricsError(f"lyrics: {text!r} starts with a hold ('_'); a hold needs a syllable before it")
                out.append(token)
                continue
            out.append(LINE + token if new_line else token)
            new_line = False
    if not out:
        raise LyricsError(f"lyrics: {text!r} has no syllables")
    return out


def sung(syllable: str) -> str:
    """The plain syllable of a `lyric` value ("" for a held note).

    >>> sung("/sa-"), sung("hae"), sung("_")
    ('sa', 'hae', '')
    """
    return "" if syllable == HOLD else syllable.lstrip(LINE).rstrip("-")


def _onset_times(pat: Pattern, begin: Fraction, end: Fraction) -> list[Fraction]:
    return sorted({e.whole.begin for e in pat.query(TimeSpan(begin, end))
                   if e.whole is not None and e.has_onset() and begin <= e.whole.begin < end})


def _phrase_cycles(pat: Pattern, count: int) -> int:
    """The fewest cycles from 0 whose onsets carry `count` syllables (1 when nothing plays)."""
    found = 0
    for cycle in range(MAX_LYRIC_CYCLES):
        found += len(_onset_times(pat, Fraction(cycle), Fraction(cycle + 1)))
        if found >= count:
            return cycle + 1
    if found == 0:
        return 1
    raise LyricsError(
        f"lyrics: {count} syllables but only {found} notes in {MAX_LYRIC_CYCLES} cycles; shorten the text"
    )


def _lyrics(text: Any, pat: Pattern) -> Pattern:
    """Put the syllables of `text` on the notes, one per onset (see the module doc).

    >>> from patterns.controls import note
    >>> [e.value for e in note("<[c4 e4] g4>").lyrics("la-la / hey").onsets(0, 2)]
    [{'note': 'c4', 'lyric': '/la-'}, {'note': 'e4', 'lyric': 'la'}, {'note': 'g4', 'lyric': '/hey'}]
    """
    tokens = split_lyrics(text)
    period = _phrase_cycles(pat, len(tokens))
    query = pat.query

    @lru_cache(maxsize=32)
    def onsets(start: int) -> list[Fraction]:
        return _onset_times(pat, Fraction(start), Fraction(start + period))

    def sing(event: Event) -> Event:
        value = event.value
        if not isinstance(value, Mapping):
            raise LyricsError(
                f"lyrics: expected notes as control maps (note(...), n(...)), got {value!r}"
            )
        if event.whole is None:
            return event
        onset = event.whole.begin
        start = math.floor(onset / period) * period
        index = bisect.bisect_left(onsets(start), onset)
        if index >= len(tokens):
            return event
        return Event(event.whole, event.part, {**value, "lyric": tokens[index]}, event.context)

    return Pattern(lambda span: [sing(e) for e in query(span)], pat.steps)


lyrics = register("lyrics", _lyrics, plain=(0,))


def lyric_lines(pat: Pattern, cycles: int | Fraction, begin: int | Fraction = 0) -> list[list[tuple[Fraction, str]]]:
    """The lyric of `cycles` cycles from `begin` as timed lines, for LRC export.

    Each line is a list of (onset in cycles, syllable), the syllable keeping its trailing `-`
    when the word goes on; held notes are left out. Lines break at a leading `/`.

    >>> from patterns.controls import note
    >>> pat = note("c4*4").lyrics("ba-by / oh _")
    >>> [[(str(t), s) for t, s in line] for line in lyric_lines(pat, 2)]
    [[('0', 'ba-'), ('1/4', 'by')], [('1/2', 'oh')], [('1', 'ba-'), ('5/4', 'by')], [('3/2', 'oh')]]
    """
    start = to_time(begin)
    events = [e for e in pat.query(TimeSpan(start, start + to_time(cycles)))
              if e.whole is not None and e.has_onset() and isinstance(e.value, Mapping)
              and isinstance(e.value.get("lyric"), str)]
    events.sort(key=lambda e: e.whole.begin)  # type: ignore[union-attr]
    lines: list[list[tuple[Fraction, str]]] = []
    seen: set[Fraction] = set()
    for event in events:
        time = event.whole.begin  # type: ignore[union-attr]
        syllable = event.value["lyric"]
        if time in seen or syllable == HOLD:
            continue
        seen.add(time)
        if syllable.startswith(LINE) or not lines:
            lines.append([])
        lines[-1].append((time, syllable.lstrip(LINE)))
    return lines


def line_text(line: list[tuple[Fraction, str]]) -> str:
    """A timed line as text: the syllables of a word joined, words separated by spaces.

    >>> line_text([(Fraction(0), "sa-"), (Fraction(1, 4), "rang-"), (Fraction(1, 2), "hae"), (Fraction(1), "yo")])
    'saranghae yo'
    """
    text = ""
    for _, syllable in line:
        text += syllable[:-1] if syllable.endswith("-") else syllable + " "
    return text.strip()
