"""Long performer-simulator runs on a private JACK server (issue 7): `--minutes N --seed S`.

Plays seeded performances (tests/performer.py) back to back, each line `--gap` seconds apart, for
about N minutes, and prints one summary line per performance and a total: lines typed, audio
captured, MIDI notes, late events, xruns, memory growth (over the last of `--passes`, 3 by
default: the first ones fill what the live engine frees and builds again), and every problem
found with the lines to replay it. Exits 1 if any check failed.

    .venv/bin/python benchmarks/soak.py --minutes 30 --seed 1
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "tests"))

from jackserver import JackServer  # noqa: E402
from performer import perform, sample_kit, script  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="how long to play (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="first seed (then seed+1, ...)")
    parser.add_argument("--lines", type=int, default=120, help="lines per performance (default 120)")
    parser.add_argument("--gap", type=float, default=1.0, help="seconds between lines (default 1)")
    parser.add_argument("--passes", type=int, default=3,
                        help="times the lines are typed; memory is checked over the last (default 3)")
    parser.add_argument("--period", type=int, default=256, help="JACK period in frames (default 256)")
    args = parser.parse_args(argv)
    print(f"# soak {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()} "
          f"({os.cpu_count()} cores, {platform.processor() or platform.machine()}), JACK dummy "
          f"48 kHz / {args.period} frames, {args.minutes:g} min from seed {args.seed}", flush=True)
    deadline = time.monotonic() + args.minutes * 60.0
    totals = {"runs": 0, "lines": 0, "late": 0, "xruns": 0, "notes": 0, "failed": 0, "seconds": 0.0}
    seed = args.seed
    with tempfile.TemporaryDirectory() as folder, JackServer(period=args.period) as server:
        os.environ["JACK_DEFAULT_SERVER"] = server.name
        samples = str(sample_kit(Path(folder) / "samples"))
        while time.monotonic() < deadline:
            lines = script(seed, args.lines, samples=samples)
            run = perform(lines, seed, gap=args.gap, jackname=f"lcsoak{seed}", passes=args.passes)
            print(run.summary(), flush=True)
            for row in run.late_lines:
                print(f"  late {row}", flush=True)
            for row in run.xrun_lines[:5]:
                print(f"  xruns {row}", flush=True)
            print(f"  per pass (engine RSS MB, xruns so far, pyo streams): {run.marks}", flush=True)
            if run.problems:
                print("  " + run.replay_hint(Path.cwd()), flush=True)
            totals["runs"] += 1
            totals["lines"] += args.passes * len(lines)
            totals["late"] += run.late
            totals["xruns"] += run.xruns
            totals["notes"] += run.notes_sent
            totals["failed"] += bool(run.problems)
            totals["seconds"] += run.seconds
            seed += 1
    print(f"# total: {totals['runs']} performances, {totals['lines']} lines typed in "
          f"{totals['seconds'] / 60:.1f} min, {totals['notes']} MIDI notes, late {totals['late']}, "
          f"xruns {totals['xruns']}, failed {totals['failed']}", flush=True)
    return 1 if totals["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
