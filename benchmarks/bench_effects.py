"""CPU cost of every effect, of the master bus, and of a full mixer, in pyo's manual mode.

Each case builds a stereo noise source plus the thing measured, computes `--seconds` of audio at
48 kHz with 256-frame blocks as fast as possible (CPU time of this process), subtracts the cost of
the bare source, and prints microseconds per block and the share of one core at real time
(a 256-frame block lasts 5.33 ms).

    .venv/bin/python benchmarks/bench_effects.py [--seconds 20] [--only reverb,delay]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from synths._pyo import pyo
from synths.effects import EFFECTS, EffectContext, create
from synths.master import MasterBus
from synths.mixer import Mixer

__all__ = ["measure", "main"]

SR = 48000
BLOCK = 256


def measure(server: Any, build: Callable[[Any], Any], seconds: float) -> float:
    """CPU seconds spent computing `seconds` of audio with `build(source)`'s objects alive."""
    source = pyo().Noise(mul=[0.2, 0.2])
    keep = build(source)
    blocks = int(seconds * SR / BLOCK)
    start = time.process_time()
    for _ in range(blocks):
        server.process()
    elapsed = time.process_time() - start
    del keep
    return elapsed


def _mixer(tracks: int, ctx: EffectContext) -> Callable[[Any], Any]:
    def build(source: Any) -> Any:
        mixer = Mixer(ctx, output=False)
        for i in range(tracks):
            strip = mixer.add_track(f"d{i + 1}")
            strip.add_source(source)
            strip.chain.add("lpf", cutoff=2000)
            strip.chain.add("compressor")
            mixer.set_param(f"d{i + 1}.send.reverb", 0.2)
            mixer.set_param(f"d{i + 1}.send.delay", 0.1)
        mixer.rebuild(effects=True)
        return mixer

    return build


def _cases(ctx: EffectContext, only: set[str]) -> dict[str, Callable[[Any], Any]]:
    cases: dict[str, Callable[[Any], Any]] = {}
    for kind in EFFECTS:
        options = {"key": "key"} if kind == "duck" else {}
        cases[kind] = lambda src, kind=kind, options=options: create(kind, src, ctx, **options)
    cases["master bus"] = lambda src: MasterBus(src, ctx)
    cases["mixer: 8 tracks (lpf+comp) + buses + master"] = _mixer(8, ctx)
    if only:
        cases = {name: build for name, build in cases.items() if name in only}
    return cases


def main() -> int:
    """Run every case and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--only", default="", help="comma-separated case names")
    args = parser.parse_args()
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=BLOCK, audio="manual", duplex=0)
    server.setVerbosity(0)
    server.boot().start()
    key = p.Noise(mul=[0.3, 0.3])
    ctx = EffectContext(SR, 120.0, key_lookup=lambda name: key)
    blocks = int(args.seconds * SR / BLOCK)
    base = measure(server, lambda src: None, args.seconds)
    print(f"bare source: {base / blocks * 1e6:.1f} us/block ({args.seconds:g} s of audio)")
    print(f"{'case':46} {'us/block':>9} {'% core':>7}")
    for name, build in _cases(ctx, set(filter(None, args.only.split(",")))).items():
        cost = max(0.0, measure(server, build, args.seconds) - base) / blocks
        print(f"{name:46} {cost * 1e6:9.1f} {cost / (BLOCK / SR) * 100:7.2f}")
    server.stop()
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
