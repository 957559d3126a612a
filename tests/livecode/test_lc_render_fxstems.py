"""K-pop render with a neutral master: the track stems plus the fx-bus returns sum to the mix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyloudnorm

from livecode.render import read_wav, render_set

__all__: list[str] = []

KPOP = Path(__file__).parents[2] / "examples" / "kpop.py"


def test_kpop_stems_and_fx_returns_sum_to_a_neutral_master(tmp_path: Path) -> None:
    # send the hats to the reverb and a pluck line to the delay (replacing the example's d3, d7)
    sends = 'd3 >> s("hh*8").bank("808").room(0.4)\nd7 >> note("e5 ~ c5 d5 e5 ~ g5 e5").s("pluck").delay(0.5)\n'
    (tmp_path / "kpop.py").write_text(KPOP.read_text() + sends)
    report = render_set(tmp_path / "kpop.py", tmp_path / "mix.wav", bars=1, stems_dir=tmp_path / "stems", tail=0.5,
                        bits="float", neutral_master=True)
    assert sorted(p.name for p in report.fx_stems) == ["fx-delay.wav", "fx-reverb.wav"]
    assert all(p.parent == tmp_path / "stems" for p in report.fx_stems)
    mix, _ = read_wav(tmp_path / "mix.wav")
    tracks = [read_wav(p)[0] for p in report.stems if p.name != "master.wav"]
    returns = [read_wav(p)[0] for p in report.fx_stems]
    assert len(tracks) == 11
    assert max(np.abs(r).max() for r in returns) > 1e-3          # the set uses its sends
    assert np.abs(sum(tracks) - mix).max() > 1e-3                 # tracks alone are not the mix
    assert np.abs(sum(tracks) + sum(returns) - mix).max() < 1e-6
    reference = pyloudnorm.Meter(48000).integrated_loudness(mix)       # the report's LUFS is right
    assert abs(report.lufs_integrated - reference) < 0.01
