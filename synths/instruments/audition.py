"""Audition an instrument from the shell: render a few notes to a 16-bit WAV file.

    python -m synths.instruments.audition bass808 --notes "31 31 34 29" --set glide=12 -o 808.wav
    python -m synths.instruments.audition hh --bank 909 --step 0.125 --notes "0 0 0 0 0 0 0 0"

Notes are MIDI numbers, one every `--step` seconds, each held for `--hold` seconds; `--set k=v`
adds controls to every note (drums read `n` from the note list when `--n` is given).

>>> parse_sets(["glide=12", "drive=2"])
{'glide': 12.0, 'drive': 2.0}
"""

from __future__ import annotations

import argparse
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from synths.errors import ParamError
from synths.instruments import resolve
from synths.instruments.preview import Note, render_notes

__all__ = ["parse_sets", "write_wav", "main"]


def parse_sets(items: Sequence[str]) -> dict[str, float]:
    """`["k=v", ...]` -> `{k: float(v)}`; a malformed item raises `ParamError`.

    >>> parse_sets(["cutoff"])
    Traceback (most recent call last):
    ...
    synths.errors.ParamError: audition: --set expects name=number, not 'cutoff'
    """
    values: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            values[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise ParamError(f"audition: --set expects name=number, not {item!r}")
    return values


def write_wav(path: str | Path, audio: np.ndarray, rate: int) -> None:
    """Write (channels, frames) float audio as a 16-bit PCM WAV (clipped to -1..1).

    Usage (not run as a doctest: it needs a running engine or device)::

        write_wav("/tmp/x.wav", np.zeros((2, 10), dtype=np.float32), 48000)
    """
    pcm = (np.clip(audio.T, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(audio.shape[0])
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line, render the notes and write the WAV.

    Usage (not run as a doctest: it needs a running engine or device)::

        main(["sub", "--notes", "36", "-o", "/tmp/sub.wav"])
        # -> wrote /tmp/sub.wav: sub, 1 notes, peak -5.6 dBFS
    """
    parser = argparse.ArgumentParser(
        prog="python -m synths.instruments.audition", description=__doc__.splitlines()[0]
    )
    parser.add_argument("name", help="instrument (s) name, e.g. bd, supersaw, mykit")
    parser.add_argument("--bank", default=None, help="drum bank: 808 (default) or 909")
    parser.add_argument("--notes", default="48 55 60 63", help="MIDI notes, space separated")
    parser.add_argument("--n", action="store_true", help="the numbers are `n` (drum variation, sample index)")
    parser.add_argument("--step", type=float, default=0.5, help="seconds between notes")
    parser.add_argument("--hold", type=float, default=0.4, help="seconds each note is held")
    parser.add_argument("--set", action="append", default=[], metavar="K=V", help="a control for every note")
    parser.add_argument("-o", "--out", default="audition.wav", help="output WAV path")
    args = parser.parse_args(argv)
    cls = resolve(args.name, args.bank)
    extra = parse_sets(args.set)
    numbers = [float(token) for token in args.notes.split()]
    key = "n" if args.n else "note"
    notes = [Note(i * args.step, {key: number, **extra}, args.hold) for i, number in enumerate(numbers)]
    audio = render_notes(cls, notes, len(notes) * args.step + 2.0, voices=8)
    write_wav(args.out, audio, 48000)
    peak = 20.0 * np.log10(max(float(np.abs(audio).max()), 1e-9))
    print(f"wrote {args.out}: {cls.NAME}, {len(notes)} notes, peak {peak:.1f} dBFS")


if __name__ == "__main__":
    main()
