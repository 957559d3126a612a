"""Retired tracks: what a hushed track keeps when its strip leaves pyo's graph.

After `panic()` (the session's `hush()`) a track's voices fade, its idle pools are freed and its
strip falls asleep; but a sleeping strip's ~54 stopped objects still sit in pyo's stream list,
which pyo walks every block (~40 ns a stream here): 16 hushed strips cost a silent engine about
half a percent of a core more than an empty session. So once a hushed track's strip sleeps and
its pools are gone, the engine retires it: its settings are kept here (`TrackSettings`), its
strip leaves the mixer, and any later use (a note, an instrument asked for, a parameter, a new
chain) brings it back with the same settings (`restore`), as a track created then would be.
The engine's `reset_track` (a strip the guard found non-finite, rebuilt) keeps and restores a
track's settings the same way.

>>> TrackSettings(16, [], [{"kind": "lpf", "cutoff": 800.0}], {"gain": -3.0}, False, False).kinds()
['lpf']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from synths.voice import Voice

__all__ = ["TrackSettings", "STRIP_SETTINGS", "capture", "restore"]

STRIP_SETTINGS: tuple[str, ...] = ("gain", "pan", "send_reverb", "send_delay")
"""The strip's own controls a retired track keeps (mute and solo are kept apart)."""


class Strip(Protocol):
    """What `capture` reads of a `synths.mixer.TrackStrip`."""

    muted: bool
    soloed: bool

    @property
    def values(self) -> dict[str, float]: ...

    def chain_specs(self) -> list[dict[str, Any]]: ...


class StripMixer(Protocol):
    """What `restore` needs of a `synths.mixer.Mixer`."""

    def strip(self, name: str) -> Any: ...

    def mute(self, name: str, muted: bool = True) -> None: ...

    def solo(self, name: str, soloed: bool = True) -> None: ...


@dataclass(frozen=True)
class TrackSettings:
    """What a track is apart from its pyo objects: its polyphony, its instruments (for a retired
    track, all freed), its chain as `set_chain` specs with their values, its strip controls,
    mute and solo."""

    polyphony: int
    instruments: list[type[Voice]]
    chain: list[dict[str, Any]]
    controls: Mapping[str, float]
    muted: bool
    soloed: bool

    def kinds(self) -> list[str]:
        """The kinds of its effects, in order (as `Engine.describe` lists them)."""
        return [str(spec["kind"]) for spec in self.chain]


def capture(strip: Strip, polyphony: int, instruments: list[type[Voice]]) -> TrackSettings:
    """What `strip`'s track needs to come back as it was."""
    values = strip.values
    return TrackSettings(polyphony, list(instruments), strip.chain_specs(),
                        {key: values[key] for key in STRIP_SETTINGS}, strip.muted, strip.soloed)


def restore(mixer: StripMixer, name: str, retired: TrackSettings) -> None:
    """Put `retired`'s controls, mute and solo on the new strip `name` (its chain goes through
    the mixer link's `set_chain`, which the engine calls)."""
    strip = mixer.strip(name)
    for key, value in retired.controls.items():
        strip.set(key, value)
    mixer.mute(name, retired.muted)
    mixer.solo(name, retired.soloed)
