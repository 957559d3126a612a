"""Voice pools fitted to a set's notes for an offline render (as `synths.render` fits them).

Live, every track gets `polyphony` voices per instrument (16 by default, plus spare slots for
fading steals): nobody knows what the performer will play next. A render knows: the set's notes
over the bars it renders are read ahead (`livecode.package.played`, without audio), and each
track's pools get as many voices as its notes ever need at once (onset to the end of the voice's
tail, `synths.render.polyphony_needed`), at least 1 and at most `polyphony`. Nothing is stolen
that the full pool would keep, and the render builds and skips far fewer idle voices. Notes then
reuse voices sooner (the pool picks the voice free the longest), so a voice's oscillator phases
and noise may differ from a full-pool render: deterministic either way.

`pool_sizes(set_path, bars)` loads the set once more without audio; `sizes_of(notes, tempo)`
works from notes already read (the package reads them anyway). A track whose notes cannot be
measured keeps the full pool.

>>> from fractions import Fraction
>>> from livecode.package.played import PlayedNote
>>> from livecode.clock import TempoMap
>>> tempo = TempoMap(bpm=120)
>>> beeps = [PlayedNote(Fraction(k, 4), Fraction(k, 4) + Fraction(1, 16), 60, 100, {"s": "sine", "note": 60})
...          for k in range(8)]
>>> sizes_of({"d1": beeps}, tempo, 48000, 256)
{'d1': 1}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from livecode.errors import LivecodeError
from livecode.package.played import PlayedNote, played
from livecode.session import Session
from livecode.targets import ENGINE_ONLY_KEYS, cycle_units

if TYPE_CHECKING:
    from livecode.clock import TempoMap
    from synths.engine import Resolver
    from synths.render import NoteLoad

__all__ = ["pool_sizes", "sizes_of", "load_of"]


def sizes_of(notes: Mapping[str, Sequence[PlayedNote]], tempo: TempoMap, sample_rate: int, block: int,
             resolver: Resolver | None = None) -> dict[str, int]:
    """Per track, the voices its pools need so that no note is stolen (see the module doc)."""
    return load_of(notes, tempo, sample_rate, block, resolver).voices


def load_of(notes: Mapping[str, Sequence[PlayedNote]], tempo: TempoMap, sample_rate: int, block: int,
            resolver: Resolver | None = None) -> NoteLoad:
    """Per track, the voices its pools need and the seconds its voices sound
    (`synths.render.note_load`)."""
    from synths.events import NoteEvent  # noqa: PLC0415 - livecode imports synths lazily
    from synths.render import note_load  # noqa: PLC0415

    events: list[NoteEvent] = []
    for track, found in notes.items():
        for note in found:
            start = tempo.time_at(note.begin)
            try:
                params = cycle_units({k: v for k, v in note.params.items() if k not in ENGINE_ONLY_KEYS},
                                     tempo.cps_at(note.begin))
            except LivecodeError:
                continue
            hold = max(1, round((tempo.time_at(note.end) - start) * sample_rate))
            events.append(NoteEvent(round(start * sample_rate), track, params, hold))
    return note_load(events, resolver, sample_rate, block)


def pool_sizes(set_path: str | Path, bars: float | Callable[[Session], float], sample_rate: int = 48000,
               block: int = 256) -> dict[str, int]:
    """Load the set without audio and fit each track's pools to its notes over `bars` cycles
    (a song form is followed; `bars` may be a function of the loaded session, e.g. to the end of
    its form); {} when the set cannot be read that way (the render then builds full pools and
    reports the set's errors itself)."""
    try:
        session = Session.create(audio="none", sr=sample_rate)
    except LivecodeError:
        return {}
    try:
        session.load(Path(set_path))
        span = bars(session) if callable(bars) else bars
        notes = played(session, span, follow_song=True, every=True)
        return sizes_of(notes, session.tempo, sample_rate, block)
    except Exception:  # noqa: BLE001 - any failure here only means full pools
        return {}
    finally:
        session.close()
