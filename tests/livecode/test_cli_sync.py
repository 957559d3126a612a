"""The CLI's session options: parsed into one `SessionOptions`, the sync ones applied to the
session in order, and every one of them honoured by `play` as by the REPL."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from keepport import KeepPort
from livecode import cli
from livecode.journal import Journal
from livecode.midi import messages as msg
from livecode.options import SessionOptions, apply_sync
from livecode.session import Session

__all__: list[str] = []


class Recorder:
    """A stand-in session that records the sync calls the CLI makes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def midiclock(self, port: str | None) -> None:
        self.calls.append(("midiclock", port))

    def midiclock_in(self, port: str | None) -> None:
        self.calls.append(("midiclock_in", port))

    def link(self, enabled: bool = True) -> int:
        self.calls.append(("link", enabled))
        return 0


def test_sync_options_are_parsed_and_applied() -> None:
    args = cli.build_parser().parse_args(["--midi-clock-out", "Synth", "--midi-clock-in", "a2j:Clock", "--link"])
    session = Recorder()
    apply_sync(session, cli.session_options(args))
    assert session.calls == [("midiclock", "Synth"), ("midiclock_in", "a2j:Clock"), ("link", True)]


def test_no_sync_options_touch_nothing() -> None:
    session = Recorder()
    apply_sync(session, cli.session_options(cli.build_parser().parse_args([])))
    assert session.calls == []


def test_every_session_option_reaches_play(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import livecode.play

    given: list[tuple[Path, float | None, SessionOptions | None]] = []

    def fake_play(path: Path, bars: float | None = None, options: SessionOptions | None = None,
                  **rest: object) -> livecode.play.PlayReport:
        given.append((path, bars, options))
        return livecode.play.PlayReport(1.0, 0, False)

    monkeypatch.setattr(livecode.play, "play_set", fake_play)
    path = tmp_path / "set.py"
    path.write_text('d1 >> s("bd")\n')
    argv = ["--bpm", "90", "play", str(path), "--bars", "1", "--audio", "none", "--sr", "44100", "--block", "128",
            "--lookahead", "0.05", "--midi-out", "IAC", "--midi-clock-out", "Synth", "--midi-clock-in", "a2j:Clock",
            "--link", "--resume", "--socket", str(tmp_path / "lc.sock")]
    assert cli.main(argv) == 0
    assert "not supported" not in capsys.readouterr().err
    assert given == [(path, 1, SessionOptions(
        audio="none", bpm=90.0, sr=44100, block=128, lookahead=0.05, midi_out="IAC", midi_clock_out="Synth",
        midi_clock_in="a2j:Clock", link=True, resume=True, socket=tmp_path / "lc.sock"))]


def test_play_honours_every_session_option(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """`livecode play` with every session option, for real, on a session without audio: the
    tempo, lookahead and default MIDI port are the session's, the journal is resumed before the
    set, MIDI clock goes out, Link and the clock input are joined, and `livecode send` reaches
    the playing session through its socket."""
    import livecode.outputs
    import livecode.play
    from livecode.send import send_code

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    journal = Journal.open(tmp_path / "state" / "livecode")
    journal.append('d3 >> s("cp*2")')
    journal.close()
    ports: dict[str, KeepPort] = {}
    monkeypatch.setattr(livecode.outputs, "_default_midi_opener", lambda name: ports.setdefault(name, KeepPort(name)))
    joined: list[tuple[str, object]] = []                 # Link and a JACK clock input: not on a test machine
    monkeypatch.setattr(Session, "link", lambda self, enabled=True: joined.append(("link", enabled)) or 0)
    monkeypatch.setattr(Session, "midiclock_in", lambda self, port: joined.append(("midiclock_in", port)))
    seen: list[Session] = []
    real_play_session = livecode.play.play_session

    def spy(session: Session, *args: object, **kwargs: object) -> livecode.play.PlayReport:
        seen.append(session)
        return real_play_session(session, *args, **kwargs)

    monkeypatch.setattr(livecode.play, "play_session", spy)
    socket_path = tmp_path / "lc.sock"
    replies = []

    def send_while_playing() -> None:
        deadline = time.monotonic() + 10.0
        while not socket_path.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        replies.append(send_code('d2 >> s("hh*4")\nbpm()', socket_path))

    sender = threading.Thread(target=send_while_playing)
    sender.start()
    path = tmp_path / "set.py"
    path.write_text('d1 >> s("bd*4")\n')
    status = cli.main(["play", str(path), "--bars", "4", "--audio", "none", "--bpm", "240", "--lookahead", "0.05",
                       "--midi-out", "IAC", "--midi-clock-out", "Synth", "--midi-clock-in", "a2j:Clock", "--link",
                       "--resume", "--socket", str(socket_path)])
    sender.join(timeout=15.0)
    err = capsys.readouterr().err
    assert status == 0, err
    session = seen[0]
    assert session.tempo.bpm == 240.0 and session.scheduler.lookahead == 0.05
    assert session.outputs.default_port == "IAC"
    assert "resume: restored 1 of 1 entry" in err and session.tracks["d3"].source == 'd3 >> s("cp*2")'
    assert joined == [("midiclock_in", "a2j:Clock"), ("link", True)]
    clock = ports["Synth"].sent
    assert clock[0] == msg.START and clock.count(msg.CLOCK) >= 24 * 4 * 3 and clock[-1] == msg.STOP
    assert [(reply.ok, reply.value) for reply in replies] == [(True, "240.0")]
    assert session.tracks["d2"].source == 'd2 >> s("hh*4")'
    assert not socket_path.exists()                       # the socket is gone with the play
