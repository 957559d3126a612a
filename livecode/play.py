"""Headless play of a set file: load it into a live session, say what starts, let it run.

`play_set("set.py", bars=8)` plays 8 cycles (bars) and stops; without `bars` it plays until `stop()`
says so (the CLI passes `livecode.interrupt.StopSignals`: Ctrl-C or SIGTERM). Either way the
patterns stop first (no new note), then the reverb and delay tails ring out (until the master
is silent, at most `MAX_TAIL_SECONDS`; a second Ctrl-C ends at once), then the session closes
(notes off, engine stopped). The first message says what starts; scheduler messages (errors,
warnings) follow, all through `on_message` (default: stderr). The `PlayReport` is the summary.

Every session option of the command line is honoured (`SessionOptions`): the session is
created with the audio ones, `resume` replays the last journal before the set file loads, the
sync ones connect after it, and with `socket`, `livecode send` evaluates code in the playing
session through that socket.

Usage (not run as a doctest: it needs a running engine or device)::

    report = play_set("examples/four_on_the_floor.py", bars=1, options=SessionOptions(audio="none"))
    report.cycles >= 1
    # -> True
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from livecode.errors import SetFileError, SocketError
from livecode.interrupt import StopCheck
from livecode.limits import MAX_TAIL_SECONDS, SILENCE_DBFS, SILENCE_SECONDS
from livecode.options import SessionOptions, apply_sync, create_session, resume_line
from livecode.server import Reply, SendServer
from livecode.session import Session

__all__ = ["PlayReport", "play_set", "play_session", "start_line", "summary_line", "serving"]


@dataclass(frozen=True, slots=True)
class PlayReport:
    """How far the set played, what went wrong in time, and why it stopped.

    >>> PlayReport(cycles=8.0, late_events=0, interrupted=False).cycles
    8.0
    """

    cycles: float
    late_events: int
    interrupted: bool
    xruns: int = 0
    seconds: float = 0.0
    """Wall-clock time from the start to the end of the tails."""
    signum: int | None = None
    """The signal that stopped an interrupted play (SIGINT 2, SIGTERM 15)."""
    tail_cut: bool = False
    """The tails still sounded after `MAX_TAIL_SECONDS`, or a second signal cut them."""

    @property
    def bar(self) -> int:
        """The 1-based bar playing when the patterns stopped.

        >>> PlayReport(cycles=11.5, late_events=0, interrupted=True).bar
        12
        """
        return int(self.cycles) + 1


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _bars(cycles: float) -> str:
    """"16 bars", "1 bar", "11.5 bars"."""
    text = f"{cycles:.0f}" if abs(cycles - round(cycles)) < 0.05 else f"{cycles:.1f}"
    return f"{text} bar" + ("" if text == "1" else "s")


def start_line(session: Session, path: Path | str, bars: float | None) -> str:
    """What starts: `playing set.py at 124 BPM for 16 bars on jack (48000 Hz, 256-frame blocks); Ctrl-C stops`.

    >>> start_line(Session.create(audio="none", bpm=90), "set.py", None)
    'playing set.py at 90 BPM until Ctrl-C with no audio (patterns and MIDI only)'
    """
    length = "until Ctrl-C" if bars is None else f"for {_bars(bars)}"
    head = f"playing {path} at {session.tempo.bpm:g} BPM {length}"
    end = "" if bars is None else "; Ctrl-C stops"
    engine = session.engine
    if engine is None:
        return f"{head} with no audio (patterns and MIDI only){end}"
    stats = session.outputs.use_engine("stats", lambda engine: engine.stats())
    backend = stats.get("backend", session.audio) if isinstance(stats, dict) else session.audio
    rate = int(session.clock.sample_rate)
    return f"{head} on {backend} ({rate} Hz, {engine.block_size}-frame blocks){end}"


def summary_line(report: PlayReport, path: Path | str) -> str:
    """The end: `set.py: played 16 bars in 33.1 s  late events 0  xruns 0`.

    >>> summary_line(PlayReport(4.0, 0, False, xruns=2, seconds=8.25), "set.py")
    'set.py: played 4 bars in 8.2 s  late events 0  xruns 2'
    """
    line = (f"{path}: played {_bars(report.cycles)} in {report.seconds:.1f} s  "
            f"late events {report.late_events}  xruns {report.xruns}")
    return line + ("  (tails cut)" if report.tail_cut else "")


def play_session(
    session: Session,
    bars: float | None = None,
    *,
    on_message: Callable[[str], None] = _stderr,
    poll: float = 0.05,
    stop: StopCheck | None = None,
    path: Path | str = "the set",
) -> PlayReport:
    """Start `session`, play until `bars` cycles played (without `bars`: until a song form has
    ended, else for ever) or `stop()` returns a signal number, stop the patterns, let the tails ring out, and report. A KeyboardInterrupt (a second signal)
    while waiting cuts the tails; the caller closes the session."""
    if bars is not None:
        session.scheduler.stop_at = Fraction(bars).limit_denominator(1024)
    session.start()
    started = time.monotonic()
    on_message(start_line(session, path, bars))
    try:
        signum, cycle = _play_until(session, bars, on_message, poll, stop)
    except KeyboardInterrupt:                   # two signals at once: stop without the tails
        signum, cycle = (stop() if stop is not None else None) or signal.SIGINT, session.status().cycle
        _stop_patterns(session)
        tail_cut = True
    else:
        _stop_patterns(session)
        tail_cut = _ring_out(session, on_message, poll)
    status = session.status()
    for message in session.messages():
        on_message(message)
    return PlayReport(cycle, status.late, signum is not None, xruns=status.xruns,
                      seconds=time.monotonic() - started, signum=signum, tail_cut=tail_cut)


def _play_until(
    session: Session, bars: float | None, on_message: Callable[[str], None], poll: float, stop: StopCheck | None,
) -> tuple[int | None, float]:
    """Wait for the end of the bars or a stop request: (the signal number or None, the cycle)."""
    cycle = 0.0
    while True:
        for message in session.messages():
            on_message(message)
        cycle = session.status().cycle
        if bars is not None and cycle >= bars:
            return None, cycle
        if bars is None and session.song.finished(cycle):      # a song form played to its end
            return None, cycle
        signum = stop() if stop is not None else None
        if signum is not None:
            return signum, cycle
        time.sleep(poll)


def _stop_patterns(session: Session) -> None:
    """No new note from now on: what the scheduler has sent (one lookahead) still plays."""
    scheduler = session.scheduler
    with scheduler.lock:
        if scheduler.stop_at is None or scheduler.stop_at > scheduler.horizon:
            scheduler.stop_at = scheduler.horizon


def _ring_out(session: Session, on_message: Callable[[str], None], poll: float) -> bool:
    """Wait until the notes already sent have played and the master stayed below `SILENCE_DBFS`
    for `SILENCE_SECONDS`; True when cut (after `MAX_TAIL_SECONDS`, or by a KeyboardInterrupt)."""
    if session.engine is None:
        return False
    end = session.tempo.time_at(session.scheduler.horizon)     # the last note sent starts by then
    started = time.monotonic()
    quiet_since: float | None = None
    try:
        while time.monotonic() - started < MAX_TAIL_SECONDS:
            status = session.status()
            for message in session.messages():
                on_message(message)
            now = time.monotonic()
            silent = session.clock.now() >= end and status.peak_db < SILENCE_DBFS     # NaN is not silence
            quiet_since = (quiet_since or now) if silent else None
            if quiet_since is not None and now - quiet_since >= SILENCE_SECONDS:
                return False
            time.sleep(poll)
    except KeyboardInterrupt:
        return True
    return True


@contextlib.contextmanager
def serving(session: Session, path: Path | None, on_message: Callable[[str], None] = _stderr) -> Iterator[None]:
    """Meanwhile, `livecode send --socket PATH` evaluates code in `session` (no socket without a
    path). The socket's server runs on its own thread; a socket that cannot be bound is said
    once through `on_message` and the music plays on, as in the REPL."""
    if path is None:
        yield
        return
    loop = asyncio.new_event_loop()
    server = SendServer(lambda code: _evaluate_sent(session, code, on_message), path)
    ready = threading.Event()

    def run() -> None:
        try:
            loop.run_until_complete(server.start())
        except SocketError as err:
            on_message(f"warning: livecode send disabled: {err}")
            ready.set()
            loop.close()
            return
        ready.set()
        loop.run_forever()
        loop.run_until_complete(server.close())
        loop.close()

    thread = threading.Thread(target=run, name="livecode-play-socket", daemon=True)
    thread.start()
    ready.wait()
    try:
        yield
    finally:
        if not loop.is_closed():
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5.0)


async def _evaluate_sent(session: Session, code: str, on_message: Callable[[str], None]) -> Reply:
    """Evaluate code that `livecode send` sent (off the socket's loop) and answer it."""
    try:
        result = await asyncio.to_thread(session.evaluate, code)
    except SystemExit:
        return Reply(ok=False, error="exit() does not stop play: Ctrl-C does")
    if not result.ok:
        on_message(f"send: {result.error}")
    return Reply(ok=result.ok, value=result.value_repr, error=result.error, warnings=list(result.warnings))


def play_set(
    path: str | Path,
    bars: float | None = None,
    options: SessionOptions | None = None,
    *,
    on_message: Callable[[str], None] = _stderr,
    stop: StopCheck | None = None,
    engine_log: Path | None = None,
) -> PlayReport:
    """Play the set file `path` headless for `bars` cycles (None: until `stop()`); then close.

    `options` are the command line's session options (default: all defaults); their `bpm` is the
    tempo until the set file sets its own. With `engine_log`, what the audio libraries and the
    engine process print from C (JACK, ALSA, pyo) goes to that file instead of the terminal.
    """
    if bars is not None and (isinstance(bars, bool) or not isinstance(bars, (int, float)) or bars <= 0):
        raise SetFileError(f"play_set: bars must be a positive number, got {bars!r}")
    options = options if options is not None else SessionOptions()
    session = create_session(options, engine_log=engine_log)
    try:
        if options.resume:
            on_message(resume_line(session))
        session.load(Path(path))
        apply_sync(session, options)                # after the set: state first, then the outside world
        with serving(session, options.socket, on_message):
            return play_session(session, bars, on_message=on_message, stop=stop, path=path)
    finally:
        session.close()
