"""The prelude's MIDI-file names, bound to a session: `export_midi` and `import_midi`.

>>> from livecode.session import Session
>>> session = Session.create(audio="none")
>>> names = midi_file_functions(session)
>>> sorted(names)
['export_midi', 'import_midi']
>>> session.close()
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from numbers import Rational
from pathlib import Path
from typing import TYPE_CHECKING

from livecode.errors import DeliverError
from livecode.package.midifile import read_notes, write_song
from livecode.package.played import played
from patterns.notelist import note_list

if TYPE_CHECKING:
    from livecode.session import Session
    from patterns.pattern import Pattern

__all__ = ["midi_file_functions"]


def _grid(quantize: object) -> Fraction | None:
    if quantize is None:
        return None
    try:
        if isinstance(quantize, str):
            grid = Fraction(str(quantize))
        elif isinstance(quantize, (int, float, Decimal, Rational)):
            grid = Fraction(quantize)
        else:                                    # what Fraction() raises for any other type
            raise TypeError(f"not a number: {quantize!r}")
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):      # OverflowError: inf
        raise DeliverError(f"import_midi: quantize must be a grid in cycles such as 1/16, got {quantize!r}") from None
    if grid <= 0:
        raise DeliverError(f"import_midi: quantize must be > 0, got {quantize!r}")
    return grid


def midi_file_functions(session: Session) -> dict[str, Callable[..., object]]:
    """`export_midi` and `import_midi` bound to `session`."""

    def export_midi(path: str, bars: float = 8) -> str:
        """Write the first `bars` bars as a type-1 MIDI file, one track per track.

        Tempo map, names, channels, programs, velocities and lengths as played.
        Example: export_midi("sketch.mid", bars=8)"""
        if isinstance(bars, bool) or not isinstance(bars, (int, float)) or not 0 < bars <= 10000:
            raise DeliverError(f"export_midi: bars must be a number of bars > 0, got {bars!r}")
        roles = {t.name: t.role_name for t in session.tracks if t.role_name is not None}
        channels = {t.name: t.target.midi_channel for t in session.tracks if t.target.midi_port is not None}
        target = write_song(played(session, bars), session.tempo, Path(path).expanduser(), roles=roles,
                            channels=channels, title=Path(path).stem)
        return str(target)

    def import_midi(path: str, track: str | int | None = None, quantize: object = None) -> Pattern:
        """A MIDI file track's notes as a pattern, looping over whole bars.

        Notes, velocities and lengths are kept; `quantize="1/16"` snaps them to a grid.
        Example: d2 >> import_midi("riff.mid").s("pluck")"""
        notes, period = read_notes(Path(path).expanduser(), track, beats_per_cycle=session.tempo.beats_per_cycle)
        return note_list(notes, period, quantize=_grid(quantize))

    return {"export_midi": export_midi, "import_midi": import_midi}
