"""The release package: track roles, the stems rendered once (in parallel worker processes),
the variants mastered from them, MIDI and lyric files (`livecode render SET.py --deliver DIR`).

- `livecode.package.roles`: the roles and the default guess.
- `livecode.package.jobs`: which tracks render together, and one job's render.
- `livecode.package.stems`: run the jobs (one process or a pool), align and sum the stems.
- `livecode.package.variants`: which stems each deliverable holds.
- `livecode.package.deliver`: the whole package, its report.
- `livecode.package.midifile`: standard MIDI files out and in, `.kar`, `.lrc`.

>>> from livecode.package.roles import ROLES
>>> ROLES[0]
'lead_vocal'
"""

from __future__ import annotations

__all__ = ["FORMATS"]

FORMATS = ("wav", "flac", "ogg", "aiff", "mp3")
"""The audio formats a package can be written in."""
