"""Formats: every format reads back with the requested rate and bit depth; dither only when the
bit depth shrinks; soxr keeps a tone's pitch and level; tags read back; bad requests name the option."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import soundfile

from synths.errors import FormatError
from synths.formats import (FORMATS, Tags, map_float_wav, quantize, read_audio, read_tags, resample, wav_layout,
                            write_audio)

SR = 48000
_SUBTYPES = {16: "PCM_16", 24: "PCM_24", 32: "FLOAT"}


def _tone(freq: float = 1000.0, seconds: float = 1.0, amp: float = 0.5, sr: int = SR) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return np.stack([np.sin(2 * np.pi * freq * t) * amp, np.cos(2 * np.pi * freq * t) * amp], axis=1)


CASES = [(name, depth) for name, spec in FORMATS.items() for depth in (spec.depths or (None,))]


@pytest.mark.parametrize(("name", "depth"), CASES)
@pytest.mark.parametrize("rate", [44100, 48000])
def test_every_format_reads_back_with_the_requested_rate_and_depth(
    tmp_path: Path, name: str, depth: int | None, rate: int
) -> None:
    audio = _tone()
    written = write_audio(tmp_path / f"x.{name}", audio, SR, bit_depth=depth, target_rate=rate)
    back = read_audio(written.path)
    assert back.sample_rate == rate == written.sample_rate
    assert back.bit_depth == depth == written.bit_depth
    assert back.subtype == (_SUBTYPES[depth] if depth else FORMATS[name].lossy_subtype)
    assert abs(back.data.shape[0] - rate) <= (0 if depth else 2000)   # lossy codecs may pad
    level = 20 * math.log10(float(np.sqrt(np.mean(back.data[2000:rate - 2000, 0] ** 2))))
    assert abs(level - 20 * math.log10(0.5 / math.sqrt(2))) < 0.2


@pytest.mark.parametrize(("name", "depth"), CASES)
def test_kept_samples_are_what_the_file_decodes_to(tmp_path: Path, name: str, depth: int | None) -> None:
    audio = _tone(seconds=0.25) * 1.9          # over full scale too: the clipped codes
    written = write_audio(tmp_path / f"x.{name}", audio, SR, bit_depth=depth, keep=True)
    if depth is None:
        assert written.samples is None         # a lossy file is only known by decoding it
        return
    assert written.samples is not None and written.samples.dtype == np.float32
    assert np.array_equal(written.samples, read_audio(written.path, dtype="float32").data)
    assert write_audio(tmp_path / f"y.{name}", audio, SR, bit_depth=depth).samples is None


def test_tags_read_back_in_every_format(tmp_path: Path) -> None:
    tags = Tags(title="Night Drive", artist="livecode", bpm=124, key="F#m")
    for name in FORMATS:
        path = write_audio(tmp_path / f"t.{name}", _tone(seconds=0.5), SR, tags=tags).path
        assert read_tags(path) == {"title": "Night Drive", "artist": "livecode", "bpm": "124", "key": "F#m"}, name
        with soundfile.SoundFile(str(path)) as handle:                   # libsndfile's own fields too
            assert handle.title == "Night Drive"


def test_dither_only_when_the_bit_depth_shrinks(tmp_path: Path) -> None:
    on_grid = quantize(_tone(amp=0.3), 16) / 32768.0
    same = write_audio(tmp_path / "same.wav", on_grid, SR, bit_depth=16, source_bits=16)
    assert not same.dithered
    assert np.array_equal(soundfile.read(str(same.path), dtype="int16")[0], quantize(on_grid, 16))
    wider = write_audio(tmp_path / "wider.wav", on_grid, SR, bit_depth=24, source_bits=16)
    assert not wider.dithered
    assert np.array_equal(soundfile.read(str(wider.path), dtype="int32")[0] >> 16, quantize(on_grid, 16))
    assert write_audio(tmp_path / "f.wav", on_grid, SR, bit_depth=16).dithered            # float source
    assert write_audio(tmp_path / "g.wav", on_grid, SR, bit_depth=16, source_bits=24).dithered
    assert not write_audio(tmp_path / "h.wav", on_grid, SR, bit_depth=32).dithered        # float target
    assert not write_audio(tmp_path / "i.ogg", on_grid, SR).dithered                     # lossy


def test_tpdf_dither_keeps_a_tone_below_one_lsb_that_plain_rounding_erases(tmp_path: Path) -> None:
    faint = _tone(freq=997.0, seconds=2.0, amp=0.45 / 32768.0)           # 0.45 LSB at 16 bits
    assert not np.any(quantize(faint, 16))
    written = write_audio(tmp_path / "faint.wav", faint, SR, bit_depth=16, seed=3)
    data = soundfile.read(str(written.path), dtype="int16")[0].astype(float)
    error = data - faint * 32768.0
    assert np.abs(error).max() <= 1.5 + 1e-9                              # TPDF: within +-1.5 LSB
    assert 0.45 < float(error.std()) < 0.55                               # 1/12 + 1/6 LSB^2 -> 0.5
    reference = faint[:, 0] / np.linalg.norm(faint[:, 0])
    assert float(np.dot(data[:, 0], reference)) / np.linalg.norm(data[:, 0]) > 0.3
    again = write_audio(tmp_path / "again.wav", faint, SR, bit_depth=16, seed=3)
    assert written.path.read_bytes() == again.path.read_bytes()          # seeded: deterministic


def test_soxr_keeps_pitch_and_level_from_48_to_44_1_khz() -> None:
    out = resample(_tone(freq=1000.0, seconds=2.0), 48000, 44100)
    assert out.shape == (88200, 2)
    spectrum = np.abs(np.fft.rfft(out[4410:4410 + 44100, 0] * np.hanning(44100)))
    assert int(np.argmax(spectrum)) == 1000
    level = 20 * math.log10(float(np.sqrt(np.mean(out[4410:-4410, 0] ** 2))))
    assert abs(level - 20 * math.log10(0.5 / math.sqrt(2))) < 0.01


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"bit_depth": 16, "format": "mp3"}, "--bit-depth: mp3 is lossy"),
    ({"bit_depth": 32, "format": "flac"}, "--bit-depth: flac takes 16, 24"),
    ({"target_rate": 96000, "format": "mp3"}, "--sample-rate: mp3 cannot carry 96000 Hz"),
    ({"format": "wma"}, "--format: unknown format 'wma'"),
])
def test_bad_requests_name_the_option(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(FormatError, match=message):
        write_audio(tmp_path / "x.wav", _tone(seconds=0.1), SR, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(FormatError, match="--format: cannot tell"):
        write_audio(tmp_path / "x.xyz", _tone(seconds=0.1), SR)


def test_wav_layout_and_the_mapped_float_samples(tmp_path: Path) -> None:
    # soundfile writes 3 float channels with an extensible header; the layout finds the data
    # chunk after it, and the mapped samples are the decoded ones, read-only, with no copy
    rng = np.random.default_rng(3)
    data = (rng.standard_normal((4801, 3)) * 0.1).astype(np.float32)
    soundfile.write(tmp_path / "f.wav", data, 44100, subtype="FLOAT")
    layout = wav_layout(tmp_path / "f.wav")
    assert (layout.sample_rate, layout.channels, layout.format_tag, layout.bits, layout.frames) == (44100, 3, 3, 32, 4801)
    assert layout.seconds == pytest.approx(4801 / 44100)
    mapped = map_float_wav(tmp_path / "f.wav")
    assert mapped.tobytes() == read_audio(tmp_path / "f.wav", dtype="float32").data.tobytes()
    assert not mapped.flags.writeable
    # a file cut short in its data chunk (a killed writer) counts the whole frames it holds
    raw = (tmp_path / "f.wav").read_bytes()
    (tmp_path / "cut.wav").write_bytes(raw[:layout.data_offset + 12 * 100 + 5])
    assert wav_layout(tmp_path / "cut.wav").frames == 100
    assert map_float_wav(tmp_path / "cut.wav").shape == (100, 3)
    # PCM is not mapped; a file that is no WAV is named
    soundfile.write(tmp_path / "p.wav", data, 44100, subtype="PCM_24")
    assert wav_layout(tmp_path / "p.wav").format_tag == 1
    with pytest.raises(FormatError, match="not a 32-bit float WAV"):
        map_float_wav(tmp_path / "p.wav")
    (tmp_path / "no.wav").write_bytes(b"OggS" + bytes(40))
    with pytest.raises(FormatError, match="not a WAV file"):
        wav_layout(tmp_path / "no.wav")


def test_a_write_without_its_folder_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    for folder in (tmp_path / "missing", tmp_path / "afile"):
        with pytest.raises(FormatError, match=f"cannot write {folder / 'a.wav'}: there is no folder {folder}$"):
            write_audio(folder / "a.wav", np.zeros((480, 2)), 48000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
