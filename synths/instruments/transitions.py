"""Transition sounds: `riser`, `sweep`, `downlifter`, `impact` and `revcymbal`.

Each is a `SweepVoice`: its length is the note's held time (the event's duration in seconds, so
`transition("riser", bars=4)` rises over four bars at any tempo), its sweeps are exponential
(straight lines in dB and in octaves, made by `DecayEnvelope`s in the log domain), and it ends by
decaying (60 dB every `release` s, then a fade), never by a cut. `impact` is a one-shot: it
ignores the held time and rings for its `decay`.

- `riser`: white noise through a band-pass whose centre rises five octaves and a bit (from
  `cutoff` / 40 to `cutoff`), swelling from -30 dB to full.
- `sweep`: two detuned band-limited saws gliding up `penv` semitones from the note, through a
  lowpass opening from `cutoff` / 8 to `cutoff`, swelling from -24 dB.
- `downlifter`: noise through a lowpass falling from `cutoff` to `cutoff` / 40 and a sine falling
  two octaves onto the note, fading 40 dB over its length, then 60 dB per `release` s.
- `impact`: a sine thump falling `penv` semitones onto 55 Hz (x `tune`) in `pdecay` s, ringing
  60 dB per `decay` s, with a lowpassed noise burst.
- `revcymbal`: bright noise (high-passed, a lowpass opening to `cutoff`) swelling 60 dB along a
  straight line in dB (a cymbal's exponential decay, reversed), cut short in `release` s.

>>> SWEEPS["riser"].NAME, SWEEPS["impact"].ONE_SHOT
('riser', True)
>>> swell_db_points(1.0, -30.0, 0.12)
[(0.0, -60.0), (0.005, -30.0), (1.0, 0.0), (1.16, -80.0), (1.19, -150.0)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from synths._pyo import pyo
from synths.instruments._dsp import (
    FADE,
    SILENT_DB,
    TAIL_DB,
    decay_db_points,
    decay_length,
    level_of,
    semis_ratio,
)
from synths.instruments._notefx import DC_SETTLE, NOTE_FX_ROWS, NoteFx
from synths.instruments._sleeper import Sleeper
from synths.instruments._sources import DecayEnvelope, PhaseSweep, WaveBank, cheap_noise
from synths.params import COMMON_VOICE_PARAMS, ParamSpec, ParamTable
from synths.voice import Voice, note_to_freq

__all__ = [
    "SWEEPS",
    "Downlifter",
    "Impact",
    "ReverseCymbal",
    "Riser",
    "Sweep",
    "SweepVoice",
    "fall_db_points",
    "sweep_table",
    "swell_db_points",
]

MIN_LENGTH = 0.05
"""The shortest sweep (s): shorter notes sweep this long."""
START_DB = -60.0
"""Where a swell starts, ramping in 5 ms to its own floor (no step at the onset); a swell whose
floor is that low starts 30 dB below its floor."""


def _tail(points: list[tuple[float, float]], release: float) -> list[tuple[float, float]]:
    """`points` falling on from their last level 60 dB per `release` s to `TAIL_DB`, then a fade."""
    start, level = points[-1]
    end = round(start + max(level - TAIL_DB, 0.0) * max(release, 0.005) / 60.0, 9)
    return [*points, (end, TAIL_DB), (round(end + FADE, 9), SILENT_DB)]


def swell_db_points(length: float, floor_db: float, release: float) -> list[tuple[float, float]]:
    """(time s, dB) of a swell: `START_DB` (or 30 dB below a floor that low) to `floor_db` in
    5 ms, a straight line in dB to 0 dB at `length`, then 60 dB per `release` s down to silence.

    >>> swell_db_points(0.5, -60.0, 0.05)[:3]
    [(0.0, -90.0), (0.005, -60.0), (0.5, 0.0)]
    """
    start = min(START_DB, floor_db - 30.0)
    return _tail([(0.0, start), (0.005, floor_db), (max(length, 0.006), 0.0)], release)


def fall_db_points(length: float, depth_db: float, release: float) -> list[tuple[float, float]]:
    """(time s, dB) of a fall: from -40 dB to 0 dB in 5 ms, down `depth_db` dB over `length` s
    (an exponential decay), then 60 dB per `release` s to silence.

    >>> fall_db_points(1.0, 40.0, 0.3)
    [(0.0, -40.0), (0.005, 0.0), (1.0, -40.0), (1.2, -80.0), (1.23, -150.0)]
    """
    return _tail([(0.0, -40.0), (0.005, 0.0), (max(length, 0.006), -depth_db)], release)


def _hz_points(length: float, ratio: float) -> list[tuple[float, float]]:
    """(time s, dB re the end value) of an exponential glide over `length` s starting at
    `ratio` x the end value (straight in octaves), held after."""
    return [(0.0, 20.0 * math.log10(ratio)), (max(length, 0.006), 0.0), (max(length, 0.006) + 0.001, 0.0)]


def sweep_table(name: str, rows: list[ParamSpec]) -> ParamTable:
    """The parameter table of transition sound `name`: the common rows, `n` (ignored), the per-note
    effects, then `rows` (overriding defaults).

    >>> sweep_table("x", [ParamSpec("cutoff", 9000.0, 20.0, 20000.0, "Hz", "top")])["cutoff"].default
    9000.0
    """
    common = [ParamSpec("n", 0.0, -1e6, 1e6, "", "variation (transition sounds have one)"), *NOTE_FX_ROWS]
    return COMMON_VOICE_PARAMS.extend(name, [*common, *rows])


class SweepVoice(Voice):
    """Base of the transition sounds: `build` makes the mono body (with its own envelopes),
    the base scales it by LEVEL x velocity x gain and runs the per-note effects.

    `shape(params, length)` sets the body's envelopes and sweeps for a sound `length` s long
    (the held time, at least `MIN_LENGTH`) and returns how long it sounds.

    >>> SweepVoice.ONE_SHOT
    False
    """

    LEVEL: ClassVar[float] = 0.5
    ONE_SHOT: ClassVar[bool] = False
    PARAMS: ClassVar[ParamTable] = sweep_table("sweepvoice", [])

    def __init__(self, trig: Any, sr: float) -> None:
        super().__init__(trig, sr)
        p = pyo()
        self.body = self.build(p, trig)
        self.vca = p.Sig(self.body, mul=0.0)
        self.fx = NoteFx(self.vca, self.sr)
        self.out = self.fx.out
        self.sleeper = Sleeper(self, exclude=[trig, *self.fx.owned()])
        self.sleeper.sleep()

    def build(self, p: Any, trig: Any) -> Any:
        """Create the body's pyo objects (driven by `trig`) and return the mono body."""
        raise NotImplementedError(f"{type(self).__name__}.build is not implemented")

    def shape(self, params: Mapping[str, float | str], length: float) -> float:
        """Set envelopes and sweeps for a sound `length` s long; return the seconds it sounds."""
        raise NotImplementedError(f"{type(self).__name__}.shape is not implemented")

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """Shape, level and per-note effects for the next sound, `dur` s long."""
        sound = self.shape(params, max(dur, MIN_LENGTH)) + 0.01
        self.vca.mul = self.LEVEL * level_of(params)
        self.fx.set(params)
        self.sleeper.wake(sound)
        self.fx.wake(sound)

    def tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """Seconds until the voice is silent: its sound, then the DC blocker settling."""
        return self.shape_length(params, max(dur, MIN_LENGTH)) + 0.01 + DC_SETTLE

    def shape_length(self, params: Mapping[str, float | str], length: float) -> float:
        """How long a sound `length` s long sounds (read from class constants and `params` only)."""
        release = float(params.get("release", self.PARAMS["release"].default))
        return swell_db_points(length, -30.0, release)[-1][0]

    def clip_hz(self, hz: float) -> float:
        """`hz` kept between 20 Hz and 0.45 x the sample rate."""
        return max(20.0, min(hz, 0.45 * self.sr))


class Riser(SweepVoice):
    """Noise riser: a band-pass sweep up five octaves and a bit into `cutoff`, swelling 30 dB.

    >>> Riser.PARAMS["cutoff"].default, Riser.PARAMS["release"].default
    (12000.0, 0.12)
    """

    NAME = "riser"
    LEVEL = 0.9
    SPAN = 40.0
    PARAMS = sweep_table(NAME, [
        ParamSpec("cutoff", 12000.0, 20.0, 20000.0, "Hz", "where the sweep ends (it starts 40 x lower)"),
        ParamSpec("resonance", 0.3, 0.0, 1.0, "", "narrower band (more whistle)"),
        ParamSpec("release", 0.12, 0.0, 20.0, "s", "time to fall 60 dB after the top"),
    ])

    def build(self, p: Any, trig: Any) -> Any:
        self.noise = cheap_noise(near=trig)
        self.centre = DecayEnvelope(trig)
        self.freq = p.Clip(self.centre.out, 20.0, 0.45 * self.sr)
        self.band = p.Biquad(self.noise, freq=self.freq, q=1.5, type=2)
        self.air = p.Biquad(self.band, freq=self.freq * 0.5, q=0.707, type=1)
        self.amp = DecayEnvelope(trig)
        return self.air * self.amp.out

    def shape(self, params: Mapping[str, float | str], length: float) -> float:
        top = self.clip_hz(float(params.get("cutoff", 12000.0)))
        self.centre.set(_hz_points(length, 1.0 / self.SPAN), top)
        self.band.q = 1.0 + 6.0 * float(params.get("resonance", 0.3))
        points = swell_db_points(length, -30.0, float(params.get("release", 0.12)))
        self.amp.set(points, 1.0)
        return points[-1][0]


class Sweep(SweepVoice):
    """Synth riser: two saws `detune` cents apart gliding up `penv` semitones from the note,
    a lowpass opening 3 octaves to `cutoff`, swelling 24 dB. The wavetable is the one for the
    top of the glide, so no harmonic passes Nyquist at any point of it.

    >>> Sweep.PARAMS["penv"].default, Sweep.PARAMS["note"].default
    (24.0, 57.0)
    """

    NAME = "sweep"
    LEVEL = 0.4
    PARAMS = sweep_table(NAME, [
        ParamSpec("note", 57.0, -24.0, 151.0, "MIDI", "where the glide starts"),
        ParamSpec("penv", 24.0, 0.0, 48.0, "semitones", "how far the glide rises"),
        ParamSpec("detune", 20.0, -100.0, 100.0, "cents", "spread of the two saws"),
        ParamSpec("cutoff", 9000.0, 20.0, 20000.0, "Hz", "where the lowpass ends (it starts 8 x lower)"),
        ParamSpec("release", 0.12, 0.0, 20.0, "s", "time to fall 60 dB after the top"),
    ])

    def build(self, p: Any, trig: Any) -> Any:
        self.glide = DecayEnvelope(trig)
        self.pitch = p.Clip(self.glide.out, 1.0, 0.45 * self.sr)
        self.spread = p.Sig([1.0, 1.0])
        self.waves = WaveBank.of(self.spread)
        self.osc = p.Osc(self.waves.table("saw", 20000.0), freq=self.pitch * self.spread)
        self.sum = p.Mix(self.osc, voices=1, mul=0.5)
        self.opening = DecayEnvelope(trig)
        self.cut = p.Clip(self.opening.out, 20.0, 0.45 * self.sr)
        self.filter = p.Biquad(self.sum, freq=self.cut, q=0.9, type=0)
        self.amp = DecayEnvelope(trig)
        return self.filter * self.amp.out

    def shape(self, params: Mapping[str, float | str], length: float) -> float:
        freq = float(params["freq"]) if "freq" in params else note_to_freq(float(params.get("note", 57.0)))
        top = min(freq * semis_ratio(float(params.get("penv", 24.0))), 0.45 * self.sr)
        self.glide.set(_hz_points(length, freq / top), top)
        self.osc.table = self.waves.table("saw", top)
        half = float(params.get("detune", 20.0)) / 200.0
        self.spread.value = [semis_ratio(-half), semis_ratio(half)]
        self.opening.set(_hz_points(length, 1.0 / 8.0), self.clip_hz(float(params.get("cutoff", 9000.0))))
        points = swell_db_points(length, -24.0, float(params.get("release", 0.12)))
        self.amp.set(points, 1.0)
        return points[-1][0]


class Downlifter(SweepVoice):
    """Downlifter: noise through a lowpass falling from `cutoff` to `cutoff` / 40 and a sine
    falling two octaves onto the note, fading 40 dB over the length, then 60 dB per `release` s.

    >>> Downlifter.PARAMS["cutoff"].default
    8000.0
    """

    NAME = "downlifter"
    LEVEL = 0.6
    DEPTH_DB = 40.0
    PARAMS = sweep_table(NAME, [
        ParamSpec("note", 45.0, -24.0, 151.0, "MIDI", "where the sine lands"),
        ParamSpec("cutoff", 8000.0, 20.0, 20000.0, "Hz", "where the noise's lowpass starts"),
        ParamSpec("release", 0.3, 0.0, 20.0, "s", "time to fall 60 dB after its length"),
    ])

    def build(self, p: Any, trig: Any) -> Any:
        self.noise = cheap_noise(near=trig)
        self.closing = DecayEnvelope(trig)
        self.cut = p.Clip(self.closing.out, 20.0, 0.45 * self.sr)
        self.filter = p.Biquad(self.noise, freq=self.cut, q=1.2, type=0, mul=0.7)
        self.falling = DecayEnvelope(trig)
        self.pitch = p.Clip(self.falling.out, 1.0, 0.45 * self.sr)
        self.sine = p.Sine(freq=self.pitch, mul=0.35)
        self.amp = DecayEnvelope(trig)
        return (self.filter + self.sine) * self.amp.out

    def shape(self, params: Mapping[str, float | str], length: float) -> float:
        top = self.clip_hz(float(params.get("cutoff", 8000.0)))
        self.closing.set(_falling(length, 40.0), top)
        freq = float(params["freq"]) if "freq" in params else note_to_freq(float(params.get("note", 45.0)))
        self.falling.set(_falling(length, 4.0), min(freq * 4.0, 0.45 * self.sr))
        points = fall_db_points(length, self.DEPTH_DB, float(params.get("release", 0.3)))
        self.amp.set(points, 1.0)
        return points[-1][0]

    def shape_length(self, params: Mapping[str, float | str], length: float) -> float:
        return fall_db_points(length, self.DEPTH_DB, float(params.get("release", 0.3)))[-1][0]


def _falling(length: float, ratio: float) -> list[tuple[float, float]]:
    """(time s, dB re the start value) of an exponential fall by `ratio` over `length`, held."""
    length = max(length, 0.006)
    return [(0.0, 0.0), (length, -20.0 * math.log10(ratio)), (length + 0.001, -20.0 * math.log10(ratio))]


class Impact(SweepVoice):
    """Impact (boom): a sine thump whose phase starts at the hit, falling `penv` semitones onto
    55 Hz x `tune` in `pdecay` s and ringing 60 dB per `decay` s, with a noise burst lowpassed at
    3 kHz. A one-shot: the held time is ignored.

    >>> Impact.PARAMS["decay"].default, Impact.BASE_FREQ
    (2.0, 55.0)
    """

    NAME = "impact"
    LEVEL = 0.6
    ONE_SHOT = True
    BASE_FREQ = 55.0
    PARAMS = sweep_table(NAME, [
        ParamSpec("decay", 2.0, 0.0, 10.0, "s", "ring time (60 dB), clamped to 0.1 .. 8"),
        ParamSpec("tune", 0.0, -24.0, 24.0, "semitones", "transpose the boom"),
        ParamSpec("penv", 24.0, 0.0, 48.0, "semitones", "how far the thump falls"),
        ParamSpec("pdecay", 0.25, 0.002, 2.0, "s", "how long the fall takes"),
    ])

    def build(self, p: Any, trig: Any) -> Any:
        self.thump = PhaseSweep(trig)
        self.ring = DecayEnvelope(trig)
        self.noise = cheap_noise(near=trig)
        self.dust = p.Biquad(self.noise, freq=min(3000.0, 0.45 * self.sr), q=0.707, type=0)
        self.burst = DecayEnvelope(trig)
        return self.thump.out * self.ring.out + self.dust * self.burst.out

    def _decay(self, params: Mapping[str, float | str]) -> float:
        return min(8.0, max(0.1, float(params.get("decay", 2.0))))

    def shape(self, params: Mapping[str, float | str], length: float) -> float:
        decay = self._decay(params)
        base = self.BASE_FREQ * semis_ratio(float(params.get("tune", 0.0)))
        ring = decay_db_points(0.002, decay)
        self.thump.set(start=base * semis_ratio(float(params.get("penv", 24.0))), end=base,
                       sweep=float(params.get("pdecay", 0.25)), length=decay_length(ring) + 0.1)
        self.ring.set(ring, 0.85)
        self.burst.set(decay_db_points(0.001, min(decay, 0.4)), 0.3)
        return decay_length(ring)

    def shape_length(self, params: Mapping[str, float | str], length: float) -> float:
        return decay_length(decay_db_points(0.002, self._decay(params)))


class ReverseCymbal(SweepVoice):
    """Reverse cymbal: bright noise (high-passed at 3 kHz, a lowpass opening from `cutoff` / 6
    to `cutoff`) swelling 60 dB along a straight line in dB, cut short in `release` s.

    >>> ReverseCymbal.PARAMS["release"].default
    0.05
    """

    NAME = "revcymbal"
    LEVEL = 0.49
    PARAMS = sweep_table(NAME, [
        ParamSpec("cutoff", 16000.0, 20.0, 20000.0, "Hz", "where the lowpass ends"),
        ParamSpec("release", 0.05, 0.0, 20.0, "s", "time to fall 60 dB after the peak"),
    ])

    def build(self, p: Any, trig: Any) -> Any:
        self.noise = cheap_noise(near=trig)
        self.sheen = p.Biquad(self.noise, freq=min(3000.0, 0.45 * self.sr), q=0.707, type=1)
        self.opening = DecayEnvelope(trig)
        self.cut = p.Clip(self.opening.out, 20.0, 0.45 * self.sr)
        self.filter = p.Biquad(self.sheen, freq=self.cut, q=0.8, type=0)
        self.amp = DecayEnvelope(trig)
        return self.filter * self.amp.out

    def shape(self, params: Mapping[str, float | str], length: float) -> float:
        self.opening.set(_hz_points(length, 1.0 / 6.0), self.clip_hz(float(params.get("cutoff", 16000.0))))
        points = swell_db_points(length, -60.0, float(params.get("release", 0.05)))
        self.amp.set(points, 1.0)
        return points[-1][0]

    def shape_length(self, params: Mapping[str, float | str], length: float) -> float:
        return swell_db_points(length, -60.0, float(params.get("release", 0.05)))[-1][0]


SWEEPS: Mapping[str, type[Voice]] = {
    "riser": Riser,
    "sweep": Sweep,
    "downlifter": Downlifter,
    "impact": Impact,
    "boom": Impact,
    "revcymbal": ReverseCymbal,
}
"""The transition sounds by `s` name (`boom` is `impact`)."""
