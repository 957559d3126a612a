"""Offline mastering to a loudness target, with a chain of pyo objects that can also run live.

- `synths.mastering.presets`: presets and targets as data (`presets.json`), custom targets.
- `synths.mastering.chain`: the chain (trim, low cut, tilt, glue, width / mono bass, drive,
  the master bus's true-peak limiter) as pyo objects.
- `synths.mastering.offline`: `master(audio, sr, preset)` lands a mix on its target.

>>> from synths.mastering import preset
>>> preset("apple").target.lufs
-16.0
"""

from __future__ import annotations

from synths.mastering.presets import PRESETS, ChainSettings, Preset, custom, load_presets, preset

__all__ = ["PRESETS", "ChainSettings", "Preset", "custom", "load_presets", "preset", "master",
           "MasterResult"]


def __getattr__(name: str) -> object:
    if name in ("master", "MasterResult"):
        from synths.mastering import offline  # noqa: PLC0415 - pyo-side module on first use

        return getattr(offline, name)
    raise AttributeError(f"module 'synths.mastering' has no attribute {name!r}")
