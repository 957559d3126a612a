"""CPU per voice of the singing voice and of the vocal effects, each beside a raw pyo anchor,
and the corrector's latency.

CPU: pyo's manual mode at 48 kHz with 256-frame blocks computes `--seconds` of audio as fast as
it can (CPU time of this process); the cost of an empty server is subtracted; printed as
microseconds per block and the share of one core at real time (a block lasts 5.33 ms).

- voice: `voices` singing voices (`voice`, `choir`) holding notes, against the anchor of the same
  DSP written in raw pyo (a `Blit` into five `Biquad` band-passes, no envelopes or vibrato);
- tune / harmony / double / deess: each on a sung-like tone, against raw pyo
  `Yin` + `PVAnal -> PVTranspose -> PVSynth` (the corrector's core);
- quality: the corrector's pitch at each speed on a sung-like tone 40 cents sharp with +-30
  cents of vibrato, and the voice's first two formants against the table;
- latency: a pitched burst through `tune` (natural speed) and `harmony`, cross-correlated with
  the input; the design values are `tune_latency` and `shifter_latency`.

    .venv/bin/python benchmarks/bench_vocals.py [--seconds 10] [--voices 8]
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from synths._pyo import pyo
from synths.effects import EffectContext, create
from synths.effects.audit import render_effect
from synths.effects.vocal import shifter_latency, tune_latency
from synths.instruments import resolve
from synths.instruments.preview import Note, render_notes
from synths.instruments.vocal import FORMANTS
from synths.vocal_measure import cents, formant_peaks, track_pitch
from synths.voice import note_to_freq

__all__ = ["main", "cpu", "latency", "quality"]

SR = 48000
BLOCK = 256


def cpu(build: Callable[[Any], Any], seconds: float) -> float:
    """Microseconds per block spent computing `seconds` of audio with `build(p)`'s objects alive,
    on a fresh manual server."""
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=BLOCK, duplex=0, audio="manual", verbosity=1)
    server.boot()
    server.start()
    keep = build(p)
    blocks = int(seconds * SR / BLOCK)
    start = time.process_time()
    for _ in range(blocks):
        server.process()
    elapsed = time.process_time() - start
    del keep
    server.stop()
    server.shutdown()
    return elapsed / blocks * 1e6


def _voices(name: str, count: int) -> Callable[[Any], Any]:
    def build(p: Any) -> Any:
        cls = resolve(name)
        trigs = [p.Trig().stop() for _ in range(count)]
        pool = [cls(t, SR) for t in trigs]
        cls.link_pool(pool)
        params = {**cls.PARAMS.defaults(), "vowel": "a"}
        for i, (voice, trig) in enumerate(zip(pool, trigs)):
            voice.set_note({**params, "freq": 196.0 * 2 ** (i / 12)}, 3600.0)
            trig.play()
        return trigs, pool, p.Mix([v.out for v in pool], voices=2).out()
    return build


def _raw_voices(count: int) -> Callable[[Any], Any]:
    def build(p: Any) -> Any:
        objs = []
        for i in range(count):
            src = p.Blit(freq=196.0 * 2 ** (i / 12), harms=80)
            bank = p.Biquad(src, freq=[650, 1080, 2650, 2900, 3250], q=[8, 12, 22, 22, 23], type=2,
                            mul=[1, 0.5, 0.45, 0.4, 0.08])
            objs += [src, bank]
        return objs, p.Mix([o for o in objs[1::2]], voices=2).out()
    return build


def _tone(p: Any) -> Any:
    lfo = p.Sine(freq=5.5, mul=0.017, add=1.0)
    return [lfo, p.Blit(freq=[440.0 * lfo, 440.0 * lfo], harms=30, mul=0.3)]


def _effect(kind: str) -> Callable[[Any], Any]:
    def build(p: Any) -> Any:
        source = _tone(p)
        ctx = EffectContext(SR, 120.0)
        fx = create(kind, source[1], ctx)
        return source, fx, fx.out.out()
    return build


def _raw_corrector(p: Any) -> Any:
    source = _tone(p)
    mono = p.Mix(source[1], voices=1)
    yin = p.Yin(mono, winsize=1024)
    ratio = p.Pow(2.0, (p.FToM(p.Clip(yin, 60, 1200)) - 69.0) / -12.0)
    anal = p.PVAnal(mono, size=1024, overlaps=4)
    synth = p.PVSynth(p.PVTranspose(anal, transpo=ratio))
    return source, yin, ratio, anal, synth, synth.out()


def latency() -> dict[str, int]:
    """Measured samples of delay through `tune` and `harmony` (a pitched burst, cross-correlated)."""
    x = np.zeros(SR)
    n = np.arange(4800)
    for at in (0.2, 0.5, 0.8):
        x[int(at * SR):int(at * SR) + 4800] += np.sin(2 * np.pi * 220 * n / SR) * np.exp(-n / 800)
    stereo = np.stack([x, x])
    found = {}
    for kind, params in (("tune", {"speed": 0.0}), ("harmony", {"level": 0.0})):
        y = render_effect(kind, stereo, SR, params=params)
        corr = np.correlate(y[0], x, "full")[len(x) - 1:len(x) - 1 + 6000]
        found[kind] = int(np.argmax(corr))
    return found


def _sung(f0: float, seconds: float, off_cents: float, vib_cents: float = 30.0) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    freq = f0 * 2.0 ** ((off_cents + vib_cents * np.sin(2 * np.pi * 5.5 * t)) / 1200.0)
    phase = 2 * np.pi * np.cumsum(freq) / SR
    x = sum((0.25 / k) * np.sin(k * phase) for k in range(1, 20))
    return np.stack([x, x])


def quality() -> None:
    """Pitch of the corrector at each speed and the voice's formant errors (markdown)."""
    x = _sung(440.0, 3.0, 40.0)
    sung = cents(track_pitch(x[0][SR // 2:], SR), 440.0)
    print("\n| tune speed | median cents from a4 | vibrato (std, cents) | 90 % of frames within |")
    print("| ---: | ---: | ---: | ---: |")
    print(f"| input | {np.median(sung):+.1f} | {np.std(sung):.1f} | {np.percentile(np.abs(sung), 90):.1f} |")
    for speed in (1.0, 0.8, 0.5, 0.0):
        out = cents(track_pitch(render_effect("tune", x, SR, params={"speed": speed})[0][SR // 2:], SR), 440.0)
        print(f"| {speed:g} | {np.median(out):+.1f} | {np.std(out):.1f} | {np.percentile(np.abs(out), 90):.1f} |")
    print("\n| voice | note | vowel | F1 target / found | F2 target / found |")
    print("| --- | ---: | --- | --- | --- |")
    for name, kind, note in (("basso", "bass", 43), ("tenor", "tenor", 48), ("alto", "alto", 55)):
        for vowel in "aeiou":
            audio = render_notes(resolve(name), [Note(0.0, {"note": note, "vowel": vowel, "vmod": 0.0, "breath": 0.0}, 1.0)], 1.0)
            peaks = formant_peaks(audio[0][int(0.3 * SR):int(0.9 * SR)].astype(float), note_to_freq(note), SR)
            cells = []
            for target, _, _ in FORMANTS[kind][vowel][:2]:
                found = min(peaks, key=lambda f: abs(f - target))
                cells.append(f"{target:.0f} / {found:.0f} ({100 * (found / target - 1):+.0f} %)")
            print(f"| {name} | {note} | {vowel} | {cells[0]} | {cells[1]} |")


def main() -> None:
    """Print the tables (markdown) for docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--voices", type=int, default=8)
    args = parser.parse_args()
    base = cpu(lambda p: None, args.seconds)
    block_us = BLOCK / SR * 1e6
    rows: list[tuple[str, float, int]] = [
        ("voice (livecode)", cpu(_voices("voice", args.voices), args.seconds) - base, args.voices),
        ("choir (livecode, 4 singers)", cpu(_voices("choir", args.voices), args.seconds) - base, args.voices),
        ("raw pyo Blit + 5 Biquad", cpu(_raw_voices(args.voices), args.seconds) - base, args.voices),
    ]
    tone = cpu(lambda p: _tone(p), args.seconds) - base
    for kind in ("tune", "harmony", "double", "deess", "vocalcomp", "vocaleq"):
        rows.append((f"{kind} (livecode)", cpu(_effect(kind), args.seconds) - base - tone, 1))
    rows.append(("raw pyo Yin + PVAnal/PVTranspose/PVSynth", cpu(_raw_corrector, args.seconds) - base - tone, 1))
    print(f"machine: {platform.machine()} {platform.processor() or ''}, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}, {args.seconds:g} s at {SR} Hz, {BLOCK}-frame blocks\n")
    print("| case | µs per block per voice | % of a core per voice |")
    print("| --- | ---: | ---: |")
    for name, us, count in rows:
        print(f"| {name} | {us / count:.1f} | {100 * us / count / block_us:.2f} |")
    measured = latency()
    print(f"\nlatency: tune {measured['tune']} samples ({1000 * measured['tune'] / SR:.1f} ms; design "
          f"{tune_latency(SR)}), harmony {measured['harmony']} samples ({1000 * measured['harmony'] / SR:.1f} ms; "
          f"design {shifter_latency(SR)})")
    quality()


if __name__ == "__main__":
    main()
