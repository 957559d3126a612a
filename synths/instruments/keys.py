"""Keys: `epiano` (two-operator FM electric piano), `bell` (FM) and `pluck` (Karplus-Strong).

>>> sorted(KEYS)
['bell', 'epiano', 'pluck']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from synths.instruments._dsp import level_of, perc_points
from synths.instruments._sources import FMPair, cheap_noise, fm_index_limit
from synths.instruments.tonal import TonalVoice, tonal_table
from synths.params import ParamSpec
from synths.voice import Voice

__all__ = ["EPiano", "Bell", "Pluck", "KEYS"]


class EPiano(TonalVoice):
    """FM electric piano: a body (ratio 1) whose brightness follows velocity, plus a fast-decaying
    metallic tine (ratio 14); long decaying envelope.

    >>> EPiano.PARAMS["index"].default
    2.0
    """

    NAME = "epiano"
    PARAMS = tonal_table(NAME, attack=0.002, decay=1.6, sustain=0.25, release=0.35).extend(
        NAME,
        [
            # the `index` control goes to 20 (bell); the epiano clamps to 10 on purpose
            ParamSpec("index", 2.0, 0.0, 20.0, "", "FM brightness of the body at full velocity (max 10)"),
            ParamSpec("tine", 0.35, 0.0, 1.0, "", "level of the bell-like tine"),
        ],
    )
    LEVEL = 0.43

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        fm_index_limit(440.0, 1.0, self.sr)          # the Bessel table, here and not in a callback
        self.body_index = p.TrigExpseg(trig, [(0.0, 0.0), (0.001, 0.0)], exp=2.0, inverse=True)
        self.body = FMPair(pitch, ratio=1.0, index=self.body_index)
        self.tine_env = p.TrigExpseg(trig, [(0.0, 0.0), (0.001, 0.0)], exp=3.0, inverse=True)
        self.tine_index = p.Sig(0.6)
        self.tine = FMPair(pitch, ratio=14.0, index=self.tine_index, mul=self.tine_env)
        self.sum = p.Mix([self.body.out, self.tine.out], voices=1)
        return self.sum

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        velocity = float(params.get("velocity", 1.0))
        index = min(10.0, float(params.get("index", 2.0))) * (0.3 + 0.7 * velocity)
        index = min(index, fm_index_limit(self.top_freq, 1.0, self.sr))
        self.body_index.setList([(0.0, index), (0.8, index * 0.2)])
        self.tine_index.value = min(0.6, fm_index_limit(self.top_freq, 14.0, self.sr))
        self.tine_env.setList(perc_points(0.0005, 0.25, float(params.get("tine", 0.35)) * 0.5))


class Bell(TonalVoice):
    """FM bell: inharmonic ratio 1.4 with a decaying index, plus a ratio-3.5 shimmer.

    >>> Bell.PARAMS["ratio"].default
    1.4
    """

    NAME = "bell"
    PARAMS = tonal_table(NAME, attack=0.001, decay=2.5, sustain=0.0, release=1.0).extend(
        NAME,
        [
            ParamSpec("ratio", 1.4, 0.1, 16.0, "", "modulator/carrier frequency ratio"),
            ParamSpec("index", 5.0, 0.0, 20.0, "", "FM index at the strike"),
        ],
    )
    LEVEL = 0.255

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        fm_index_limit(440.0, 1.0, self.sr)          # the Bessel table, here and not in a callback
        self.index = p.TrigExpseg(trig, [(0.0, 0.0), (0.001, 0.0)], exp=2.0, inverse=True)
        self.fm = FMPair(pitch, ratio=1.4, index=self.index)
        self.shimmer_index = p.Sig(0.0)
        self.shimmer = FMPair(pitch * 2.0, ratio=3.5, index=self.index * self.shimmer_index, mul=0.25)
        self.sum = p.Mix([self.fm.out, self.shimmer.out], voices=1)
        return self.sum

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        ratio = float(params.get("ratio", 1.4))
        index = min(float(params.get("index", 5.0)), fm_index_limit(self.top_freq, ratio, self.sr))
        self.fm.ratio.value = ratio
        # the shimmer's index is 0.3 x the bell's, less where its own sidebands would pass Nyquist
        shimmer = fm_index_limit(self.top_freq * 2.0, 3.5, self.sr)
        self.shimmer_index.value = min(0.3, shimmer / index) if index > 0.0 else 0.0
        self.index.setList([(0.0, index), (float(params.get("decay", 2.5)), index * 0.1)])

    def sound_tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """A bell rings for its decay even when the note is short."""
        attack_decay = sum(float(params.get(name, 0.0)) for name in ("attack", "hold", "decay"))
        held = dur if float(params.get("sustain", 0.0)) > 0.0 else min(dur, attack_decay)
        return held + float(params.get("release", 1.0))


class Pluck(TonalVoice):
    """Karplus-Strong plucked string: a noise burst (lowpassed by `cutoff`) into a tuned waveguide
    that rings for `decay` seconds (-40 dB); the envelope releases it at the note's end.

    >>> Pluck.PARAMS["decay"].default
    1.5
    """

    NAME = "pluck"
    PARAMS = tonal_table(NAME, attack=0.0, decay=1.5, sustain=1.0, release=0.2, cutoff=5000.0)
    LEVEL = 0.47
    RATE_DEPENDENT: ClassVar[bool] = True
    """pyo's `Waveguide` damps with a two-point average in its loop, which takes less off each
    harmonic at higher sample rates: the string rings brighter and longer at 192 kHz. It is
    linear (a noise burst into a tuned delay line), so it cannot alias; the sound audit reads
    its aliasing between the partials."""

    def build(self, p: Any, trig: Any, pitch: Any) -> Any:
        self.burst = p.TrigLinseg(trig, [(0.0, 0.0), (0.001, 0.0)])
        self.noise = cheap_noise(mul=self.burst)
        self.tone = p.Biquad(self.noise, freq=5000.0, q=0.707, type=0)
        self.string = p.Waveguide(self.tone, freq=pitch, dur=1.5, minfreq=20.0)
        return self.string

    def shape(self, p: Any, trig: Any, source: Any) -> Any:
        self.filter = p.Sig(source, mul=self.amp)
        return self.filter

    def envelope(self, params: Mapping[str, float | str], dur: float) -> list[tuple[float, float]]:
        release = float(params.get("release", 0.2))
        return [(0.0, 1.0), (max(dur, 0.001), 1.0), (max(dur, 0.001) + max(release, 0.001), 0.0)]

    def filter_gain(self, params: Mapping[str, float | str]) -> float:
        """The output has no resonant filter (cutoff shapes the excitation)."""
        return 1.0

    def set_filter(self, params: Mapping[str, float | str], dur: float) -> None:
        self.tone.freq = self.cutoff_hz(float(params.get("cutoff", 5000.0)))

    def voice(self, params: Mapping[str, float | str], dur: float, freq: float) -> None:
        self.string.dur = float(params.get("decay", 1.5))
        length = min(0.02, 2.0 / max(freq, 20.0))
        strength = level_of(params) ** 0.5
        self.burst.setList([(0.0, strength), (length, strength), (length + 0.0005, 0.0)])

    def sound_tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """The string is quiet after its decay or the release, whichever comes first."""
        return min(dur + float(params.get("release", 0.2)), float(params.get("decay", 1.5)) * 1.5)


KEYS: Mapping[str, type[Voice]] = {"epiano": EPiano, "bell": Bell, "pluck": Pluck}
