"""The `Voice` base class: one pre-allocated, retriggerable voice of an instrument.

An instrument is a `Voice` subclass. The engine builds a fixed pool of voices per (track,
instrument) when the track is set up; each voice builds its whole pyo graph once in `__init__`,
driven by `trig`, an audio-rate signal that carries a single-sample pulse at the note's exact start
sample. Per note the engine only calls `set_note` (set values, never create objects) and then fires
the trigger.

Usage (not run as a doctest: it needs a running engine or device)::

    class Beep(Voice):
    # -> ...     NAME = "beep"
    # -> ...     PARAMS = COMMON_VOICE_PARAMS.extend("beep", [])
    # -> ...     def __init__(self, trig, sr):
    # -> ...         super().__init__(trig, sr)
    # -> ...         p = pyo()
    # -> ...         self.env = p.TrigLinseg(trig, [(0, 0), (0.01, 1), (0.2, 0)])
    # -> ...         self.osc = p.Sine(freq=440, mul=self.env)
    # -> ...         self.out = self.osc
    # -> ...     def set_note(self, params, dur):
    # -> ...         self.osc.freq = params["freq"]
    # -> ...         self.env.setList(adsr_points(0.01, 0.0, 1.0, 0.05, dur))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from synths.fastset import Setter
from synths.params import COMMON_VOICE_PARAMS, ParamTable

__all__ = ["Voice", "adsr_points", "note_to_freq"]


def note_to_freq(note: float) -> float:
    """Equal-tempered frequency in Hz of a (fractional) MIDI note number.

    >>> note_to_freq(69)
    440.0
    >>> round(note_to_freq(60), 2)
    261.63
    """
    return float(440.0 * 2.0 ** ((note - 69.0) / 12.0))


def adsr_points(
    attack: float, decay: float, sustain: float, release: float, dur: float
) -> list[tuple[float, float]]:
    """Breakpoints (time s, level) of an ADSR envelope released at `dur`, for `TrigLinseg.setList`.

    Attack and decay are cut short when the note is shorter than them; the release then starts
    from the level reached at `dur`.

    >>> adsr_points(0.01, 0.1, 0.5, 0.2, 1.0)
    [(0.0, 0.0), (0.01, 1.0), (0.11, 0.5), (1.0, 0.5), (1.2, 0.0)]
    >>> adsr_points(0.1, 0.1, 0.5, 0.1, 0.05)
    [(0.0, 0.0), (0.05, 0.5), (0.15000000000000002, 0.0)]
    """
    dur = max(dur, 0.0)
    points: list[tuple[float, float]] = [(0.0, 0.0)]
    if dur <= attack:
        level = dur / attack if attack > 0 else 1.0
        points.append((dur, level))
    elif dur <= attack + decay:
        points.append((attack, 1.0))
        level = 1.0 - (1.0 - sustain) * (dur - attack) / decay
        points.append((dur, level))
    else:
        points.append((attack, 1.0))
        points.append((attack + decay, sustain))
        points.append((dur, sustain))
    points.append((dur + max(release, 0.0), 0.0))
    return points


class Voice:
    """One pre-allocated voice of an instrument; built once, retriggered per note.

    Subclasses set `NAME` and `PARAMS`, build their graph in `__init__` (driven by `trig`,
    never `.out()`-ed) and assign it to `self.out` (1 or 2 channels). `set_note` is called in the
    audio callback before the trigger fires and may only set values on existing objects.

    >>> Voice.NAME, "freq" in Voice.PARAMS
    ('voice', True)
    """

    NAME: ClassVar[str] = "voice"
    PARAMS: ClassVar[ParamTable] = COMMON_VOICE_PARAMS

    def __init__(self, trig: Any, sr: float) -> None:
        """Keep `trig` and the sample rate; subclasses build the graph and set `self.out`."""
        self.trig = trig
        self.sr = float(sr)
        self.out: Any = None
        self._setters: dict[tuple[int, str], Setter] = {}

    def put(self, obj: Any, name: str, value: float) -> None:
        """`obj.<name> = value` for `set_note`'s hot path: on the C streams, and only when the
        value changed (`synths.fastset.Setter`; every write of that attribute must come here)."""
        self._setter(obj, name)(value)

    def put_each(self, obj: Any, name: str, values: list[float]) -> None:
        """`obj.<name> = values` (one value per stream) at C speed, for `set_note`'s hot path."""
        self._setter(obj, name).each(values)

    def put_table(self, obj: Any, table: Any) -> None:
        """`obj.table = table` unless it reads that table already (a band-limited wave table
        changes only when the pitch moves to another band)."""
        if getattr(obj, "_table", None) is not table:
            obj.table = table

    def _setter(self, obj: Any, name: str) -> Setter:
        key = (id(obj), name)
        setter = self._setters.get(key)
        if setter is None:
            setter = self._setters[key] = Setter(obj, name)
        return setter

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """Prepare the next note: `params` are validated and defaulted, `params["freq"]` is Hz.

        `dur` is the held time in seconds; the envelope should release there. Only set values.
        """
        raise NotImplementedError(f"{type(self).__name__}.set_note is not implemented")

    def arm_note(self, params: Mapping[str, float | str], dur: float) -> float | None:
        """`set_note` in two steps: set every value of the next note now, on a silent voice,
        ahead of its onset and outside the block that plays it, and return the seconds its
        objects must then run (`start_note`, in the onset's block). None: this voice cannot
        (its `set_note` does it all at the onset)."""
        return None

    def start_note(self, sound: float) -> None:
        """Run the objects `arm_note` set up, for `sound` seconds (in the onset's block)."""

    def tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """Seconds from onset until the voice is silent; by default `dur + release`.

        >>> Voice.__new__(Voice).tail({"release": 0.25}, 1.0)
        1.25
        """
        release = params.get("release", self.PARAMS["release"].default if "release" in self.PARAMS else 0.0)
        return dur + float(release)
