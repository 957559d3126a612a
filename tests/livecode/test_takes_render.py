"""Takes from files through the whole live path (set file -> scheduler -> engine -> render):
placed at a bar on its exact sample, trim/offset/gain/fades, comping, a jump into the middle,
and bad inputs as one line (docs/takes.md).

The test file is a ramp whose first sample is a step (0.1) and whose every sample is distinct,
so a rendered sample names the file index it came from: equality with the file proves both the
start sample and that the bar segments tile without a gap or a repeated sample.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from livecode.render import prepare_pools, render_set
from livecode.session import Session

pytestmark = pytest.mark.filterwarnings("ignore::synths.recorder.SkippedStemWarning")

SR = 48000
N = 4 * SR


def _ramp(folder: Path, name: str = "ramp.wav", sign: float = 1.0) -> tuple[Path, np.ndarray]:
    data = (sign * (0.1 + 0.8 * np.arange(N) / N)).astype(np.float32)
    path = folder / name
    sf.write(path, data, SR, subtype="FLOAT")
    return path, data


def _render(tmp_path: Path, code: str, bars: int) -> np.ndarray:
    setfile = tmp_path / "set.py"
    setfile.write_text("bpm(240)  # one bar = one second = 48000 samples\n" + code + "\n")
    render_set(setfile, tmp_path / "mix.wav", bars=bars, stems_dir=tmp_path / "stems", bits="float",
               neutral_master=True, tail=0.05)
    stem, rate = sf.read(tmp_path / "stems" / "d8.wav", dtype="float32")
    assert rate == SR
    return np.asarray(stem[:, 0])


def _first(signal: np.ndarray) -> int:
    return int(np.nonzero(np.abs(signal) > 1e-9)[0][0])


def test_a_take_at_bar_9_starts_on_its_exact_sample_and_plays_every_sample(tmp_path: Path) -> None:
    path, data = _ramp(tmp_path)
    out = _render(tmp_path, f"d8 >> audio({str(path)!r}, at=9)", bars=13)
    start = 8 * SR                                       # bar 9 starts after 8 bars of 1 s
    assert _first(out) == start
    assert out[start] == pytest.approx(0.1, abs=1e-7)     # the click, on its sample
    np.testing.assert_array_equal(out[start:start + N], data)   # 4 bar segments, seamless
    assert not np.any(out[start + N:])


def test_trim_offset_gain_and_fades_land_where_asked(tmp_path: Path) -> None:
    path, data = _ramp(tmp_path)
    out = _render(tmp_path, f"d8 >> audio({str(path)!r}, at=2, begin='100smp', end='20000smp', "
                            "offset='37smp', gain=0.5, fadein='1000smp', fadeout='2000smp')", bars=3)
    zero = SR + 37                                       # where file index 0 would sound
    assert _first(out) == zero + 100
    last = int(np.nonzero(np.abs(out) > 1e-9)[0][-1])
    assert last == zero + 19999
    assert out[zero + 100] == pytest.approx(0.5 * data[100] / 1000, rel=1e-4)     # fade-in's first step
    assert out[zero + 1099] == pytest.approx(0.5 * data[1099], rel=1e-5)          # fade-in done
    assert out[zero + 10000] == pytest.approx(0.5 * data[10000], rel=1e-5)        # gain 0.5
    assert out[zero + 19999] == pytest.approx(0.5 * data[19999] / 2000, rel=1e-4)  # fade-out's last
    assert out[zero + 18999] == pytest.approx(0.5 * data[18999] * 1001 / 2000, rel=1e-4)


def test_offset_in_ms_and_a_negative_offset_plays_before_the_bar(tmp_path: Path) -> None:
    path, data = _ramp(tmp_path)
    out = _render(tmp_path, f"d8 >> audio({str(path)!r}, at=3, offset=-250)", bars=6)
    start = 2 * SR - SR // 4                             # 250 ms before bar 3: a pickup
    assert _first(out) == start
    np.testing.assert_array_equal(out[start:start + N], data)


@pytest.mark.parametrize("how", ["dict", "pattern", "fields"])
def test_comping_switches_takes_on_the_bar_sample(tmp_path: Path, how: str) -> None:
    a, data_a = _ramp(tmp_path, "take1.wav")
    b, data_b = _ramp(tmp_path, "take2.wav", sign=-1.0)
    code = {"dict": f"d8 >> comp({{1: {str(a)!r}, 2: {str(b)!r}, 3: {str(a)!r}}})",
            "pattern": f"d8 >> comp('<t1 t2 t1>', takes={{'t1': {str(a)!r}, 't2': {str(b)!r}}})",
            "fields": f"d8 >> comp({{1: {str(a)!r}, 2: {{'file': {str(b)!r}, 'gain': 0.5}}, 3: {str(a)!r}}})"}[how]
    out = _render(tmp_path, code, bars=3)
    gain = np.float32(0.5 if how == "fields" else 1.0)
    np.testing.assert_array_equal(out[:SR], data_a[:SR])          # bar 1: take 1
    np.testing.assert_array_equal(out[SR:2 * SR], gain * data_b[SR:2 * SR])   # bar 2: take 2, same timeline
    np.testing.assert_array_equal(out[2 * SR:3 * SR], data_a[2 * SR:3 * SR])
    assert out[SR - 1] > 0 > out[SR]                              # the switch is on sample 48000


def test_a_jump_into_the_middle_of_a_take_plays_from_the_right_sample(tmp_path: Path) -> None:
    path, data = _ramp(tmp_path)
    session = Session.create(audio="manual", sr=SR, block=256)
    try:
        result = session.evaluate(f"bpm(240)\nd8 >> audio({str(path)!r}, at=9)")
        assert result.error is None, result.error
        engine = session.manual_engine
        engine.mixer.master.set_neutral(True)
        prepare_pools(session, Fraction(16))
        session.run_blocks(8)                               # starts the session at cycle 0
        with session.lock:                                  # the performer jumps to bar 11 now
            session.tempo.restart(Fraction(10), session.clock.now() + 0.1)
            session.scheduler.horizon = Fraction(10)
        engine.record_start(tmp_path / "jump.wav", stems=tmp_path / "stems", sample_format="float")
        session.run_blocks(int(1.6 * SR) // 256)
        engine.record_stop()
    finally:
        session.close()
    out = np.asarray(sf.read(tmp_path / "stems" / "d8.wav", dtype="float32")[0][:, 0])
    start = _first(out)
    skip = 2 * SR                                           # bar 11 is 2 bars into the take
    np.testing.assert_array_equal(out[start:start + SR], data[skip:skip + SR])


@pytest.mark.parametrize(("code", "message"), [
    ("d8 >> audio('nowhere/vox.wav', at=9)", "take: no such file 'nowhere/vox.wav'"),
    ("d8 >> audio('notes.txt', at=9)", "take: 'notes.txt' is not a WAV, FLAC or AIFF file"),
    ("d8 >> audio(RAMP, at=0)", "audio: at must be a bar number >= 1 (bar 1 is the first), got 0"),
    ("d8 >> audio(RAMP, at=2, offset='2 beats')", "audio: offset must be milliseconds"),
    ("d8 >> audio(RAMP, at=2, gain=9)", "audio: gain must be a number in [0, 4], got 9"),
    ("d8 >> comp('<a b>', takes={'a': RAMP})", "comp: unknown take 'b' (known: a)"),
    ("d8 >> audio(BAD, at=1)", "take: cannot read 'bad.wav'"),
    ("d8 >> audio(5, at=1)", "audio: file must be a file name (a WAV, FLAC or AIFF), got 5"),
    ("d8 >> comp({1: {'file': RAMP, 'volume': 2}})", "comp: unknown take field 'volume'"),
])
def test_bad_inputs_are_one_clear_line(tmp_path: Path, code: str, message: str) -> None:
    path, _ = _ramp(tmp_path)
    (tmp_path / "notes.txt").write_text("la la")
    (tmp_path / "bad.wav").write_bytes(b"RIFF0000WAVEjunk")
    session = Session.create(audio="none")
    try:
        session.evaluate(f"RAMP = {str(path)!r}\nBAD = {str(tmp_path / 'bad.wav')!r}")
        result = session.evaluate(code.replace("notes.txt", str(tmp_path / "notes.txt")))
    finally:
        session.close()
    assert result.error is not None
    assert "\n" not in result.error
    assert message in result.error.replace(str(tmp_path / "notes.txt"), "notes.txt")


@pytest.mark.parametrize(("suffix", "rate"), [("flac", SR), ("aiff", SR), ("wav", 44100)])
def test_flac_aiff_and_other_rates_play_from_their_bar(tmp_path: Path, suffix: str, rate: int) -> None:
    data = (0.1 + 0.8 * np.arange(rate) / rate).astype(np.float32)     # one second at its rate
    path = tmp_path / f"take.{suffix}"
    sf.write(path, data, rate, subtype="PCM_24")
    out = _render(tmp_path, f"d8 >> audio({str(path)!r}, at=2)", bars=3)
    sounding = np.nonzero(np.abs(out) > 1e-3)[0]
    assert sounding[0] == SR
    assert sounding[-1] - sounding[0] + 1 == pytest.approx(SR, abs=2)    # resampled to the engine's rate
    if rate == SR:
        np.testing.assert_allclose(out[SR:2 * SR], data, atol=2.0 ** -22)   # 24-bit PCM, exact to it


def test_a_comp_crossfade_is_centred_on_the_bar_line(tmp_path: Path) -> None:
    a, data_a = _ramp(tmp_path, "take1.wav")
    b, data_b = _ramp(tmp_path, "take2.wav", sign=-1.0)
    out = _render(tmp_path, f"d8 >> comp({{1: {str(a)!r}, 2: {str(b)!r}}}, xfade='1000smp')", bars=3)
    switch = SR                                         # bar 2's first sample
    np.testing.assert_array_equal(out[:switch - 500], data_a[:switch - 500])
    np.testing.assert_array_equal(out[switch + 500:2 * SR], data_b[switch + 500:2 * SR])
    for k in (0, 250, 500, 999):                        # linear, over 1000 samples from switch - 500
        i = switch - 500 + k
        expected = data_a[i] * (1000 - k) / 1000 + data_b[i] * (k + 1) / 1000
        assert out[i] == pytest.approx(expected, abs=1e-6), k
