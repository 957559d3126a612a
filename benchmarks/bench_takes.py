"""Takes: memory of a loaded take and the CPU of playing it, beside raw pyo doing the same.

Memory: a 3-minute stereo 48 kHz take (float32 tables: 2 x 8.64 M samples = 69 MB of audio)
loaded by the take voice, RSS before and after, then a second and third track playing the same
file (their voices share the tables), against raw pyo's `SndTable` of the same file.
CPU: an offline render of 60 s of the take through the engine (one segment per bar at 120 BPM,
the strip and a neutral master), against raw pyo reading the same table with `TableRead` to a
manual-mode server for as many blocks.

Run: .venv/bin/python benchmarks/bench_takes.py
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1]))

from synths.engine import Engine  # noqa: E402
from synths.events import NoteEvent  # noqa: E402

__all__ = ["main"]

SR = 48000


def rss_mb() -> float:
    """Current resident set size in MB (from /proc)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 1e6


def _file(folder: Path, seconds: float) -> Path:
    rng = np.random.default_rng(1)
    data = (0.1 * rng.standard_normal((int(seconds * SR), 2))).astype(np.float32)
    path = folder / "take.wav"
    sf.write(path, data, SR, subtype="PCM_24")
    return path


def _segments(path: Path, track: str, seconds: float, bar: int) -> list[NoteEvent]:
    sound = f"take={path}"
    return [NoteEvent(start, track, {"s": sound, "take_first": start, "take_count": bar,
                                     "take_end": int(180 * SR)}, bar)
            for start in range(0, int(seconds * SR), bar)]


def memory(path: Path) -> None:
    """RSS as the engine loads the take for one, two and three tracks."""
    with Engine("offline") as engine:
        engine.process_blocks(4)
        base = rss_mb()
        print(f"engine booted              rss={base:7.1f} MB")
        for count, track in enumerate(("a", "b", "c"), start=1):
            started = time.perf_counter()
            engine.add_track(track, [f"take={path}"])
            print(f"{count} track(s) with the take  rss={rss_mb():7.1f} MB  (+{rss_mb() - base:6.1f}), "
                  f"{time.perf_counter() - started:5.2f} s")


def raw_memory(path: Path) -> None:
    """The anchor: pyo's own SndTable of the same file."""
    from synths._pyo import pyo  # noqa: PLC0415

    p = pyo()
    server = p.Server(audio="manual", sr=SR, nchnls=2).boot()
    base = rss_mb()
    started = time.perf_counter()
    table = p.SndTable(str(path))
    print(f"raw pyo SndTable           rss={rss_mb():7.1f} MB  (+{rss_mb() - base:6.1f}), "
          f"{time.perf_counter() - started:5.2f} s  ({table.getSize()} frames)")
    del table
    server.shutdown()


def cpu(path: Path, seconds: float) -> None:
    """CPU seconds to render `seconds` of the take, engine vs raw pyo."""
    bar = 2 * SR                                   # 120 BPM: a bar of 4 beats is 2 s
    with Engine("offline") as engine:
        engine.add_track("a", [f"take={path}"])
        engine.mixer.master.set_neutral(True)
        engine.schedule_many(_segments(path, "a", seconds, bar))
        blocks = int(seconds * SR) // engine.block_size
        started = time.process_time()
        engine.process_blocks(blocks)
        used = time.process_time() - started
        print(f"engine: {seconds:.0f} s of take in {used:5.2f} CPU s ({seconds / used:5.0f}x real time), "
              f"{engine.stats()['played']} segments")
    from synths._pyo import pyo  # noqa: PLC0415

    p = pyo()
    server = p.Server(audio="manual", sr=SR, nchnls=2, buffersize=256).boot()
    server.start()
    table = p.SndTable(str(path))
    reader = p.TableRead(table, freq=table.getRate()).out()
    reader.play()
    started = time.process_time()
    for _ in range(blocks):
        server.process()
    used = time.process_time() - started
    print(f"raw pyo TableRead: {seconds:.0f} s in {used:5.2f} CPU s ({seconds / used:5.0f}x real time)")
    server.stop()
    server.shutdown()


def main() -> None:
    """Write a 3-minute take, then measure."""
    with tempfile.TemporaryDirectory() as folder:
        path = _file(Path(folder), 180.0)
        memory(path)
        raw_memory(path)
        cpu(path, 60.0)


if __name__ == "__main__":
    main()
