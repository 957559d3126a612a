"""A take's placement on the timeline: the file, the bar, trim, offset, gain and fades.

Times a performer types are milliseconds when they are numbers, or strings with a unit:
`"12ms"`, `"1.5s"`, `"480smp"` (samples at the engine's rate, exact). `Take` keeps them as typed
and turns them into samples only when the engine's rate is known (`Take.samples`).

>>> parse_time(12.5, "offset"), parse_time("-480smp", "offset"), parse_time("1.5s", "begin")
(Time(value=12.5, unit='ms'), Time(value=-480.0, unit='smp'), Time(value=1500.0, unit='ms'))
>>> parse_time("2 beats", "offset")
Traceback (most recent call last):
...
synths.errors.TakeError: audio: offset must be milliseconds (a number) or a string like '12ms', '1.5s', '480smp'; got '2 beats'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from synths.errors import TakeError
from synths.instruments.take import TAKE_PREFIX, take_info
from synths.live_input import INPUT_PREFIX, MAX_INPUTS, check_channels

__all__ = ["Time", "Take", "LiveInput", "CompPiece", "SegmentPlan", "parse_time", "parse_bar", "make_take", "make_take_for_test"]

_TIME = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*(ms|s|smp|samples?)\s*$")


@dataclass(frozen=True, slots=True)
class Time:
    """A duration or position: `value` in milliseconds (`unit` "ms") or samples ("smp").

    >>> Time(10.0, "ms").samples(48000), Time(7.0, "smp").samples(48000)
    (480, 7)
    """

    value: float
    unit: str

    def samples(self, sample_rate: float) -> int:
        """The time in samples at `sample_rate` (rounded to the nearest sample)."""
        if self.unit == "smp":
            return int(round(self.value))
        return int(round(self.value * sample_rate / 1000.0))


def parse_time(value: object, name: str) -> Time:
    """A number (milliseconds) or a string with a unit (`ms`, `s`, `smp`) as a `Time`."""
    if isinstance(value, Time):
        return value
    if isinstance(value, (int, float, Fraction)) and not isinstance(value, bool):
        return Time(float(value), "ms")
    if isinstance(value, str):
        match = _TIME.match(value)
        if match is not None:
            number, unit = float(match.group(1)), match.group(2)
            if unit == "s":
                return Time(number * 1000.0, "ms")
            return Time(number, "ms" if unit == "ms" else "smp")
    raise TakeError(f"audio: {name} must be milliseconds (a number) or a string like '12ms', '1.5s', "
                    f"'480smp'; got {value!r}")


def parse_bar(value: object, name: str = "at") -> Fraction:
    """A bar number (1 = the first bar; 9.5 = half way through bar 9) as a Fraction.

    >>> parse_bar(9), parse_bar(0)
    Traceback (most recent call last):
    ...
    synths.errors.TakeError: audio: at must be a bar number >= 1 (bar 1 is the first), got 0
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)):
        raise TakeError(f"audio: {name} must be a bar number >= 1 (bar 1 is the first), got {value!r}")
    bar = Fraction(value).limit_denominator(1 << 16) if isinstance(value, float) else Fraction(value)
    if bar < 1:
        raise TakeError(f"audio: {name} must be a bar number >= 1 (bar 1 is the first), got {value!r}")
    return bar


@dataclass(frozen=True, slots=True)
class SegmentPlan:
    """The engine values of one segment, in samples at the engine's rate."""

    first: int
    count: int
    begin: int
    end: int
    fadein: int
    fadeout: int


@dataclass(frozen=True, slots=True)
class Take:
    """A file placed at bar `at`: file sample i sounds `offset` after the start of bar `at` plus i
    samples; only the file between `begin` and `end` (trim, positions in the file) sounds, with
    linear fades of `fadein`/`fadeout` inside it, at linear `gain`.

    >>> t = Take("/v.wav", Fraction(9), None, None, Time(0, "ms"), 1.0, Time(0, "ms"), Time(0, "ms"), 96000, 48000)
    >>> t.cycle, t.sound
    (Fraction(8, 1), 'take=/v.wav')
    """

    path: str
    at: Fraction
    begin: Time | None
    end: Time | None
    offset: Time
    gain: float
    fadein: Time
    fadeout: Time
    frames: int
    rate: int

    @property
    def cycle(self) -> Fraction:
        """The cycle where bar `at` starts (bar 1 is cycle 0)."""
        return self.at - 1

    @property
    def sound(self) -> str:
        """The engine's instrument name for this file."""
        return f"{TAKE_PREFIX}{self.path}"

    @property
    def name(self) -> str:
        """The file's name (for messages)."""
        return Path(self.path).name

    def length(self, sample_rate: float) -> int:
        """The file's length in samples at `sample_rate`."""
        if int(sample_rate) == self.rate:
            return self.frames
        return int(round(self.frames * float(sample_rate) / self.rate))

    def index(self, frame: int, placed: int, sample_rate: float) -> int:
        """The file index heard at engine frame `frame` when bar `at` starts at frame `placed`."""
        return frame - placed - self.offset.samples(sample_rate)

    def plan(self, frame: int, stop: int, placed: int, sample_rate: float,
             edges: tuple[int | None, int | None, int] = (None, None, 0)) -> SegmentPlan | None:
        """The segment that sounds from engine frame `frame` to `stop` when bar `at` starts at
        engine frame `placed`; None when no sample of the trimmed take falls in it. `edges` (low
        index, high index, fade samples) narrows the take further, fading over `fade` samples
        at each edge given (comping's crossfades).

        >>> t = make_take_for_test(frames=48000)
        >>> t.plan(1000, 2000, 0, 48000)
        SegmentPlan(first=1000, count=1000, begin=0, end=48000, fadein=0, fadeout=0)
        >>> t.plan(48000, 96000, 0, 48000) is None
        True
        >>> t.plan(1000, 2000, 0, 48000, (1500, None, 100))
        SegmentPlan(first=1000, count=1000, begin=1500, end=48000, fadein=100, fadeout=0)
        """
        length = self.length(sample_rate)
        begin = 0 if self.begin is None else max(0, self.begin.samples(sample_rate))
        end = length if self.end is None else min(length, self.end.samples(sample_rate))
        fadein = max(0, self.fadein.samples(sample_rate))
        fadeout = max(0, self.fadeout.samples(sample_rate))
        low, high, fade = edges
        if low is not None and low > begin:
            begin, fadein = low, fade
        if high is not None and high < end:
            end, fadeout = high, fade
        first = self.index(frame, placed, sample_rate)
        count = stop - frame
        if count <= 0 or max(first, begin) >= min(first + count, end):
            return None
        return SegmentPlan(first, count, begin, end, fadein, fadeout)


def make_take(
    path: str | Path,
    at: object = 1,
    *,
    begin: object = None,
    end: object = None,
    offset: object = 0,
    gain: object = 1.0,
    fadein: object = 0,
    fadeout: object = 0,
) -> Take:
    """Check every field and read the file's header: a `Take`, or one `TakeError` line.

    >>> make_take("missing.wav", at=9)
    Traceback (most recent call last):
    ...
    synths.errors.TakeError: take: no such file 'missing.wav'
    """
    if not isinstance(path, (str, Path)) or not str(path):
        raise TakeError(f"audio: file must be a file name (a WAV, FLAC or AIFF), got {path!r}")
    bar = parse_bar(at)
    if isinstance(gain, bool) or not isinstance(gain, (int, float)) or not 0.0 <= float(gain) <= 4.0:
        raise TakeError(f"audio: gain must be a number in [0, 4], got {gain!r}")
    info = take_info(path)
    text = str(info.path)
    if ":" in text or "@" in text:
        raise TakeError(f"audio: the path of a take may not hold ':' or '@' ({text!r}); rename or move it")
    first = None if begin is None else parse_time(begin, "begin")
    last = None if end is None else parse_time(end, "end")
    fades = parse_time(fadein, "fadein"), parse_time(fadeout, "fadeout")
    for time, field in ((first, "begin"), (last, "end"), (fades[0], "fadein"), (fades[1], "fadeout")):
        if time is not None and time.value < 0:
            raise TakeError(f"audio: {field} must be >= 0, got {time.value:g} {time.unit}")
    if first is not None and last is not None and first.unit == last.unit and last.value <= first.value:
        raise TakeError(f"audio: end ({last.value:g} {last.unit}) must be after begin ({first.value:g} {first.unit})")
    return Take(text, bar, first, last, parse_time(offset, "offset"), float(gain), fades[0], fades[1],
                info.frames, info.sample_rate)


def make_take_for_test(frames: int, rate: int = 48000) -> Take:
    """A take of a file that need not exist (for examples): `frames` long at `rate`, at bar 1.

    >>> make_take_for_test(480).length(96000)
    960
    """
    zero = Time(0.0, "ms")
    return Take("/test.wav", Fraction(1), None, None, zero, 1.0, zero, zero, frames, rate)


@dataclass(frozen=True, slots=True)
class LiveInput:
    """Live input channels played as a track source (`audio_in(1)`), one segment per cycle.

    >>> LiveInput((1, 2)).sound
    'input=1,2'
    """

    channels: tuple[int, ...]

    @property
    def sound(self) -> str:
        """The engine's instrument name for these channels."""
        return INPUT_PREFIX + ",".join(str(chan) for chan in self.channels)

    @classmethod
    def of(cls, channels: tuple[object, ...]) -> LiveInput:
        """Checked channels (1-based, one or two).

        >>> LiveInput.of((0,))
        Traceback (most recent call last):
        ...
        synths.errors.TakeError: audio_in: channel 0 does not exist (the engine has 64 inputs: start livecode with --inputs N)
        """
        return cls(check_channels([c for c in channels], MAX_INPUTS))  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class CompPiece:
    """A take chosen for a bar range of a comp: the range's first and end cycles where it
    crossfades with a neighbouring take (None: no neighbour on that side) and the crossfade's
    length (centred on the bar line).

    >>> CompPiece(make_take_for_test(10), Fraction(8), None, Time(10.0, "ms")).sound
    'take=/test.wav'
    """

    take: Take
    start: Fraction | None
    end: Fraction | None
    xfade: Time

    @property
    def sound(self) -> str:
        """The take's instrument name."""
        return self.take.sound
