"""What a set plays, as notes on the cycle timeline: for MIDI files, lyrics and the roles.

`played(session, bars)` queries every track over [0, bars) the way the scheduler does (fades
scale the gain, a fade to zero drops the note, `legato` sets the held length) and returns one
`PlayedNote` per onset, with its exact onset and release in cycles. Nothing is sent anywhere.

>>> from livecode.session import Session
>>> session = Session.create(audio="none", bpm=120)
>>> _ = session.evaluate('d1 >> note("c4 e4").legato(0.5)')
>>> [(str(n.begin), str(n.end), n.note) for n in played(session, 1)["d1"]]
[('0', '1/4', 60), ('1/2', '3/4', 64)]
>>> session.close()
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from livecode.errors import LivecodeError
from livecode.targets import event_params, hold_seconds, midi_note
from livecode.tracks import Track

if TYPE_CHECKING:
    from livecode.session import Session

__all__ = ["PlayedNote", "played", "track_instruments"]


@dataclass(frozen=True)
class PlayedNote:
    """One onset of a track: cycles, MIDI note and velocity, the raw controls."""

    begin: Fraction
    end: Fraction
    note: int
    velocity: int
    params: dict[str, object]


def _release(session: Session, begin: Fraction, offset: Fraction, params: dict[str, object]) -> Fraction:
    """The release cycle: the event's length times `legato`, on the tempo map."""
    tempo = session.tempo
    start = tempo.time_at(begin)
    hold = hold_seconds(params, tempo.time_at(offset) - start)
    if hold == tempo.time_at(offset) - start:
        return offset
    end = Fraction(tempo.cycle_at(start + hold)).limit_denominator(1 << 20)
    return max(end, begin)


def _track_notes(session: Session, track: Track, begin: Fraction, end: Fraction,
                 every: bool = False) -> list[PlayedNote]:
    notes: list[PlayedNote] = []
    for onset, offset, value in track.onsets(begin, end):
        level = track.level_at(onset)
        if level <= 0.0:
            continue
        try:
            params = event_params(value)
            if level < 1.0:
                gain = params.get("gain", 1.0)
                params["gain"] = (float(gain) if isinstance(gain, (int, float)) else 1.0) * level
            number, velocity = _note_of(params, every)
        except (LivecodeError, ValueError, TypeError):
            continue                              # the render reports bad values; MIDI skips them
        notes.append(PlayedNote(onset, _release(session, onset, offset, params), number, velocity, params))
    notes.sort(key=lambda n: (n.begin, n.note))
    return notes


def _note_of(params: dict[str, object], every: bool) -> tuple[int, int]:
    """(MIDI note, velocity); with `every`, (-1, 0) for an event that has no MIDI note."""
    try:
        return midi_note(params)
    except (LivecodeError, ValueError, TypeError):
        if every:
            return -1, 0
        raise


def played(session: Session, bars: float, *, follow_song: bool = False,
           every: bool = False) -> dict[str, list[PlayedNote]]:
    """Every track's notes over the first `bars` cycles, by track name (tracks that play).

    With `follow_song` and a song form playing, the form is played through as the scheduler
    would: each span between two section boundaries is read from what the tracks play there,
    then the conductor arms the next section (its patterns, tempo and mutes). That moves the
    session's tracks and horizon on: only for a session made for it (a package's, not a live one).
    With `every`, events that have no MIDI note (out of range, a drum without one) are kept with
    note -1 (for what counts the engine's notes, `livecode.poolfit`).
    """
    cycles = Fraction(bars).limit_denominator(1024)
    out: dict[str, list[PlayedNote]] = {}
    song = session.song if follow_song else None
    begin = Fraction(0)
    while begin < cycles:
        boundary = song.next_boundary() if song is not None and song.playing else None
        end = cycles if boundary is None else min(max(boundary, begin), cycles)
        for track in session.tracks:
            if track.pattern is None and track.next_pattern is None:
                continue
            notes = _track_notes(session, track, begin, end, every) if end > begin else []
            if notes:
                out.setdefault(track.name, []).extend(notes)
        if boundary is None or song is None or boundary >= cycles:
            break
        session.scheduler.horizon = max(session.scheduler.horizon, boundary)
        song.advance(boundary)
        begin = end
    return out


def track_instruments(notes: list[PlayedNote]) -> list[str]:
    """The instruments (`s` or `s@bank`) the notes play, in first-use order.

    >>> track_instruments([PlayedNote(Fraction(0), Fraction(1), 60, 100, {"s": "bd", "bank": "808"})])
    ['bd@808']
    """
    names: list[str] = []
    for note in notes:
        name = note.params.get("s", note.params.get("sound"))
        if not isinstance(name, str):
            continue
        bank = note.params.get("bank")
        key = f"{name}@{bank}" if bank is not None else name
        if key not in names:
            names.append(key)
    return names
