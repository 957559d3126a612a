"""Test support for the REPL tests: a stand-in session and a small VT100 screen.

`StandInSession` has the session shape the REPL calls (evaluate/status/hush/panic/close and a
namespace) without audio, for the terminal tests of keys, completion and history; the tests
with sound use the real `livecode` command on a private JACK server. `Screen` replays the
bytes prompt_toolkit writes (cursor moves, erases, SGR ignored) into a grid of characters, so a
test can read the status bar as a person sees it.

Run as a script, it starts a REPL on a stand-in session: ``python repl_support.py CLOSE_MARKER``.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["StandInSession", "StandInResult", "Screen", "Terminal", "JackCapture", "STANDIN_SCRIPT", "standin_env"]

STANDIN_SCRIPT = Path(__file__).resolve()


@dataclass
class StandInResult:
    """What `session.evaluate` returns."""

    ok: bool
    value_repr: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    exception: BaseException | None = None


@dataclass
class StandInStatus:
    """A status snapshot with a wall-clock bar:beat at 120 BPM."""

    cycle: float
    bar: int
    beat: int
    bpm: float
    tracks: list[tuple[str, bool, bool, bool, str | None]]
    cpu: float = 0.05
    xruns: int = 0
    late: int = 0
    peak_db: float = -12.0
    lufs_s: float = -20.0


class StandInSession:
    """Evaluates Python in a dict; `d1 >> x` style is not needed here."""

    def __init__(self, close_marker: Path | None = None) -> None:
        self._queue: list[str] = []
        self.namespace: dict[str, Any] = {
            "hush": self.hush, "hurry": lambda x: x, "sine": 0.5, "report": lambda message: self._queue.append(message),
        }
        self.start = time.monotonic()
        self.hushed = 0
        self.close_marker = close_marker

    def evaluate(self, code: str) -> StandInResult:
        try:
            try:
                compiled = compile(code, "<livecode>", "eval")
            except SyntaxError:
                exec(compile(code, "<livecode>", "exec"), self.namespace)
                return StandInResult(ok=True)
            value = eval(compiled, self.namespace)
            return StandInResult(ok=True, value_repr=None if value is None else repr(value))
        except Exception as err:
            return StandInResult(ok=False, error=f"{type(err).__name__}: {err}", exception=err)

    def status(self) -> StandInStatus:
        beats = int((time.monotonic() - self.start) * 2)
        return StandInStatus(
            cycle=beats / 4, bar=beats // 4 + 1, beat=beats % 4 + 1, bpm=120.0,
            tracks=[("d1", False, False, self.hushed == 0, None)],
        )

    def messages(self) -> list[str]:
        drained, self._queue = self._queue, []
        return drained

    def hush(self) -> None:
        self.hushed += 1
        print(f"[stand-in hush {self.hushed}]")

    def panic(self) -> None:
        self.hush()

    def close(self) -> None:
        if self.close_marker is not None:
            self.close_marker.write_text("closed")


_CSI = re.compile(r"\x1b\[([?>]?)([0-9;]*)([A-Za-z@`])")
_OSC = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


class Screen:
    """A minimal VT100 screen: enough of what prompt_toolkit writes to read the text back."""

    def __init__(self, rows: int = 24, cols: int = 100) -> None:
        self.rows, self.cols = rows, cols
        self.grid = [[" "] * cols for _ in range(rows)]
        self.y = self.x = 0
        self.replies: list[str] = []

    def feed(self, data: str) -> None:
        data = _OSC.sub("", data)
        i = 0
        while i < len(data):
            match = _CSI.match(data, i) if data[i] == "\x1b" else None
            if match is not None:
                self._csi(match.group(1), match.group(2), match.group(3))
                i = match.end()
                continue
            self._char(data[i])
            i += 1

    def _char(self, ch: str) -> None:
        if ch == "\r":
            self.x = 0
        elif ch == "\n":
            self._linefeed()
        elif ch == "\b":
            self.x = max(0, self.x - 1)
        elif ch == "\x1b" or ord(ch) < 32:
            return
        else:
            if self.x >= self.cols:
                self.x = 0
                self._linefeed()
            self.grid[self.y][self.x] = ch
            self.x += 1

    def _linefeed(self) -> None:
        if self.y == self.rows - 1:
            self.grid.pop(0)
            self.grid.append([" "] * self.cols)
        else:
            self.y += 1

    def _csi(self, private: str, params: str, final: str) -> None:
        if private:
            return
        args = [int(p) if p else 0 for p in params.split(";")] if params else []
        n = max(1, args[0]) if args else 1
        if final == "A":
            self.y = max(0, self.y - n)
        elif final == "B":
            self.y = min(self.rows - 1, self.y + n)
        elif final == "C":
            self.x = min(self.cols - 1, self.x + n)
        elif final == "D":
            self.x = max(0, self.x - n)
        elif final == "G":
            self.x = min(self.cols - 1, n - 1)
        elif final == "H":
            self.y = min(self.rows - 1, (args[0] if args else 1) - 1)
            self.x = min(self.cols - 1, (args[1] if len(args) > 1 else 1) - 1)
        elif final == "K":
            mode = args[0] if args else 0
            row = self.grid[self.y]
            span = range(self.x, self.cols) if mode == 0 else range(0, self.x + 1) if mode == 1 else range(self.cols)
            for col in span:
                row[col] = " "
        elif final == "n" and args == [6]:
            self.replies.append(f"\x1b[{self.y + 1};{self.x + 1}R")
        elif final == "J":
            mode = args[0] if args else 0
            if mode in (0,):
                self._csi("", "0", "K")
                for row in self.grid[self.y + 1 :]:
                    row[:] = [" "] * self.cols
            elif mode == 2:
                self.grid = [[" "] * self.cols for _ in range(self.rows)]

    def take_replies(self) -> str:
        """Answers the terminal owes the program (cursor position reports)."""
        replies, self.replies = "".join(self.replies), []
        return replies

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.grid]

    def text(self) -> str:
        return "\n".join(self.lines())


class Terminal:
    """A program in a pseudo-terminal, read through a `Screen` that answers cursor reports."""

    def __init__(self, argv: list[str], env: dict[str, str], rows: int = 24, cols: int = 100) -> None:
        import pexpect

        self._pexpect = pexpect
        self.screen = Screen(rows, cols)
        self.raw: list[str] = []
        self.child = pexpect.spawn(
            argv[0], argv[1:], env={**env, "TERM": "xterm-256color"}, dimensions=(rows, cols),
            encoding="utf-8", codec_errors="replace", timeout=30,
        )
        self.child.delaybeforesend = None      # pexpect sleeps 50 ms before every send otherwise

    def pump(self, seconds: float = 0.3) -> None:
        """Read and interpret output for `seconds`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                data = self.child.read_nonblocking(1 << 16, timeout=0.05)
            except self._pexpect.TIMEOUT:
                continue
            except self._pexpect.EOF:
                return
            self.raw.append(data)
            self.screen.feed(data)
            replies = self.screen.take_replies()
            if replies:
                self.child.send(replies)

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 15.0) -> str:
        """Pump until `predicate(screen text)` holds; returns the text (raises on timeout)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.1)
            text = self.screen.text()
            if predicate(text):
                return text
            if not self.child.isalive():
                self.pump(0.2)
                text = self.screen.text()
                if predicate(text):
                    return text
                raise AssertionError(f"program exited ({self.child.exitstatus}); screen:\n{text}")
        raise AssertionError(f"timed out; screen:\n{self.screen.text()}")

    def wait_text(self, needle: str, timeout: float = 15.0) -> str:
        """Pump until `needle` is on the screen."""
        return self.wait_for(lambda text: needle in text, timeout)

    def send(self, text: str) -> None:
        """Type `text` (use "\r" for Enter)."""
        self.child.send(text)

    def status_line(self) -> str:
        """The last non-empty line of the screen (the status bar)."""
        lines = [line for line in self.screen.lines() if line.strip()]
        return lines[-1] if lines else ""

    def wait_exit(self, timeout: float = 15.0) -> int:
        """Wait for the program to end; returns its exit status."""
        end = time.monotonic() + timeout
        while self.child.isalive() and time.monotonic() < end:
            self.pump(0.1)
        if self.child.isalive():
            self.child.terminate(force=True)
            raise AssertionError(f"program did not exit; screen:\n{self.screen.text()}")
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)

    def close(self) -> None:
        """Make sure the program is gone."""
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.close()


class JackCapture:
    """A JACK client recording one input port into a numpy buffer indexed by JACK frame."""

    def __init__(self, server_name: str, seconds: float = 30.0, rate: int = 48000) -> None:
        import jack
        import numpy as np

        self._np = np
        self.client = jack.Client("lccapture", servername=server_name, no_start_server=True)
        self.port = self.client.inports.register("in_1")
        self.buffer = np.zeros(int(seconds * rate), dtype=np.float32)
        self.start_frame: int | None = None
        self.frames = 0
        self.client.set_process_callback(self._process)
        self.client.activate()

    def _process(self, frames: int) -> None:
        now = self.client.last_frame_time
        if self.start_frame is None:
            self.start_frame = now
        offset = now - self.start_frame
        if offset + frames <= len(self.buffer):
            self.buffer[offset : offset + frames] = self.port.get_array()
            self.frames = offset + frames

    def connect_to(self, client_prefix: str) -> list[str]:
        """Connect the first output port of the client named `client_prefix` (retrying ~10 s)."""
        end = time.monotonic() + 10
        while time.monotonic() < end:
            ports = [p.name for p in self.client.get_ports(f"{client_prefix}:.*", is_audio=True, is_output=True)]
            if ports:
                self.client.connect(ports[0], self.port)
                return ports
            time.sleep(0.1)
        raise AssertionError(f"no JACK output ports from {client_prefix!r}")

    def onsets(self, begin: int = 0, threshold: float = 0.05, gap: int = 2400, window: int = 4000) -> list[int]:
        """Frames of the hits in the capture, to the sample.

        A hit is first found where the signal rises above `threshold` after `gap` quieter frames
        (so a sound already going when the recording began does not count);
        then each hit is aligned to the first one by cross-correlation over `window` frames, so
        a noisy attack (a kick's click) does not move the threshold crossing by a few samples.
        """
        np = self._np
        data = self.buffer[: self.frames]
        above = np.flatnonzero(np.abs(data[begin:]) > threshold) + begin
        if above.size == 0:
            return []
        coarse = above[np.concatenate(([True], np.diff(above) > gap))]
        coarse = coarse[coarse >= begin + gap]      # a hit already sounding when recording began
        if coarse.size == 0:
            return []
        pad = 64
        first = int(coarse[0])
        template = data[max(0, first - pad) : first - pad + window]
        refined = []
        for hit in coarse:
            start = max(0, int(hit) - 2 * pad)
            segment = data[start : int(hit) + window]
            if segment.size < template.size:
                continue
            lag = int(np.argmax(np.correlate(segment, template, mode="valid")))
            refined.append(start + lag + (first - max(0, first - pad)))
        return refined

    def peak(self, begin: int, end: int | None = None) -> float:
        """Largest absolute sample in [begin, end)."""
        segment = self.buffer[begin : self.frames if end is None else end]
        return float(self._np.max(self._np.abs(segment))) if segment.size else 0.0

    def close(self) -> None:
        self.client.deactivate()
        self.client.close()


def standin_env(tmp: Path) -> dict[str, str]:
    """Environment for a REPL under test: private history, runtime folder and cwd-free imports."""
    (tmp / "run").mkdir(exist_ok=True)
    root = str(Path(__file__).resolve().parents[2])
    return {
        **os.environ,
        "XDG_STATE_HOME": str(tmp / "state"),
        "XDG_RUNTIME_DIR": str(tmp / "run"),
        "PYTHONPATH": root,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from livecode.repl.app import run_repl

    marker = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    sys.exit(run_repl(StandInSession(marker)))
