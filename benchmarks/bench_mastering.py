"""Offline mastering speed: a 3-minute stereo mix at 48 kHz through every preset, plus QC.

The mix is synthesized (tests/synths/mixes.py `balanced`: kick, saw bass, chords, lead, hats,
snare). For each preset it prints the wall and CPU time of `master()` (measure, one front render, the
limiter passes, the true-peak check), the passes it took, x real time (by CPU time: the machine
is shared), and the wall time of a QC analysis and picture of the result.

`--silent-tail S` appends S seconds of digital silence to the mix (a song's end, an a cappella
where nobody sings): the case where filters decay into denormal numbers.

Run: .venv/bin/python benchmarks/bench_mastering.py [--seconds 180] [--presets streaming,club] [--silent-tail 20]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[1]))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "synths"))

from mixes import SR, balanced  # noqa: E402

from synths.mastering import PRESETS, master, preset  # noqa: E402
from synths.qc import analyse, plot_report  # noqa: E402

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--presets", default=",".join(PRESETS))
    parser.add_argument("--silent-tail", type=float, default=0.0, help="seconds of silence after the mix")
    args = parser.parse_args(argv)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    started = time.perf_counter()
    mix = np.concatenate([balanced(args.seconds) * 0.5, np.zeros((int(args.silent_tail * SR), 2))])
    print(f"synthesized {args.seconds:.0f} s of stereo at {SR} Hz in {time.perf_counter() - started:.1f} s"
          f"{f', then {args.silent_tail:g} s of silence' if args.silent_tail else ''}")
    print("| preset | master wall s | master CPU s | passes | x real time (CPU) | LUFS | dBTP | QC + PNG wall s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in args.presets.split(","):
        started, cpu = time.perf_counter(), time.process_time()
        result = master(mix, SR, preset(name))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        started = time.perf_counter()
        report = analyse(result.audio, SR, name=f"{name}.wav", target=result.preset.target)
        with tempfile.TemporaryDirectory() as folder:
            plot_report(report, Path(folder) / "qc.png")
        qc_seconds = time.perf_counter() - started
        print(f"| {name} | {seconds:.1f} | {cpu:.1f} | {result.passes} | {mix.shape[0] / SR / cpu:.0f} | "
              f"{result.lufs:.2f} | {result.true_peak:.2f} | {qc_seconds:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
