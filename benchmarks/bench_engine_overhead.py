"""The engine's overhead against a hand-written pyo script playing the same notes.

Both compute 60 s at 48 kHz / 256 frames in pyo's manual mode and are timed in CPU seconds
(`time.process_time`, robust on a shared machine). The notes: 4 tracks of sine beeps (the
`beep` test voice: Sine x TrigLinseg ADSR), 16th notes at 120 BPM, off the block grid.

- hand-written: 4 x 8 pre-built voices, the callback fires `Trig -> SDelay` per note (the same
  sample-exact trigger), voices summed with `Mix` to the output. No mixer, no effects.
- engine: `Engine("manual")` with the same voice class; reported in full, and with the cost of its
  mixer (its strips, send buses, master; measured with the same tracks and no notes) taken out.

Run: .venv/bin/python benchmarks/bench_engine_overhead.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from synths._pyo import pyo  # noqa: E402
from synths.engine import Engine  # noqa: E402
from synths.events import NoteEvent  # noqa: E402
from synths.testvoices import resolve_test_voice  # noqa: E402
from synths.voice import adsr_points  # noqa: E402

__all__ = ["notes", "hand_written", "with_engine", "main"]

SR, BS, SECONDS, TRACKS, POLY = 48000, 256, 60.0, 4, 8
STEP = SR // 8


def notes() -> list[tuple[int, int, float]]:
    """(frame, track, MIDI note) of every note."""
    out = []
    for i in range(int(SECONDS * SR) // STEP):
        for track in range(TRACKS):
            out.append((i * STEP + 37 * track + 11, track, 48.0 + (i * 5 + track * 7) % 24))
    return out


def hand_written() -> float:
    """CPU seconds of a minimal hand-written pyo script playing `notes()`."""
    p = pyo()
    server = p.Server(sr=SR, nchnls=2, buffersize=BS, duplex=0, audio="manual").boot()
    voices = []
    for _ in range(TRACKS * POLY):
        trig = p.Trig().stop()
        delay = p.SDelay(trig, delay=0.5 / SR, maxdelay=(BS + 2) / SR)
        env = p.TrigLinseg(delay, [(0.0, 0.0), (0.001, 1.0), (0.002, 0.0)])
        osc = p.Sine(freq=440.0, mul=env * 0.2)
        voices.append((trig, delay, env, osc))
    mix = p.Mix([v[3] for v in voices], voices=2).out()
    pending = notes()
    state = {"frame": 0, "next": 0, "rr": [0] * TRACKS}

    def callback() -> None:
        now = state["frame"]
        while state["next"] < len(pending) and pending[state["next"]][0] < now + BS:
            frame, track, note = pending[state["next"]]
            state["next"] += 1
            slot = track * POLY + state["rr"][track] % POLY
            state["rr"][track] += 1
            trig, delay, env, osc = voices[slot]
            osc.freq = 440.0 * 2 ** ((note - 69) / 12)
            env.setList(adsr_points(0.005, 0.1, 0.8, 0.02, STEP / SR))
            delay.delay = (frame - now + 0.5) / SR
            trig.play()
        state["frame"] = now + BS

    server.setCallback(callback)
    server.start()
    started = time.process_time()
    for _ in range(int(SECONDS * SR) // BS):
        server.process()
    elapsed = time.process_time() - started
    server.stop()
    del voices, mix
    server.shutdown()
    return elapsed


def with_engine(play: bool = True, sleep: bool = True, plain: bool = False) -> float:
    """CPU seconds of the engine computing the same 60 s (with or without the notes).

    `plain`: the same output as the script (neutral master: the plain sum, no meters)."""
    with Engine("manual", sample_rate=SR, block_size=BS, polyphony=POLY, resolver=resolve_test_voice,
                sleep_idle=sleep, metering=not plain) as engine:
        for track in range(TRACKS):
            engine.add_track(f"t{track}", ["beep"])
        if plain:
            engine.mixer.master.set_neutral(True)
        engine.process_blocks(1)
        if play:
            engine.schedule_many(
                NoteEvent(frame + BS, f"t{track}", {"s": "beep", "note": note, "gain": 0.2}, STEP)
                for frame, track, note in notes()
            )
        started = time.process_time()
        engine.process_blocks(int(SECONDS * SR) // BS)
        return time.process_time() - started


def main() -> None:
    """Print the CPU seconds and the overhead."""
    hand = hand_written()
    full = with_engine(True)
    awake = with_engine(True, sleep=False)
    mixer = with_engine(False)
    plain = with_engine(True, plain=True)
    print(f"{len(notes())} notes, {SECONDS:.0f} s audio at {SR}/{BS}")
    print(f"hand-written pyo: {hand:.2f} s CPU")
    print(f"engine (voices + mixer + master): {full:.2f} s CPU ({(full / hand - 1) * 100:+.0f}%)")
    print(f"engine, same output as the script (neutral master, no meters): {plain:.2f} s CPU "
          f"({(plain / hand - 1) * 100:+.0f}%)")
    print(f"engine, mixer idle cost ({mixer:.2f} s) taken out: {full - mixer:.2f} s CPU "
          f"({((full - mixer) / hand - 1) * 100:+.0f}%)")
    print(f"engine without idle sleeping, mixer taken out: {awake - mixer:.2f} s CPU "
          f"({((awake - mixer) / hand - 1) * 100:+.0f}%)")


if __name__ == "__main__":
    main()
