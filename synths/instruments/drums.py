"""Drum-machine voice families shared by the 808 and 909 kits: kick, snare, clap, rim, tom,
metal (hats, cymbals, cowbell) and shaker.

Each family is a `DrumVoice`: a one-shot whose body is built once, then a final lowpass (`cutoff`,
`resonance`) whose gain carries the note's level, then the per-note effects (`shape`, `hcutoff`).
`n` picks a variation (tune and decay shift), `tune` transposes in semitones (`detune` in cents),
`decay` sets the main decay. Drums ignore the held duration: a hit always rings out. The kits
(`drums808`, `drums909`) subclass these with their own constants.

>>> DRUM_PARAMS["cutoff"].default
20000.0
>>> drum_table("x", decay=0.3)["decay"].default
0.3
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from synths._pyo import pyo
from synths.instruments._dsp import (
    burst_db_points,
    decay_db_points,
    decay_length,
    level_of,
    perc_db_points,
    q_of,
    resonance_gain,
    semis_ratio,
    variation,
)
from synths.instruments._sleeper import Sleeper
from synths.instruments._notefx import DC_SETTLE, NOTE_FX_ROWS, NoteFx
from synths.instruments._sources import DecayEnvelope, PhaseSweep, WaveBank, cheap_noise
from synths.params import COMMON_VOICE_PARAMS, ParamSpec, ParamTable
from synths.voice import Voice

__all__ = [
    "DRUM_PARAMS",
    "DECAY_RANGE",
    "drum_decay",
    "drum_table",
    "kick_rows",
    "tone_hz",
    "snare_rows",
    "DrumVoice",
    "KickVoice",
    "SnareVoice",
    "ClapVoice",
    "RimVoice",
    "TomVoice",
    "MetalVoice",
    "ShakerVoice",
]

DRUM_PARAMS = COMMON_VOICE_PARAMS.extend(
    "drum",
    [
        ParamSpec("n", 0.0, -1e6, 1e6, "", "variation: each n shifts tune and decay (cycles every 8)"),
        ParamSpec("tune", 0.0, -24.0, 24.0, "semitones", "transpose the drum"),
        ParamSpec("cutoff", 20000.0, 20.0, 20000.0, "Hz", "lowpass on the hit"),
        ParamSpec("resonance", 0.0, 0.0, 1.0, "", "resonance of the lowpass"),
        *NOTE_FX_ROWS,
    ],
)


DECAY_RANGE = (0.005, 8.0)
"""The decay times (s) a drum plays; `decay` outside is clamped."""


def drum_decay(params: Mapping[str, float | str]) -> float:
    """The note's `decay` clamped to `DECAY_RANGE`.

    >>> drum_decay({"decay": 0.0}), drum_decay({"decay": 9.5}), drum_decay({"decay": 0.3})
    (0.005, 8.0, 0.3)
    """
    low, high = DECAY_RANGE
    return min(high, max(low, float(params.get("decay", 0.2))))


def drum_table(name: str, decay: float, extra: Sequence[ParamSpec] = ()) -> ParamTable:
    """The parameter table of drum `name`: the drum rows, its own `decay` default and `extra` rows.

    `decay` takes the `decay` control's whole range 0 .. 10 s; the voices clamp it to
    `DECAY_RANGE` on purpose (`drum_decay`).

    >>> drum_table("tr808_sh", 0.07)["decay"].hi
    10.0
    """
    rows = [ParamSpec("decay", decay, 0.0, 10.0, "s", "main decay time (clamped to 0.005 .. 8)"), *extra]
    return DRUM_PARAMS.extend(name, rows)


class DrumVoice(Voice):
    """Base of the drum families: body from `build`, then lowpass and level; subclasses `hit`.

    Every envelope is a `DecayEnvelope`: the hit rings down to -80 dB re its peak at a steady
    rate and fades from there, so a drum ends by decaying, never by being cut (`ring` is that
    length; the engine's voice pool and the voice's sleeper stop it only afterwards).

    >>> DrumVoice.LEVEL
    0.5
    """

    LEVEL: ClassVar[float] = 0.5
    PARAMS: ClassVar[ParamTable] = DRUM_PARAMS

    def __init__(self, trig: Any, sr: float) -> None:
        super().__init__(trig, sr)
        p = pyo()
        body = self.build(p, trig)
        self.filter = p.Biquad(body, freq=self._cutoff(20000.0), q=0.707, type=0, mul=0.0)
        self.fx = NoteFx(self.filter, self.sr)
        self.out = self.fx.out
        self.sleeper = Sleeper(self, exclude=[trig, *self.fx.owned()])
        self.sleeper.sleep()

    def build(self, p: Any, trig: Any) -> Any:
        """Create the body's pyo objects (driven by `trig`) and return the mono body signal."""
        raise NotImplementedError(f"{type(self).__name__}.build is not implemented")

    def hit(self, params: Mapping[str, float | str], ratio: float, decay: float) -> None:
        """Prepare the body for the next hit: `ratio` is the tuning, `decay` the varied decay."""
        raise NotImplementedError(f"{type(self).__name__}.hit is not implemented")

    def ring(self, params: Mapping[str, float | str], decay: float) -> float:
        """Seconds the hit sounds (to its envelopes' silence) with this varied `decay`; reads
        only class constants and `params` (the engine asks it of a voice it has not built)."""
        return decay_length(perc_db_points(0.001, decay, 2.5))

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """Tune, filter and level the next hit, then run it (the held duration is ignored)."""
        self.start_note(self.arm_note(params, dur))

    def arm_note(self, params: Mapping[str, float | str], dur: float) -> float:
        """Tune, filter and level the next hit (values only); the held duration is ignored."""
        semis, factor = variation(float(params.get("n", 0.0)))
        ratio = semis_ratio(float(params.get("tune", 0.0)) + semis + float(params.get("detune", 0.0)) / 100.0)
        self.put(self.filter, "freq", self._cutoff(float(params.get("cutoff", 20000.0))))
        q = q_of(float(params.get("resonance", 0.0)))
        self.put(self.filter, "q", q)
        self.put(self.filter, "mul", self.LEVEL * level_of(params) * self.makeup(params) * resonance_gain(q))
        self.fx.set(params)
        self.hit(params, ratio, drum_decay(params) * factor)
        return self.sound_tail(params, dur)

    def start_note(self, sound: float) -> None:
        """Run the hit's objects and its note effects for `sound` seconds."""
        self.sleeper.wake(sound)
        self.fx.wake(sound)

    def makeup(self, params: Mapping[str, float | str]) -> float:
        """Extra output gain of the family for these params (1.0 unless it saturates)."""
        return 1.0

    def tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """Seconds until the voice is silent: the hit's ring, then the DC blocker settling."""
        return self.sound_tail(params, dur) + DC_SETTLE

    def sound_tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """The hit's ring (see `ring`) with its variation's decay, plus a margin."""
        _, factor = variation(float(params.get("n", 0.0)))
        return self.ring(params, drum_decay(params) * factor) + 0.01

    def _cutoff(self, hz: float) -> float:
        return min(hz, 0.45 * self.sr)


def kick_rows(penv: float, pdecay: float, click: float, drive: float, tone: float = 0.5) -> tuple[ParamSpec, ...]:
    """The kick's own rows with a kit's defaults.

    >>> [row.name for row in kick_rows(24, 0.06, 0.3, 1.2)]
    ['penv', 'pdecay', 'click', 'drive', 'tone']
    """
    return (
        ParamSpec("penv", penv, 0.0, 48.0, "semitones", "pitch envelope depth (start above the body)"),
        ParamSpec("pdecay", pdecay, 0.002, 2.0, "s", "pitch envelope time"),
        ParamSpec("click", click, 0.0, 1.0, "", "level of the noise click"),
        ParamSpec("drive", drive, 0.1, 8.0, "", "tanh saturation amount"),
        ParamSpec("tone", tone, 0.0, 1.0, "", "brightness: a lowpass from 150 Hz (0) to 19 kHz (1)"),
    )


def tone_hz(tone: float) -> float:
    """The kick's `tone` (0 .. 1) as the corner of its lowpass: 150 Hz x 2**(7 tone).

    >>> tone_hz(0.0), round(tone_hz(0.5)), round(tone_hz(1.0))
    (150.0, 1697, 19200)
    """
    return 150.0 * 2.0 ** (7.0 * max(0.0, min(1.0, tone)))


class KickVoice(DrumVoice):
    """Kick: a sine whose phase restarts on the hit, its pitch falling `penv` semitones onto the
    body in `pdecay` s, ringing down exponentially (60 dB per `decay` s, as a resonator: the
    808's bridged-T), a noise click, tanh drive and a `tone` lowpass.

    >>> KickVoice.BASE_FREQ
    50.0
    """

    BASE_FREQ: ClassVar[float] = 50.0
    CLICK_TIME: ClassVar[float] = 0.004
    ATTACK: ClassVar[float] = 0.0005
    LEVEL = 0.55

    def build(self, p: Any, trig: Any) -> Any:
        self.amp = DecayEnvelope(trig)
        self.sweep = PhaseSweep(trig, mul=self.amp.out)
        self.click_env = DecayEnvelope(trig)
        self.click = cheap_noise(mul=self.click_env.out)
        self.drive = p.Tanh(self.sweep.out + self.click)
        return self.drive

    def ring(self, params: Mapping[str, float | str], decay: float) -> float:
        return decay_length(decay_db_points(self.ATTACK, decay))

    def hit(self, params: Mapping[str, float | str], ratio: float, decay: float) -> None:
        drive = float(params.get("drive", 1.2))
        end = self.BASE_FREQ * ratio
        start = end * semis_ratio(float(params.get("penv", 24.0)))
        body = decay_db_points(self.ATTACK, decay)
        self.sweep.set(start, end, float(params.get("pdecay", 0.06)), decay_length(body) + 0.01)
        self.amp.set(body, drive)
        self.click_env.set(decay_db_points(0.0002, self.CLICK_TIME), drive * float(params.get("click", 0.3)))
        self.put(self.filter, "freq", min(float(self.filter.freq), self._cutoff(tone_hz(float(params.get("tone", 0.5))))))

    def makeup(self, params: Mapping[str, float | str]) -> float:
        """Undo the drive's level change: the peak stays put while the tone gets denser."""
        return 1.0 / max(math.tanh(float(params.get("drive", 1.2))), 1e-3)


class SnareVoice(DrumVoice):
    """Snare: two detuned sine heads plus band-passed noise (`snappy` sets the noise level).

    >>> SnareVoice.HEADS
    (180.0, 330.0)
    """

    HEADS: ClassVar[tuple[float, float]] = (180.0, 330.0)
    NOISE_BAND: ClassVar[float] = 4000.0
    TONE_DECAY: ClassVar[float] = 0.45
    LEVEL = 0.42

    def build(self, p: Any, trig: Any) -> Any:
        self.tone_env = DecayEnvelope(trig)
        self.tone = p.Sine(freq=list(self.HEADS), mul=[self.tone_env.out * 1.0, self.tone_env.out * 0.6])
        self.noise_env = DecayEnvelope(trig)
        self.noise = cheap_noise(mul=self.noise_env.out)
        self.noise_band = p.Biquad(self.noise, freq=self._cutoff(self.NOISE_BAND), q=0.6, type=2)
        self.mix = p.Mix([self.tone, self.noise_band], voices=1)
        return self.mix

    def ring(self, params: Mapping[str, float | str], decay: float) -> float:
        return decay_length(perc_db_points(0.001, decay, 2.0))

    def hit(self, params: Mapping[str, float | str], ratio: float, decay: float) -> None:
        snappy = float(params.get("snappy", 0.6))
        self.tone.freq = [head * ratio for head in self.HEADS]
        self.tone_env.set(perc_db_points(0.0005, decay * self.TONE_DECAY, 3.0), 1.0 - 0.4 * snappy)
        self.noise_env.set(perc_db_points(0.001, decay, 2.0), snappy)


def snare_rows(snappy: float) -> tuple[ParamSpec, ...]:
    """The snare's own rows with a kit's default `snappy`.

    >>> snare_rows(0.6)[0].name
    'snappy'
    """
    return (ParamSpec("snappy", snappy, 0.0, 1.0, "", "noise (snares) level against the tone"),)


class ClapVoice(DrumVoice):
    """Hand clap: four rapid bursts of band-passed noise and a decaying tail.

    >>> ClapVoice.BURSTS
    4
    """

    BURSTS: ClassVar[int] = 4
    SPACING: ClassVar[float] = 0.011
    BAND: ClassVar[float] = 1100.0
    Q: ClassVar[float] = 1.4
    FLOOR_DB: ClassVar[float] = -16.5
    LEVEL = 0.9

    def build(self, p: Any, trig: Any) -> Any:
        self.env = DecayEnvelope(trig)
        self.noise = cheap_noise(mul=self.env.out)
        self.band = p.Biquad(self.noise, freq=self.BAND, q=self.Q, type=2)
        return self.band

    def ring(self, params: Mapping[str, float | str], decay: float) -> float:
        return decay_length(burst_db_points(self.BURSTS, self.SPACING, self.FLOOR_DB, decay))

    def hit(self, params: Mapping[str, float | str], ratio: float, decay: float) -> None:
        self.band.freq = self._cutoff(self.BAND * ratio)
        self.env.set(burst_db_points(self.BURSTS, self.SPACING, self.FLOOR_DB, decay), ratio**-0.5)


class RimVoice(DrumVoice):
    """Rim shot: two short sine partials and a click of high-passed noise.

    >>> RimVoice.PARTIALS
    (1667.0, 455.0)
    """

    PARTIALS: ClassVar[tuple[float, float]] = (1667.0, 455.0)
    NOISE: ClassVar[float] = 0.3
    LEVEL = 0.55

    def build(self, p: Any, trig: Any) -> Any:
        self.env = DecayEnvelope(trig)
        self.tone = p.Sine(freq=list(self.PARTIALS), mul=self.env.out)
        self.noise = cheap_noise(mul=self.env.out * self.NOISE)
        self.noise_hp = p.Biquad(self.noise, freq=3000.0, q=0.7, type=1)
        self.mix = p.Mix([self.tone, self.noise_hp], voices=1)
        return self.mix

    def ring(self, params: Mapping[str, float | str], decay: float) -> float:
        return decay_length(perc_db_points(0.0002, decay, 3.0))

    def hit(self, params: Mapping[str, float | str], ratio: float, decay: float) -> None:
        self.tone.freq = [partial * ratio for partial in self.PARTIALS]
        self.env.set(perc_db_points(0.0002, decay, 3.0), 1.0)


class TomVoice(DrumVoice):
    """Tom: a sine falling a few semitones in pitch, with a little noise on the attack.

    >>> TomVoice.BASE_FREQ
    90.0
    """

    BASE_FREQ: ClassVar[float] = 90.0
    DROP: ClassVar[float] = 5.0
    NOISE: ClassVar[float] = 0.08
    LEVEL = 0.7

    def build(self, p: Any, trig: Any) -> Any:
        still = [(0.0, self.BASE_FREQ), (0.001, self.BASE_FREQ)]
        self.pitch = p.TrigExpseg(trig, still, exp=2.0, inverse=True)
        self.amp = DecayEnvelope(trig)
        self.tone = p.Sine(freq=self.pitch, mul=self.amp.out)
        self.noise_env = DecayEnvelope(trig)
        self.noise = cheap_noise(mul=self.noise_env.out)
        self.mix = p.Mix([self.tone, self.noise], voices=1)
        return self.mix

    def ring(self, params: Mapping[str, float | str], decay: float) -> float:
        return decay_length(perc_db_points(0.0008, decay, 2.0))

    def hit(self, params: Mapping[str, float | str], ratio: float, decay: float) -> None:
        freq = self.BASE_FREQ * ratio
        self.pitch.setList([(0.0, freq * semis_ratio(self.DROP)), (decay * 0.5, freq)])
        self.amp.set(perc_db_points(0.0008, decay, 2.0), 1.0)
        self.noise_env.set(perc_db_points(0.0005, 0.03, 3.0), self.NOISE)


class MetalVoice(DrumVoice):
    """Metallic hits (hats, cymbals, cowbell): square partials and noise, band- and high-passed.

    `FIRST` > 0 makes a two-stage decay: a fast drop to `SECOND` (of the peak) by `FIRST` s, then
    the tail over the main decay.

    >>> len(MetalVoice.RATIOS)
    6
    """

    RATIOS: ClassVar[tuple[float, ...]] = (205.3, 304.4, 369.6, 522.7, 540.0, 800.0)
    METAL: ClassVar[float] = 1.0
    NOISE: ClassVar[float] = 0.3
    BAND: ClassVar[float] = 10000.0
    BAND_Q: ClassVar[float] = 1.0
    HIGHPASS: ClassVar[float] = 7000.0
    FIRST: ClassVar[float] = 0.0
    SECOND: ClassVar[float] = 1.0
    LEVEL = 1.0

    def build(self, p: Any, trig: Any) -> Any:
        self.env = DecayEnvelope(trig)
        square = WaveBank.of(trig).table("square", max(self.RATIOS) * 2.0)
        self.partials = p.Osc(square, freq=list(self.RATIOS), mul=self.METAL / len(self.RATIOS))
        self.noise = cheap_noise(mul=self.NOISE, near=trig)
        self.source = p.Mix([self.partials, self.noise], voices=1, mul=self.env.out)
        self.band = p.Biquad(self.source, freq=self._cutoff(self.BAND), q=self.BAND_Q, type=2)
        self.highpass = p.Biquad(self.band, freq=self._cutoff(self.HIGHPASS), q=0.707, type=1)
        return self.highpass

    def _points(self, decay: float) -> list[tuple[float, float]]:
        first = (self.FIRST, 20.0 * math.log10(self.SECOND)) if self.FIRST > 0.0 else None
        return perc_db_points(0.0005, decay, 2.5, first=first)

    def ring(self, params: Mapping[str, float | str], decay: float) -> float:
        return decay_length(self._points(decay))

    def hit(self, params: Mapping[str, float | str], ratio: float, decay: float) -> None:
        self.partials.freq = [partial * ratio for partial in self.RATIOS]
        self.band.freq = self._cutoff(self.BAND * ratio)
        self.highpass.freq = self._cutoff(self.HIGHPASS * ratio)
        self.env.set(self._points(decay), ratio**-0.5)


class ShakerVoice(DrumVoice):
    """Shaker: band-passed noise with a soft attack.

    >>> ShakerVoice.BAND
    6500.0
    """

    BAND: ClassVar[float] = 6500.0
    ATTACK: ClassVar[float] = 0.012
    LEVEL = 1.4

    def build(self, p: Any, trig: Any) -> Any:
        self.env = DecayEnvelope(trig)
        self.noise = cheap_noise(mul=self.env.out)
        self.band = p.Biquad(self.noise, freq=self._cutoff(self.BAND), q=1.2, type=2)
        return self.band

    def ring(self, params: Mapping[str, float | str], decay: float) -> float:
        return decay_length(perc_db_points(self.ATTACK, decay, 2.0))

    def hit(self, params: Mapping[str, float | str], ratio: float, decay: float) -> None:
        self.band.freq = self._cutoff(self.BAND * ratio)
        self.env.set(perc_db_points(self.ATTACK, decay, 2.0), ratio**-0.5)
