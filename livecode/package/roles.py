"""Track roles: what a track is in the song, which decides what each deliverable holds.

`d1.role("lead_vocal")` tags a track; the package (`livecode render SET.py --deliver DIR`)
builds its variants from the roles: the instrumental leaves out `lead_vocal` and
`backing_vocal`, the TV track only `lead_vocal`, the a cappella keeps the two vocal roles alone.

A track without a role gets one from what it plays (`default_role`): drum instruments
(`bd`, `sd`, `hh`, ... and drum-kit banks) are `drums`, bass instruments (`sub`, `bass808`,
`acid`, `reese`, anything with "bass" in its name) `bass`, transition effects (`riser`,
`impact`, ...) `fx`, a singing voice or a track named like a vocal (`vox`, `vocal`, `lead_vox`)
`lead_vocal` (or `backing_vocal` when the name says backing/harmony/bv), everything else
`music`. Give roles explicitly for a release: the guess only reads instrument and track names.

>>> check_role("bass")
'bass'
>>> check_role("lead")
Traceback (most recent call last):
...
livecode.errors.DeliverError: role: 'lead' is not a role; roles are lead_vocal, backing_vocal, drums, bass, music, fx
>>> default_role("d1", ["bd@808"]), default_role("d5", ["bass808"]), default_role("vox", ["lead"])
('drums', 'bass', 'lead_vocal')
>>> default_role("d8", ["lead"]), default_role("bv", ["voice"])
('music', 'backing_vocal')
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from livecode.errors import DeliverError

__all__ = ["ROLES", "VOCAL_ROLES", "check_role", "default_role"]

ROLES = ("lead_vocal", "backing_vocal", "drums", "bass", "music", "fx")
"""Every role a track can carry."""

VOCAL_ROLES = ("lead_vocal", "backing_vocal")
"""The roles the instrumental leaves out and the a cappella keeps."""

_DRUMS = {"bd", "sd", "hh", "oh", "cp", "rim", "rs", "lt", "mt", "ht", "cr", "cy", "rd", "cb", "sh",
          "tom", "clap", "kick", "snare", "hat", "perc", "tamb", "conga", "drums", "break"}
_BASS = {"sub", "acid", "reese", "bass808", "pluckbass"}
_FX = {"riser", "downlifter", "impact", "revcymbal", "reverse_cymbal", "noise_sweep", "sweep", "whoosh",
       "tapestop", "uplifter"}
_VOICE = {"voice", "vocal", "vox", "sing", "singer", "choir", "take"}
_VOCAL_NAME = re.compile(r"(^|_)(vox|vocals?|voice|singer|sing|lead_?vox|lv)($|_|\d)")
_BACKING_NAME = re.compile(r"(^|_)(bv|bvs|backing|harmony|harmonies|choir|bgv)($|_|\d)")


def check_role(name: object, who: str = "role") -> str:
    """`name` if it is one of `ROLES`, else one line (starting with `who`) naming the allowed roles."""
    if not isinstance(name, str) or name not in ROLES:
        raise DeliverError(f"{who}: {name!r} is not a role; roles are {', '.join(ROLES)}")
    return name


def default_role(track: str, instruments: Iterable[str]) -> str:
    """The role a track gets when none was given: from its name and its instruments (`s` or
    `s@bank`), in that order of trust (see the module doc)."""
    lower = track.lower()
    if _BACKING_NAME.search(lower):
        return "backing_vocal"
    if _VOCAL_NAME.search(lower):
        return "lead_vocal"
    names = [key.split("@", 1)[0].split(":", 1)[0].lower() for key in instruments]
    if names and all(name in _VOICE for name in names):
        return "lead_vocal"
    if names and all(name in _DRUMS for name in names):
        return "drums"
    if any(name in _BASS or "bass" in name for name in names):
        return "bass"
    if names and all(name in _FX for name in names):
        return "fx"
    return "music"
