"""Pattern query speed: build the `mix.*` conformance cases, query each for 2,000 cycles one
cycle at a time (as the scheduler does), print onset events per second per case and in total.

    .venv/bin/python benchmarks/bench_patterns.py [--cycles 2000] [--window 1] [--profile]

`--window 0.02` queries in windows of 1/50 cycle instead (the scheduler's ~10 ms windows at
0.5 cycles per second), to show the per-query overhead.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from patterns.conformance import build

__all__ = ["bench_case", "main"]

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "conformance" / "corpus.json"


def bench_case(
    case: dict[str, Any], cycles: int, window: Fraction = Fraction(1)
) -> tuple[int, float, float]:
    """Query a built case in windows of `window` cycles; returns (onset events, wall seconds,
    CPU seconds of this process: the machine is shared, so wall time includes waiting)."""
    pattern = build(case)
    onsets = 0
    steps = int(cycles / window)
    start, start_cpu = time.perf_counter(), time.process_time()
    for step in range(steps):
        for event in pattern.query_arc(step * window, (step + 1) * window):
            if event.has_onset():
                onsets += 1
    return onsets, time.perf_counter() - start, time.process_time() - start_cpu


def main() -> int:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cycles", type=int, default=2000)
    parser.add_argument("--window", type=Fraction, default=Fraction(1), help="query window in cycles")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    options = parser.parse_args()
    cases = [c for c in json.loads(CORPUS.read_text())["cases"] if c["id"].startswith("mix.")]
    profiler = cProfile.Profile() if options.profile else None
    if profiler is not None:
        profiler.enable()
    total_events, total_seconds, total_cpu = 0, 0.0, 0.0
    print(f"{'case':28} {'onsets':>8} {'wall s':>7} {'events/s':>9} {'cpu s':>7} {'events/cpu-s':>12}")
    for case in cases:
        events, seconds, cpu = bench_case(case, options.cycles, options.window)
        total_events += events
        total_seconds += seconds
        total_cpu += cpu
        print(
            f"{case['id']:28} {events:8d} {seconds:7.3f} {events / seconds:9.0f}"
            f" {cpu:7.3f} {events / max(cpu, 1e-9):12.0f}"
        )
    print(
        f"{'total':28} {total_events:8d} {total_seconds:7.3f} {total_events / total_seconds:9.0f}"
        f" {total_cpu:7.3f} {total_events / max(total_cpu, 1e-9):12.0f}"
    )
    if profiler is not None:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
