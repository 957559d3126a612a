"""`master(preset)`: the live master bus takes a preset's glue, tilt and ceiling (heard in a
render through the real engine), the status shows the distance to its loudness target, and bad
input is one line that changes nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from livecode.render import read_wav, render_set
from livecode.repl.statusbar import _to_target
from livecode.session import Session
from synths.qc.measure import true_peak_db

__all__: list[str] = []

HOT = 'bpm(120)\nd1 >> note("c3 e3 g3 c4").s("saw").legato(1).gain(4)\nd2 >> s("bd*4").gain(3)\n'


@pytest.mark.parametrize(("preset", "ceiling"), [("club", -0.3), ("broadcast", -1.0)])
def test_a_preset_sets_the_limiter_ceiling_of_a_render(tmp_path: Path, preset: str, ceiling: float) -> None:
    (tmp_path / "hot.py").write_text(HOT + f'master("{preset}")\n')
    render_set(tmp_path / "hot.py", tmp_path / "hot.wav", bars=1, tail=0.2, bits=32)
    data, rate = read_wav(tmp_path / "hot.wav")
    peak = true_peak_db(data, rate)
    assert ceiling - 0.6 < peak <= ceiling, peak          # pushed into the limiter (its threshold: 0.3 dB under)


def test_the_gain_into_the_limiter_moves_the_level(tmp_path: Path) -> None:
    levels = []
    for gain in (-12, 0):
        (tmp_path / "s.py").write_text('bpm(120)\nd1 >> note("c3 e3").s("saw")\n' + f'master("streaming", gain={gain})\n')
        render_set(tmp_path / "s.py", tmp_path / "s.wav", bars=1, tail=0.2, bits=32)
        data, _ = read_wav(tmp_path / "s.wav")
        levels.append(20 * np.log10(np.sqrt(np.mean(data**2))))
    assert 9.0 < levels[1] - levels[0] < 13.0


def test_status_shows_the_distance_to_the_target_and_bad_input_changes_nothing() -> None:
    session = Session.create(audio="none")
    try:
        assert session.evaluate('master("streaming")').ok
        status = session.status()
        assert status.lufs_target == -14.0
        status.lufs_s = -15.2
        assert _to_target(status) == " (-1.2)"
        for bad, says in [('master("loud")', "unknown preset 'loud'"), ("master(gain=40)", "master(gain)"),
                          ("master(lufs=5)", "lufs=5"), ("master(3)", "master(preset)")]:
            result = session.evaluate(bad)
            assert not result.ok and says in (result.error or ""), (bad, result.error)
            assert session.status().lufs_target == -14.0
        assert session.evaluate("master(None)").ok and session.status().lufs_target is None
        assert repr(session.live_master.apply("apple")).startswith("master: apple (-16.0 LUFS")
    finally:
        session.close()
