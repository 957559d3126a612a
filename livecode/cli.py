"""The `livecode` command: the REPL, headless play, offline render, devices and send.

    livecode [--bpm 124] [--audio auto|jack|portaudio|none] [--resume]   open the REPL
             [--midi-clock-out PORT] [--midi-clock-in PORT] [--link]     tempo sync (docs/sync.md)
    livecode play SET.py [--bars N]                                      play a set headless
    livecode render SET.py -o out.wav --bars N [--stems DIR] [--sr] [--bits] [--tail S]
    livecode render SET.py -o song.wav --song [--from SECTION|BAR] [--bars N]  the song form
    livecode devices                                                     audio and MIDI devices
    livecode send [FILE] [--lines A:B | --block LINE]                    evaluate in the running session
    livecode master IN.wav -o OUT.wav [--preset streaming]               master a mix (docs/mastering.md)
    livecode qc FILE... [--out DIR]                                      QC report and pictures of files
    livecode new --style kpop-dance --key "A minor" --seed 7 SONG.py     write a starter set file
    livecode tune IN.wav -o OUT.wav --key "A minor" [--speed 0..1]       pitch correction (docs/vocals.md)

Every error is one line on stderr naming the command, never a traceback (set LIVECODE_DEBUG=1 to
see one). Exit status: 0 ok, 1 error, 2 bad usage, 130 after Ctrl-C (SIGINT), 143 after SIGTERM.
`play` and `render` stop cleanly at the first signal (render keeps valid WAVs, play lets the tails
ring out); a second one ends them at once.

>>> args = build_parser().parse_args(["render", "set.py", "-o", "out.wav", "--bars", "8"])
>>> (args.command, args.bars, args.bits)
('render', 8, 24)
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from livecode.argtypes import float_in, int_in, positive_int
from livecode.deliver import master_main, qc_main
from livecode.errors import CliError, Interrupted, plain_line
from livecode.interrupt import StopSignals
from livecode.limits import (
    BLOCK_SIZE_RANGE, MAX_BPM, MAX_LOOKAHEAD, MAX_RENDER_BARS, MAX_TAIL_SECONDS, MIN_BPM, SAMPLE_RATE_RANGE,
)
from livecode.options import SessionOptions
from livecode.output_log import output_to_log
from livecode.package import cli as package_cli
from livecode.starter import new_main
from livecode.tune import tune_main
from patterns.errors import LivecodeError

if TYPE_CHECKING:
    from livecode.render import RenderReport

__all__ = [
    "CliError", "build_parser", "main", "ProgressBar", "session_options", "int_in", "float_in", "with_command",
]

AUDIO_CHOICES = ("auto", "jack", "portaudio", "none")
EXIT_USAGE = 2
EXIT_ERROR = 1


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit with status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _add_session_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Options shared by the REPL and `play`; on subcommands they default to 'not given'."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    group = parser.add_argument_group("session options")
    group.add_argument("--bpm", type=float_in(MIN_BPM, MAX_BPM), default=default(None),
                       help=f"tempo, {MIN_BPM:g} to {MAX_BPM:g} (default 120)")
    group.add_argument("--audio", choices=AUDIO_CHOICES, default=default("auto"), help="audio backend")
    group.add_argument("--block", type=int_in(*BLOCK_SIZE_RANGE, "frames"), default=default(256),
                       help="audio block size (frames, %d to %d)" % BLOCK_SIZE_RANGE)
    group.add_argument("--sr", type=int_in(*SAMPLE_RATE_RANGE, "Hz"), default=default(48000),
                       help="sample rate (Hz, %d to %d)" % SAMPLE_RATE_RANGE)
    group.add_argument("--lookahead", type=float_in(0.0, MAX_LOOKAHEAD, "s", low_open=True), default=default(0.1),
                       help=f"scheduler lookahead (s, at most {MAX_LOOKAHEAD:g})")
    group.add_argument("--midi-out", metavar="PORT", default=default(None), help="default MIDI output port")
    group.add_argument("--midi-clock-out", metavar="PORT", default=default(None),
                       help="send MIDI clock (24 ppqn, Start/Stop) to this MIDI output")
    group.add_argument("--midi-clock-in", metavar="PORT", default=default(None),
                       help="follow the MIDI clock from this JACK MIDI output")
    group.add_argument("--link", action="store_true", default=default(False), help="join the Ableton Link session")
    group.add_argument("--resume", action="store_true", default=default(False), help="bring back the last session")
    group.add_argument("--socket", type=Path, default=default(None), help="socket for `livecode send`")
    group.add_argument("--inputs", type=int_in(0, 64, "channels"), default=default(0),
                       help="open N audio inputs (JACK input ports) for audio_in() and record_take()")


def _version() -> str:
    try:
        return importlib.metadata.version("livecode")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the `livecode` command."""
    parser = _Parser(prog="livecode", description="Live coding music in Python (patterns, pyo, MIDI).",
                     allow_abbrev=False)   # `render --midi FILE` is not an abbreviation of --midi-out
    parser.add_argument("--version", action="version", version=f"livecode {_version()}")
    _add_session_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    play = sub.add_parser("play", help="play a set file headless")
    play.add_argument("set", type=Path, help="set file (Python)")
    play.add_argument("--bars", type=positive_int, default=None, help="stop after N bars (default: until Ctrl-C, or the end of a song form)")
    _add_session_options(play, suppress=True)

    render = sub.add_parser("render", help="render a set file offline to a WAV")
    render.add_argument("set", type=Path, help="set file (Python)")
    render.add_argument("-o", "--output", type=Path, default=None, help="output WAV file")
    render.add_argument("--bars", type=int_in(1, MAX_RENDER_BARS, "bars"), default=None,
                        help=f"length in bars, 1 to {MAX_RENDER_BARS} (needed unless --song)")
    render.add_argument("--song", action="store_true",
                        help="render the set's whole song form (docs/production.md); no --bars needed")
    render.add_argument("--from", dest="start", metavar="SECTION|BAR", default=None,
                        help="start at a section of the song (with --song: to its end) or at a bar number")
    render.add_argument("--stems", type=Path, default=None, metavar="DIR", help="also write one WAV per track")
    render.add_argument("--sr", type=int_in(*SAMPLE_RATE_RANGE, "Hz"), default=48000,
                        help="sample rate (Hz, %d to %d)" % SAMPLE_RATE_RANGE)
    render.add_argument("--bits", type=int, choices=(16, 24, 32), default=24, help="WAV sample format")
    render.add_argument("--tail", type=float_in(0.0, MAX_TAIL_SECONDS, "s"), default=None, metavar="SECONDS",
                        help="seconds rendered after the last bar (default: until the reverb and delay tails "
                             f"ring out, at most {MAX_TAIL_SECONDS:g})")
    render.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    package_cli.add_options(render)

    sub.add_parser("devices", help="list audio and MIDI devices")
    sub.add_parser("master", help="master a mix to a loudness target (livecode master --help)", add_help=False)
    sub.add_parser("qc", help="loudness, peaks and balance of audio files (livecode qc --help)", add_help=False)
    sub.add_parser("new", help="write a starter set file (livecode new --style kpop-dance --key \"A minor\" SONG.py)", add_help=False)
    sub.add_parser("tune", help="pitch-correct a vocal file to a key (livecode tune --help)", add_help=False)

    send = sub.add_parser("send", help="evaluate code in the running session")
    send.add_argument("file", nargs="?", default=None, help="file to send (default: stdin)")
    send.add_argument("--lines", metavar="A:B", default=None, help="only lines A to B (1-based, inclusive)")
    send.add_argument("--block", type=positive_int, metavar="LINE", default=None,
                      help="only the blank-line-delimited block around LINE")
    send.add_argument("--socket", type=Path, default=None, help="session socket (default: the user's)")
    return parser


class ProgressBar:
    """A one-line progress bar on a stream (stderr), redrawn in place on a terminal; elsewhere (a
    pipe, a log file) a plain line at each quarter, so a log holds four lines, not hundreds.

    >>> import io
    >>> out = io.StringIO(); bar = ProgressBar(out, width=10, terminal=True)
    >>> bar(0.5); bar.finish()
    >>> out.getvalue().split("\\r")[-1].strip()
    '[#####.....]  50%'
    >>> log = io.StringIO(); bar = ProgressBar(log)
    >>> for step in range(101): bar(step / 100)
    >>> bar.finish(); log.getvalue().splitlines()
    ['rendered 25%', 'rendered 50%', 'rendered 75%', 'rendered 100%']
    """

    def __init__(self, stream: TextIO, width: int = 40, *, terminal: bool | None = None) -> None:
        self.stream = stream
        self.width = width
        self.last = -1
        self.terminal = stream.isatty() if terminal is None else terminal

    def __call__(self, *progress: float) -> None:
        """Accepts a fraction (0..1) or (done, total)."""
        if len(progress) >= 2 and progress[1]:
            fraction = float(progress[0]) / float(progress[1])
        elif progress:
            fraction = float(progress[0])
        else:
            return
        fraction = min(1.0, max(0.0, fraction))
        filled = int(round(fraction * self.width))
        percent = int(fraction * 100)
        if not self.terminal:
            percent -= percent % 25
            if percent == 0 or percent == self.last:
                return
            self.last = percent
            self.stream.write(f"rendered {percent}%\n")
            self.stream.flush()
            return
        if percent == self.last:
            return
        self.last = percent
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}%")
        self.stream.flush()

    def finish(self) -> None:
        """End the bar's line (on a terminal)."""
        if self.terminal:
            self.stream.write("\n")
            self.stream.flush()


def _require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        raise CliError(f"livecode {what}: no such set file: {path}")
    return path


def session_options(args: argparse.Namespace) -> SessionOptions:
    """The session options given on the command line (before or after the subcommand).

    >>> session_options(build_parser().parse_args(["play", "set.py", "--bpm", "90", "--link"]))
    SessionOptions(audio='auto', bpm=90.0, sr=48000, block=256, lookahead=0.1, midi_out=None, \
midi_clock_out=None, midi_clock_in=None, link=True, resume=False, socket=None, inputs=0)
    """
    return SessionOptions(
        audio=args.audio, bpm=args.bpm, sr=args.sr, block=args.block, lookahead=args.lookahead,
        midi_out=args.midi_out, midi_clock_out=args.midi_clock_out, midi_clock_in=args.midi_clock_in,
        link=args.link, resume=args.resume, socket=args.socket, inputs=args.inputs,
    )


def _run_repl(args: argparse.Namespace) -> int:
    from livecode.journal import journal_dir
    from livecode.options import apply_sync, create_session, resume_line
    from livecode.repl.app import run_repl

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CliError("livecode: the REPL needs a terminal; for a set file use `livecode play SET.py`, "
                       "for code from a pipe `livecode send`")
    options = session_options(args)
    log = journal_dir() / "engine.log"
    session = create_session(options, journal=journal_dir(), engine_log=log)
    try:
        if options.resume:
            print(resume_line(session))
        apply_sync(session, options)          # after the replay: state first, then the outside world
        session.start()
    except BaseException:
        session.close()
        raise
    with output_to_log(log, fds=(2,)):     # the prompt owns fd 1
        return run_repl(session, socket_path=options.socket)


def _run_play(args: argparse.Namespace, stop: StopSignals) -> int:
    from livecode.journal import journal_dir
    from livecode.play import play_set, summary_line

    path = _require_file(args.set, "play")
    report = play_set(path, args.bars, session_options(args), stop=stop, engine_log=journal_dir() / "engine.log")
    print(summary_line(report, path), flush=True)
    if report.signum is not None:
        print(f"livecode play: interrupted at bar {report.bar}", file=sys.stderr)
        return 128 + report.signum
    return 0


def _format_report(report: RenderReport, output: Path) -> str:
    def num(value: float | None, spec: str) -> str:
        return "-" if value is None else format(float(value), spec)

    line = (f"{output}: peak {num(report.peak_dbfs, '.1f')} dBFS  LUFS {num(report.lufs_integrated, '.1f')}  "
            f"duration {num(report.duration_s, '.2f')} s")
    if report.tail_cut:
        line += f"  (tails still sounding: cut {MAX_TAIL_SECONDS:g} s after the last bar; see --tail)"
    late = report.late_events
    return line + (f"  late events {late}" if late else "")


def _run_render(args: argparse.Namespace, stop: StopSignals) -> int:
    from livecode.render import render_set
    from livecode.song.render import render_song, song_length

    path = _require_file(args.set, "render")
    if package_cli.wants_package(args):
        if args.start is not None:
            raise CliError("livecode render: --deliver and --midi render from the start: drop --from")
        if args.bars is None:                          # --song: the whole form's length
            args.bars = float(song_length(path))
        package_cli.run(args, stop)
        if args.output is None:
            return 0
    if args.output is None:
        raise CliError("livecode render: give -o FILE.wav, --deliver DIR or --midi FILE")
    if not args.output.parent.exists():
        raise CliError(f"livecode render: output folder does not exist: {args.output.parent}")
    if args.output.is_dir():
        raise CliError(f"livecode render: -o {args.output} is a folder; give a file name such as {args.output / 'mix.wav'}")
    bar = None if args.quiet else ProgressBar(sys.stderr)
    started = time.monotonic()
    try:
        if args.song or args.start is not None:
            report = render_song(path, args.output, song=args.song, start=args.start, bars=args.bars,
                                 stems_dir=args.stems, sr=args.sr, bits=args.bits, progress=bar, tail=args.tail,
                                 stop=stop)
        else:
            report = render_set(path, args.output, args.bars, stems_dir=args.stems, sr=args.sr, bits=args.bits,
                                progress=bar, tail=args.tail, stop=stop)
    finally:
        if bar is not None:
            bar.finish()
    print(_format_report(report, args.output) + f"  (rendered in {time.monotonic() - started:.1f} s)")
    return 0


def _run_devices(args: argparse.Namespace, stop: StopSignals) -> int:
    from livecode.devices import describe_devices

    print(describe_devices())
    return 0


def _run_send(args: argparse.Namespace, stop: StopSignals) -> int:
    from livecode.send import send_main

    return send_main(args.file, args.lines, args.socket, args.block)


def _run_repl_command(args: argparse.Namespace, stop: StopSignals) -> int:
    return _run_repl(args)


_COMMANDS: dict[str | None, Callable[[argparse.Namespace, StopSignals], int]] = {
    None: _run_repl_command,
    "play": _run_play,
    "render": _run_render,
    "devices": _run_devices,
    "send": _run_send,
}

_GRACEFUL = ("play", "render")
"""Commands that stop cleanly at the first SIGINT/SIGTERM (a second one ends them at once)."""


_FILE_COMMANDS: dict[str, Callable[[Sequence[str]], int]] = {"master": master_main, "qc": qc_main, "new": new_main,
                                                        "tune": tune_main}
"""Commands on audio files with parsers of their own (`livecode/deliver.py`): no session, no engine."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `livecode` console script; returns the exit status: 0 ok, 1 error,
    2 usage, 130 after SIGINT (Ctrl-C), 143 after SIGTERM."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words and words[0] in _FILE_COMMANDS:
        return _FILE_COMMANDS[words[0]](words[1:])
    parser = build_parser()
    args = parser.parse_args(words)
    command = args.command
    if command == "render" and args.bars is None and not args.song:
        _Parser(prog="livecode render").error("--bars N is needed (or --song to render the whole song form)")
    if command == "render" and args.deliver is None and (stray := package_cli.stray_options(args)):
        _Parser(prog="livecode render").error(f"{' '.join(stray)}: only with --deliver DIR (to master a rendered "
                                              "file: livecode master FILE.wav -o OUT.wav --preset NAME)")
    stop = StopSignals(graceful=command in _GRACEFUL)
    try:
        with stop:
            return _COMMANDS[command](args, stop)
    except KeyboardInterrupt:
        print(with_command(command, "interrupted"), file=sys.stderr)
        return 128 + (stop.signum or signal.SIGINT)
    except Interrupted as err:
        print(with_command(command, plain_line(err)), file=sys.stderr)
        return err.exit_status
    except LivecodeError as err:
        print(with_command(command, plain_line(err)), file=sys.stderr)
        return EXIT_ERROR
    except Exception as err:  # the CLI never shows a traceback unless asked to
        if os.environ.get("LIVECODE_DEBUG"):
            raise
        message = f"internal error: {type(err).__name__}: {plain_line(err)} (LIVECODE_DEBUG=1 shows the traceback)"
        print(with_command(command, message), file=sys.stderr)
        return EXIT_ERROR


def with_command(command: str | None, message: str) -> str:
    """Start an error with the command that failed, so it names something the user typed.

    >>> with_command("render", "disk full writing out.wav")
    'livecode render: disk full writing out.wav'
    >>> with_command("send", "send --lines: range '2:1' ends before it starts")
    "livecode send --lines: range '2:1' ends before it starts"
    >>> with_command(None, "resume: no journal found to resume from")
    'resume: no journal found to resume from'
    """
    if command is None or message.startswith("livecode"):
        return message
    if message.startswith((f"{command}:", f"{command} ")):
        return f"livecode {message}"
    return f"livecode {command}: {message}"


if __name__ == "__main__":
    sys.exit(main())
