"""The vocal chain offline: pitch correction (and harmonies) on a numpy array, on its own pyo
server in manual mode, with the same effect classes the live engine uses (`tune`, `harmony`).

`tune_audio` is what `livecode tune` runs. The output is moved back by the chain's latency
(`tune_latency`, plus `harmony`'s when it runs), so it lines up with the input sample for sample
as far as the phase vocoder allows.

>>> import numpy as np

Usage (not run as a doctest: it needs a running engine or device)::

    out = tune_audio(np.zeros((4800, 1)), 48000, scale="A minor")
    out.shape
    # -> (4800, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from synths.effects.base import Effect, EffectContext
from synths.effects.offline import BLOCK, EffectBuilder, run_effects
from synths.effects.vocal import Harmony, Tune, parse_scale, shifter_latency, tune_latency
from synths.errors import ParamError, RenderError

__all__ = ["tune_audio", "chain_latency", "BLOCK"]


def chain_latency(sr: float, harmonies: Sequence[int]) -> int:
    """Samples the offline chain delays its input (tune, then harmony when there are harmonies).

    >>> chain_latency(48000, []), chain_latency(48000, [3])
    (2304, 3328)
    """
    return tune_latency(sr) + (shifter_latency(sr) if harmonies else 0)


def _check(scale: str, speed: float, humanize: float, harmonies: Sequence[int]) -> None:
    parse_scale(scale)
    for name, value in (("speed", speed), ("humanize", humanize)):
        if not 0.0 <= value <= 1.0:
            raise ParamError(f"tune: {name}={value} is out of range [0, 1]")
    if len(harmonies) > 2:
        raise ParamError(f"tune: at most two harmonies, got {list(harmonies)}")
    for interval in harmonies:
        if interval in (-1, 0, 1) or not -8 <= interval <= 8:
            raise ParamError(f"tune: harmony {interval} must be an interval 2..8 or -2..-8 (3 a third above)")


def tune_audio(data: np.ndarray, sr: int, *, scale: str, speed: float = 0.8, humanize: float = 0.0,
               harmonies: Sequence[int] = (), level: float = 0.7) -> np.ndarray:
    """`data` (frames, channels) corrected to `scale` at retune `speed` (1 hard, 0 natural), with
    up to two diatonic `harmonies` (3 a third above, -3 below); returns (frames, 2) float64.

    >>> tune_audio(np.zeros((10, 1)), 48000, scale="H")
    Traceback (most recent call last):
    ...
    synths.errors.ParamError: scale: 'H' must be a root and a scale, e.g. 'A minor' or 'c:major'
    """
    _check(scale, speed, humanize, harmonies)
    if data.ndim != 2 or data.shape[0] == 0:
        raise RenderError("tune: the input has no audio frames")
    stereo = np.repeat(data[:, :1], 2, axis=1) if data.shape[1] == 1 else data[:, :2]
    delay = chain_latency(sr, harmonies)
    padded = np.concatenate([stereo, np.zeros((delay + BLOCK, 2))]).T
    out = run_effects(padded, sr, _chain(scale, speed, humanize, list(harmonies), level))
    return out[:, delay:delay + data.shape[0]].T.astype(np.float64)


def _chain(scale: str, speed: float, humanize: float, harmonies: list[int], level: float) -> EffectBuilder:
    """The builder of `tune`, then `harmony` on its output when there are harmonies."""
    def build(player: Any, ctx: EffectContext) -> list[Effect]:
        effects: list[Effect] = [Tune(player, ctx, scale=scale, speed=speed, humanize=humanize)]
        if harmonies:
            intervals = {"interval": float(harmonies[0]),
                         "interval2": float(harmonies[1]) if len(harmonies) > 1 else 0.0}
            effects.append(Harmony(effects[0].out, ctx, scale=scale, level=level, **intervals))
        return effects
    return build
