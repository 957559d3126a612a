"""Capacity at 48 kHz / 256 frames on one core: voices per instrument family, and full track groups.

Measured in CPU seconds per audio second (`time.process_time` in manual mode, robust on a shared
machine); a real-time engine has one core's 1.0 of budget, of which 70% is used as the safe limit
for "no xrun" (the rest absorbs scheduling jitter).

1. Voices per family: 32 notes of the instrument start together on one track and the CPU of the
   next 0.1 s (all sounding) is measured, 20 times; the cost of the idle track is subtracted.
2. Full groups: drums (bd sd hh oh cp on one track) + acid bass (lpf, distortion) + supersaw pad
   (chorus, ducked by the kick) with reverb/delay sends, playing a busy 16th-note pattern with
   idle voices sleeping (the engine's default); the cost per group is measured with 1 and 3 groups.
3. Live check: the groups that fit are played on a private JACK dummy server by an `EngineProcess`
   pinned to one core for 10 s; its xrun count is printed.

Run: .venv/bin/python benchmarks/bench_engine_capacity.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from jackserver import JackServer  # noqa: E402
from synths.engine import Engine  # noqa: E402
from synths.events import NoteEvent  # noqa: E402
from synths.process import EngineProcess  # noqa: E402

__all__ = ["FAMILIES", "voice_cost", "group_events", "group_cost", "main"]

SR, BS, SAFE = 48000, 256, 0.7
STEP = SR // 8
FAMILIES: dict[str, list[str]] = {
    "drums": ["bd", "sd", "hh", "cp", "cr"],
    "bass": ["sub", "acid", "reese", "bass808"],
    "pads": ["supersaw", "pad", "strings"],
    "keys": ["epiano", "bell", "pluck"],
    "leads": ["lead", "square"],
}


def _cpu_per_second(engine: Engine, seconds: float) -> float:
    started = time.process_time()
    engine.process_blocks(int(seconds * SR) // BS)
    return (time.process_time() - started) / seconds


def voice_cost(instrument: str, voices: int = 32, window: float = 0.1, rounds: int = 20) -> float:
    """CPU (fraction of a core) of one sounding voice of `instrument`.

    `voices` notes start together; the CPU of the next `window` seconds (all of them sounding) is
    measured; then the voices are left to finish unmeasured. `rounds` times; minus an empty track.
    """
    with Engine("offline", sample_rate=SR, block_size=BS, polyphony=voices) as engine:
        engine.add_track("t", [instrument])
        engine.process_blocks(4)
        base = _cpu_per_second(engine, window * rounds)
        blocks = int(window * SR) // BS
        spent = 0.0
        for _ in range(rounds):
            now = engine.now()
            engine.schedule_many(
                NoteEvent(now + 1 + i, "t", {"s": instrument, "note": 40 + i, "gain": 0.02}, SR) for i in range(voices)
            )
            started = time.process_time()
            engine.process_blocks(blocks)
            spent += time.process_time() - started
            engine.panic()
            engine.process_blocks(int(4.0 * SR) // BS)
    return max(spent / (window * rounds) - base, 1e-9) / voices


def group_events(group: int, seconds: float, start: int) -> list[NoteEvent]:
    """A busy bar pattern for drums/bass/pad of `group`, repeated for `seconds`."""
    events = []
    drums = {0: "bd", 4: "sd", 8: "bd", 12: "sd", 2: "hh", 6: "hh", 10: "oh", 14: "hh", 15: "cp"}
    for step in range(int(seconds * SR) // STEP):
        frame = start + step * STEP
        if step % 16 in drums:
            events.append(NoteEvent(frame, f"drums{group}", {"s": drums[step % 16], "gain": 0.7}, STEP))
        events.append(NoteEvent(frame, f"bass{group}", {"s": "acid", "note": 36 + (step * 7) % 12, "gain": 0.5}, STEP))
        if step % 16 == 0:
            for note in (60, 63, 67, 70):
                events.append(NoteEvent(frame, f"pad{group}", {"s": "supersaw", "note": note, "gain": 0.3,
                                                                "room": 0.3}, 15 * STEP))
    return events


def _setup_group(engine: Any, group: int) -> None:
    engine.add_track(f"drums{group}", ["bd", "sd", "hh", "oh", "cp"])
    engine.add_track(f"bass{group}", ["acid"])
    engine.add_track(f"pad{group}", ["supersaw"])
    engine.set_chain(f"bass{group}", [{"kind": "lpf", "cutoff": 900, "resonance": 0.4}, {"kind": "distort"}])
    engine.set_chain(f"pad{group}", [{"kind": "chorus"}, {"kind": "duck", "key": f"drums{group}"}])
    engine.set_param(f"bass{group}", "send.delay", 0.2)


def group_cost(groups: int, seconds: float = 8.0) -> float:
    """CPU (fraction of a core) of `groups` full groups playing."""
    with Engine("offline", sample_rate=SR, block_size=BS) as engine:
        for group in range(groups):
            _setup_group(engine, group)
        engine.process_blocks(4)
        for group in range(groups):
            engine.schedule_many(group_events(group, seconds, engine.now() + BS))
        return _cpu_per_second(engine, seconds)


def live_check(groups: int, seconds: float = 10.0) -> dict[str, Any]:
    """Play `groups` live on a private JACK server with the engine process on one core."""
    with JackServer(rate=SR, period=BS) as server:
        os.environ["JACK_DEFAULT_SERVER"] = server.name
        with EngineProcess("jack", jackname="lc-capacity", timeout=120.0) as engine:
            assert engine.pid is not None
            for group in range(groups):
                _setup_group(engine, group)
            for task in os.listdir(f"/proc/{engine.pid}/task"):   # every thread, incl. pyo's audio thread
                os.sched_setaffinity(int(task), {0})
            time.sleep(0.5)
            engine.stats()
            start = engine.now() + SR // 2
            for group in range(groups):
                engine.schedule_many(group_events(group, seconds, start))
            before = engine.stats()["xruns"]
            while engine.now() < start + int(seconds * SR):
                time.sleep(0.25)
            stats = engine.stats()
            stats["xruns_during"] = stats["xruns"] - before
            return stats


def main() -> None:
    """Print voices per family and full groups per core (`--live-only`: just the live checks)."""
    live_only = "--live-only" in sys.argv
    for family, names in ({} if live_only else FAMILIES).items():
        parts = []
        for name in names:
            cost = voice_cost(name)
            parts.append(f"{name} {cost * 100:.2f}% -> {int(SAFE / cost)}")
        print(f"{family}: " + ", ".join(parts))
    if live_only:
        for groups in (2, 3, 4, 6):
            stats = live_check(groups)
            print(f"live JACK check with {groups} groups pinned to one core for 10 s: "
                  f"xruns {stats['xruns_during']}, late {stats['late']}, engine process cpu {stats['cpu']}")
        return
    one, three = group_cost(1), group_cost(3)
    per_group = (three - one) / 2
    fixed = max(one - per_group, 0.0)
    fit = int((SAFE - fixed) / per_group) if per_group > 0 else 0
    print(f"full groups: 1 group {one * 100:.1f}% of a core, 3 groups {three * 100:.1f}%, "
          f"{per_group * 100:.1f}% per group -> {fit} groups ({fit * 3} tracks) within {SAFE:.0%}")
    for groups in sorted({1, max(fit // 2, 1), max(fit, 1)}):
        stats = live_check(groups)
        print(f"live JACK check with {groups} groups pinned to one core for 10 s: "
              f"xruns {stats['xruns_during']}, late {stats['late']}, engine process cpu {stats['cpu']}")


if __name__ == "__main__":
    main()
