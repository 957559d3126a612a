"""Where C libraries and child processes write while an engine boots: a log file, not the terminal.

JACK, ALSA and PortAudio print from C while an engine boots, and the engine process keeps the
descriptors it was started with; in the REPL that would scribble over the prompt, so the CLI,
`play` and a reconnecting session send that output to a log file (`engine.log`) instead.

>>> import os, tempfile
>>> log = Path(tempfile.mkdtemp()) / "engine.log"
>>> with output_to_log(log, fds=(2,)):
...     _ = os.write(2, b"ALSA lib: no card\\n")
>>> log.read_text()
'ALSA lib: no card\\n'
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

__all__ = ["output_to_log", "maybe_to_log"]


@contextlib.contextmanager
def output_to_log(path: Path, fds: tuple[int, ...] = (1, 2)) -> Iterator[None]:
    """Send what C libraries and child processes write to `fds` into the file `path` meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(fd) for fd in fds]
    log = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for fd in fds:
            os.dup2(log, fd)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, copy in zip(fds, saved):
            os.dup2(copy, fd)
        for fd in (*saved, log):
            os.close(fd)


def maybe_to_log(path: Path | None) -> contextlib.AbstractContextManager[None]:
    """`output_to_log(path)`, or nothing at all when `path` is None (the output stays where it is).

    >>> with maybe_to_log(None):
    ...     pass
    """
    return contextlib.nullcontext() if path is None else output_to_log(path)
