"""Python in the audio callback per note (issue 8): what a note costs the block it sounds in.

pyo holds the GIL for the whole block, so the Python the engine runs at a note's onset is added
to that block. In pyo's manual mode (one process, no JACK), for each instrument family: 200
notes, one every 96 blocks of 128 frames (0.256 s: a kick's or a pad's ring has ended, as on a
beat), given 12 blocks ahead as the scheduler does, and the callback timed per block
(`time.perf_counter`):

- `onset`: the mean callback time of the blocks holding an onset, minus that of the blocks with
  nothing to do, with arming off (renders: the whole `set_note` at the onset) and on (a live
  engine: the voice armed when the note arrives, only started at its onset);
- `arm`: with arming on, the extra time of the block that armed the note;
- the anchor: raw pyo, a Sine x TrigLinseg voice re-triggered the cheapest way pyo allows from
  Python (the envelope's and the trigger's C streams called directly).

    .venv/bin/python benchmarks/bench_note_cost.py
"""

from __future__ import annotations

import gc
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synths._pyo import pyo  # noqa: E402
from synths.engine import Engine  # noqa: E402
from synths.events import NoteEvent  # noqa: E402
from synths.instruments._sources import warm_tables  # noqa: E402

__all__ = ["engine_costs", "raw_cost", "main"]

BLOCK = 128
NOTES = 200
EVERY = 96           # blocks between notes
AHEAD = 12           # blocks between a note's arrival and its onset
INSTRUMENTS = ["bd@808", "hh@808", "supersaw", "pad", "epiano", "bass808", "pluck", "lead", "soprano"]


def _timed(engine: Engine) -> list[float]:
    """Wrap the engine's block callback; return the list its durations go to."""
    spent: list[float] = []
    inner = engine._on_block

    def timed() -> None:
        start = time.perf_counter()
        inner()
        spent.append(time.perf_counter() - start)
    engine._on_block = timed  # type: ignore[method-assign]
    return spent


def engine_costs(instrument: str, arm: bool) -> tuple[float, float]:
    """(onset block, arming block) extra microseconds per note for `instrument`."""
    name, _, bank = instrument.partition("@")
    with Engine("manual", block_size=BLOCK, arm_ahead=arm, metering=False) as engine:
        warm_tables(booted=True)
        engine.add_track("t", [instrument])
        engine.process_blocks(50)
        gc.collect()
        gc.freeze()
        spent = _timed(engine)
        onset_blocks: list[float] = []
        arrival_blocks: list[float] = []
        idle_blocks: list[float] = []
        for k in range(NOTES):
            params: dict[str, object] = {"s": name, "note": 48.0 + k % 12}
            if bank:
                params["bank"] = bank
            engine.schedule(NoteEvent(engine.now() + AHEAD * BLOCK + 17, "t", params, 2400))
            for block in range(EVERY):
                engine.process_blocks(1)
                (arrival_blocks if block == 0 else onset_blocks if block == AHEAD else idle_blocks).append(spent[-1])
        idle = sum(idle_blocks) / len(idle_blocks)
    onset = sum(onset_blocks) / len(onset_blocks) - idle
    arming = sum(arrival_blocks) / len(arrival_blocks) - idle
    return 1e6 * onset, 1e6 * arming


def raw_cost() -> float:
    """Extra microseconds of a raw pyo re-trigger in its block (the anchor)."""
    p = pyo()
    server = p.Server(sr=48000, buffersize=BLOCK, audio="manual", verbosity=1).boot()
    try:
        server.start()
        voices = []
        for _ in range(8):
            trig = p.Trig().stop()
            env = p.TrigLinseg(trig, [(0.0, 0.0), (0.005, 0.3), (0.05, 0.0)])
            voices.append((trig, env, p.Sine(freq=440.0, mul=env).out()))
        spent: list[float] = []
        due: list[int] = []

        def callback() -> None:
            start = time.perf_counter()
            if due:
                trig, env, sine = voices[due.pop() % len(voices)]
                env._base_objs[0].setList([(0.0, 0.0), (0.005, 0.3), (0.05, 0.0)])
                sine._base_objs[0].setFreq(330.0)
                trig._base_objs[0].play(0, 0)
            spent.append(time.perf_counter() - start)
        server.setCallback(callback)
        onsets: list[float] = []
        idle: list[float] = []
        for k in range(NOTES):
            for block in range(EVERY):
                if block == 0:
                    due.append(k)
                server.process()
                (onsets if block == 0 else idle).append(spent[-1])
    finally:
        server.stop()
        server.shutdown()
    return 1e6 * (sum(onsets) / len(onsets) - sum(idle) / len(idle))


def main() -> None:
    print(f"# bench_note_cost {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} "
          f"({os.cpu_count()} cores), load {os.getloadavg()[0]:.2f}; pyo manual, {BLOCK}-frame blocks, "
          f"{NOTES} notes each")
    print("| instrument | onset block, arming off (us) | onset block, arming on (us) | arming block (us) |")
    print("| --- | --- | --- | --- |")
    for instrument in INSTRUMENTS:
        plain, _ = engine_costs(instrument, False)
        armed, arming = engine_costs(instrument, True)
        print(f"| {instrument} | {plain:.0f} | {armed:.0f} | {arming:.0f} |", flush=True)
    print(f"| raw pyo re-trigger (anchor) | {raw_cost():.0f} | | |")


if __name__ == "__main__":
    main()
