"""The performer simulator: seeded sessions of what people type, played live and checked.

`script(seed, lines)` writes a random but plausible performance: new and changed patterns on
d1..d15 and named tracks, instrument switches on playing tracks, effects added, changed, removed
and cleared, ducking, mute/solo/fades, tempo changes, `load_samples`, `hush`, `panic`, MIDI
targets, and a sprinkling of bad lines (syntax errors, unknown names, runaways, endless loops,
a pattern that fails only when its third cycle plays). Track d16 plays a steady reference
(`hh*16`) that the script re-establishes after every hush or panic: the music must never stop.

`perform(...)` plays a script on a private JACK dummy server through the session API (or the
REPL in a pseudo-terminal, `perform_in_repl`), captures the engine's output and the MIDI sent
with JACK clients, and checks, continuously and at the end: every sample finite; the reference
track never silent while it should sound (the engine's own meter, read four times a second); no
late event; engine and session agree on tracks, instruments and effects; no MIDI note left
sounding after hush, panic or exit; memory flat. A failing run prints the lines to replay it
(`livecode play` of the set file it writes).

>>> lines = script(7, 30)
>>> len(lines) == 30 and lines[0].code.startswith("bpm(")
True
>>> script(7, 30) == lines                      # a seed is a performance
True
"""

from __future__ import annotations

import math
import os
import random
import resource
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from jackcapture import JackCapture, Recording

__all__ = ["Line", "script", "Performance", "perform", "TONAL", "REFERENCE"]

TONAL = ["bass808", "acid", "reese", "sub", "pluckbass", "supersaw", "pad", "strings", "epiano", "bell",
         "pluck", "lead", "saw", "square", "triangle", "sine"]
DRUMS = ["bd", "sd", "hh", "oh", "cp", "rim", "lt", "mt", "ht", "cb", "cr", "rd", "sh"]
EFFECTS = [("lpf", "cutoff=1200"), ("hpf", "cutoff=300"), ("reverb", "mix=0.3"), ("delay", "mix=0.25"),
           ("crush", "bits=6"), ("distort", "drive=0.4"), ("chorus", "mix=0.4"), ("phaser", "mix=0.4"),
           ("eq", "mid=-3"), ("compressor", "threshold=-18"), ("width", "width=1.5"), ("tremolo", "depth=0.4"),
           ("lpf", "cutoff=sine.range(400, 4000).slow(4)")]
REFERENCE = 'd16 >> s("hh*16").gain(0.7)'
MIDI_PORT = "lcsim-midi"
WINDOW = 0.2
"""The shortest meter window that must hold a hit of the reference (hh*16 at 90 BPM: 167 ms)."""
SETTLE = 4.0
"""Seconds after the reference is (re)typed before its silence counts as a gap (it swaps in at
the next cycle: 2.7 s at 90 BPM)."""


@dataclass(frozen=True)
class Line:
    """One thing the performer types: `code`, whether it must evaluate (`ok`; None: either, a
    pattern that fails at a later cycle is refused if the probe of its first cycles sees it),
    and what it does to the reference track (`reference`: "plays", "stops" or "")."""

    code: str
    ok: bool | None = True
    reference: str = ""


def _drum(rng: random.Random) -> str:
    sound = rng.choice(DRUMS)
    base = rng.choice([f'"{sound}*4"', f'"{sound}(3,8)"', f'"~ {sound} ~ {sound}"', f'"{sound}*8"',
                       f'"[{sound} ~ {sound}] ~"', f'"<{sound} [{sound} {sound}]>"'])
    tail = rng.choice(["", ".gain(0.6)", ".every(4, fast(2))", ".sometimes(lambda p: p.fast(2))", ".jux(rev)",
                       ".degradeBy(0.3)", '.bank("909")', ".off(0.125, lambda p: p.gain(0.5))", ".fast(2)"])
    return f"s({base}){tail}"


def _tonal(rng: random.Random, instrument: str) -> str:
    body = rng.choice([
        'note("c2 eb2 g2 bb2")', 'n("0 2 4 7").scale("A:minor:pentatonic")',
        'chord("<Cm7 Ab^7 Eb^7 Bb7>").voicing()', 'note("c4 e4 g4").arp("updown")',
        'progression("vi IV I V", "C:major").voicing()', 'note("<a1 f1 c2 g1>").struct("x ~ ~ x ~ ~ x ~")',
        'n("0 .. 7").scale("D:dorian").fast(2)', 'note("c5 [e5 g5] b4 ~").legato(0.5)',
    ])
    return f'{body}.s("{instrument}")'


BAD_LINES = [
    'd1 >> s("bd"',                              # syntax error
    'd2 >> s("bd [")',                           # mini-notation error (column)
    'd3 >> s("bd").fastt(2)',                    # unknown method
    'd4 >> s("nosuchkit")',                      # unknown instrument
    'd5 >> s("hh*8").fast(1e9)',                 # runaways
    'd6 >> s("bd*1e9")',
    'd7 >> s("[bd*10000 sd]*10000")',
    "undefined_name + 1",
    'd8.fx("lfp", cutoff=800)',                  # unknown effect
    "bpm(-5)",
]


def script(seed: int, lines: int, *, midi: bool = True, loops: bool = True, samples: str | None = None) -> list[Line]:
    """A seeded performance of `lines` lines (see the module doc); `samples` is a folder with a
    kit `simkit` for `load_samples`; `loops` allows an endless loop (3 s at the prompt)."""
    rng = random.Random(seed)
    out = [Line(f"bpm({rng.choice([96, 110, 120, 124, 128, 140])})"), Line(REFERENCE, reference="plays")]
    playing: dict[str, str] = {}
    effects: dict[str, list[str]] = {}
    loaded = False
    while len(out) < lines:
        roll = rng.random()
        slot = f"d{rng.randint(1, 15)}" if rng.random() < 0.85 else f'track("{rng.choice(["bass", "keys", "perc"])}")'
        if roll < 0.22:
            out.append(Line(f"{slot} >> {_drum(rng)}"))
            playing[slot] = "drum"
        elif roll < 0.42:
            instrument = rng.choice(TONAL)
            out.append(Line(f"{slot} >> {_tonal(rng, instrument)}"))   # on a playing slot: a switch
            playing[slot] = instrument
        elif roll < 0.55 and playing:
            target = rng.choice(sorted(playing))
            kind, params = rng.choice(EFFECTS)
            out.append(Line(f'{target}.fx("{kind}", {params})'))
            effects.setdefault(target, []).append(kind)
        elif roll < 0.60 and effects:
            target = rng.choice(sorted(effects))
            if rng.random() < 0.5:
                out.append(Line(f'{target}.fx_remove("{effects[target][0]}")'))
                effects[target] = [kind for kind in effects[target] if kind != effects[target][0]]
            else:
                out.append(Line(f"{target}.fx_clear()"))
                effects[target] = []
            if not effects[target]:
                del effects[target]
        elif roll < 0.64 and len(playing) > 1:
            a, b = rng.sample(sorted(playing), 2)
            out.append(Line(f"{a}.duck({b}, amount=0.6)"))
        elif roll < 0.70 and playing:
            target = rng.choice(sorted(playing))
            out.append(Line(rng.choice([f"{target}.mute()", f"{target}.unmute()", f"{target}.gain(-6)",
                                        f"{target}.pan(0.3)", f"{target}.fade_out(2)", f"{target}.fade_in(2)"])))
        elif roll < 0.73 and playing:
            target = rng.choice(sorted(playing))
            out.append(Line(f"solo({target}, d16)"))
            out.append(Line("unsolo()"))
        elif roll < 0.77:
            out.append(Line(f"bpm({rng.choice([90, 100, 118, 120, 126, 135, 150])})"))
        elif roll < 0.80 and samples is not None:
            if not loaded:
                out.append(Line(f"load_samples({samples!r})"))
                loaded = True
            out.append(Line(f'{slot} >> s("simkit:{rng.randint(0, 1)}*4")'))
            playing[slot] = "simkit"
        elif roll < 0.83 and midi:
            out.append(Line(f'{slot} >> note("c4 e4 g4").legato(0.5).midi("{MIDI_PORT}")'))
            playing[slot] = "midi"
        elif roll < 0.85:
            out.append(Line(rng.choice(["hush()", "panic()"]), reference="stops"))
            out.append(Line(REFERENCE, reference="plays"))
            playing.clear()                                # effects stay on their tracks
        elif roll < 0.87:
            out.append(Line(f'{slot} >> note("<60 62 64 65 67 oops>").s("sine")', ok=None))  # fails at cycle 5
            playing[slot] = "sine"
        elif roll < 0.89 and loops:
            out.append(Line("while True: pass", ok=False))
        else:
            out.append(Line(rng.choice(BAD_LINES), ok=False))
    return out[:lines]


@dataclass
class Performance:
    """What a run measured; `problems` lists every failed check (empty: the run passed)."""

    seed: int
    lines: list[Line]
    seconds: float = 0.0
    frames: int = 0
    nonfinite: int = 0
    late: int = 0
    xruns: int = 0
    gaps: list[tuple[float, float]] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)
    hanging_notes: list[tuple[int, int]] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    rss_growth_mb: float = 0.0
    engine_rss_growth_mb: float = 0.0
    notes_sent: int = 0
    late_lines: list[str] = field(default_factory=list)
    engine_lost: list[str] = field(default_factory=list)
    """What the session said when it lost its engine (line index, message), e.g. an exit code."""
    faults: list[str] = field(default_factory=list)
    """The engine's guard reports (line index, message): a track or bus that went non-finite and
    was reset. The music goes on, so they are not failures; the summary lists them."""
    marks: list[tuple[float, int, int]] = field(default_factory=list)
    """At the start of each pass and at the end: the engine process's RSS (MB), the xruns so far
    and the pyo streams in the engine's list. A leak grows pass after pass; pools freed and built
    again (`free_idle`) move the figures both ways."""
    xrun_lines: list[str] = field(default_factory=list)
    """Lines during whose gap the engine counted `XRUN_BURST` or more xruns (line index, code,
    count, pyo streams): where a run's xruns came from."""
    waited: int = 0
    """Notes that waited for the engine's main thread to build their pool (`stats()["waited"]`:
    a pool freed while idle, named again by a running pattern); late only if the build was."""
    engine_errors: tuple[int, str] = (0, "")
    """Exceptions the engine's audio callback caught and counted (`stats()["errors"]`, and the
    last one): reported in the summary, not a failure (the block went on)."""
    problems: list[str] = field(default_factory=list)

    def check(self, *, max_rss_growth_mb: float = 16.0, max_late: int = 0) -> None:
        """Fill `problems` from what was measured (`max_late`: late events tolerated)."""
        if self.nonfinite:
            self.problems.append(f"{self.nonfinite} non-finite samples in the output")
        if self.engine_lost:
            self.problems.append(f"the engine was lost: {self.engine_lost[:3]}")
        if self.late > max_late:
            self.problems.append(f"{self.late} late events, after: {self.late_lines[:5]}")
        if self.gaps:
            self.problems.append(f"the reference track went silent: {self.gaps[:5]}")
        if self.mismatches:
            self.problems.append(f"engine and session disagree: {self.mismatches[:5]}")
        if self.hanging_notes:
            self.problems.append(f"MIDI notes left sounding (channel, note): {self.hanging_notes[:8]}")
        if self.unexpected:
            self.problems.append(f"lines that did not do what they should: {self.unexpected[:5]}")
        if self.rss_growth_mb > max_rss_growth_mb or self.engine_rss_growth_mb > max_rss_growth_mb:
            self.problems.append(f"memory grew: session {self.rss_growth_mb:.1f} MB, "
                                 f"engine {self.engine_rss_growth_mb:.1f} MB")

    def replay_hint(self, folder: Path) -> str:
        """Write the lines as a set file and say how to replay them."""
        path = folder / f"performer-seed-{self.seed}.py"
        path.write_text("\n".join(line.code for line in self.lines) + "\n")
        return f"replay: livecode play {path} --audio jack   (seed {self.seed})"

    def summary(self) -> str:
        """One paragraph for benchmarks/soak.py and failing tests."""
        status = "ok" if not self.problems else "FAILED: " + "; ".join(self.problems)
        return (f"seed {self.seed}: {len(self.lines)} lines in {self.seconds:.0f} s, {self.frames / 48000:.0f} s "
                f"of audio captured, {self.notes_sent} MIDI notes; late {self.late}, xruns {self.xruns}, "
                f"notes that waited for a pool {self.waited}, "
                f"memory +{self.rss_growth_mb:.1f} MB (session) +{self.engine_rss_growth_mb:.1f} MB (engine): "
                f"{status}" + (f"; guard resets: {self.faults[:5]}" if self.faults else "")
                + (f"; engine callback errors {self.engine_errors[0]} (last: {self.engine_errors[1]})"
                   if self.engine_errors[0] else ""))


def _capture(source: str) -> JackCapture:
    """The engine's two outputs (the peak of each frame) and every MIDI event sent to the port
    `MIDI_PORT`, recorded in a process of its own (tests/jackcapture.py): in the performer's
    process its callback would wait for the GIL behind the scheduler and the evaluation, and with
    JACK in synchronous mode that stalls the whole graph (xruns the engine never caused), and its
    buffers would count as the session's memory."""
    return JackCapture(source, name="lcsim-capture", channels=2, peaks=True, midi=f"{MIDI_PORT}:in")


def _midi(recording: Recording) -> list[tuple[float, bytes]]:
    """The MIDI the capture received, as (wall time, bytes)."""
    return [(when, data) for when, _frame, data in recording.midi]


def hanging_notes(midi: list[tuple[float, bytes]]) -> list[tuple[int, int]]:
    """(channel, note) pairs whose note-ons outnumber their note-offs (CC 123 clears a channel).

    >>> hanging_notes([(0.0, bytes([0x90, 60, 100])), (0.1, bytes([0x80, 60, 0]))])
    []
    >>> hanging_notes([(0.0, bytes([0x91, 62, 100]))])
    [(2, 62)]
    """
    sounding: Counter[tuple[int, int]] = Counter()
    for _, data in midi:
        if len(data) < 3:
            continue
        kind, channel = data[0] & 0xF0, (data[0] & 0x0F) + 1
        if kind == 0x90 and data[2] > 0:
            sounding[(channel, data[1])] += 1
        elif kind == 0x80 or (kind == 0x90 and data[2] == 0):
            if sounding[(channel, data[1])] > 0:
                sounding[(channel, data[1])] -= 1
        elif kind == 0xB0 and data[1] == 123:
            for key in [k for k in sounding if k[0] == channel]:
                sounding[key] = 0
    return sorted(key for key, count in sounding.items() if count > 0)


XRUN_BURST = 10
"""Xruns during one line's gap that `Performance.xrun_lines` notes with the line."""


def _mark(session: Any, engine_pid: int | None) -> tuple[float, int, int]:
    """(engine RSS in MB, xruns so far, pyo streams in the engine's list) for `Performance.marks`."""
    stats = session.outputs.use_engine("stats", lambda engine: engine.stats())
    streams = int(stats.get("streams", 0)) if isinstance(stats, dict) else 0
    return round(_rss_mb(engine_pid), 1) if engine_pid else 0.0, session.status().xruns, streams


def _rss_mb(pid: int, field: str = "VmRSS") -> float:
    """The process's resident memory in MB (`field` "VmHWM": its peak so far)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for row in handle:
                if row.startswith(f"{field}:"):
                    return int(row.split()[1]) / 1024.0
    except OSError:
        return 0.0
    return 0.0


def engine_view(session: Any) -> dict[str, dict[str, list[str]]]:
    """What the session believes the engine plays (the same shape as `engine.describe()`)."""
    from livecode.mirror import chain_specs
    from synths.engine import default_resolver

    view: dict[str, dict[str, list[str]]] = {}
    for name, keys in session.mirror.engine_tracks.items():
        instruments = []
        for key in sorted(keys):
            s, _, bank = key.partition("@")
            instruments.append(default_resolver(s, bank or None).NAME)
        effects = [str(spec["kind"]) for spec in chain_specs(session.tracks[name])]
        view[name] = {"instruments": sorted(instruments), "effects": effects}
    return view


def _compare(session: Any) -> list[str]:
    from synths.effects import resolve

    engine = session.outputs.use_engine("describe", lambda engine: engine.describe())
    if not isinstance(engine, dict):
        return ["the engine did not describe itself"]
    expected = engine_view(session)
    problems = []
    for name, want in expected.items():
        got = engine.get(name)
        if got is None:
            problems.append(f"{name}: missing in the engine")
            continue
        if sorted(got["instruments"]) != want["instruments"]:
            problems.append(f"{name}: instruments {sorted(got['instruments'])} != {want['instruments']}")
        if [resolve(k).KIND for k in want["effects"]] != got["effects"]:
            problems.append(f"{name}: effects {got['effects']} != {want['effects']}")
    return problems


def perform(lines: list[Line], seed: int, *, gap: float = 1.0, jackname: str = "lcsim", passes: int = 2,
            on_line: Callable[[str], None] | None = None, max_late: int = 0) -> Performance:
    """Play `lines` `passes` times on the JACK server in JACK_DEFAULT_SERVER through the session
    API, `gap` seconds apart, and measure (see the module doc). Memory growth is measured over
    the last pass, which creates no new track or instrument: it must be flat. The engine's is
    measured from its peak so far (VmHWM): the live engine frees idle pools after `hush()` and
    builds them again later, and its memory climbs over the first passes towards what it holds
    without freeing (seed 2, 120 lines, at the start of each pass and the end: 340, 390, 412,
    418, 420 MB; without `free_idle` 340, 418, 418, 418 MB): three passes or more leave only a
    leak's growth in the last one (`benchmarks/soak.py --passes 3`)."""
    from livecode.session import Session

    perf = Performance(seed, lines)
    session = Session.create(audio="jack", lookahead=0.1, engine_options={"jackname": jackname})
    session.eval_timeout = 1.0
    capture: JackCapture | None = None
    started = time.monotonic()
    try:
        capture = _capture(jackname)
        session.start()
        time.sleep(0.3)
        engine_pid = getattr(session.engine, "pid", None)
        base_rss = base_engine = 0.0
        reference_since: float | None = None
        last_poll = time.monotonic()
        late_seen = (0, 0)                              # scheduler, engine
        xruns_seen = xruns_now = 0
        streams: object = None
        for index, line in enumerate(lines * passes):
            if index % len(lines) == 0:
                perf.marks.append(_mark(session, engine_pid))
            if index == len(lines) * (passes - 1):      # the last pass: memory must stay flat
                base_rss = _rss_mb(os.getpid())
                base_engine = _rss_mb(engine_pid, "VmHWM") if engine_pid else 0.0
            result = session.evaluate(line.code)
            if on_line is not None:
                on_line(f"{'ok ' if result.ok else 'err'} {line.code}" + ("" if result.ok else f"  -> {result.error}"))
            if line.ok and not result.ok and "runaway" not in str(result.error):
                perf.unexpected.append(f"{line.code}: {result.error}")
            if line.ok is False and result.ok:
                perf.unexpected.append(f"{line.code}: was accepted")
            if result.error and "\n" in result.error:
                perf.unexpected.append(f"{line.code}: a multi-line error")
            if line.reference == "stops":
                reference_since = None
            elif line.reference == "plays":
                reference_since = time.monotonic()
            deadline = time.monotonic() + gap
            while time.monotonic() < deadline:
                time.sleep(max(0.0, min(0.25, deadline - time.monotonic())))
                now = time.monotonic()
                stats = session.outputs.use_engine("stats", lambda engine: engine.stats())
                for text in session.messages():
                    if _lost(text):
                        perf.engine_lost.append(f"line {index}: {text}")
                    elif "non-finite" in text:
                        perf.faults.append(f"line {index}: {text}")
                if isinstance(stats, dict):
                    perf.waited = int(stats.get("waited", 0))
                    perf.engine_errors = (int(stats.get("errors", 0)), str(stats.get("last_error", "")))
                    meter = stats.get("meters", {}).get("d16", {})
                    peak = float(meter.get("peak", -120.0)) if isinstance(meter, dict) else -120.0
                    settled = reference_since is not None and now - reference_since > SETTLE
                    window = now - last_poll >= WINDOW        # long enough to hold a hit of hh*16
                    if settled and window and not peak > -60.0:
                        perf.gaps.append((round(now - started, 2), peak))
                    late_seen = _trace_late(perf, index, line.code, session, stats, late_seen)
                    xruns_now, streams = int(stats.get("xruns", 0)), stats.get("streams")
                last_poll = now
            if xruns_now - xruns_seen >= XRUN_BURST:
                perf.xrun_lines.append(f"line {index}: {line.code!r}: {xruns_now - xruns_seen} xruns "
                                       f"({streams} streams)")
            xruns_seen = xruns_now
        perf.mismatches = _compare(session)
        status = session.status()
        perf.late = status.late
        perf.xruns = status.xruns
        if passes > 1:
            perf.rss_growth_mb = max(0.0, _rss_mb(os.getpid()) - base_rss)
            perf.engine_rss_growth_mb = max(0.0, _rss_mb(engine_pid) - base_engine) if engine_pid else 0.0
        perf.marks.append(_mark(session, engine_pid))
        session.evaluate("hush()")
        time.sleep(0.3)
    finally:
        session.close()
        time.sleep(0.2)
        if capture is not None:
            capture.close()
    assert capture is not None
    recording = capture.close()
    perf.seconds = time.monotonic() - started
    perf.frames = recording.frames
    perf.nonfinite = recording.nonfinite
    midi = _midi(recording)
    perf.notes_sent = sum(1 for _, data in midi if len(data) == 3 and data[0] & 0xF0 == 0x90 and data[2])
    perf.hanging_notes = hanging_notes(midi)
    perf.check(max_late=max_late)
    return perf


def _lost(message: str) -> bool:
    """True for the session's message about a lost engine (an engine process that died, a JACK
    server that stopped).

    >>> _lost("audio: the engine process died (exit code -11) (session state kept; ...)")
    True
    """
    return "engine process died" in message or "engine lost" in message or "reconnect_audio()" in message


def _trace_late(perf: Performance, index: int, code: str, session: Any, stats: dict[str, Any],
                late_seen: tuple[int, int]) -> tuple[int, int]:
    """Note in `perf.late_lines` the line after which late events appeared, which side counted
    them (the scheduler sent them after their time, or the engine received them after it) and
    the engine's latest (track, frames late)."""
    counts = (session.scheduler.stats.late, int(stats.get("late", 0)))
    if counts != late_seen:
        perf.late_lines.append(f"line {index}: {code!r}: scheduler +{counts[0] - late_seen[0]}, "
                               f"engine +{counts[1] - late_seen[1]} (latest {stats.get('late_last')}; notes that waited "
                               f"for a pool: {stats.get('waited')}, latest {stats.get('waited_last')})")
    return counts


def sample_kit(folder: Path) -> Path:
    """A kit `simkit` of two short tones under `folder` (for `load_samples`)."""
    import scipy.io.wavfile as wavfile

    kit = folder / "simkit"
    kit.mkdir(parents=True, exist_ok=True)
    t = np.arange(4800) / 48000
    for index, freq in enumerate((440.0, 880.0)):
        wave = (0.4 * np.sin(2 * math.pi * freq * t) * np.hanning(len(t))).astype(np.float32)
        wavfile.write(kit / f"{index:02d}.wav", 48000, wave)
    return folder


def peak_rss_mb() -> float:
    """This process's peak RSS in MB (for the soak report)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def master_gaps(levels: np.ndarray, spans: list[tuple[int, int]], window: int = 12000) -> list[tuple[float, float]]:
    """Windows of `window` frames inside `spans` (frame ranges where the reference must sound)
    whose loudest sample is below -60 dBFS: where the music went silent.

    >>> levels = np.concatenate([np.full(48000, 0.5), np.zeros(24000), np.full(48000, 0.5)])
    >>> master_gaps(levels.astype(np.float32), [(0, len(levels))])
    [(1.0, 1.25), (1.25, 1.5)]
    """
    gaps = []
    for begin, end in spans:
        for start in range(begin, end - window + 1, window):
            if float(levels[start:start + window].max(initial=0.0)) < 1e-3:
                gaps.append((start / 48000, (start + window) / 48000))
    return gaps


def perform_in_repl(lines: list[Line], seed: int, env: dict[str, str], *, gap: float = 1.0,
                    max_late: int = 0) -> Performance:
    """Type `lines` into the real `livecode` REPL in a pseudo-terminal on the JACK server of
    `env`, `gap` seconds apart, and check what a performer sees and hears: finite audio, no
    silent stretch while the reference should play, a REPL that answers after every line, a
    status bar with no late event, no MIDI note left sounding after exit."""
    import shutil
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "livecode"))   # tests/livecode/repl_support.py
    from repl_support import Terminal

    perf = Performance(seed, lines)
    argv = [shutil.which("livecode") or str(Path(sys.executable).parent / "livecode"), "--audio", "jack"]
    terminal = Terminal(argv, env=env, cols=160)
    capture: JackCapture | None = None
    started = time.monotonic()
    spans: list[tuple[int, int]] = []
    try:
        terminal.wait_text("lc>", timeout=40)
        capture = _capture("livecode")
        reference_from: int | None = None
        for line in lines:
            terminal.send(line.code.replace("\n", "\r") + "\r")
            if line.reference == "stops" and reference_from is not None:
                spans.append((reference_from, capture.frames))
                reference_from = None
            elif line.reference == "plays":
                reference_from = capture.frames + int(SETTLE * 48000)
            terminal.pump(gap)
        terminal.send("1 + 41\r")
        text = terminal.wait_text("42", timeout=15)
        if "Traceback" in text or "internal error" in text:
            perf.unexpected.append("the REPL printed a traceback or an internal error")
        status = terminal.status_line()
        late = [int(part.split()[1]) for part in status.split("  ") if part.startswith("late ")]
        xruns = [int(part.split()[1]) for part in status.split("  ") if part.startswith("xruns ")]
        perf.late = late[0] if late else -1
        perf.xruns = xruns[0] if xruns else 0
        if not late:
            perf.unexpected.append(f"no late counter on the status bar: {status!r}")
        if reference_from is not None:
            spans.append((reference_from, capture.frames))
        terminal.send("\x04")                                   # Ctrl-D: exit cleanly
        terminal.wait_exit(timeout=20)
    finally:
        terminal.close()
        time.sleep(0.3)
        if capture is not None:
            capture.close()
    assert capture is not None
    recording = capture.close()
    perf.seconds = time.monotonic() - started
    perf.frames = recording.frames
    perf.nonfinite = recording.nonfinite
    levels = recording.concatenated()
    perf.gaps = master_gaps(levels, [(b, min(e, len(levels))) for b, e in spans if e > b])
    midi = _midi(recording)
    perf.notes_sent = sum(1 for _, data in midi if len(data) == 3 and data[0] & 0xF0 == 0x90 and data[2])
    perf.hanging_notes = hanging_notes(midi)
    perf.check(max_late=max_late)
    return perf
