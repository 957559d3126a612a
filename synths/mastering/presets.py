"""Mastering presets: a loudness target plus the chain's settings, kept as data (`presets.json`).

`preset(name)` gives a built-in preset; `custom(lufs, ceiling, base=...)` a custom target on a
built-in chain; `load_presets(path)` reads more presets from a JSON file of the same shape.
No pyo here.

| preset | target | ceiling |
| --- | --- | --- |
| streaming | -14 LUFS | -1 dBTP |
| apple | -16 LUFS | -1 dBTP |
| club | -9 LUFS | -0.3 dBTP |
| broadcast | -23 LUFS (EBU R128) | -1 dBTP |

>>> preset("streaming").target.lufs, preset("club").target.ceiling
(-14.0, -0.3)
>>> custom(-12.0, -0.5).target.describe()
'custom (-12.0 LUFS, -0.5 dBTP)'
>>> sorted(PRESETS)
['apple', 'broadcast', 'club', 'streaming']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from synths.errors import MasteringError
from synths.qc.report import Target

__all__ = ["ChainSettings", "Preset", "PRESETS", "preset", "custom", "load_presets", "LIMITS",
           "PRESETS_FILE"]

PRESETS_FILE = Path(__file__).with_name("presets.json")
"""The built-in presets."""

LIMITS: dict[str, tuple[float, float]] = {
    "lufs": (-40.0, -3.0),
    "ceiling": (-12.0, 0.0),
    "lowcut": (0.0, 120.0),
    "tilt": (-6.0, 6.0),
    "glue_threshold": (-40.0, 0.0),
    "glue_ratio": (1.0, 10.0),
    "glue_attack": (0.001, 0.5),
    "glue_release": (0.01, 2.0),
    "width": (0.0, 2.0),
    "mono_below": (0.0, 300.0),
    "release": (0.01, 1.0),
    "input_lufs": (-30.0, -10.0),
}
"""Inclusive range of every number a preset holds (validated on load)."""


def _checked(where: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MasteringError(f"{where}: {name} must be a number, not {value!r}")
    low, high = LIMITS[name]
    if not low <= float(value) <= high:
        raise MasteringError(f"{where}: {name}={value} is out of range [{low}, {high}]")
    return float(value)


@dataclass(frozen=True)
class ChainSettings:
    """The mastering chain's settings (see `synths.mastering.chain`).

    >>> ChainSettings().mono_below
    120.0
    """

    lowcut: float = 30.0
    """Low cut (Hz, 4th-order Butterworth high-pass); 0 = off."""
    tilt: float = 0.0
    """Tilt EQ (dB from the lowest to the highest frequencies, pivot 1 kHz); + is brighter."""
    glue_threshold: float = -20.0
    """Glue compressor threshold (dBFS, with the mix brought to `input_lufs` first)."""
    glue_ratio: float = 2.0
    glue_attack: float = 0.03
    glue_release: float = 0.2
    width: float = 1.0
    """Side level above `mono_below`: 0 mono, 1 as mixed, 2 twice as wide."""
    mono_below: float = 120.0
    """Side signal removed below this (Hz, 4th-order Linkwitz-Riley high-pass); 0 = off."""
    release: float = 0.08
    """Limiter release (s)."""
    input_lufs: float = -20.0
    """Loudness the mix is brought to before the chain, so the glue works alike on any mix."""

    @classmethod
    def from_dict(cls, where: str, data: dict[str, Any]) -> ChainSettings:
        """Validated settings from a dict (unknown names and out-of-range numbers raise)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise MasteringError(f"{where}: unknown chain setting {unknown[0]!r} "
                                 f"(known: {', '.join(sorted(known))})")
        return cls(**{name: _checked(where, name, value) for name, value in data.items()})


@dataclass(frozen=True)
class Preset:
    """A name, a description, a loudness target and the chain's settings."""

    name: str
    description: str
    target: Target
    chain: ChainSettings

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> Preset:
        """A validated preset from its JSON form."""
        where = f"preset {name!r}"
        if not isinstance(data, dict):
            raise MasteringError(f"{where}: must be an object with lufs, ceiling and chain")
        for key in ("lufs", "ceiling"):
            if key not in data:
                raise MasteringError(f"{where}: missing {key}")
        chain = data.get("chain", {})
        if not isinstance(chain, dict):
            raise MasteringError(f"{where}: chain must be an object")
        target = Target(name, _checked(where, "lufs", data["lufs"]),
                        _checked(where, "ceiling", data["ceiling"]))
        return cls(name, str(data.get("description", "")), target, ChainSettings.from_dict(where, chain))


def load_presets(path: str | Path) -> dict[str, Preset]:
    """Presets from a JSON file `{"name": {"lufs": .., "ceiling": .., "chain": {..}}, ...}`."""
    try:
        raw = json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise MasteringError(f"cannot read presets from {path}: {error}") from error
    if not isinstance(raw, dict):
        raise MasteringError(f"{path}: presets must be a JSON object of named presets")
    return {name: Preset.from_dict(name, value) for name, value in raw.items()}


PRESETS: dict[str, Preset] = load_presets(PRESETS_FILE)
"""The built-in presets, by name."""


def preset(name: str, presets: dict[str, Preset] | None = None) -> Preset:
    """The preset called `name` (in `presets`, default the built-ins).

    >>> preset("loud")
    Traceback (most recent call last):
    ...
    synths.errors.MasteringError: unknown preset 'loud' (known: apple, broadcast, club, streaming)
    """
    table = PRESETS if presets is None else presets
    if name not in table:
        raise MasteringError(f"unknown preset {name!r} (known: {', '.join(sorted(table))})")
    return table[name]


def custom(lufs: float, ceiling: float, *, base: str | Preset = "streaming", name: str = "custom") -> Preset:
    """A custom target (`lufs`, `ceiling` dBTP) on the chain of the preset `base`."""
    chosen = preset(base) if isinstance(base, str) else base
    where = f"preset {name!r}"
    target = Target(name, _checked(where, "lufs", lufs), _checked(where, "ceiling", ceiling))
    return replace(chosen, name=name, description=f"custom target on the {chosen.name} chain",
                   target=target)
