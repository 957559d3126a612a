"""The engine mirror: the audio engine holds what the session's tracks need, kept in step.

The session's tracks live in this process; the engine (in a child process, or in this one for a
render) holds an engine track for each session track whose events reach it: the voice pools of
its instruments, its effect chain and its fader. `EngineMirror` keeps the two in step:

* before a new pattern goes live, its instruments are checked against the registry and their
  pools created (`validate_events`), so pyo's creation order keeps the track sample-exact and an
  unknown instrument fails the evaluation; effects are checked by `validate_fx`;
* a track's chain, gain and pan changes are pushed (`push_chain`, `push_gain`, `push_pan`); a
  track that comes to the engine gets its pools (`instruments`, `ensure_track`), and a new engine
  track the track's whole mix;
* after the engine was lost, a new engine process is booted (`reconnect`), brought up (`attach`)
  and every track restored (`restore_track`, also run over a whole set before a render);
* sample folders (`load_samples`) and recordings (`record`) live in the engine too.

`boot` starts the engine of an audio mode and picks the clock that goes with it.

>>> whole_blocks(0.01, 48000, 256) * 48000
512.0
>>> instrument_key({"s": "bd", "bank": "808"}), instrument_key({"note": 60})
('bd@808', None)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from livecode.clock import AudioClock, Clock, MonotonicClock, VirtualClock
from livecode.engine_api import AudioEngine, EngineOptions, LockedEngine, ManualEngine
from livecode.errors import SessionError, TrackError
from livecode.output_log import maybe_to_log
from livecode.targets import ENGINE_ONLY_KEYS, event_params, event_route

if TYPE_CHECKING:
    from livecode.outputs import Outputs
    from livecode.tracks import Track, TrackTable

__all__ = ["EngineMirror", "Booted", "boot", "warm_up", "validate_fx", "chain_specs", "instrument_key",
           "whole_blocks", "DUCK_KIND"]

DUCK_KIND = "duck"
"""The effect kind a track's `duck(source)` adds at the end of its chain."""


@dataclass(frozen=True, slots=True)
class Booted:
    """The engine of an audio mode (None for "none"), its clock, and the engine again when it
    runs in this process in manual mode (a render drives it)."""

    engine: AudioEngine | None
    clock: Clock
    manual: ManualEngine | None = None


def boot(audio: str, sr: int, block: int, options: EngineOptions, log: Path | None = None) -> Booted:
    """Start the engine of `audio` ("none", "manual", or a backend run in its own process) and
    pick its clock; what the audio libraries print meanwhile goes to `log` (when given)."""
    if audio == "none":
        return Booted(None, MonotonicClock(sr))
    if audio == "manual":
        from synths.engine import Engine

        engine = Engine(backend="manual", sample_rate=sr, block_size=block, **options)
        engine.boot()
        return Booted(engine, VirtualClock(engine.sample_rate), engine)
    from synths.process import EngineProcess

    process = EngineProcess(backend=audio, sample_rate=sr, block_size=block, **options)
    with maybe_to_log(log):
        process.boot()
    locked = LockedEngine(process)
    warm_up(locked)
    return Booted(locked, AudioClock(locked.clock, locked.sample_rate))


def warm_up(engine: AudioEngine) -> None:
    """Read the engine's stats once before anything plays: the first reading sets up the meters
    and held the audio thread for ~0.2 s (30 blocks) here, a glitch if the status bar's first
    poll came while a reconnected set was already playing."""
    try:
        engine.stats()
    except Exception:  # noqa: BLE001 - a failing engine is reported by the status bar's next poll
        pass


def whole_blocks(seconds: float, sample_rate: float, block: int) -> float:
    """`seconds` rounded up to a whole number of audio blocks.

    A reconnect moves the timeline by whole blocks, so every onset keeps its sample position
    inside the block (and its whole-frame grid) from the first engine: the new engine plays the
    set exactly as a fresh session does.
    """
    frames = math.ceil(seconds * sample_rate / block - 1e-9) * block
    return frames / sample_rate


def instrument_key(params: dict[str, object]) -> str | None:
    """`s` or `s@bank` as the engine's add_track takes it (None without an `s`)."""
    name = params.get("s", params.get("sound"))
    if not isinstance(name, str):
        return None
    bank = params.get("bank")
    return f"{name}@{bank}" if bank is not None else name


def validate_fx(kind: str, params: dict[str, object]) -> tuple[str, dict[str, tuple[float, float]]]:
    """The canonical effect kind and the ranges of the patterned params; TrackError for an
    unknown kind or parameter.

    Plain values are range-checked here; patterned values must be patterns (the scheduler
    clamps their samples to the ranges).

    >>> validate_fx("lowpass", {"cutoff": 800})
    ('lpf', {})
    """
    from synths.effects import resolve

    try:
        effect = resolve(kind)
    except Exception as err:  # noqa: BLE001 - re-raised as one clear TrackError
        raise TrackError(f"fx: {err}") from None
    table = effect.PARAMS
    ranges: dict[str, tuple[float, float]] = {}
    for name, value in params.items():
        if isinstance(value, str):
            continue  # options such as duck's key= are checked when the chain is built
        if name not in table:
            raise TrackError(f"fx({kind!r}): unknown parameter {name!r} (known: {', '.join(table)})")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                table[name].check(value, effect.KIND)
            except Exception as err:  # noqa: BLE001 - re-raised as one clear TrackError
                raise TrackError(f"fx({kind!r}): {err}") from None
        elif hasattr(value, "query_arc"):
            ranges[name] = (table[name].lo, table[name].hi)
        else:
            raise TrackError(f"fx({kind!r}): {name} must be a number or a pattern, got {value!r}")
    return effect.KIND, ranges


def chain_specs(track: Track) -> list[dict[str, object]]:
    """The engine's chain for `track`: its effects' plain params, then a duck for `duck()`."""
    specs: list[dict[str, object]] = [{"kind": fx.kind, **fx.static_params()} for fx in track.effects]
    if track.duck_source is not None:
        source, amount = track.duck_source
        specs.append({"kind": DUCK_KIND, "key": source, "amount": amount})
    return specs


def _sidechain_sources(track: Track) -> list[str]:
    """The tracks `track`'s chain listens to (an effect's `key=`, then the duck source)."""
    sources = [key for fx in track.effects if isinstance(key := fx.static_params().get("key"), str)]
    if track.duck_source is not None:
        sources.append(track.duck_source[0])
    return sources


class EngineMirror:
    """Keeps the engine's tracks in step with the session's (see the module doc).

    `outputs` holds the engine (or none: then every method does nothing, `record` refuses);
    `tracks` is the session's track table. `options` and `block_size` are what a reconnect boots
    the new engine with.
    """

    def __init__(self, outputs: Outputs, tracks: TrackTable, *, options: EngineOptions | None = None,
                 block_size: int = 256) -> None:
        self.outputs = outputs
        self.tracks = tracks
        self.options: EngineOptions = options if options is not None else {}
        self.block_size = block_size
        """The block size asked of the engine (a reconnect asks again; JACK imposes its own)."""
        self.engine_tracks: dict[str, set[str]] = {}
        """The engine tracks created so far and their instruments (`s` or `s@bank`)."""
        self.sample_folders: list[Path] = []
        """`load_samples()` folders, loaded again into a reconnected engine."""
        self.recording: Path | None = None
        """The file `record()` writes, until `record()` stops it."""

    def reaches(self, name: str) -> bool:
        """Whether track `name` is built in the engine (the outputs' `only`).

        >>> from livecode.outputs import Outputs
        >>> from livecode.tracks import StaticHost, TrackTable
        >>> mirror = EngineMirror(Outputs(), TrackTable(StaticHost()))
        >>> mirror.outputs.only = frozenset({"d1"})
        >>> mirror.reaches("d1"), mirror.reaches("d2")
        (True, False)
        """
        return self.outputs.reaches(name)

    # -- before a pattern goes live --------------------------------------------------------------
    def validate_events(self, track: Track, values: list[object]) -> None:
        """Check event values against the instrument registry (engine targets only) and create
        the instruments found in the engine, before the pattern goes live: an instrument the
        engine refuses fails the evaluation (the track keeps its pattern). Created before any
        effect added later, so pyo's creation order keeps the track sample-exact.
        """
        engine = self.outputs.engine
        if not track.target.engine or engine is None or not self.reaches(track.name):
            return
        from synths.engine import default_resolver
        from synths.events import NoteEvent, prepare_note

        resolver = self.options.get("resolver") or default_resolver
        names: list[str] = []
        for value in values:
            every = event_params(value)
            if not event_route(every, track.target).engine:    # a MIDI-only event
                continue
            params = {k: v for k, v in every.items() if k not in ENGINE_ONLY_KEYS}
            key = instrument_key(params)
            if key is None or key in names:
                continue
            prepare_note(NoteEvent(0, track.name, params, 1), resolver, engine.sample_rate)
            names.append(key)
        if names:                                     # a MIDI-only pattern needs no engine track
            self.ensure_track(track.name, names, required=True, refresh=True)

    # -- changes ---------------------------------------------------------------------------------
    def ensure_track(self, name: str, instruments: Iterable[str] = (), *, required: bool = False,
                     refresh: bool = False) -> None:
        """Create the engine track and the voice pools of `instruments` (`s` or `s@bank`) once;
        with `required`, an engine refusal raises `TrackError` instead of being reported. With
        `refresh` (a pattern about to go live) the engine is asked for every instrument, not only
        those new here: a live engine frees idle pools (`Engine(free_idle=True)`), and a pool
        built again here costs the evaluation, not the first note's lookahead."""
        if self.outputs.engine is None or not self.reaches(name):
            return
        wanted = list(instruments)
        known = self.engine_tracks.get(name)
        fresh = [item for item in wanted if known is None or item not in known]
        if known is not None and not fresh and not (refresh and wanted):
            return
        asked = wanted if refresh else fresh
        if required:
            self.outputs.require_engine(lambda engine: engine.add_track(name, asked))
        else:
            self.outputs.use_engine("add_track", lambda engine: engine.add_track(name, asked))
        self.engine_tracks.setdefault(name, set()).update(fresh)
        if known is None:                             # a new engine track: give it the track's mix
            track = self.tracks[name]
            if track.effects or track.duck_source is not None:
                self.push_chain(track)
            if track.gain_db != 0.0:
                self.push_gain(track)
            if track.pan_pos != 0.5:
                self.push_pan(track)

    def push_chain(self, track: Track) -> None:
        """The track's effect chain to the engine (a sidechain source first: it must exist
        before its consumer)."""
        if not self.reaches(track.name):
            return
        self.ensure_track(track.name)
        for source in _sidechain_sources(track):
            self.ensure_track(source)
        specs = chain_specs(track)
        self.outputs.use_engine("set_chain", lambda engine: engine.set_chain(track.name, specs))

    def push_gain(self, track: Track) -> None:
        """The track's fader gain (dB) to the engine, at the next block."""
        if self.reaches(track.name):
            self.outputs.send_param(track.name, "gain", track.gain_db, None)

    def push_pan(self, track: Track) -> None:
        """The track's fader pan to the engine, at the next block."""
        if self.reaches(track.name):
            self.outputs.send_param(track.name, "pan", track.pan_pos, None)

    def instruments(self, track: Track, begin: Fraction, end: Fraction) -> list[str]:
        """The instruments (`s` or `s@bank`) of `track`'s engine-bound onsets in [begin, end)."""
        try:
            onsets = track.onsets(begin, end)
        except Exception:  # noqa: BLE001 - the scheduler reports pattern errors
            onsets = []
        names: list[str] = []
        for _, _, value in onsets:
            try:
                params = event_params(value)
                key = instrument_key(params) if event_route(params, track.target).engine else None
            except Exception:  # noqa: BLE001 - the scheduler reports bad values
                continue
            if key is not None and key not in names:
                names.append(key)
        return names

    def restore_track(self, track: Track, begin: Fraction, end: Fraction | None = None) -> None:
        """Create `track` in the engine with the pools its engine-bound events over [begin, end)
        need (default: one cycle), then its chain and fader (sources before consumers, so the
        track stays sample-exact). Used on reconnect and, over the whole set, before a render."""
        names = self.instruments(track, begin, begin + 1 if end is None else end)
        if not names and not track.effects:
            return                                    # nothing of this track reaches the engine
        self.ensure_track(track.name, names)
        self.push_chain(track)
        self.push_gain(track)
        self.push_pan(track)

    # -- the engine's own state --------------------------------------------------------------------
    def load_samples(self, folder: str | Path) -> list[str]:
        """Register a folder of samples here (for validation) and in the engine, and remember it
        for a reconnect; returns the kit names."""
        from synths.instruments import load_sample_folder

        path = Path(folder).expanduser().resolve()
        names = load_sample_folder(path).names()
        self.outputs.require_engine(lambda engine: engine.load_samples(str(path)))
        if path not in self.sample_folders:
            self.sample_folders.append(path)
        return names

    def record(self, path: str | Path | None = None, *, stems: str | Path | None = None) -> Path | None:
        """Start recording to `path` (and one file per track into `stems`), or, with no path,
        stop and return the file (see `Session.record`)."""
        if self.outputs.engine is None:
            raise SessionError("record: no audio engine (started with --audio none)")
        if path is None:
            if self.recording is None:
                raise SessionError('record(): nothing is recording; record("take.wav") starts')
            done, self.recording = self.recording, None
            self.outputs.require_engine(lambda engine: engine.record_stop())
            return done
        if self.recording is not None:
            raise SessionError(f"record: already recording to {self.recording}; record() stops it")
        target = Path(path).expanduser().resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = None if stems is None else str(Path(stems).expanduser().resolve())
        self.outputs.require_engine(lambda engine: engine.record_start(str(target), stems=folder))
        self.recording = target
        return target

    # -- a new engine ------------------------------------------------------------------------------
    def reconnect(self, audio: str, sample_rate: int, log: Path | None = None) -> LockedEngine:
        """Close the lost engine and boot a new engine process of backend `audio` (what it and
        the audio libraries print meanwhile goes to `log`, when given); `attach` it next."""
        old = self.outputs.engine
        if old is not None:
            try:
                old.close()
            except Exception:  # noqa: BLE001 - it is already dead
                pass
        from synths.process import EngineProcess

        process = EngineProcess(backend=audio, sample_rate=sample_rate, block_size=self.block_size, **self.options)
        with maybe_to_log(log):
            process.boot()
        return LockedEngine(process)

    def attach(self, engine: AudioEngine) -> None:
        """Make `engine` the one the outputs use (the session holds its lock): it starts empty,
        so every track is created anew (`restore_track`); started, warmed up, samples loaded."""
        self.outputs.engine = engine
        self.outputs.engine_error = None
        self.engine_tracks.clear()
        engine.start()
        warm_up(engine)
        for folder in self.sample_folders:
            self._load_into_engine(str(folder))

    def _load_into_engine(self, folder: str) -> None:
        self.outputs.use_engine("load_samples", lambda engine: engine.load_samples(folder))

    def close(self) -> None:
        """Voices off, the recording finished, the engine stopped and closed."""
        self.outputs.use_engine("panic", lambda engine: engine.panic())
        self.outputs.use_engine("record_stop", lambda engine: engine.record_stop())
        self.outputs.use_engine("stop", lambda engine: engine.stop())
        self.outputs.use_engine("close", lambda engine: engine.close())
