"""Effects: a registry of kinds and `create(kind, input, ctx, **params)`.

Kinds: reverb, hall, wgverb, convolution, delay, chorus, phaser, flanger, tremolo, autopan,
distort, crush, lpf, hpf, bpf, eq, compressor, gate, duck, width, tapestop; the vocal chain: tune,
harmony, double, deess, vocalcomp, vocaleq.

>>> sorted(EFFECTS)[:4]
['autopan', 'bpf', 'chorus', 'compressor']
>>> resolve("reverbb")
Traceback (most recent call last):
...
synths.errors.UnknownEffectError: unknown effect 'reverbb' (did you mean: reverb, verb, wgverb?)
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from synths.effects.base import Effect, EffectContext, SmoothParam
from synths.effects.delay import SyncedDelay
from synths.effects.distortion import Crush, Distort
from synths.effects.dynamics import Compressor, Duck, Gate
from synths.effects.filters import Bandpass, Highpass, Lowpass, ParametricEQ
from synths.effects.modulation import Autopan, Chorus, Flanger, Phaser, Tremolo
from synths.effects.reverb import ConvolutionReverb, Hall, Reverb, WGReverb
from synths.effects.stereo import Width
from synths.effects.tapestop import TapeStop
from synths.effects.vocal import VOCAL_EFFECTS
from synths.errors import UnknownEffectError

__all__ = ["EFFECTS", "ALIASES", "Effect", "EffectContext", "SmoothParam", "create", "resolve"]

_CLASSES: tuple[type[Effect], ...] = (
    Reverb, Hall, WGReverb, ConvolutionReverb, SyncedDelay, Chorus, Phaser, Flanger, Tremolo,
    Autopan, Distort, Crush, Lowpass, Highpass, Bandpass, ParametricEQ, Compressor, Gate, Duck,
    Width, TapeStop, *VOCAL_EFFECTS,
)

EFFECTS: Mapping[str, type[Effect]] = MappingProxyType({cls.KIND: cls for cls in _CLASSES})
"""Every effect class by KIND."""

ALIASES: Mapping[str, str] = MappingProxyType({
    "room": "reverb", "verb": "reverb", "cvlverb": "convolution", "echo": "delay",
    "lowpass": "lpf", "highpass": "hpf", "bandpass": "bpf", "distortion": "distort",
    "saturate": "distort", "bitcrush": "crush", "comp": "compressor", "sidechain": "duck",
    "stereo": "width", "tape": "tapestop", "tape_stop": "tapestop",
})
"""Other accepted names for some kinds (Strudel/Tidal spellings)."""


def resolve(kind: str) -> type[Effect]:
    """The effect class for `kind` (or an alias); UnknownEffectError lists close names.

    >>> resolve("lowpass").KIND
    'lpf'
    """
    if not isinstance(kind, str):
        raise UnknownEffectError(f"effect kind must be a string, not {type(kind).__name__}")
    name = ALIASES.get(kind, kind)
    cls = EFFECTS.get(name)
    if cls is None:
        close = difflib.get_close_matches(kind, [*EFFECTS, *ALIASES], n=3, cutoff=0.6)
        hint = f"did you mean: {', '.join(close)}?" if close else f"known: {', '.join(EFFECTS)}"
        raise UnknownEffectError(f"unknown effect {kind!r} ({hint})")
    return cls


def create(kind: str, input: Any, ctx: EffectContext, **params: Any) -> Effect:
    """Build an effect of `kind` on the stereo `input` (params validated, then smoothed).

    Usage (not run as a doctest: it needs a running engine)::

        fx = create("delay", strip_sum, ctx, time=0.5, feedback=0.3)
    """
    return resolve(kind)(input, ctx, **params)
