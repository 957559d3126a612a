"""`livecode new` and transitions in a set: the starter is deterministic for a seed, evaluates
in a session with every track set, renders; a rendered dropBar is silent over its bar and a
tape stop driven by its pattern falls in pitch on the beat; bad arguments are one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from livecode.cli import main
from livecode.render import read_wav, render_set
from livecode.session import Session
from livecode.starter import STYLES, starter_text

__all__: list[str] = []

TRACKS = ("d1", "d2", "d3", "d4", "d5", "d9", "d10")


def test_the_starter_is_deterministic_for_a_seed_and_differs_between_seeds() -> None:
    first = starter_text("kpop-dance", "A minor", 7)
    assert first == starter_text("kpop-dance", "A minor", 7)
    assert first != starter_text("kpop-dance", "A minor", 8)


@pytest.mark.parametrize("style", list(STYLES))
def test_every_style_evaluates_with_every_track_set(style: str) -> None:
    session = Session.create(audio="none")
    try:
        result = session.evaluate(starter_text(style, "C minor", 5))
        assert result.ok, result.error
        parts = session.evaluate("all(p.onsets(0, 8) for p in (DRUMS, BASS, STABS, PAD, HOOK_PART))")
        assert parts.ok and parts.value_repr == "True", (style, parts.value_repr)
        lyric = session.evaluate('any("lyric" in e.value for e in HOOK_PART.onsets(0, 2))')
        assert lyric.ok and lyric.value_repr == "True"
        assert session.song.playing and session.song.form is not None            # the form plays
        assert session.song.length() >= 48
    finally:
        session.close()


def test_the_hook_follows_the_seed() -> None:
    def hook(seed: int) -> list[object]:
        session = Session.create(audio="none")
        try:
            assert session.evaluate(starter_text("kpop-dance", "A minor", seed)).ok
            notes = session.evaluate('[e.value["note"] for e in HOOK_PART.onsets(0, 2)]')
            assert notes.ok
            return [notes.value_repr]
        finally:
            session.close()

    assert hook(7) == hook(7) and hook(7) != hook(8)


def test_livecode_new_writes_a_set_that_renders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "song.py"
    assert main(["new", "--style", "kpop-dance", "--key", "A minor", "--seed", "7", str(target)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert target.read_text() == starter_text("kpop-dance", "A minor", 7)
    report = render_set(target, tmp_path / "song.wav", bars=2, tail=0.5)
    assert -30.0 < report.peak_dbfs <= -0.9 and report.late_events == 0


@pytest.mark.parametrize(("argv", "status", "line"), [
    (["--style", "trance", "x.py"], 2, "livecode new --style: unknown style 'trance'; styles: kpop-dance, kpop-ballad, moombahton"),
    (["--style", "kpop-danse", "x.py"], 2, "livecode new --style: unknown style 'kpop-danse'; did you mean kpop-dance? styles:"),
    (["--key", "H minor", "x.py"], 2, "livecode new --key: 'H minor' is not a key"),
    (["--seed", "seven", "x.py"], 2, "livecode new: argument --seed: invalid int value: 'seven'"),
    (["--seed", "-1", "x.py"], 2, "livecode new --seed: a whole number 0 .. 2147483647, got -1"),
    (["x.txt"], 1, "livecode new: the set file must end in .py, got 'x.txt'"),
])
def test_bad_arguments_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                   argv: list[str], status: int, line: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", *argv]) == status
    err = capsys.readouterr().err
    assert err.startswith(line) and err.count("\n") == 1, err
    assert not (tmp_path / "x.py").exists()


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "song.py"
    target.write_text("# mine\n")
    assert main(["new", str(target)]) == 1
    assert "exists; choose another name or add --force" in capsys.readouterr().err
    assert target.read_text() == "# mine\n"
    assert main(["new", "--force", str(target)]) == 0
    assert target.read_text().startswith("# kpop-dance in A minor, seed 1")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_rendered_drop_bar_is_silent_and_a_tape_stop_falls_on_its_beats(tmp_path: Path) -> None:
    """At 120 BPM (2 s bars): hats with `dropBar(2)` are silent in bar 2 (after the last hat's
    ring), and a held sine through `tapestop` driven by `transition("tapestop", beats=2,
    every=2)` falls from 440 Hz over bar 2's last two beats (3.0 .. 4.0 s), then is silent; a
    one-bar riser rises through bar 2 (the event's length reaches the instrument in seconds)."""
    (tmp_path / "t.py").write_text(
        "bpm(120)\n"
        'd1 >> s("hh*8").dropBar(2)\n'
        'd2 >> note("a4").s("sine").legato(1)\n'
        'd2.fx("tapestop", stop=transition("tapestop", beats=2, every=2))\n'
        'd3 >> transition("riser", bars=1, every=2)\n'
    )
    render_set(tmp_path / "t.py", tmp_path / "t.wav", bars=2, tail=0.1, stems_dir=tmp_path / "st", neutral_master=True)
    hats, rate = read_wav(tmp_path / "st" / "d1.wav")
    bar = 2 * rate
    assert np.abs(hats[: bar]).max() > 0.01
    assert np.abs(hats[bar + rate // 2: 2 * bar]).max() < 1e-4
    sine, _ = read_wav(tmp_path / "st" / "d2.wav")
    mono = sine[:, 0].astype(np.float64)

    def hz(start: float) -> float:
        piece = mono[int(start * rate): int((start + 0.1) * rate)]
        return float(np.count_nonzero(np.diff(np.signbit(piece)))) / 2 / 0.1

    assert hz(2.5) == pytest.approx(440.0, abs=10)
    falling = [hz(3.0 + 0.1 * k) for k in range(9)]
    assert falling == sorted(falling, reverse=True) and falling[0] > 380 and falling[-1] < 80, falling
    assert np.abs(mono[int(4.0 * rate) - 200: int(4.0 * rate)]).max() < 0.02 * np.abs(mono).max()   # faded out
    # the riser: silent in bar 1, then brighter and louder through bar 2 (its length is the bar's)
    riser, _ = read_wav(tmp_path / "st" / "d3.wav")
    body = riser[:, 0].astype(np.float64)
    assert np.abs(body[: bar]).max() == 0.0
    quarters = np.array_split(body[bar: 2 * bar], 4)
    spectra = [np.abs(np.fft.rfft(q * np.hanning(q.size))) ** 2 for q in quarters]
    freqs = np.fft.rfftfreq(quarters[0].size, 1.0 / rate)
    centroid = [float((p * freqs[: p.size]).sum() / p.sum()) for p in spectra]
    assert centroid == sorted(centroid) and centroid[-1] > 5 * centroid[0], centroid
    assert [float(np.mean(q**2)) for q in quarters] == sorted(float(np.mean(q**2)) for q in quarters)
