"""Tiny voices for the engine's own tests and benchmarks: `click`, `beep`, `hiss`, `poison`.

`click` outputs the trigger pulse itself (one sample of `gain`), so the onset sample of a rendered
note is exact and easy to find. `beep` is a sine with an ADSR envelope. `poison` beeps, and a
note with `gain` above 0.9 also puts one NaN sample into a filter, which keeps it NaN for good
(what a broken instrument does; the engine's guard must contain it).

>>> TEST_VOICES["click"].NAME, TEST_VOICES["beep"].NAME
('click', 'beep')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synths._pyo import pyo
from synths.errors import UnknownInstrumentError
from synths.params import COMMON_VOICE_PARAMS, ParamSpec
from synths.voice import Voice, adsr_points

__all__ = ["Click", "Beep", "Hiss", "Poison", "TEST_VOICES", "resolve_test_voice"]


class Click(Voice):
    """A one-sample impulse of height `gain * velocity` at the onset.

    >>> Click.PARAMS["gain"].default
    1.0
    """

    NAME = "click"
    PARAMS = COMMON_VOICE_PARAMS.extend("click", [])

    def __init__(self, trig: Any, sr: float) -> None:
        super().__init__(trig, sr)
        self.level = pyo().Sig(1.0)
        self.out = trig * self.level

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """Set the impulse height."""
        self.level.value = float(params["gain"]) * float(params["velocity"])

    def tail(self, params: Mapping[str, float | str], dur: float) -> float:
        """A click is over after its sample."""
        return 0.0


class Beep(Voice):
    """A sine at `freq` with an ADSR envelope released at the note's end.

    >>> "wave" in Beep.PARAMS
    False
    """

    NAME = "beep"
    PARAMS = COMMON_VOICE_PARAMS.extend("beep", [ParamSpec("release", 0.02, 0.0, 20.0, "s", "envelope release")])

    def __init__(self, trig: Any, sr: float) -> None:
        super().__init__(trig, sr)
        p = pyo()
        self.env = p.TrigLinseg(trig, [(0.0, 0.0), (0.001, 1.0), (0.002, 0.0)])
        self.amp = p.Sig(1.0)
        self.osc = p.Sine(freq=440.0, mul=self.env * self.amp)
        self.out = self.osc

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """Set pitch, level and the envelope's breakpoints."""
        self.osc.freq = float(params["freq"])
        self.amp.value = float(params["gain"]) * float(params["velocity"])
        self.env.setList(
            adsr_points(
                float(params["attack"]), float(params["decay"]), float(params["sustain"]),
                float(params["release"]), dur,
            )
        )


class Hiss(Voice):
    """White noise with an ADSR envelope (for seed determinism tests).

    >>> Hiss.NAME
    'hiss'
    """

    NAME = "hiss"
    PARAMS = COMMON_VOICE_PARAMS.extend("hiss", [])

    def __init__(self, trig: Any, sr: float) -> None:
        super().__init__(trig, sr)
        p = pyo()
        self.env = p.TrigLinseg(trig, [(0.0, 0.0), (0.001, 1.0), (0.002, 0.0)])
        self.amp = p.Sig(1.0)
        self.noise = p.Noise(mul=self.env * self.amp)
        self.out = self.noise

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """Set level and envelope."""
        self.amp.value = float(params["gain"]) * float(params["velocity"]) * 0.5
        self.env.setList(
            adsr_points(
                float(params["attack"]), float(params["decay"]), float(params["sustain"]),
                float(params["release"]), dur,
            )
        )


class Poison(Beep):
    """A beep; a note with `gain` > 0.9 also latches a NaN into a lowpass filter (for the guard).

    >>> Poison.NAME
    'poison'
    """

    NAME = "poison"

    def __init__(self, trig: Any, sr: float) -> None:
        super().__init__(trig, sr)
        p = pyo()
        self.dose = p.Sig(0.0)
        self.latch = p.Biquad(p.Pow(trig * self.dose, 0.5), freq=1000.0)   # (-1) ** 0.5 at the onset
        self.out = self.osc + self.latch

    def set_note(self, params: Mapping[str, float | str], dur: float) -> None:
        """A beep; gain > 0.9 poisons."""
        super().set_note(params, dur)
        self.dose.value = -1.0 if float(params["gain"]) > 0.9 else 0.0


TEST_VOICES: dict[str, type[Voice]] = {"click": Click, "beep": Beep, "hiss": Hiss, "poison": Poison}


def resolve_test_voice(s: str, bank: str | None = None) -> type[Voice]:
    """Resolve `s` among the test voices (an `Engine(resolver=...)` for tests).

    >>> resolve_test_voice("click").NAME
    'click'
    """
    try:
        return TEST_VOICES[s]
    except KeyError:
        raise UnknownInstrumentError(f"unknown test instrument {s!r} (known: {', '.join(TEST_VOICES)})") from None
