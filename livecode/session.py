"""The session: the composition root that wires clock, tempo, tracks, scheduler, engine and MIDI.

`Session.create(audio=...)` builds everything; nothing starts until `start()`. The REPL evaluates
performer code with `evaluate(code)` (never raises), reads `status()` for the status bar and
`messages()` for one-line errors/warnings from the scheduler.

Audio modes: "auto"/"jack"/"portaudio" run the engine in its own process (`EngineProcess`) and the
audio sample clock is master; "manual" runs a manual-mode engine in this process driven by
`run_blocks()` (render, tests); "none" has no engine (MIDI only, monotonic clock).

>>> session = Session.create(audio="none")
>>> session.evaluate("bpm(130)").ok
True
>>> session.evaluate("d1 >> nosuchname").error
"NameError: name 'nosuchname' is not defined"
>>> session.close()
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path

from livecode.clock import AudioClock, Clock, ManualClock, MonotonicClock, TempoMap, VirtualClock
from livecode.errors import SessionError, TrackError, one_line_error
from livecode.evaluation import EvalResult, is_definition, run_code
from livecode.journal import Journal
from livecode.outputs import LockedEngine, Outputs
from livecode.replay import ResumeReport, action
from livecode.replay import resume as resume_journal
from livecode.scheduler import Scheduler
from livecode.sync.hub import SyncHub
from livecode.status import OutputWatch, Status, TrackStatus, fill_engine_stats, in_use, track_status
from livecode.targets import ENGINE_ONLY_KEYS, event_params, event_route
from livecode.tracks import Track, TrackTable, set_current_source

__all__ = ["Session", "EvalResult", "Status", "TrackStatus", "AUDIO_MODES", "instrument_key", "whole_blocks"]

AUDIO_MODES = ("auto", "jack", "portaudio", "none", "manual")
DUCK_KIND = "duck"


class Session:
    """The live session (see module doc). Use `Session.create`; close with `close()`."""

    def __init__(
        self,
        *,
        clock: Clock,
        engine: object | None = None,
        audio: str = "none",
        bpm: float = 120.0,
        beats_per_cycle: int = 4,
        lookahead: float = 0.1,
        journal: Journal | None = None,
        midi_opener: Callable[[str], object] | None = None,
        max_events_per_cycle: int = 2000,
        eval_timeout: float | None = 3.0,
    ) -> None:
        self.audio = audio
        self.eval_timeout = eval_timeout
        self.clock = clock
        self.engine = engine
        self.tempo = TempoMap(bpm=bpm, beats_per_cycle=beats_per_cycle)
        self.beats_per_cycle = beats_per_cycle
        self.max_events_per_cycle = max_events_per_cycle
        self.lock = threading.RLock()
        self._eval_lock = threading.RLock()    # the REPL and the socket server may both evaluate
        self.outputs = Outputs(engine, midi_opener)
        self.tracks = TrackTable(self)
        self.scheduler = Scheduler(
            self.tracks, self.tempo, clock, self.outputs, lookahead=lookahead,
            max_events_per_cycle=max_events_per_cycle, lock=self.lock,
        )
        self.journal = journal
        self.statements: list[str] = []       # successful non-track statements (for save())
        self._engine_tracks: dict[str, set[str]] = {}     # engine tracks and their instruments
        self.sample_folders: list[Path] = []     # load_samples() folders, restored on reconnect
        self.recording: Path | None = None       # the file record() writes, until record()
        self._eval_warnings: list[str] | None = None
        self.replaying = False                # True while resume() replays: @action methods do nothing
        self.engine_options: dict[str, object] = {}
        self.block_size = 256                  # the block size asked of the engine (reconnect asks again)
        self._started = False
        self._closed = False
        self._namespace: dict[str, object] | None = None
        self.engine_log: Path | None = None     # where a reconnected engine's output goes (the CLI sets it)
        self.syncs = SyncHub(self.scheduler, self.tempo, self.lock, self.outputs.port, self.warn)
        self._output_watch = OutputWatch()

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        audio: str = "auto",
        bpm: float | None = 120.0,
        sr: int = 48000,
        block: int = 256,
        lookahead: float = 0.1,
        midi_out: str | None = None,
        journal: Path | None = None,
        beats_per_cycle: int = 4,
        engine_options: dict[str, object] | None = None,
    ) -> Session:
        """Build a session; `journal` is a directory or file (None: no journal); `bpm` None is 120.

        `engine_options` go to the engine (`polyphony`, `seed`, `jackname`, `resolver`).

        >>> Session.create(audio="none", bpm=90).tempo.bpm
        90.0
        """
        options = dict(engine_options or {})
        if audio not in AUDIO_MODES:
            raise SessionError(f"Session.create: audio must be one of {', '.join(AUDIO_MODES)}, got {audio!r}")
        tempo = 120.0 if bpm is None else bpm
        TempoMap(bpm=tempo, beats_per_cycle=beats_per_cycle)        # bad values fail before any boot
        log = Journal.open(journal) if journal is not None else None
        try:
            engine, clock = _boot(audio, sr, block, options)
        except BaseException:
            if log is not None:
                log.close()
            raise
        try:
            session = cls(clock=clock, engine=engine, audio=audio, bpm=tempo, beats_per_cycle=beats_per_cycle,
                          lookahead=lookahead, journal=log)
        except BaseException:                            # e.g. a bad lookahead: free what was booted
            if engine is not None:
                engine.close()  # type: ignore[attr-defined]
            if log is not None:
                log.close()
            raise
        session.outputs.default_port = midi_out
        session.engine_options = options
        session.block_size = block
        return session

    @property
    def namespace(self) -> dict[str, object]:
        """The prelude namespace the REPL evaluates in (built on first use)."""
        if self._namespace is None:
            from livecode.prelude import build_namespace

            self._namespace = build_namespace(self)
        return self._namespace

    # -- TrackHost -----------------------------------------------------------------------------
    def horizon(self) -> Fraction:
        """The cycle up to which events have been sent."""
        return self.scheduler.horizon

    def warn(self, message: str) -> None:
        """A warning: attached to the current evaluation, else queued as a message."""
        if self._eval_warnings is not None:
            self._eval_warnings.append(message)
        else:
            self.outputs.report(message)

    def validate_fx(self, kind: str, params: dict[str, object]) -> tuple[str, dict[str, tuple[float, float]]]:
        """The canonical effect kind and the ranges of the patterned params; TrackError for an
        unknown kind or parameter.

        Plain values are range-checked here; patterned values must be patterns (the scheduler
        clamps their samples to the ranges).
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

    def validate_events(self, track: Track, values: list[object]) -> None:
        """Check event values against the instrument registry (engine targets only) and create
        the instruments found in the engine, before the pattern goes live: an instrument the
        engine refuses fails the evaluation (the track keeps its pattern). Created before any
        effect added later, so pyo's creation order keeps the track sample-exact.
        """
        if not track.target.engine or self.engine is None:
            return
        from synths.engine import default_resolver
        from synths.events import NoteEvent, prepare_note

        resolver = self.engine_options.get("resolver") or default_resolver
        names: list[str] = []
        for value in values:
            every = event_params(value)
            if not event_route(every, track.target).engine:    # a MIDI-only event
                continue
            params = {k: v for k, v in every.items() if k not in ENGINE_ONLY_KEYS}
            key = instrument_key(params)
            if key is None or key in names:
                continue
            prepare_note(NoteEvent(0, track.name, params, 1), resolver, self.clock.sample_rate)
            names.append(key)
        if names:                                     # a MIDI-only pattern needs no engine track
            self.ensure_engine_track(track.name, names, required=True)

    def track_changed(self, track: Track, what: str) -> None:
        """Push a track change to the engine; a new pattern or target also retries lost MIDI."""
        if what in ("pattern", "target"):
            self.outputs.relink_midi()                # re-sending a .midi(...) line reconnects
        if what == "pattern":
            self.syncs.pattern_set()                  # MIDI clock: Start again after a hush
        elif what == "chain":
            self.ensure_engine_track(track.name)
            self.outputs.call_engine("set_chain", track.name, self._chain_specs(track))
        elif what == "gain":
            self.outputs.send_param(track.name, "gain", track.gain_db, None)
        elif what == "pan":
            self.outputs.send_param(track.name, "pan", track.pan_pos, None)

    def _chain_specs(self, track: Track) -> list[dict[str, object]]:
        specs: list[dict[str, object]] = [{"kind": fx.kind, **fx.static_params()} for fx in track.effects]
        for spec in specs:
            key = spec.get("key")
            if isinstance(key, str):
                self.ensure_engine_track(key)        # a sidechain key must exist before its consumer
        if track.duck_source is not None:
            source, amount = track.duck_source
            self.ensure_engine_track(source)
            specs.append({"kind": DUCK_KIND, "key": source, "amount": amount})
        return specs

    def ensure_engine_track(self, name: str, instruments: Iterable[str] = (), *, required: bool = False) -> None:
        """Create the engine track and the voice pools of `instruments` (`s` or `s@bank`) once;
        with `required`, an engine refusal raises `TrackError` instead of being reported."""
        if self.outputs.engine is None:
            return
        known = self._engine_tracks.get(name)
        fresh = [item for item in instruments if known is None or item not in known]
        if known is not None and not fresh:
            return
        if required:
            self.outputs.require_engine("add_track", name, fresh)
        else:
            self.outputs.call_engine("add_track", name, fresh)
        self._engine_tracks.setdefault(name, set()).update(fresh)
        if known is None:                             # a new engine track: give it the track's mix
            track = self.tracks[name]
            if track.effects or track.duck_source is not None:
                self.track_changed(track, "chain")
            if track.gain_db != 0.0:
                self.track_changed(track, "gain")
            if track.pan_pos != 0.5:
                self.track_changed(track, "pan")

    def load_samples(self, folder: str | Path) -> list[str]:
        """Register a folder of samples (`kit/01.wav` plays as `s("kit:1")`) here and in the
        engine, and remember it for `reconnect_audio()` and `--resume`; returns the kit names."""
        from synths.instruments import load_sample_folder

        path = Path(folder).expanduser().resolve()
        names = load_sample_folder(path).names()
        if self.engine is not None:
            self.outputs.require_engine("load_samples", str(path))
        if path not in self.sample_folders:
            self.sample_folders.append(path)
        return names

    def track(self, name: str) -> Track:
        """The track called `name` (created on first use): `track("bass") >> ...`."""
        return self.tracks[name]

    # -- evaluation ----------------------------------------------------------------------------
    def evaluate(self, code: str) -> EvalResult:
        """Run performer code in the namespace; never raises (except SystemExit from `exit()`).

        Each top-level statement runs in turn; a trailing expression's value is shown. On an error
        the statements before it stay done, the rest is skipped, and the error is one line.
        """
        with self._eval_lock:
            return self._evaluate(code)

    def _evaluate(self, code: str) -> EvalResult:
        warnings: list[str] = []
        self._eval_warnings = warnings
        try:
            run = run_code(code, self.namespace, timeout=self.eval_timeout, around=set_current_source)
        finally:
            self._eval_warnings = None
        self.statements.extend(source for source, stmt in run.done if is_definition(stmt))
        if run.done and self.journal is not None:
            self._journal("\n".join(source for source, _ in run.done))
        run.result.warnings = warnings
        return run.result

    def _journal(self, code: str) -> None:
        try:
            self.journal.append(code)  # type: ignore[union-attr]
        except Exception as err:  # noqa: BLE001 - a full disk must not stop the music
            self.outputs.report(f"journal: {one_line_error(err)}")

    def messages(self) -> list[str]:
        """Errors and warnings from the scheduler and outputs since the last call."""
        return self.outputs.drain()

    # -- performance controls ------------------------------------------------------------------
    def set_bpm(self, bpm: float) -> Fraction:
        """Change tempo on the next beat after what is already scheduled; returns that cycle.

        With Link on, the new tempo also goes to every peer.
        """
        with self.lock:
            at = self.tempo.set_bpm(bpm, after_cycle=self.horizon())
        self.syncs.tempo_set(self.tempo.bpm)
        self._tempo_to_engine()
        return at

    def set_cps(self, cps: float) -> Fraction:
        """Like `set_bpm` in cycles per second."""
        with self.lock:
            at = self.tempo.set_cps(cps, after_cycle=self.horizon())
        self.syncs.tempo_set(self.tempo.bpm)
        self._tempo_to_engine()
        return at

    def _tempo_to_engine(self) -> None:
        """Tell tempo-synced effects (delays) the new tempo (the engine applies it at a block)."""
        if self.outputs.engine is not None and hasattr(self.outputs.engine, "set_tempo"):
            self.outputs.call_engine("set_tempo", self.tempo.bpm)

    def hush(self) -> None:
        """Stop every track's pattern now (effects, mix and tempo stay) and silence at once: the
        engine drops the notes queued in the lookahead and fades every voice out in 5 ms (reverb
        and delay tails ring on); MIDI drops its pending notes and sends a note-off for each
        sounding one. Silence then costs what silence costs (idle voices sleep)."""
        with self.lock:
            for track in self.tracks:
                track.pattern = track.next_pattern = track.last_good = None
                track.swap_at = None
                track.source = None
            self.outputs.call_engine("panic")
            self.outputs.midi_silence()
            self.syncs.hushed()                       # MIDI clock: Stop after the pulses sent

    def panic(self) -> None:
        """hush(), then every pending MIDI message dropped and CC 123 (All Notes Off) on all 16
        channels of every port."""
        self.hush()
        self._release_all()

    @action
    def _release_all(self) -> None:
        """Every engine voice released, MIDI note-offs and CC 123 everywhere (panic's action half)."""
        self.outputs.call_engine("panic")
        self.outputs.midi_panic()

    @action
    def record(self, path: str | Path | None = None, *, stems: str | Path | None = None) -> Path | None:
        """`record("take.wav")` records what plays (the master, 24-bit WAV; with `stems`, one
        file per track in that folder) until `record()`, which stops and returns the file. The
        files are valid WAVs at every moment, even if the process is killed."""
        if self.engine is None:
            raise SessionError("record: no audio engine (started with --audio none)")
        if path is None:
            if self.recording is None:
                raise SessionError('record(): nothing is recording; record("take.wav") starts')
            done, self.recording = self.recording, None
            self.outputs.require_engine("record_stop")
            return done
        if self.recording is not None:
            raise SessionError(f"record: already recording to {self.recording}; record() stops it")
        target = Path(path).expanduser().resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = None if stems is None else Path(stems).expanduser().resolve()
        self.outputs.require_engine("record_start", str(target), stems=None if folder is None else str(folder))
        self.recording = target
        return target

    def solo(self, *tracks: Track | str) -> None:
        """Solo these tracks (others go quiet until `unsolo()`)."""
        for item in tracks:
            self._as_track(item, "solo").soloed = True

    def unsolo(self) -> None:
        """Clear every solo."""
        for track in self.tracks:
            track.soloed = False

    def _as_track(self, item: Track | str, who: str) -> Track:
        if isinstance(item, Track):
            return item
        if isinstance(item, str):
            return self.tracks[item]
        raise TrackError(f"{who}: expected a track like d1 or 'bass', got {item!r}")

    # -- tempo sync (docs/sync.md) -------------------------------------------------------------
    @action
    def midiclock(self, port: str | None) -> None:
        """Send MIDI clock (24 ppqn, Start at the next cycle) to `port`; None sends Stop and ends it.

        >>> s = Session.create(audio="none"); s.midiclock(None); s.syncs.clock_out is None
        True
        >>> s.close()
        """
        self.syncs.midiclock(port)

    @action
    def link(self, enabled: bool = True) -> int:
        """Join (True) or leave (False) the Ableton Link session; returns the number of peers.

        The tempo map follows Link's tempo and beat phase (quantum = beats per cycle) and bpm()
        goes to every peer.
        """
        return self.syncs.link(enabled, self.tempo.bpm, self.beats_per_cycle)

    @action
    def midiclock_in(self, port: str | None) -> None:
        """Follow the MIDI clock arriving from the JACK MIDI output matching `port` (None: stop
        following; the session keeps the last tempo)."""
        self.syncs.midiclock_in(port)

    # -- running -------------------------------------------------------------------------------
    @action
    def start(self) -> None:
        """Start the engine and (live modes) the scheduler thread; cycle 0 starts one lookahead from now."""
        if self._closed:
            raise SessionError("Session.start: the session is closed")
        if self._started:
            return
        self._started = True
        if self.engine is not None:
            self.outputs.call_engine("start")
        if self.audio == "manual":
            self.tempo.rebase(self.clock.now())
            return
        with self.lock:
            self.tempo.rebase(self.clock.now() + self.scheduler.lookahead + 0.02)
        self.scheduler.start()

    @action
    def run_blocks(self, blocks: int, *, tick_every: int = 2) -> None:
        """Manual mode: compute `blocks` audio blocks, ticking the scheduler every `tick_every`."""
        if self.audio != "manual" or self.engine is None:
            raise SessionError("run_blocks: only for sessions created with audio='manual'")
        if not self._started:
            self.start()
        clock = self.clock
        assert isinstance(clock, ManualClock)
        engine = self.engine
        done = 0
        while done < blocks:
            self.scheduler.tick()
            step = min(tick_every, blocks - done)
            engine.process_blocks(step)  # type: ignore[attr-defined]
            done += step
            clock.set(engine.now() / clock.sample_rate)  # type: ignore[attr-defined]

    @property
    def running(self) -> bool:
        """True between start() and close()."""
        return self._started and not self._closed

    def status(self) -> Status:
        """A snapshot for the status bar (never raises)."""
        playing = self._started or self.scheduler.horizon > 0     # before start, time stands at 0
        cycle = max(0.0, self.tempo.cycle_at(self.clock.now())) if playing else 0.0
        bar = int(cycle)
        beat = int((cycle - bar) * self.beats_per_cycle)
        horizon = self.scheduler.horizon
        tracks = [track_status(t, horizon) for t in self.tracks if in_use(t)]
        clock_error = getattr(self.clock, "error", None)
        if clock_error is not None and self.outputs.engine_error is None:
            self.outputs.engine_failed(clock_error)
        status = Status(cycle, bar + 1, beat + 1, self.tempo.bpm, tracks, late=self.scheduler.stats.late,
                        running=self.running, audio=self.audio, engine_error=self.outputs.engine_error,
                        sync=self.syncs.label())
        stats = self.outputs.call_engine("stats") if self.engine is not None else None
        if isinstance(stats, dict):
            fill_engine_stats(status, stats)
            for fault in stats.get("faults", ()):
                self.outputs.report(str(fault))
        if self.engine is not None and self._started and self.audio != "manual":
            frames = stats.get("frames") if isinstance(stats, dict) else None
            status.output = self._output_watch.update(status.output, frames, time.monotonic(),
                                                      lost=self.outputs.engine_error is not None)
        return status

    @action
    def reconnect_audio(self) -> None:
        """After JACK or the engine died: start a new engine (audio modes) and reopen the JACK
        MIDI ports, reconnected by name; every track, effect and tempo is kept."""
        if self.audio == "manual":
            raise SessionError("reconnect_audio: nothing to reconnect with audio='manual'")
        if self.audio != "none":
            self._reconnect_engine()
        lost = self.outputs.relink_midi()
        if lost:
            raise SessionError(f"reconnect_audio: no JACK server for MIDI {', '.join(map(repr, lost))} yet; "
                               "start JACK, then reconnect_audio() again")

    def _reconnect_engine(self) -> None:
        """A new engine process in place of the dead one, the timeline moved by whole blocks."""
        from synths.process import EngineProcess

        old = self.engine
        if old is not None:
            try:
                old.close()  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - it is already dead
                pass
        engine = LockedEngine(EngineProcess(backend=self.audio, sample_rate=int(self.clock.sample_rate),
                                            block_size=self.block_size, **self.engine_options))
        with self._engine_output():
            engine.boot()
        with self.lock:
            self.engine = engine
            self.outputs.engine = engine
            self.outputs.engine_error = None
            self._engine_tracks.clear()
            clock = AudioClock(engine.clock, engine.sample_rate)
            self.clock = clock
            self.scheduler.clock = clock
            self.syncs.clock_changed()
            engine.start()
            _warm_up(engine)
            for folder in self.sample_folders:
                self.outputs.call_engine("load_samples", str(folder))
            target = clock.now() + self.scheduler.lookahead + 0.02
            self.tempo.shift(whole_blocks(target - self.tempo.time_at(self.scheduler.horizon),
                                          clock.sample_rate, engine.block_size))
            for track in self.tracks:
                if in_use(track):
                    self.restore_engine_track(track)

    def _engine_output(self) -> contextlib.AbstractContextManager[None]:
        """Send what a booting engine process writes to `engine_log` (as the CLI's first boot)."""
        if self.engine_log is None:
            return contextlib.nullcontext()
        from livecode.cli import output_to_log

        return output_to_log(self.engine_log)

    def restore_engine_track(
        self, track: Track, begin: Fraction | None = None, end: Fraction | None = None
    ) -> None:
        """Create `track` in the engine with the pools its engine-bound events over [begin, end)
        need (default: its next cycle), then its chain and fader (sources before consumers, so the
        track stays sample-exact). Used on reconnect and, over the whole set, before a render."""
        begin = self.scheduler.horizon if begin is None else begin
        end = begin + 1 if end is None else end
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
        if not names and not track.effects:
            return                                    # nothing of this track reaches the engine
        self.ensure_engine_track(track.name, names)
        for what in ("chain", "gain", "pan"):
            self.track_changed(track, what)

    @action
    def close(self) -> None:
        """Stop cleanly (idempotent): scheduler, MIDI notes off, recording closed, engine stopped."""
        if self._closed:
            return
        self._closed = True
        self.scheduler.stop()
        self.syncs.close()
        self.outputs.close_midi()
        if self.engine is not None:
            self.outputs.call_engine("panic")
            for what in ("record_stop", "stop", "close"):
                if hasattr(self.engine, what):
                    self.outputs.call_engine(what)
        if self.journal is not None:
            self.journal.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- persistence ---------------------------------------------------------------------------
    @action
    def save(self, path: str | Path) -> Path:
        """Write the current state as a set file that play/render (and `load`) accept."""
        from livecode.setfile import save_set

        return save_set(self, Path(path))

    def load(self, path: str | Path) -> None:
        """Evaluate a set file in this session (raises SetFileError naming the line)."""
        from livecode.setfile import load_set

        load_set(self, Path(path))

    @action
    def resume(self, journal_file: Path | None = None) -> ResumeReport:
        """Bring back the state of a journal (default: the latest other than this session's).

        Replays its readable entries in this session before anything plays, without output or
        actions (`livecode.replay`); the report says what came back and what was skipped.
        SessionError if there is no journal, JournalError if it cannot be read at all.
        """
        return resume_journal(self, journal_file)


def _boot(audio: str, sr: int, block: int, options: dict[str, object]) -> tuple[object | None, Clock]:
    """The engine and clock of an audio mode (see `Session.create`)."""
    if audio == "none":
        return None, MonotonicClock(sr)
    if audio == "manual":
        from synths.engine import Engine

        engine = Engine(backend="manual", sample_rate=sr, block_size=block, **options)
        engine.boot()
        return engine, VirtualClock(engine.sample_rate)
    from synths.process import EngineProcess

    process = LockedEngine(EngineProcess(backend=audio, sample_rate=sr, block_size=block, **options))
    process.boot()
    _warm_up(process)
    return process, AudioClock(process.clock, process.sample_rate)


def _warm_up(engine: object) -> None:
    """Read the engine's stats once before anything plays: the first reading sets up the meters
    and held the audio thread for ~0.2 s (30 blocks) here, a glitch if the status bar's first
    poll came while a reconnected set was already playing."""
    stats = getattr(engine, "stats", None)
    if callable(stats):
        try:
            stats()
        except Exception:  # noqa: BLE001 - a failing engine is reported by the status bar's next poll
            pass


def whole_blocks(seconds: float, sample_rate: float, block: int) -> float:
    """`seconds` rounded up to a whole number of audio blocks.

    A reconnect moves the timeline by whole blocks, so every onset keeps its sample position
    inside the block (and its whole-frame grid) from the first engine: the new engine plays the
    set exactly as a fresh session does.

    >>> whole_blocks(0.01, 48000, 256) * 48000
    512.0
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
