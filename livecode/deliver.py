"""`livecode master` and `livecode qc`: master any mix to a target, check any audio file.

    livecode master IN.wav -o OUT.wav [--preset streaming|apple|club|broadcast] [--lufs L]
                   [--ceiling DBTP] [--presets FILE.json] [--format wav|flac|ogg|aiff|mp3]
                   [--bit-depth 16|24|32] [--sample-rate HZ] [--title T] [--artist A]
                   [--bpm N] [--key K] [--report PATH.json] [--png PATH.png] [--no-qc]
    livecode qc FILE [FILE ...] [--out DIR] [--json PATH] [--no-png] [--preset NAME]
               [--lufs L] [--ceiling DBTP] [--strict]

`master_main(argv)` and `qc_main(argv)` take the arguments after the command's name and return
the exit status: 0 ok, 1 error (a target out of reach, an unreadable file; with `qc --strict`,
any warning), 2 bad usage. Errors are one line on stderr naming the option. Also runnable as
`python -m livecode.deliver master ...` / `python -m livecode.deliver qc ...`.

>>> build_master_parser().parse_args(["in.wav", "-o", "out.flac", "--bit-depth", "16"]).bit_depth
16
>>> master_main(["in.wav", "-o", "out.wav", "--format", "wma"])
2
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, overload

from livecode.argtypes import ParserExit, QuietParser, UsageError, float_in, int_in
from livecode.interrupt import run_stoppable
from patterns.errors import LivecodeError

if TYPE_CHECKING:
    from synths.mastering.presets import Preset

__all__ = ["master_main", "qc_main", "build_master_parser", "build_qc_parser", "main",
           "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "QC_REPORT"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

QC_REPORT = "qc-report.json"
"""The report `livecode qc` writes, and its pictures are `<file>.qc.png`: names of their own, so
a QC of a package's files never overwrites the package's `report.json` and pictures."""

FORMAT_NAMES = ("wav", "flac", "ogg", "aiff", "mp3")








def _key(text: str) -> str:
    from synths.errors import FormatError  # noqa: PLC0415
    from synths.formats import parse_key  # noqa: PLC0415

    try:
        return parse_key(text)
    except FormatError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a key (examples: C, F#m, Bb, A minor)") from None


def _target_options(parser: argparse.ArgumentParser, default_preset: str | None) -> None:
    parser.add_argument("--preset", default=default_preset,
                        help="streaming (-14 LUFS, -1 dBTP), apple (-16, -1), club (-9, -0.3), "
                             "broadcast (-23, -1), or one from --presets")
    parser.add_argument("--lufs", type=float_in(-40.0, -3.0, "LUFS"), help="custom target (LUFS)")
    parser.add_argument("--ceiling", type=float_in(-12.0, 0.0, "dBTP"), help="custom ceiling (dBTP)")
    parser.add_argument("--presets", type=Path, help="a JSON file of more presets")


def build_master_parser() -> argparse.ArgumentParser:
    """The `livecode master` command line."""
    parser = QuietParser(prog="livecode master", description="Master a mix to a loudness target.")
    parser.add_argument("input", type=Path, help="the mix (any format libsndfile reads)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the mastered file")
    _target_options(parser, "streaming")
    parser.add_argument("--format", choices=FORMAT_NAMES, help="default: from the output's extension")
    parser.add_argument("--bit-depth", type=int, choices=(16, 24, 32),
                        help="PCM bits (32 = float); default 24; dithered (TPDF) when reducing")
    parser.add_argument("--sample-rate", type=int_in(8000, 384000, "Hz"),
                        help="deliver at this rate (converted with soxr before mastering)")
    parser.add_argument("--title")
    parser.add_argument("--artist")
    parser.add_argument("--bpm", type=float_in(20.0, 400.0, "BPM"))
    parser.add_argument("--key", type=_key, help="e.g. Am, F#, Bb minor")
    parser.add_argument("--report", type=Path, help="report JSON (default OUT.report.json)")
    parser.add_argument("--png", type=Path, help="QC picture (default OUT.png)")
    parser.add_argument("--no-qc", action="store_true", help="no QC report or picture")
    parser.add_argument("--seed", type=int_in(1, 2**31 - 1), default=1, help="dither seed")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    return parser


def build_qc_parser() -> argparse.ArgumentParser:
    """The `livecode qc` command line."""
    parser = QuietParser(prog="livecode qc", description="Quality control of audio files.")
    parser.add_argument("files", type=Path, nargs="+", help="audio files, or folders (each audio file in it)")
    parser.add_argument("--out", type=Path, help="folder for qc-report.json and the PNGs "
                                                  "(default: the first file's folder)")
    parser.add_argument("--json", type=Path, help="report path (default OUT/qc-report.json)")
    parser.add_argument("--no-png", action="store_true", help="no pictures")
    _target_options(parser, None)
    parser.add_argument("--strict", action="store_true", help="exit 1 when there is any warning")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return parser


def _run(prog: str, parser: argparse.ArgumentParser, argv: Sequence[str],
         body: Callable[[argparse.Namespace], int]) -> int:
    try:
        return run_stoppable(prog, lambda: body(parser.parse_args(list(argv))))
    except ParserExit as done:
        return done.status
    except UsageError as err:
        message = str(err)
        print(message if message.startswith(prog) else f"{prog}: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except LivecodeError as err:
        print(f"{prog}: {' '.join(str(err).split())}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as err:
        print(f"{prog}: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_ERROR


@overload
def _choose_preset(args: argparse.Namespace, fallback: str) -> Preset: ...
@overload
def _choose_preset(args: argparse.Namespace, fallback: None) -> Preset | None: ...
def _choose_preset(args: argparse.Namespace, fallback: str | None) -> Preset | None:
    """The preset the target options ask for; usage errors name the option. None only without a
    `fallback`, when no option asks for one (with a fallback the name is never None)."""
    from synths.errors import MasteringError  # noqa: PLC0415
    from synths.mastering.presets import PRESETS, custom, load_presets, preset  # noqa: PLC0415


    table = dict(PRESETS)
    if args.presets is not None:
        try:
            table.update(load_presets(args.presets))
        except MasteringError as err:
            raise UsageError(f"--presets: {err}") from None
    name = args.preset or fallback
    if name is None and args.lufs is None and args.ceiling is None:
        return None
    try:
        chosen = preset(name or "streaming", table)
    except MasteringError as err:
        raise UsageError(f"--preset: {err}") from None
    if args.lufs is None and args.ceiling is None:
        return chosen
    lufs = chosen.target.lufs if args.lufs is None else args.lufs
    ceiling = chosen.target.ceiling if args.ceiling is None else args.ceiling
    return custom(lufs, ceiling, base=chosen)


def _check_output(args: argparse.Namespace) -> None:
    from synths.errors import FormatError  # noqa: PLC0415
    from synths.formats import check_depth, format_for  # noqa: PLC0415

    try:
        spec = format_for(args.output, args.format)
        check_depth(spec, args.bit_depth)
        if args.sample_rate is not None and not spec.accepts_rate(args.sample_rate):
            raise FormatError(f"--sample-rate: {spec.name} cannot carry {args.sample_rate} Hz")
    except FormatError as err:
        raise UsageError(str(err)) from None


def _check_folder(path: Path, option: str) -> None:
    """UsageError naming `option` when `path` cannot be written for want of its folder: checked
    before the work, not after it.

    >>> _check_folder(Path("/surely/not/here/x.json"), "--report")
    Traceback (most recent call last):
    ...
    livecode.argtypes.UsageError: --report: there is no folder /surely/not/here for /surely/not/here/x.json
    """
    folder = path.parent
    if not folder.exists():
        raise UsageError(f"{option}: there is no folder {folder} for {path}")
    if not folder.is_dir():
        raise UsageError(f"{option}: {folder} is a file, not a folder, so {path} cannot be written")


def _master(args: argparse.Namespace) -> int:
    from synths.formats import Tags, read_audio, resample, write_audio  # noqa: PLC0415
    from synths.mastering.offline import master  # noqa: PLC0415

    chosen = _choose_preset(args, "streaming")
    _check_output(args)
    _check_folder(args.output, "-o")
    report_path = args.report or args.output.with_name(args.output.stem + ".report.json")
    png_path = args.png or args.output.with_name(args.output.stem + ".png")
    if not args.no_qc:
        _check_folder(report_path, "--report")
        _check_folder(png_path, "--png")
    if not args.input.is_file():
        what = "a folder: give the mix's file" if args.input.is_dir() else "no such file"
        print(f"livecode master: {args.input}: {what}", file=sys.stderr)
        return EXIT_ERROR
    source = read_audio(args.input)
    rate = args.sample_rate or source.sample_rate
    mix = resample(source.data, source.sample_rate, rate)
    result = master(mix, rate, chosen)
    tags = Tags(args.title, args.artist, args.bpm, args.key)
    written = write_audio(args.output, result.audio, rate, format=args.format, bit_depth=args.bit_depth,
                          tags=tags, seed=args.seed, keep=not args.no_qc)
    if not args.quiet:
        print(f"{written.path}: {written.format}, {written.sample_rate} Hz, "
              f"{'lossy' if written.bit_depth is None else f'{written.bit_depth}-bit'}"
              f"{', TPDF dither' if written.dithered else ''}")
        print(result.summary())
    if args.no_qc:
        return EXIT_OK
    from synths.qc import analyse_file, plot_report  # noqa: PLC0415

    # the written samples and the master's true peaks: no read-back, no second 4x oversampling
    # of a 24-bit or float file (the same report as the file's: tests/synths/test_qc.py)
    report = analyse_file(written.path, target=chosen.target, measured=(result.audio, result.true_peaks),
                          written=written)
    plot_report(report, png_path)
    document = {"master": {**result.to_dict(), "input": str(args.input), "output": str(written.path),
                           "format": written.format, "bit_depth": written.bit_depth,
                           "sample_rate": written.sample_rate, "dithered": written.dithered},
                "files": [{**report.to_dict(), "png": str(png_path)}]}
    report_path.write_text(json.dumps(document, indent=2) + "\n")
    if not args.quiet:
        print(report.summary())
        print(f"report: {report_path}  picture: {png_path}")
    return EXIT_OK


def _qc(args: argparse.Namespace) -> int:
    from synths.qc import analyse_file, plot_report  # noqa: PLC0415

    chosen = _choose_preset(args, None)
    files = _qc_files(args.files)
    if isinstance(files, str):
        print(f"livecode qc: {files}", file=sys.stderr)
        return EXIT_ERROR
    out = args.out or files[0].resolve().parent
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out: {out} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    if args.json is not None:
        _check_folder(args.json, "--json")
    documents, warnings = [], 0
    for path in files:
        report = analyse_file(path, target=None if chosen is None else chosen.target)
        entry = report.to_dict()
        if not args.no_png:
            entry["png"] = str(plot_report(report, out / f"{path.stem}.qc.png"))
        documents.append(entry)
        warnings += len(report.warnings)
        if not args.quiet:
            print(report.summary())
    json_path = args.json or out / QC_REPORT
    json_path.write_text(json.dumps({"files": documents}, indent=2) + "\n")
    if not args.quiet:
        print(f"report: {json_path}")
    return EXIT_ERROR if args.strict and warnings else EXIT_OK


def _qc_files(given: Sequence[Path]) -> list[Path] | str:
    """The files to check: each file given, and the audio files directly in each folder given;
    or the one line saying what is missing."""
    from synths.formats import audio_files  # noqa: PLC0415

    files: list[Path] = []
    for path in given:
        if path.is_dir():
            found = audio_files(path)
            if not found:
                return f"{path}: a folder with no audio file in it (wav, flac, ogg, aiff, mp3)"
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            return f"{path}: no such file"
    return files


def master_main(argv: Sequence[str]) -> int:
    """`livecode master ...` (argv without the command name); returns the exit status."""
    return _run("livecode master", build_master_parser(), argv, _master)


def qc_main(argv: Sequence[str]) -> int:
    """`livecode qc ...` (argv without the command name); returns the exit status."""
    return _run("livecode qc", build_qc_parser(), argv, _qc)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m livecode.deliver master|qc ...`.

    >>> main(["render"])
    2
    """
    args = list(sys.argv[1:] if argv is None else argv)
    commands = {"master": master_main, "qc": qc_main}
    if not args or args[0] not in commands:
        print("usage: python -m livecode.deliver master|qc ... (see --help of each)", file=sys.stderr)
        return EXIT_USAGE
    return commands[args[0]](args[1:])


if __name__ == "__main__":
    sys.exit(main())
