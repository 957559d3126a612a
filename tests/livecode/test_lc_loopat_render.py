"""`loopAt` through the whole live path: the scheduler adds the tempo to cycle-unit notes, so a
rendered set stretches a sample to the cycles asked for."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.io.wavfile as wavfile

from livecode.render import render_set

SR = 48000


def _sounding_span(path: Path) -> float:
    """Seconds from the first to the last sample above -40 dBFS."""
    _, audio = wavfile.read(path)
    mono = np.abs(audio.astype(np.float64)).max(axis=1) / float(1 << 31)
    loud = np.nonzero(mono > 0.01)[0]
    return (int(loud[-1]) - int(loud[0]) + 1) / SR


def test_loopat_in_a_rendered_set_plays_the_sample_over_two_cycles(tmp_path: Path) -> None:
    kit = tmp_path / "samples" / "lcloop"
    kit.mkdir(parents=True)
    tone = 0.5 * np.sin(2 * np.pi * 220.0 * np.arange(SR) / SR)  # exactly one second long
    wavfile.write(kit / "tone.wav", SR, tone.astype(np.float32))
    setfile = tmp_path / "loop.py"
    setfile.write_text(
        f"load_samples({str(tmp_path / 'samples')!r})\n"
        "bpm(120)  # 4 beats per cycle: 0.5 cycles per second\n"
        'd1 >> s("lcloop").loopAt(2).legato(1)\n'
    )
    out = tmp_path / "loop.wav"
    render_set(setfile, out, bars=2, neutral_master=True, tail=1.0)
    # speed 1/2 cycle-units x 1 s x 0.5 cps = rate 0.25: the one-second file lasts 4 s = 2 cycles.
    assert abs(_sounding_span(out) - 4.0) < 0.02
