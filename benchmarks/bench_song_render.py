"""Song render speed: examples/kpop_song.py rendered whole (`--song`), and what the song form costs.

Prints the wall and CPU time of the whole-form render, x real time (by CPU: the machine is
shared), and the time spent in the song machinery itself (the conductor's follower, run at the
start of every scheduler tick, and the arming of sections) against the whole render. The anchor
is the same render with the follower timed out of it: the engine and the scheduler's queries.

Run: .venv/bin/python benchmarks/bench_song_render.py [--set examples/kpop_song.py]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from livecode.render import analyse_wav  # noqa: E402
from livecode.session import Session  # noqa: E402
from livecode.song.conductor import Conductor  # noqa: E402
from livecode.song.render import render_song_session  # noqa: E402

__all__ = ["main"]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    """Render the set's song once, timing the conductor; print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=Path(__file__).parents[1] / "examples" / "kpop_song.py")
    args = parser.parse_args(argv)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}, load average {os.getloadavg()[0]:.1f}")
    spent = [0.0, 0]
    follow = Conductor.follow

    def timed(self: Conductor, horizon: Fraction) -> None:
        started = time.thread_time()
        follow(self, horizon)
        spent[0] += time.thread_time() - started
        spent[1] += 1

    Conductor.follow = timed                       # type: ignore[method-assign]
    out = Path(tempfile.mkdtemp()) / "song.wav"
    wall, cpu = time.perf_counter(), _cpu()
    session = Session.create(audio="manual")
    try:
        session.load(args.set)
        bars = session.song.length()
        render_song_session(session, out)
    finally:
        session.close()
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    peak, lufs, seconds = analyse_wav(out)
    print("| bars | audio s | wall s | CPU s | x real time (CPU) | conductor CPU s (ticks) | peak dBFS | LUFS |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {bars} | {seconds:.2f} | {wall:.1f} | {cpu:.1f} | {seconds / cpu:.1f} | "
          f"{spent[0]:.3f} ({spent[1]}) | {peak:.2f} | {lufs:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
