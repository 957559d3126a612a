"""Speed of controls and theory on the scheduler's path: onsets per second when a pattern using
them is queried one cycle at a time, plus the pure lookups they rest on.

Run: .venv/bin/python benchmarks/bench_theory.py [cycles]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from patterns import chord, mini, n, note, progression, s
from patterns.pattern import Pattern
from patterns.signals import sine
from patterns.theory.chords import parse_chord
from patterns.theory.scales import _scale_note_cached, scale_note
from patterns.theory.voicing import _voice_midi, voice

__all__ = ["CASES", "main"]

CASES: dict[str, Callable[[], Pattern]] = {
    "controls: note.s.lpf.gain.pan (constants)": lambda: note("c3 e3 g3 b3*2").s("saw").lpf(800)
    .gain(0.8).pan(0.3),
    "controls: patterned lpf + pan": lambda: note("c3 e3 g3 b3*2").s("saw")
    .lpf(sine.range(400, 2000).slow(4)).pan("0 1"),
    "scale: n(8 steps).scale": lambda: n("0 2 4 <5 7> 3 1 [6 8] -1").scale("<C:minor E:dorian>"),
    "voicing: 4 chords/cycle": lambda: chord("<C Am F G>*4").voicing(),
    "progression.voicing.arp": lambda: progression("<I vi IV V7>", "E:major").voicing()
    .arp("0 1 2 1 0 2 3 1"),
    "arp_mode updown": lambda: chord("<Cmaj7 Dm7>").voicing().arp_mode("updown"),
    "transpose names": lambda: note("c3 e3 g3 b3").transpose("<0 M3 P5 -2>"),
    "s with samples": lambda: s("bd*2 [sd:1 hh:2] cp:3 hh*4").bank("808"),
}


def _rate(build: Callable[[], Pattern], cycles: int) -> tuple[float, int]:
    pat = build()
    start = time.perf_counter()
    count = 0
    for cycle in range(cycles):
        count += sum(1 for e in pat.query_arc(cycle, cycle + 1) if e.has_onset())
    return count / (time.perf_counter() - start), count


def _lookups() -> list[tuple[str, float]]:
    results = []
    for name, func in (
        ("scale_note (uncached)", lambda i: (_scale_note_cached.cache_clear(), scale_note(i % 20, "C:minor"))),
        ("parse_chord (uncached)", lambda i: (parse_chord.cache_clear(), parse_chord("F#m7b5/E"))),
        ("voice with leading (uncached)", lambda i: (_voice_midi.cache_clear(),
                                                      voice("G7", previous=(62, 65, 69, 72)))),
    ):
        start = time.perf_counter()
        for i in range(2000):
            func(i)
        results.append((name, (time.perf_counter() - start) / 2000 * 1e6))
    return results


def main(cycles: int = 2000) -> None:
    """Print onsets/s per case and the cost of the uncached lookups."""
    total_events, total_time = 0, 0.0
    for name, build in CASES.items():
        rate, count = _rate(build, cycles)
        total_events += count
        total_time += count / rate
        print(f"{name:45s} {rate:10.0f} onsets/s  ({count} onsets)")
    print(f"{'total':45s} {total_events / total_time:10.0f} onsets/s")
    for name, micros in _lookups():
        print(f"{name:45s} {micros:10.1f} µs per call")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
