"""The REPL in a pseudo-terminal, on a stand-in session (keys, completion, history, status bar)."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from repl_support import STANDIN_SCRIPT, Terminal, standin_env  # noqa: E402

PYTHON = sys.executable


@pytest.fixture()
def repl(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    marker = tmp_path / "closed"
    term = Terminal([PYTHON, str(STANDIN_SCRIPT), str(marker)], standin_env(tmp_path))
    term.wait_text("lc>")
    yield term, marker
    term.close()


def test_evaluates_multiline_blocks_completes_names_and_hushes(repl: tuple[Terminal, Path]) -> None:
    term, marker = repl
    term.send("1 + 2\r")
    term.wait_for(lambda text: "\n3\n" in text + "\n")
    term.send("x = (10,\r")                      # an open bracket: Enter adds a line
    term.wait_for(lambda text: any(line.startswith("...") for line in text.splitlines()))
    term.send("20)\r")
    term.send("yx\x1b[D\x1b[D\x1b[3~\r")      # delete at the start of the line, Enter there
    term.wait_text("(10, 20)")
    term.send("nonexistent_name\r")
    term.wait_text("error: NameError: name 'nonexistent_name' is not defined")
    term.send("hu\t")                            # completion menu offers prelude names
    term.wait_for(lambda text: "hurry" in text and "hush" in text)
    term.send("\x03")                            # Ctrl-C clears the line
    term.send("\x1b[46;5u")                      # Ctrl-. as CSI u
    term.wait_text("[stand-in hush 1]")
    term.send("\x1d")                            # Ctrl-] fallback
    term.wait_text("[stand-in hush 2]")
    term.send("\x1b.")                           # Alt-. fallback
    term.wait_text("[stand-in hush 3]")
    assert "hu\n" not in term.screen.text()      # the cleared line was never evaluated
    term.send("import time; time.sleep(1.5)\r")  # Ctrl-C while code runs: the REPL survives
    term.pump(0.4)
    term.send("\x03")
    term.wait_text("Ctrl-C: the evaluation goes on")
    term.send("40 + 2\r")
    term.wait_for(lambda text: "\n42\nlc>" in text)   # the prompt is back before Ctrl-D
    term.send("\x04")
    assert term.wait_exit() == 0
    assert marker.read_text() == "closed"


def test_status_bar_moves_and_shows_tracks(repl: tuple[Terminal, Path]) -> None:
    term, _marker = repl
    first = term.wait_for(lambda text: "BPM" in text.splitlines()[-1] if text.splitlines() else False)
    first_pos = first.splitlines()[-1].split()[0]
    term.wait_for(lambda text: text.splitlines()[-1].split()[0] != first_pos, timeout=5)
    status = term.status_line()
    assert "120 BPM" in status and "d1●" in status and "xruns 0" in status
    term.send('report("scheduler: d2 raised"); report("scheduler: d2 raised")\r')
    term.send('report("scheduler: d2 raised")\r')
    term.send("'marker-' + 'done'\r")
    screen = term.wait_text("'marker-done'")
    term.pump(0.5)
    assert term.screen.text().count("scheduler: d2 raised\n") == 1, term.screen.text()
    term.send("exit()\r")
    assert term.wait_exit() == 0


def test_history_persists_and_sigterm_stops_cleanly(tmp_path: Path) -> None:
    env = standin_env(tmp_path)
    marker = tmp_path / "closed"
    first = Terminal([PYTHON, str(STANDIN_SCRIPT), str(marker)], env)
    try:
        first.wait_text("lc>")
        first.send("remembered_value = 4242\r")
        first.send("\x04")
        assert first.wait_exit() == 0
    finally:
        first.close()
    history = tmp_path / "state" / "livecode" / "history"
    assert "remembered_value = 4242" in history.read_text()
    marker.unlink()
    second = Terminal([PYTHON, str(STANDIN_SCRIPT), str(marker)], env)
    try:
        second.wait_text("lc>")
        second.send("\x1b[A")                    # Up: the previous run's line comes back
        second.wait_text("remembered_value = 4242")
        second.child.kill(signal.SIGTERM)
        assert second.wait_exit() == 143                  # 128 + SIGTERM, after a clean close
        assert marker.read_text() == "closed"
    finally:
        second.close()
