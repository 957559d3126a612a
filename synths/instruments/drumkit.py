"""Drum kits as tables: each kit file lists its sounds (family, decay, level and the family's
constants that differ) and `build_kit` makes the `DrumVoice` subclasses from them. Families are
named: `kick snare clap rim tom metal shaker` (`FAMILIES`).

A sound's class is named after its voice NAME (`tr808_bd`), its `PARAMS` is
`drum_table(NAME, decay, rows)`, and its constants (`BASE_FREQ`, `RATIOS`, `BAND` ...) override
the family's defaults (see `synths.instruments.drums`).

>>> kit = build_kit("demo", {"cp": sound("clap", "a clap", decay=0.2, level=1.0, BURSTS=2)})
>>> kit["cp"].NAME, kit["cp"].BURSTS, kit["cp"].PARAMS["decay"].default, kit["cp"].__name__
('demo_cp', 2, 0.2, 'demo_cp')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from synths.errors import SynthError
from synths.instruments.drums import (
    ClapVoice,
    DrumVoice,
    KickVoice,
    MetalVoice,
    RimVoice,
    ShakerVoice,
    SnareVoice,
    TomVoice,
    drum_table,
)
from synths.params import ParamSpec

__all__ = ["FAMILIES", "Sound", "sound", "build_kit"]

FAMILIES: Mapping[str, type[DrumVoice]] = MappingProxyType({
    "kick": KickVoice,
    "snare": SnareVoice,
    "clap": ClapVoice,
    "rim": RimVoice,
    "tom": TomVoice,
    "metal": MetalVoice,
    "shaker": ShakerVoice,
})
"""The drum families by name (see `synths.instruments.drums`)."""


@dataclass(frozen=True, slots=True)
class Sound:
    """One drum of a kit: its family class, one-line doc, default decay (s), output level, extra
    parameter rows and the class constants it changes.

    >>> sound("shaker", "shaker", decay=0.07, level=0.31).family.__name__
    'ShakerVoice'
    """

    family: type[DrumVoice]
    doc: str
    decay: float
    level: float
    rows: Sequence[ParamSpec] = ()
    constants: Mapping[str, Any] = field(default_factory=dict)


def sound(family: str, doc: str, *, decay: float, level: float,
          rows: Sequence[ParamSpec] = (), **constants: Any) -> Sound:
    """A `Sound` of the named family; keyword constants (`BASE_FREQ=50.0`) must exist on it.

    >>> sound("tom", "tom", decay=0.3, level=0.5, PITCH=1.0)
    Traceback (most recent call last):
    ...
    synths.errors.SynthError: sound: the tom family (TomVoice) has no constant PITCH
    """
    cls = FAMILIES.get(family)
    if cls is None:
        raise SynthError(f"sound: unknown drum family {family!r} (families: {', '.join(FAMILIES)})")
    for name in constants:
        if not hasattr(cls, name):
            raise SynthError(f"sound: the {family} family ({cls.__name__}) has no constant {name}")
    return Sound(cls, doc, decay, level, tuple(rows), dict(constants))


def build_kit(prefix: str, sounds: Mapping[str, Sound], *, aliases: Mapping[str, str] | None = None,
              shared: Mapping[str, type[DrumVoice]] | None = None) -> Mapping[str, type[DrumVoice]]:
    """The kit: `s` name -> voice class named `<prefix>_<s>`; `aliases` name another key of this
    kit, `shared` entries (sounds borrowed from another kit) are kept as they are.

    >>> kit = build_kit("x", {"rim": sound("rim", "rim", decay=0.03, level=0.2)}, aliases={"rs": "rim"})
    >>> sorted(kit), kit["rs"] is kit["rim"], kit["rim"].LEVEL
    (['rim', 'rs'], True, 0.2)
    """
    kit: dict[str, type[DrumVoice]] = {}
    for key, spec in sounds.items():
        name = f"{prefix}_{key}"
        body = {
            "__doc__": spec.doc,
            "__module__": spec.family.__module__,
            "NAME": name,
            "PARAMS": drum_table(name, spec.decay, spec.rows),
            "LEVEL": spec.level,
            **spec.constants,
        }
        kit[key] = type(name, (spec.family,), body)
    kit.update(shared or {})
    for alias, key in (aliases or {}).items():
        kit[alias] = kit[key]
    return MappingProxyType(kit)
