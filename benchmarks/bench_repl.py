"""REPL benchmarks: start-up time to the prompt, and keystroke-to-screen latency while 16 tracks play.

Runs the real `livecode` command in a pseudo-terminal (pexpect), on a private JACK dummy server
(48 kHz, 256 frames) for `--audio jack`. Keystroke latency is the time from writing one
character to the pty until that character comes back in the terminal output, measured for
characters typed in a comment (so the completer runs but never matches), first with nothing
playing, then with a 16-track set playing.

    .venv/bin/python benchmarks/bench_repl.py [--keys 60] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "livecode"))

from jackserver import JackServer  # noqa: E402
from repl_support import Terminal, standin_env  # noqa: E402

__all__ = ["SIXTEEN_TRACKS", "startup_seconds", "keystroke_latencies", "main"]

SIXTEEN_TRACKS = [
    'd1 >> s("bd*4")',
    'd2 >> s("~ cp ~ cp")',
    'd3 >> s("hh*8").gain(0.6)',
    'd4 >> s("~ oh ~ oh").gain(0.5)',
    'd5 >> note("<c2 eb2 f2 g2>").s("bass808")',
    'd6 >> note("<[c4,eb4,g4] [ab3,c4,eb4]>").s("supersaw").gain(0.4)',
    'd7 >> note("c5 eb5 g5 bb5").s("pluck").gain(0.5)',
    'd8 >> s("rim*3").gain(0.4)',
    'd9 >> note("c3 g3").s("pad").gain(0.3)',
    'd10 >> s("sh*16").gain(0.3)',
    'd11 >> note("<g4 f4 eb4 d4>").s("lead").gain(0.4)',
    'd12 >> s("~ ~ ~ cb").gain(0.4)',
    'd13 >> note("c2*8").s("sub").gain(0.3)',
    'd14 >> s("lt mt ht ~").gain(0.4)',
    'd15 >> note("eb6 ~ g6 ~").s("bell").gain(0.3)',
    'd16 >> s("~ sd").gain(0.7)',
]

#: Letters that never appear in the status bar, so their echo is unambiguous.
KEYS = "qzjwvyg"


def startup_seconds(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning `argv` until the prompt is on the screen; then exits with Ctrl-D."""
    started = time.monotonic()
    term = Terminal(argv, env)
    try:
        term.wait_text("lc>", timeout=120)
        elapsed = time.monotonic() - started
        term.send("\x04")
        term.wait_exit(timeout=60)
    finally:
        term.close()
    return elapsed


def _echo_seconds(term: Terminal, char: str, timeout: float = 5.0) -> float:
    term.raw.clear()
    sent = time.monotonic()
    term.send(char)
    while time.monotonic() - sent < timeout:
        term.pump(0.002)
        if any(char in chunk for chunk in term.raw):
            return time.monotonic() - sent
    return timeout


def keystroke_latencies(term: Terminal, count: int, spacing: float = 0.08) -> list[float]:
    """Type `count` characters into a comment; seconds from write to echo for each."""
    term.send("# ")
    term.pump(0.3)
    results = []
    for i in range(count):
        results.append(_echo_seconds(term, KEYS[i % len(KEYS)]))
        time.sleep(spacing)
    term.send("\x03")
    term.pump(0.2)
    return results


def _summary(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms (n={len(ms)})"


def main(argv: list[str] | None = None) -> int:
    """Run both benchmarks and print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp, JackServer(rate=48000, period=256) as server:
        env = {**standin_env(Path(tmp)), "JACK_DEFAULT_SERVER": server.name}
        for audio in ("none", "jack"):
            times = [startup_seconds([python, "-m", "livecode.cli", "--audio", audio], env) for _ in range(args.runs)]
            print(f"start-up to prompt, --audio {audio}: " + ", ".join(f"{t:.2f} s" for t in times))
        term = Terminal([python, "-m", "livecode.cli", "--audio", "jack"], env, rows=40, cols=200)
        try:
            term.wait_text("lc>", timeout=120)
            print("keystroke to screen, nothing playing: " + _summary(keystroke_latencies(term, args.keys)))
            for line in SIXTEEN_TRACKS:
                term.send(line + "\r")
                term.pump(0.15)
            try:
                term.wait_for(lambda text: "d16" in (text.splitlines() or [""])[-1], timeout=30)
            except AssertionError:
                print("16 tracks: the status bar never showed d16; last screen lines:")
                print("\n".join(term.screen.lines()[-6:]))
            term.pump(2.0)
            status = term.status_line()
            print("keystroke to screen, 16 tracks playing: " + _summary(keystroke_latencies(term, args.keys)))
            print(f"status bar while playing: {status.strip()}")
            term.send("\x04")
            term.wait_exit(timeout=60)
        finally:
            term.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
