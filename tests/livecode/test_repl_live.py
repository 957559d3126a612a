"""`livecode --audio jack` in a pseudo-terminal on a private JACK server, as a performer uses it.

Type a beat and see the status bar move; capture the engine's JACK output and find the kicks a
quarter cycle apart (in frames); type a broken line and see one error with a caret while the
kicks go on; hush and the output goes silent; Ctrl-D exits with status 0.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from repl_support import JackCapture, Terminal, standin_env  # noqa: E402

RATE = 48000
QUARTER_CYCLE = RATE * 2 // 4          # 120 BPM, 4 beats per cycle: a cycle is 2 s
POSITION = re.compile(r"^\s*(\d+):(\d)\s+\d+ BPM")


def _position(term: Terminal) -> str | None:
    match = POSITION.match(term.status_line())
    return match.group(0).split()[0] if match else None


def _wait_frames(capture: JackCapture, frames: int, timeout: float = 30.0) -> int:
    target = capture.frames + frames
    end = time.monotonic() + timeout
    while capture.frames < target and time.monotonic() < end:
        time.sleep(0.05)
    return capture.frames


def test_typing_a_beat_plays_it_and_errors_never_stop_it(jack_server: object, tmp_path: Path) -> None:
    env = {**standin_env(tmp_path), "JACK_DEFAULT_SERVER": jack_server.name}  # type: ignore[attr-defined]
    term = Terminal([sys.executable, "-m", "livecode.cli", "--audio", "jack"], env)
    capture = JackCapture(jack_server.name)  # type: ignore[attr-defined]
    try:
        term.wait_text("lc>", timeout=60)
        capture.connect_to("livecode")
        term.send('d1 >> s("bd*4")\r')
        term.wait_for(lambda text: "d1●" in text.splitlines()[-1], timeout=20)
        first = _position(term)
        term.wait_for(lambda text: _position(term) not in (None, first), timeout=10)

        _wait_frames(capture, 2 * RATE)
        term.send('d1 >> s("bd [")\r')
        screen = term.wait_text("error: mini-notation:")
        lines = screen.splitlines()
        error_at = next(i for i, line in enumerate(lines) if line.startswith("error: mini-notation:"))
        assert lines[error_at + 1].strip() == "bd [" and lines[error_at + 2].strip() == "^"
        after_error = capture.frames
        _wait_frames(capture, 2 * RATE)

        onsets = capture.onsets()
        assert len(onsets) >= 6, onsets
        # a quarter cycle apart, to the sample (±1 for the rounding of the cycle origin), no drift
        drift = [frame - onsets[0] - k * QUARTER_CYCLE for k, frame in enumerate(onsets)]
        assert all(abs(d) <= 1 for d in drift), drift
        assert sum(1 for frame in onsets if frame > after_error) >= 3   # the error did not stop it

        term.send("hush()\r")
        term.wait_for(lambda text: "lc> hush()\nlc>" in text)
        _wait_frames(capture, RATE)                  # events already sent (lookahead) and their tails
        quiet_from = capture.frames
        _wait_frames(capture, RATE)
        assert capture.peak(quiet_from) < 1e-3

        term.send("\x04")
        assert term.wait_exit(timeout=30) == 0
    finally:
        capture.close()
        term.close()


def test_jack_dying_mid_set_is_reported_and_reconnect_brings_the_beat_back(tmp_path: Path) -> None:
    from jackserver import JackServer

    first = JackServer(rate=RATE, period=256).start()
    env = {**standin_env(tmp_path), "JACK_DEFAULT_SERVER": first.name}
    term = Terminal([sys.executable, "-m", "livecode.cli", "--audio", "jack"], env)
    second: JackServer | None = None
    capture: JackCapture | None = None
    try:
        term.wait_text("lc>", timeout=60)
        term.send('d1 >> s("bd*4")\r')
        term.wait_for(lambda text: "d1●" in text.splitlines()[-1], timeout=20)
        first.stop()                                                     # JACK goes away mid-set
        term.wait_for(lambda text: "engine:" in text.splitlines()[-1], timeout=20)
        assert "JACK" in term.screen.text()
        second = JackServer(rate=RATE, period=256, name=first.name).start()
        term.send("session.reconnect_audio()\r")
        term.wait_for(lambda text: "session.reconnect_audio()\nlc>" in text, timeout=60)
        capture = JackCapture(second.name)
        capture.connect_to("livecode")
        _wait_frames(capture, 4 * RATE)
        onsets = capture.onsets()
        assert len(onsets) >= 6, onsets                                  # the same track plays again
        # a quarter cycle apart, to the sample (±1 for the rounding of the cycle origin), no drift:
        # the same tolerance as a fresh session
        drift = [frame - onsets[0] - k * QUARTER_CYCLE for k, frame in enumerate(onsets)]
        assert all(abs(d) <= 1 for d in drift), drift
        term.send("\x04")
        assert term.wait_exit(timeout=30) == 0
    finally:
        if capture is not None:
            capture.close()
        term.close()
        first.stop()
        if second is not None:
            second.stop()
