"""Per-note effects and unison: DSP cost of a sounding voice with each stage on, and of an idle one.

Like bench_instruments.py: `VOICES` voices of one instrument on a pyo manual server (48 kHz,
256-frame blocks), all sounding a long note with the given controls; `server.process()` is timed
(best of 3 x `BLOCKS` blocks) minus an empty server, divided by the voice count. "all off" is the
instrument with every per-note stage bypassed (the default): compare with bench_instruments.py.

Run: .venv/bin/python benchmarks/bench_notefx.py [--voices 16] [--blocks 300]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping, Sequence
from typing import Any

from synths._pyo import pyo
from synths.instruments import resolve
from synths.instruments.preview import note_params

__all__ = ["measure", "main", "CASES"]

SR = 48000
BLOCK = 256
CASES: tuple[tuple[str, str | None, str, Mapping[str, float | str]], ...] = (
    ("saw", None, "all off", {}),
    ("saw", None, "bandf 1000", {"bandf": 1000.0}),
    ("saw", None, "vowel a", {"vowel": "a"}),
    ("saw", None, "crush 4", {"crush": 4.0}),
    ("saw", None, "coarse 8", {"coarse": 8.0}),
    ("saw", None, "postgain 2", {"postgain": 2.0}),
    ("saw", None, "all on", {"bandf": 1000.0, "vowel": "a", "crush": 4.0, "coarse": 8.0, "shape": 0.5,
                              "hcutoff": 200.0}),
    ("hh", "909", "all off", {}),
    ("hh", "909", "vowel a + crush 4", {"vowel": "a", "crush": 4.0}),
    ("supersaw", None, "unison 7 (default)", {}),
    ("supersaw", None, "unison 3", {"unison": 3}),
    ("supersaw", None, "unison 6", {"unison": 6}),
)


def _timed_blocks(server: Any, blocks: int) -> float:
    """Seconds per block, best of three runs of `blocks` blocks."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(blocks):
            server.process()
        best = min(best, (time.perf_counter() - start) / blocks)
    return best


def measure(name: str, bank: str | None, given: Mapping[str, float | str], voices: int,
            blocks: int) -> tuple[float, float]:
    """(seconds per block per sounding voice, per idle voice) of instrument `name` with `given`.

    >>> measure("saw", None, {"vowel": "a"}, voices=4, blocks=50)     # doctest: +SKIP
    """
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=BLOCK, duplex=0, audio="manual", verbosity=1).boot()
    try:
        server.start()
        empty = _timed_blocks(server, blocks)
        cls = resolve(name, bank)
        trigs = [p.Trig() for _ in range(voices)]
        delays = [p.SDelay(t, delay=0.5 / SR, maxdelay=0.01) for t in trigs]
        pool = [cls(d, SR) for d in delays]
        sink = p.Sig(p.Mix([v.out for v in pool], voices=2))
        asleep = _timed_blocks(server, blocks)
        for index, voice in enumerate(pool):
            voice.set_note(note_params(cls, {"note": 36.0 + index % 24, "decay": 8.0, **given}), 60.0)
            trigs[index].play()
        busy = _timed_blocks(server, blocks)
        del sink
        return max(busy - empty, 1e-9) / voices, max(asleep - empty, 0.0) / voices
    finally:
        server.stop()
        server.shutdown()


def main(argv: Sequence[str] | None = None) -> None:
    """Print a Markdown table: instrument, controls, µs per sounding voice, µs per idle voice.

    >>> main(["--voices", "4", "--blocks", "50"])             # doctest: +SKIP
    """
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--voices", type=int, default=16)
    parser.add_argument("--blocks", type=int, default=300)
    args = parser.parse_args(argv)
    print("| instrument | controls | µs per sounding voice per block | µs per idle voice |")
    print("|---|---|---:|---:|")
    for name, bank, label, given in CASES:
        cost, asleep = measure(name, bank, given, args.voices, args.blocks)
        shown = f"{name} ({bank})" if bank else name
        print(f"| {shown} | {label} | {cost * 1e6:.1f} | {asleep * 1e6:.2f} |")


if __name__ == "__main__":
    main()
