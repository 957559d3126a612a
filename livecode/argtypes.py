"""argparse types for the command line: numbers in a range, with one line naming what was
expected (argparse adds the option's name). Shared by `livecode.cli` and `livecode.deliver`.

>>> int_in(1, 64, "bars")("8")
8
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import NoReturn

__all__ = ["int_in", "float_in", "positive_int", "QuietParser", "UsageError", "ParserExit"]


def positive_int(text: str) -> int:
    """An argparse type: a whole number above 0.

    >>> positive_int("4")
    4
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def int_in(low: int, high: int, unit: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high` (argparse names the option).

    >>> int_in(8000, 384000, "Hz")("44100")
    44100
    >>> int_in(8000, 384000, "Hz")("1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a whole number from 8000 to 384000 Hz, got '1'
    """
    wanted = f"a whole number from {low} to {high}" + (f" {unit}" if unit else "")

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value

    return parse


def float_in(low: float, high: float, unit: str = "", *, low_open: bool = False) -> Callable[[str], float]:
    """An argparse type: a number from `low` to `high` (above `low` when `low_open`).

    >>> float_in(0, 2, "s", low_open=True)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: expected a number above 0 and at most 2 s, got '0'
    """
    suffix = f" {unit}" if unit else ""
    wanted = (f"a number above {low:g} and at most {high:g}{suffix}" if low_open
              else f"a number from {low:g} to {high:g}{suffix}")

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        inside = (low < value if low_open else low <= value) and value <= high
        if not inside:                                   # also refuses nan
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value

    return parse


class UsageError(Exception):
    """A bad command line; carries the one-line message."""


class ParserExit(Exception):
    """`--help` (or argparse's own exit): the status to return instead of exiting."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class QuietParser(argparse.ArgumentParser):
    """A parser for commands that return their status (`livecode master`, `qc`, `tune`): errors
    are one line (`livecode tune: error: ...`, raised as `UsageError`) and it never exits the
    process.

    >>> QuietParser(prog="livecode x").parse_args(["--bogus"])
    Traceback (most recent call last):
    ...
    livecode.argtypes.UsageError: livecode x: error: unrecognized arguments: --bogus
    """

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            print(message, file=sys.stderr, end="")
        raise ParserExit(status)
