"""A private JACK server with the dummy backend, for real-time tests and benchmarks.

Starts `jackd -S -n NAME -d dummy -r RATE -p PERIOD` under a unique name, waits until a client
can connect, and stops only the process it started.

>>> with JackServer(period=256) as server:          # doctest: +SKIP
...     os.environ["JACK_DEFAULT_SERVER"] = server.name
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from types import TracebackType

__all__ = ["JackServer", "JackUnavailable"]


class JackUnavailable(RuntimeError):
    """jackd is not installed or did not come up."""


class JackServer:
    """A private jackd (dummy driver); use as a context manager."""

    def __init__(self, rate: int = 48000, period: int = 256, name: str | None = None) -> None:
        self.rate = rate
        self.period = period
        self.name = name or f"lctest-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0, attempts: int = 3) -> JackServer:
        """Start jackd and wait until it accepts clients.

        JACK2 registers at most eight servers per machine in its shared-memory registry; a start
        that loses that race exits at once, so it is tried `attempts` times before giving up.
        """
        jackd = shutil.which("jackd")
        if jackd is None:
            raise JackUnavailable("jackd not found: install Debian's jackd2 (scripts/bootstrap.sh does)")
        failure = ""
        for attempt in range(attempts):
            failure = self._start_once(jackd, timeout)
            if not failure:
                return self
            time.sleep(0.5 * (attempt + 1))
        raise JackUnavailable(failure)

    def _start_once(self, jackd: str, timeout: float) -> str:
        """One start; returns "" on success, else why it failed."""
        cmd = [jackd, "-S", "-n", self.name, "-d", "dummy", "-r", str(self.rate), "-p", str(self.period)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        import jack  # JACK-Client; imported late so that collecting tests needs no libjack

        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return f"jackd exited with {self.proc.returncode}: {self._stderr_summary()}"
            try:
                probe = jack.Client("lcprobe", servername=self.name, no_start_server=True)
            except jack.JackError:
                time.sleep(0.1)
                continue
            probe.close()
            return ""
        self.stop()
        return f"jackd {self.name} did not accept clients within {timeout} s"

    def _stderr_summary(self) -> str:
        """The last meaningful lines jackd wrote to stderr (its overrun chatter left out)."""
        raw = self.proc.stderr.read().decode(errors="replace") if self.proc and self.proc.stderr else ""
        lines = [line for line in raw.splitlines() if line.strip() and "buffer overruns" not in line]
        return " | ".join(lines[-5:]) or "no message"

    def stop(self) -> None:
        """Stop the jackd this object started (and nothing else)."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)

    @property
    def alive(self) -> bool:
        """True while the started jackd is running."""
        return self.proc is not None and self.proc.poll() is None

    def env(self) -> dict[str, str]:
        """A copy of os.environ with JACK_DEFAULT_SERVER naming this server."""
        return {**os.environ, "JACK_DEFAULT_SERVER": self.name}

    def __enter__(self) -> JackServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
