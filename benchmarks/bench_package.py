"""The package's speed, side by side in one run.

1. The 16-track bench set (`benchmarks/sets/bench16.py`, the set of `bench_engine_render.py` as a
   set file), 15 bars = 30 s at 120 BPM plus a 1 s tail, with every track's stem:
   - `livecode render --stems` as it is (one process, one session: the anchor);
   - the package's render jobs one after another in this process (`workers=1`);
   - the same jobs in a pool of worker processes (`workers=2`).
2. The example song (`examples/kpop.py` with `d8.role("lead_vocal")`, `d9.role("backing_vocal")`
   appended, 16 bars): the mix alone (`livecode render -o mix.wav`, then the same mix mastered
   and checked as `livecode master` does) against the whole package (`--deliver`, wav, PNGs of
   the variants, stem measures).

Wall seconds and x real time; CPU seconds summed over every process that worked (the jobs'
own figures, and the fork server's imports read from /proc; the machine is shared: the CPU
figure is the one that does not depend on the other load).

Each part runs in a process of its own (a package started after the bench set's would find the
fork server warm, its imports already paid: 1.50x instead of ~1.6x, 2026-12-05).

Run: .venv/bin/python benchmarks/bench_package.py [--workers 2] [--only bench16|example]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1]))

from livecode.package.deliver import PackageOptions, deliver_package, read_set  # noqa: E402
from livecode.package.jobs import plan_jobs  # noqa: E402
from livecode.package.stems import render_stems  # noqa: E402
from livecode.render import render_set  # noqa: E402

__all__ = ["main"]

ROOT = Path(__file__).parents[1]
BENCH16 = ROOT / "benchmarks" / "sets" / "bench16.py"
KPOP = ROOT / "examples" / "kpop.py"


def forkserver_cpu() -> float:
    """CPU seconds used so far by this process's multiprocessing fork server (0 without one):
    it imports the preloaded modules once for every worker, CPU that no job reports."""
    total = 0.0
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                if b"forkserver" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                    continue
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _timed(label: str, audio_s: float, call, cpu_of=None) -> float:  # type: ignore[no-untyped-def]
    wall, cpu, server = time.perf_counter(), time.process_time(), forkserver_cpu()
    result = call()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu + forkserver_cpu() - server
    if cpu_of is not None:
        cpu += cpu_of(result)
    jobs = getattr(result, "job_cpu_seconds", None)
    path = f"; jobs' CPU {jobs}: {audio_s / max(jobs):.1f}x on free cores" if jobs and len(jobs) > 1 else ""
    print(f"  {label:<52} {wall:6.2f} s wall ({audio_s / wall:5.1f}x real time)   "
          f"{cpu:6.2f} s CPU ({audio_s / cpu:5.1f}x per core){path}")
    return wall


def bench16(folder: Path, workers: int) -> None:
    bars = 15
    audio = 30.0
    info = read_set(BENCH16, bars)
    assert info.session is not None
    info.session.close()
    print(f"16-track bench set, {bars} bars = {audio:.0f} s, stems of {len(info.roles)} tracks + returns:")
    _timed("livecode render --stems (one session, anchor)", audio, lambda: render_set(
        BENCH16, folder / "anchor.wav", bars, stems_dir=folder / "anchor", tail=1.0))
    jobs = plan_jobs(info.roles, info.links)
    for count in (1, workers):
        _timed(f"package render jobs, workers={count} ({len(jobs)} jobs)", audio,
               lambda count=count: render_stems(BENCH16, jobs, folder / f"w{count}", bars, info.roles,
                                                            workers=count, tail=1.0,
                                                            pool_sizes=info.pool_sizes, sounding=info.sounding),
               cpu_of=lambda stems: stems.worker_cpu_seconds)


def example(folder: Path, workers: int) -> None:
    song = folder / "kpop_roles.py"
    song.write_text(KPOP.read_text() + '\nd8.role("lead_vocal")\nd9.role("backing_vocal")\n')
    bars = 16
    from synths.formats import read_audio, write_audio  # noqa: PLC0415
    from synths.mastering.offline import master  # noqa: PLC0415
    from synths.mastering.presets import preset  # noqa: PLC0415
    from synths.qc import analyse_file, plot_report  # noqa: PLC0415

    def mix_alone() -> float:
        report = render_set(song, folder / "mix.wav", bars)
        return report.duration_s

    def mastered() -> None:
        source = read_audio(folder / "mix.wav")
        result = master(source.data, source.sample_rate, preset("streaming"))
        written = write_audio(folder / "mix-master.wav", result.audio, source.sample_rate)
        plot_report(analyse_file(written.path, target=preset("streaming").target), folder / "mix-master.png")

    print(f"example song (kpop.py + roles), {bars} bars:")
    started = time.perf_counter()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    audio = mix_alone()
    render_wall, render_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    print(f"  {'mix alone: livecode render -o mix.wav':<52} {render_wall:6.2f} s wall   {render_cpu:6.2f} s CPU"
          f"   ({audio:.1f} s of audio)")
    wall0, cpu0 = time.perf_counter(), time.process_time()
    mastered()
    master_wall, master_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    alone_wall, alone_cpu = render_wall + master_wall, render_cpu + master_cpu
    print(f"  {'mix alone + master + QC/PNG of it':<52} {alone_wall:6.2f} s wall   {alone_cpu:6.2f} s CPU")
    wall0, cpu0, server0 = time.perf_counter(), time.process_time(), forkserver_cpu()
    report = deliver_package(song, folder / "package", PackageOptions(bars=bars, workers=workers))
    wall = time.perf_counter() - wall0
    server = forkserver_cpu() - server0
    cpu = time.process_time() - cpu0 + report.document["cpu_seconds"]["in_workers"] + server  # type: ignore[index]
    seconds = report.document["seconds"]
    print(f"  {f'package, workers={workers} ({len(report.files)} files)':<52} {wall:6.2f} s wall   {cpu:6.2f} s CPU"
          f"   stages {seconds}, CPU {report.document['cpu_seconds']}, fork server {server:.2f}")
    print(f"  package / mix alone: {wall / render_wall:.2f}x wall, {cpu / render_cpu:.2f}x CPU;  "
          f"package / (mix + master + QC): {wall / alone_wall:.2f}x wall, {cpu / alone_cpu:.2f}x CPU")
    del started


def main() -> None:
    """Run both benchmarks and print the tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=("bench16", "example"))
    args = parser.parse_args()
    if args.only is None:                   # each part in a fresh process: the example's package must
        for part in ("bench16", "example"):  # start its fork server cold, as `livecode render --deliver`
            subprocess.run([sys.executable, __file__, "--workers", str(args.workers), "--only", part], check=True)
        return
    print(f"{platform.node()} {platform.processor() or platform.machine()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as folder:
        if args.only in (None, "bench16"):
            bench16(Path(folder), args.workers)
        if args.only in (None, "example"):
            example(Path(folder), args.workers)


if __name__ == "__main__":
    main()
