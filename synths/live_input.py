"""Live audio input: the engine's input channels as a track source, and takes recorded from them.

An engine booted with `inputs=N` (JACK capture ports `<name>:input_1..N`, or the PortAudio
input) opens N input channels. The input reaches a track as an instrument: `resolve("input=1")`
(or `"input=1,2"` for a stereo pair) gives an `InputVoice` class that passes the live input for
one segment (`input_count` samples from its onset, gated on the exact sample). livecode plays
one segment per cycle (`audio_in(1)`), so the input runs through the track's strip like any
source: chain, fader, sends, master; it is heard (monitored) while the pattern plays, and
`hush()` silences it. `InputBay` holds the `Input` objects the recorder taps.

A `TakeRecorder` writes the dry input (before the strip's effects) to a WAV file from engine
input frame `first` to `last`. The callback reads the input's ring every block and keeps only
the frames in that window, so the file starts on the exact sample whatever block the recording
was armed in. livecode asks for `first` = the punch-in bar's frame plus the round trip
(`round_trip`): what the performer heard left the engine that much earlier than it came back.
The file is flushed every few blocks with its header rewritten (`WavWriter`), so it stays a
valid WAV if the process dies.

>>> input_class("1,2").CHANNELS, input_class("2").NAME
((1, 2), 'input=2')
>>> round_trip(master=64, playback=256, capture=256)
576
>>> input_frame(timeline_frame=96000, latency=576)
96576
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from synths._pyo import pyo
from synths.errors import RecordingWriteError, TakeError
from synths.params import COMMON_VOICE_PARAMS, ParamSpec, ParamTable
from synths.recorder import Tap, WavWriter
from synths.voice import Voice

__all__ = ["InputBay", "TakeRecorder", "TakeState", "round_trip", "input_frame", "check_channels",
           "FLUSH_BLOCKS", "INPUT_PREFIX", "INPUT_PARAMS", "InputVoice", "input_class", "MAX_INPUTS"]

INPUT_PREFIX = "input="
"""An `s` name starting with this names live input channels: `input=1`, `input=1,2`."""

MAX_INPUTS = 64
"""The most input channels an engine opens."""

INPUT_PARAMS = COMMON_VOICE_PARAMS.extend(
    "input",
    [ParamSpec("input_count", 0.0, 0.0, float(1 << 24), "samples", "how many samples this segment passes")],
)

FLUSH_BLOCKS = 8
"""A take's file is flushed (header rewritten) every this many blocks."""


def round_trip(master: int, playback: int, capture: int) -> int:
    """Frames from a timeline frame to where its echo arrives at the input: the master's
    look-ahead, the output's playback latency and the input's capture latency (JACK ports).

    >>> round_trip(0, 0, 0)
    0
    """
    return int(master) + int(playback) + int(capture)


def input_frame(timeline_frame: int, latency: int) -> int:
    """The engine input frame that holds what was played in time with `timeline_frame`.

    >>> input_frame(1000, 0)
    1000
    """
    return int(timeline_frame) + int(latency)


def check_channels(channels: Sequence[int], available: int) -> tuple[int, ...]:
    """1-based input channels, checked against the engine's `available` inputs (one or two).

    >>> check_channels([1, 2], 2)
    (1, 2)
    >>> check_channels([3], 2)
    Traceback (most recent call last):
    ...
    synths.errors.TakeError: audio_in: channel 3 does not exist (the engine has 2 inputs: start livecode with --inputs N)
    """
    chans = tuple(channels)
    if not 1 <= len(chans) <= 2:
        raise TakeError(f"audio_in: give one or two input channels, got {len(chans)}")
    for chan in chans:
        if isinstance(chan, bool) or not isinstance(chan, int) or not 1 <= chan <= available:
            raise TakeError(f"audio_in: channel {chan!r} does not exist (the engine has {available} inputs: "
                            "start livecode with --inputs N)")
    return chans


@dataclass(slots=True)
class TakeState:
    """Where a take recording is: its file, the input frames it covers, what it wrote so far."""

    path: str
    first: int
    last: int | None
    frames: int
    done: bool
    error: str | None


class TakeRecorder:
    """Writes input frames [first, last) of a stereo pyo `source` to a WAV (mono: left only).

    `arm(now)` (in the callback, at a block start) drops what the ring held and starts counting
    frames at `now`; `tick()` (once per block, after) reads the new frames and keeps the window.
    """

    def __init__(self, source: Any, path: Path, sample_rate: int, channels: int, first: int,
                 last: int | None, sample_format: str = "float32") -> None:
        self.tap = Tap(source, sample_rate)
        self.writer = WavWriter(path, sample_rate, channels, sample_format)
        self.channels = channels
        self.first = int(first)
        self.last = None if last is None else int(last)
        self.position: int | None = None
        self.done = False
        self.error: RecordingWriteError | None = None
        self._blocks = 0

    def arm(self, now: int) -> None:
        """Start counting at engine frame `now` (what the ring held before is older: dropped)."""
        self.tap.read()
        self.position = int(now)

    def stop_at(self, last: int) -> None:
        """End the take at input frame `last` (punch out)."""
        self.last = int(last) if self.last is None else min(self.last, int(last))

    def tick(self) -> None:
        """Read the frames computed since the last tick; keep the window; flush now and then."""
        if self.done or self.position is None:
            return
        fresh = self.tap.read()
        start = self.position
        self.position = start + fresh.shape[0]
        low = max(self.first, start) - start
        high = fresh.shape[0] if self.last is None else min(self.last, self.position) - start
        if high > low:
            self.writer.write(fresh[low:high, : self.channels])
        self._blocks += 1
        finished = self.last is not None and self.position >= self.last
        if finished or self._blocks % FLUSH_BLOCKS == 0:
            self._flush()
        if finished:
            self.close()

    def _flush(self) -> None:
        try:
            self.writer.flush()
        except RecordingWriteError as exc:
            self.error = exc
            self.close()

    def close(self) -> None:
        """Stop tapping; the file keeps what was flushed (a valid WAV)."""
        if self.done:
            return
        self.done = True
        self.tap.stop()
        if self.error is None:
            self._flush()
        self.writer.abandon()

    def state(self) -> TakeState:
        """A snapshot for the caller (any thread)."""
        return TakeState(str(self.writer.path), self.first, self.last, self.writer.frames, self.done,
                         None if self.error is None else str(self.error))


class InputBay:
    """The engine's audio inputs: one pyo `Input` per channel, stereo views and one take recorder."""

    def __init__(self, channels: int) -> None:
        p = pyo()
        self.count = int(channels)
        self.inputs = [p.Input(chnl=index) for index in range(self.count)]
        self._views: dict[tuple[int, ...], Any] = {}
        self.recorder: TakeRecorder | None = None
        self.lock = threading.Lock()

    def stereo(self, channels: Sequence[int]) -> Any:
        """A 2-stream pyo signal of the 1-based `channels` (a mono channel on both sides)."""
        chans = check_channels(channels, self.count)
        view = self._views.get(chans)
        if view is None:
            sources = [self.inputs[c - 1] for c in chans]
            view = pyo().Sig(sources * 2 if len(sources) == 1 else sources)
            self._views[chans] = view
        return view

    def record(self, path: Path, channels: Sequence[int], sample_rate: int, first: int,
               last: int | None, sample_format: str = "float32") -> TakeRecorder:
        """A recorder of `channels` into `path` for input frames [first, last); arm it in the callback."""
        chans = check_channels(channels, self.count)
        with self.lock:
            if self.recorder is not None and not self.recorder.done:
                raise TakeError(f"record_take: a take is already recording ({self.recorder.writer.path.name})")
            recorder = TakeRecorder(self.stereo(chans), path, sample_rate, len(chans), first, last, sample_format)
            self.recorder = recorder
        return recorder

    def tick(self) -> None:
        """Once per block (in the callback): feed the armed recorder."""
        recorder = self.recorder
        if recorder is not None and not recorder.done:
            recorder.tick()


class InputVoice(Voice):
    """Passes the live input `CHANNELS` for `input_count` samples from the onset (one segment).

    >>> InputVoice.PARAMS["input_count"].unit
    'samples'
    """

    CHANNELS: ClassVar[tuple[int, ...]] = (1,)
    PARAMS: ClassVar[ParamTable] = INPUT_PARAMS

    def __init__(self, trig: Any, sr: float) -> None:
        super().__init__(trig, sr)
        p = pyo()
        self.count = p.Count(trig)                      # 0, 1, 2, ... from the onset sample
        self.stop = p.TrigVal(trig, value=0.0)          # latched at the onset, like a take's
        self.level = p.TrigVal(trig, value=0.0)
        self.gate = p.Compare(self.count, self.stop, "<") * self.level
        sources = [p.Input(chnl=chan - 1) for chan in self.CHANNELS]
        self.out = p.Sig(sources * 2 if len(sources) == 1 else sources, mul=self.gate)

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """Open the gate for `input_count` samples at `gain` x `velocity`."""
        self.stop.value = float(int(float(params.get("input_count", 0.0))))
        self.level.value = float(params.get("gain", 1.0)) * float(params.get("velocity", 1.0))

    def tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """The segment's length."""
        return float(params.get("input_count", 0.0)) / self.sr


def _parse_channels(spec: str) -> tuple[int, ...]:
    """`"1"` -> (1,), `"1,2"` -> (1, 2); a bad spec is one `TakeError` line."""
    try:
        chans = tuple(int(part) for part in spec.split(","))
    except ValueError:
        raise TakeError(f"audio_in: {spec!r} is not an input channel list (examples: 1, 1,2)") from None
    return check_channels(chans, MAX_INPUTS)


@functools.lru_cache(maxsize=64)
def _input_class(chans: tuple[int, ...]) -> type[InputVoice]:
    name = f"{INPUT_PREFIX}{','.join(str(c) for c in chans)}"
    return type(f"Input_{'_'.join(str(c) for c in chans)}", (InputVoice,), {"NAME": name, "CHANNELS": chans})


def input_class(spec: str) -> type[InputVoice]:
    """The voice class passing input channels `spec` ("1", "1,2"), one class per channel set.

    >>> input_class("x")
    Traceback (most recent call last):
    ...
    synths.errors.TakeError: audio_in: 'x' is not an input channel list (examples: 1, 1,2)
    """
    return _input_class(_parse_channels(spec))
