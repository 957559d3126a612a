"""Live core benchmarks: Enter-to-first-changed-onset, and scheduler CPU per track.

Run: .venv/bin/python benchmarks/bench_live_sched.py [--trials 20] [--seconds 60]

1. Enter -> first changed onset, through the session API (`Session.evaluate`) on a running
   session (audio "none": the scheduler thread on the monotonic clock, the same code path as with
   an engine). For each trial, at a random moment, `d1 >> s("sd*4")` replaces `d1 >> s("bd*4")`;
   the latency is the time from the call to the first `sd` onset, and the excess is that latency
   minus the wait until the next cycle (or quantum) boundary after Enter. The expected excess is
   0, or exactly one quantum when the boundary was already inside the lookahead (the scheduler
   never takes back sent events).
2. Scheduler CPU per track: 16 tracks of typical patterns, ticked 100 times per second of virtual
   time for `--seconds`, measured with thread CPU time; events go to a sink that keeps them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from fractions import Fraction

from livecode.clock import ManualClock
from livecode.outputs import ListSink
from livecode.session import Session

__all__ = ["enter_to_onset", "scheduler_cpu", "main"]

PATTERNS = [
    's("bd*4").bank("808")', 's("~ cp ~ cp").bank("808")', 's("hh*16").bank("808").gain(0.5)',
    's("[~ oh]*4").bank("909")', 'note("<a1 f1 c2 g1>").struct("x ~ ~ x ~ ~ x ~").s("bass808")',
    'chord("<Am F C G>").voicing().struct("x ~ x ~ ~ x ~ x").s("supersaw")',
    'note("<[e5 ~ c5 d5 e5 ~ g5 e5] [f5 ~ e5 c5 a4 ~ c5 ~]>").s("pluck")',
    's("bd(3,8)").bank("808")', 's("rim(5,8,2)")', 'n("0 2 4 7").scale("C:minor").s("lead").fast(2)',
    'note("c3 e3 g3").arp("0 1 2 1").s("pluck").every(3, rev)', 's("hh(7,16)").jux(rev)',
    'note("<c2 eb2>*8").s("sub").sometimes(fast(2))', 's("sd*8").degradeBy(0.5)',
    'n(run(8)).scale("E:minor:pentatonic").s("bell").slow(2)', 's("cp*4").off(0.125, lambda p: p.gain(0.5))',
]


class _TimedSink(ListSink):
    """Keeps notes with the monotonic time at which each was sent."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()

    def send_notes(self, events: list[object]) -> None:
        with self.lock:
            self.notes.extend(events)


def enter_to_onset(trials: int, bpm: float, quant: str | float) -> list[tuple[float, float]]:
    """(latency s, excess s) per trial."""
    results: list[tuple[float, float]] = []
    rng = random.Random(7)
    with Session.create(audio="none", bpm=bpm, lookahead=0.1) as session:
        sink = _TimedSink()
        session.scheduler.sink = sink
        session.outputs.report = sink.report  # type: ignore[method-assign]
        session.evaluate(f"d1.quant({quant!r})")
        session.evaluate('d1 >> s("bd*4")')
        session.start()
        time.sleep(0.5)
        for _ in range(trials):
            time.sleep(rng.uniform(0.2, 1.2))
            with sink.lock:
                sink.notes.clear()
            enter = session.clock.now()
            session.evaluate('d1 >> s("sd*4")')
            quantum = session.tracks["d1"].quantum
            boundary = Fraction(int(session.tempo.cycle_at(enter) // float(quantum)) + 1) * quantum
            onset = None
            deadline = time.monotonic() + 10
            while onset is None and time.monotonic() < deadline:
                time.sleep(0.005)
                with sink.lock:
                    times = [e.time for e in sink.notes if e.params.get("s") == "sd"]  # type: ignore[attr-defined]
                if times:
                    onset = min(times) / session.clock.sample_rate
            assert onset is not None
            results.append((onset - enter, onset - session.tempo.time_at(boundary)))
            session.evaluate('d1 >> s("bd*4")')
            time.sleep(2.2 * float(quantum) / session.tempo.cps)
    return results


def scheduler_cpu(seconds: float, tracks: int) -> tuple[float, int]:
    """(CPU seconds spent in ticks, events) for `tracks` tracks over `seconds` of virtual time."""
    session = Session(clock=ManualClock(48000), bpm=124)
    sink = ListSink()
    session.scheduler.sink = sink
    for index in range(tracks):
        result = session.evaluate(f"d{index + 1} >> {PATTERNS[index % len(PATTERNS)]}")
        assert result.ok, result.error
    clock = session.clock
    assert isinstance(clock, ManualClock)
    spent = 0.0
    for _ in range(int(seconds * 100)):
        start = time.thread_time()
        session.scheduler.tick()
        spent += time.thread_time() - start
        clock.advance(0.01)
        sink.notes.clear()
    return spent, session.scheduler.stats.events


def main() -> None:
    """Print both benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    for bpm, quant in ((120, 1), (120, "beat")):
        rows = enter_to_onset(args.trials, bpm, quant)
        latency = [r[0] * 1000 for r in rows]
        excess = [r[1] * 1000 for r in rows]
        print(f"enter->onset bpm={bpm} quant={quant}: latency median {statistics.median(latency):.0f} ms "
              f"(min {min(latency):.0f}, max {max(latency):.0f}); excess over the next boundary: "
              f"median {statistics.median(excess):.2f} ms, max {max(excess):.2f} ms, "
              f"{sum(1 for e in excess if abs(e) > 0.5)} of {len(excess)} trials one quantum later")
    for tracks in (1, 16):
        spent, events = scheduler_cpu(args.seconds, tracks)
        per_tick = spent / (args.seconds * 100)
        print(f"scheduler, {tracks} tracks, {args.seconds:.0f} s at 100 ticks/s: {spent:.2f} s CPU "
              f"({per_tick * 1e6:.0f} us/tick, {per_tick * 1e6 / tracks:.0f} us/tick/track, "
              f"{spent / args.seconds * 100:.2f}% of a core; {events} events)")


if __name__ == "__main__":
    main()
