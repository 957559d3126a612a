"""Every exception can cross a process boundary (a package's worker raises it, the package's own
process reports it): one whose `__init__` takes more than the message pickles its fields."""

from __future__ import annotations

import errno
import inspect
import pickle
import signal
from pathlib import Path

import livecode.errors
import patterns.errors
import synths.errors
from livecode.errors import Interrupted, PackageInterrupted
from patterns.errors import MiniNotationError
from synths.errors import DiskFullError, RecordingWriteError


def test_exceptions_with_fields_round_trip_through_pickle() -> None:
    for error in (RecordingWriteError(Path("a.wav"), errno.ENOSPC, "No space left on device", 1.5),
                  DiskFullError(Path("mix.flac"), 31.4, 2.0), PackageInterrupted("interrupted", signal.SIGTERM),
                  MiniNotationError("unclosed [", "bd [sd", 3)):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error) and vars(copy) == vars(error)
    assert pickle.loads(pickle.dumps(Interrupted("x", signal.SIGTERM))).exit_status == 143


def test_no_exception_class_takes_fields_without_pickling_them() -> None:
    for module in (livecode.errors, patterns.errors, synths.errors):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, BaseException) or "__init__" not in vars(cls):
                continue
            required = [p for p in list(inspect.signature(cls.__init__).parameters.values())[2:]
                        if p.default is inspect.Parameter.empty]
            if required:
                assert "__reduce__" in vars(cls), f"{module.__name__}.{name} needs __reduce__"
