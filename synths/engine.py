"""The sample-accurate audio engine: events in, voice pools, mixer, output, recording.

Events (`NoteEvent`, `ParamEvent`) arrive ahead of time through `schedule` from any thread and
wait in an `EventQueue`. pyo calls `Engine._on_block` once per block, before computing it: the
callback pops the events due in that block and triggers pool voices `offset` samples into the
block (`Trig -> SDelay((offset + 0.5) / sr)`), so every onset lands on its exact sample at any
block size, live and offline. Events that arrive late play at the block start and are counted.

>>> from synths.testvoices import resolve_test_voice

Usage (not run as a doctest: it needs a running engine or device)::

    engine = Engine("manual", block_size=64, resolver=resolve_test_voice).boot()
    engine.schedule(NoteEvent(100, "d1", {"s": "click"}, 10))
    engine.process_blocks(4)
    engine.close()
"""

from __future__ import annotations

import collections
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from synths._mixlink import MixerLink, make_mixer_link
from synths.backends import XrunMonitor, boot_server, normalize_backend
from synths.errors import EngineError, ParamError, RecordingWriteError, RenderError, SynthError, TakeError
from synths.events import EventQueue, NoteEvent, ParamEvent, PreparedNote, bus_settings, prepare_note
from synths.denormals import flush_denormals, flushed
from synths.effects.order import (
    StreamGroup,
    alive_in_ranges,
    created_ids_since,
    snapshot,
    streams_of,
)
from synths.effects.reaper import REAP_BUDGET, Reaper
from synths.guard import FiniteGuard, finite, last_samples
from synths.jack_latency import port_latency
from synths.live_input import InputBay, TakeState, round_trip
from synths.pool import VoicePool, cut_group
from synths.recorder import SILENCE_DBFS, Recording, Tap, WavWriter, normalize_format
from synths.retire import TrackSettings, capture, restore
from synths.voice import Voice

if TYPE_CHECKING:
    from synths.mixer import TrackStrip      # imported lazily at boot (`_mixlink`)

__all__ = [
    "Engine", "Resolver", "default_resolver", "FX_STEM_PREFIX", "SLEEP_CHECK_BLOCKS", "SLEEP_AFTER",
    "START_SLOTS", "GROW_MARGIN", "FREE_AFTER",
]

START_SLOTS = 4
"""Voices a new pool starts with when the engine grows pools (`grow_pools`)."""
GROW_MARGIN = 2
"""Voices a growing pool keeps beyond what the scheduled notes need (a stolen note's fade)."""
SLEEP_CHECK_BLOCKS = 8
"""How often (in blocks) the engine looks for strips to put to sleep."""
SLEEP_AFTER = 0.5
"""Seconds a track must be quiet (its voices asleep, its output under -140 dBFS) before its
strip's objects stop: summing point, effects and fader cost nothing until its next note."""
QUIET = 1e-7
TIDY_PAUSE = 0.05
"""Seconds between two `reap` calls of the engine process while a crossfade's leftovers (a
replaced master, faded-out inputs, removed effects) or buried pools wait to be released."""
FREE_AFTER = 30.0
"""Seconds a strip may sleep before its voice pools are freed (`free_idle`): pyo walks every
stream of its list each block, stopped or not (~30 ns a stream), and a dense set's pools are
thousands of streams. After `panic()` (the session's `hush()`) they are freed as soon as their
voices sleep (a panic's faded voice sleeps when its 5 ms fade is over). The next note that names
the instrument builds its pool again."""

FX_STEM_PREFIX = "fx-"
"""Stem name prefix of the shared send buses' returns: `stems/fx-reverb.wav`, `stems/fx-delay.wav`."""

ARM_PER_BLOCK = 2
"""Notes whose voices a live engine arms per block, ahead of their own (`arm_ahead`)."""

METER_INTERVAL = 0.1
"""Seconds a live engine's `stats()` keeps its meter readings: polled more often (`livecode play` polls at 20 Hz),
it returns the last ones instead of reading the rings again with the GIL held against the audio
callback (the REPL's status bar polls at 10 Hz)."""

Resolver = Callable[[str, "str | None"], type[Voice]]


def default_resolver(s: str, bank: str | None = None) -> type[Voice]:
    """The instrument registry (`synths.instruments.resolve`), imported when first needed."""
    from synths.instruments import resolve  # noqa: PLC0415 - the registry imports many modules

    return resolve(s, bank)


def _choke_groups() -> Mapping[str, str]:
    try:
        from synths.instruments import CHOKE_GROUPS  # noqa: PLC0415
    except ImportError:
        return {}
    return CHOKE_GROUPS


def _port_latency(client: Any, port: str, mode: str) -> int:
    """The latency (`mode` "playback"/"capture", the larger end of the range) of the ports
    connected to our `port`: the DAC side of what an output feeds, the ADC side of what feeds an
    input. pyo's own ports report one period whatever is connected, so they are not asked. 0
    when nothing is connected or JACK cannot tell."""
    try:
        own = client.get_port_by_name(port)
        return max((port_latency(other, mode)[1] for other in client.get_all_connections(own)), default=0)
    except Exception:  # noqa: BLE001 - JACK reports a missing port in several ways
        return 0


def _name(voice_cls: type[Voice]) -> str:
    """An instrument's name (its `s` name) from its voice class."""
    return str(getattr(voice_cls, "NAME", voice_cls.__name__))


def _names(classes: Iterable[type[Voice]]) -> list[str]:
    """The instruments' names of voice classes."""
    return [_name(cls) for cls in classes]


def _effect_param_of(track: str, item: object) -> bool:
    """Whether queued `item` is a parameter change of one of `track`'s effects (`set_param`
    queues every `fx.` path as an `_EffectParam`)."""
    return isinstance(item, _EffectParam) and item.track == track


def _keys(specs: Iterable[Mapping[str, Any]]) -> list[str]:
    """The tracks a chain's ducks listen to (their `key`s)."""
    return [spec["key"] for spec in specs if isinstance(spec.get("key"), str)]


def _check_track_name(name: str) -> None:
    """Track names become mixer paths (`d1.gain`): no dots, and not `master` or `bus`.

    >>> _check_track_name("master")
    Traceback (most recent call last):
    ...
    synths.errors.ParamError: track name must be a non-empty str without '.', not 'master' or 'bus'; got 'master'
    """
    if not isinstance(name, str) or not name or "." in name or name in ("master", "bus"):
        raise ParamError(f"track name must be a non-empty str without '.', not 'master' or 'bus'; got {name!r}")


def _checked_sizes(sizes: Mapping[str, int] | None) -> dict[str, int]:
    """Per-track pool sizes, each an int in [1, 256].

    >>> _checked_sizes({"d1": 0})
    Traceback (most recent call last):
    ...
    synths.errors.ParamError: Engine: pool_sizes['d1'] must be an int in [1, 256], not 0
    """
    checked: dict[str, int] = {}
    for name, size in (sizes or {}).items():
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 256:
            raise ParamError(f"Engine: pool_sizes[{name!r}] must be an int in [1, 256], not {size!r}")
        checked[name] = size
    return checked


@dataclass(slots=True)
class _QueuedNote:
    """A prepared note bound to its pool (and the pools it chokes), waiting in the queue."""

    time: int
    note: PreparedNote
    pool: VoicePool
    chokes: tuple[VoicePool, ...]
    armed: bool = False


@dataclass(frozen=True, slots=True)
class _EffectParam(ParamEvent):
    """A queued change of one of a track's effects (`fx.0.cutoff`), stamped with the track's
    chain generation when it was queued (`Engine.set_param`): `set_chain` starts a new
    generation when the effects' kinds change, and a change meant for the chain before is
    dropped where it is applied, even one the audio thread had already taken from the queue."""

    generation: int = 0


@dataclass(slots=True)
class _Control:
    """A callable run inside the audio callback at the start of the next block (time None)."""

    action: Callable[[int], None]
    exclusive: bool = False
    """Run only while no other thread sets up tracks, pools or chains (else retried next block)."""
    drops_block: bool = False
    """Skip the rest of this block's due events (panic)."""
    time: None = None


@dataclass(slots=True)
class _Track:
    name: str
    polyphony: int
    pools: dict[type[Voice], VoicePool]
    freed: list[type[Voice]] = field(default_factory=list)
    """Instruments whose idle pools were freed (`free_idle`): still the track's, built again by
    their next note."""


class Engine:
    """The in-process engine. `boot()` it, `start()` it, `schedule` events, `close()` it.

    Options: `backend` (auto, jack, portaudio, offline, manual), `sample_rate`, `block_size`
    (JACK imposes its own: read `block_size` after boot), `polyphony` (voices per instrument and
    track), `seed` (pyo's global seed, for deterministic renders), `resolver` (`s`, `bank` ->
    Voice class; default: `synths.instruments.resolve`), `sleep_idle` (stop the pyo objects of
    voices whose note is over, so idle voices cost no CPU; default on), `metering` (run the
    level/loudness meter taps read by `stats()["meters"]`; default: on, except for the offline
    backend, whose renders read no meters), `grow_pools` (start each voice pool with
    `START_SLOTS` voices and add voices, outside the audio callback, when the notes scheduled
    ahead will need them: a live set holds a quarter of the pyo objects; default: on for the
    live backends, off for manual and offline), `pool_sizes` (track name -> voices per
    instrument, at most `polyphony`: an offline render fits its pools to its notes,
    `livecode.poolfit`), `arm_ahead` (set up each note's voice in a block before its own, at
    most `ARM_PER_BLOCK` a block, so the onset's block only starts it: a chord costs the block
    it sounds in a fraction of its Python; default: on for the live backends), `free_idle` (free
    the voice pools of a strip asleep for `FREE_AFTER` seconds, or asleep after `panic()`, so
    silence costs what an empty session costs; default: on for the live backends).
    """

    def __init__(
        self,
        backend: str = "auto",
        *,
        sample_rate: int = 48000,
        block_size: int = 256,
        polyphony: int = 16,
        seed: int = 1,
        jackname: str = "livecode",
        resolver: Resolver | None = None,
        sleep_idle: bool = True,
        metering: bool | None = None,
        inputs: int = 0,
        grow_pools: bool | None = None,
        pool_sizes: Mapping[str, int] | None = None,
        arm_ahead: bool | None = None,
        free_idle: bool | None = None,
    ) -> None:
        self.backend = normalize_backend(backend)
        self.grow_pools = self.backend not in ("manual", "offline") if grow_pools is None else bool(grow_pools)
        self.arm_ahead = self.backend not in ("manual", "offline") if arm_ahead is None else bool(arm_ahead)
        self.free_idle = self.backend not in ("manual", "offline") if free_idle is None else bool(free_idle)
        """Free the voice pools of a strip asleep for `FREE_AFTER` seconds, or asleep after
        `panic()` (`service()` does it, outside the audio callback)."""
        self._pool_lock = threading.Lock()      # a note's pool lookup and queueing vs. freeing pools
        self._due: dict[int, int] = {}          # pool id -> the latest onset scheduled on it
        self._hushed: set[str] = set()          # tracks silenced by panic() and given no note since
        self._asleep_at: dict[str, int] = {}    # track -> the frame its strip fell asleep
        self._to_free: collections.deque[str] = collections.deque()
        self._free_asked: set[str] = set()
        self._silenced: set[str] = set()        # tracks silenced by panic() and not asked for since
        self._retired: dict[str, TrackSettings] = {}   # hushed tracks whose strips left the graph
        self._to_retire: collections.deque[str] = collections.deque()
        self._retire_asked: set[str] = set()
        self._retire_lock = threading.Lock()    # a parameter's use vs. its track being retired
        self._tidying = True                    # crossfades may have left something to collect
        self.defer_growth = False
        """True in the engine process: `schedule` (on the notes' own thread) leaves building and
        growing pools to `service()` in the main thread (a note whose pool is missing waits
        there, not the notes behind it)."""
        self._grow_lock = threading.Lock()
        self._grow_wanted: dict[int, tuple[VoicePool, int, str]] = {}
        self._wait_lock = threading.Lock()
        self._waiting: dict[tuple[str, type[Voice]], list[tuple[PreparedNote, float]]] = {}
        """`defer_growth`: notes whose pool does not exist (never built, or freed by
        `free_idle`), with their arrival (`perf_counter`), held until `service()` builds it."""
        self._waited = 0
        self._waited_last: tuple[str, str, float] | None = None
        if isinstance(inputs, bool) or not isinstance(inputs, int) or not 0 <= inputs <= 64:
            raise ParamError(f"Engine: inputs must be an int in [0, 64], not {inputs!r}")
        self.inputs = inputs
        self._bay: InputBay | None = None
        self.sleep_idle = sleep_idle
        self.metering = self.backend != "offline" if metering is None else bool(metering)
        if isinstance(polyphony, bool) or not isinstance(polyphony, int) or not 1 <= polyphony <= 256:
            raise ParamError(f"Engine: polyphony must be an int in [1, 256], not {polyphony!r}")
        self._requested = (sample_rate, block_size)
        self.polyphony = polyphony
        self.pool_sizes = _checked_sizes(pool_sizes)
        self.seed = seed
        self.jackname = jackname
        self._resolve: Resolver = resolver or default_resolver
        self._server: Any = None
        self._sr = sample_rate
        self._bs = block_size
        self._queue = EventQueue(arrivals=collections.deque() if self.arm_ahead else None)
        self._tracks: dict[str, _Track] = {}
        self._pools: list[VoicePool] = []
        self._graveyard: list[tuple[threading.Event, list[VoicePool]]] = []
        self._dirty = False
        self._mixer: MixerLink | None = None
        self._frames = 0
        self._late = 0
        self._late_last: tuple[str, int] | None = None   # the latest late event: track, frames late
        self._played = 0
        self._errors = 0
        self._last_error = ""
        self._chains: dict[str, int] = {}
        """Each track's chain generation (`_EffectParam`)."""
        self._stale_params = 0
        self._recording: Recording | None = None
        self._record_error: RecordingWriteError | None = None
        self._rec_lock = threading.Lock()
        self._setup_lock = threading.RLock()
        self._xruns: XrunMonitor | None = None
        self._cpu_mark = (time.monotonic(), time.process_time())
        self._meters: tuple[float, dict[str, Any]] = (-math.inf, {})
        self._started = False
        self._guard = FiniteGuard()
        self._faults: collections.deque[str] = collections.deque(maxlen=64)
        self._to_reset: collections.deque[str] = collections.deque()
        self._nonfinite = 0
        self._wake_pipe: tuple[int, int] | None = None
        self._jack_offset: int | None = None
        self._output_latency = 0
        self._asleep: dict[str, StreamGroup] = {}
        self._pool_ids: dict[int, list[tuple[int, int]]] = {}
        """The stream ids each pool's construction and growth created (by pool id), for the reaper."""
        self._quiet: dict[str, int] = {}
        self._flushed_thread = 0
        self.denormals_flushed = False
        """True once the audio thread flushes denormals to zero (`synths.denormals`)."""
        self._interrupted = False       # a KeyboardInterrupt caught inside pyo's callback

    # ------------------------------------------------------------------ lifecycle
    def boot(self) -> Engine:
        """Boot the pyo server for the backend and build the mixer; returns self."""
        if self._server is not None:
            return self
        booted = boot_server(self.backend, *self._requested, jackname=self.jackname, inputs=self.inputs)
        self.backend, self._server = booted.backend, booted.server
        self._sr, self._bs = booted.sample_rate, booted.block_size
        if self.seed:
            self._server.setGlobalSeed(int(self.seed))
        self._mixer = make_mixer_link(self._sr, metering=self.metering)
        self._mixer.on_rebuild(self._after_rebuild)
        self._guard.watch(self._mixer.mixer.guarded())
        self._output_latency = self.master_latency()
        if self.inputs > 0:
            self._bay = InputBay(self.inputs)
        self._server.setCallback(self._callback)
        if self.backend == "jack":
            self._xruns = XrunMonitor.open(f"{self.jackname}-xruns")
        return self

    def start(self) -> None:
        """Start computing audio (live backends) or allow `process_blocks` (manual, offline)."""
        self._require()
        if not self._started:
            self._flush_rebuild()
            self._server.start()
            self._started = True
            self._cpu_mark = (time.monotonic(), time.process_time())

    def stop(self) -> None:
        """Stop computing audio; scheduled events stay queued."""
        if self._server is not None and self._started:
            self._server.stop()
            self._started = False

    def close(self) -> None:
        """Stop, finish any recording, release every pyo object and shut the server down."""
        if self._server is None:
            return
        self.record_stop()
        self.stop()
        if self._bay is not None and self._bay.recorder is not None:
            self._bay.recorder.tick()             # a take being recorded keeps what came in
            self._bay.recorder.close()
        if self._xruns is not None:
            self._xruns.close()
            self._xruns = None
        self._guard.close()
        if self._wake_pipe is not None:
            for fd in self._wake_pipe:
                os.close(fd)
            self._wake_pipe = None
        pools, self._pools = self._pools, []
        self._tracks.clear()
        self._retired.clear()
        self._graveyard = []
        if self._mixer is not None:
            self._mixer.close()
            self._mixer = None                   # the newest objects: freed first
        for pool in pools:                       # then the voices, oldest first (see VoicePool.free)
            pool.free()
        pools.clear()
        self._pool_ids.clear()
        server, self._server = self._server, None
        server.shutdown()

    def __enter__(self) -> Engine:
        return self.boot()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _require(self) -> Any:
        if self._server is None:
            raise EngineError("Engine is not booted: call boot() first")
        return self._server

    # ------------------------------------------------------------------ properties
    @property
    def sample_rate(self) -> int:
        """The sample rate the backend really runs at."""
        return self._sr

    @property
    def block_size(self) -> int:
        """The block size the backend really uses (JACK imposes its own)."""
        return self._bs

    @property
    def mixer(self) -> Any:
        """The `synths.mixer.Mixer` (strips, buses, master) of this engine."""
        self._require()
        assert self._mixer is not None
        return self._mixer.mixer

    def now(self) -> int:
        """Frames computed (or being computed) since start: the engine's sample clock."""
        return self._frames

    def clock(self) -> tuple[int, int | None]:
        """`now()` and, on JACK, the offset from engine frames to JACK frames (an onset at
        engine frame F leaves the master at JACK frame F + offset: the master's look-ahead
        included; it moves by a period when the engine misses a cycle), so a JACK MIDI port
        can write at the frame where the audio of the same onset is heard."""
        return self._frames, self._jack_offset

    # ------------------------------------------------------------------ tracks
    def add_track(self, name: str, instruments: Iterable[str] = (), *, polyphony: int | None = None) -> None:
        """Create track `name` (idempotent) and its voice pools for `instruments` (`s` names)."""
        self._require()
        _check_track_name(name)
        poly = min(self.polyphony, self.pool_sizes.get(name, self.polyphony)) if polyphony is None else polyphony
        if isinstance(poly, bool) or not isinstance(poly, int) or not 1 <= poly <= 256:
            raise ParamError(f"add_track: polyphony must be an int in [1, 256], not {poly!r}")
        with self._setup_lock:
            created = self._ensure_track(name, poly)
            for item in instruments:
                s, _, bank = str(item).partition("@")
                created |= self._ensure_pool(self._tracks[name], self._resolve(s, bank or None))
            if instruments:
                self._in_use(name)
            if created:
                self._rebuild()

    def _in_use(self, name: str) -> None:
        """Track `name` was asked for with instruments (a pattern about to go live): `panic()`'s
        quick free no longer applies and its idle clock restarts, so the pattern's first note,
        which may come a while later, finds its pools instead of waiting for a build."""
        self._hushed.discard(name)
        self._silenced.discard(name)
        if name in self._asleep_at:
            self._asleep_at[name] = self._frames

    def _ensure_track(self, name: str, polyphony: int) -> bool:
        """Create track `name` (a retired one comes back with its settings: `synths.retire`);
        False if it exists. The caller rebuilds."""
        if name in self._tracks:
            return False
        _check_track_name(name)
        assert self._mixer is not None
        retired = self._retired.pop(name, None)
        if retired is not None:                    # the tracks its ducks listen to, first
            for key in _keys(retired.chain):
                if key in self._retired:
                    self._ensure_track(key, self.polyphony)
        self._mixer.add_track(name)
        if retired is None:
            self._tracks[name] = _Track(name, polyphony, {})
            return True
        self._tracks[name] = _Track(name, retired.polyphony, {}, list(retired.instruments))
        self._put_settings(name, retired)
        mixer = self._mixer.mixer
        if self._started:                          # its sends may feed buses asleep since
            self._queue.push(_Control(lambda now: mixer.wake_buses()))
        else:
            mixer.wake_buses()
        return True

    def _put_settings(self, name: str, settings: TrackSettings) -> None:
        """Give the new strip of track `name` the settings `capture` kept (controls, mute, solo,
        then the chain)."""
        assert self._mixer is not None
        restore(self._mixer.mixer, name, settings)
        if settings.chain:
            self._mixer.set_chain(name, settings.chain)

    def _bring_back(self, names: Iterable[str]) -> None:
        """Bring the retired tracks among `names` back into the graph (one rebuild)."""
        with self._setup_lock:
            created = False
            for name in [name for name in names if name in self._retired]:
                created |= self._ensure_track(name, self.polyphony)
            if created:
                self._rebuild()

    def _ensure_pool(self, track: _Track, voice_cls: type[Voice]) -> bool:
        if voice_cls in track.pools:
            return False
        if voice_cls in track.freed:
            track.freed.remove(voice_cls)
        before = snapshot(self._server)
        pool = VoicePool(
            voice_cls, track.polyphony, self._sr, self._bs, server=self._server if self.sleep_idle else None,
            slots=START_SLOTS if self.grow_pools else None, name=track.name,
        )
        self._pool_ids[id(pool)] = [created_ids_since(self._server, before)]
        track.pools[voice_cls] = pool
        self._pools = [*self._pools, pool]
        assert self._mixer is not None
        self._mixer.connect(track.name, pool.out)
        return True

    def remove_track(self, name: str) -> None:
        """Remove a track: its voices fade out, its pools and strip are released."""
        self._require()
        with self._setup_lock:
            if self._retired.pop(name, None) is not None:
                return                                # nothing of it is in the graph
            track = self._tracks.pop(name, None)
            if track is None:
                raise ParamError(f"remove_track: no track {name!r} (tracks: {', '.join(self._tracks) or 'none'})")
            self._asleep.pop(name, None)              # its objects leave with it
            for pool in track.pools.values():
                pool.release_all(self._frames)
            gone = set(map(id, track.pools.values()))
            self._pools = [pool for pool in self._pools if id(pool) not in gone]
            assert self._mixer is not None
            self._mixer.remove_track(name)  # the strip fades out and leaves at the next rebuild
            self._bury(list(track.pools.values()))

    def _bury(self, pools: list[VoicePool], successors: dict[int, VoicePool] | None = None) -> None:
        """Keep removed pools alive until the callback has dropped their queued notes (or, with
        `successors` (old pool id -> new pool), moved them to the new pools), so no pyo object is
        ever freed inside the audio loop; earlier burials are released here."""
        self._release_buried()
        dropped = threading.Event()
        ids = {id(pool) for pool in pools}
        moved = successors or {}

        def keep(item: Any) -> bool:
            if not isinstance(item, _QueuedNote):
                return True
            if id(item.pool) in ids:
                if id(item.pool) not in moved:
                    return False
                item.pool = moved[id(item.pool)]
            item.chokes = tuple(moved.get(id(pool), pool) for pool in item.chokes
                                if id(pool) not in ids or id(pool) in moved)
            return True

        def drop_notes(now: int) -> None:
            self._queue.clear(keep=keep)
            dropped.set()
            self._wake()                           # service() hands them to the reaper

        for pool in pools:
            self._due.pop(id(pool), None)
        self._graveyard.append((dropped, pools))
        if self._started:
            self._queue.push(_Control(drop_notes))
        else:
            drop_notes(self._frames)

    def _release_buried(self) -> None:
        """Hand the buried pools whose queued notes are gone to the reaper, which stops their
        objects at once, puts them in freeing order with their streams at the front of pyo's
        list (each free then finds its stream at once instead of scanning thousands:
        `Reaper.bury_sorted`) and frees them a few at a time."""
        done = [pool for event, buried in self._graveyard if event.is_set() for pool in buried]
        if not done:
            return
        self._graveyard = [entry for entry in self._graveyard if not entry[0].is_set()]
        bases = alive_in_ranges(self._server, [ids for pool in done for ids in self._pool_ids.pop(id(pool), [])])
        self._reaper().bury_sorted(self._server, bases, self._setup_lock)

    def _free_pools(self, names: Sequence[str]) -> None:
        """Free the voice pools of the strips `names` (asleep, or silenced by `panic()`) whose
        voices all sleep and whose last note is over (`free_idle`): out of their strips, their
        queued notes dropped (none are left), their objects stopped and handed to the reaper. A
        note that names one of the instruments later builds its pool again (`_pool_for`)."""
        assert self._mixer is not None
        mixer = self._mixer.mixer
        freed: list[tuple[str, VoicePool]] = []
        with self._pool_lock, self._setup_lock:
            for name in names:
                self._free_asked.discard(name)
                track = self._tracks.get(name)
                group = self._asleep.get(name)
                if track is None or not self._free_due(name):
                    continue                       # gone, awake again, or asked for again
                for cls, pool in list(track.pools.items()):
                    if pool.idle and self._due.get(id(pool), -1) + 4 * self._bs <= self._frames:
                        del track.pools[cls]
                        track.freed.append(cls)
                        freed.append((name, pool))
                        outs = streams_of(pool.out)
                        if group is not None:
                            group.discard(outs)
                        for base in outs:
                            base.stop()
                        mixer.strip(name).remove_source(pool.out)
                if not track.pools:                # else asked again (a dropped note's onset is
                    self._hushed.discard(name)     # still ahead: `_due`)
            gone = {id(pool) for _, pool in freed}
            self._pools = [pool for pool in self._pools if id(pool) not in gone]
        if freed:
            with self._setup_lock:                 # notes may come meanwhile: new pools
                self._bury([pool for _, pool in freed])
                self._rebuild()

    def tracks(self) -> list[str]:
        """Track names, in creation order (retired ones last: `synths.retire`)."""
        return [*self._tracks, *self._retired]

    def describe(self) -> dict[str, dict[str, list[str]]]:
        """What the engine plays, for checking it against the session: per track the names of
        its instruments (those whose idle pools `free_idle` freed included: the next note builds
        them again) and the kinds of its effects, in order.

        Usage (not run as a doctest: it needs a running engine)::

            engine.describe() -> {'d1': {'instruments': ['tr808_bd'], 'effects': ['lpf']}}
        """
        self._require()
        assert self._mixer is not None
        mixer = self._mixer.mixer
        described = {
            name: {"instruments": _names([*track.pools, *track.freed]),
                   "effects": [fx.KIND for fx in mixer.strip(name).chain]}
            for name, track in self._tracks.items()
        }
        for name, retired in self._retired.items():   # its strip left the graph; its settings did not
            described[name] = {"instruments": _names(retired.instruments), "effects": retired.kinds()}
        return described

    def reset_track(self, name: str) -> None:
        """Re-create track `name` with fresh pyo objects: the same instruments, effect chain (with
        its values), fader, sends, mute and solo, and its queued notes moved over. Used when the
        guard found it non-finite: a NaN inside a filter or reverb stays there for good."""
        self._require()
        assert self._mixer is not None
        mixer = self._mixer.mixer
        with self._setup_lock:
            if name in self._retired:
                return                                # no pyo object of it is left to reset
            track = self._tracks.pop(name, None)
            if track is None:
                raise ParamError(f"reset_track: no track {name!r} (tracks: {', '.join(self._tracks) or 'none'})")
            self._asleep.pop(name, None)
            settings = capture(mixer.strip(name), track.polyphony, track.freed)
            old = set(map(id, track.pools.values()))
            self._pools = [pool for pool in self._pools if id(pool) not in old]
            mixer.remove_track(name)
            self._ensure_track(name, track.polyphony)
            fresh = self._tracks[name]
            for voice_cls in track.pools:
                self._ensure_pool(fresh, voice_cls)
            fresh.freed = list(track.freed)
            self._put_settings(name, settings)
            successors = {id(pool): fresh.pools[cls] for cls, pool in track.pools.items()}
            self._bury(list(track.pools.values()), successors)
            self._rebuild()

    def service(self) -> None:
        """Do what the audio callback and the notes' thread asked for but cannot do themselves:
        build the pools notes wait for and queue those notes, grow the pools the notes given
        ahead need (`defer_growth`), rebuild the tracks the guard silenced. Called by the engine
        process when woken (`wake_fd`), between blocks in manual mode, and by `stats()`. It also
        lets go of the parameters the callback put to sleep (`ParamSleeper.release`): one whose
        effect is gone is freed here, not in the audio thread."""
        self._build_waiting()
        if self._mixer is not None:
            self._mixer.mixer.ctx.sleeper.release()
        with self._grow_lock:
            wanted, self._grow_wanted = list(self._grow_wanted.values()), {}
        for pool, need, track in wanted:
            if track in self._tracks and pool in self._tracks[track].pools.values():
                self._grow_now(pool, need, track)
        while self._to_reset:
            name = self._to_reset.popleft()
            if name in self._tracks:
                self.reset_track(name)
        if self._to_free:
            self._free_pools([self._to_free.popleft() for _ in range(len(self._to_free))])
        if self._to_retire:
            self._retire([self._to_retire.popleft() for _ in range(len(self._to_retire))])
        self._release_buried()

    def _build_waiting(self) -> None:
        """Build the pools that waiting notes name (`defer_growth`), then queue those notes: the
        build (tens of ms: a strip rebuild) happens here, not on the notes' thread, so the notes
        of the other tracks are never queued behind it. A note whose onset passed meanwhile plays
        late, at once, and is counted (`late`)."""
        with self._wait_lock:
            wanted = list(self._waiting)
        for track_name, voice_cls in wanted:
            self._build_pool(track_name, voice_cls)     # not under the pool lock: notes go on
        with self._wait_lock:
            waiting, self._waiting = self._waiting, {}
            for (track_name, voice_cls), notes in waiting.items():
                for note, _ in notes:
                    self._queue_note(note)
                self._waited += len(notes)
                self._waited_last = (track_name, _name(voice_cls),
                                     round(1000 * (time.perf_counter() - notes[0][1]), 1))

    def _build_pool(self, track_name: str, voice_cls: type[Voice]) -> VoicePool:
        """The pool of `voice_cls` on track `track_name`, built (with the track) if missing."""
        with self._setup_lock:
            created = self._ensure_track(track_name, self.polyphony)
            track = self._tracks[track_name]
            created |= self._ensure_pool(track, voice_cls)
            if created:
                self._rebuild()
            return track.pools[voice_cls]

    def _pool_missing(self, note: PreparedNote) -> bool:
        """True when no pool plays `note`'s instrument on its track (never built, or freed)."""
        track = self._tracks.get(note.track)
        return track is None or note.voice_cls not in track.pools

    def wake_fd(self) -> int:
        """A file descriptor that becomes readable when `service()` has work (read it empty)."""
        if self._wake_pipe is None:
            read, write = os.pipe()
            os.set_blocking(write, False)
            os.set_blocking(read, False)
            self._wake_pipe = (read, write)
        return self._wake_pipe[0]

    def _wake(self) -> None:
        if self._wake_pipe is not None:
            try:
                os.write(self._wake_pipe[1], b"!")
            except BlockingIOError:
                pass                                  # already woken, not yet served

    def _reaper(self) -> Reaper:
        assert self._mixer is not None
        reaper: Reaper = self._mixer.mixer.ctx.reaper
        return reaper

    def reap(self, budget: float | None = REAP_BUDGET) -> int:
        """Free some of the pyo objects rebuilds retired (`synths.effects.reaper`), for at most
        `budget` seconds (None: all that can be); returns how many. The engine process calls it
        between commands, as often as `reap_pause()` says; manual and offline engines free at
        once (`reaping`).

        >>> from synths.testvoices import resolve_test_voice
        >>> engine = Engine("manual", resolver=resolve_test_voice).boot(); engine.start()
        >>> engine.add_track("d1", ["click"]); engine.add_track("d2", ["click"])
        >>> engine.process_blocks(40); engine.mixer.ctx.reaper.freed > 0
        True
        >>> engine.close()
        """
        if self._mixer is None:
            return 0
        self._tidying = self._mixer.mixer.collect()
        self._release_buried()
        return self._reaper().reap(budget)

    @property
    def reaping(self) -> bool:
        """Whether retired pyo objects wait to be freed (`reap`)."""
        return self._mixer is not None and (self._reaper().pending > 0 or self._tidying or bool(self._graveyard))

    def reap_pause(self) -> float | None:
        """Seconds until `reap` is worth calling again (None: nothing waits; see `Reaper.pause`;
        `TIDY_PAUSE` while a crossfade's leftovers or buried pools wait for their release, so a
        session nobody polls for `stats()` frees them too)."""
        if self._mixer is None:
            return None
        pause = self._reaper().pause()
        if self._tidying or self._graveyard:
            return TIDY_PAUSE if pause is None else min(pause, TIDY_PAUSE)
        return pause

    def _rebuild(self) -> None:
        """Rebuild the mixer after new pools: before audio runs, once, when it starts (effects
        re-created so every path is block-exact); manual/offline: at once, between blocks; live:
        here, in the calling thread (under the setup lock), beside the running graph, with the
        output switched to it at the next block start: the audio callback builds nothing (a
        rebuild of 16 tracks takes ~30 ms, six blocks, which inside the callback was an xrun)."""
        assert self._mixer is not None
        mixer = self._mixer
        if not self._started:
            self._dirty = True
        elif self.backend in ("manual", "offline"):
            mixer.rebuild()
            self.reap(None)
        else:
            mixer.rebuild(swap_later=True)

    def _flush_rebuild(self) -> None:
        """Run a rebuild deferred while the engine was not started."""
        if self._dirty and self._mixer is not None:
            self._dirty = False
            self._mixer.rebuild(effects=True)

    def _after_rebuild(self, mixer: Any) -> None:
        self._tidying = True               # what it replaced leaves after its crossfades
        for name in mixer.rebuilt:         # their stopped objects are replaced: start afresh
            if name in self._asleep:
                self._wake_strip(name)
        self._guard.watch(mixer.guarded())
        self._output_latency = self.master_latency()
        recording = self._recording
        if recording is None or self._mixer is None:
            return
        sources = {"master": self._mixer.master_out()}
        for bus in self._mixer.buses():
            sources[FX_STEM_PREFIX + bus] = self._mixer.bus_out(bus)
        sources.update({name: self._mixer.track_out(name) for name in recording.taps if name not in sources})
        if self._started and self.backend not in ("manual", "offline"):
            # a live rebuild runs beside the audio: the taps follow at the block start where the
            # output switches to the new master, so the files lose and repeat no frame
            self._queue.push(_Control(lambda now: recording.retarget(sources)))
        else:
            recording.retarget(sources)

    def load_samples(self, path: str | os.PathLike[str]) -> list[str]:
        """Register the sample kits under `path` (`s("mykit:3")`); returns the kit names."""
        from synths.instruments import load_sample_folder  # noqa: PLC0415

        return load_sample_folder(Path(path)).names()

    def set_tempo(self, bpm: float) -> None:
        """Tell tempo-synced effects (delays) the new tempo, at the next block."""
        self._require()
        assert self._mixer is not None
        ctx = self._mixer.mixer.ctx
        if isinstance(bpm, bool) or not isinstance(bpm, (int, float)) or not 1.0 <= bpm <= 999.0:
            raise ParamError(f"set_tempo: bpm must be a number in [1, 999], not {bpm!r}")
        if self._started:
            self._queue.push(_Control(lambda now: ctx.set_bpm(bpm), exclusive=True))
        else:
            ctx.set_bpm(bpm)

    # ------------------------------------------------------------------ events
    def schedule(self, event: NoteEvent | ParamEvent) -> None:
        """Queue one event (any thread). Bad params raise `ParamError` here, not in the callback."""
        self._require()
        if isinstance(event, ParamEvent):
            self.set_param(event.track, event.path, event.value, event.time)   # an effect's: stamped
            return
        if not isinstance(event, NoteEvent):
            raise ParamError(f"schedule: expected a NoteEvent or ParamEvent, not {type(event).__name__}")
        note = prepare_note(event, self._resolve, self._sr)
        if self.defer_growth and self._pool_missing(note):
            with self._wait_lock:              # built by service(), in the main thread
                self._waiting.setdefault((note.track, note.voice_cls), []).append((note, time.perf_counter()))
            self._wake()
            return
        self._queue_note(note)

    def _queue_note(self, note: PreparedNote) -> None:
        """Bind `note` to its pool (built here when missing) and queue it."""
        with self._pool_lock:                  # no pool is freed between its lookup and the push
            pool, chokes = self._pool_for(note)
            if self.grow_pools:
                self._grow_ahead(pool, note)
            self._due[id(pool)] = max(self._due.get(id(pool), note.time), note.time)
            self._hushed.discard(note.track)
            self._silenced.discard(note.track)
            self._queue.push(_QueuedNote(note.time, note, pool, chokes))

    def _grow_ahead(self, pool: VoicePool, note: PreparedNote) -> None:
        """Give `pool` the voices the notes scheduled ahead will need (`VoicePool.expect`), plus
        `GROW_MARGIN` for a stolen note's fade, before they are due: the new voices are built
        here, outside the audio callback, and the track's strip is rebuilt to read them. With
        `defer_growth` (the engine process, whose notes come on a thread of their own) they are
        built by `service()` in the main thread: the note is queued at once, never behind them."""
        tail = max(0.0, float(pool.slots[0].voice.tail(note.params, note.dur)))
        need = pool.expect(note.time, note.time + int(tail * self._sr) + self._bs) + GROW_MARGIN
        if need <= pool.capacity or pool.capacity >= pool.full:
            return
        if self.defer_growth:
            with self._grow_lock:
                wanted = self._grow_wanted.get(id(pool), (pool, 0, note.track))[1]
                self._grow_wanted[id(pool)] = (pool, max(wanted, need), note.track)
            self._wake()
            return
        self._grow_now(pool, need, note.track)

    def _grow_now(self, pool: VoicePool, need: int, track: str) -> None:
        """Grow `pool` to `need` voices (at least double), and rebuild its track's strip."""
        if need <= pool.capacity or pool.capacity >= pool.full:
            return
        with self._setup_lock:
            old = pool.out
            before = snapshot(self._server)
            pool.grow(max(need, 2 * pool.capacity) - pool.capacity)
            self._pool_ids.setdefault(id(pool), []).append(created_ids_since(self._server, before))
            assert self._mixer is not None
            strip = self._mixer.mixer.strip(track)
            strip.remove_source(old)
            strip.add_source(pool.out)
            self._rebuild()

    def schedule_many(self, events: Iterable[NoteEvent | ParamEvent]) -> None:
        """Queue several events."""
        for event in events:
            self.schedule(event)

    def _pool_for(self, note: PreparedNote) -> tuple[VoicePool, tuple[VoicePool, ...]]:
        track = self._tracks.get(note.track)
        pools = track.pools if track is not None else {}
        pool = pools.get(note.voice_cls)
        if pool is None:
            pool = self._build_pool(note.track, note.voice_cls)
            track = self._tracks[note.track]
        assert track is not None
        groups = _choke_groups()
        group = groups.get(getattr(note.voice_cls, "NAME", ""))
        if group is None:
            return pool, ()
        chokes = tuple(
            other for cls, other in track.pools.items()
            if other is not pool and groups.get(getattr(cls, "NAME", "")) == group
        )
        return pool, chokes

    def retract(self, start: int) -> None:
        """Forget the notes and timed parameter changes already scheduled for frame `start` or
        later (any thread); what is scheduled after this call stays. A timeline that restarts
        (an incoming MIDI Start) replaces what it had sent ahead. A note already sounding plays
        on; a voice armed for a dropped note is freed."""
        self._require()
        with self._wait_lock:
            for key, notes in list(self._waiting.items()):
                kept = [item for item in notes if item[0].time < start]
                if kept:
                    self._waiting[key] = kept
                else:
                    del self._waiting[key]
        self._queue.cut(int(start), self._forget)

    @staticmethod
    def _forget(item: object) -> None:
        """A queued event dropped by `retract` (in the audio callback)."""
        if isinstance(item, _QueuedNote) and item.armed:
            item.pool.disarm(item)

    def set_param(self, track: str, path: str, value: float, time: int | None = None) -> None:
        """Set a mixer/effect parameter of `track` (`"gain"`, `"send.reverb"`, `"fx.0.mix"`), or of
        the master with track `"master"`, at sample `time` (None: next block)."""
        self._require()
        self._param_use(track)
        if path.startswith("fx."):
            self._queue.push(_EffectParam(time, track, path, value, self._chains.get(track, 0)))
        else:
            self._queue.push(ParamEvent(time, track, path, value))

    def _param_use(self, track: str) -> None:
        """A parameter is about to be set on `track`: it is not retired from now on (its event
        would find no strip), and a retired one comes back first."""
        with self._retire_lock:
            self._silenced.discard(track)
            retired = track in self._retired
        if retired:
            self._bring_back([track])

    def set_chain(self, track: str, specs: Sequence[Mapping[str, Any]]) -> None:
        """Replace `track`'s effect chain with `specs` (`[{"kind": "reverb", "room": 0.5}, ...]`).

        When the effects' kinds change, the effect parameters already queued for the track
        (`"fx.0.cutoff"` at a later frame) were meant for the old chain: they are dropped, so
        none reaches another effect at the same index, or an index the new chain lacks, nor a
        chain half rebuilt: the audio thread applies an effect's parameter only while no chain is
        being set (else at the next block) and only if it was queued for the chain there now
        (`_EffectParam`; one it had taken from the queue before this call is dropped too, and
        counted in `stats()["stale_params"]`). (With the same kinds they still fit and stay.)
        What is queued after this call stays."""
        self._require()
        assert self._mixer is not None
        self._tidying = True               # removed effects leave after their crossfade
        with self._setup_lock:
            self._bring_back([*_keys(specs), track])
            before = self._chain_kinds(track)
            self._mixer.set_chain(track, specs)
            if self._chain_kinds(track) != before:
                self._chains[track] = self._chains.get(track, 0) + 1
                self._queue.cut(0, which=partial(_effect_param_of, track))
        self._wake_later(track)

    def _chain_kinds(self, track: str) -> list[str]:
        """The kinds of `track`'s effects, in chain order (none without a strip)."""
        assert self._mixer is not None
        strip = self._mixer.mixer.find(track)
        return [] if strip is None else list(strip.chain.kinds())

    def panic(self) -> None:
        """Drop pending notes and fade out every sounding voice quickly."""
        self._require()
        with self._wait_lock:
            self._waiting.clear()
        if self._started:
            self._queue.push(_Control(self._panic_now, drops_block=True))
        else:
            self._panic_now(self._frames)  # no block is coming: now

    def _panic_now(self, now: int) -> None:
        self._queue.clear(keep=lambda item: isinstance(item, _Control))
        self._hushed = set(self._tracks)        # their pools are freed once their voices sleep
        self._silenced = set(self._tracks)      # and their strips retired once asleep
        for track in list(self._tracks.values()):
            for pool in track.pools.values():
                pool.release_all(now, sleep=True)

    # ------------------------------------------------------------------ the audio callback
    def _callback(self) -> None:
        """pyo's per-block callback. pyo prints and swallows what a callback raises, so a
        KeyboardInterrupt (Ctrl-C lands in the main thread, which runs the callback in manual
        and offline modes) is kept and raised again by `process_blocks` once the block is done."""
        try:
            self._on_block()
        except KeyboardInterrupt:
            self._interrupted = True

    def _on_block(self) -> None:
        now = self._frames
        if self._flushed_thread != threading.get_ident() and self.backend not in ("manual", "offline"):
            self._flushed_thread = threading.get_ident()           # once per audio thread (its own)
            self.denormals_flushed = flush_denormals()
        if self._xruns is not None:
            self._jack_offset = self._xruns.frame_time() - now + self._output_latency
        nonfinite = self._guard.check()
        if nonfinite:
            self._contain(nonfinite)
        dropping = False
        for item in self._queue.pop_due(now + self._bs):
            if dropping and not isinstance(item, _Control):
                continue
            try:
                self._dispatch(item, now)
            except Exception as exc:  # noqa: BLE001 - the audio thread must survive any event
                self._errors += 1
                self._last_error = f"{type(exc).__name__}: {exc}"
            dropping = dropping or (isinstance(item, _Control) and item.drops_block)
        try:
            self._tend_block(now)
        except Exception as exc:  # noqa: BLE001 - the clock must advance and the recording go on
            self._errors += 1
            self._last_error = f"{type(exc).__name__}: {exc}"
        self._frames = now + self._bs
        if self._recording is not None and self._rec_lock.acquire(blocking=False):
            try:
                if self._recording is not None:
                    self._tick_recording(self._recording)
            finally:
                self._rec_lock.release()

    def _tend_block(self, now: int) -> None:
        """The block's housekeeping after its events: arm upcoming notes, put idle voices and
        quiet strips to sleep, tick the mixer's timers and the input bay."""
        if self.arm_ahead:
            self._arm_upcoming(now)
        for pool in self._pools:
            if pool.next_check <= now:
                pool.sleep_idle(now)
        if now // self._bs % SLEEP_CHECK_BLOCKS == 0:
            self._sleep_quiet_strips()
        if self._mixer is not None:
            self._mixer.tick(now)
        if self._bay is not None:
            self._bay.tick()

    def _arm_upcoming(self, now: int) -> None:
        """Arm the voices of up to `ARM_PER_BLOCK` notes that arrived and are due in a later
        block (`VoicePool.arm`), so that their blocks only start them."""
        arrivals = self._queue.arrivals
        armed = 0
        while arrivals and armed < ARM_PER_BLOCK:
            item = arrivals.popleft()
            if isinstance(item, _QueuedNote) and item.time >= now + self._bs and not item.armed:
                note = item.note
                item.armed = item.pool.arm(note.params, note.dur, item.time, now, owner=item)
                armed += 1

    def _tick_recording(self, recording: Recording) -> None:
        """Read the taps into the files; a failed write (disk full) is reported once, as a fault,
        and ends the recording's writing (the files stay valid, see `Recording`)."""
        failed = recording.error is not None
        recording.tick()
        if not failed and recording.error is not None:
            self._record_error = recording.error
            self._fault(f"recording stopped: {recording.error}")

    def _sleep_quiet_strips(self) -> None:
        """Stop the objects of every strip that has been quiet for SLEEP_AFTER seconds (see
        `_wake_strip`); a strip is quiet when all its voices sleep and its output is silent
        (reverb and delay tails have died away)."""
        assert self._mixer is not None
        mixer = self._mixer.mixer
        needed = max(1, round(SLEEP_AFTER * self._sr / (self._bs * SLEEP_CHECK_BLOCKS)))
        for name, track in list(self._tracks.items()):      # a copy: tracks are added meanwhile
            if name in self._asleep:
                self._maybe_free(name, track)
                self._maybe_retire(name, track)
                continue
            try:
                strip = mixer.strip(name)
            except ParamError:
                continue                              # retired or reset meanwhile by the main thread
            idle = all(pool.idle for pool in track.pools.values())
            if idle and name in self._hushed:
                self._maybe_free(name, track)         # after panic(): not waiting for the strip
            quiet = idle and all(abs(value) < QUIET for value in last_samples(strip.post_fader))
            count = self._quiet.get(name, 0) + 1 if quiet else 0
            self._quiet[name] = count
            if count >= needed:
                group = StreamGroup([base._getStream() for pool in track.pools.values()
                                     for base in streams_of(pool.out)]
                                    + strip.streams() + mixer.meter_streams(name))
                group.stop()
                self._asleep[name] = group
                self._asleep_at[name] = self._frames
                self._maybe_free(name, track)
        if (self._tracks or self._retired) and len(self._asleep) == len(self._tracks):
            self._sleep_quiet_buses(needed)

    def _free_due(self, name: str) -> bool:
        """Track `name` may lose its idle pools: silenced by `panic()` and given nothing since,
        or its strip asleep for `FREE_AFTER` seconds (`_in_use` restarts that clock)."""
        if name in self._hushed:
            return True
        slept = self._frames - self._asleep_at.get(name, self._frames)
        return name in self._asleep and slept >= FREE_AFTER * self._sr

    def _maybe_free(self, name: str, track: _Track) -> None:
        """Ask `service()` to free the pools of track `name` (`free_idle`): after `panic()` as
        soon as its voices sleep, else once its strip has slept `FREE_AFTER` seconds."""
        if not self.free_idle or not track.pools or name in self._free_asked:
            return
        if self._free_due(name):
            self._free_asked.add(name)
            self._to_free.append(name)
            self._wake()

    def _maybe_retire(self, name: str, track: _Track) -> None:
        """Ask `service()` to retire track `name` (`synths.retire`): silenced by `panic()`, its
        strip asleep, its pools freed, and nothing recording (`free_idle` only)."""
        if (not self.free_idle or track.pools or name not in self._silenced or name in self._retire_asked
                or self._recording is not None):
            return
        self._retire_asked.add(name)
        self._to_retire.append(name)
        self._wake()

    def _retire(self, names: Sequence[str]) -> None:
        """Take the strips of the tracks `names` out of the graph, keeping their settings
        (`synths.retire`), unless a track was asked for again meanwhile, a note waits for it,
        a recording runs or another strip's chain listens to it (a duck's key)."""
        assert self._mixer is not None
        mixer = self._mixer.mixer
        with self._wait_lock:
            waited = {track for track, _ in self._waiting}
        gone = False
        with self._pool_lock, self._setup_lock:
            keyed = {key for other in mixer.tracks for key in mixer.strip(other).keys()}
            for name in names:
                self._retire_asked.discard(name)
                track = self._tracks.get(name)
                with self._retire_lock:
                    if (track is None or track.pools or name not in self._silenced or name not in self._asleep
                            or name in waited or name in keyed or self._recording is not None):
                        continue
                    self._retired[name] = capture(mixer.strip(name), track.polyphony, track.freed)
                    del self._tracks[name]
                self._asleep.pop(name)                # its stopped objects leave with the strip
                for state in (self._quiet, self._asleep_at):
                    state.pop(name, None)
                self._silenced.discard(name)
                self._hushed.discard(name)
                self._mixer.remove_track(name)
                gone = True
            if gone:
                self._rebuild()

    def _sleep_quiet_buses(self, needed: int) -> None:
        """With every strip asleep, stop the send buses whose tails have died away for
        SLEEP_AFTER seconds (the next strip that wakes wakes them: `_wake_strip`)."""
        assert self._mixer is not None
        mixer = self._mixer.mixer
        for name, bus in mixer.buses.items():
            if not mixer.bus_active(name):
                continue
            key = f"bus.{name}"
            quiet = all(abs(value) < QUIET for value in last_samples(bus.out))
            self._quiet[key] = self._quiet.get(key, 0) + 1 if quiet else 0
            if self._quiet[key] >= needed:
                mixer.sleep_bus(name)
                self._quiet[key] = 0

    def _wake_strip(self, name: str) -> None:
        """Play a sleeping strip's objects again (before a note on it, or a change to it): block
        exact, so a note that wakes it still starts on its sample."""
        group = self._asleep.pop(name, None)
        if group is not None:
            group.play()
            if self._mixer is not None:
                self._mixer.mixer.restart_meter(name)
                self._mixer.mixer.wake_buses()
        self._quiet[name] = 0

    def _wake_later(self, name: str) -> None:
        """Wake strip `name` at the next block start (from any thread; now if not running)."""
        if name not in self._asleep:
            return
        if self._started:
            self._queue.push(_Control(lambda now: self._wake_strip(name)))
        else:
            self._wake_strip(name)

    def _contain(self, names: Sequence[str]) -> None:
        """Non-finite audio at the end of the last block: silence the tracks that carry it (the
        engine process rebuilds them at once, `service`), re-create poisoned send buses and the
        master, and say which instrument or effect it came from. The rest keeps playing."""
        assert self._mixer is not None
        mixer = self._mixer.mixer
        self._nonfinite += 1
        for name in names:
            track, strip = self._tracks.get(name), mixer.find(name)
            if track is not None and strip is not None:   # else retired or gone meanwhile
                culprit = self._culprit(track, strip)
                strip.silence()
                self._to_reset.append(name)
                self._fault(f"{name}: the audio went non-finite (NaN) in {culprit}; "
                            "the track was reset and keeps playing")
        master_reset = False
        for name in names:
            if name.startswith("bus."):
                mixer.reset_bus(name[4:])
                master_reset = True
                self._fault(f"{name[4:]} bus: the audio went non-finite (NaN); the bus was reset")
        if "master" in names and not master_reset:
            mixer.reset_master()
            self._fault("master: the audio went non-finite (NaN); the master chain was reset")
        self._wake()

    def _culprit(self, track: _Track, strip: TrackStrip) -> str:
        """The first object of a track, in signal order, whose output is not finite."""
        for voice_cls, pool in list(track.pools.items()):
            if not finite(last_samples(pool.out)):
                return f"instrument {getattr(voice_cls, 'NAME', voice_cls.__name__)!r}"
        for effect in strip.chain:
            if not finite(last_samples(effect.out)):
                return f"effect {effect.KIND!r}"
        return "its fader"

    def _fault(self, message: str) -> None:
        self._faults.append(message)
        self._errors += 1
        self._last_error = message

    def _dispatch(self, item: Any, now: int) -> None:
        if isinstance(item, _QueuedNote):
            self._play(item, now)
        elif isinstance(item, _EffectParam):
            self._apply_effect_param(item, now)
        elif isinstance(item, ParamEvent):
            self._apply_param(item, now)
        elif not item.exclusive:
            item.action(now)
        elif self._setup_lock.acquire(blocking=False):
            try:
                item.action(now)
            finally:
                self._setup_lock.release()
        else:
            self._queue.push(item)  # setup in progress in another thread: next block

    def _play(self, item: _QueuedNote, now: int) -> None:
        if item.note.track in self._asleep:
            self._wake_strip(item.note.track)
        self._hushed.discard(item.note.track)
        self._silenced.discard(item.note.track)
        offset = self._on_time(item.note.track, item.time - now)
        for pool in item.chokes:
            pool.release_all(now)
        note = item.note
        self._cut_other_pools(item, now)
        item.pool.trigger(note.params, note.dur, offset, now, owner=item if item.armed else None)
        self._played += 1
        assert self._mixer is not None
        for path, value in note.sends:
            self._mixer.set_param(f"{note.track}.{path}", value, offset / self._sr)
        if note.bus:
            for path, value in bus_settings(note.bus, self._mixer.mixer.ctx.bpm):
                self._mixer.set_param(path, value, offset / self._sr)

    def _on_time(self, track: str, offset: int) -> int:
        """`offset` (frames into this block) of an event of `track`; one that arrived after its
        time plays at the block start, and is counted (`late`, `late_last`)."""
        if offset >= 0:
            return offset
        self._late += 1
        self._late_last = (track, -offset)
        return 0

    def _cut_other_pools(self, item: _QueuedNote, now: int) -> None:
        """Tidal's cut groups span the track: a note in group k fades the group's sounding notes
        of the track's other instruments too (its own pool cuts its own in `trigger`)."""
        group = cut_group(item.note.params)
        track = self._tracks.get(item.note.track) if group else None
        if track is None:
            return
        for pool in track.pools.values():
            if pool is not item.pool:
                pool.cut(group, now)

    def _apply_effect_param(self, event: _EffectParam, now: int) -> None:
        """An effect's parameter: applied while no other thread sets a chain up (else at the
        next block, not counted late) and only to the chain it was queued for (else dropped)."""
        if not self._setup_lock.acquire(blocking=False):
            self._queue.push(replace(event, time=None))
            return
        try:
            if event.generation == self._chains.get(event.track, 0):
                self._apply_param(event, now)
            else:
                self._stale_params += 1
        finally:
            self._setup_lock.release()

    def _apply_param(self, event: ParamEvent, now: int) -> None:
        offset = 0 if event.time is None else self._on_time(event.track, event.time - now)
        assert self._mixer is not None
        try:
            self._mixer.set_param(f"{event.track}.{event.path}", float(event.value), offset / self._sr)
        except SynthError as exc:
            self._errors += 1
            self._last_error = str(exc)
        if event.track == "master":                 # neutral or not: the output latency changes
            self._output_latency = self.master_latency()

    # ------------------------------------------------------------------ manual / offline
    def process_blocks(self, count: int) -> None:
        """Compute `count` blocks now (backends manual and offline only)."""
        server = self._require()
        if self.backend not in ("manual", "offline"):
            raise EngineError(f"process_blocks needs backend manual or offline, not {self.backend}")
        if not self._started:
            self.start()
        with flushed() as self.denormals_flushed:        # the caller's thread, put back after
            for _ in range(int(count)):
                server.process()
                if self._interrupted:
                    self._interrupted = False
                    raise KeyboardInterrupt
                if self._to_reset or self._to_free:
                    self.service()
            if self._graveyard:
                self._release_buried()
            if self.reaping:
                self.reap(None)

    # ------------------------------------------------------------------ recording
    def record_start(
        self,
        path: str | os.PathLike[str],
        *,
        stems: str | os.PathLike[str] | None = None,
        sample_format: str | int = "int24",
        max_frames: int | None = None,
        silence_dbfs: float = SILENCE_DBFS,
    ) -> None:
        """Record the master to `path` (WAV, valid at every moment) and, with `stems`, one WAV per
        track into that folder (`<track>.wav`) plus one per shared send bus return
        (`fx-reverb.wav`, `fx-delay.wav`), all sample-aligned with the master: with the master
        neutral, tracks + fx returns sum to it (`engine.record_start("a.wav", stems="stems/")`).

        The master's processing latency (`mixer.master.latency`, seconds, when the master reports
        one) is skipped so master and stems line up; `max_frames` caps every file's length;
        `silence_dbfs` is the level `recorded_silence()` counts as silence.
        """
        self._require()
        fmt = normalize_format(sample_format)
        if self._recording is not None:
            raise EngineError("record_start: already recording; call record_stop() first")
        assert self._mixer is not None
        if stems is not None:
            self._bring_back(list(self._retired))     # every track gets its stem
        self._flush_rebuild()
        # live: read the 1 s rings every ~0.1 s and flush every ~0.2 s (a killed process loses
        # little); offline/manual renders: every ~0.5 s and ~2 s (fewer, larger numpy copies)
        every = 10 if self.backend not in ("offline", "manual") else 2
        recording = Recording(read_every=max(1, self._sr // (every * self._bs)),
                              flush_every=2 if every == 10 else 4)
        try:
            self._add_recorded(recording, Path(path), None if stems is None else Path(stems), fmt,
                               {"max_frames": max_frames, "silence_dbfs": silence_dbfs})
        except RenderError:
            recording.close()                   # the files opened so far stay valid WAVs
            raise
        with self._rec_lock:
            self._recording = recording
            self._record_error = None

    def _add_recorded(
        self, recording: Recording, path: Path, stems: Path | None, fmt: str, options: dict[str, Any],
    ) -> None:
        """Open the master's file and, with `stems`, one per track and per send bus return."""
        assert self._mixer is not None
        latency = self.master_latency()
        recording.add("master", Tap(self._mixer.master_out(), self._sr, skip=latency),
                      WavWriter(path, self._sr, 2, fmt, **options))
        if stems is None:
            return
        for name in self._tracks:
            tap = Tap(self._mixer.track_out(name), self._sr)
            writer = WavWriter(stems / f"{name}.wav", self._sr, 2, fmt, **options)
            recording.add(name, tap, writer)
        for bus in self._mixer.buses():
            name = FX_STEM_PREFIX + bus
            writer = WavWriter(stems / f"{name}.wav", self._sr, 2, fmt, **options)
            recording.add(name, Tap(self._mixer.bus_out(bus), self._sr), writer, optional=True)

    def record_stop(self) -> dict[str, Path]:
        """Finish the recording; returns the written paths by name (`master`, track names).

        A write that failed (now or while recording) is kept in `record_error()`.
        """
        with self._rec_lock:
            recording, self._recording = self._recording, None
            if recording is None:
                return {}
            written = recording.close()
            if recording.error is not None:
                self._record_error = recording.error
            return written

    def recorded_frames(self) -> int:
        """Frames the current recording's files hold so far (the shortest file; they lag the
        engine by up to `Recording.read_every` blocks); 0 when not recording."""
        recording = self._recording
        return recording.frames() if recording is not None else 0

    def recorded_silence(self) -> int:
        """Frames of silence (below `silence_dbfs` of `record_start`) at the end of every file
        recorded so far; the files lag the engine by up to `Recording.read_every` blocks. A render
        lets tails ring out until this reaches a second or so."""
        recording = self._recording
        return recording.trailing_silence() if recording is not None else 0

    def record_error(self) -> RecordingWriteError | None:
        """Why the current (or last stopped) recording could not write its files: the disk is
        full, or another I/O error (its message names the file and what it kept); None if all
        went well: `if (err := engine.record_error()) is not None: raise err`."""
        recording = self._recording
        if recording is not None and recording.error is not None:
            return recording.error
        return self._record_error

    # ------------------------------------------------------------------ audio input and takes
    def record_take(self, path: str | os.PathLike[str], first: int, last: int | None = None, *,
                    channels: Sequence[int] = (1,), sample_format: str = "float32") -> str:
        """Record the dry input `channels` into `path` from engine input frame `first` until `last`
        (None: until `stop_take`); returns the path. Arms at the next block; the file starts on
        input frame `first` exactly (see `synths.live_input`)."""
        bay = self._input_bay()
        recorder = bay.record(Path(path), channels, self._sr, first, last, sample_format)
        self._queue.push(_Control(recorder.arm))
        return str(recorder.writer.path)

    def stop_take(self, last: int | None = None) -> TakeState | None:
        """Punch out at input frame `last` (None: at the next block); the state of the take."""
        bay = self._input_bay()
        recorder = bay.recorder
        if recorder is None:
            return None
        recorder.stop_at(self._frames if last is None else last)
        return recorder.state()

    def take_state(self) -> TakeState | None:
        """The current (or last) take recording's state, None before the first."""
        return None if self._bay is None or self._bay.recorder is None else self._bay.recorder.state()

    def input_latency(self) -> dict[str, int]:
        """The frames between a timeline frame and its echo at the input: `master` (look-ahead),
        `playback` and `capture` (JACK port latencies, 0 elsewhere) and their sum `round_trip`."""
        playback = capture = 0
        if self._xruns is not None:
            playback = _port_latency(self._xruns.client, f"{self.jackname}:output_1", "playback")
            capture = _port_latency(self._xruns.client, f"{self.jackname}:input_1", "capture")
        master = self.master_latency()
        return {"master": master, "playback": playback, "capture": capture,
                "round_trip": round_trip(master, playback, capture)}

    def _input_bay(self) -> InputBay:
        self._require()
        if self._bay is None:
            raise TakeError("audio_in: the engine has no audio inputs (start livecode with --inputs N)")
        return self._bay

    def master_latency(self) -> int:
        """Frames the master bus delays its output (0 when the mixer reports none)."""
        assert self._mixer is not None
        seconds = float(getattr(self._mixer.mixer.master, "latency", 0.0) or 0.0)
        return int(round(seconds * self._sr))

    @property
    def recording(self) -> bool:
        """True while recording."""
        return self._recording is not None

    # ------------------------------------------------------------------ stats
    def _read_meters(self, wall: float) -> dict[str, Any]:
        """The mixer's meters, read at most every `METER_INTERVAL` seconds while the engine
        plays in real time (manual and offline engines read them at every call)."""
        read_at, meters = self._meters
        live = self.backend not in ("manual", "offline")
        if self._mixer is None or (live and wall - read_at < METER_INTERVAL):
            return dict(meters)
        try:
            meters = self._mixer.meters()
        except SynthError as exc:
            self._last_error = str(exc)
            meters = {}
        self._meters = (wall, meters)
        return meters

    def stats(self) -> dict[str, Any]:
        """CPU load (this process, 0..1 of a core since the last call), xruns, late events (and
        `late_last`: the latest one's track and how many frames late it was), the notes that
        waited for their pool to be built in the main thread (`waited`, and `waited_last`: the
        latest pool's track, instrument and the ms its first note waited), meters, and the
        number of pyo streams (`streams`: pyo walks every one, stopped or not, each block) and of
        retired pyo objects the reaper still holds (`retired`), and the effect parameters dropped
        because their chain was replaced after they were queued (`stale_params`, see `set_chain`).

        Raises `EngineError` when the JACK server the engine plays on has stopped.
        """
        if self._xruns is not None and self._xruns.server_gone:
            raise EngineError("the JACK server stopped: the engine has no audio device")
        self.service()
        faults = [self._faults.popleft() for _ in range(len(self._faults))]
        wall, cpu = time.monotonic(), time.process_time()
        last_wall, last_cpu = self._cpu_mark
        self._cpu_mark = (wall, cpu)
        load = (cpu - last_cpu) / (wall - last_wall) if wall > last_wall else 0.0
        meters = self._read_meters(wall)
        return {
            "backend": self.backend,
            "sample_rate": self._sr,
            "block_size": self._bs,
            "frames": self._frames,
            "cpu": round(load, 4),
            "xruns": self._xruns.count if self._xruns is not None else 0,
            "late": self._late,
            "late_last": list(self._late_last) if self._late_last is not None else None,
            "waited": self._waited,
            "waited_last": list(self._waited_last) if self._waited_last is not None else None,
            "played": self._played,
            "pending": len(self._queue),
            "steals": sum(p.steals for t in self._tracks.values() for p in t.pools.values()),
            "voices_awake": sum(pool.awake() for pool in self._pools),
            "pools": len(self._pools),
            "strips_asleep": len(self._asleep),
            "strips_retired": len(self._retired),
            "streams": len(self._server.getStreams()) if self._server is not None else 0,
            "retired": self._reaper().pending if self._mixer is not None else 0,
            "errors": self._errors,
            "stale_params": self._stale_params,
            "last_error": self._last_error,
            "faults": faults,
            "nonfinite": self._nonfinite,
            "recording": self._recording is not None,
            "meters": meters,
        }
