"""The `livecode` command as a person runs it: bad arguments, render, devices, send to a REPL."""

from __future__ import annotations

import socket
import subprocess
import sys
import wave
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from repl_support import Terminal, standin_env  # noqa: E402

from livecode.server import frame  # noqa: E402

LIVECODE = [sys.executable, "-m", "livecode.cli"]


def run(args: list[str], env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(LIVECODE + args, capture_output=True, text=True, timeout=120, env=env, input=stdin)


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--bogus"], 2, "unrecognized arguments: --bogus"),
        (["--audio", "alsa"], 2, "invalid choice: 'alsa'"),
        (["--bpm", "-3"], 2, "argument --bpm: expected a number from 10 to 999"),
        (["render", "x.py"], 2, "--bars N is needed (or --song to render the whole song form)"),
        (["render", "x.py", "-o", "x.wav"], 2, "--bars N is needed (or --song to render the whole song form)"),
        (["render", "missing.py", "-o", "x.wav", "--bars", "2"], 1, "no such set file: missing.py"),
        (["render", "set.py", "-o", "x.wav", "--bars", "2", "--preset", "club"], 2,
         "--preset: only with --deliver DIR (to master a rendered file: livecode master FILE.wav"),
        (["render", "set.py", "--midi", "x.mid", "--bars", "2", "--format", "flac", "--workers", "2"], 2,
         "--format --workers: only with --deliver DIR"),
        (["render", "missing.py", "-o", "x.wav", "--bars", "0"], 2, "argument --bars: expected a whole number from 1"),
        (["render", "set.py", "-o", "x.wav", "--bars", "100000"], 2,
         "argument --bars: expected a whole number from 1 to 10000 bars, got '100000'"),
        (["render", "set.py", "-o", "x.wav", "--bars", "2", "--sr", "1"], 2,
         "argument --sr: expected a whole number from 8000 to 384000 Hz, got '1'"),
        (["play", "set.py", "--sr", "1000000"], 2, "argument --sr: expected a whole number from 8000"),
        (["play", "set.py", "--block", "8"], 2, "argument --block: expected a whole number from 16 to 8192"),
        (["--bpm", "5000"], 2, "argument --bpm: expected a number from 10 to 999, got '5000'"),
        (["play", "set.py", "--lookahead", "nan"], 2, "argument --lookahead: expected a number above 0"),
        (["play", "missing.py"], 1, "no such set file: missing.py"),
        (["send", "missing.py"], 1, "no such file: missing.py"),
        (["--audio", "none"], 1, "the REPL needs a terminal"),
    ],
)
def test_bad_arguments_give_one_line_and_non_zero_exit(args: list[str], code: int, needle: str, tmp_path: Path) -> None:
    env = standin_env(tmp_path)
    result = run(args, env)
    assert result.returncode == code
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for internal in ("Engine:", "render_set:", "play_set:", "Session.create:"):   # only names you can type
        assert internal not in result.stderr
    if code == 2:
        assert result.stderr.rstrip().endswith("--help`)")


def test_render_writes_a_wav_and_reports_loudness(tmp_path: Path) -> None:
    set_file = tmp_path / "beat.py"
    set_file.write_text('bpm(120)\nd1 >> s("bd*4")\n')
    out = tmp_path / "beat.wav"
    result = run(["render", str(set_file), "-o", str(out), "--bars", "1", "--bits", "16"], standin_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "100%" in result.stderr                               # the progress bar went to stderr
    line = result.stdout.strip()
    assert line.startswith(f"{out}: peak ") and " dBFS  LUFS " in line and "duration " in line
    with wave.open(str(out)) as wav:
        assert wav.getsampwidth() == 2 and wav.getframerate() == 48000
        seconds = wav.getnframes() / wav.getframerate()
    assert f"duration {seconds:.2f} s" in line
    peak = float(line.split("peak ")[1].split()[0])
    assert -30.0 < peak <= 0.0


def test_devices_lists_the_private_jack_server(jack_server: object) -> None:
    result = run(["devices"])
    assert result.returncode == 0, result.stderr
    assert "JACK audio ports" in result.stdout and "system:playback_1 (in)" in result.stdout
    assert "MIDI outputs:" in result.stdout
    assert result.stderr == ""                  # nothing from ALSA or JACK reaches the terminal


def test_devices_says_once_that_there_is_no_alsa_sequencer(no_jack_env: None) -> None:
    result = run(["devices"])
    assert result.returncode == 0, result.stderr
    assert "snd_seq_hw_open" not in result.stderr + result.stdout and result.stderr == ""
    assert "(no JACK server running)" in result.stdout
    if not Path("/dev/snd/seq").exists():       # this sandbox has no sound devices at all
        assert result.stdout.count("no ALSA sequencer") == 1
        assert result.stdout.splitlines()[-1] == ("  (none found; no ALSA sequencer: /dev/snd/seq cannot be opened; "
                                                  "`sudo modprobe snd-seq` loads it)")


def test_send_evaluates_in_the_running_session(tmp_path: Path) -> None:
    env = standin_env(tmp_path)
    term = Terminal([sys.executable, "-m", "livecode.cli", "--audio", "none"], env)
    try:
        term.wait_text("lc>", timeout=60)
        sock = tmp_path / "run" / "livecode" / "session.sock"
        died = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)     # a client that dies mid-send
        died.connect(str(sock))
        died.sendall(frame('d1 >> s("bd*4")')[:-5])                  # ... after 'd1 >> s("bd'
        died.close()
        sent = run(["send"], env, stdin='d3 >> s("hh*2")\nbpm(133)\n')
        assert sent.returncode == 0, sent.stderr + sent.stdout
        term.wait_text("» bpm(133)")
        term.wait_for(lambda text: "133 BPM" in text and "d3●" in text)
        assert 'd1 >> s("bd' not in term.screen.text() and "d1●" not in term.screen.text()   # it never ran
        failed = run(["send"], env, stdin="undefined_thing\n")
        assert failed.returncode == 1
        assert failed.stdout.strip() == "error: NameError: name 'undefined_thing' is not defined"
        assert oct(sock.stat().st_mode & 0o777) == "0o600"
        term.send("\x04")
        assert term.wait_exit() == 0
        assert not sock.exists()
    finally:
        term.close()
