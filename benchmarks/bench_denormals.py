"""Resonant filter tails and denormal numbers: what the engine's flush-to-zero does for them.

A burst of noise goes through `TRACKS` resonant `lpf` and `hpf` effects (resonance 1, as
`d1.fx("lpf", resonance=1)` makes them) and then stops; the filters ring down towards zero. Two
questions:

1. Does the tail reach denormal floats? The effect outputs are recorded for `--seconds` after the
   burst and their samples counted: normal, denormal (0 < |x| < 1.18e-38) and exactly 0.
2. What do those tails cost? The DSP time per block during the tail, with denormals computed
   as IEEE floats and with FTZ/DAZ set (`synths.denormals.flushed`, what the engine does in its
   audio thread and around manual/offline renders), against the time per block of silence.

    .venv/bin/python benchmarks/bench_denormals.py [--tracks 16] [--seconds 20]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from synths._pyo import pyo
from synths.denormals import flushed
from synths.effects import EffectContext, create

__all__ = ["measure", "main"]

SR = 48000
BLOCK = 256
TINY = np.finfo(np.float32).tiny


def measure(flush: bool, tracks: int, seconds: float) -> dict[str, float]:
    """Blocks of silence, then a 50 ms burst into `tracks` resonant lpf/hpf pairs and `seconds`
    of their tail: µs per block (silence, tail), the samples of the tail by kind, and the time
    until the last nonzero sample."""
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=BLOCK, duplex=0, audio="manual", verbosity=1).boot()
    try:
        server.start()
        ctx = EffectContext(SR)
        gate = p.Sig(0.0)
        noise = p.Noise(mul=gate)
        source = p.Mix([noise, noise], voices=2)
        chains = []
        for index in range(tracks):
            low = create("lpf", source, ctx, cutoff=200.0 + 150.0 * index, resonance=1.0)
            chains.append((low, create("hpf", low.out, ctx, cutoff=2000.0 + 300.0 * index, resonance=1.0)))
        outputs = p.Mix([high.out for _, high in chains], voices=2)
        table = p.NewTable(seconds, chnls=1)
        blocks = int(seconds * SR / BLOCK)
        with flushed() if flush else _nothing():
            silence = _timed(server, 200)
            gate.value = 0.3
            _timed(server, int(0.05 * SR / BLOCK))
            gate.value = 0.0
            recorder = p.TableRec(p.Mix(outputs, voices=1), table).play()
            tail = _timed(server, blocks)
        del recorder
        data = np.asarray(table.getTable(), dtype=np.float32)
        nonzero = np.flatnonzero(data)
        return {
            "silence_us": silence * 1e6, "tail_us": tail * 1e6,
            "denormal": float(np.count_nonzero((data != 0) & (np.abs(data) < TINY))),
            "zero": float(np.count_nonzero(data == 0)), "samples": float(data.size),
            "last_nonzero_s": float(nonzero[-1] / SR) if nonzero.size else 0.0,
        }
    finally:
        server.stop()
        server.shutdown()


class _nothing:
    def __enter__(self) -> bool:
        return False

    def __exit__(self, *exc: Any) -> None:
        return None


def _timed(server: Any, blocks: int) -> float:
    """Seconds per block over `blocks` blocks."""
    start = time.perf_counter()
    for _ in range(blocks):
        server.process()
    return (time.perf_counter() - start) / max(blocks, 1)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the two runs side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    print(f"{args.tracks} resonant lpf+hpf pairs, a 50 ms burst, then {args.seconds:g} s of tail")
    print("| denormals | µs/block silence | µs/block tail | denormal samples | zero samples | last nonzero |")
    print("|---|---:|---:|---:|---:|---:|")
    for flush in (False, True):
        r = measure(flush, args.tracks, args.seconds)
        label = "flushed (FTZ/DAZ)" if flush else "IEEE (no flush)"
        print(f"| {label} | {r['silence_us']:.1f} | {r['tail_us']:.1f} | {r['denormal']:.0f} "
              f"| {r['zero']:.0f} of {r['samples']:.0f} | {r['last_nonzero_s']:.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
