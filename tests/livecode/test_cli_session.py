"""`livecode play` and `livecode --resume` as a person runs them (no audio device needed)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from repl_support import Terminal, standin_env  # noqa: E402

LIVECODE = [sys.executable, "-m", "livecode.cli"]


def test_play_for_bars_and_sigterm_stop_cleanly(tmp_path: Path) -> None:
    env = standin_env(tmp_path)
    set_file = tmp_path / "set.py"
    set_file.write_text('bpm(240)\nd1 >> s("bd*4")\n')
    started = time.monotonic()
    done = subprocess.run(LIVECODE + ["play", str(set_file), "--bars", "1", "--audio", "none"],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started >= 1.0            # one bar at 240 BPM lasts a second
    assert done.stderr.splitlines()[0] == (f"playing {set_file} at 240 BPM for 1 bar with no audio "
                                           "(patterns and MIDI only); Ctrl-C stops")
    assert done.stdout.startswith(f"{set_file}: played 1 bar in ") and "late events 0  xruns 0" in done.stdout

    endless = subprocess.Popen(LIVECODE + ["play", str(set_file), "--audio", "none"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        time.sleep(2.0)
        assert endless.poll() is None                   # no --bars: it plays until stopped
        endless.send_signal(signal.SIGTERM)
        _out, err = endless.communicate(timeout=20)
    finally:
        if endless.poll() is None:
            endless.kill()
    assert endless.returncode == 143                    # 128 + SIGTERM, after a clean stop
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("livecode play: interrupted at bar ")
    assert f"{set_file}: played " in _out


def test_resume_brings_back_tempo_and_tracks(tmp_path: Path) -> None:
    env = standin_env(tmp_path)
    first = Terminal(LIVECODE + ["--audio", "none"], env)
    try:
        first.wait_text("lc>", timeout=60)
        first.send("bpm(133)\r")
        first.send('d2 >> s("hh*2")\r')
        first.wait_for(lambda text: "133 BPM" in text and "d2●" in text)
        first.send("\x04")
        assert first.wait_exit() == 0
    finally:
        first.close()
    second = Terminal(LIVECODE + ["--audio", "none", "--resume"], env)
    try:
        second.wait_for(lambda text: "133 BPM" in text and "d2●" in text, timeout=60)
        second.send("\x04")
        assert second.wait_exit() == 0
    finally:
        second.close()


def test_resume_without_a_journal_says_so_and_opens_the_repl(tmp_path: Path) -> None:
    term = Terminal(LIVECODE + ["--audio", "none", "--resume"], standin_env(tmp_path), cols=200)
    try:
        term.wait_text("lc>", timeout=60)
        lines = [line for line in term.screen.lines() if line.strip()]
        assert lines[0] == (f"resume: no journal found in {tmp_path / 'state' / 'livecode'}; "
                            "starting with an empty session")
        term.send("\x04")
        assert term.wait_exit() == 0
    finally:
        term.close()


def test_resume_from_a_damaged_journal_says_what_it_skipped_prints_nothing_old_and_opens_the_repl(
        tmp_path: Path) -> None:
    from livecode.journal import format_entry

    env = standin_env(tmp_path)
    folder = tmp_path / "state" / "livecode"
    folder.mkdir(parents=True)
    when = "2026-11-21T15:00:00.000+00:00"
    journal = folder / "journal-20261121-150000-1.py"
    old_save = tmp_path / "OLD-SAVE.py"
    journal.write_bytes(b"".join([
        format_entry("bpm(137)", when=when),
        format_entry('d2 >> s("hh*2")\nprint("OLD-PRINT")\nshow(d2)', when=when),
        b"# --- " + when.encode() + b'\nd4 >> s("caf\xe9")\n',            # invalid UTF-8 (old format)
        format_entry('d5 >> s("cp")', when=when).replace(b"# --- ", b"#--- ", 1),  # damaged header
        format_entry(f'd3 >> s("bd")\nsession.reconnect_audio()\nsave({str(old_save)!r})', when=when),
        format_entry('d6 >> s("sd")', when=when)[:-4],                      # cut short
    ]))
    term = Terminal(LIVECODE + ["--audio", "none", "--resume"], env, cols=300)
    try:
        text = term.wait_for(lambda text: "lc>" in text and "137 BPM" in text, timeout=60)
        assert text.splitlines()[0] == (
            f"resume: restored 3 of 6 entries from {journal}; skipped entry 3 (line 7): invalid UTF-8 "
            "(line 8); entry 4 (line 9): damaged header; entry 6 (line 15): cut short")
        assert "d2" in text and "d3" in text and "d5" not in text and "d6" not in text
        assert "OLD-PRINT" not in text and "█" not in text        # no print, no show() grid
        assert not old_save.exists()
        term.send('print("NEW-" + "PRINT")\r')                       # the REPL works as usual
        term.wait_text("NEW-PRINT")
        term.send("\x04")
        assert term.wait_exit() == 0
    finally:
        term.close()
