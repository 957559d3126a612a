"""`livecode tune`: pitch correction (and harmonies) on any audio file, offline.

    livecode tune IN.wav -o OUT.wav --key "A minor" [--speed 0..1] [--humanize 0..1]
                  [--harmony 3,5] [--level 0..2] [--bit-depth 16|24|32]

The same `tune` and `harmony` effects the live chain uses (`synths.vocal_chain.tune_audio`),
read and written through `synths.formats`. `--speed` 1 is the hard, stepped sound, 0 natural
(vibrato kept); `--harmony` takes up to two diatonic intervals (3 a third above, -3 below).
`tune_main(argv)` returns the exit status: 0 ok, 1 error (unreadable file), 2 bad usage.

>>> build_tune_parser().parse_args(["in.wav", "-o", "out.wav", "--key", "Am", "--harmony", "3,-3"]).harmony
[3, -3]
>>> tune_main(["in.wav", "-o", "out.wav", "--key", "H minor"])
2
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from livecode.argtypes import ParserExit, QuietParser, UsageError, float_in
from livecode.interrupt import run_stoppable
from patterns.errors import LivecodeError

__all__ = ["tune_main", "build_tune_parser", "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
PROG = "livecode tune"








def _scale(text: str) -> str:
    from synths.effects.vocal import parse_scale  # noqa: PLC0415 - keeps `livecode --help` light

    try:
        parse_scale(text)
    except LivecodeError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return text


def _harmonies(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected intervals such as 3,5 or -3, got {text!r}") from None
    if not values or len(values) > 2 or any(v in (-1, 0, 1) or not -8 <= v <= 8 for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: one or two intervals from 2..8 or -2..-8 (3 a third above)")
    return values


def build_tune_parser() -> argparse.ArgumentParser:
    """The `livecode tune` command line."""
    parser = QuietParser(prog=PROG, description="Pitch-correct a vocal file to a key (and add harmonies).")
    parser.add_argument("input", type=Path, help="the vocal (any format libsndfile reads)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the corrected file")
    parser.add_argument("--key", type=_scale, required=True, help='key and scale, e.g. "A minor", "F# dorian", Am')
    parser.add_argument("--speed", type=float_in(0.0, 1.0), default=0.8, help="retune speed: 1 hard (stepped), 0 natural")
    parser.add_argument("--humanize", type=float_in(0.0, 1.0), default=0.0, help="slower retune on held notes")
    parser.add_argument("--harmony", type=_harmonies, default=[], help="diatonic harmonies, e.g. 3,5 or -3")
    parser.add_argument("--level", type=float_in(0.0, 2.0), default=0.7, help="harmony level against the lead")
    parser.add_argument("--bit-depth", type=int, choices=(16, 24, 32), help="PCM bits (32 = float); default: the input's")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    return parser


def _tune(args: argparse.Namespace) -> int:
    from synths.formats import read_audio, write_audio  # noqa: PLC0415
    from synths.vocal_chain import tune_audio  # noqa: PLC0415

    if not args.input.is_file():
        print(f"{PROG}: {args.input}: no such file", file=sys.stderr)
        return EXIT_ERROR
    source = read_audio(args.input)
    out = tune_audio(source.data, source.sample_rate, scale=args.key, speed=args.speed,
                     humanize=args.humanize, harmonies=args.harmony, level=args.level)
    if source.data.shape[1] == 1 and not args.harmony:
        out = out[:, :1]
    written = write_audio(args.output, out, source.sample_rate, bit_depth=args.bit_depth,
                          source_bits=source.bit_depth)
    if not args.quiet:
        extra = f", harmonies {','.join(map(str, args.harmony))}" if args.harmony else ""
        print(f"{PROG}: {written.path} ({args.key}, speed {args.speed:g}{extra})")
    return EXIT_OK


def _run(argv: Sequence[str], body: Callable[[argparse.Namespace], int]) -> int:
    try:
        return run_stoppable(PROG, lambda: body(build_tune_parser().parse_args(list(argv))))
    except ParserExit as done:
        return done.status
    except UsageError as err:
        print(str(err), file=sys.stderr)
        return EXIT_USAGE
    except LivecodeError as err:
        print(f"{PROG}: {' '.join(str(err).split())}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as err:
        print(f"{PROG}: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_ERROR


def tune_main(argv: Sequence[str]) -> int:
    """Run `livecode tune` with the arguments after its name; returns the exit status."""
    return _run(argv, _tune)


if __name__ == "__main__":
    sys.exit(tune_main(sys.argv[1:]))
