"""What adding a track costs a playing set: wall time and the longest GIL hold, per track.

A live `add_track` runs in the engine process's command thread while the audio callback waits
for the GIL between blocks. This benchmark adds tracks one by one to a manual-mode engine (as
the engine process does, with `grow_pools` on and the reaper freeing what rebuilds retire in
2 ms slices) and, side by side in the same run, builds the same voice pools in plain pyo with no
mixer (the anchor: the object creation no engine can avoid). A thread that sleeps 0.5 ms
records its longest wake-up gap during each add: the longest time the GIL was not handed over,
which is what an audio callback would have waited.

    .venv/bin/python benchmarks/bench_rebuild.py [--tracks 24]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synths._pyo import pyo  # noqa: E402
from synths.engine import START_SLOTS, Engine  # noqa: E402
from synths.instruments import resolve  # noqa: E402
from synths.instruments._sources import warm_tables  # noqa: E402
from synths.pool import VoicePool  # noqa: E402

INSTRUMENTS = ("supersaw", "bass808", "pluck", "epiano", "bd", "hh", "sd", "pad")


class GilProbe:
    """A thread that sleeps 0.5 ms at a time and keeps its wake-up gaps."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._running = True
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        last = time.perf_counter()
        while self._running:
            time.sleep(0.0005)
            now = time.perf_counter()
            self.gaps.append(now - last)
            last = now

    def during(self, action: Callable[[], object]) -> tuple[float, float]:
        """Run `action`; return (its wall ms, the longest gap in ms while it ran)."""
        time.sleep(0.02)
        mark = len(self.gaps)
        start = time.perf_counter()
        action()
        wall = time.perf_counter() - start
        time.sleep(0.002)
        return wall * 1000, max(self.gaps[mark:], default=0.0) * 1000

    def stop(self) -> None:
        self._running = False
        self._thread.join()


def livecode_adds(tracks: int, probe: GilProbe) -> list[tuple[float, float]]:
    """Add `tracks` tracks to a manual engine as the live engine process does."""
    engine = Engine("manual", block_size=256, grow_pools=True).boot()
    warm_tables(booted=True)                      # as the engine process does before audio
    engine.start()
    gc.collect()
    gc.freeze()
    rows = []
    for index in range(tracks):
        name = INSTRUMENTS[index % len(INSTRUMENTS)]
        rows.append(probe.during(lambda: engine.add_track(f"d{index + 1}", [name])))
        gc.collect(0)
        gc.freeze()
        for _ in range(40):                       # blocks computed and reaper slices between
            engine.process_blocks(1)
            engine.reap()
    engine.close()
    return rows


def raw_pools(tracks: int, probe: GilProbe) -> list[tuple[float, float]]:
    """The same pools built in plain pyo, no mixer, no rebuild, nothing freed (the anchor)."""
    server = pyo().Server(sr=48000, nchnls=2, buffersize=256, audio="manual", verbosity=1).boot()
    warm_tables(booted=True)
    server.start()
    pools: list[VoicePool] = []
    rows = []
    for index in range(tracks):
        cls = resolve(INSTRUMENTS[index % len(INSTRUMENTS)])
        rows.append(probe.during(lambda: pools.append(
            VoicePool(cls, 16, 48000, 256, server=server, slots=START_SLOTS))))
        for _ in range(40):
            server.process()
    pools.clear()
    server.stop()
    server.shutdown()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tracks", type=int, default=24)
    args = parser.parse_args()
    sys.setswitchinterval(0.0005)
    probe = GilProbe()
    ours = livecode_adds(args.tracks, probe)
    anchor = raw_pools(args.tracks, probe)
    probe.stop()
    print(f"# {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}, load {os.getloadavg()[0]:.2f}")
    print("| track | livecode add_track ms | longest GIL gap ms | raw pyo pool ms | longest GIL gap ms |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for index, ((wall, gap), (raw_wall, raw_gap)) in enumerate(zip(ours, anchor), start=1):
        if index in (1, 2, 4, 8, 12, 16, 20, 24) or index == args.tracks:
            print(f"| {index} | {wall:.0f} | {gap:.1f} | {raw_wall:.0f} | {raw_gap:.1f} |")
    worst = max(gap for _, gap in ours)
    raw_worst = max(gap for _, gap in anchor)
    print(f"longest GIL gap over all adds: livecode {worst:.1f} ms, raw pyo pools {raw_worst:.1f} ms")


if __name__ == "__main__":
    main()
