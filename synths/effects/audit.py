"""The sound audit of effects: a drum loop through each effect, at 48 kHz and at 4 x 48 kHz.

The loop (808 `bd`, `sd`, `hh`, `oh`) is rendered once at the oversampled rate, low-passed at
20 kHz and decimated to 48 kHz, so both renders of an effect hear the very same band-limited
input: what the 48 kHz output then has below 20 kHz that the oversampled output lacks was made
by the effect at 48 kHz (aliasing). `render_effect` runs one effect on a pyo manual server
(`ctx.tick` every block, like the engine) and returns (channels, frames); the measures are
`synths.instruments.audit`'s.

Usage (not run as a doctest: it needs a running engine or device)::

    loop = drum_loop(48000, seconds=0.5)
    out = render_effect("lpf", loop, 48000, tail=0.2)
    out.shape
    # -> (2, 33600)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import signal

from synths.effects import EFFECTS, Effect, EffectContext, create
from synths.effects.offline import EffectBuilder, run_effects
from synths.instruments import resolve
from synths.instruments.audit import OVERSAMPLE, SR, alias_db, dc_offset, peak_dbfs
from synths.instruments.preview import Note, render_notes

__all__ = ["LOOP_SECONDS", "EffectAudit", "drum_loop", "render_effect", "audit_effect", "effect_options"]

LOOP_SECONDS = 1.0
"""Length of the audited drum loop (two bars of 8th notes at 240 bpm: dense on purpose)."""
TAIL = 1.0
"""Seconds rendered after the loop (reverb and delay tails)."""

_PATTERN: tuple[tuple[str, float, float], ...] = (
    ("bd", 0.0, 1.0), ("hh", 0.125, 0.7), ("sd", 0.25, 1.0), ("hh", 0.375, 0.7),
    ("bd", 0.5, 1.0), ("oh", 0.625, 0.6), ("sd", 0.75, 1.0), ("hh", 0.875, 0.7),
)
"""(drum, onset as a fraction of the loop, velocity)."""


@lru_cache(maxsize=4)
def _loop_at(sr: int, seconds: float) -> np.ndarray:
    frames = int(round((seconds + TAIL) * sr))
    total = np.zeros((2, frames))
    for name in sorted({drum for drum, _, _ in _PATTERN}):
        notes = [Note(at * seconds, {"velocity": vel}, 0.1) for drum, at, vel in _PATTERN if drum == name]
        audio = render_notes(resolve(name), notes, seconds + TAIL, sr=sr)
        total += audio[0][None, :frames]
    return total


@lru_cache(maxsize=4)
def drum_loop(sr: int = SR, seconds: float = LOOP_SECONDS) -> np.ndarray:
    """The audit's drum loop at `sr` or at `OVERSAMPLE` x `SR` (stereo, float64, the loop plus
    `TAIL` seconds): rendered at the oversampled rate, low-passed at 20 kHz, and decimated for
    `SR`, so both rates carry the same band-limited signal. Cached: do not modify the result.

    Usage (not run as a doctest: it needs a running engine or device)::

        drum_loop(48000, 0.25).shape
        # -> (2, 60000)
    """
    high = _loop_at(SR * OVERSAMPLE, seconds)
    sos = signal.ellip(12, 0.01, 120, 20000.0, fs=SR * OVERSAMPLE, output="sos")
    high = signal.sosfiltfilt(sos, high, axis=-1)
    if sr == SR * OVERSAMPLE:
        return high
    if sr != SR:
        raise ValueError(f"drum_loop: sr must be {SR} or {SR * OVERSAMPLE}, not {sr}")
    return signal.resample_poly(high, 1, OVERSAMPLE, axis=-1)


def effect_options(kind: str) -> dict[str, Any]:
    """Constructor options an effect needs to be built alone (a sidechain key for `duck`).

    >>> effect_options("duck"), effect_options("lpf")
    ({'key': 'key'}, {})
    """
    return {"key": "key"} if kind == "duck" else {}


def render_effect(
    kind: str, audio: np.ndarray, sr: int, *, params: Mapping[str, float] | None = None,
) -> np.ndarray:
    """`audio` (2, frames) played through effect `kind` (defaults, or `params`) at `sr`;
    returns the effect's output, (2, frames). The sidechain key of `duck` is the input itself.

    Usage (not run as a doctest: it needs a running engine or device)::

        render_effect("width", np.zeros((2, 512)), 48000).shape
        # -> (2, 512)
    """
    return run_effects(np.asarray(audio, dtype=np.float64), sr, _alone(kind, dict(params or {})), seed=1)


def _alone(kind: str, params: dict[str, float]) -> EffectBuilder:
    """The builder of effect `kind` alone, its sidechain key (if it has one) the input itself."""
    def build(player: Any, ctx: EffectContext) -> list[Effect]:
        ctx.key_lookup = lambda _name: player
        return [create(kind, player, ctx, **effect_options(kind), **params)]
    return build


@dataclass(frozen=True, slots=True)
class EffectAudit:
    """Measures of one effect on the drum loop: aliasing (dB re the strongest component), DC
    (|mean|), output peak (dBFS) and input peak (dBFS, for comparison).

    >>> EffectAudit("lpf", -150.0, 1e-5, -3.0, -2.5).gain_db
    -0.5
    """

    kind: str
    alias_db: float
    dc: float
    peak_dbfs: float
    input_peak_dbfs: float

    @property
    def gain_db(self) -> float:
        """Output peak over input peak, in dB."""
        return self.peak_dbfs - self.input_peak_dbfs


def audit_effect(kind: str, params: Mapping[str, float] | None = None) -> EffectAudit:
    """Run the drum loop through `kind` at `SR` and at `OVERSAMPLE` x `SR` and measure it.

    Usage (not run as a doctest: it needs a running engine or device)::

        audit_effect("lpf").dc < 1e-3
        # -> True
    """
    if kind not in EFFECTS:
        raise ValueError(f"audit_effect: unknown effect {kind!r}")
    loop = drum_loop(SR)
    out = render_effect(kind, loop, SR, params=params)
    reference = render_effect(kind, drum_loop(SR * OVERSAMPLE), SR * OVERSAMPLE, params=params)
    return EffectAudit(kind, alias_db(out, reference), dc_offset(out), peak_dbfs(out), peak_dbfs(loop))
