"""Offline render speed of a 16-track set (drums, basses, pads, keys, leads, FX), x real time.

A 120 BPM set, 16 tracks with their effect chains and sends, rendered for 30 s to a 24-bit WAV
with stems. Prints the speed, and the same set with the idle-voice sleeping off for comparison.

Run: .venv/bin/python benchmarks/bench_engine_render.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from synths.engine import Engine  # noqa: E402
from synths.events import NoteEvent  # noqa: E402
from synths.render import render  # noqa: E402

__all__ = ["TRACKS", "CHAINS", "set_events", "main"]

SR = 48000
STEP = SR // 8                      # a 16th note at 120 BPM

# track -> (instrument, steps of a 16-step bar that play, notes cycling, held steps)
TRACKS: dict[str, tuple[str, list[int], list[int], int]] = {
    "kick": ("bd", [0, 4, 8, 12], [36], 1),
    "snare": ("sd", [4, 12], [38], 1),
    "hats": ("hh", list(range(0, 16, 2)), [42], 1),
    "clap": ("cp", [12], [39], 1),
    "perc": ("rim", [3, 7, 11, 14], [37], 1),
    "sub": ("sub", [0, 6, 10], [36, 36, 39], 2),
    "acid": ("acid", list(range(16)), [36, 48, 39, 43], 1),
    "reese": ("reese", [0, 8], [36, 34], 6),
    "b808": ("bass808", [0, 10], [31, 34], 4),
    "pad": ("supersaw", [0], [60, 63, 67, 70], 16),
    "warm": ("pad", [0, 8], [55, 58, 62], 8),
    "keys": ("epiano", [2, 6, 10, 14], [60, 63, 67, 70], 2),
    "bell": ("bell", [0, 5, 11], [72, 79, 75], 2),
    "lead": ("lead", [0, 3, 6, 8, 11, 14], [72, 74, 75, 79, 77, 75], 2),
    "pluck": ("pluck", list(range(1, 16, 2)), [67, 70, 74, 79], 1),
    "strings": ("strings", [0], [48, 55, 60], 16),
}

CHAINS: dict[str, list[dict[str, Any]]] = {
    "acid": [{"kind": "lpf", "cutoff": 1200, "resonance": 0.5}, {"kind": "distort", "drive": 0.4}],
    "reese": [{"kind": "duck", "key": "kick"}],
    "pad": [{"kind": "chorus"}, {"kind": "duck", "key": "kick"}],
    "keys": [{"kind": "phaser"}],
    "lead": [{"kind": "delay", "time": 0.375, "feedback": 0.4, "mix": 0.3}],
    "hats": [{"kind": "hpf", "cutoff": 3000}],
    "strings": [{"kind": "width", "width": 1.5}],
    "warm": [{"kind": "eq", "low": -3}],
}


def set_events(seconds: float) -> list[NoteEvent]:
    """The notes of the set for `seconds` of audio."""
    events: list[NoteEvent] = []
    bars = int(seconds * SR) // (16 * STEP)
    for track, (instrument, steps, notes, held) in TRACKS.items():
        count = 0
        for bar in range(bars):
            for step in steps:
                params: dict[str, Any] = {"s": instrument, "note": notes[count % len(notes)], "gain": 0.6}
                if track in ("lead", "keys", "bell"):
                    params["room"] = 0.3
                if track == "pluck":
                    params["delay"] = 0.3
                events.append(NoteEvent((bar * 16 + step) * STEP, track, params, held * STEP))
                count += 1
    return events


def _setup(engine: Engine) -> None:
    for track, specs in CHAINS.items():
        engine.set_chain(track, specs)


def main(seconds: float = 30.0) -> None:
    """Render the set twice (sleeping voices on and off) and print the speeds."""
    events = set_events(seconds)
    with tempfile.TemporaryDirectory() as folder:
        for sleep in (True, False):
            cpu = time.process_time()
            result = render(events, Path(folder) / "set.wav", duration=seconds, stems=Path(folder) / "stems",
                            setup=_setup, sleep_idle=sleep)
            cpu = time.process_time() - cpu
            print(f"16 tracks, {len(events)} notes, {result.seconds:.0f} s audio + stems, sleep_idle={sleep}: "
                  f"{result.elapsed:.2f} s wall = {result.speed:.1f}x real time; "
                  f"{cpu:.2f} s CPU = {result.seconds / cpu:.1f}x real time per core")
        cpu = time.process_time()
        empty = render([], Path(folder) / "empty.wav", duration=seconds,
                       setup=lambda engine: [engine.add_track(track) for track in TRACKS] and _setup(engine))
        cpu = time.process_time() - cpu
        print(f"the same 16 tracks with their chains and no notes (mixer only): {cpu:.2f} s CPU = "
              f"{empty.seconds / cpu:.1f}x real time per core")


if __name__ == "__main__":
    main()
