"""A JACK audio (and MIDI) capture for live tests, in a process of its own.

A JACK client's Python callback in the test's process waits for the GIL behind the session's
scheduler and evaluations; JACK runs synchronously (`jackd -S`), so a callback that waits longer
than a period stalls the whole graph: a missed cycle the engine never caused. The capture
therefore runs in a spawned process: it connects the first `channels` audio outputs of `source`
to its inputs, keeps every block with the JACK frame of its first sample (`last_frame_time`),
and, with `midi="CLIENT:PORT"`, a MIDI input of that name (on the capture's own client when
CLIENT is its `name`, else on a second client CLIENT) keeps every event with its exact frame and
the wall time (`time.monotonic()`) of the cycle it arrived in. `close()` stops it
and returns a `Recording`.

Usage (not run as a doctest: it needs a JACK server)::

    capture = JackCapture("lc-l1", name="lc-l1-capture")    # blocks until connected
    ...                                                     # play
    recording = capture.close()
    first, audio = recording.placed()                       # left output, by JACK frame

>>> Recording(np.array([100, 356]), np.array([256, 256]), np.ones((1, 512), dtype=np.float32)).placed()[0]
100
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

__all__ = ["JackCapture", "MidiEvent", "Recording"]

MidiEvent = tuple[float, int, bytes]
"""(wall time of the cycle in `time.monotonic()` seconds, absolute JACK frame, message bytes)."""


@dataclass(frozen=True)
class Recording:
    """What a `JackCapture` recorded: block i has `lengths[i]` frames, the first at JACK frame
    `starts[i]`; `audio` (channels, frames) holds the blocks back to back as they arrived (with
    `peaks`, one row: each frame's largest magnitude over the channels, non-finite samples as 0);
    `nonfinite` counts the NaN and infinite samples; `midi` the events of the MIDI client.

    >>> rec = Recording(np.array([0, 4, 12]), np.array([4, 4, 4]), np.arange(12, dtype=np.float32)[None, :])
    >>> first, audio = rec.placed()
    >>> first, audio.tolist()
    (0, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 0.0, 0.0, 0.0, 0.0, 8.0, 9.0, 10.0, 11.0])
    >>> rec.concatenated().tolist()[-4:]
    [8.0, 9.0, 10.0, 11.0]
    """

    starts: np.ndarray
    lengths: np.ndarray
    audio: np.ndarray
    nonfinite: int = 0
    midi: list[MidiEvent] = field(default_factory=list)

    @property
    def frames(self) -> int:
        """Frames captured (blocks back to back)."""
        return int(self.audio.shape[1])

    def concatenated(self, channel: int = 0) -> np.ndarray:
        """One channel, its blocks back to back (a cycle the capture missed is simply absent)."""
        return self.audio[channel]

    def placed(self, channel: int = 0) -> tuple[int, np.ndarray]:
        """(JACK frame of the first sample, one channel with each block at its JACK frame): a cycle
        the capture missed (an xrun under load) leaves zeros in place instead of shifting what
        follows."""
        if not len(self.starts):
            return 0, np.zeros(0, dtype=self.audio.dtype)
        first = int(self.starts[0])
        audio = np.zeros(int(self.starts[-1]) - first + int(self.lengths[-1]), dtype=self.audio.dtype)
        begin = 0
        for start, length in zip(self.starts.tolist(), self.lengths.tolist()):
            audio[start - first:start - first + length] = self.audio[channel, begin:begin + length]
            begin += length
        return first, audio


class JackCapture:
    """Record the first `channels` audio outputs of the JACK client `source` (and, with `midi`,
    the MIDI sent to that input port, "CLIENT:PORT") in a spawned process; JACK_DEFAULT_SERVER (or
    `servername`) names the server. `frames` is live; `close()` returns the `Recording`."""

    def __init__(self, source: str, *, name: str = "lc-capture", channels: int = 1, peaks: bool = False,
                 midi: str | None = None, servername: str | None = None, timeout: float = 20.0) -> None:
        if midi is not None and (midi.count(":") != 1 or not all(midi.split(":"))):
            raise ValueError(f"JackCapture: midi={midi!r} must be a port name 'CLIENT:PORT'")
        context = multiprocessing.get_context("spawn")
        self._folder = Path(tempfile.mkdtemp(prefix="lc-jackcapture-"))
        self._frames = context.Value("q", 0)
        self._stop = context.Event()
        self._recording: Recording | None = None
        ready = context.Event()
        options = {"source": source, "name": name, "channels": channels, "peaks": peaks, "midi": midi,
                   "servername": servername, "folder": str(self._folder)}
        self._process = context.Process(target=_capture_main, daemon=True,
                                        args=(options, self._frames, self._stop, ready))
        self._process.start()
        failure = self._folder / "error.txt"
        if not ready.wait(timeout) or failure.exists():
            self._process.kill()
            self._process.join(5.0)
            why = failure.read_text() if failure.exists() else f"it did not connect to JACK in {timeout} s"
            self._cleanup()
            raise RuntimeError(f"JACK capture of {source!r}: {why}")

    @property
    def frames(self) -> int:
        """Frames captured so far."""
        return int(self._frames.value)

    def close(self) -> Recording:
        """Stop capturing and return what was captured (idempotent)."""
        if self._recording is not None:
            return self._recording
        self._stop.set()
        self._process.join(20.0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5.0)
        saved = self._folder / "capture.npz"
        if not saved.exists():
            self._cleanup()
            raise RuntimeError("the JACK capture process ended without saving what it captured")
        with np.load(saved) as data:
            midi = [(float(when), int(frame), bytes.fromhex(str(raw)))
                    for when, frame, raw in zip(data["midi_when"], data["midi_frame"], data["midi_data"])]
            self._recording = Recording(data["starts"], data["lengths"], data["audio"], int(data["nonfinite"]), midi)
        self._cleanup()
        return self._recording

    def _cleanup(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> JackCapture:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _capture_main(options: dict[str, Any], frames: Any, stop: Any, ready: Any) -> None:
    """The capture process: record until `stop` is set, then save everything to one .npz file."""
    folder = Path(options["folder"])
    try:
        _record(options, frames, stop, ready)
    except Exception as error:  # reported to the test's process, which raises it as one line
        (folder / "error.txt").write_text(f"{type(error).__name__}: {error}")
        ready.set()
        raise


def _midi_reader(client: Any, port_name: str, into: list[MidiEvent]) -> Callable[[], None]:
    """A MIDI input `port_name` on `client` and the function its process callback calls."""
    port = client.midi_inports.register(port_name)

    def read() -> None:
        now, base = time.monotonic(), client.last_frame_time
        for offset, data in port.incoming_midi_events():
            into.append((now, base + offset, bytes(data)))

    return read


def _record(options: dict[str, Any], frames: Any, stop: Any, ready: Any) -> None:
    import jack  # JACK-Client: only the capture process needs libjack

    peaks: bool = options["peaks"]
    starts: list[int] = []
    lengths: list[int] = []
    blocks: list[np.ndarray] = []
    midi: list[MidiEvent] = []
    nonfinite = 0
    client = jack.Client(options["name"], servername=options["servername"], no_start_server=True)
    ports = [client.inports.register(f"in_{i + 1}") for i in range(options["channels"])]

    def process(count: int) -> None:
        nonlocal nonfinite
        starts.append(client.last_frame_time)
        lengths.append(count)
        block = np.stack([port.get_array() for port in ports])
        finite = np.isfinite(block)
        if not finite.all():
            nonfinite += int((~finite).sum())
        blocks.append(np.abs(np.where(finite, block, 0.0)).max(axis=0, keepdims=True) if peaks else block)
        frames.value += count

    clients = [client]
    read_midi: Callable[[], None] = lambda: None
    if options["midi"]:
        midi_name, midi_port = options["midi"].split(":")
        if midi_name != options["name"]:               # a client of its own, with its own callback
            clients.append(jack.Client(midi_name, servername=options["servername"], no_start_server=True))
            read_other = _midi_reader(clients[1], midi_port, midi)
            clients[1].set_process_callback(lambda count: read_other())
        else:
            read_midi = _midi_reader(client, midi_port, midi)

    def process_all(count: int) -> None:
        process(count)
        read_midi()

    client.set_process_callback(process_all)
    for each in clients:
        each.activate()
    outputs = client.get_ports(f"{options['source']}:", is_output=True, is_audio=True)
    if len(outputs) < len(ports):
        raise RuntimeError(f"{options['source']!r} has {len(outputs)} audio outputs, not {len(ports)}")
    for port_out, port_in in zip(outputs, ports):
        client.connect(port_out, port_in)
    ready.set()
    stop.wait()
    for each in clients:
        each.deactivate()
        each.close()
    audio = np.concatenate(blocks, axis=1) if blocks else np.zeros((1 if peaks else len(ports), 0), np.float32)
    np.savez(Path(options["folder"]) / "capture.npz", starts=np.array(starts, dtype=np.int64),
             lengths=np.array(lengths, dtype=np.int64),
             audio=audio.astype(np.float32), nonfinite=nonfinite,
             midi_when=np.array([m[0] for m in midi], dtype=np.float64),
             midi_frame=np.array([m[1] for m in midi], dtype=np.int64),
             midi_data=np.array([m[2].hex() for m in midi], dtype=str))
