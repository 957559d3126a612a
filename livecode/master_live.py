"""The master bus on a loudness target, live: `master("streaming")`.

A mastering preset (`synths.mastering.presets`: streaming, apple, club, broadcast, or a custom
target) sets the live master bus (`synths.master.MasterBus`: EQ, glue compressor, true-peak
limiter) as the offline mastering chain would: the glue's threshold, ratio, attack and release,
the tilt as opposite shelves (low at 100 Hz, high at 8 kHz), and the limiter's ceiling. The
loudness target is the performer's to reach with the faders and `master(gain=...)` (the gain
into the limiter): the status bar shows the short-term loudness and its distance to the target,
`LUFS -15.2 (-1.2)`. A live set never changes its own level behind the performer's back; the
offline master (`livecode master`, `render --deliver`) lands on the target exactly.

The settings are kept here, so a reconnected engine gets them again (`restore`).

>>> sent = []
>>> live = LiveMaster(lambda path, value: sent.append((path, value)))
>>> live.apply("club")
master: club (-9.0 LUFS, -0.3 dBTP): glue -22 dB 3:1, tilt -0.5 dB, gain +0.0 dB
>>> sent[-1], live.target_lufs
(('ceiling', -0.3), -9.0)
>>> round(live.distance(-10.5), 1)
-1.5
>>> live.apply(None)
master: default (no loudness target)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from livecode.errors import SessionError
from synths.errors import MasteringError
from synths.master import MasterBus
from synths.mastering.presets import PRESETS, Preset, custom, preset

__all__ = ["LiveMaster", "MasterLine", "master_params", "default_params", "GAIN_RANGE"]

GAIN_RANGE = (-12.0, 12.0)
"""dB: the live master's gain into the limiter (`makeup`)."""

_SHELF_LIMIT = 12.0


class MasterLine(str):
    """A reply that shows as itself at the prompt (no quotes)."""

    def __repr__(self) -> str:
        return str(self)


def master_params(chosen: Preset, gain_db: float = 0.0) -> dict[str, float]:
    """The live master bus's parameters for a preset (and a gain into the limiter).

    >>> master_params(preset("streaming"))["threshold"], master_params(preset("streaming"))["ceiling"]
    (-20.0, -1.0)
    """
    chain = chosen.chain
    shelf = max(-_SHELF_LIMIT, min(_SHELF_LIMIT, chain.tilt / 2.0))
    return {
        "mix": 1.0,
        "low": -shelf,
        "mid": 0.0,
        "high": shelf,
        "threshold": chain.glue_threshold,
        "ratio": chain.glue_ratio,
        "attack": chain.glue_attack,
        "release": chain.glue_release,
        "makeup": gain_db,
        "ceiling": chosen.target.ceiling,
    }


def default_params() -> dict[str, float]:
    """The master bus's own defaults (no preset).

    >>> default_params()["ceiling"]
    -1.0
    """
    names = ("low", "mid", "high", "threshold", "ratio", "attack", "release", "makeup", "ceiling")
    return {"mix": 1.0, **{name: MasterBus.PARAMS[name].default for name in names}}


@dataclass
class LiveMaster:
    """The live master's preset and gain; `send(path, value)` sets one master parameter."""

    send: Callable[[str, float], None]
    preset: Preset | None = None
    gain_db: float = 0.0

    @property
    def target_lufs(self) -> float | None:
        """The loudness target of the preset (None without one)."""
        return None if self.preset is None else self.preset.target.lufs

    def distance(self, lufs: float) -> float | None:
        """LU from the target (+ louder than it); None without a target or a reading."""
        target = self.target_lufs
        if target is None or not math.isfinite(lufs):
            return None
        return lufs - target

    def apply(self, name: str | None, *, lufs: float | None = None, ceiling: float | None = None,
              gain: float | None = None) -> MasterLine:
        """Set a preset by name (None: the master's defaults, no target), or a custom target on
        the streaming chain (`lufs`, `ceiling`), and/or the gain into the limiter; one line back."""
        if gain is not None:
            self.gain_db = _checked_gain(gain)
        try:
            if lufs is not None or ceiling is not None:
                base = self.preset or preset("streaming")
                self.preset = custom(base.target.lufs if lufs is None else lufs,
                                     base.target.ceiling if ceiling is None else ceiling, base=base)
            elif name is not None:
                if not isinstance(name, str):
                    raise SessionError(f"master(preset): a name ({', '.join(sorted(PRESETS))}) or None, got {name!r}")
                self.preset = preset(name)
            elif gain is None:
                self.preset = None
        except MasteringError as err:
            raise SessionError(f"master: {err}") from None
        self.restore()
        return self.describe()

    def restore(self) -> None:
        """Send every setting (after `apply`, and to a reconnected engine)."""
        params = default_params() if self.preset is None else master_params(self.preset)
        params["makeup"] = self.gain_db
        for path, value in params.items():
            self.send(path, value)

    def describe(self) -> MasterLine:
        """The one-line reply: what the master does now."""
        chosen = self.preset
        if chosen is None:
            extra = f", gain {self.gain_db:+.1f} dB" if self.gain_db else ""
            return MasterLine(f"master: default (no loudness target){extra}")
        chain = chosen.chain
        return MasterLine(f"master: {chosen.name} ({chosen.target.lufs:.1f} LUFS, {chosen.target.ceiling:.1f} "
                          f"dBTP): glue {chain.glue_threshold:.0f} dB {chain.glue_ratio:g}:1, tilt {chain.tilt:+.1f} "
                          f"dB, gain {self.gain_db:+.1f} dB")


def _checked_gain(value: object) -> float:
    low, high = GAIN_RANGE
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= float(value) <= high:
        raise SessionError(f"master(gain): dB from {low:g} to {high:g}, got {value!r}")
    return float(value)
