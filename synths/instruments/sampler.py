"""The sampler: the user's own WAV/AIFF/FLAC folders played as kits (`s("mykit:3")`).

`scan_sample_folder(path)` finds kits: every subfolder holding sound files is a kit named after
the folder (the folder itself is one when it holds files directly); files sorted by name give the
`n` index. Tables are loaded once per pyo server, on the first voice that needs them, and shared
by all voices of the kit. A voice plays a slice `begin`..`end` (fractions of the file) at `speed`
(negative plays backwards; `note` repitches around C4), `loop` times in a row (Tidal's `loop`;
0 and 1 play it once). Short fades at the slice edges keep `chop`/`striate` slices click-free.

A sample plays its whole slice unless the note has `legato` (Strudel's `clip`): then it stops at
the held length (event length x legato) with a short fade. With `unit` "c" (`loopAt`, `splice`)
`speed` counts cycles: the rate is speed x file length x `cps` (livecode adds the tempo to such
notes; without it the speed is a plain rate).

>>> slice_plan(0.0, 1.0, 2.0, 1.0)
(0.0, 1.0, 0.5)
>>> slice_plan(0.25, 0.75, -1.0, 4.0)
(0.75, -0.5, 2.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from synths._pyo import pyo
from synths.errors import ParamError, SynthError
from synths.instruments._dsp import level_of, pitch_of, q_of, silent_points
from synths.instruments._notefx import NOTE_FX_ROWS, NoteFx
from synths.instruments._sleeper import Sleeper
from synths.instruments._sndfile import read_sound
from synths.params import COMMON_VOICE_PARAMS, ParamSpec, ParamTable
from synths.voice import Voice

__all__ = [
    "SOUND_SUFFIXES",
    "SampleKit",
    "SampleBank",
    "SamplerVoice",
    "SAMPLER_PARAMS",
    "scan_sample_folder",
    "sampler_class",
    "slice_plan",
    "cycle_rate",
    "clip_time",
]

SOUND_SUFFIXES = frozenset({".wav", ".wave", ".aif", ".aiff", ".flac"})
"""File suffixes the sampler loads (case-insensitive)."""

_EDGE = 0.002
_CLIP_FADE = 0.005
_C4 = 261.6255653

SAMPLER_PARAMS = COMMON_VOICE_PARAMS.extend(
    "sampler",
    [
        ParamSpec("n", 0.0, -1_000_000.0, 1_000_000.0, "", "file index in the kit (wraps around)"),
        ParamSpec("speed", 1.0, -32.0, 32.0, "x", "playback rate; negative plays backwards"),
        ParamSpec("begin", 0.0, 0.0, 1.0, "", "start of the slice, fraction of the file"),
        ParamSpec("end", 1.0, 0.0, 1.0, "", "end of the slice, fraction of the file"),
        ParamSpec("loop", 0.0, 0.0, 1024.0, "", "play the slice this many times in a row (0/1: once)"),
        # legato is only sent when a pattern sets it (clip): 0 here means "not set"
        ParamSpec("legato", 0.0, 0.0, 16.0, "", "clip: stop at the event's length x this (0: whole slice)"),
        ParamSpec("unit", 0.0, 0.0, 1.0, "", "speed unit: 'r' (0) rate, 'c' (1) cycles"),
        ParamSpec("cps", 0.0, 0.0, 100.0, "cycles/s", "tempo for unit 'c' (set by livecode; 0: unknown)"),
        ParamSpec("cutoff", 20000.0, 20.0, 20000.0, "Hz", "lowpass on the sample"),
        ParamSpec("resonance", 0.0, 0.0, 1.0, "", "resonance of the lowpass"),
        *NOTE_FX_ROWS,
    ],
)


@dataclass(slots=True)
class _Loaded:
    """The tables of one file: left and right channel tables (the same for mono) and duration."""

    left: Any
    right: Any
    seconds: float


@dataclass(slots=True)
class SampleKit:
    """One kit: a name and its sound files in `n` order; tables load lazily, once per server.

    >>> SampleKit("k", (Path("a.wav"),)).name
    'k'
    """

    name: str
    files: tuple[Path, ...]
    _server: Any = field(default=None, repr=False)
    _tables: list[_Loaded] = field(default_factory=list, repr=False)

    def tables(self, server: Any) -> list[_Loaded]:
        """The loaded tables for pyo server `server` (loading them on first use)."""
        if self._server is not server or not self._tables:
            self._tables = [_load(path) for path in self.files]
            self._server = server
        return self._tables


@dataclass(frozen=True, slots=True)
class SampleBank:
    """The kits found in one folder, by lower-case name.

    >>> SampleBank(Path("."), {}).names()
    []
    """

    root: Path
    kits: Mapping[str, SampleKit]

    def names(self) -> list[str]:
        """The kit names, sorted."""
        return sorted(self.kits)


def _load(path: Path) -> _Loaded:
    """Load one sound file into one (mono) or two (stereo) tables.

    pyo reads WAV and AIFF itself; other formats (FLAC: pyo's bundled libsndfile lacks it) are
    decoded with the system libsndfile and copied into `DataTable`s.
    """
    p = pyo()
    try:
        info = p.sndinfo(str(path), raise_on_failure=True)
    except Exception:  # noqa: BLE001 - pyo raises a bare PyoError/Exception for unreadable files
        return _load_decoded(path)
    left = p.SndTable(str(path), chnl=0)
    right = p.SndTable(str(path), chnl=1) if int(info[3]) > 1 else left
    return _Loaded(left, right, float(info[0]) / float(info[2]))


def _load_decoded(path: Path) -> _Loaded:
    """Decode `path` with the system libsndfile into one or two `DataTable`s."""
    frames, rate = read_sound(path)
    if frames.shape[0] == 0:
        raise SynthError(f"sampler: {path} holds no audio")
    p = pyo()
    left = p.DataTable(frames.shape[0], chnls=1, init=frames[:, 0].tolist())
    right = p.DataTable(frames.shape[0], chnls=1, init=frames[:, 1].tolist()) if frames.shape[1] > 1 else left
    return _Loaded(left, right, frames.shape[0] / float(rate))


def scan_sample_folder(path: str | Path) -> SampleBank:
    """Find the kits under `path` (no audio is loaded yet).

    >>> scan_sample_folder("/nonexistent")
    Traceback (most recent call last):
    ...
    synths.errors.SynthError: load_sample_folder: /nonexistent is not a folder
    """
    root = Path(path).expanduser()
    if not root.is_dir():
        raise SynthError(f"load_sample_folder: {root} is not a folder")
    kits: dict[str, SampleKit] = {}
    for folder in [root, *sorted(p for p in root.rglob("*") if p.is_dir())]:
        files = tuple(sorted(f for f in folder.iterdir() if _is_sound(f)))
        if files:
            name = folder.name.lower()
            kits[name] = SampleKit(name, files)
    if not kits:
        raise SynthError(f"load_sample_folder: no WAV/AIFF/FLAC files under {root}")
    return SampleBank(root, kits)


def _is_sound(path: Path) -> bool:
    """Whether `path` is a file with a sound suffix the sampler loads."""
    return path.is_file() and path.suffix.lower() in SOUND_SUFFIXES


def slice_plan(begin: float, end: float, speed: float, seconds: float) -> tuple[float, float, float]:
    """(start position, signed span, play time in s) of a slice of a `seconds`-long file.

    Positions are fractions of the file; a negative speed starts at `end` and runs backwards.

    >>> slice_plan(0.5, 0.25, 1.0, 1.0)
    Traceback (most recent call last):
    ...
    synths.errors.ParamError: sampler: end=0.25 must be greater than begin=0.5
    """
    if end <= begin:
        raise ParamError(f"sampler: end={end} must be greater than begin={begin}")
    if speed == 0.0:
        raise ParamError("sampler: speed must not be 0")
    span = end - begin
    play = span * seconds / abs(speed)
    if speed < 0.0:
        return end, -span, play
    return begin, span, play


class SamplerVoice(Voice):
    """Plays one file of `KIT` per note; subclassed per kit by `sampler_class`.

    >>> SamplerVoice.PARAMS["speed"].default
    1.0
    """

    KIT: ClassVar[SampleKit] = SampleKit("none", ())
    PARAMS: ClassVar[ParamTable] = SAMPLER_PARAMS

    def __init__(self, trig: Any, sr: float) -> None:
        super().__init__(trig, sr)
        p = pyo()
        server = trig._base_objs[0].getServer()
        self.loaded = self.KIT.tables(server)
        first = self.loaded[0]
        self.cycles = p.TrigLinseg(trig, silent_points())
        self.start = p.Sig(0.0)
        self.span = p.Sig(1.0)
        self.index = p.Wrap(self.cycles) * self.span + self.start
        self.amp = p.TrigLinseg(trig, silent_points())
        self.left = p.Pointer(first.left, self.index, mul=self.amp)
        self.right = p.Pointer(first.right, self.index, mul=self.amp)
        self.filter = p.Biquad([self.left, self.right], freq=min(20000.0, 0.45 * self.sr), q=0.707, type=0)
        self.fx = NoteFx(self.filter, self.sr, dc_block=False)   # files play as they are
        self.out = self.fx.out
        self.sleeper = Sleeper(self, exclude=[trig, *self.fx.owned()])
        self.sleeper.sleep()

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """Choose the file, plan the slice and set the phase ramp and the edge-faded envelope.

        An empty slice (`end <= begin`) or `speed` 0 plays nothing: this runs in the audio
        callback, where raising would only lose the note anyway.
        """
        plan = self._plan(params)
        if plan is None:
            self.amp.setList(silent_points())
            return
        loaded, start, span, play = plan
        self.left.table = loaded.left
        self.right.table = loaded.right
        self.start.value = start
        self.span.value = span
        level = level_of(params)
        count = _count(params)
        total = play * count
        edge = min(_EDGE, play / 4.0)
        self.cycles.setList([(0.0, 0.0), (total, count - 1e-5)])
        stop = clip_time(params, dur, total)
        if stop < total:
            fade = min(_CLIP_FADE, stop / 2.0)
            self.amp.setList([(0.0, 0.0), (min(edge, fade), level), (stop - fade, level), (stop, 0.0)])
        else:
            self.amp.setList([(0.0, 0.0), (edge, level), (total - edge, level), (total, 0.0)])
        self.put(self.filter, "freq", min(float(params.get("cutoff", 20000.0)), 0.45 * self.sr))
        self.put(self.filter, "q", q_of(float(params.get("resonance", 0.0))))
        self.fx.set(params)
        self.sleeper.wake(stop)
        self.fx.wake(stop)

    def tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """The slice's play time times the loop count, cut at the held length with `legato`."""
        plan = self._plan(params)
        return 0.0 if plan is None else clip_time(params, dur, plan[3] * _count(params))

    def _plan(self, params: Mapping[str, float | str]) -> tuple[_Loaded, float, float, float] | None:
        """(file, start, signed span, play time) of this note, or None when it is empty."""
        loaded = self.loaded[int(float(params.get("n", 0.0))) % len(self.loaded)]
        speed = float(params.get("speed", 1.0)) * pitch_of(params) / _C4 * cycle_rate(params, loaded.seconds)
        try:
            start, span, play = slice_plan(
                float(params.get("begin", 0.0)), float(params.get("end", 1.0)), speed, loaded.seconds
            )
        except ParamError:
            return None
        return loaded, start, span, play


def cycle_rate(params: Mapping[str, float | str], seconds: float) -> float:
    """The factor `speed` is multiplied by: file length x `cps` for `unit` "c", else 1.

    >>> cycle_rate({"unit": "c", "cps": 0.5}, 1.0), cycle_rate({"unit": "r", "cps": 0.5}, 1.0)
    (0.5, 1.0)
    >>> cycle_rate({"unit": "c"}, 2.0)          # no tempo known: a plain rate
    1.0
    """
    unit = params.get("unit", 0.0)
    cps = float(params.get("cps", 0.0))
    if (unit == "c" or unit == 1.0) and cps > 0.0:
        return seconds * cps
    return 1.0


def clip_time(params: Mapping[str, float | str], dur: float, total: float) -> float:
    """When the note stops: at the held length `dur` if it has `legato` (clip), else after `total`.

    >>> clip_time({"legato": 0.5}, 0.25, 1.0), clip_time({}, 0.25, 1.0), clip_time({"legato": 2}, 3.0, 1.0)
    (0.25, 1.0, 1.0)
    """
    if float(params.get("legato", 0.0)) > 0.0:
        return max(0.0, min(total, dur))
    return total


def _count(params: Mapping[str, float | str]) -> int:
    """How many times the slice plays (`loop`, at least once).

    >>> _count({"loop": 0}), _count({"loop": 3})
    (1, 3)
    """
    return max(1, int(float(params.get("loop", 0.0))))


def sampler_class(kit: SampleKit) -> type[SamplerVoice]:
    """A `SamplerVoice` subclass bound to `kit` (NAME = the kit name).

    >>> sampler_class(SampleKit("mykit", (Path("a.wav"),))).NAME
    'mykit'
    """
    table = SAMPLER_PARAMS.extend(kit.name, [])
    return type(f"Sampler_{kit.name}", (SamplerVoice,), {"NAME": kit.name, "KIT": kit, "PARAMS": table})

