"""A section: the patterns some tracks play in one part of a song, and how the part begins.

`section("verse", d1=drums("dance-pop"), d5=progression("pop", "A:minor").bass().s("bass808"))`
names what each track plays while the section sounds. Options (all optional):

* `bpm`: the tempo from the section's first bar (the tempo before it comes back after it);
* `key`: a key change for every pattern the section names (`keyChange`: semitones or an
  interval, `1`, `"M2"`; drums do not move);
* `mute`: tracks that are silent in this section (they come back after it);
* `others`: `"keep"` (default) lets the tracks the section does not name play on, `"stop"`
  silences them at its first bar;
* `start`: `"restart"` (default) starts every pattern at the section's first bar (a 4-bar
  phrase begins on the section's bar 1 wherever the section falls), `"align"` keeps the
  session's cycle count (the pattern plays what it would have played at that bar anyway);
* `like`: another section to start from (its tracks and options), then these override;
* `bars`: how long the section is when it is held with `loop()` outside a song (default: held
  until you move on);
* `tracks`: a dict for track names that clash with an option (`tracks={"key": ...}`).

>>> from patterns import s, note
>>> verse = make_section("verse", {"d1": s("bd*4"), "d2": note("c4 e4")}, key=1)
>>> [e.value for e in verse.pattern_for("d2", Fraction(8)).onsets(8, 9)]
[{'note': 'Db4'}, {'note': 'F4'}]
>>> verse.describe()
'verse: d1, d2; key +1'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from livecode.errors import SongError, one_line_error
from livecode.tracks import to_pattern
from patterns.pattern import Pattern

__all__ = ["Section", "make_section", "OTHERS", "STARTS", "OPTIONS", "check_name"]

OTHERS = ("keep", "stop")
"""What the tracks a section does not name do at its first bar."""
STARTS = ("restart", "align")
"""Where a section's patterns start: at its first bar, or on the session's cycle count."""
OPTIONS = ("like", "bpm", "key", "mute", "others", "start", "bars", "tracks")
"""The keyword arguments of `section()` that are options, not tracks."""


@dataclass(frozen=True, slots=True)
class Section:
    """One named section: patterns by track name and how it begins (see the module doc).

    >>> Section("intro").describe()
    'intro: (no tracks)'
    """

    name: str
    tracks: Mapping[str, Pattern] = field(default_factory=dict)
    bpm: float | None = None
    key: int | float | str | None = None
    mute: tuple[str, ...] = ()
    others: str = "keep"
    start: str = "restart"
    bars: int | None = None
    source: str | None = None

    def pattern_for(self, track: str, at: Fraction) -> Pattern:
        """What `track` plays from cycle `at`, when the section begins there: its pattern, moved
        by the key change, started at `at` for `restart` (unmoved in time for `align`).

        >>> from patterns import s
        >>> sec = make_section("a", {"d1": s("<bd sd>")})
        >>> [e.value["s"] for e in sec.pattern_for("d1", Fraction(3)).onsets(3, 5)]
        ['bd', 'sd']
        >>> [e.value["s"] for e in replace(sec, start="align").pattern_for("d1", Fraction(3)).onsets(3, 5)]
        ['sd', 'bd']
        """
        pattern = self.tracks[track]
        if self.key is not None:
            pattern = pattern.keyChange(self.key)
        if self.start == "restart" and at != 0:
            pattern = pattern.late(at)
        return pattern

    def describe(self) -> str:
        """One line: the tracks and the options that differ from the defaults."""
        parts = [", ".join(self.tracks) or "(no tracks)"]
        if self.bpm is not None:
            parts.append(f"{self.bpm:g} BPM")
        if self.key is not None:
            parts.append(f"key {'+' if isinstance(self.key, (int, float)) and self.key > 0 else ''}{self.key}")
        if self.mute:
            parts.append("mute " + ", ".join(self.mute))
        if self.others != "keep":
            parts.append(f"others {self.others}")
        if self.start != "restart":
            parts.append(self.start)
        return f"{self.name}: " + "; ".join(parts)

    def __repr__(self) -> str:
        return f"<section {self.describe()}>"


def check_name(name: object, who: str) -> str:
    """A section name: a non-empty string.

    >>> check_name("", "section")
    Traceback (most recent call last):
    ...
    livecode.errors.SongError: section: name must be a non-empty string like 'verse', got ''
    """
    if not isinstance(name, str) or not name.strip():
        raise SongError(f"{who}: name must be a non-empty string like 'verse', got {name!r}")
    return name.strip()


def _bpm(value: object) -> float | None:
    from livecode.clock import MAX_BPM, MIN_BPM

    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not MIN_BPM <= value <= MAX_BPM:
        raise SongError(f"section: bpm must be a number from {MIN_BPM:g} to {MAX_BPM:g}, got {value!r}")
    return float(value)


def _key(value: object) -> int | float | str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise SongError(f"section: key must be semitones (1) or an interval ('M2'), got {value!r}")
    from patterns.controls import note

    try:
        note("c4").keyChange(value).onsets(0, 1)
    except Exception as err:  # noqa: BLE001 - any bad interval is one line
        raise SongError(f"section: key {value!r}: {one_line_error(err)}") from None
    return value


def _choice(value: object, field_name: str, choices: Sequence[str]) -> str:
    if value not in choices:
        wanted = " or ".join(repr(c) for c in choices)
        raise SongError(f"section: {field_name} must be {wanted}, got {value!r}")
    return str(value)


def _bars(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 1 or value != int(value):
        raise SongError(f"section: bars must be a whole number of bars (1 or more), got {value!r}")
    return int(value)


def _mute(value: object) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) or hasattr(value, "name") else value
    if not isinstance(items, (list, tuple)):
        raise SongError(f"section: mute must be a track or a list of tracks like ['d3', 'd4'], got {value!r}")
    names: list[str] = []
    for item in items:
        name = getattr(item, "name", item)
        if not isinstance(name, str) or not name.isidentifier():
            raise SongError(f"section: mute: expected a track like d3 or 'bass', got {item!r}")
        names.append(name)
    return tuple(names)


def _patterns(name: str, given: Mapping[str, object]) -> dict[str, Pattern]:
    tracks: dict[str, Pattern] = {}
    for track, value in given.items():
        if not isinstance(track, str) or not track.isidentifier():
            raise SongError(f"section {name!r}: track names are identifiers like d1 or bass, got {track!r}")
        try:
            pattern = to_pattern(value, f"section {name!r}: {track}=")
            pattern.query_arc(Fraction(0), Fraction(1))
        except Exception as err:  # noqa: BLE001 - a pattern that fails is one line naming the track
            raise SongError(f"section {name!r}: {track}: {one_line_error(err)}") from None
        tracks[track] = pattern
    return tracks


def make_section(
    name: object,
    patterns: Mapping[str, object],
    *,
    base: Section | None = None,
    bpm: object = None,
    key: object = None,
    mute: object = None,
    others: object = None,
    start: object = None,
    bars: object = None,
    source: str | None = None,
) -> Section:
    """A checked Section: `patterns` by track name; options not given come from `base` (the
    `like=` section), else the defaults. Every bad value is one SongError line naming it.

    >>> from patterns import s
    >>> chorus = make_section("chorus", {"d1": s("bd*4")}, bpm=128)
    >>> make_section("last chorus", {}, base=chorus, key="M2").describe()
    'last chorus: d1; 128 BPM; key M2'
    >>> make_section("x", {"d1": s("bd")}, others="halt")
    Traceback (most recent call last):
    ...
    livecode.errors.SongError: section: others must be 'keep' or 'stop', got 'halt'
    """
    label = check_name(name, "section")
    start_from = base if base is not None else Section(label)
    tracks = dict(start_from.tracks)
    tracks.update(_patterns(label, patterns))
    return replace(
        start_from,
        name=label,
        tracks=tracks,
        bpm=_bpm(bpm) if bpm is not None else start_from.bpm,
        key=_key(key) if key is not None else start_from.key,
        mute=_mute(mute) if mute is not None else start_from.mute,
        others=_choice(others, "others", OTHERS) if others is not None else start_from.others,
        start=_choice(start, "start", STARTS) if start is not None else start_from.start,
        bars=_bars(bars) if bars is not None else start_from.bars,
        source=source,
    )

