"""`livecode render SET.py --deliver DIR` and `--midi FILE`: the render command's package options.

`add_options(parser)` adds them to the render parser; `wants_package(args)` says whether the
command asks for a package or a MIDI file; `stray_options(args)` names the package options given
without `--deliver` (they would do nothing: the command refuses them); `run(args)` runs it and
returns the exit status.

>>> import argparse
>>> parser = argparse.ArgumentParser(); add_options(parser)
>>> args = parser.parse_args(["--deliver", "out", "--preset", "club", "--format", "flac"])
>>> wants_package(args), args.preset, args.format
(True, 'club', 'flac')
>>> stray_options(parser.parse_args(["--preset", "club", "--no-png"]))
['--preset', '--no-png']
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from livecode.errors import DeliverError
from livecode.interrupt import StopCheck
from livecode.package import FORMATS

__all__ = ["add_options", "wants_package", "stray_options", "run"]

_PACKAGE_ONLY = {"preset": "--preset", "format": "--format", "karaoke_guide": "--karaoke-guide",
                 "workers": "--workers", "no_png": "--no-png", "stem_qc": "--stem-qc"}
"""The options that only a package reads (`args` attribute -> flag)."""


def add_options(parser: argparse.ArgumentParser) -> None:
    """The package options of `livecode render`."""
    parser.add_argument("--deliver", type=Path, default=None, metavar="DIR",
                        help="write the release package: mix, instrumental, tv-track, karaoke, acapella, "
                             "stems/, song.mid, lyrics, report.json and PNGs")
    parser.add_argument("--preset", default=None,
                        help="with --deliver: streaming, apple, club or broadcast (default streaming)")
    parser.add_argument("--format", choices=FORMATS, default=None, help="with --deliver: audio format (default wav)")
    parser.add_argument("--karaoke-guide", type=float, default=None, metavar="DB",
                        help="with --deliver: the lead vocal in karaoke.* at DB (e.g. -15); default none")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="with --deliver: worker processes (default: one per CPU)")
    parser.add_argument("--no-png", action="store_true", help="with --deliver: no QC pictures")
    parser.add_argument("--stem-qc", action="store_true",
                        help="with --deliver: the full QC and a picture for every stem too (default: loudness, "
                             "peaks, clipping and DC of each stem)")
    parser.add_argument("--midi", type=Path, default=None, metavar="FILE",
                        help="write the arrangement as a standard MIDI file (type 1)")


def wants_package(args: argparse.Namespace) -> bool:
    """True when `--deliver` or `--midi` was given."""
    return args.deliver is not None or args.midi is not None


def stray_options(args: argparse.Namespace) -> list[str]:
    """The package-only options `args` holds (each one given, whatever `--deliver` says)."""
    return [flag for name, flag in _PACKAGE_ONLY.items() if getattr(args, name) not in (None, False)]


def run(args: argparse.Namespace, stop: StopCheck | None = None) -> int:
    """Write the MIDI file and/or the package; raises DeliverError (one line) on bad options and
    `PackageInterrupted` when `stop` reports a signal."""
    from livecode.package.deliver import PackageOptions, deliver_package, read_set  # noqa: PLC0415 - heavy
    from livecode.package.midifile import write_song  # noqa: PLC0415

    if args.workers is not None and not 1 <= args.workers <= 64:
        raise DeliverError(f"--workers: expected 1..64, got {args.workers}")
    if args.midi is not None:
        info = read_set(args.set, args.bars, getattr(args, "sr", 48000))
        try:
            assert info.session is not None
            path = write_song(info.notes, info.session.tempo, args.midi, roles=info.roles,
                              channels=info.channels, title=args.set.stem)
        finally:
            if info.session is not None:
                info.session.close()
        print(f"{path}: {len(info.notes)} tracks, {sum(len(n) for n in info.notes.values())} notes")
    if args.deliver is not None:
        from synths.formats import FORMATS as SPECS  # noqa: PLC0415 - only for a package

        audio = args.format or "wav"
        bits = None if SPECS[audio].lossy else args.bits
        options = PackageOptions(bars=args.bars, preset=args.preset or "streaming", format=audio, bits=bits,
                                 sample_rate=args.sr, workers=args.workers, karaoke_guide_db=args.karaoke_guide,
                                 tail=args.tail, pngs=not args.no_png,
                                 stem_qc=args.stem_qc)
        quiet = getattr(args, "quiet", False)
        report = deliver_package(args.set, args.deliver, options,
                                 progress=None if quiet else lambda line: print(line, file=sys.stderr, flush=True),
                                 stop=stop)
        print(report.summary())
    return 0
