"""Dynamics: compressor, gate, and sidechain ducking keyed by another track.

Ducking: `Compress(key, outputAmp=True)` gives the gain curve g (1 = no reduction) of the key
track's pre-fader signal; the ducked track is multiplied by `1 - amount * (1 - g)`, so `amount`
1 follows the compressor fully and 0 leaves the track alone.

Usage (not run as a doctest: it needs a running engine)::

    d2.fx("duck", key="d1", amount=0.7, release=0.2)
"""

from __future__ import annotations

from typing import Any, ClassVar

from synths._pyo import pyo
from synths.effects.base import Effect, EffectContext, with_mix
from synths.errors import ParamError
from synths.params import ParamSpec, ParamTable

__all__ = ["Compressor", "Gate", "Duck", "min_lookahead_ms"]


def min_lookahead_ms(sr: float) -> float:
    """The shortest usable look-ahead of pyo's Compress/Gate: one sample, in ms.

    pyo treats a look-ahead under one sample as its whole 25 ms buffer (measured: the output
    came 1200 samples late at 48 kHz), so dynamics here look one sample ahead, and their output
    is one sample late.

    >>> round(min_lookahead_ms(48000), 5)
    0.02084
    """
    return 1000.0 / sr * 1.0001


def _time(name: str, default: float, doc: str) -> ParamSpec:
    return ParamSpec(name, default, 0.0001, 2.0, "s", doc)


class Compressor(Effect):
    """Downward compressor: `threshold` dB, `ratio`, `attack`, `release`, `knee`, `makeup` dB.

    Usage (not run as a doctest: it needs a running engine)::

        d2.fx("compressor", threshold=-18, ratio=4, makeup=4)
    """

    KIND: ClassVar[str] = "compressor"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("threshold", -18.0, -60.0, 0.0, "dB", "level above which gain is reduced"),
        ParamSpec("ratio", 4.0, 1.0, 100.0, "", "input dB over threshold per output dB"),
        _time("attack", 0.01, "time to reduce gain"),
        _time("release", 0.1, "time to restore gain"),
        ParamSpec("knee", 0.3, 0.0, 1.0, "", "knee softness (0 hard)"),
        ParamSpec("makeup", 0.0, -24.0, 24.0, "dB", "gain after compression"),
    ], 1.0)
    STATIC: ClassVar[frozenset[str]] = frozenset({"knee"})

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._makeup = p.DBToA(self.p("makeup"))
        return p.Compress(source, thresh=self.p("threshold"), ratio=self.p("ratio"),
                          risetime=self.p("attack"), falltime=self.p("release"),
                          lookahead=min_lookahead_ms(self.ctx.sr),
                          knee=self.values["knee"], mul=self._makeup)


class Gate(Effect):
    """Noise gate: silences the track while it is below `threshold` dB.

    Usage (not run as a doctest: it needs a running engine)::

        d1.fx("gate", threshold=-40, release=0.05)
    """

    KIND: ClassVar[str] = "gate"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("threshold", -50.0, -90.0, 0.0, "dB", "level below which the gate closes"),
        _time("attack", 0.002, "opening time"),
        _time("release", 0.05, "closing time"),
    ], 1.0)

    def _build(self, source: Any) -> Any:
        return pyo().Gate(source, thresh=self.p("threshold"), risetime=self.p("attack"),
                          falltime=self.p("release"),
                          lookahead=min_lookahead_ms(self.ctx.sr))


class Duck(Effect):
    """Sidechain ducking: another track's (`key`) level pushes this track down by up to `amount`.

    Usage (not run as a doctest: it needs a running engine)::

        d2.fx("duck", key="d1", amount=0.8)          # the kick on d1 pumps the bass on d2
    """

    KIND: ClassVar[str] = "duck"
    DC_BLOCK: ClassVar[bool] = True
    PARAMS: ClassVar[ParamTable] = with_mix(KIND, [
        ParamSpec("amount", 0.7, 0.0, 1.0, "", "depth of the ducking (1 follows the key fully)"),
        ParamSpec("threshold", -30.0, -60.0, 0.0, "dB", "key level where ducking starts"),
        ParamSpec("ratio", 20.0, 1.0, 100.0, "", "compression ratio applied to the key"),
        _time("attack", 0.003, "how fast the track ducks"),
        _time("release", 0.2, "how fast it comes back"),
    ], 1.0)

    def __init__(self, input: Any, ctx: EffectContext, *, key: str = "", **params: float) -> None:
        if not isinstance(key, str) or not key:
            raise ParamError("duck: key must name the track that ducks this one, e.g. key='d1'")
        self.key = key
        self._key_signal = ctx.key(key)
        super().__init__(input, ctx, **params)

    @property
    def options(self) -> dict[str, Any]:
        return {"key": self.key}

    @property
    def key_signal(self) -> Any:
        """The key track's signal this duck listens to."""
        return self._key_signal

    def set_key(self, signal: Any, fade: float = 0.02) -> None:
        """Listen to a new key signal (the key track's pre-fader after a mixer rebuild)."""
        self._key_signal = signal
        self._key_in.setInput(signal, fade)

    def settle(self) -> None:
        super().settle()
        self._key_in.setInput(self._key_in.input, 0.0)

    def release(self) -> None:
        """Also let go of the key track (sidechains between tracks can form cycles)."""
        super().release()
        self._key_in.setInput(self._silence, 0.0)
        self._key_in.setInput(self._silence, 0.0)

    def _build(self, source: Any) -> Any:
        p = pyo()
        self._silence = p.Sig(0.0)
        self._key_in = p.InputFader(self._key_signal)
        self._key_mono = p.Mix(self._key_in, voices=1)
        self._curve = p.Compress(self._key_mono, thresh=self.p("threshold"), ratio=self.p("ratio"),
                                 risetime=self.p("attack"), falltime=self.p("release"),
                                 lookahead=min_lookahead_ms(self.ctx.sr), knee=0.0,
                                 outputAmp=True)
        self._gain = 1.0 - self.p("amount") * (1.0 - self._curve)
        return source * self._gain
