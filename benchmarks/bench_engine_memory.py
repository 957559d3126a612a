"""Memory of the engine over 100,000 notes (offline): RSS every 10,000 notes.

Run: .venv/bin/python benchmarks/bench_engine_memory.py
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from synths.engine import Engine  # noqa: E402
from synths.events import NoteEvent  # noqa: E402
from synths.testvoices import resolve_test_voice  # noqa: E402

__all__ = ["main"]


def rss_mb() -> float:
    """Current resident set size in MB (from /proc)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 1e6


def main(notes: int = 100_000, per_block: int = 4) -> None:
    """Play `notes` beeps, `per_block` per 256-frame block, on 4 tracks; print RSS."""
    with Engine("offline", resolver=resolve_test_voice) as engine:
        for track in ("a", "b", "c", "d"):
            engine.add_track(track, ["beep"])
        engine.process_blocks(10)
        print(f"notes={0:>7} rss={rss_mb():7.1f} MB")
        sent = 0
        while sent < notes:
            now = engine.now()
            for i in range(per_block):
                track = "abcd"[(sent + i) % 4]
                engine.schedule(NoteEvent(now + 256 + i * 61, track, {"s": "beep", "note": 48 + (sent + i) % 24,
                                                                      "gain": 0.1}, 1200))
            engine.process_blocks(1)
            sent += per_block
            if sent % 10_000 == 0:
                print(f"notes={sent:>7} rss={rss_mb():7.1f} MB played={engine.stats()['played']}")


if __name__ == "__main__":
    main()
