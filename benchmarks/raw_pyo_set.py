"""The anchor of benchmarks/bench_live_engine.py: a set's DSP hand-written in raw pyo.

The same instruments' pyo graphs as `synths/instruments/` builds them (the same objects and
constants, voice by voice), the same polyphony (20 voices per track and instrument, like the
engine's 16 + 4 spare slots; idle voices stopped, as the engine's are), the same track chain
(summing point, `lpf` (SVF2) and `duck` (a kick-keyed Compress) effects, dB fader, balance pan,
post-fader reverb/delay sends), the same shared buses (Freeverb reverb, tempo-synced delay with
darkening repeats) and the same master (DC blocker, three-band EQ, glue compressor, true-peak
limiter at -1 dBTP) -- but no livecode engine: no engine process, no pipe, no event queue, no
voice-pool bookkeeping, no smoothed-parameter machinery, no meters. Notes start at the block
they fall in (a pyo callback fires a voice's `Trig`), as a hand-written script would.

The notes are the pattern engine's, taken offline: `events` renders the set file with
`livecode render`'s machinery and keeps every call the session made to the audio engine
(tracks, chains, faders, notes and parameter changes with their sample frames) in a JSON file;
`play` and `render` replay that file. Only the pure envelope maths of `synths.instruments._dsp`
(breakpoint lists) and the FM/tanh alias limits of `_sources` (Bessel tables) are imported, so a
note gets the very same envelope numbers; no livecode object makes sound.

    .venv/bin/python benchmarks/raw_pyo_set.py events examples/kpop.py --bars 40 -o /tmp/kpop.json
    JACK_DEFAULT_SERVER=name .venv/bin/python benchmarks/raw_pyo_set.py play /tmp/kpop.json 60
    .venv/bin/python benchmarks/raw_pyo_set.py render /tmp/kpop.json /tmp/raw.wav --seconds 8
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synths.instruments._dsp import (  # pure breakpoint maths, no pyo objects
    ahdsr_points,
    burst_db_points,
    cents_ratio,
    decay_db_points,
    decay_length,
    perc_db_points,
    q_of,
    resonance_gain,
    scale_points,
    semis_ratio,
)
from synths.instruments._sources import WaveBank, fm_index_limit, tanh_drive_limit

__all__ = ["RawSet", "extract_events", "main"]

SR = 48000
SLOTS = 20                       # the engine's pool: polyphony 16 + 4 spare slots
MARGIN = 0.05                    # the engine's Sleeper margin (s)
DC_SETTLE = 0.15                 # every synthesized voice ends in a 5 Hz DC blocker
SILENT_DB, NEPERS = -150.0, math.log(10.0) / 20.0
TAU = 2.0 * math.pi
MOOG_INPUT = 0.45
Params = Mapping[str, Any]
pyo: Any = None                  # the pyo module, imported by main() (a benchmark's startup cost)


# -- offline: the event list from the pattern engine ---------------------------------------------
def extract_events(set_file: str, bars: int, out: Path) -> None:
    """Render `set_file` for `bars` with livecode's offline renderer and keep every call the
    session made to the engine: [kind, frame, ...] rows in `out` (JSON)."""
    from livecode.render import render_set
    from synths.engine import Engine
    from synths.events import NoteEvent

    log: list[list[Any]] = []
    originals = {name: getattr(Engine, name) for name in ("add_track", "schedule", "set_param", "set_chain", "set_tempo")}

    def wrap(name: str) -> Callable[..., Any]:
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            if name == "schedule":
                event = args[0]
                if isinstance(event, NoteEvent):
                    log.append(["note", event.time, event.track, dict(event.params), event.duration])
                else:
                    log.append(["param", event.time, event.track, event.path, event.value])
            else:
                log.append([name, self.now(), *args])
            return originals[name](self, *args, **kwargs)
        return call

    for name in originals:
        setattr(Engine, name, wrap(name))
    try:
        render_set(set_file, str(out.with_suffix(".livecode.wav")), bars=bars, tail=2.0)
    finally:
        for name, original in originals.items():
            setattr(Engine, name, original)
    out.write_text(json.dumps(log, default=str))


# -- building blocks (what synths.instruments._sources builds) -----------------------------------
def noise(mul: Any = 1.0) -> Any:
    n = pyo.Noise(mul=mul)
    n.setType(1)                 # the linear congruential generator (cheap_noise)
    return n


class Bank:
    """Band-limited saw/square/triangle HarmTables, one per octave band (WaveBank)."""

    TOPS = tuple(40.0 * 2.0**i for i in range(10))

    def __init__(self) -> None:
        harmonics = WaveBank.harmonics            # pure amplitude maths, as the other imports
        self.tables = {shape: [pyo.HarmTable(harmonics(shape, max(1, int(20000.0 / top))), size=8192)
                               for top in self.TOPS] for shape in ("saw", "square", "triangle")}

    def table(self, shape: str, freq: float) -> Any:
        index = next((i for i, top in enumerate(self.TOPS) if freq <= top), len(self.TOPS) - 1)
        return self.tables[shape][index]


class DecayEnv:
    """TrigLinseg of levels in nepers through Exp (DecayEnvelope)."""

    def __init__(self, trig: Any, objs: list[Any]) -> None:
        self.log = pyo.TrigLinseg(trig, [(0.0, 0.0), (0.001, 0.0)], add=SILENT_DB * NEPERS)
        self.out = pyo.Exp(self.log, mul=0.0)
        objs += [self.log, self.out]

    def set(self, points: list[tuple[float, float]], level: float) -> None:
        self.log.setList([(t, (db - SILENT_DB) * NEPERS) for t, db in points])
        self.out.mul = level


class Sweep:
    """A phase-reset sine gliding from `start` to `end` Hz (PhaseSweep)."""

    def __init__(self, trig: Any, objs: list[Any], mul: Any = 1.0) -> None:
        flat = [(0.0, 0.0), (0.001, 0.0)]
        self.ramp = pyo.TrigLinseg(trig, flat)
        self.bend = pyo.TrigExpseg(trig, flat, exp=3.0, inverse=True)
        self.phase = self.ramp - self.bend
        self.out = pyo.Sin(self.phase, mul=mul)
        objs += [self.ramp, self.bend, self.phase, self.out]

    def set(self, start: float, end: float, sweep: float, length: float) -> None:
        sweep = max(sweep, 0.0005)
        length = max(length, sweep + 0.001)
        extra = (start - end) * sweep / 3.0 * TAU
        self.ramp.setList([(0.0, extra), (length, extra + end * length * TAU)])
        self.bend.setList([(0.0, extra), (sweep, 0.0)])


def fm_pair(carrier: Any, ratio: Any, index: Any, objs: list[Any], mul: Any = 1.0) -> Any:
    """sin(2 pi fc t + index sin(2 pi ratio fc t)) from Phasors and Sin (FMPair)."""
    carrier_phase = pyo.Phasor(freq=carrier, mul=TAU)
    modulator_freq = carrier * ratio
    modulator_phase = pyo.Phasor(freq=modulator_freq, mul=TAU)
    modulator = pyo.Sin(modulator_phase, mul=index)
    argument = carrier_phase + modulator
    out = pyo.Sin(argument, mul=mul)
    objs += [carrier_phase, modulator_freq, modulator_phase, modulator, argument, out]
    return out


def streams(obj: Any) -> list[Any]:
    """`obj`'s streams and its hidden input faders and end-trigger streams."""
    found = list(obj.getBaseObjects())
    for name in ("_in_fader", "_in_fader2", "_trig_objs"):
        helper = getattr(obj, name, None)
        if helper is not None and hasattr(helper, "getBaseObjects"):
            found.extend(helper.getBaseObjects())
    return found


# -- voices --------------------------------------------------------------------------------------
class RawVoice:
    """One voice: a Trig, the instrument's graph, the 5 Hz DC blocker and pan gains. Its objects
    play for each note and stop when it has rung out (the engine's idle voices sleep too)."""

    DEFAULTS: ClassVar[dict[str, float]] = {}

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.trig = pyo.Trig().stop()
        self.objs: list[Any] = []
        body = self.build(self.trig)
        self.dc = pyo.Atone(body, freq=5.0)
        self.gains = pyo.Sig([1.0, 1.0])
        self.out = self.dc * self.gains
        self.objs += [self.dc, self.gains, self.out]
        self.busy_until = 0.0
        # every stream, with the input faders and end triggers pyo keeps running on their own
        self.bases = [base for obj in self.objs for base in streams(obj)]
        for base in self.bases:
            base.stop(0)

    def build(self, trig: Any) -> Any:
        raise NotImplementedError

    def note(self, params: Params, dur: float) -> float:
        """Set the note's values; return the seconds it sounds (then the DC blocker settles)."""
        raise NotImplementedError

    def play(self, params: Params, dur: float, now: float) -> None:
        p = {**self.DEFAULTS, **params}
        sound = self.note(p, dur)
        pan = min(1.0, max(0.0, float(p.get("pan", 0.5))))
        self.gains.value = [min(1.0, 2.0 * (1.0 - pan)), min(1.0, 2.0 * pan)]
        wait = sound + DC_SETTLE + MARGIN
        for base in self.bases:
            base.play(0, 0)
            base.stop(wait)
        self.trig.play()
        self.busy_until = now + wait


class Drum(RawVoice):
    """A drum: body, then Biquad lowpass (20 kHz) carrying the level."""

    LEVEL = 0.5

    def __init__(self, bank: Bank) -> None:
        super().__init__(bank)

    def build(self, trig: Any) -> Any:
        body = self.body(trig)
        self.filter = pyo.Biquad(body, freq=20000.0, q=0.707, type=0, mul=0.0)
        self.objs.append(self.filter)
        return self.filter

    def body(self, trig: Any) -> Any:
        raise NotImplementedError

    def note(self, params: Params, dur: float) -> float:
        level = float(params.get("gain", 1.0)) * float(params.get("velocity", 1.0))
        decay = min(8.0, max(0.005, float(params["decay"])))
        self.filter.mul = self.LEVEL * level * self.makeup(params)
        return self.hit(params, decay) + 0.01

    def makeup(self, params: Params) -> float:
        return 1.0

    def hit(self, params: Params, decay: float) -> float:
        raise NotImplementedError


class Kick808(Drum):
    LEVEL = 0.5
    BASE, CLICK_TIME = 50.0, 0.004
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.9, "penv": 5.0, "pdecay": 0.03, "click": 0.25, "drive": 0.8, "tone": 0.45}

    def body(self, trig: Any) -> Any:
        self.amp = DecayEnv(trig, self.objs)
        self.sweep = Sweep(trig, self.objs, mul=self.amp.out)
        self.click_env = DecayEnv(trig, self.objs)
        self.click = noise(self.click_env.out)
        self.sum = self.sweep.out + self.click
        self.drive = pyo.Tanh(self.sum)
        self.objs += [self.click, self.sum, self.drive]
        return self.drive

    def makeup(self, params: Params) -> float:
        return 1.0 / max(math.tanh(float(params["drive"])), 1e-3)

    def hit(self, params: Params, decay: float) -> float:
        drive = float(params["drive"])
        body = decay_db_points(0.0005, decay)
        self.sweep.set(self.BASE * semis_ratio(float(params["penv"])), self.BASE, float(params["pdecay"]),
                       decay_length(body) + 0.01)
        self.amp.set(body, drive)
        self.click_env.set(decay_db_points(0.0002, self.CLICK_TIME), drive * float(params["click"]))
        self.filter.freq = min(20000.0, 150.0 * 2.0 ** (7.0 * float(params["tone"])))
        return decay_length(body)


class Kick909(Kick808):
    LEVEL = 0.48
    BASE, CLICK_TIME = 55.0, 0.006
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.6, "penv": 30.0, "pdecay": 0.035, "click": 0.7, "drive": 2.2,
                                            "tone": 0.85}


class Metal(Drum):
    """Hats: six square partials and noise, band- and high-passed (808 hh/oh)."""

    RATIOS: tuple[float, ...] = (205.3, 304.4, 369.6, 522.7, 540.0, 800.0)
    METAL, NOISE, BAND, HIGHPASS = 1.0, 0.15, 10000.0, 7000.0

    def body(self, trig: Any) -> Any:
        self.env = DecayEnv(trig, self.objs)
        self.partials = pyo.Osc(self.bank.table("square", max(self.RATIOS) * 2.0), freq=list(self.RATIOS),
                                mul=self.METAL / len(self.RATIOS))
        self.noise = noise(self.NOISE)
        self.source = pyo.Mix([self.partials, self.noise], voices=1, mul=self.env.out)
        self.band = pyo.Biquad(self.source, freq=self.BAND, q=1.0, type=2)
        self.highpass = pyo.Biquad(self.band, freq=self.HIGHPASS, q=0.707, type=1)
        self.objs += [self.partials, self.noise, self.source, self.band, self.highpass]
        return self.highpass

    def hit(self, params: Params, decay: float) -> float:
        points = perc_db_points(0.0005, decay, 2.5)
        self.env.set(points, 1.0)
        return decay_length(points)


class HH808(Metal):
    LEVEL = 3.8
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.045}


class OH808(Metal):
    LEVEL = 3.0
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.35}


class OH909(Metal):
    RATIOS = (263.0, 400.0, 421.0, 474.0, 587.0, 845.0)
    METAL, NOISE, BAND, HIGHPASS = 0.6, 0.7, 11000.0, 8000.0
    LEVEL = 0.65
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.45}


class Clap909(Drum):
    LEVEL = 0.77
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.22}
    BURSTS, SPACING, BAND, Q = 3, 0.009, 1300.0, 1.0

    def body(self, trig: Any) -> Any:
        self.env = DecayEnv(trig, self.objs)
        self.noise = noise(self.env.out)
        self.band = pyo.Biquad(self.noise, freq=self.BAND, q=self.Q, type=2)
        self.objs += [self.noise, self.band]
        return self.band

    def hit(self, params: Params, decay: float) -> float:
        points = burst_db_points(self.BURSTS, self.SPACING, -16.5, decay)
        self.env.set(points, 1.0)
        return decay_length(points)


class Clap808(Clap909):
    LEVEL = 1.5
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.18}
    BURSTS, SPACING, BAND, Q = 4, 0.011, 1100.0, 1.4


class Rim808(Drum):
    LEVEL = 0.19
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.03}

    def body(self, trig: Any) -> Any:
        self.env = DecayEnv(trig, self.objs)
        self.tone = pyo.Sine(freq=[1667.0, 455.0], mul=self.env.out)
        self.noise_level = self.env.out * 0.3
        self.noise = noise(self.noise_level)
        self.highpass = pyo.Biquad(self.noise, freq=3000.0, q=0.7, type=1)
        self.mix = pyo.Mix([self.tone, self.highpass], voices=1)
        self.objs += [self.tone, self.noise_level, self.noise, self.highpass, self.mix]
        return self.mix

    def hit(self, params: Params, decay: float) -> float:
        points = perc_db_points(0.0002, decay, 3.0)
        self.env.set(points, 1.0)
        return decay_length(points)


class Snare(Drum):
    HEADS = (180.0, 330.0)
    NOISE_BAND, TONE_DECAY = 4000.0, 0.45
    LEVEL = 0.35
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.2, "snappy": 0.6}

    def body(self, trig: Any) -> Any:
        self.tone_env = DecayEnv(trig, self.objs)
        self.heads = [self.tone_env.out * 1.0, self.tone_env.out * 0.6]
        self.tone = pyo.Sine(freq=list(self.HEADS), mul=self.heads)
        self.noise_env = DecayEnv(trig, self.objs)
        self.noise = noise(self.noise_env.out)
        self.band = pyo.Biquad(self.noise, freq=self.NOISE_BAND, q=0.6, type=2)
        self.mix = pyo.Mix([self.tone, self.band], voices=1)
        self.objs += [*self.heads, self.tone, self.noise, self.band, self.mix]
        return self.mix

    def hit(self, params: Params, decay: float) -> float:
        snappy = float(params["snappy"])
        self.tone_env.set(perc_db_points(0.0005, decay * self.TONE_DECAY, 3.0), 1.0 - 0.4 * snappy)
        points = perc_db_points(0.001, decay, 2.0)
        self.noise_env.set(points, snappy)
        return decay_length(points)


class SD808(Snare):
    pass


class SD909(Snare):
    HEADS = (190.0, 345.0)
    NOISE_BAND, TONE_DECAY = 6000.0, 0.35
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.22, "snappy": 0.75}


class Shaker909(Drum):
    LEVEL = 0.31
    DEFAULTS: ClassVar[dict[str, float]] = {"decay": 0.06}

    def body(self, trig: Any) -> Any:
        self.env = DecayEnv(trig, self.objs)
        self.noise = noise(self.env.out)
        self.band = pyo.Biquad(self.noise, freq=7500.0, q=1.2, type=2)
        self.objs += [self.noise, self.band]
        return self.band

    def hit(self, params: Params, decay: float) -> float:
        points = perc_db_points(0.008, decay, 2.0)
        self.env.set(points, 1.0)
        return decay_length(points)


class Tonal(RawVoice):
    """A pitched voice: base Hz (x portamento) -> oscillators -> lowpass x AHDSR (TonalVoice)."""

    LEVEL = 0.3
    GLIDE = False
    COMMON: ClassVar[dict[str, float]] = {"attack": 0.005, "hold": 0.0, "decay": 0.1, "sustain": 0.8, "release": 0.05, "cutoff": 8000.0,
              "resonance": 0.1, "detune": 0.0, "gain": 1.0, "velocity": 1.0}

    def build(self, trig: Any) -> Any:
        self.base = pyo.Sig(261.6255653)
        self.top = 261.6255653
        pitch: Any = self.base
        self.objs.append(self.base)
        if self.GLIDE:
            self.bend = pyo.TrigExpseg(trig, [(0.0, 1.0), (0.001, 1.0)], exp=2.0, inverse=True)
            pitch = self.base * self.bend
            self.objs += [self.bend, pitch]
        self.amp = pyo.TrigLinseg(trig, [(0.0, 0.0), (0.001, 0.0)])
        self.objs.append(self.amp)
        return self.shape(self.source(trig, pitch))

    def source(self, trig: Any, pitch: Any) -> Any:
        raise NotImplementedError

    def shape(self, source: Any) -> Any:
        self.filter = pyo.Biquad(source, freq=8000.0, q=0.707, type=0, mul=self.amp)
        self.objs.append(self.filter)
        return self.filter

    def note(self, params: Params, dur: float) -> float:
        p = {**self.COMMON, **params}
        freq = 440.0 * 2.0 ** ((float(p.get("note", 60.0)) - 69.0) / 12.0)
        self.base.value = freq
        self.top = freq
        level = self.LEVEL * float(p["gain"]) * float(p["velocity"]) * self.makeup(p) * self.filter_gain(p)
        self.amp.setList(scale_points(self.envelope(p, dur), level))
        self.set_filter(p)
        self.voice(p, dur, freq)
        return self.sound_tail(p, dur)

    def envelope(self, p: Params, dur: float) -> list[tuple[float, float]]:
        return ahdsr_points(float(p["attack"]), float(p["hold"]), float(p["decay"]), float(p["sustain"]),
                            float(p["release"]), dur)

    def makeup(self, p: Params) -> float:
        return 1.0

    def filter_gain(self, p: Params) -> float:
        return resonance_gain(q_of(float(p["resonance"])))

    def set_filter(self, p: Params) -> None:
        self.filter.freq = max(20.0, min(float(p["cutoff"]), 0.45 * SR))
        self.filter.q = q_of(float(p["resonance"]))

    def voice(self, p: Params, dur: float, freq: float) -> None:
        pass

    def sound_tail(self, p: Params, dur: float) -> float:
        return dur + float(p["release"])


class Sub(Tonal):
    LEVEL = 0.41
    DEFAULTS: ClassVar[dict[str, float]] = {"attack": 0.004, "release": 0.08, "sustain": 1.0}

    def source(self, trig: Any, pitch: Any) -> Any:
        self.osc = pyo.Sine(freq=pitch)
        self.objs.append(self.osc)
        return self.osc


class Bass808(Tonal):
    LEVEL = 0.42
    DEFAULTS: ClassVar[dict[str, float]] = {"attack": 0.002, "decay": 1.2, "sustain": 0.5, "release": 0.25, "cutoff": 6000.0,
                "glide": 0.0, "glidetime": 0.12, "drive": 1.5}

    def source(self, trig: Any, pitch: Any) -> Any:
        self.sweep = Sweep(trig, self.objs)
        self.drive = pyo.Sig(1.5)
        self.driven = self.sweep.out * self.drive
        self.shaper = pyo.Tanh(self.driven)
        self.objs += [self.drive, self.driven, self.shaper]
        return self.shaper

    def voice(self, p: Params, dur: float, freq: float) -> None:
        start = freq * semis_ratio(float(p["glide"]))
        drive = min(float(p["drive"]), tanh_drive_limit(max(start, freq), SR))
        self.drive.value = drive
        self.shaper.mul = 1.0 / max(math.tanh(drive), 1e-3)
        self.sweep.set(start, freq, float(p["glidetime"]), self.sound_tail(p, dur) + 0.05)


class PluckBass(Tonal):
    LEVEL = 0.45
    DEFAULTS: ClassVar[dict[str, float]] = {"cutoff": 400.0, "resonance": 0.3, "decay": 0.25, "sustain": 0.15, "release": 0.06,
                "env": 3.5, "fdecay": 0.08}

    def source(self, trig: Any, pitch: Any) -> Any:
        self.osc = pyo.Osc(self.bank.table("saw", self.top), freq=pitch, mul=0.6)
        self.half = pitch * 0.5
        self.square = pyo.Osc(self.bank.table("square", self.top * 0.5), freq=self.half, mul=0.3 * 4.0 / math.pi)
        self.sum = pyo.Mix([self.osc, self.square], voices=1)
        self.fenv = pyo.TrigExpseg(trig, [(0.0, 400.0), (0.001, 400.0)], exp=3.0, inverse=True)
        self.objs += [self.osc, self.half, self.square, self.sum, self.fenv]
        return self.sum

    def shape(self, source: Any) -> Any:
        self.filter = pyo.Biquad(source, freq=self.fenv, q=0.9, type=0, mul=self.amp)
        self.objs.append(self.filter)
        return self.filter

    def filter_gain(self, p: Params) -> float:
        return resonance_gain(0.7 + 6.0 * float(p["resonance"]))

    def set_filter(self, p: Params) -> None:
        cutoff = max(20.0, min(float(p["cutoff"]), 0.45 * SR))
        peak = max(20.0, min(cutoff * 2.0 ** float(p["env"]), 0.45 * SR))
        self.fenv.setList([(0.0, peak), (float(p["fdecay"]), cutoff)])
        self.filter.q = 0.7 + 6.0 * float(p["resonance"])

    def voice(self, p: Params, dur: float, freq: float) -> None:
        self.osc.table = self.bank.table("saw", self.top)
        self.square.table = self.bank.table("square", self.top * 0.5)


JP8000_OFFSETS = (0.0, -0.11002313, 0.10745242, -0.06288439, 0.06216538, -0.01952356, 0.01991221)
JP8000_ORDER = (3, 0, 6, 1, 5, 2, 4)


class SuperSaw(Tonal):
    """7 band-limited saws per side in the JP-8000's detune and mix (one 14-stream Osc)."""

    LEVEL = 1.0
    DEFAULTS: ClassVar[dict[str, float]] = {"cutoff": 6000.0, "attack": 0.01, "sustain": 0.9, "release": 0.3, "detune": 50.0,
                "spread": 0.5, "bal": 0.7}

    def source(self, trig: Any, pitch: Any) -> Any:
        phases = [0.125 + 0.125 * JP8000_ORDER[k // 2] for k in range(14)]
        self.saws = pyo.Osc(self.bank.table("saw", self.top), freq=[261.6255653] * 14, phase=phases, mul=[0.0] * 14)
        self.sum = pyo.Mix(self.saws, voices=2)
        self.objs += [self.saws, self.sum]
        return self.sum

    def voice(self, p: Params, dur: float, freq: float) -> None:
        curve = min(1.0, abs(float(p["detune"])) / 100.0) ** 6
        cents = 6.0 * float(p["spread"])
        x = float(p["bal"])
        gains = [-0.55366 * x + 0.99785] + [-0.73764 * x * x + 1.2841 * x + 0.044372] * 6
        ratios = [r for off in JP8000_OFFSETS for r in ((1 + off * curve) * cents_ratio(-cents), (1 + off * curve) * cents_ratio(cents))]
        self.top = freq * max(ratios)
        self.saws.freq = [freq * r for r in ratios]
        self.saws.mul = [g * 0.2 * 2.0 / math.pi for gain in gains for g in (gain, gain)]
        self.saws.table = self.bank.table("saw", self.top)


class Pad(Tonal):
    LEVEL = 0.55
    DEFAULTS: ClassVar[dict[str, float]] = {"attack": 0.4, "decay": 0.5, "sustain": 0.8, "release": 1.2, "cutoff": 1800.0, "detune": 10.0,
                "spread": 0.5}

    def source(self, trig: Any, pitch: Any) -> Any:
        self.ratios = pyo.Sig([1.0, 1.0])
        self.spread = pitch * self.ratios
        self.saws = pyo.Osc(self.bank.table("saw", self.top), freq=self.spread, mul=0.3)
        self.half = pitch * 0.5
        self.tri = pyo.Osc(self.bank.table("triangle", self.top * 0.5), freq=self.half, mul=0.3 * 8.0 / math.pi**2)
        self.sum = self.saws + self.tri
        self.objs += [self.ratios, self.spread, self.saws, self.half, self.tri, self.sum]
        return self.sum

    def voice(self, p: Params, dur: float, freq: float) -> None:
        cents = float(p["detune"]) * (0.5 + float(p["spread"]))
        self.ratios.value = [cents_ratio(-cents / 2.0), cents_ratio(cents / 2.0)]
        self.saws.table = self.bank.table("saw", self.top)
        self.tri.table = self.bank.table("triangle", self.top * 0.5)


class Lead(Tonal):
    """Two detuned saws into a MoogLP with a filter envelope, portamento."""

    LEVEL = 0.54 / MOOG_INPUT
    GLIDE = True
    DEFAULTS: ClassVar[dict[str, float]] = {"detune": 12.0, "cutoff": 3000.0, "resonance": 0.3, "sustain": 0.7, "env": 1.5, "fdecay": 0.25}

    def source(self, trig: Any, pitch: Any) -> Any:
        self.spread = pyo.Sig([1.0, 1.0])
        self.freqs = pitch * self.spread
        self.osc = pyo.Osc(self.bank.table("saw", self.top), freq=self.freqs)
        self.sum = pyo.Mix(self.osc, voices=1, mul=MOOG_INPUT / 3.7)
        self.fenv = pyo.TrigExpseg(trig, [(0.0, 3000.0), (0.001, 3000.0)], exp=2.0, inverse=True)
        self.objs += [self.spread, self.freqs, self.osc, self.sum, self.fenv]
        return self.sum

    def shape(self, source: Any) -> Any:
        self.filter = pyo.MoogLP(source, freq=self.fenv, res=0.3, mul=self.amp)
        self.objs.append(self.filter)
        return self.filter

    def filter_gain(self, p: Params) -> float:
        return 1.0

    def makeup(self, p: Params) -> float:
        return 1.0 / min(1.0, 700.0 / max(self.top, 1.0))

    def set_filter(self, p: Params) -> None:
        cutoff = max(20.0, min(float(p["cutoff"]), 0.3 * SR))
        peak = max(20.0, min(cutoff * 2.0 ** float(p["env"]), 0.3 * SR))
        self.fenv.setList([(0.0, peak), (float(p["fdecay"]), cutoff)])
        self.filter.res = float(p["resonance"]) * 0.9

    def voice(self, p: Params, dur: float, freq: float) -> None:
        half = float(p["detune"]) / 2.0
        self.spread.value = [cents_ratio(-half), cents_ratio(half)]
        self.osc.table = self.bank.table("saw", self.top)
        self.sum.mul = MOOG_INPUT / 3.7 * min(1.0, 700.0 / max(self.top, 1.0))


class Bell(Tonal):
    """FM bell: ratio 1.4 with a decaying index, plus a ratio-3.5 shimmer."""

    LEVEL = 0.255
    DEFAULTS: ClassVar[dict[str, float]] = {"attack": 0.001, "decay": 2.5, "sustain": 0.0, "release": 1.0, "ratio": 1.4, "index": 5.0}

    def source(self, trig: Any, pitch: Any) -> Any:
        self.index = pyo.TrigExpseg(trig, [(0.0, 0.0), (0.001, 0.0)], exp=2.0, inverse=True)
        self.ratio = pyo.Sig(1.4)
        self.shimmer_index = pyo.Sig(0.0)
        self.double = pitch * 2.0
        self.shimmer_depth = self.index * self.shimmer_index
        self.objs += [self.index, self.ratio, self.shimmer_index, self.double, self.shimmer_depth]
        self.fm = fm_pair(pitch, self.ratio, self.index, self.objs)
        self.shimmer = fm_pair(self.double, 3.5, self.shimmer_depth, self.objs, mul=0.25)
        self.sum = pyo.Mix([self.fm, self.shimmer], voices=1)
        self.objs.append(self.sum)
        return self.sum

    def voice(self, p: Params, dur: float, freq: float) -> None:
        ratio = float(p["ratio"])
        index = min(float(p["index"]), fm_index_limit(self.top, ratio, SR))
        self.ratio.value = ratio
        shimmer = fm_index_limit(self.top * 2.0, 3.5, SR)
        self.shimmer_index.value = min(0.3, shimmer / index) if index > 0.0 else 0.0
        self.index.setList([(0.0, index), (float(p["decay"]), index * 0.1)])

    def sound_tail(self, p: Params, dur: float) -> float:
        held = dur if float(p["sustain"]) > 0.0 else min(dur, float(p["attack"]) + float(p["hold"]) + float(p["decay"]))
        return held + float(p["release"])


class Pluck(Tonal):
    """Karplus-Strong: a noise burst into a tuned Waveguide."""

    LEVEL = 0.47
    DEFAULTS: ClassVar[dict[str, float]] = {"attack": 0.0, "decay": 1.5, "sustain": 1.0, "release": 0.2, "cutoff": 5000.0}

    def source(self, trig: Any, pitch: Any) -> Any:
        self.burst = pyo.TrigLinseg(trig, [(0.0, 0.0), (0.001, 0.0)])
        self.noise = noise(self.burst)
        self.tone = pyo.Biquad(self.noise, freq=5000.0, q=0.707, type=0)
        self.string = pyo.Waveguide(self.tone, freq=pitch, dur=1.5, minfreq=20.0)
        self.objs += [self.burst, self.noise, self.tone, self.string]
        return self.string

    def shape(self, source: Any) -> Any:
        self.filter = pyo.Sig(source, mul=self.amp)
        self.objs.append(self.filter)
        return self.filter

    def envelope(self, p: Params, dur: float) -> list[tuple[float, float]]:
        release = float(p["release"])
        return [(0.0, 1.0), (max(dur, 0.001), 1.0), (max(dur, 0.001) + max(release, 0.001), 0.0)]

    def filter_gain(self, p: Params) -> float:
        return 1.0

    def set_filter(self, p: Params) -> None:
        self.tone.freq = max(20.0, min(float(p["cutoff"]), 0.45 * SR))

    def voice(self, p: Params, dur: float, freq: float) -> None:
        self.string.dur = float(p["decay"])
        length = min(0.02, 2.0 / max(freq, 20.0))
        strength = (float(p["gain"]) * float(p["velocity"])) ** 0.5
        self.burst.setList([(0.0, strength), (length, strength), (length + 0.0005, 0.0)])

    def sound_tail(self, p: Params, dur: float) -> float:
        return min(dur + float(p["release"]), float(p["decay"]) * 1.5)


class EPiano(Tonal):
    """FM electric piano: a ratio-1 body with a decaying index and a ratio-14 tine."""

    LEVEL = 0.43
    DEFAULTS: ClassVar[dict[str, float]] = {"attack": 0.002, "decay": 1.6, "sustain": 0.25, "release": 0.35, "index": 2.0, "tine": 0.35}

    def source(self, trig: Any, pitch: Any) -> Any:
        self.body_index = pyo.TrigExpseg(trig, [(0.0, 0.0), (0.001, 0.0)], exp=2.0, inverse=True)
        self.tine_env = pyo.TrigExpseg(trig, [(0.0, 0.0), (0.001, 0.0)], exp=3.0, inverse=True)
        self.tine_index = pyo.Sig(0.6)
        self.objs += [self.body_index, self.tine_env, self.tine_index]
        self.body = fm_pair(pitch, 1.0, self.body_index, self.objs)
        self.tine = fm_pair(pitch, 14.0, self.tine_index, self.objs, mul=self.tine_env)
        self.sum = pyo.Mix([self.body, self.tine], voices=1)
        self.objs.append(self.sum)
        return self.sum

    def voice(self, p: Params, dur: float, freq: float) -> None:
        index = min(10.0, float(p["index"])) * (0.3 + 0.7 * float(p["velocity"]))
        index = min(index, fm_index_limit(self.top, 1.0, SR))
        self.body_index.setList([(0.0, index), (0.8, index * 0.2)])
        self.tine_index.value = min(0.6, fm_index_limit(self.top, 14.0, SR))
        tine = float(p["tine"]) * 0.5
        self.tine_env.setList([(0.0, 0.0), (0.0005, tine), (0.2505, 0.0)])


VOICES: dict[str, type[RawVoice]] = {
    "bd@808": Kick808, "hh@808": HH808, "oh@808": OH808, "sd@808": SD808, "cp@808": Clap808, "rim@808": Rim808,
    "bd@909": Kick909, "oh@909": OH909, "cp@909": Clap909, "sd@909": SD909, "sh@909": Shaker909, "sub": Sub,
    "bass808": Bass808, "pluckbass": PluckBass, "supersaw": SuperSaw, "pad": Pad, "lead": Lead, "bell": Bell,
    "pluck": Pluck, "epiano": EPiano,
}


DRUMS = frozenset(key.split("@")[0] for key in VOICES if "@" in key)


def voice_key(params: Params) -> str:
    s = str(params["s"])
    return f"{s}@{params.get('bank') or '808'}" if s in DRUMS else s


# -- tracks, buses, master -----------------------------------------------------------------------
class Pool:
    """SLOTS voices of one instrument; a note takes a free voice, else the one ending first."""

    def __init__(self, cls: type[RawVoice], bank: Bank) -> None:
        self.voices = [cls(bank) for _ in range(SLOTS)]
        self.out = pyo.Mix([v.out for v in self.voices], voices=2)

    def play(self, params: Params, dur: float, now: float) -> None:
        voice = min(self.voices, key=lambda v: v.busy_until)
        voice.play(params, dur, now)


class Track:
    def __init__(self, name: str) -> None:
        self.name = name
        self.pools: dict[str, Pool] = {}
        self.gain = pyo.SigTo(0.0, time=0.02)
        self.pan = pyo.SigTo(0.5, time=0.02)
        self.sends = {"reverb": pyo.SigTo(0.0, time=0.02), "delay": pyo.SigTo(0.0, time=0.02)}
        self.cutoff = pyo.SigTo(2000.0, time=0.02)
        self.pre: Any = None
        self.post: Any = None

    def build(self, chain: list[Mapping[str, Any]], pre_of: Callable[[str], Any]) -> None:
        signal: Any = pyo.Mix([pool.out for pool in self.pools.values()], voices=2)
        self.parts: list[Any] = [signal]
        for spec in chain:
            if spec["kind"] == "lpf":
                q = 0.7071 * 30.0 ** float(spec.get("resonance", 0.0))
                self.cutoff.value = float(spec.get("cutoff", 2000.0))
                signal = pyo.SVF2(signal, freq=pyo.Clip(self.cutoff, 20.0, 0.45 * SR), q=q, type=0)
            elif spec["kind"] == "duck":
                key = pyo.Mix(pre_of(str(spec["key"])), voices=1)
                curve = pyo.Compress(key, thresh=-30.0, ratio=20.0, risetime=0.003, falltime=0.2,
                                     lookahead=1000.0 / SR, knee=0.0, outputAmp=True)
                gain = 1.0 - float(spec.get("amount", 0.7)) * (1.0 - curve)
                signal = pyo.Atone(signal * gain, freq=5.0)
                self.parts += [key, curve, gain]
            else:
                raise SystemExit(f"raw_pyo_set: no raw version of effect {spec['kind']!r}")
            self.parts.append(signal)
        self.pre = signal
        level = pyo.DBToA(self.gain)
        left = pyo.Clip(2.0 - self.pan * 2.0, 0.0, 1.0)
        right = pyo.Clip(self.pan * 2.0, 0.0, 1.0)
        self.post = self.pre * [level * left, level * right]
        self.feeds = {bus: self.post * send for bus, send in self.sends.items()}
        self.parts += [level, left, right]


def limiter(source: Any, ceiling_db: float = -1.0, window: int = 64, taps: int = 32) -> tuple[Any, list[Any]]:
    """The master's true-peak limiter (synths.master.TruePeakLimiter), object for object."""
    keep: list[Any] = []
    n = np.arange(taps)
    centre = taps / 2 - 1

    def interpolator(fraction: float) -> list[float]:
        h = np.sinc(n - centre - fraction) * np.kaiser(taps, 6.0)
        return [float(v) for v in h / h.sum()]

    latency = window - 1 + taps // 2 - 1
    tables = [pyo.DataTable(size=taps, init=interpolator(k / 4)) for k in range(1, 4)]
    phases = [pyo.Abs(pyo.SDelay(source, delay=(taps // 2 + 0.5) / SR, maxdelay=0.01))]
    phases += [pyo.Abs(pyo.Convolve(source, table, size=taps)) for table in tables]
    streams = [pyo.Sig(phase[ch]) for phase in phases for ch in range(len(phase))]
    detector: Any = streams[0]
    for stream in streams[1:]:
        detector = pyo.Max(detector, comp=stream)
        keep.append(detector)
    threshold = pyo.DBToA(pyo.Sig(ceiling_db - 0.3))
    held: Any = threshold / pyo.Max(detector, comp=threshold)
    shift = 1
    while shift < window:
        held = pyo.Min(held, comp=pyo.SDelay(held, delay=(shift + 0.5) / SR, maxdelay=0.01))
        keep.append(held)
        shift *= 2
    recovery = 1.0 - pyo.Follower2(1.0 - held, risetime=0.0001, falltime=0.08)
    gain = pyo.Average(pyo.Min(held, comp=recovery), size=window)
    delayed = pyo.SDelay(source, delay=(latency + 0.5) / SR, maxdelay=0.01)
    ceiling = pyo.DBToA(pyo.Sig(ceiling_db))
    keep += [tables, phases, streams, threshold, recovery, gain, delayed, ceiling]
    return pyo.Clip(delayed * gain, min=-ceiling, max=ceiling), keep


class RawSet:
    """The whole set built from an event file; `tick()` from the server's callback plays it."""

    def __init__(self, rows: list[list[Any]], bpm: float = 120.0, block: int = 256) -> None:
        self.block = block
        self.bank = Bank()
        fm_index_limit(440.0, 1.0, SR)               # the Bessel and tanh tables, now and not in the callback
        tanh_drive_limit(55.0, SR)
        self.tracks: dict[str, Track] = {}
        chains: dict[str, list[Mapping[str, Any]]] = {}
        self.notes: list[tuple[int, str, dict[str, Any], int]] = []
        self.params: list[tuple[int, str, str, float]] = []
        for row in rows:
            kind = row[0]
            if kind == "set_tempo":
                bpm = float(row[2])
            elif kind == "add_track":
                self.tracks.setdefault(row[2], Track(row[2]))
            elif kind == "set_chain":
                chains[row[2]] = list(row[3])
            elif kind == "set_param":
                self.params.append((int(row[1]), row[2], row[3], float(row[4])))
            elif kind == "note":
                self.notes.append((int(row[1]), row[2], dict(row[3]), int(row[4])))
            elif kind == "param":
                self.params.append((int(row[1]) if row[1] is not None else 0, row[2], row[3], float(row[4])))
        for _, name, params, _ in self.notes:
            track = self.tracks.setdefault(name, Track(name))
            key = voice_key(params)
            if key not in track.pools:
                track.pools[key] = Pool(VOICES[key], self.bank)
        self.spb = 60.0 / bpm
        built: set[str] = set()

        def build(name: str) -> None:                   # keys before the tracks they duck
            if name in built:
                return
            for spec in chains.get(name, []):
                if spec["kind"] == "duck":
                    build(str(spec["key"]))
            self.tracks[name].build(chains.get(name, []), lambda key: self.tracks[key].pre)
            built.add(name)

        for name in list(self.tracks):
            build(name)
        self._build_buses()
        self.notes.sort(key=lambda n: n[0])
        self.params.sort(key=lambda p: p[0])
        self.first = min([n[0] for n in self.notes], default=0)
        self.offset = 0
        self.frame = 0
        self.next_note = 0
        self.next_param = 0
        self.played = 0

    def _build_buses(self) -> None:
        feeds = {bus: pyo.Mix([t.feeds[bus] for t in self.tracks.values()], voices=2) for bus in ("reverb", "delay")}
        self.reverb_size = pyo.SigTo(0.8, time=0.02)
        reverb = pyo.Atone(pyo.Freeverb(feeds["reverb"], size=self.reverb_size, damp=0.5, bal=1.0), freq=5.0)
        self.delay_time = pyo.SigTo(0.75 * self.spb, time=0.05)
        self.delay_feedback = pyo.SigTo(0.4, time=0.02)
        loop = [pyo.InputFader(pyo.Sig(0.0)), pyo.InputFader(pyo.Sig(0.0))]
        block = self.block / SR                          # the feedback loop is a block late: shorten the line
        late = pyo.SDelay(feeds["delay"], delay=(self.block + 0.5) / SR, maxdelay=0.1)
        sides = [pyo.Sig(late[0]), pyo.Sig(late[1])]
        ins = [sides[0] + loop[0] * self.delay_feedback, sides[1] + loop[1] * self.delay_feedback]
        line = pyo.Clip(self.delay_time - block, 1.0 / SR, 4.0)
        lines = [pyo.Delay(x, delay=line, feedback=0, maxdelay=4.0) for x in ins]
        wet = [pyo.ButLP(line, freq=8000.0) for line in lines]
        for fader, echo in zip(loop, wet):
            fader.setInput(echo, 0.0)
        delay = pyo.Atone(pyo.Mix(wet, voices=2), freq=5.0)
        master_in = pyo.Mix([*(t.post for t in self.tracks.values()), reverb, delay], voices=2)
        dc = pyo.Atone(master_in, freq=5.0)
        low = pyo.EQ(dc, freq=100.0, q=0.7, boost=0.0, type=1)
        mid = pyo.EQ(low, freq=1000.0, q=0.8, boost=0.0, type=0)
        high = pyo.EQ(mid, freq=8000.0, q=0.7, boost=0.0, type=2)
        glue = pyo.Compress(high, thresh=-12.0, ratio=2.0, risetime=0.02, falltime=0.2, lookahead=1000.0 / SR, knee=0.5)
        self.out, self._limiter = limiter(glue)
        self._bus_parts = [feeds, reverb, loop, late, sides, line, ins, lines, wet, delay, master_in, dc, low, mid, high, glue]

    def start_at(self, frame: int) -> None:
        """The first note plays at `frame` of the server's clock."""
        self.offset = frame - self.first

    def tick(self, block: int) -> None:
        """Play every note and parameter change of the next block (called before it is computed)."""
        end = self.frame + block - self.offset
        now = self.frame / SR
        while self.next_param < len(self.params) and self.params[self.next_param][0] < end:
            self._param(*self.params[self.next_param][1:])
            self.next_param += 1
        while self.next_note < len(self.notes) and self.notes[self.next_note][0] < end:
            _, name, params, duration = self.notes[self.next_note]
            self._note(self.tracks[name], params, duration / SR, now)
            self.next_note += 1
        self.frame += block

    def _param(self, name: str, path: str, value: float) -> None:
        track = self.tracks.get(name)
        if track is None:
            return
        if path == "gain":
            track.gain.value = value
        elif path == "pan":
            track.pan.value = value
        elif path.endswith(".cutoff"):
            track.cutoff.value = value

    def _note(self, track: Track, params: dict[str, Any], dur: float, now: float) -> None:
        if "room" in params:
            track.sends["reverb"].value = float(params["room"])
        if "delay" in params:
            track.sends["delay"].value = float(params["delay"])
        if "size" in params:
            self.reverb_size.value = float(params["size"]) / 10.0
        if "delaytime" in params:
            beats = min(4.0, max(1 / 64, float(params["delaytime"]) / self.spb))
            self.delay_time.value = beats * self.spb
        if "delayfeedback" in params:
            self.delay_feedback.value = min(0.95, float(params["delayfeedback"]))
        track.pools[voice_key(params)].play(params, dur, now)
        self.played += 1


# -- running -------------------------------------------------------------------------------------
def _server(audio: str, buffersize: int) -> Any:
    server = pyo.Server(sr=SR, nchnls=2, buffersize=buffersize, duplex=0, audio=audio, jackname="rawpyo")
    server.setVerbosity(1)
    server.boot()
    return server


def play(events: Path, seconds: float) -> None:
    """Play the event file on JACK for `seconds` (the server imposes its period)."""
    server = _server("jack", 256)
    block = server.getBufferSize()
    the_set = RawSet(json.loads(events.read_text()), block=block)
    the_set.out.out()
    the_set.start_at(int(0.5 * SR))
    server.setCallback(lambda: the_set.tick(block))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))     # the benchmark ends it early
    server.start()
    try:
        time.sleep(seconds)
    finally:
        server.stop()
        print(f"raw pyo: {the_set.played} notes played, block {block}", flush=True)
        server.shutdown()


def render(events: Path, out: Path, seconds: float) -> None:
    """Render the event file offline to `out` (float WAV) for `seconds` after the first note."""
    server = _server("offline", 256)
    server.recordOptions(dur=seconds + 0.5, filename=str(out), fileformat=0, sampletype=3)
    the_set = RawSet(json.loads(events.read_text()))
    the_set.out.out()
    the_set.start_at(int(0.5 * SR))
    server.setCallback(lambda: the_set.tick(256))
    started = time.process_time()
    server.start()
    print(f"raw pyo render: {the_set.played} notes, {time.process_time() - started:.2f} s CPU for "
          f"{seconds + 0.5:.1f} s of audio")
    server.shutdown()


def main(argv: list[str] | None = None) -> None:
    """`events`, `play` or `render` (see the module doc)."""
    global pyo
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("events", help="the set's engine calls, from an offline render, to JSON")
    ev.add_argument("set_file")
    ev.add_argument("--bars", type=int, default=8)
    ev.add_argument("-o", "--out", type=Path, required=True)
    pl = sub.add_parser("play", help="play an event file on JACK")
    pl.add_argument("events", type=Path)
    pl.add_argument("seconds", type=float)
    rd = sub.add_parser("render", help="render an event file offline")
    rd.add_argument("events", type=Path)
    rd.add_argument("out", type=Path)
    rd.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args(argv)
    if args.command == "events":
        extract_events(args.set_file, args.bars, args.out)
        return
    import pyo as module
    pyo = module
    if args.command == "play":
        play(args.events, args.seconds)
    else:
        render(args.events, args.out, args.seconds)


if __name__ == "__main__":
    main()
