"""Tempo sync benchmarks: CPU per tick, MIDI clock out/in accuracy on JACK, Link phase error.

Run: .venv/bin/python benchmarks/bench_lc_sync.py [--seconds 10]

1. CPU: a scheduler tick's share for the Link/MIDI-in follower (steady state: no correction) and
   for MIDI clock out (pulses of one 10 ms window), with a manual clock.
2. MIDI clock out on a private JACK dummy server: the session sends clock at 120 BPM for
   `--seconds`, a JACK capture client stamps every pulse with its frame: pulses not exactly
   1000 frames apart, late messages, re-anchors. Without audio (monotonic clock), then with a
   JACK engine (audio clock master), then with the audio clock mapped through its latest
   (frame, monotonic) reading only (the mapping before the offset filter).
3. MIDI clock in: a JACK-native sender plays a 130 BPM clock into the session for `--seconds`:
   tempo error after 1, 2, 4 and 8 beats, the Start-to-cycle-0 error, and the largest error between
   the session's tempo map and the sender's pulses over the run.
4. Link: two peers in a private network namespace (the test's body): phase error between them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

from livecode.clock import ManualClock, TempoMap
from livecode.scheduler import ListSink, Scheduler
from livecode.sync import BeatLine, TempoClockOut, TempoFollower
from livecode.tracks import StaticHost, TrackTable

__all__ = ["tick_cpu", "clock_out_jack", "clock_in_jack", "link_phase", "main"]

ROOT = Path(__file__).resolve().parents[1]


class _Source:
    restarts = False

    def __init__(self, line: BeatLine) -> None:
        self.current = line

    def line(self) -> BeatLine:
        return self.current


class _NullPort:
    closed = False

    def send_at(self, message: object, when: float) -> None:
        pass


def tick_cpu(ticks: int = 20000) -> dict[str, float]:
    """Microseconds per call of the follower and of one clock-out window (10 ms at 120 BPM)."""
    clock = ManualClock(48000)
    tempo = TempoMap(bpm=120)
    sched = Scheduler(TrackTable(StaticHost()), tempo, clock, ListSink())
    follower = TempoFollower(_Source(BeatLine(clock.to_monotonic(0.0), 0.0, 120.0, 0)), tempo, sched)
    step = Fraction(1, 200)                                     # 10 ms of cycles at 120 BPM
    started = time.process_time()
    for k in range(ticks):
        follower(k * step)
    follow_us = (time.process_time() - started) / ticks * 1e6
    out = TempoClockOut(_NullPort(), tempo, clock)  # type: ignore[arg-type]
    out.enable(Fraction(0))
    started = time.process_time()
    for k in range(ticks):
        out.window(k * step, (k + 1) * step)
    window_us = (time.process_time() - started) / ticks * 1e6
    return {"follower_us": follow_us, "clock_out_window_us": window_us, "corrections": follower.corrections}


def clock_out_jack(seconds: float, audio: str = "none", readings: int | None = None) -> dict[str, object]:
    """Session clock out at 120 BPM captured on a private JACK server.

    `audio="jack"` runs an engine, so the audio clock is master and pulse times go through
    `AudioClock.to_monotonic`; `readings` overrides how many readings it filters over (1: the
    latest pair only).
    """
    import os

    import livecode.clock
    from jackserver import JackServer
    from livecode.session import Session
    from midicapture import MidiCapture

    saved = livecode.clock.OFFSET_READINGS
    if readings is not None:
        livecode.clock.OFFSET_READINGS = readings
    with JackServer(rate=48000, period=256) as server:
        os.environ["JACK_DEFAULT_SERVER"] = server.name
        capture = MidiCapture(server.name, name="lc-bench-clockcap")
        session = Session.create(audio=audio, bpm=120, engine_options={"jackname": "lc-bench-eng"}
                                 if audio == "jack" else None)
        try:
            session.midiclock("lc-bench-clockcap")
            session.start()
            time.sleep(seconds)
            port = session.syncs.clock_out.port if session.syncs.clock_out else None
            reanchors, late = getattr(port, "reanchors", -1), getattr(port, "late_count", -1)
        finally:
            session.close()
            time.sleep(0.1)
            events = capture.snapshot()
            capture.close()
            livecode.clock.OFFSET_READINGS = saved
    pulses = [frame for frame, data in events if data[0] == 0xF8]
    gaps = [b - a for a, b in zip(pulses, pulses[1:])]
    return {"pulses": len(pulses), "off_grid": sum(1 for g in gaps if g != 1000),
            "within_5": sum(1 for g in gaps if abs(g - 1000) <= 5),
            "gap_min": min(gaps), "gap_max": max(gaps), "late": late, "reanchors": reanchors}


def clock_in_jack(seconds: float) -> dict[str, object]:
    """The session following a 130 BPM JACK-native clock."""
    import os

    from jackserver import JackServer
    from livecode.midi import JackMidiOut, MidiClockOut
    from livecode.session import Session

    bpm = 130.0
    beat = 60.0 / bpm
    errors: dict[int, float] = {}
    phase: list[float] = []
    with JackServer(rate=48000, period=256) as server:
        os.environ["JACK_DEFAULT_SERVER"] = server.name
        sender = JackMidiOut("clock", client_name="lc-bench-sender", servername=server.name)
        session = Session.create(audio="none", bpm=100)
        try:
            session.midiclock_in("lc-bench-sender:clock")
            session.start()
            clock = MidiClockOut(sender)
            when = time.monotonic() + 0.3
            clock.start(when, bpm)
            marks = {1: when + beat + 0.03, 2: when + 2 * beat + 0.03, 4: when + 4 * beat + 0.03,
                     8: when + 8 * beat + 0.03}
            while time.monotonic() < when + seconds:
                clock.send_window(time.monotonic() + 0.1)
                now = time.monotonic()
                for beats, mark in marks.items():
                    if beats not in errors and now >= mark:
                        errors[beats] = session.tempo.bpm - bpm
                if now > when + 2 * beat:
                    cycle = session.tempo.cycle_at(session.clock.from_monotonic(now))
                    phase.append((cycle * 4 - (now - when) / beat) * beat)
                time.sleep(0.02)
            start_error = session.clock.to_monotonic(session.tempo.time_at(0)) - when
        finally:
            session.close()
            sender.close()
    return {"bpm_error": errors, "start_error_ms": start_error * 1000,
            "phase_error_ms_max": max(abs(p) for p in phase) * 1000,
            "phase_error_ms_median": statistics.median(abs(p) for p in phase) * 1000}


def link_phase() -> dict[str, object]:
    """The Link test body run in a private network namespace; its phase errors."""
    test = ROOT / "tests" / "livecode" / "test_lc_sync_link.py"
    script = f"ip link set lo up && ip route add 224.0.0.0/4 dev lo && exec {sys.executable} {test}"
    done = subprocess.run(["unshare", "-rn", "sh", "-c", script], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    errors = [abs(e) * 1000 for e in result["phase"]]
    return {"samples": len(errors), "max_ms": max(errors), "median_ms": statistics.median(errors)}


def main() -> None:
    """Run every benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    sys.path.append(str(ROOT / "tests"))          # jackserver, midicapture (after patterns is imported)
    print("tick cpu", tick_cpu())
    print("clock out", clock_out_jack(args.seconds))
    print("clock out, jack engine", clock_out_jack(args.seconds, audio="jack"))
    print("clock out, jack engine, latest pair", clock_out_jack(args.seconds, audio="jack", readings=1))
    print("clock in", clock_in_jack(args.seconds))
    print("link", link_phase())


if __name__ == "__main__":
    main()
