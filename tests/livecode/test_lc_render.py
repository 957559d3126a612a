"""Offline render of set files: deterministic bytes, stems that sum to the mix, the K-pop example."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from livecode.errors import SetFileError
from livecode.render import read_wav, render_set
from synths.recorder import ClippedWarning

__all__: list[str] = []

HERE = Path(__file__).parent
SMALL = HERE / "sets" / "lc_small.py"
KPOP = HERE.parents[1] / "examples" / "kpop.py"


def test_render_is_byte_identical_twice(tmp_path: Path) -> None:
    first = render_set(SMALL, tmp_path / "a.wav", bars=1, tail=0.25)
    second = render_set(SMALL, tmp_path / "b.wav", bars=1, tail=0.25)
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()
    assert first.peak_dbfs == second.peak_dbfs and first.peak_dbfs > -40
    assert first.duration_s == pytest.approx(2.25, abs=0.01)
    assert first.late_events == 0


def test_onsets_land_where_the_pattern_puts_them(tmp_path: Path) -> None:
    # kicks far enough apart that each decays to exact silence before the next
    (tmp_path / "kick.py").write_text('bpm(60)\nd1 >> s("bd ~ [~ bd] ~").bank("808")\n')
    render_set(tmp_path / "kick.py", tmp_path / "k.wav", bars=2, tail=0.1, stems_dir=tmp_path / "st")
    data, rate = read_wav(tmp_path / "st" / "d1.wav")
    mono = np.abs(data).sum(axis=1)
    cycle = 4 * rate
    frames = [0, cycle * 5 // 8, cycle, cycle + cycle * 5 // 8]
    sounding = np.nonzero(mono > 0.0)[0]
    starts = [int(i) for k, i in enumerate(sounding) if k == 0 or i - sounding[k - 1] > 1000]
    # the kick's envelope starts at -40 dB on the onset frame (its click is noise): the first
    # non-zero sample is the onset frame itself
    assert starts == frames


def test_stems_sum_to_the_mix_with_a_neutral_master(tmp_path: Path) -> None:
    report = render_set(SMALL, tmp_path / "mix.wav", bars=1, stems_dir=tmp_path / "stems", tail=0.25,
                        neutral_master=True)
    names = sorted(p.name for p in report.stems)
    assert names == ["d1.wav", "d2.wav", "d3.wav", "master.wav"]
    mix, _ = read_wav(tmp_path / "mix.wav")
    total = np.zeros_like(mix)
    for name in ("d1", "d2", "d3"):
        stem, _ = read_wav(tmp_path / "stems" / f"{name}.wav")
        assert stem.shape == mix.shape
        assert np.abs(stem).max() > 1e-3
        total += stem
    assert np.abs(total - mix).max() < 8 / 2**23
    assert (tmp_path / "stems" / "master.wav").read_bytes() == (tmp_path / "mix.wav").read_bytes()


def test_kpop_example_renders(tmp_path: Path) -> None:
    report = render_set(KPOP, tmp_path / "kpop.wav", bars=2, stems_dir=tmp_path / "stems", tail=0.5)
    assert report.late_events == 0
    assert -12 < report.peak_dbfs <= 0.0
    assert -30 < report.lufs_integrated < -6
    assert len(report.stems) == 12                         # 11 tracks and master.wav
    for stem in report.stems:
        data, _ = read_wav(stem)
        assert np.abs(data).max() > 1e-3, stem.name       # every track makes sound


def test_kpop_example_stems_stay_under_full_scale(tmp_path: Path) -> None:
    """The README's main job must not clip a stem: bar 8 of the example holds the loudest
    clap + snare hit (it was +0.8 dBFS in the 24-bit d2 stem, a `ClippedWarning`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", ClippedWarning)
        report = render_set(KPOP, tmp_path / "kpop.wav", bars=8, stems_dir=tmp_path / "stems", tail=0.25)
    peaks = {stem.stem: float(np.abs(read_wav(stem)[0]).max()) for stem in report.stems}
    assert max(peaks.values()) < 10 ** (-1.0 / 20), peaks        # every stem under -1 dBFS


def test_a_broken_set_names_its_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text('bpm(120)\nd1 >> s("bd*4")\nd2 >> s("bd [")\n')
    with pytest.raises(SetFileError, match=r"broken.py.*line 3"):
        render_set(broken, tmp_path / "x.wav", bars=1)
    with pytest.raises(SetFileError, match="bars"):
        render_set(SMALL, tmp_path / "x.wav", bars=0)


def test_track_gain_and_patterned_fx_reach_the_engine(tmp_path: Path) -> None:
    base = 'bpm(120)\nd1 >> s("bd*4").bank("808").tone(1).gain(0.5)\n'    # the click open: bright
    (tmp_path / "a.py").write_text(base)
    (tmp_path / "b.py").write_text(base + "d1.gain(-6)\nd1.fx('lpf', cutoff=sine.range(200, 400).fast(4))\n")
    render_set(tmp_path / "a.py", tmp_path / "a.wav", bars=1, stems_dir=tmp_path / "sa", tail=0.1)
    render_set(tmp_path / "b.py", tmp_path / "b.wav", bars=1, stems_dir=tmp_path / "sb", tail=0.1)
    plain, _ = read_wav(tmp_path / "sa" / "d1.wav")
    shaped, _ = read_wav(tmp_path / "sb" / "d1.wav")
    ratio = np.sqrt((shaped**2).mean() / (plain**2).mean())
    assert 0.3 < ratio < 0.55                      # -6 dB (the kick is mostly below 400 Hz)
    spectrum_a = np.abs(np.fft.rfft(plain[:, 0]))
    spectrum_b = np.abs(np.fft.rfft(shaped[:, 0]))
    high = slice(len(spectrum_a) // 20, None)      # above 1.2 kHz
    assert spectrum_b[high].sum() / spectrum_b.sum() < 0.1 * spectrum_a[high].sum() / spectrum_a.sum()


def test_duck_pumps_the_track_under_the_kick(tmp_path: Path) -> None:
    levels = {}
    for name, extra in (("plain", ""), ("ducked", "d2.duck(d1, amount=0.9)\n")):
        (tmp_path / f"{name}.py").write_text(
            'bpm(120)\nd1 >> s("bd*4").bank("808")\nd2 >> note("c3").s("saw").legato(1).gain(0.5)\n' + extra)
        render_set(tmp_path / f"{name}.py", tmp_path / f"{name}.wav", bars=1, stems_dir=tmp_path / name,
                   tail=0.1)
        bass, _ = read_wav(tmp_path / name / "d2.wav")
        levels[name] = np.sqrt((bass[25000:27000, 0] ** 2).mean())   # just after the second kick
    assert levels["plain"] > 0.02
    assert levels["ducked"] < 0.3 * levels["plain"]


def test_midi_tracks_are_not_played_by_a_render(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text('d1 >> s("bd*2").bank("808")\nd2 >> note("c4 e4").midi("NoSuchSynth", channel=2)\n')
    report = render_set(tmp_path / "m.py", tmp_path / "m.wav", bars=1, tail=0.1, stems_dir=tmp_path / "st")
    assert report.peak_dbfs > -30
    assert sorted(p.name for p in report.stems) == ["d1.wav", "master.wav"]


def test_mix_set_before_the_pattern_still_applies(tmp_path: Path) -> None:
    levels = []
    for prefix in ("", "d1.gain(-12)\n"):
        (tmp_path / "g.py").write_text(prefix + 'd1 >> s("bd*2").bank("808")\n')
        render_set(tmp_path / "g.py", tmp_path / "g.wav", bars=1, tail=0.1, stems_dir=tmp_path / "gs")
        data, _ = read_wav(tmp_path / "gs" / "d1.wav")
        levels.append(float(np.abs(data).max()))
    assert levels[1] == pytest.approx(levels[0] * 10 ** (-12 / 20), rel=0.05)
