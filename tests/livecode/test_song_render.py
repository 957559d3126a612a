"""Rendered songs: section boundaries on the exact sample, `--from` equal to the whole render
from there, restart vs align in audio, and the K-pop example (a short part of it)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from livecode.render import read_wav
from livecode.session import Session
from livecode.song.render import render_song_session, song_length
from synths.testvoices import resolve_test_voice

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[2]
RATE = 48000

# a: quarter clicks at 0.3 for 2 bars at 120 BPM (2 s a bar); b: half-note clicks at 0.9 at
# 150 BPM (1.6 s a bar); c: one click at 0.6 back at 120 BPM.
CLICKS = """
bpm(120)
section("a", d1=s("click*4").gain(0.3))
section("b", d1=s("click*2").gain(0.9), bpm=150)
section("c", d1=s("click").gain(0.6))
song(["a", 2], ["b", 1], ["c", 1])
"""


def render(code: str, out: Path, **options: object) -> np.ndarray:
    """Render `code`'s song with the test voices and a neutral master; the left channel."""
    session = Session.create(audio="manual", engine_options={"resolver": resolve_test_voice})
    try:
        assert session.evaluate(code).ok
        session.manual_engine.mixer.master.set_neutral(True)
        render_song_session(session, out, tail=0.5, **options)
    finally:
        session.close()
    data, rate = read_wav(out)
    assert rate == RATE
    return data[:, 0]


def clicks(audio: np.ndarray) -> list[tuple[int, float]]:
    """(sample, height) of every click."""
    where = np.nonzero(np.abs(audio) > 0.05)[0]
    return [(int(i), round(float(audio[i]), 2)) for i in where]


def test_section_boundaries_land_on_the_exact_sample(tmp_path: Path) -> None:
    found = clicks(render(CLICKS, tmp_path / "song.wav"))
    a = [(i * 24000, 0.3) for i in range(8)]              # quarters at 120 BPM
    b = [(192000 + i * 38400, 0.9) for i in range(2)]      # half notes at 150 BPM from 4.0 s
    c = [(192000 + 76800, 0.6)]                            # bar 4 at 5.6 s
    assert found == a + b + c


def test_from_a_section_renders_what_the_whole_render_plays_there(tmp_path: Path) -> None:
    found = clicks(render(CLICKS, tmp_path / "from.wav", start="b"))
    assert found == [(0, 0.9), (38400, 0.9), (76800, 0.6)]
    found = clicks(render(CLICKS, tmp_path / "bar.wav", start=2, bars=1, song=False))
    assert found == [(i * 24000, 0.3) for i in range(4)]


def test_restart_and_align_in_audio(tmp_path: Path) -> None:
    code = """
bpm(120)
section("gap", d1=s("~"))
section("restart", d1=s("<click ~>"))
section("align", d1=s("<click ~>"), start="align")
song(["gap", 1], ["restart", 2], ["gap", 2], ["align", 2])
"""
    found = clicks(render(code, tmp_path / "ra.wav"))
    # restart: the pattern's first bar on the section's first bar (cycle 1, 2 s); align: cycle 5
    # is the pattern's silent odd bar, cycle 6 its click (12 s)
    assert found == [(96000, 1.0), (6 * 96000, 1.0)]


def test_the_kpop_song_renders_a_part_and_its_form_adds_up(tmp_path: Path) -> None:
    example = ROOT / "examples" / "kpop_song.py"
    text = example.read_text()
    form_line = next(line for line in text.splitlines() if line.startswith("FORM = "))
    form = ast.literal_eval(form_line.split("=", 1)[1].strip())     # the form as written: [name, bars(, times)]
    assert isinstance(form, list)
    expected = sum(part[1] * (part[2] if len(part) == 3 else 1) for part in form)
    assert song_length(example) == expected
    out = tmp_path / "break.wav"
    done = subprocess.run([sys.executable, "-m", "livecode.cli", "render", str(example), "--from", "dance break",
                           "--bars", "2", "--tail", "1", "-o", str(out), "-q"],
                          check=False, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    data, rate = read_wav(out)
    seconds = data.shape[0] / rate
    assert seconds == pytest.approx(2 * 4 * 60 / 124 + 1.0, abs=0.02)       # two bars at 124 BPM + tail
    peak = float(np.max(np.abs(data)))
    assert 0.1 < peak < 1.0
    window = rate // 10
    music = np.abs(data[: int(2 * 4 * 60 / 124 * rate) // window * window, 0]).reshape(-1, window)
    assert np.all(music.max(axis=1) > 1e-3)                                 # no silent 0.1 s in the music
