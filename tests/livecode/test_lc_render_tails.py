"""Render lets reverb and delay tails ring out, and stops cleanly when asked to."""

from __future__ import annotations

import math
import signal
from pathlib import Path

import numpy as np
import pytest

import livecode.render
from livecode.errors import RenderInterrupted
from livecode.limits import SILENCE_DBFS, SILENCE_SECONDS
from livecode.render import read_wav, render_set

ECHO = 'bpm(120)\nd1 >> note("c4").s("pluck").gain(1.2)\nd1.fx("delay", time=0.75, feedback=0.9, mix=0.5)\n'
DRY = 'bpm(120)\nd1 >> s("bd*4")\n'


def end_level_dbfs(path: Path, seconds: float = 0.1) -> float:
    data, rate = read_wav(path)
    peak = float(np.abs(data[-int(seconds * rate):]).max())
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def test_a_long_echo_rings_out_and_a_fixed_tail_cuts_it(tmp_path: Path) -> None:
    (tmp_path / "echo.py").write_text(ECHO)
    rung = render_set(tmp_path / "echo.py", tmp_path / "rung.wav", bars=1)
    cut = render_set(tmp_path / "echo.py", tmp_path / "cut.wav", bars=1, tail=2.0)  # the old default
    assert cut.duration_s == pytest.approx(4.0, abs=0.01) and end_level_dbfs(tmp_path / "cut.wav") > -40
    # a 0.9 feedback loses ~0.9 dB a repeat: about 25 s to fall 80 dB
    assert 15.0 < rung.duration_s < 2.0 + 30.0 and not rung.tail_cut
    assert end_level_dbfs(tmp_path / "rung.wav", SILENCE_SECONDS) < SILENCE_DBFS


def test_a_dry_set_ends_soon_after_its_last_sound(tmp_path: Path) -> None:
    (tmp_path / "dry.py").write_text(DRY)
    report = render_set(tmp_path / "dry.py", tmp_path / "dry.wav", bars=2)
    data, rate = read_wav(tmp_path / "dry.wav")
    loud = np.flatnonzero(np.abs(data).max(axis=1) >= 10 ** (SILENCE_DBFS / 20))
    silence_at_end = report.duration_s - (loud[-1] + 1) / rate
    # the last bd starts at 3.5 s; an 808 bd rings down to -80 dBFS within 2 s (docs/sound.md)
    assert 4.0 < report.duration_s < 3.5 + 2.0 + SILENCE_SECONDS + 0.5
    assert SILENCE_SECONDS <= silence_at_end < SILENCE_SECONDS + 1.0


def test_ringing_out_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "echo.py").write_text(ECHO.replace("0.9", "0.6"))
    render_set(tmp_path / "echo.py", tmp_path / "a.wav", bars=1, stems_dir=tmp_path / "sa")
    render_set(tmp_path / "echo.py", tmp_path / "b.wav", bars=1, stems_dir=tmp_path / "sb")
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()
    assert (tmp_path / "sa" / "d1.wav").read_bytes() == (tmp_path / "sb" / "d1.wav").read_bytes()


def test_a_tail_that_never_ends_is_cut_and_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(livecode.render, "MAX_TAIL_SECONDS", 1.0)
    (tmp_path / "echo.py").write_text(ECHO)
    report = render_set(tmp_path / "echo.py", tmp_path / "e.wav", bars=1)
    assert report.tail_cut and report.duration_s < 2.0 + 1.0 + 0.5


def test_a_stop_before_the_first_bar_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "dry.py").write_text(DRY)
    with pytest.raises(RenderInterrupted, match="interrupted before bar 1: nothing was rendered") as caught:
        render_set(tmp_path / "dry.py", tmp_path / "x.wav", bars=4, stop=lambda: signal.SIGTERM)
    assert caught.value.exit_status == 143
    assert not (tmp_path / "x.wav").exists()


def test_a_stop_midway_names_the_bar_and_keeps_valid_files(tmp_path: Path) -> None:
    (tmp_path / "dry.py").write_text(DRY)
    checks = []

    def stop() -> int | None:
        checks.append(1)
        return signal.SIGINT if len(checks) > 20 else None    # about 20 quarter seconds in

    with pytest.raises(RenderInterrupted) as caught:
        render_set(tmp_path / "dry.py", tmp_path / "x.wav", bars=16, stems_dir=tmp_path / "st", stop=stop)
    assert caught.value.exit_status == 130
    data, rate = read_wav(tmp_path / "x.wav")
    seconds = data.shape[0] / rate
    assert 4.5 < seconds < 6.0
    assert str(caught.value) == (f"interrupted at bar 3 of 16; {tmp_path / 'x.wav'} keeps the first {seconds:.2f} s "
                                 f"as a valid WAV (and so do the stems in {tmp_path / 'st'})")
    stem, _ = read_wav(tmp_path / "st" / "d1.wav")
    assert abs(stem.shape[0] - data.shape[0]) < 2048


def test_ctrl_c_without_a_stop_check_still_closes_valid_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from livecode.session import Session

    (tmp_path / "dry.py").write_text(DRY)
    real = Session.run_blocks
    calls = []

    def run_blocks(self: Session, blocks: int, *, tick_every: int = 2) -> None:
        calls.append(blocks)
        if len(calls) == 12:
            raise KeyboardInterrupt             # what a Ctrl-C in the middle of pyo's work becomes
        real(self, blocks, tick_every=tick_every)

    monkeypatch.setattr(Session, "run_blocks", run_blocks)
    with pytest.raises(RenderInterrupted, match=r"interrupted at bar 2 of 8; .* as a valid WAV") as caught:
        render_set(tmp_path / "dry.py", tmp_path / "x.wav", bars=8)
    assert caught.value.exit_status == 130
    data, rate = read_wav(tmp_path / "x.wav")
    assert 2.0 < data.shape[0] / rate < 3.0
