"""Onset accuracy: clicks at off-grid sample times, offline (64/256/1024) and live on JACK.

Offline: 1,000 clicks at pseudo-random frames rendered per block size; every onset found with
numpy is compared with its target frame. Live: a private JACK dummy server (48 kHz, 256 frames),
the engine in its own process (`EngineProcess`), a JACK-Client capture client recording the
engine's output; 300 clicks, positions compared relative to the first onset.

Run: .venv/bin/python benchmarks/bench_engine_onsets.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.io.wavfile as wavfile

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from jackserver import JackServer  # noqa: E402
from synths.events import NoteEvent  # noqa: E402
from synths.process import EngineProcess  # noqa: E402
from synths.render import render  # noqa: E402
from synths.testvoices import resolve_test_voice  # noqa: E402

__all__ = ["targets", "offline", "live", "main"]


def targets(count: int, seed: int = 7) -> list[int]:
    """`count` increasing frames with random gaps of 200..2000 samples."""
    rng = random.Random(seed)
    frames, frame = [], 1000
    for _ in range(count):
        frame += rng.randint(200, 2000)
        frames.append(frame)
    return frames


def _onsets(signal: np.ndarray) -> np.ndarray:
    return np.nonzero(np.abs(signal) > 0.1)[0]


def offline(block_size: int, count: int = 1000) -> list[int]:
    """Errors (found - target) of `count` clicks rendered at `block_size`."""
    frames = targets(count)
    events = [NoteEvent(t, "d1", {"s": "click", "gain": 0.5}, 10) for t in frames]
    with tempfile.TemporaryDirectory() as folder:
        result = render(events, Path(folder) / "o.wav", block_size=block_size, sample_format="float",
                        resolver=resolve_test_voice, tail=0.01,
                        setup=lambda engine: engine.mixer.master.set_neutral(True))
        found = _onsets(wavfile.read(result.path)[1][:, 0])
    if len(found) != len(frames):
        raise RuntimeError(f"found {len(found)} onsets for {len(frames)} clicks")
    return [int(f - t) for f, t in zip(found, frames)]


def live(count: int = 300) -> tuple[list[int], dict[str, object]]:
    """Errors of `count` clicks played live on a private JACK server (relative to the first)."""
    import jack  # noqa: PLC0415

    frames = targets(count)
    with JackServer(rate=48000, period=256) as server:
        import os  # noqa: PLC0415

        os.environ["JACK_DEFAULT_SERVER"] = server.name
        with EngineProcess("jack", resolver=resolve_test_voice, jackname="lc-bench") as engine:
            engine.add_track("d1", ["click"])
            engine.set_param("master", "mix", 0.0)
            client = jack.Client("lc-bench-capture", no_start_server=True)
            port = client.inports.register("in")
            chunks: list[np.ndarray] = []
            client.set_process_callback(lambda n: chunks.append(port.get_array().copy()))
            client.activate()
            client.connect("lc-bench:output_1", port)
            time.sleep(0.3)
            base = engine.now() + 9600
            engine.schedule_many(NoteEvent(base + t, "d1", {"s": "click", "gain": 0.5}, 10) for t in frames)
            end = base + frames[-1] + 9600
            while engine.now() < end:
                time.sleep(0.1)
            stats = engine.stats()
            client.deactivate()
            client.close()
    found = _onsets(np.concatenate(chunks))
    if len(found) != len(frames):
        raise RuntimeError(f"found {len(found)} onsets for {len(frames)} clicks live")
    rel_found = found - found[0]
    rel_target = np.array(frames) - frames[0]
    return [int(e) for e in rel_found - rel_target], stats


def main() -> None:
    """Print the error histogram per case."""
    for block_size in (64, 256, 1024):
        errors = offline(block_size)
        print(f"offline bs={block_size}: {len(errors)} onsets, max |error| {max(map(abs, errors))} samples")
    errors, stats = live()
    print(f"live JACK 48k/256 (EngineProcess): {len(errors)} onsets, max |error| {max(map(abs, errors))} samples, "
          f"late {stats['late']}, xruns {stats['xruns']}")


if __name__ == "__main__":
    main()
