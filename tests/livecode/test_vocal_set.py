"""A vocal track through the whole path (set file -> session -> scheduler -> engine): lyrics choose
the vowels the built-in voice sings, and the vocal chain with its `scale=` option plays in a render."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from livecode.render import read_wav, render_set
from synths.vocal_measure import cents, formant_peaks, track_pitch
from synths.voice import note_to_freq

SR = 48000


def test_lyrics_choose_the_vowels_in_a_render(tmp_path: Path) -> None:
    (tmp_path / "v.py").write_text(
        'bpm(60)\nd1 >> note("c3 c3").lyrics("la-hi").s("tenor").vmod(0).breath(0).legato(0.95)\n'
    )
    render_set(tmp_path / "v.py", tmp_path / "v.wav", bars=1, stems_dir=tmp_path / "st", tail=0.2)
    audio, rate = read_wav(tmp_path / "st" / "d1.wav")
    assert rate == SR and np.isfinite(audio).all()
    mono = audio.mean(axis=1)
    f0 = note_to_freq(48)
    for start, (f1, f2) in ((0.6, (650.0, 1080.0)), (2.6, (290.0, 1870.0))):   # tenor "a", then "i"
        part = mono[int(start * SR):int((start + 1.0) * SR)]
        assert abs(np.median(cents(track_pitch(part, SR, lo=70.0), f0))) < 10.0
        peaks = formant_peaks(part, f0, SR)
        for target in (f1, f2):
            assert abs(min(peaks, key=lambda f: abs(f - target)) / target - 1.0) < 0.15, (start, target, peaks)


def test_the_vocal_chain_plays_in_a_render(tmp_path: Path) -> None:
    (tmp_path / "c.py").write_text(
        'bpm(120)\nd1 >> note("a3 c4 e4 a4").s("voice").detune(40)\n'
        'd1.fx("tune", scale="A minor", speed=1)\nd1.fx("harmony", scale="A minor", interval=3)\n'
        'd1.fx("double")\nd1.fx("deess")\nd1.fx("vocalcomp")\nd1.fx("vocaleq")\n'
    )
    render_set(tmp_path / "c.py", tmp_path / "c.wav", bars=1, tail=0.3)
    audio, _ = read_wav(tmp_path / "c.wav")
    assert np.isfinite(audio).all() and np.abs(audio).max() > 0.01
    assert np.abs(audio).max() <= 1.0


def test_tune_follows_a_chord_pattern(tmp_path: Path) -> None:
    (tmp_path / "n.py").write_text(
        'bpm(120)\nd1 >> note("c#4").s("voice").detune(30).vmod(0).legato(1)\n'
        'd1.fx("tune", scale="C major", speed=1, notes=notemask("<C D>"))\n'
    )
    render_set(tmp_path / "n.py", tmp_path / "n.wav", bars=2, stems_dir=tmp_path / "st", tail=0.1)
    audio, _ = read_wav(tmp_path / "st" / "d1.wav")
    mono = audio.mean(axis=1)
    first = track_pitch(mono[int(0.6 * SR):int(1.8 * SR)], SR, lo=70.0)
    second = track_pitch(mono[int(2.6 * SR):int(3.8 * SR)], SR, lo=70.0)
    assert abs(np.median(cents(first, note_to_freq(60)))) < 10.0      # C: c4 (of C E G)
    assert abs(np.median(cents(second, note_to_freq(62)))) < 10.0     # D: d4 (of D F# A)
