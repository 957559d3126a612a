"""Files and buses a producer gets (issue 15): stems of the send buses only when they carry
sound, no silently clipped integer file, files of one recording ending together, no DC out of
the master, no denormal numbers in a resonant filter's tail."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

sys.path.insert(0, str(Path(__file__).parent))

from test_fx_rig import SR, Rig, rig  # noqa: E402

from synths._pyo import pyo  # noqa: E402
from synths.effects import EffectContext  # noqa: E402
from synths.events import NoteEvent  # noqa: E402
from synths.mixer import Mixer  # noqa: E402
from synths.recorder import ClippedWarning, SkippedStemWarning, WavWriter  # noqa: E402
from synths.render import render  # noqa: E402
from synths.testvoices import resolve_test_voice  # noqa: E402

__all__ = ["rig"]


def _beeps(sends: dict[str, float]) -> list[NoteEvent]:
    return [NoteEvent(300 + 4800 * i, "d1", {"s": "beep", "note": 60, **sends}, 2000) for i in range(3)]


def test_a_bus_nothing_sends_to_gets_no_stem_and_is_named(tmp_path: Path) -> None:
    with pytest.warns(SkippedStemWarning, match="fx-delay.wav not written"):
        result = render(_beeps({"room": 0.3}), tmp_path / "mix.wav", stems=tmp_path / "stems",
                        resolver=resolve_test_voice, tail=0.3)
    assert sorted(result.fx_stems) == ["fx-reverb"] and result.skipped == ("fx-delay",)
    assert not (tmp_path / "stems" / "fx-delay.wav").exists()
    reverb = wavfile.read(result.fx_stems["fx-reverb"])[1]
    assert np.abs(reverb).max() > 0


def test_no_send_at_all_leaves_only_the_track_stems(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = render(_beeps({}), tmp_path / "mix.wav", stems=tmp_path / "stems",
                        resolver=resolve_test_voice, tail=0.3)
    assert result.fx_stems == {} and sorted(result.skipped) == ["fx-delay", "fx-reverb"]
    assert sorted(p.name for p in (tmp_path / "stems").iterdir()) == ["d1.wav"]
    assert sum(issubclass(w.category, SkippedStemWarning) for w in caught) == 2


def test_a_stem_that_clips_in_24_bit_says_so_and_float_keeps_it(tmp_path: Path) -> None:
    loud = [NoteEvent(300, "d1", {"s": "beep", "note": 60, "gain": 4.0}, 4800)]
    with pytest.warns(ClippedWarning, match=r"d1\.wav: \d+ samples above full scale .* 24-bit"):
        render(loud, tmp_path / "mix.wav", stems=tmp_path / "stems", resolver=resolve_test_voice,
               tail=0.2, setup=lambda engine: engine.mixer.master.set_neutral(True))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ClippedWarning)
        result = render(loud, tmp_path / "f.wav", stems=tmp_path / "fstems", resolver=resolve_test_voice,
                        tail=0.2, sample_format="float",
                        setup=lambda engine: engine.mixer.master.set_neutral(True))
    assert np.abs(wavfile.read(result.stems["d1"])[1]).max() > 1.0


def test_trimming_a_writer_keeps_a_valid_file_of_that_length(tmp_path: Path) -> None:
    writer = WavWriter(tmp_path / "t.wav", SR, 2, "int24")
    writer.write(np.full((1000, 2), 0.25))
    writer.flush()
    writer.write(np.full((300, 2), 0.25))
    writer.trim(900)                           # into what is already on disk
    writer.close()
    rate, data = wavfile.read(tmp_path / "t.wav")
    assert rate == SR and data.shape == (900, 2)


def test_the_master_blocks_dc(rig: Rig) -> None:
    offset = pyo().Sig([0.2, 0.2])
    mixer = Mixer(rig.attach(EffectContext(SR, 120.0)), output=False)
    mixer.add_track("d1").add_source(offset)
    mixer.rebuild(effects=True)
    audio = rig.record(mixer.master.out, 3.0)
    assert abs(float(np.mean(audio[-SR:]))) < 1e-3          # 5 Hz: settled well within 2 s


def test_a_resonant_filter_tail_holds_no_denormal_number(tmp_path: Path) -> None:
    """The engine flushes denormals to zero around an offline render: a resonant lpf and hpf
    ringing down leave normal numbers and then exact zeros, never denormals."""
    events = [NoteEvent(0, "d1", {"s": "beep", "note": 48}, 4800)]

    def chain(engine: Any) -> None:
        engine.set_chain("d1", [{"kind": "lpf", "cutoff": 300, "resonance": 1.0},
                                {"kind": "hpf", "cutoff": 3000, "resonance": 1.0}])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedStemWarning)
        result = render(events, tmp_path / "mix.wav", stems=tmp_path / "stems", duration=4.0,
                        sample_format="float", resolver=resolve_test_voice, setup=chain)
    stem = wavfile.read(result.stems["d1"])[1].astype(np.float32)
    tiny = np.finfo(np.float32).tiny
    assert np.abs(stem).max() > 1e-3
    assert np.count_nonzero((stem != 0) & (np.abs(stem) < tiny)) == 0
