"""The engine's link to `synths.mixer.Mixer`: tracks, sources, rebuilds, params, chains, taps.

The engine talks to the mixer only through `MixerLink`: add/remove tracks, feed a voice pool's
stereo output into a track, rebuild after new sources (pyo computes objects in creation order),
set parameters (`"d1.gain"` in dB, `"d1.send.reverb"`, `"master.ceiling"`), replace chains, read
meters, and fetch the stereo signals recorded as master and stems (replaced by every rebuild).

>>> isinstance(MixerLink, type)
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from synths.errors import ParamError

__all__ = ["MixerLink", "make_mixer_link"]


class MixerLink:
    """What the engine needs from the mixer."""

    def __init__(self, mixer: Any) -> None:
        self.mixer = mixer

    def add_track(self, name: str) -> None:
        """Create the track's strip."""
        self.mixer.add_track(name)

    def remove_track(self, name: str) -> None:
        """Fade the track's strip out (it leaves the graph at the next rebuild)."""
        self.mixer.remove_track(name)

    def connect(self, name: str, source: Any) -> None:
        """Feed a pool's stereo output into the track (heard after `rebuild`)."""
        self.mixer.strip(name).add_source(source)

    def rebuild(self, *, effects: bool = False, swap_later: bool = False) -> None:
        """Recreate summing, fader and master objects after new sources were created (with
        `swap_later`, beside the running graph: the output switches at the next block)."""
        self.mixer.rebuild(effects=effects, swap_later=swap_later)

    def on_rebuild(self, listener: Callable[[Any], None]) -> None:
        """Call `listener(mixer)` after every rebuild."""
        self.mixer.on_rebuild(listener)

    def set_param(self, path: str, value: float, delay: float = 0.0) -> None:
        """Set a mixer path `delay` seconds into the coming block."""
        self.mixer.set_param(path, value, delay)

    def set_chain(self, name: str, specs: Sequence[Mapping[str, Any]]) -> None:
        """Make a track's effect chain match `specs` (`{"kind": ..., **params}`).

        When the kinds (and options such as a duck's `key`) are unchanged, only the parameters
        that differ glide to their new values (omitted ones to their defaults), so re-evaluating a
        pattern keeps reverb tails and echoes; otherwise the chain is rebuilt with crossfades.
        """
        from synths.effects import resolve  # noqa: PLC0415

        chain = self.mixer.strip(name).chain
        wanted: list[tuple[type[Any], dict[str, Any], dict[str, Any]]] = []
        for spec in specs:
            params = dict(spec)
            kind = params.pop("kind", None)
            if not isinstance(kind, str):
                raise ParamError(f"set_chain: every spec needs a 'kind' (effect name), got {dict(spec)!r}")
            cls = resolve(kind)
            numbers = {key: value for key, value in params.items() if key in cls.PARAMS}
            options = {key: value for key, value in params.items() if key not in cls.PARAMS}
            cls.PARAMS.validate(numbers)
            wanted.append((cls, numbers, options))
        current = list(chain)
        if [type(fx) for fx in current] != [cls for cls, _, _ in wanted]:
            chain.clear()
            for cls, numbers, options in wanted:
                chain.add(cls.KIND, **options, **numbers)
            return
        for index, (effect, (cls, numbers, options)) in enumerate(zip(current, wanted)):
            target = {**cls.PARAMS.defaults(), **numbers}
            static: frozenset[str] = getattr(cls, "STATIC", frozenset())
            if _options_differ(effect.options, options) or any(
                effect.values[key] != target[key] for key in static
            ):
                chain.replace(index, cls.KIND, **options, **numbers)
                continue
            for key, value in target.items():
                if effect.values[key] != value:
                    chain.set(index, key, value)

    def tick(self, now: int) -> None:
        """Once per block, at frame `now`, before pyo computes it: run deferred re-routes and put
        settled smoothed parameters back to sleep (`EffectContext.tick`)."""
        self.mixer.ctx.tick(now)

    def meters(self) -> dict[str, dict[str, float]]:
        """Peak/RMS (dBFS) per track and master, LUFS on the master."""
        return dict(self.mixer.meters())

    def master_out(self) -> Any:
        """The stereo master output (after the limiter)."""
        return self.mixer.heard

    def track_out(self, name: str) -> Any:
        """The stereo post-fader signal of a track (a stem)."""
        return self.mixer.strip(name).post_fader

    def bus_out(self, name: str) -> Any:
        """The stereo return of shared send bus `name` ("reverb", "delay"): an fx stem."""
        return self.mixer.buses[name].out

    def buses(self) -> list[str]:
        """Names of the shared send buses, in the order their stems are written."""
        return list(self.mixer.buses)

    def tracks(self) -> list[str]:
        """Names of the mixer's tracks."""
        return list(self.mixer.tracks)

    def close(self) -> None:
        """Release the mixer's objects and stop its output."""
        self.mixer.close()


def _options_differ(have: Mapping[str, Any], want: Mapping[str, Any]) -> bool:
    """Whether non-numeric effect options (duck `key`, reverb `impulse`) changed.

    >>> _options_differ({"key": "d1"}, {"key": "d1"}), _options_differ({}, {"key": "d2"})
    (False, True)
    """
    return {key: str(value) for key, value in have.items()} != {key: str(value) for key, value in want.items()}


def make_mixer_link(sample_rate: int, bpm: float = 120.0, *, metering: bool = True) -> MixerLink:
    """A new `synths.mixer.Mixer` (output on channels 1-2, meters on or off) behind a `MixerLink`."""
    from synths.effects.base import EffectContext  # noqa: PLC0415 - imports the effect modules
    from synths.mixer import Mixer  # noqa: PLC0415

    return MixerLink(Mixer(EffectContext(sr=sample_rate, bpm=bpm), metering=metering))
