"""Resume: state comes back from a damaged journal; output and actions are never replayed."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from livecode.clock import ManualClock
from livecode.journal import format_entry, latest_journal, read_journal
from livecode.midi.port import MidiOut
from livecode.replay import is_action
from livecode.session import Session

__all__: list[str] = []

WHEN = "2026-11-21T15:00:00.000+00:00"


class RecordingPort(MidiOut):
    """A MIDI output that keeps what it is asked to send (a port, not the engine)."""

    def __init__(self) -> None:
        super().__init__("rec")
        self.sent: list[tuple[int, ...]] = []

    def _schedule(self, when: float, message: tuple[int, ...]) -> None:
        self.sent.append(message)

    def _send_now(self, message: tuple[int, ...]) -> None:
        self.sent.append(message)

    def _cancel_pending(self) -> None:
        pass

    def _cut(self, keep: object, release: object) -> None:
        for message in release():  # type: ignore[operator]
            self._send_now(message)

    def _close(self) -> None:
        pass


def entry(code: str) -> bytes:
    return format_entry(code, when=WHEN)


def write_journal(folder: Path, *parts: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "journal-20261121-150000-1.py"
    path.write_bytes(b"".join(parts))
    return path


def test_resume_restores_state_from_a_damaged_journal_and_replays_no_output_or_action(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    saved_set = tmp_path / "must-not-exist.py"
    bad_utf8 = b'd5 >> s("caf\xe9")\n'
    path = write_journal(
        tmp_path / "old",
        entry("bpm(133)"),                                                           # 1
        entry('d6 >> s("sd")\npanic()'),                                             # 2 hush half only
        entry('d1 >> s("bd*4")\nprint("old output")\nshow(d1)'),                     # 3
        entry('import sys\nprint("to stderr", file=sys.stderr)\nd1.pan(0.3)\nd1'),  # 4
        f"# --- {WHEN} bytes={len(bad_utf8)} crc32={zlib.crc32(bad_utf8):08x}\n".encode() + bad_utf8,  # 5
        entry('d2 >> s("hh*2")').replace(b"# --- ", b"# -- ", 1),                    # 6 damaged header
        entry('d3 >> s("cp")'),                                                      # 7 the next good one
        entry(f"d4 >> s(\"hh\")\nd4.gain(-6)\nsession.reconnect_audio()\nsave({str(saved_set)!r})\n"
              "midi_outputs()\nmidiclock('synth')\nsession.start()\nsession.close()\nd4.pan(0.7)"),  # 8
        entry("d3 >> nosuchname"),                                                   # 9 fails: skipped
        entry('d7 >> s("bd")')[:-6],                                                 # 10 cut short
    )
    port = RecordingPort()
    session = Session.create(audio="none", journal=tmp_path / "new")
    session.outputs.opener = lambda name: port
    session.outputs.port("synth")                          # a port already open before the resume
    capfd.readouterr()

    report = session.resume(path)

    printed = capfd.readouterr()
    assert printed.out == "" and printed.err == ""         # no print, no show() grid, no repr
    assert report.path == path and report.total == 10 and report.restored == 6
    assert [(s.number, s.reason) for s in report.skipped] == [
        (5, "invalid UTF-8 (line 16)"), (6, "damaged header"),
        (9, "NameError: name 'nosuchname' is not defined"), (10, "cut short")]
    assert report.summary() == (
        f"resume: restored 6 of 10 entries from {path}; skipped entry 5 (line 15): invalid UTF-8 (line 16); "
        "entry 6 (line 17): damaged header; entry 9 (line 31): NameError: name 'nosuchname' is not defined; "
        "entry 10 (line 33): cut short")

    tracks = session.tracks
    assert session.tempo.bpm == pytest.approx(133)
    assert tracks["d1"].source == 'd1 >> s("bd*4")' and tracks["d1"].pan_pos == 0.3
    assert tracks["d3"].source == 'd3 >> s("cp")'          # the entry after the damaged header
    assert tracks["d2"].source is None and tracks["d5"].source is None and tracks["d7"].source is None
    assert tracks["d6"].source is None                     # panic()'s hush is state: replayed
    assert tracks["d4"].gain_db == -6 and tracks["d4"].pan_pos == 0.7   # ran past every action
    assert port.sent == []                                 # panic's release: no note-off, no CC 123
    assert session.syncs.clock_out is None                 # midiclock('synth') not replayed
    assert not saved_set.exists()                          # save() not replayed
    assert not session.running and not session.replaying   # start() and close() not replayed
    assert session.messages() == []

    session.evaluate("print('live again')")                # after the resume, output is back
    assert capfd.readouterr().out == "live again\n"
    session.start()
    assert session.running
    session.close()
    copied = [e.code for e in read_journal(latest_journal(tmp_path / "new")).entries]  # type: ignore[arg-type]
    assert copied[0] == "bpm(133)" and 'd3 >> s("cp")' in copied    # the new journal carries the state on


def test_actions_are_marked_and_state_changes_are_not() -> None:
    session = Session(clock=ManualClock(48000))
    namespace = session.namespace
    for name in ("save", "show", "midi_outputs"):
        assert is_action(namespace[name]), name
    for name in ("reconnect_audio", "save", "start", "run_blocks", "close", "resume", "midiclock",
                 "midiclock_in", "link", "_release_all"):
        assert is_action(getattr(Session, name)), name
    for name in ("bpm", "hush", "panic", "solo", "unsolo", "track", "load_samples", "setcps"):
        assert not is_action(namespace[name]), name
    for name in ("evaluate", "hush", "panic", "set_bpm", "load", "solo"):
        assert not is_action(getattr(Session, name)), name
    session.close()


def test_actions_run_again_after_a_resume(tmp_path: Path) -> None:
    path = write_journal(tmp_path / "old", entry('d1 >> s("bd")\nsave("x.py")'))
    session = Session(clock=ManualClock(48000))
    assert session.resume(path).restored == 1
    target = tmp_path / "after.py"
    assert session.evaluate(f"save({str(target)!r})").ok and target.exists()
    session.close()


def test_resume_with_no_journal_and_an_unreadable_one_raise_one_line_errors(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from livecode.errors import JournalError, SessionError

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(clock=ManualClock(48000))
    with pytest.raises(SessionError, match="no journal found in .*state/livecode"):
        session.resume()
    with pytest.raises(JournalError, match="cannot read"):
        session.resume(tmp_path / "missing.py")
    assert not session.replaying
    session.close()


def test_an_exit_in_a_crafted_journal_does_not_end_the_resume(tmp_path: Path) -> None:
    path = write_journal(tmp_path / "old", entry("bpm(90)"), entry("exit()"), entry('d1 >> s("bd")'))
    session = Session(clock=ManualClock(48000))
    report = session.resume(path)
    assert report.restored == 2 and [(s.number, s.reason) for s in report.skipped] == [(2, "exit() is not replayed")]
    assert session.tracks["d1"].source == 'd1 >> s("bd")'
    session.close()


def test_the_summary_stays_one_line_with_many_skipped_entries(tmp_path: Path) -> None:
    path = write_journal(tmp_path / "old", *[entry(f"x{n} = nope{n}") for n in range(1, 8)], entry("bpm(100)"))
    session = Session(clock=ManualClock(48000))
    summary = session.resume(path).summary()
    assert "\n" not in summary and summary.startswith(f"resume: restored 1 of 8 entries from {path}; skipped ")
    assert "entry 5 (line 9): NameError" in summary and "entry 6" not in summary and summary.endswith("; and 2 more")
    session.close()
