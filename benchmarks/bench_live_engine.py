"""The live engine on JACK, side by side with raw pyo (issue 8): xruns, CPU per process and per
thread, late events, MIDI timing while audio runs, and the cost of silence.

Every measure runs on one private JACK dummy server (`jackd -S -d dummy -r 48000 -p PERIOD`),
one program at a time, in this order:

1. `xruns`: `livecode play examples/kpop.py` and `benchmarks/raw_pyo_set.py` (the same DSP,
   hand-written pyo, replaying the same notes: the set's engine calls taken offline first) for
   `--seconds` each; xruns counted by a JACK client's xrun callback after a
   3 s settle; CPU of every process and thread from /proc; the offline render of the same bars
   (`livecode render`) for the CPU cost of the same audio.
2. `midi`: a set of the K-pop tracks plus a MIDI track of 16ths at 120 BPM to a JACK-Client
   capture port (tests/jackcapture.py, a process of its own), with the engine (`--audio jack`)
   and without (`--audio none`), then the MIDI track sent while the set plays, then a plain
   python-rtmidi loop (the anchor): inter-onset error p50/p99/max on the frame clock (JACK frame
   of each event) and on the wall clock (the capture's cycle).
3. `dense`: 16 dense tracks through the session API: late events at the first swap, xruns.
4. `hush`: engine CPU with 16 tracks playing, one to four and four to seven seconds after `hush()`, and for an
   empty session; pyo's streams and the objects still to free one second after `hush()`, xruns after it.
5. `capacity` (only when asked): how many tracks of each instrument family play with no xrun,
   livecode against `raw_pyo_set.py` playing the same tracks' notes.

Every result line ends with the 1-minute load average when it was taken (the machine is shared).

    .venv/bin/python benchmarks/bench_live_engine.py --seconds 60 --period 256 [--rounds 4] [--only xruns,midi]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "tests"))

import numpy as np  # noqa: E402

from jackcapture import JackCapture, Recording  # noqa: E402
from jackserver import JackServer  # noqa: E402

# this checkout's livecode (the venv's `livecode` script imports the checkout it was installed from)
LIVECODE = [sys.executable, "-c", "import sys; from livecode.cli import main; sys.exit(main())"]
RAW = str(ROOT / "benchmarks" / "raw_pyo_set.py")
TICKS = os.sysconf("SC_CLK_TCK")
DENSE = [
    's("bd*8").bank("808")', 's("~ cp ~ cp").bank("808")', 's("hh*16").bank("808").gain(0.5)',
    's("[~ oh]*4").bank("909")', 'note("<a1 f1 c2 g1>*4").s("bass808")',
    'chord("<Am F C G>").voicing().struct("x x x x x x x x").s("supersaw")',
    'note("<[e5 c5 d5 e5 g5 e5 c5 a4]>*2").s("pluck")', 's("bd(5,8)").bank("909")', 's("rim(5,8,2)*2")',
    'n("0 2 4 7 9 7 4 2").scale("C:minor").s("lead").fast(2)', 'note("c3 e3 g3 b3").arp("updown").s("epiano").fast(2)',
    's("hh(7,16)").jux(rev)', 'note("<c2 eb2>*8").s("sub")', 's("sd*8").degradeBy(0.3)',
    'n(run(8)).scale("E:minor:pentatonic").s("bell").fast(2)', 'chord("<Cm7 Ab^7>").voicing().struct("x*4").s("pad")',
]


# -- measuring -------------------------------------------------------------------------------
def _family(pid: int) -> list[int]:
    """`pid` and its descendants."""
    found = [pid]
    for child in _children(pid):
        found.extend(_family(child))
    return found


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out.extend(int(x) for x in handle.read().split())
    except OSError:
        pass
    return out


def _threads(pid: int) -> dict[str, float]:
    """CPU seconds used so far by each thread of `pid`, by 'name/tid'."""
    out: dict[str, float] = {}
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/task/{task}/comm") as handle:
                name = handle.read().strip()
            out[f"{name}/{task}"] = (int(fields[11]) + int(fields[12])) / TICKS
    except OSError:
        pass
    return out


@contextmanager
def cpu_watch(root: int, into: dict[str, object]) -> Iterator[None]:
    """CPU of `root`'s process family over the block: per process and its busiest threads, in
    percent of one core."""
    pids = _family(root)
    before = {pid: _threads(pid) for pid in pids}
    start = time.monotonic()
    yield
    wall = time.monotonic() - start
    for pid in pids:
        after = _threads(pid)
        used = {name: after[name] - before[pid].get(name, 0.0) for name in after}
        label = _command(pid)
        into[label] = {
            "process": round(100 * sum(used.values()) / wall, 1),
            "threads": sorted(((round(100 * v / wall, 1), k) for k, v in used.items() if v > 0), reverse=True)[:4],
        }


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            parts = handle.read().split(b"\0")
    except OSError:
        return str(pid)
    text = " ".join(p.decode(errors="replace") for p in parts if p)
    if "spawn_main" in text:
        return f"engine process ({pid})"
    return f"{Path(parts[0].decode()).name} {' '.join(p.decode() for p in parts[1:3] if p)} ({pid})"[:60]


class Xruns:
    """Counts xruns through a JACK client's xrun callback."""

    def __init__(self) -> None:
        import jack

        self.count = 0
        self.client = jack.Client("bench-xruns", no_start_server=True)
        self.client.set_xrun_callback(self._on_xrun)
        self.client.activate()

    def _on_xrun(self, delay: float) -> None:
        self.count += 1

    def close(self) -> None:
        self.client.deactivate()
        self.client.close()


def _load() -> str:
    """The load average now, for the end of a result line."""
    one, five, _ = os.getloadavg()
    return f"[load {one:.2f}/{five:.2f}]"


def raw_events(set_file: str, bars: int, out: Path, env: dict[str, str]) -> Path:
    """The set's engine calls for `bars`, taken offline (raw_pyo_set.py events), in `out`."""
    for attempt in (1, 2):
        done = subprocess.run([sys.executable, RAW, "events", set_file, "--bars", str(bars), "-o", str(out)], env=env,
                              capture_output=True, text=True)
        if done.returncode == 0:
            return out
        print(f"raw_pyo_set.py events failed (attempt {attempt}, exit {done.returncode}): "
              f"{done.stderr.strip().splitlines()[-3:]}", flush=True)
    raise RuntimeError(f"raw_pyo_set.py events {set_file} failed twice")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


# -- 1. xruns and CPU ------------------------------------------------------------------------
def _play_for(cmd: list[str], seconds: float, env: dict[str, str]) -> dict[str, object]:
    result: dict[str, object] = {"before": _load()}
    xruns = Xruns()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        time.sleep(4.0)                                       # boot and settle
        counted = xruns.count
        cpu: dict[str, object] = {}
        with cpu_watch(proc.pid, cpu):
            time.sleep(seconds)
        result["xruns"] = xruns.count - counted
        result["cpu"] = cpu
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=60)
        xruns.close()
    result["output"] = [line for line in (out or "").strip().splitlines() if not line.startswith("ALSA")][-1:]
    return result


def bench_xruns(seconds: float, env: dict[str, str], rounds: int = 1) -> None:
    """livecode and raw pyo playing the K-pop example, `seconds` each, in `rounds` alternating
    slices (on a shared machine both then meet the same other load), and the offline render."""
    bars = int(seconds / rounds / (240 / 124)) + 8
    slice_seconds = seconds / rounds
    lives: list[dict[str, object]] = []
    raws: list[dict[str, object]] = []
    render_bars = int(seconds / (240 / 124))
    audio_seconds = render_bars * 240 / 124
    with tempfile.TemporaryDirectory() as folder:
        events = raw_events("examples/kpop.py", max(bars, render_bars), Path(folder) / "kpop.json", env)
        for _ in range(rounds):
            lives.append(_play_for([*LIVECODE, "play", "examples/kpop.py", "--bars", str(bars), "--audio", "jack"],
                                   slice_seconds, env))
            lives[-1]["load"] = _load()
            raws.append(_play_for([sys.executable, RAW, "play", str(events), str(slice_seconds + 10)], slice_seconds, env))
            raws[-1]["load"] = _load()
        offline = {
            "livecode": _offline_pct("livecode render", [*LIVECODE, "render", "examples/kpop.py", "-o",
                                     f"{folder}/k.wav", "--bars", str(render_bars), "--tail", "0"],
                                     audio_seconds, env),
            "raw": _offline_pct("raw_pyo_set.py render", [sys.executable, RAW, "render", str(events),
                                f"{folder}/raw.wav", "--seconds", f"{audio_seconds:.3f}"], audio_seconds, env),
        }
    for label, results in (("livecode play examples/kpop.py", lives), ("raw pyo (raw_pyo_set.py)", raws)):
        counts = [int(r["xruns"]) for r in results]  # type: ignore[call-overload]
        print(f"\n{label}: xruns {sum(counts)} in {seconds:.0f} s (slices {counts})  {results[-1]['output']}")
        for result in results:
            print(f"  slice: xruns {result['xruns']}, load before {result['before']} after {result['load']}")
            for proc, info in result["cpu"].items():  # type: ignore[union-attr]
                print(f"    {proc}: {info['process']} % of a core; threads {info['threads']}")
    print()
    for label, results, key, name in (("livecode", lives, "livecode", "engine process"),
                                      ("raw pyo", raws, "raw", "raw_pyo_set.py play")):
        live = [float(info["process"]) for r in results                   # type: ignore[union-attr]
                for proc, info in r["cpu"].items() if name in proc]       # type: ignore[union-attr]
        if live:
            print(f"live / offline, {label}: {min(live):.1f}-{max(live):.1f} % against {offline[key]:.1f} % = "
                  f"{min(live) / offline[key]:.2f}-{max(live) / offline[key]:.2f}x")


def _offline_pct(label: str, cmd: list[str], audio_seconds: float, env: dict[str, str]) -> float:
    """Run an offline render; print and return its CPU as % of a core per second of audio."""
    start = time.monotonic()
    usage_before = os.times()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    usage = os.times()
    cpu = (usage.children_user - usage_before.children_user) + (usage.children_system - usage_before.children_system)
    pct = 100 * cpu / audio_seconds
    print(f"offline, {label} ({audio_seconds:.0f} s of audio): {cpu:.1f} s CPU in {time.monotonic() - start:.1f} s "
          f"wall = {pct:.1f} % of a core per second of audio {_load()}")
    return pct


# -- 2. MIDI timing --------------------------------------------------------------------------
MIDI_LINE = 'd9 >> note("c4*16").legato(0.25).midi("benchmidi")'
RTMIDI_LOOP = """
import sys, time
import rtmidi
out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, name="bench-rtmidi")
out.open_port([i for i, n in enumerate(out.get_ports()) if "benchmidi" in n][0])
seconds, start = float(sys.argv[1]), time.monotonic() + 0.5
for step in range(int(seconds * 8)):
    time.sleep(max(0.0, start + step * 0.125 - time.monotonic()))
    out.send_message([0x90, 60, 100])
    out.send_message([0x80, 60, 0])
out.close_port()
"""


def _midi_capture() -> JackCapture:
    """The shared out-of-process JACK capture (tests/jackcapture.py) with a MIDI input
    "benchmidi:in"; its audio input records the dummy driver's silent `system` capture."""
    return JackCapture("system", name="benchmidi", peaks=True, midi="benchmidi:in")


def _midi_line(label: str, recording: Recording, extra: str = "") -> None:
    """IOI error of the note-ons `recording` got (16ths at 120 BPM: 6000 frames, 125 ms)."""
    starts = recording.starts                                     # the JACK frame of each cycle
    events = [(frame, when + (frame - int(starts[max(0, np.searchsorted(starts, frame, "right") - 1)])) / 48000)
              for when, frame, data in recording.midi
              if len(data) == 3 and data[0] & 0xF0 == 0x90 and data[2] > 0]
    frame_err = [abs((b[0] - a[0]) - 6000) / 48.0 for a, b in zip(events, events[1:])]
    wall_err = [abs((b[1] - a[1]) - 0.125) * 1000 for a, b in zip(events, events[1:])]
    first = frame_err[:8]
    print(f"\nMIDI 16ths at 120 BPM, {label}: {len(events)} notes; IOI error (ms) frame clock "
          f"p50 {_pct(frame_err, 0.5):.3f} p99 {_pct(frame_err, 0.99):.3f} max {max(frame_err, default=0):.3f}; "
          f"wall clock (capture cycle) p50 {_pct(wall_err, 0.5):.2f} p99 {_pct(wall_err, 0.99):.2f} "
          f"max {max(wall_err, default=0):.2f}; first 8 IOIs (frame) max {max(first, default=0):.3f} {extra} {_load()}",
          flush=True)


def bench_midi(seconds: float, env: dict[str, str]) -> None:
    """MIDI 16ths to a JACK capture in its own process: `livecode play` of the K-pop set plus a
    MIDI track (`--audio jack`, and the MIDI track alone with `--audio none`); the same MIDI
    track sent to a session while the K-pop set plays (its port opens as the line is
    evaluated); and, as the anchor, a plain python-rtmidi sleep loop on JACK."""
    kpop = (ROOT / "examples" / "kpop.py").read_text().replace("bpm(124)", "bpm(120)")
    for audio, body in (("jack", kpop + MIDI_LINE + "\n"), ("none", "bpm(120)\n" + MIDI_LINE + "\n")):
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as handle:
            handle.write(body)
        capture = _midi_capture()
        bars = int(seconds / 2) + 4
        proc = subprocess.Popen([*LIVECODE, "play", handle.name, "--bars", str(bars), "--audio", audio], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(seconds + 4)
        proc.terminate()
        out, _ = proc.communicate(timeout=60)
        recording = capture.close()
        os.unlink(handle.name)
        _midi_line(f"livecode play --audio {audio}", recording, str(out.strip().splitlines()[-1:] if out else ""))
    bench_midi_live(seconds, kpop)
    capture = _midi_capture()
    subprocess.run([sys.executable, "-c", RTMIDI_LOOP, str(seconds)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _midi_line("anchor: plain python-rtmidi sleep loop (JACK)", capture.close())


def bench_midi_live(seconds: float, kpop: str) -> None:
    """The MIDI track sent while the K-pop set plays (the performer's case: a new MIDI track)."""
    from livecode.session import Session

    session = Session.create(audio="jack", engine_options={"jackname": "bench-midi-live"})
    capture = _midi_capture()
    try:
        assert session.evaluate(kpop).ok
        session.start()
        time.sleep(3.0)
        late_before = session.scheduler.stats.late
        session.scheduler.stats.max_tick_seconds = 0.0         # the longest tick from the MIDI line on
        sent = time.perf_counter()
        result = session.evaluate(MIDI_LINE)
        evaluated_ms = (time.perf_counter() - sent) * 1000
        time.sleep(seconds)
        stats = session.scheduler.stats
        port = session.outputs.ports.get("benchmidi")
        extra = (f"(evaluate {'ok' if result.ok else result.error} in {evaluated_ms:.0f} ms; scheduler late "
                 f"{stats.late - late_before}, longest tick since {stats.max_tick_seconds * 1000:.1f} ms; "
                 f"port late {getattr(port, 'late_count', None)})")
    finally:
        session.close()
        recording = capture.close()
    _midi_line("sent live while the K-pop set plays", recording, extra)


# -- 3/4. dense set and silence ----------------------------------------------------------------
def bench_dense_and_hush(seconds: float) -> None:
    from livecode.session import Session

    empty = Session.create(audio="jack", engine_options={"jackname": "bench-empty"})
    empty.start()
    time.sleep(2.0)
    pid = empty.engine.pid  # type: ignore[union-attr]
    cpu: dict[str, object] = {}
    with cpu_watch(pid, cpu):
        time.sleep(3.0)
    empty.close()
    empty_pct = next(iter(cpu.values()))["process"]  # type: ignore[index]

    session = Session.create(audio="jack", engine_options={"jackname": "bench-dense"})
    xruns = Xruns()
    try:
        session.start()
        time.sleep(1.0)
        code = "\n".join(f"d{i + 1} >> {pattern}" for i, pattern in enumerate(DENSE))
        counted = xruns.count
        result = session.evaluate(code)
        time.sleep(4.0)
        first_swap_late = session.status().late
        playing: dict[str, object] = {}
        pid = session.engine.pid  # type: ignore[union-attr]
        with cpu_watch(pid, playing):
            time.sleep(seconds)
        status = session.status()
        dense_xruns = xruns.count - counted
        streams_playing = session.engine.stats()["streams"]  # type: ignore[union-attr]
        before_hush = xruns.count
        session.hush()
        time.sleep(1.0)
        at_one_second = session.engine.stats()  # type: ignore[union-attr]
        silent: dict[str, object] = {}
        with cpu_watch(pid, silent):
            time.sleep(3.0)
        streams_silent = session.engine.stats()["streams"]  # type: ignore[union-attr]
        later: dict[str, object] = {}
        with cpu_watch(pid, later):                        # the reaper done with the pools
            time.sleep(3.0)
        hush_xruns = xruns.count - before_hush
    finally:
        xruns.close()
        session.close()
    raw = raw_set_xruns(code, seconds + 4, {**os.environ})
    playing_pct = next(iter(playing.values()))["process"]  # type: ignore[index]
    silent_pct = next(iter(silent.values()))["process"]  # type: ignore[index]
    later_pct = next(iter(later.values()))["process"]  # type: ignore[index]
    print(f"\n16 dense tracks ({'ok' if result.ok else result.error}): late at the first swap {first_swap_late}, "
          f"late in all {status.late}, xruns {dense_xruns} in {seconds + 4:.0f} s (raw pyo, the same notes: {raw}); "
          f"engine CPU "
          f"{playing_pct} % playing, {silent_pct} % from 1 s to 4 s after hush(), {later_pct} % from 4 s to 7 s, "
          f"empty session {empty_pct} % {_load()}; "
          f"pyo streams {streams_playing} playing, {streams_silent} after hush(); xruns in the 7 s after hush() {hush_xruns}; "
          f"1 s after hush(): {at_one_second['streams']} streams, {at_one_second['retired']} objects still to free; "
          f"threads after hush() {next(iter(silent.values()))['threads']}")  # type: ignore[index]


# -- 5. capacity per family --------------------------------------------------------------------
FAMILIES = {
    "drums (808 kit, 16ths)": 's("[bd hh sd hh]*4").bank("808")',
    "808 bass (8ths)": 'note("<a1 f1 c2 g1>*8").s("bass808")',
    "supersaw chords (8ths)": 'chord("<Am F C G>").voicing().struct("x*8").s("supersaw")',
    "pluck lead (16ths)": 'n("0 2 4 7 9 7 4 2").scale("C:minor").s("pluck").fast(2)',
    "epiano chords (8ths)": 'chord("<Cm7 Ab^7>").voicing().struct("x*8").s("epiano")',
}


def _xruns_with(tracks: int, pattern: str, seconds: float) -> int:
    """Xruns of a livecode session playing `tracks` tracks of `pattern`."""
    from livecode.session import Session

    session = Session.create(audio="jack", engine_options={"jackname": "bench-capacity"})
    xruns = Xruns()
    try:
        session.start()
        result = session.evaluate(_tracks_code(tracks, pattern))
        if not result.ok:
            raise RuntimeError(f"capacity: the set did not evaluate: {result.error}")
        time.sleep(3.0)                                           # creation and the first swap
        counted = xruns.count
        time.sleep(seconds)
        return xruns.count - counted
    finally:
        xruns.close()
        session.close()


def _raw_xruns(tracks: int, pattern: str, seconds: float, env: dict[str, str]) -> int:
    """Xruns of raw_pyo_set.py playing the notes of `tracks` tracks of `pattern`."""
    return raw_set_xruns(_tracks_code(tracks, pattern), seconds, env)


def _tracks_code(tracks: int, pattern: str) -> str:
    """`tracks` tracks playing `pattern` (named tracks: d1 .. d16 stop at 16)."""
    return "\n".join(f'track("c{i + 1}") >> {pattern}' for i in range(tracks))


def raw_set_xruns(code: str, seconds: float, env: dict[str, str]) -> int:
    """Xruns in `seconds` (after a 3 s settle) of raw_pyo_set.py playing the notes of the set
    `code` at 120 BPM (events taken offline first, not measured)."""
    with tempfile.TemporaryDirectory() as folder:
        set_file = Path(folder) / "tracks.py"
        set_file.write_text("bpm(120)\n" + code + "\n")
        bars = int((seconds + 6) / 2.0) + 2
        events = raw_events(str(set_file), bars, Path(folder) / "tracks.json", env)
        xruns = Xruns()
        proc = subprocess.Popen([sys.executable, RAW, "play", str(events), str(seconds + 4)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(3.0)                                       # boot, pools built, first notes
            counted = xruns.count
            time.sleep(seconds)
            return xruns.count - counted
        finally:
            proc.wait(timeout=60)
            xruns.close()


def bench_capacity(seconds: float, env: dict[str, str]) -> None:
    """Xruns in `seconds` for 4 .. 32 tracks of each family (after a 3 s settle), livecode and
    raw pyo playing the same notes: the dummy driver alone gives ~1-3 per minute here, so read
    the counts as a curve, not as a pass at zero."""
    steps = (4, 8, 16, 24, 32)
    print(f"\ncapacity: xruns in {seconds:.0f} s for " + ", ".join(str(n) for n in steps) + " tracks")
    for family, pattern in FAMILIES.items():
        for label, measure in (("livecode", partial(_xruns_with, pattern=pattern, seconds=seconds)),
                               ("raw pyo", partial(_raw_xruns, pattern=pattern, seconds=seconds, env=env))):
            counts = []
            for tracks in steps:
                counts.append(measure(tracks))
                if counts[-1] > 10:
                    break
            print(f"  {family}, {label}: " + ", ".join(f"{n}: {c}" for n, c in zip(steps, counts)) + f" {_load()}",
                  flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--period", type=int, default=256)
    parser.add_argument("--only", default="xruns,midi,dense")
    parser.add_argument("--rounds", type=int, default=1, help="xruns: alternate livecode and raw pyo in this many slices")
    parser.add_argument("--families", default="", help="capacity: only families whose name contains one of these (comma list)")
    args = parser.parse_args(argv)
    print(f"# bench_live_engine {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; jackd -S dummy 48 kHz / {args.period} frames")
    os.chdir(ROOT)
    with JackServer(period=args.period) as server:
        env = {**os.environ, "JACK_DEFAULT_SERVER": server.name}
        os.environ["JACK_DEFAULT_SERVER"] = server.name
        wanted = set(args.only.split(","))
        if "xruns" in wanted:
            bench_xruns(args.seconds, env, args.rounds)
        if "midi" in wanted:
            bench_midi(min(args.seconds, 30.0), env)
        if "dense" in wanted:
            bench_dense_and_hush(min(args.seconds, 20.0))
        if "capacity" in wanted:
            chosen = [f for f in args.families.split(",") if f]
            for name in [n for n in FAMILIES if chosen and not any(c in n for c in chosen)]:
                del FAMILIES[name]
            bench_capacity(min(args.seconds, 10.0), env)


if __name__ == "__main__":
    main()
