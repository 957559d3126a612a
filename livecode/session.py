"""The session: the composition root that wires clock, tempo, tracks, scheduler, engine and MIDI.

`Session.create(audio=...)` builds everything; nothing starts until `start()`. The REPL evaluates
performer code with `evaluate(code)` (never raises), reads `status()` for the status bar and
`messages()` for one-line errors/warnings from the scheduler.

Audio modes: "auto"/"jack"/"portaudio" run the engine in its own process (`EngineProcess`) and the
audio sample clock is master; "manual" runs a manual-mode engine in this process driven by
`run_blocks()` (render, tests); "none" has no engine (MIDI only, monotonic clock).

The session is the tracks' host (`livecode.tracks.TrackHost`): a track's changes reach the
outputs through it. What the engine must hold for the tracks is kept by the engine mirror
(`livecode.mirror`), the scheduler's onsets are routed by the outputs (`livecode.outputs`), set
files are `livecode.setfile`'s and resuming a journal is `livecode.replay`'s.

>>> session = Session.create(audio="none")
>>> session.evaluate("bpm(130)").ok
True
>>> session.evaluate("d1 >> nosuchname").error
"NameError: name 'nosuchname' is not defined"
>>> session.close()
"""

from __future__ import annotations

import threading
import time
from fractions import Fraction
from pathlib import Path

from livecode.clock import AudioClock, Clock, ManualClock, TempoMap
from livecode.control.hub import ControlHub
from livecode.engine_api import AudioEngine, EngineOptions, ManualEngine
from livecode.errors import SessionError, TrackError, one_line_error
from livecode.evaluation import EvalResult, is_definition, run_code
from livecode.journal import Journal
from livecode.master_live import LiveMaster
from livecode.mirror import EngineMirror, boot, validate_fx, whole_blocks
from livecode.outputs import MidiOpener, Outputs
from livecode.prelude import build_namespace
from livecode.replay import ResumeReport, action
from livecode.replay import resume as resume_journal
from livecode.scheduler import Scheduler
from livecode.setfile import load_set, save_set
from livecode.song.conductor import Conductor
from livecode.status import OutputWatch, Status, TrackStatus, fill_engine_stats, in_use, track_status
from livecode.sync.hub import SyncHub
from livecode.sync.midi_clock_in import CLOCK_IN_DELAY
from livecode.targets import Target, midi_ports
from livecode.tracks import Track, TrackTable, set_current_source

__all__ = ["Session", "EvalResult", "Status", "TrackStatus", "AUDIO_MODES"]

AUDIO_MODES = ("auto", "jack", "portaudio", "none", "manual")


class Session:
    """The live session (see module doc). Use `Session.create`; close with `close()`."""

    def __init__(
        self,
        *,
        clock: Clock,
        engine: AudioEngine | None = None,
        manual_engine: ManualEngine | None = None,
        audio: str = "none",
        bpm: float = 120.0,
        beats_per_cycle: int = 4,
        lookahead: float = 0.1,
        journal: Journal | None = None,
        midi_opener: MidiOpener | None = None,
        max_events_per_cycle: int = 2000,
        eval_timeout: float | None = 3.0,
        engine_options: EngineOptions | None = None,
        block_size: int = 256,
        engine_log: Path | None = None,
    ) -> None:
        self.audio = audio
        self.eval_timeout = eval_timeout
        self.clock = clock
        self._manual = manual_engine
        self.tempo = TempoMap(bpm=bpm, beats_per_cycle=beats_per_cycle)
        self.beats_per_cycle = beats_per_cycle
        self.max_events_per_cycle = max_events_per_cycle
        self.lock = threading.RLock()
        self._eval_lock = threading.RLock()    # the REPL and the socket server may both evaluate
        self.outputs = Outputs(engine if engine is not None else manual_engine, midi_opener,
                               open_early=audio != "manual")
        self.tracks = TrackTable(self)
        self.mirror = EngineMirror(self.outputs, self.tracks, options=engine_options, block_size=block_size)
        self.engine_log = engine_log            # where a (re)booting engine's output goes (None: terminal)
        self.scheduler = Scheduler(
            self.tracks, self.tempo, clock, self.outputs, lookahead=lookahead,
            max_events_per_cycle=max_events_per_cycle, lock=self.lock,
        )
        self.journal = journal
        self.statements: list[str] = []       # successful non-track statements (for save())
        self._eval_warnings: list[str] | None = None
        self.replaying = False                # True while resume() replays: @action methods do nothing
        self._started = False
        self._closed = False
        self._namespace: dict[str, object] | None = None
        self.syncs = SyncHub(self.scheduler, self.tempo, self.lock, self.outputs.retry_port, self.warn)
        self.live_master = LiveMaster(lambda path, value: self.outputs.send_param("master", path, value, None))
        self._output_watch = OutputWatch()
        self.controls = ControlHub(self)         # MIDI/OSC inputs, bindings, keyboard, rec
        self.song = Conductor(self)            # sections and song form (livecode.song)

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
        engine_options: EngineOptions | None = None,
        engine_log: Path | None = None,
    ) -> Session:
        """Build a session; `journal` is a directory or file (None: no journal); `bpm` None is 120.

        `engine_options` go to the engine (`polyphony`, `seed`, `jackname`, `resolver`); with
        `engine_log`, what an engine process and the audio libraries print while it boots (now
        and at a reconnect) goes to that file instead of the terminal.

        >>> Session.create(audio="none", bpm=90).tempo.bpm
        90.0
        """
        options: EngineOptions = {**engine_options} if engine_options else {}
        if audio not in AUDIO_MODES:
            raise SessionError(f"Session.create: audio must be one of {', '.join(AUDIO_MODES)}, got {audio!r}")
        tempo = 120.0 if bpm is None else bpm
        TempoMap(bpm=tempo, beats_per_cycle=beats_per_cycle)        # bad values fail before any boot
        log = Journal.open(journal) if journal is not None else None
        try:
            booted = boot(audio, sr, block, options, engine_log)
        except BaseException:
            if log is not None:
                log.close()
            raise
        try:
            session = cls(clock=booted.clock, engine=booted.engine, manual_engine=booted.manual, audio=audio,
                          bpm=tempo, beats_per_cycle=beats_per_cycle, lookahead=lookahead, journal=log,
                          engine_options=options, block_size=block, engine_log=engine_log)
        except BaseException:                            # e.g. a bad lookahead: free what was booted
            if booted.engine is not None:
                booted.engine.close()
            if log is not None:
                log.close()
            raise
        session.outputs.default_port = midi_out
        return session

    @property
    def namespace(self) -> dict[str, object]:
        """The prelude namespace the REPL evaluates in (built on first use)."""
        if self._namespace is None:
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
        """The canonical effect kind and the ranges of the patterned params (`mirror.validate_fx`)."""
        return validate_fx(kind, params)

    def validate_events(self, track: Track, values: list[object]) -> None:
        """Check a new pattern's first events; create its instruments in the engine (the mirror)
        and open the MIDI ports they name (off the scheduler's lock, before the pattern plays)."""
        self.mirror.validate_events(track, values)
        self.outputs.open_midi(midi_ports(values, track.target))

    def pattern_changed(self, track: Track) -> None:
        """A new pattern: re-sending a `.midi(...)` line relinks lost MIDI (a port that failed
        was retried in `validate_events`); MIDI clock out starts again after a hush. The engine
        learned its instruments in `validate_events`."""
        self.outputs.relink_midi(retry_failed=False)
        self.syncs.pattern_set()

    def chain_changed(self, track: Track) -> None:
        """The effect chain (or duck) changed: the engine gets it."""
        self.mirror.push_chain(track)

    def gain_changed(self, track: Track) -> None:
        """The fader gain changed: the engine gets it."""
        self.mirror.push_gain(track)

    def pan_changed(self, track: Track) -> None:
        """The fader pan changed: the engine gets it."""
        self.mirror.push_pan(track)

    def mute_changed(self, track: Track) -> None:
        """Mute and unmute are the scheduler's (it stops or resumes sending the track's events at
        its next tick): no output is told. What was sent plays out, tails ring, in the engine as
        on MIDI; the engine track and the MIDI ports stay as they are."""

    def prepare_target(self, track: Track, target: Target) -> None:
        """A `.midi(...)` line: its port is opened (or, after a failure, tried again) now."""
        self.outputs.open_midi([] if target.midi_port is None else [target.midi_port])

    def target_changed(self, track: Track) -> None:
        """The target changed: the ports' links are tried again (a `.midi(...)` line retries
        a port that lost its link); a track whose events now reach the engine gets its
        engine track, the pools its pattern needs from the horizon on and (new) its mix, as for a
        new pattern. A track that leaves the engine keeps its engine track: what was sent rings."""
        self.outputs.relink_midi(retry_failed=False)
        if track.target.engine and self.engine is not None:
            with self.lock:                             # the scheduler queries the track too
                horizon = self.scheduler.horizon
                instruments = self.mirror.instruments(track, horizon, horizon + 1)
            self.mirror.ensure_track(track.name, instruments)

    # -- tracks and samples --------------------------------------------------------------------
    def load_samples(self, folder: str | Path) -> list[str]:
        """Register a folder of samples (`kit/01.wav` plays as `s("kit:1")`) here and in the
        engine, and remember it for `reconnect_audio()` and `--resume`; returns the kit names."""
        return self.mirror.load_samples(folder)

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
            self._journal(self.journal, "\n".join(source for source, _ in run.done))
        run.result.warnings = warnings
        return run.result

    def _journal(self, journal: Journal, code: str) -> None:
        try:
            journal.append(code)
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
        bpm = self.tempo.bpm
        self.outputs.use_engine("set_tempo", lambda engine: engine.set_tempo(bpm))

    def hush(self) -> None:
        """Stop every track's pattern now (effects, mix and tempo stay) and silence at once: the
        engine drops the notes queued in the lookahead and fades every voice out in 5 ms (reverb
        and delay tails ring on); MIDI drops its pending notes and sends a note-off for each
        sounding one. Silence then costs what silence costs (idle voices sleep)."""
        with self.lock:
            self.song.stop()
            for track in self.tracks:
                track.pattern = track.next_pattern = track.last_good = None
                track.swap_at = None
                track.source = None
            self.outputs.use_engine("panic", lambda engine: engine.panic())
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
        self.outputs.use_engine("panic", lambda engine: engine.panic())
        self.outputs.midi_panic()

    @action
    def record(self, path: str | Path | None = None, *, stems: str | Path | None = None) -> Path | None:
        """`record("take.wav")` records what plays (the master, 24-bit WAV; with `stems`, one
        file per track in that folder) until `record()`, which stops and returns the file. The
        files are valid WAVs at every moment, even if the process is killed."""
        return self.mirror.record(path, stems=stems)

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
    def midiclock_in(self, port: str | None, delay: float = CLOCK_IN_DELAY) -> None:
        """Follow the MIDI clock arriving from the JACK MIDI output matching `port`, `delay`
        seconds behind it (None: stop following; the session keeps the last tempo)."""
        self.syncs.midiclock_in(port, delay)

    # -- running -------------------------------------------------------------------------------
    @action
    def start(self) -> None:
        """Start the engine and (live modes) the scheduler thread; cycle 0 starts one lookahead from now."""
        if self._closed:
            raise SessionError("Session.start: the session is closed")
        if self._started:
            return
        self._started = True
        self.outputs.use_engine("start", lambda engine: engine.start())
        if self.audio == "manual":
            self.tempo.rebase(self.clock.now())
            return
        with self.lock:
            self.tempo.rebase(self.clock.now() + self.scheduler.lookahead + 0.02)
        self.scheduler.start()

    @action
    def run_blocks(self, blocks: int, *, tick_every: int = 2) -> None:
        """Manual mode: compute `blocks` audio blocks, ticking the scheduler every `tick_every`."""
        engine = self.manual_engine
        if not self._started:
            self.start()
        clock = self.clock
        assert isinstance(clock, ManualClock)
        done = 0
        while done < blocks:
            self.scheduler.tick()
            step = min(tick_every, blocks - done)
            engine.process_blocks(step)
            done += step
            clock.set(engine.now() / clock.sample_rate)

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
        clock_error = self.clock.error if isinstance(self.clock, AudioClock) else None
        if clock_error is not None and self.outputs.engine_error is None:
            self.outputs.engine_failed(clock_error)
        status = Status(cycle, bar + 1, beat + 1, self.tempo.bpm, tracks, late=self.scheduler.stats.late,
                        running=self.running, audio=self.audio, engine_error=self.outputs.engine_error,
                        sync=self.syncs.label(), lufs_target=self.live_master.target_lufs,
                        song=self.song.label(cycle))
        stats = self.outputs.use_engine("stats", lambda engine: engine.stats())
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
        engine = self.mirror.reconnect(self.audio, int(self.clock.sample_rate), self.engine_log)
        with self.lock:
            clock = AudioClock(engine.clock, engine.sample_rate)
            self.clock = self.scheduler.clock = clock
            self.syncs.clock_changed()
            self.mirror.attach(engine)
            horizon = self.scheduler.horizon
            target = clock.now() + self.scheduler.lookahead + 0.02
            self.tempo.shift(whole_blocks(target - self.tempo.time_at(horizon), clock.sample_rate, engine.block_size))
            for track in self.tracks:
                if in_use(track):
                    self.mirror.restore_track(track, horizon)
            if self.live_master.preset is not None or self.live_master.gain_db:
                self.live_master.restore()

    @action
    def close(self) -> None:
        """Stop cleanly (idempotent): scheduler, MIDI notes off, recording closed, engine stopped."""
        if self._closed:
            return
        self._closed = True
        self.scheduler.stop()
        self.syncs.close()
        self.controls.close()
        self.outputs.close_midi()
        self.mirror.close()
        if self.journal is not None:
            self.journal.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- persistence (livecode.setfile, livecode.replay) --------------------------------------------
    @action
    def save(self, path: str | Path) -> Path:
        """Write the current state as a set file that play/render (and `load`) accept."""
        return save_set(self, Path(path))

    def load(self, path: str | Path) -> None:
        """Evaluate a set file in this session (raises SetFileError naming the line)."""
        load_set(self, Path(path))

    @action
    def resume(self, journal_file: Path | None = None) -> ResumeReport:
        """Bring back the state of a journal (default: the latest other than this session's).

        Replays its readable entries in this session before anything plays, without output or
        actions (`livecode.replay`); the report says what came back and what was skipped.
        SessionError if there is no journal, JournalError if it cannot be read at all.
        """
        return resume_journal(self, journal_file)

    # -- the engine ------------------------------------------------------------------------------
    @property
    def engine(self) -> AudioEngine | None:
        """The audio engine (None with audio="none"); `reconnect_audio()` replaces a lost one."""
        return self.outputs.engine

    @property
    def manual_engine(self) -> ManualEngine:
        """The in-process engine of audio="manual", which `run_blocks()` and a render drive."""
        if self._manual is None or self.audio != "manual":
            raise SessionError("run_blocks: only for sessions created with audio='manual'")
        return self._manual
