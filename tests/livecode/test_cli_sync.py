"""The CLI's sync options: parsed, applied to the session in order, and refused by `play`."""

from __future__ import annotations

from pathlib import Path

import pytest

from livecode import cli

__all__: list[str] = []


class Recorder:
    """A stand-in session that records the sync calls the CLI makes."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def midiclock(self, port: str | None) -> None:
        self.calls.append(("midiclock", port))

    def midiclock_in(self, port: str | None) -> None:
        self.calls.append(("midiclock_in", port))

    def link(self, enabled: bool) -> int:
        self.calls.append(("link", enabled))
        return 0


def test_sync_options_are_parsed_and_applied() -> None:
    args = cli.build_parser().parse_args(["--midi-clock-out", "Synth", "--midi-clock-in", "a2j:Clock", "--link"])
    session = Recorder()
    cli._apply_sync(session, args)
    assert session.calls == [("midiclock", "Synth"), ("midiclock_in", "a2j:Clock"), ("link", True)]


def test_no_sync_options_touch_nothing() -> None:
    session = Recorder()
    cli._apply_sync(session, cli.build_parser().parse_args([]))
    assert session.calls == []


def test_play_says_it_ignores_sync_options(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import livecode.play

    played: list[Path] = []
    real = livecode.play.play_set

    def fake_play(path: Path, bars: float | None = None, **options: object) -> livecode.play.PlayReport:
        played.append(path)
        return livecode.play.PlayReport(1.0, 0, False)

    fake_play.__signature__ = __import__("inspect").signature(real)  # type: ignore[attr-defined]
    monkeypatch.setattr(livecode.play, "play_set", fake_play)
    path = tmp_path / "set.py"
    path.write_text('d1 >> s("bd")\n')
    assert cli.main(["play", str(path), "--link", "--midi-clock-out", "Synth", "--bars", "1"]) == 0
    err = capsys.readouterr().err
    assert "--link is not supported by play yet; ignored" in err
    assert "--midi-clock-out is not supported by play yet; ignored" in err
    assert played == [path]
