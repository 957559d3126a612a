"""The engine's link to the mixer: S3's `synths.mixer.Mixer` when present, else a plain summing bus.

The engine talks to the mixer only through `MixerLink`: add/remove tracks, connect a voice pool's
stereo output to a track, rebuild after new sources (pyo computes objects in creation order),
set parameters (`"d1.gain"`, `"d1.send.reverb"`, `"master.ceiling"`), chains, meters, and the
stereo signals recorded as master and stems.

>>> isinstance(MixerLink, type)
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from synths._pyo import pyo
from synths.errors import EngineError, ParamError

__all__ = ["MixerLink", "SumMixer", "make_mixer_link"]


class SumMixer:
    """A minimal mixer: per track a sum of its sources times a smoothed gain, master = sum of tracks.

    Used when `synths.mixer` is not importable. Paths: `<track>.gain`, `master.gain`.
    """

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._sources: dict[str, list[Any]] = {}
        self._gains: dict[str, Any] = {}
        self._sums: dict[str, Any] = {}
        self._master_gain = pyo().SigTo(1.0, time=0.02)
        self.master: Any = None
        self.rebuild()

    def add_track(self, name: str) -> None:
        """A new empty track."""
        self._sources[name] = []
        self._gains[name] = pyo().SigTo(1.0, time=0.02)

    def remove_track(self, name: str) -> None:
        """Forget a track and its sources."""
        self._sources.pop(name, None)
        self._gains.pop(name, None)
        self._sums.pop(name, None)

    def connect(self, name: str, source: Any) -> None:
        """Feed `source` (stereo) into track `name` (heard after `rebuild`)."""
        self._sources[name].append(source)

    def rebuild(self) -> None:
        """Recreate the track sums and the master after the sources (creation order)."""
        p = pyo()
        self._sums = {
            name: p.Mix(sources, voices=2, mul=self._gains[name])
            for name, sources in self._sources.items()
            if sources
        }
        if self.master is not None:
            self.master.stop()
        parts = list(self._sums.values()) or [p.Sig([0.0, 0.0])]
        self.master = p.Mix(parts, voices=2, mul=self._master_gain)
        self.master.out()

    def track_out(self, name: str) -> Any:
        """The stereo post-fader signal of a track."""
        signal = self._sums.get(name)
        return signal if signal is not None else pyo().Sig([0.0, 0.0])

    def set_param(self, path: str, value: float, delay: float = 0.0) -> None:
        """Only `<track>.gain` and `master.gain` (linear); sends and effects need synths.mixer."""
        track, _, param = path.partition(".")
        if param != "gain":
            return
        if track == "master":
            self._master_gain.value = float(value)
        elif track in self._gains:
            self._gains[track].value = float(value)
        else:
            raise ParamError(f"set_param: no track {track!r}")

    def meters(self) -> dict[str, dict[str, float]]:
        """No meters in the summing mixer."""
        return {}

    def close(self) -> None:
        """Stop the master output."""
        if self.master is not None:
            self.master.stop()
        self._sums.clear()
        self._sources.clear()


class MixerLink:
    """What the engine needs from a mixer, over S3's `Mixer` or the `SumMixer` fallback."""

    def __init__(self, mixer: Any, *, native: bool) -> None:
        self.mixer = mixer
        self.native = native
        self._strips: dict[str, Any] = {}

    def add_track(self, name: str) -> None:
        """Create the track's strip."""
        self._strips[name] = self.mixer.add_track(name)

    def remove_track(self, name: str) -> None:
        """Remove the track's strip."""
        self._strips.pop(name, None)
        self.mixer.remove_track(name)

    def connect(self, name: str, source: Any) -> None:
        """Feed a pool's stereo output into the track."""
        if self.native:
            strip = self.mixer.strip(name)
            strip.connect(source)
        else:
            self.mixer.connect(name, source)

    def rebuild(self) -> None:
        """Recreate summing and master objects after new sources were created."""
        self.mixer.rebuild()

    def set_param(self, path: str, value: float, delay: float = 0.0) -> None:
        """Set a mixer path at `delay` seconds into the coming block."""
        self.mixer.set_param(path, value, delay)

    def set_chain(self, name: str, specs: Sequence[Mapping[str, Any]]) -> None:
        """Replace a track's effect chain."""
        if not self.native:
            raise EngineError("set_chain: effect chains need synths.mixer (not installed)")
        chain = self.mixer.strip(name).chain
        chain.replace_all(list(specs))

    def meters(self) -> dict[str, dict[str, float]]:
        """Peak/RMS per track and master (LUFS on the master) when the mixer has meters."""
        return dict(self.mixer.meters())

    def master_out(self) -> Any:
        """The stereo master signal to record."""
        return self.mixer.master.out if self.native else self.mixer.master

    def track_out(self, name: str) -> Any:
        """The stereo post-fader signal of a track (a stem)."""
        if self.native:
            return self.mixer.strip(name).post_fader
        return self.mixer.track_out(name)

    def close(self) -> None:
        """Release the mixer's objects."""
        close = getattr(self.mixer, "close", None)
        if close is not None:
            close()


def make_mixer_link(sample_rate: int, block_size: int) -> MixerLink:
    """S3's Mixer when `synths.mixer` exists, else the summing fallback."""
    try:
        from synths.effects.base import EffectContext  # noqa: PLC0415
        from synths.mixer import Mixer  # noqa: PLC0415
    except ImportError:
        return MixerLink(SumMixer(sample_rate), native=False)
    return MixerLink(Mixer(EffectContext(sr=sample_rate)), native=True)
