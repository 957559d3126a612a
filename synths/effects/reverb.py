"""Reverbs: algorithmic (Freeverb, STRev hall, WGVerb) and convolution (CvlVerb).

The convolution reverb uses a user WAV impulse response, or synthesizes one: stereo,
exponentially decaying noise (seeded, so renders are deterministic), written once to a cache
file (CvlVerb reads impulse responses from files only).

>>> round(float(decay_envelope(1.0, 48000, 2.0)[48000]), 4)    # -60 dB after `decay` seconds
0.001
"""

from __future__ import annotations

import math
import tempfile
import wave
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from synths._pyo import pyo
from synths.effects.base import Effect, EffectContext, with_mix
from synths.errors import ParamError
from synths.params import ParamSpec, ParamTable

__all__ = ["Reverb", "Hall", "WGReverb", "ConvolutionReverb", "synth_impulse", "decay_envelope"]


class Reverb(Effect):
    """Freeverb: `size` (room size), `damp` (high damping), `mix`.

    Usage (not run as a doctest: it needs a running engine)::

        d1.fx("reverb", size=0.8, mix=0.3)
    """

    KIND: ClassVar[str] = "reverb"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("size", 0.6, 0.0, 1.0, "", "room size"),
        ParamSpec("damp", 0.5, 0.0, 1.0, "", "high-frequency damping"),
    ], 0.3)

    def _build(self, source: Any) -> Any:
        return pyo().Freeverb(source, size=self.p("size"), damp=self.p("damp"), bal=1.0)


class Hall(Effect):
    """STRev stereo hall: `decay` (RT60 seconds), `cutoff` (tone), `mix`.

    Usage (not run as a doctest: it needs a running engine)::

        d3.fx("hall", decay=3.5, mix=0.25)
    """

    KIND: ClassVar[str] = "hall"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("decay", 2.0, 0.1, 20.0, "s", "reverberation time"),
        ParamSpec("cutoff", 6000.0, 200.0, 20000.0, "Hz", "tone of the tail"),
    ], 0.3)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._rev = p.STRev(source, inpos=[0.2, 0.8], revtime=self.p("decay"),
                            cutoff=self.p("cutoff"), bal=1.0, roomSize=1.0)
        return p.Mix(self._rev, voices=2, mul=0.7)


class WGReverb(Effect):
    """Waveguide reverb (WGVerb): `feedback` (length), `cutoff`, `mix`.

    Usage (not run as a doctest: it needs a running engine)::

        d2.fx("wgverb", feedback=0.8, mix=0.2)
    """

    KIND: ClassVar[str] = "wgverb"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("feedback", 0.7, 0.0, 0.99, "", "amount of reverberation"),
        ParamSpec("cutoff", 5000.0, 200.0, 20000.0, "Hz", "lowpass in the feedback"),
    ], 0.3)

    def _build(self, source: Any) -> Any:
        return pyo().WGVerb(source, feedback=self.p("feedback"), cutoff=self.p("cutoff"), bal=1.0)


class ConvolutionReverb(Effect):
    """CvlVerb with a synthesized IR of `decay` seconds (fixed at creation) or a user WAV.

    Usage (not run as a doctest: it needs a running engine)::

        d3.fx("convolution", decay=2.5, mix=0.3)     # or impulse="/path/hall.wav"
    """

    KIND: ClassVar[str] = "convolution"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("decay", 1.5, 0.1, 8.0, "s", "RT60 of the synthesized IR"),
    ], 0.3)
    STATIC: ClassVar[frozenset[str]] = frozenset({"decay"})

    def __init__(
        self, input: Any, ctx: EffectContext, *, impulse: str | Path | None = None, **params: float
    ) -> None:
        decay = float(self.PARAMS.validate(params).get("decay", self.PARAMS["decay"].default))
        if impulse is None:
            self._impulse = synth_impulse(decay, int(ctx.sr))
        else:
            self._impulse = Path(impulse)
            if not self._impulse.is_file():
                raise ParamError(f"convolution: impulse file {str(impulse)!r} does not exist")
        self._user_impulse = impulse is not None
        super().__init__(input, ctx, **params)

    @property
    def options(self) -> dict[str, Any]:
        return {"impulse": str(self._impulse)} if self._user_impulse else {}

    def _build(self, source: Any) -> Any:
        size = 1024
        # CvlVerb's output is 1/sqrt(size) of a plain convolution (measured): compensate.
        return pyo().CvlVerb(source, impulse=str(self._impulse), size=size, bal=1.0,
                             mul=math.sqrt(size))


def decay_envelope(decay: float, sr: int, length: float) -> np.ndarray:
    """An exponential envelope falling 60 dB in `decay` seconds, `length` seconds long."""
    t = np.arange(int(length * sr)) / sr
    return np.power(10.0, -3.0 * t / decay)


def synth_impulse(decay: float, sr: int, seed: int = 1770) -> Path:
    """Write (once) and return a stereo exponentially decaying noise IR for `decay` seconds.

    Usage (not run as a doctest: it needs a running engine)::

        synth_impulse(2.0, 48000).name -> 'ir-2.000s-48000.wav'
    """
    folder = Path(tempfile.gettempdir()) / "livecode-ir"
    folder.mkdir(exist_ok=True)
    path = folder / f"ir-{decay:.3f}s-{sr}.wav"
    if path.is_file():
        return path
    rng = np.random.default_rng(seed)
    length = min(decay * 1.2, 8.0)
    env = decay_envelope(decay, sr, length)
    noise = rng.standard_normal((env.size, 2)) * env[:, None]
    fade_in = np.minimum(1.0, np.arange(env.size) / (0.002 * sr))
    noise *= fade_in[:, None]
    noise *= 0.5 / max(1e-9, float(np.sqrt(np.sum(noise**2) / 2.0)))
    pcm = np.clip(noise, -1.0, 1.0 - 2**-15)
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as handle:
        handle.setnchannels(2)
        handle.setsampwidth(2)
        handle.setframerate(sr)
        handle.writeframes((pcm * 32767).astype("<i2").tobytes())
    tmp.replace(path)
    return path
