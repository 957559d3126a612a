"""Offline render of a set file: the live scheduler and engine, in lockstep with a virtual clock.

`render_set` builds a `Session` with a manual-mode engine (the same `synths.engine.Engine` the
live session uses), evaluates the set file in it, creates every voice pool the set will need
(a dry query of the whole render, so pyo's creation order keeps onsets sample-exact and the stems
exist from the first block), starts recording master and stems, then alternates `scheduler.tick()`
and `engine.process_blocks(2)` with the virtual clock set to the engine's frame count. Nothing
depends on the wall clock, so a render is deterministic: the same set gives a byte-identical
24-bit file.

Length: `bars` cycles (one bar = one cycle of `beats_per_cycle` beats), then the releases, reverb and
delay tails ring out until the files are silent (or a fixed `tail` in seconds); no new note starts
at or after cycle `bars`.

Usage (not run as a doctest: it needs a running engine or device)::

    report = render_set("examples/kpop.py", "/tmp/kpop.wav", bars=2)
    report.duration_s
    # -> 7.60
"""

from __future__ import annotations

import math
import shutil
import signal
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from livecode.clock import ManualClock
from livecode.engine_api import ManualEngine
from livecode.errors import RenderInterrupted, SetFileError
from livecode.interrupt import StopCheck
from livecode.limits import MAX_RENDER_BARS, MAX_TAIL_SECONDS, SILENCE_DBFS, SILENCE_SECONDS
from livecode.poolfit import pool_sizes
from livecode.session import Session
from synths.errors import RecordingWriteError, RenderError

__all__ = [
    "RenderReport", "render_set", "render_session", "analyse_wav", "prepare_pools", "read_wav",
    "render_tick_blocks",
]

Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class RenderReport:
    """The result of a render: loudness, length, late events, and the files written.

    >>> RenderReport(-1.4, -12.4, 33.0, 0, Path("kpop.wav")).duration_s
    33.0
    """

    peak_dbfs: float
    lufs_integrated: float
    duration_s: float
    late_events: int
    path: Path
    stems: tuple[Path, ...] = ()
    fx_stems: tuple[Path, ...] = ()
    """The send buses' returns (`fx-reverb.wav`, `fx-delay.wav`): tracks + these sum to the mix."""
    tail_cut: bool = False
    """True when the tails still sounded after `MAX_TAIL_SECONDS` and the render stopped there."""


def analyse_wav(path: Path) -> tuple[float, float, float]:
    """(peak dBFS, integrated LUFS, duration s) of a 16/24-bit PCM or float WAV:
    `peak, lufs, seconds = analyse_wav(Path("kpop.wav"))`.

    LUFS is -inf for silence or files shorter than one 400 ms gating block.
    """
    data, rate = read_wav(path)
    duration = data.shape[0] / rate if rate else 0.0
    peak = float(np.max(np.abs(data))) if data.size else 0.0
    peak_db = 20.0 * math.log10(peak) if peak > 0 else -math.inf
    lufs = -math.inf
    if peak > 0 and duration >= 0.4:
        # BS.1770 gated loudness without scipy (agrees with pyloudnorm within 0.01 LU)
        from synths.loudness import SILENCE_LUFS, integrated_loudness  # noqa: PLC0415

        value = integrated_loudness(data, rate)
        lufs = value if math.isfinite(value) and value > SILENCE_LUFS else -math.inf
    return peak_db, lufs, duration


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Samples as float64 (frames, channels) and the rate; handles PCM 16/24/32 and float32
    (libsndfile: the same values as unpacking the PCM by hand, a quarter of the CPU for 24 bit):
    `data, rate = read_wav(Path("kpop.wav"))`."""
    from synths.formats import read_audio  # noqa: PLC0415 - livecode imports synths lazily

    audio = read_audio(path)
    return audio.data, audio.sample_rate


def prepare_pools(session: Session, cycles: Fraction) -> None:
    """Create each engine track with the voice pools its events over [0, cycles) will use, then
    its chain and fader (sources before consumers: pyo's creation order keeps onsets exact):
    `prepare_pools(session, Fraction(16))` before recording."""
    if session.engine is None:
        return
    for track in session.tracks:
        if track.pattern is not None or track.next_pattern is not None:
            session.mirror.restore_track(track, Fraction(0), cycles)


def render_session(
    session: Session,
    out_wav: Path,
    bars: float,
    *,
    stems_dir: Path | None = None,
    bits: int | str = 24,
    tail: float | None = None,
    progress: Progress | None = None,
    neutral_master: bool = False,
    stop: StopCheck | None = None,
    start: Fraction = Fraction(0),
    measure: bool = True,
) -> RenderReport:
    """Render an already loaded manual-mode session (see `render_set`): `bars` cycles from cycle
    `start` (the first recorded sample; a song seeks there first, `livecode.song.render`).
    `measure=False` leaves the report's peak and loudness out (NaN; a package's job measures
    its stems itself)."""
    if session.engine is None or session.audio != "manual":
        raise SetFileError("render: the session must be created with audio='manual'")
    engine = session.manual_engine
    if neutral_master:
        engine.mixer.master.set_neutral(True)      # stems sum to the master
    engine.mixer.set_metering(False)               # a render reads no live meters: its report reads the file
    session.outputs.midi_enabled = False          # a render never plays MIDI hardware
    cycles = Fraction(start) + Fraction(bars).limit_denominator(1024)
    session.scheduler.stop_at = cycles
    prepare_pools(session, cycles)
    _preroll(session, Fraction(start))
    signum = stop() if stop is not None else None
    if signum is not None:
        raise RenderInterrupted(f"interrupted before bar 1: nothing was rendered; {out_wav} is untouched", signum)
    _make_folders(out_wav, stems_dir)
    engine.record_start(out_wav, stems=stems_dir, sample_format=bits, silence_dbfs=SILENCE_DBFS)
    plan = _plan(session, cycles, tail)
    try:
        outcome = _render_blocks(session, plan, progress, stop)
    except KeyboardInterrupt:                   # Ctrl-C without a stop check, or a second one
        outcome = _Outcome(signum=(stop() if stop is not None else None) or signal.SIGINT)
    finally:
        written = engine.record_stop()
    error = engine.record_error()
    if error is not None:
        raise error
    if outcome.signum is not None:
        raise RenderInterrupted(_interrupted(session, float(cycles), out_wav, stems_dir), outcome.signum)
    return _report(session, out_wav, stems_dir, written, outcome.tail_cut, measure)


def _make_folders(out_wav: Path, stems_dir: Path | None) -> None:
    for folder, what in ((out_wav.parent, "output folder"), (stems_dir, "stems folder")):
        if folder is None:
            continue
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RenderError(f"cannot create the {what} {folder}: {exc.strerror or exc}") from exc


@dataclass(frozen=True, slots=True)
class _Plan:
    """How many blocks a render computes: the bars, then a fixed tail or until the tails rang out."""

    music_blocks: int
    fixed_blocks: int | None        # bars + a fixed tail; None: ring out
    music_frames: int
    silence_frames: int
    max_blocks: int                 # ring out: at most this many in all
    expected_blocks: int            # for the progress bar: the fixed count, or bars + a short tail
    chunk: int                      # blocks between progress reports and stop checks
    tick_every: int


def _plan(session: Session, cycles: Fraction, tail: float | None) -> _Plan:
    rate = session.clock.sample_rate
    block = session.manual_engine.block_size
    music = session.tempo.time_at(cycles) - session.clock.now()
    fixed = None if tail is None else math.ceil(math.ceil((music + max(0.0, tail)) * rate) / block)
    return _Plan(
        music_blocks=math.ceil(music * rate / block),
        fixed_blocks=fixed,
        music_frames=math.ceil(music * rate),
        silence_frames=math.ceil(SILENCE_SECONDS * rate),
        max_blocks=math.ceil((music + MAX_TAIL_SECONDS) * rate / block),
        expected_blocks=fixed or math.ceil((music + SILENCE_SECONDS + 0.5) * rate / block),
        chunk=max(2, int(rate // block) // 4),
        tick_every=render_tick_blocks(session.scheduler.lookahead, rate, block),
    )


@dataclass(frozen=True, slots=True)
class _Outcome:
    signum: int | None = None       # the signal that stopped the render early
    tail_cut: bool = False          # still sounding after MAX_TAIL_SECONDS


def _render_blocks(session: Session, plan: _Plan, progress: Progress | None, stop: StopCheck | None) -> _Outcome:
    """Compute blocks chunk by chunk until the plan is done, a stop is asked or a write failed."""
    engine = session.manual_engine
    done = 0
    while True:
        finished, cut = _finished(engine, plan, done)
        if finished:
            if progress is not None:
                progress(1.0)
            return _Outcome(tail_cut=cut)
        signum = stop() if stop is not None else None
        if signum is not None:
            return _Outcome(signum=signum)
        if engine.record_error() is not None:
            return _Outcome()
        step = plan.chunk if plan.fixed_blocks is None else min(plan.chunk, plan.fixed_blocks - done)
        session.run_blocks(step, tick_every=plan.tick_every)
        done += step
        if progress is not None:
            progress(min(done / max(1, plan.expected_blocks), 0.99))


def _finished(engine: ManualEngine, plan: _Plan, done: int) -> tuple[bool, bool]:
    """(done?, tail cut?): a fixed plan ends at its block count; a ring-out ends once every file
    has recorded `silence_frames` of silence after the last bar, or at `max_blocks`."""
    if plan.fixed_blocks is not None:
        return done >= plan.fixed_blocks, False
    if done < plan.music_blocks:
        return False, False
    recorded = engine.recorded_frames()
    if recorded >= plan.music_frames + plan.silence_frames and engine.recorded_silence() >= plan.silence_frames:
        return True, False
    return (True, True) if done >= plan.max_blocks else (False, False)


def _interrupted(session: Session, bars: float, out_wav: Path, stems_dir: Path | None) -> str:
    """"interrupted at bar 3 of 16; out.wav keeps the first 4.50 s as a valid WAV"."""
    cycle = session.tempo.cycle_at(session.clock.now())
    where = f"at bar {int(cycle) + 1} of {bars:g}" if cycle < bars else f"while the tail rang out after bar {bars:g}"
    seconds = analyse_wav(out_wav)[2]
    stems = f" (and so do the stems in {stems_dir})" if stems_dir is not None else ""
    return f"interrupted {where}; {out_wav} keeps the first {seconds:.2f} s as a valid WAV{stems}"


def _report(
    session: Session, out_wav: Path, stems_dir: Path | None, written: dict[str, Path], tail_cut: bool,
    measure: bool = True,
) -> RenderReport:
    stats = session.outputs.use_engine("stats", lambda engine: engine.stats())
    late = session.scheduler.stats.late + (int(stats.get("late", 0)) if isinstance(stats, dict) else 0)
    peak, lufs, duration = analyse_wav(out_wav) if measure else (math.nan, math.nan, _seconds(out_wav))
    from synths.engine import FX_STEM_PREFIX  # noqa: PLC0415 - livecode imports synths lazily

    fx_stems = tuple(Path(p) for name, p in written.items() if name.startswith(FX_STEM_PREFIX))
    stems = tuple(Path(p) for name, p in written.items() if name != "master" and Path(p) not in fx_stems)
    if stems_dir is not None:
        master_stem = Path(stems_dir) / "master.wav"
        try:
            shutil.copyfile(out_wav, master_stem)
        except OSError as exc:
            master_stem.unlink(missing_ok=True)
            raise RecordingWriteError(master_stem, exc.errno, exc.strerror or str(exc), None) from exc
        stems += (master_stem,)
    return RenderReport(peak, lufs, duration, late, out_wav, stems, fx_stems, tail_cut)


def _seconds(path: Path) -> float:
    """The length of a PCM or float WAV from its chunks' headers (the samples are not read)."""
    from synths.formats import wav_layout  # noqa: PLC0415 - livecode imports synths lazily

    return wav_layout(path).seconds


def render_tick_blocks(lookahead: float, rate: float, block: int) -> int:
    """Blocks computed per scheduler tick in a render: half the lookahead (at least 2).

    Live, the scheduler ticks every ~10 ms; a render may tick less often because every tick
    schedules all onsets up to `lookahead` ahead, so an event is always queued before its block
    (what is scheduled does not depend on the tick times: onsets, and patterned parameters on
    their 1/16-cycle grid, are the same; tests compare the bytes).

    >>> render_tick_blocks(0.1, 48000, 256)
    9
    """
    return max(2, int(lookahead * rate / block) // 2)


PREROLL_BLOCKS = 16
"""Blocks computed before recording, so faders and effects have glided to their set values."""


def _preroll(session: Session, start: Fraction = Fraction(0)) -> None:
    """Run the engine silently for `PREROLL_BLOCKS`, then start the session: cycle `start` is the
    first recorded sample (nothing before it is scheduled)."""
    engine = session.manual_engine
    clock = session.clock
    engine.process_blocks(PREROLL_BLOCKS)
    if isinstance(clock, ManualClock):
        clock.set(engine.now() / clock.sample_rate)
    session.start()
    if start:
        with session.lock:
            session.scheduler.horizon = start
            session.tempo.shift(clock.now() - session.tempo.time_at(start))


def render_set(
    path: str | Path,
    out_wav: str | Path,
    bars: float,
    stems_dir: str | Path | None = None,
    sr: int = 48000,
    bits: int | str = 24,
    progress: Progress | None = None,
    *,
    tail: float | None = None,
    block: int = 256,
    neutral_master: bool = False,
    stop: StopCheck | None = None,
    fit_pools: bool = True,
) -> RenderReport:
    """Render `bars` cycles of the set file `path` to `out_wav` (and stems, one WAV per track).

    Stems (post-fader, per track, plus `master.wav`) are sample-aligned with the mix; with
    `neutral_master` (and no send effects) they sum to it. `progress(fraction)` is called as
    blocks are computed. Raises SetFileError if the set fails to load.

    After the last bar, releases, reverb and delay tails ring out: the render goes on until every
    file has stayed below `SILENCE_DBFS` for `SILENCE_SECONDS`, at most `MAX_TAIL_SECONDS`
    (`report.tail_cut` then says it was still sounding). `tail=SECONDS` renders exactly that long
    after the last bar instead.

    `stop()` is asked between chunks of blocks (every quarter second of audio); when it returns
    a signal number the render closes its files (valid WAVs of what was rendered) and raises
    `RenderInterrupted` naming the bar. A full disk raises `RecordingWriteError` ("disk full
    writing X"), the files again kept valid.

    With `fit_pools` (default) each track's voice pools hold only the voices its notes need at
    once (`livecode.poolfit`: the set is read once more without audio); False builds the live
    session's full pools.
    """
    if isinstance(bars, bool) or not isinstance(bars, (int, float)) or not 0 < bars <= MAX_RENDER_BARS:
        raise SetFileError(f"render_set: bars must be a number in (0, {MAX_RENDER_BARS}], got {bars!r}")
    sizes = pool_sizes(path, bars, sr, block) if fit_pools else {}
    session = Session.create(audio="manual", sr=sr, block=block, engine_options={"pool_sizes": sizes})
    try:
        session.load(Path(path))
        return render_session(session, Path(out_wav), bars,
                              stems_dir=Path(stems_dir) if stems_dir is not None else None,
                              bits=bits, tail=tail, progress=progress, neutral_master=neutral_master,
                              stop=stop)
    finally:
        session.close()


