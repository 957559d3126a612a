"""MIDI timing: the rtmidi path next to the JACK-native path, and keyboard-to-sound latency.

Run: nice -n 5 .venv/bin/python benchmarks/bench_midi_paths.py [--seconds 30] [--periods 256 64]

On a private JACK dummy server (48 kHz, each period size in turn):

1. Output timing: 16th notes at 120 BPM for `--seconds`, sent by
   * rtmidi through its JACK API (`RtMidiOut(api="jack")`: a dispatcher thread sends each
     message when due, rtmidi's JACK backend writes it at frame 0 of the next period), and
   * livecode's JACK-native port (`JackMidiOut`: each message at its frame inside the period).
   A JACK capture client stamps each note-on with its frame; the grid error of note k is its
   frame minus (k x 6000 frames), minus the median of those (the fixed offset is latency, not
   jitter): p50/p99/max of |error| in ms; the spacing error is each gap between successive
   notes minus 6000 frames (a re-anchor of the JACK port's frame clock, when the dummy driver
   falls behind the wall clock, moves every later note on the grid but only one spacing).
2. Keyboard to sound: a session on the same server (engine process, JACK audio) plays d1 from
   `keys(d1, sound="sine")`; a JACK MIDI sender writes a note-on at a known frame, a capture
   client finds the first non-zero sample of the engine's output: latency = onset frame - note
   frame, over 20 notes (livecode schedules the voice one engine block after the note's frame,
   so the voice starts on an exact sample; two JACK periods are printed for scale).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections import deque
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from livecode.midi.jack_clients import close_client, open_client  # noqa: E402
from livecode.midi.jack_out import JackMidiOut  # noqa: E402
from livecode.midi.rtmidi_out import RtMidiOut  # noqa: E402
from livecode.session import Session  # noqa: E402
from tests.jackserver import JackServer  # noqa: E402
from tests.midicapture import MidiCapture  # noqa: E402

__all__ = ["output_timing", "keyboard_latency", "main"]

STEP = 0.125          # a 16th at 120 BPM


def _stats(errors_frames: list[int], rate: int) -> dict[str, float]:
    ms = sorted(abs(e) * 1000.0 / rate for e in errors_frames)
    return {"n": len(ms), "p50": statistics.median(ms), "p99": ms[min(len(ms) - 1, int(0.99 * len(ms)))],
            "max": ms[-1], "off": sum(1 for e in errors_frames if abs(e) > 0)}


def output_timing(path: str, server: JackServer, seconds: float) -> dict[str, float]:
    """Send 16ths for `seconds` through `path` ("rtmidi" or "jack"); errors against the grid."""
    if path == "rtmidi":
        port = RtMidiOut("lc-bench-rt", api="jack", virtual=True, client_name="lc-bench-rt")
        source = "lc-bench-rt"
    else:
        port = JackMidiOut("out", client_name="lc-bench-jack")
        source = "lc-bench-jack:out"
    with MidiCapture(server.name, f"lc-bench-cap-{path}") as cap:
        client_ports = [p.name for p in cap.client.get_ports(is_midi=True, is_output=True) if source in p.name]
        cap.connect_from(client_ports[0])
        time.sleep(0.2)
        count = int(seconds / STEP)
        t0 = time.monotonic() + 0.3
        for k in range(count):                      # queued ahead, as the scheduler does (lookahead)
            when = t0 + k * STEP
            time.sleep(max(0.0, when - 0.1 - time.monotonic()))
            port.note(1, 60, 100, when, STEP / 2)
        events = cap.wait_for(2 * count, timeout=seconds + 2.0)
    reanchors = port.reanchors if isinstance(port, JackMidiOut) else 0
    port.close()
    ons = [frame for frame, data in events if data[0] == 0x90 and data[2] > 0][:count]
    grid = round(STEP * server.rate)
    raw = [frame - ons[0] - k * grid for k, frame in enumerate(ons)]
    offset = int(statistics.median(raw))
    ioi = [b - a - grid for a, b in zip(ons, ons[1:])]
    spacing = sorted(abs(e) * 1000.0 / server.rate for e in ioi)
    return {**_stats([r - offset for r in raw], server.rate), "reanchors": reanchors,
            "ioi_p99": spacing[min(len(spacing) - 1, int(0.99 * len(spacing)))], "ioi_off": sum(1 for e in ioi if e)}


class _Sender:
    def __init__(self) -> None:
        self.client = open_client("lc-bench-kb")
        self.port = self.client.midi_outports.register("out")
        self.queue: deque[tuple[int, ...]] = deque()
        self.sent: list[int] = []
        self.client.set_process_callback(self._process)
        self.client.activate()

    def _process(self, frames: int) -> None:
        self.port.clear_buffer()
        while self.queue:
            self.port.write_midi_event(0, bytes(self.queue.popleft()))
            self.sent.append(self.client.last_frame_time)


class _AudioCapture:
    def __init__(self, source: str) -> None:
        self.client = open_client("lc-bench-audio")
        self.port = self.client.inports.register("in")
        self.chunks: list[tuple[int, np.ndarray]] = []
        self._lock = threading.Lock()
        self.client.set_process_callback(self._process)
        self.client.activate()
        self.client.connect(self.client.get_ports(f"{source}:", is_output=True, is_audio=True)[0], self.port)

    def _process(self, frames: int) -> None:
        with self._lock:
            self.chunks.append((self.client.last_frame_time, self.port.get_array().copy()))

    def onset_after(self, frame: int) -> int | None:
        with self._lock:
            chunks = list(self.chunks)
        for start, data in chunks:
            if start + len(data) <= frame:
                continue
            loud = np.nonzero(np.abs(data) > 1e-4)[0]
            loud = loud[start + loud >= frame]
            if len(loud):
                return int(start + loud[0])
        return None


def keyboard_latency(server: JackServer, notes: int = 20) -> dict[str, float]:
    """Note-on frame at the sender to the first sample of sound at the engine's output."""
    session = Session.create(audio="jack", bpm=120, engine_options={"jackname": "lc-bench-eng"})
    sender = _Sender()
    capture = _AudioCapture("lc-bench-eng")
    latencies: list[int] = []
    try:
        session.outputs.send_param("master", "mix", 0.0, None)
        session.start()
        assert session.evaluate('midi_in("lc-bench-kb")').ok
        assert session.evaluate('keys(d1, sound="sine")').ok
        time.sleep(0.5)
        for _ in range(notes):
            sender.queue.append((0x90, 69, 110))
            time.sleep(0.15)
            sender.queue.append((0x80, 69, 0))
            time.sleep(0.25)                        # let the note fade to silence
            note_frame = sender.sent[-2]
            onset = capture.onset_after(note_frame)
            if onset is not None:
                latencies.append(onset - note_frame)
    finally:
        close_client(capture.client)
        close_client(sender.client)
        session.close()
    ms = sorted(f * 1000.0 / server.rate for f in latencies)
    return {"n": len(ms), "p50": statistics.median(ms), "min": ms[0], "max": ms[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--periods", type=int, nargs="+", default=[256, 64])
    args = parser.parse_args()
    print(f"# MIDI paths, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, 16ths at 120 BPM for {args.seconds:g} s")
    print("| period | path | notes | grid error p50 ms | p99 ms | max ms | notes off the grid | spacing error p99 ms "
          "| spacings not exact | re-anchors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    latency_rows = []
    for period in args.periods:
        with JackServer(rate=48000, period=period) as server:
            os.environ["JACK_DEFAULT_SERVER"] = server.name
            for path in ("rtmidi", "jack"):
                row = output_timing(path, server, args.seconds)
                label = "rtmidi (JACK API)" if path == "rtmidi" else "JACK-native (JackMidiOut)"
                print(f"| {period} | {label} | {row['n']} | {row['p50']:.2f} | {row['p99']:.2f} | {row['max']:.2f} "
                      f"| {row['off']} | {row['ioi_p99']:.2f} | {row['ioi_off']} "
                      f"| {row['reanchors'] if path == 'jack' else '-'} |", flush=True)
            latency_rows.append((period, keyboard_latency(server), 2 * period * 1000.0 / server.rate))
    print()
    print("| period | keyboard to sound p50 ms | min | max | notes | two periods, for scale (ms) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for period, row, floor in latency_rows:
        print(f"| {period} | {row['p50']:.1f} | {row['min']:.1f} | {row['max']:.1f} | {row['n']} | {floor:.1f} |")


if __name__ == "__main__":
    main()
