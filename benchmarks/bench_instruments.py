"""Voices per instrument family: DSP cost of one sounding voice and how many fit on one core.

For each instrument, `VOICES` voices are built on a pyo manual server (48 kHz, 256-frame blocks),
all triggered with a long note, and `BLOCKS` blocks are computed while timing `server.process()`
(the whole DSP graph, single-threaded, in this process). The cost of an empty server is subtracted.
Idle voices (built, not sounding) are measured too: voices stop their objects between notes.
Capacity = the block period (5.33 ms) divided by the cost of one voice per block: how many
simultaneous voices one core could compute with nothing else running (real sessions need headroom
for effects, the master bus and the Python callback).

Run: .venv/bin/python benchmarks/bench_instruments.py [--voices 16] [--blocks 400]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from typing import Any

from synths._pyo import pyo
from synths.instruments import resolve
from synths.instruments.preview import note_params

__all__ = ["measure", "main", "FAMILIES"]

SR = 48000
BLOCK = 256
FAMILIES: dict[str, tuple[str, ...]] = {
    "drums 808": ("bd", "sd", "cp", "hh", "oh", "lt", "cb", "cr", "sh"),
    "drums 909": ("bd", "sd", "hh"),
    "bass": ("sub", "acid", "reese", "pluckbass", "bass808"),
    "pads": ("supersaw", "pad", "strings"),
    "leads": ("sine", "saw", "square", "lead"),
    "keys": ("epiano", "bell", "pluck"),
}


def _timed_blocks(server: Any, blocks: int) -> float:
    """Seconds per block, best of three runs of `blocks` blocks."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(blocks):
            server.process()
        best = min(best, (time.perf_counter() - start) / blocks)
    return best


def measure(name: str, bank: str | None, voices: int, blocks: int) -> tuple[float, float]:
    """Seconds of DSP per block for one sounding and for one idle voice of instrument `name`.

    >>> sounding, idle = measure("hh", "909", voices=16, blocks=400)   # doctest: +SKIP
    """
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=BLOCK, duplex=0, audio="manual", verbosity=1).boot()
    try:
        server.start()
        idle = _timed_blocks(server, blocks)
        cls = resolve(name, bank)
        trigs = [p.Trig() for _ in range(voices)]
        delays = [p.SDelay(t, delay=0.5 / SR, maxdelay=0.01) for t in trigs]
        pool = [cls(d, SR) for d in delays]
        total = p.Mix([v.out for v in pool], voices=2)
        sink = p.Sig(total)
        asleep = _timed_blocks(server, blocks)
        for index, voice in enumerate(pool):
            given = {"note": 36.0 + index % 24, "decay": 8.0}
            params = note_params(cls, given)
            voice.set_note(params, 60.0)
            trigs[index].play()
        busy = _timed_blocks(server, blocks)
        del sink
        return max(busy - idle, 1e-9) / voices, max(asleep - idle, 0.0) / voices
    finally:
        server.stop()
        server.shutdown()


def main(argv: Sequence[str] | None = None) -> None:
    """Print a Markdown table: family, instrument, µs per voice per block, voices per core.

    >>> main(["--voices", "8", "--blocks", "100"])             # doctest: +SKIP
    | family | instrument | ...
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voices", type=int, default=16)
    parser.add_argument("--blocks", type=int, default=400)
    args = parser.parse_args(argv)
    period = BLOCK / SR
    print("| family | instrument | µs per sounding voice per block | voices per core (100 %) |"
          " µs per idle voice |")
    print("|---|---|---:|---:|---:|")
    for family, names in FAMILIES.items():
        bank = "909" if family.endswith("909") else None
        for name in names:
            cost, asleep = measure(name, bank, args.voices, args.blocks)
            print(f"| {family} | {name} | {cost * 1e6:.1f} | {int(period / cost)} | {asleep * 1e6:.2f} |")


if __name__ == "__main__":
    main()
