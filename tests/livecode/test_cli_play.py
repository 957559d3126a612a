"""`livecode play` on a private JACK server, as a person runs it: it says what starts, lets the
delay and reverb tails ring out after the last bar (heard on a JACK capture of its output), sums
up at the end, and a second Ctrl-C ends at once."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from repl_support import JackCapture, standin_env  # noqa: E402

from livecode.limits import SILENCE_SECONDS  # noqa: E402

LIVECODE = [sys.executable, "-m", "livecode.cli"]
RATE = 48000
BAR = 2 * RATE                         # 120 BPM, 4 beats: a bar lasts 2 s
# bar 1 is silent (time to connect the capture), bar 2 starts one pluck that echoes for seconds
ECHOES = ('bpm(120)\nd1 >> note("<~ c4>").s("pluck").gain(1.2)\n'
          'd1.fx("delay", time=0.75, feedback=0.7, mix=0.5).fx("reverb", size=0.9, mix=0.4)\n')


def start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """Start `livecode play`; returns the process and its first stderr line (what starts)."""
    proc = subprocess.Popen(LIVECODE + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stderr is not None
    return proc, proc.stderr.readline().rstrip("\n")


def test_play_says_what_starts_lets_the_tails_ring_out_and_sums_up(jack_server: object, tmp_path: Path) -> None:
    env = {**standin_env(tmp_path), "JACK_DEFAULT_SERVER": jack_server.name}  # type: ignore[attr-defined]
    set_file = tmp_path / "echoes.py"
    set_file.write_text(ECHOES)
    capture = JackCapture(jack_server.name, seconds=40.0)  # type: ignore[attr-defined]
    try:
        proc, first = start(["play", str(set_file), "--bars", "2", "--audio", "jack"], env)
        try:
            assert first == (f"playing {set_file} at 120 BPM for 2 bars on jack (48000 Hz, 256-frame blocks); "
                             "Ctrl-C stops")
            capture.connect_to("livecode")
            stdout, stderr = proc.communicate(timeout=60)
            exit_frame = capture.frames
        finally:
            if proc.poll() is None:
                proc.kill()
    finally:
        capture.close()
    assert proc.returncode == 0, stderr
    assert stderr == "", stderr                          # no ALSA or JACK noise: it went to engine.log
    assert stdout.startswith(f"{set_file}: played 2 bars in ") and "late events 0" in stdout
    audio = np.abs(capture.buffer[:exit_frame])
    onset = int(np.flatnonzero(audio > 0.01)[0])         # the pluck: the start of bar 2
    last_loud = int(np.flatnonzero(audio > 1e-3)[-1])    # the last sample above -60 dBFS
    bar_end = onset + BAR
    assert (last_loud - bar_end) / RATE > 1.0            # the echoes went on well after the last bar ...
    assert (exit_frame - last_loud) / RATE > 0.8 * SILENCE_SECONDS    # ... and play waited for them


def test_a_second_ctrl_c_ends_at_once(jack_server: object, tmp_path: Path) -> None:
    env = {**standin_env(tmp_path), "JACK_DEFAULT_SERVER": jack_server.name}  # type: ignore[attr-defined]
    set_file = tmp_path / "echoes.py"
    set_file.write_text(ECHOES.replace('"<~ c4>"', '"c4*2"'))
    proc, first = start(["play", str(set_file), "--audio", "jack"], env)
    try:
        assert first.endswith("until Ctrl-C on jack (48000 Hz, 256-frame blocks)")
        time.sleep(3.0)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.5)
        assert proc.poll() is None                       # the first Ctrl-C waits for the echoes
        proc.send_signal(signal.SIGINT)
        asked = time.monotonic()
        stdout, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - asked
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert took < 3.0
    assert "(tails cut)" in stdout and stdout.startswith(f"{set_file}: played ")
    assert stderr.strip().splitlines()[-1].startswith("livecode play: interrupted at bar ")
    assert "Traceback" not in stderr
