"""`livecode master` and `livecode qc` (through master_main / qc_main, and `python -m
livecode.deliver`) on files the test synthesizes: exit codes, files written, report fields,
a valid PNG, and one-line errors naming the option."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import soundfile

sys.path.insert(0, str(Path(__file__).parents[1] / "synths"))

from mixes import SR, balanced, sine_sub  # noqa: E402

from livecode.deliver import master_main, qc_main  # noqa: E402
from synths.formats import read_tags  # noqa: E402
from synths.qc.measure import true_peak_db  # noqa: E402

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def mix_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("deliver") / "mix.wav"
    soundfile.write(str(path), balanced(6.0) * 0.5, SR, subtype="PCM_24")
    return path


def _is_png(path: Path) -> bool:
    from matplotlib.image import imread

    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and imread(path).ndim == 3


def test_master_writes_the_master_its_report_and_picture(mix_file: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "master.wav"
    assert master_main([str(mix_file), "-o", str(out), "--preset", "streaming"]) == 0
    printed = capsys.readouterr().out
    assert "mastered to streaming (-14.0 LUFS, -1.0 dBTP)" in printed and "LUFS integrated" in printed
    audio, rate = soundfile.read(str(out))
    assert rate == SR and soundfile.info(str(out)).subtype == "PCM_24"
    assert abs(pyloudnorm.Meter(rate).integrated_loudness(audio) + 14.0) <= 0.5
    assert true_peak_db(audio, rate) <= -1.0
    report = json.loads((tmp_path / "master.report.json").read_text())
    assert report["master"]["preset"] == "streaming" and report["master"]["dithered"] is True
    entry = report["files"][0]
    assert abs(entry["integrated_lufs"] + 14.0) <= 0.5 and entry["true_peak_dbtp"] <= -1.0
    assert entry["clipped_samples"] == 0 and entry["target"]["lufs"] == -14.0
    assert _is_png(tmp_path / "master.png")


def test_master_delivers_flac_at_44_1_khz_16_bit_with_tags(mix_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "club.flac"
    code = master_main([str(mix_file), "-o", str(out), "--preset", "club", "--sample-rate", "44100",
                        "--bit-depth", "16", "--title", "Night Drive", "--artist", "me", "--bpm", "124",
                        "--key", "A minor", "--quiet", "--no-qc"])
    assert code == 0
    info = soundfile.info(str(out))
    assert (info.samplerate, info.subtype, info.format) == (44100, "PCM_16", "FLAC")
    assert read_tags(out) == {"title": "Night Drive", "artist": "me", "bpm": "124", "key": "Am"}
    audio, rate = soundfile.read(str(out))
    assert abs(pyloudnorm.Meter(rate).integrated_loudness(audio) + 9.0) <= 0.5
    assert true_peak_db(audio, rate) <= -0.3
    assert not (tmp_path / "club.report.json").exists()


@pytest.mark.parametrize(("argv", "words"), [
    (["-o", "x.wav", "--format", "wma"], "--format: invalid choice: 'wma'"),
    (["-o", "x.mp3", "--bit-depth", "16"], "--bit-depth: mp3 is lossy"),
    (["-o", "x.wav", "--preset", "loud"], "--preset: unknown preset 'loud'"),
    (["-o", "x.wav", "--lufs", "5"], "--lufs: expected a number from -40 to -3 LUFS, got '5'"),
    (["-o", "x.mp3", "--sample-rate", "96000"], "--sample-rate: mp3 cannot carry 96000 Hz"),
    (["-o", "x.wav", "--key", "H"], "--key: 'H' is not a key"),
    (["-o", "nowhere/x.wav"], "-o: there is no folder"),
    (["-o", "x.wav", "--report", "nowhere/r.json"], "--report: there is no folder"),
    (["-o", "x.wav", "--png", "x.wav/p.png"], "is a file, not a folder"),
    ([], "the following arguments are required: -o/--output"),
])
def test_master_usage_errors_are_one_line_naming_the_option(
    mix_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    (tmp_path / "x.wav").write_bytes(b"")        # a file where a folder is named
    args = [str(mix_file)] + [str(tmp_path / a) if a.startswith(("x.", "nowhere/")) else a for a in argv]
    assert master_main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("livecode master: error:") and words in err


def test_master_runtime_errors_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert master_main([str(tmp_path / "none.wav"), "-o", str(tmp_path / "o.wav")]) == 1
    assert capsys.readouterr().err == f"livecode master: {tmp_path / 'none.wav'}: no such file\n"
    silent = tmp_path / "silent.wav"
    soundfile.write(str(silent), np.zeros((SR * 2, 2)), SR)
    assert master_main([str(silent), "-o", str(tmp_path / "o.wav")]) == 1
    assert capsys.readouterr().err == "livecode master: the mix is silent: there is nothing to master\n"
    garbage = tmp_path / "garbage.wav"
    garbage.write_bytes(b"not audio at all")
    assert master_main([str(garbage), "-o", str(tmp_path / "o.wav")]) == 1
    assert capsys.readouterr().err.startswith("livecode master: cannot read")


def test_an_interrupted_master_exits_130_with_one_line_and_no_half_file(
        mix_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # Ctrl-C while the file is written: the output is not left half written, no traceback
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(soundfile.SoundFile, "write", interrupted)
    out = tmp_path / "master.wav"
    assert master_main([str(mix_file), "-o", str(out)]) == 130
    assert capsys.readouterr().err.strip() == "livecode master: interrupted"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_qc_writes_its_report_and_a_png_per_file(mix_file: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    sub = tmp_path / "sub.wav"
    soundfile.write(str(sub), sine_sub(6.0), SR, subtype="FLOAT")
    out = tmp_path / "qc"
    assert qc_main([str(mix_file), str(sub), "--out", str(out), "--preset", "apple"]) == 0
    printed = capsys.readouterr().out
    assert "the bass is inaudible on a phone speaker: add harmonics" in printed
    report = json.loads((out / "qc-report.json").read_text())
    assert [f["file"] for f in report["files"]] == ["mix.wav", "sub.wav"]
    assert report["files"][0]["bit_depth"] == 24 and report["files"][1]["subtype"] == "FLOAT"
    assert report["files"][0]["target"]["name"] == "apple"
    assert all(_is_png(out / f"{stem}.qc.png") for stem in ("mix", "sub"))
    assert qc_main([str(sub), "--out", str(out), "--strict", "--quiet", "--no-png"]) == 1
    assert qc_main([str(tmp_path / "missing.wav")]) == 1
    assert qc_main(["--bogus"]) == 2
    capsys.readouterr()
    # a report that could not be written is a usage error before the work, naming the option
    assert qc_main([str(sub), "--json", str(tmp_path / "nowhere" / "r.json")]) == 2
    assert capsys.readouterr().err == (f"livecode qc: error: --json: there is no folder {tmp_path / 'nowhere'} "
                                       f"for {tmp_path / 'nowhere' / 'r.json'}\n")
    assert qc_main([str(sub), "--out", str(sub)]) == 2
    assert capsys.readouterr().err == f"livecode qc: error: --out: {sub} is a file, not a folder\n"


def test_qc_of_a_folder_checks_its_audio_files_and_leaves_what_is_there(mix_file: Path, tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    # a package folder: its report.json and pictures are the package's, not the QC's to replace
    package = tmp_path / "package"
    package.mkdir()
    soundfile.write(str(package / "mix.flac"), soundfile.read(str(mix_file))[0], SR, subtype="PCM_24")
    soundfile.write(str(package / "acapella.wav"), sine_sub(2.0), SR, subtype="FLOAT")
    for name in ("report.json", "mix.png", "notes.txt"):
        (package / name).write_text("the package's own")
    assert qc_main([str(package), "--quiet"]) == 0
    report = json.loads((package / "qc-report.json").read_text())
    assert [f["file"] for f in report["files"]] == ["acapella.wav", "mix.flac"]
    assert all(_is_png(package / f"{stem}.qc.png") for stem in ("acapella", "mix"))
    assert all((package / name).read_text() == "the package's own" for name in ("report.json", "mix.png"))
    empty = tmp_path / "empty"
    empty.mkdir()
    capsys.readouterr()
    assert qc_main([str(empty)]) == 1
    assert capsys.readouterr().err == f"livecode qc: {empty}: a folder with no audio file in it (wav, flac, ogg, aiff, mp3)\n"
    assert master_main([str(package), "-o", str(tmp_path / "m.wav")]) == 1
    assert capsys.readouterr().err == f"livecode master: {package}: a folder: give the mix's file\n"


def test_livecode_master_and_qc_run_from_the_command(mix_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.ogg"
    run = subprocess.run([sys.executable, "-m", "livecode.cli", "master", str(mix_file), "-o", str(out),
                          "--preset", "apple", "--no-qc", "--quiet"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert soundfile.info(str(out)).subtype == "VORBIS"
    run = subprocess.run([sys.executable, "-m", "livecode.cli", "qc", str(out), "--out", str(tmp_path),
                          "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "qc-report.json").read_text())["files"][0]["format"] == "ogg"
    bad = subprocess.run([sys.executable, "-m", "livecode.deliver", "mix"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2
    usage = subprocess.run([sys.executable, "-m", "livecode.cli", "master", "--preset", "loud", str(mix_file)],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and usage.stderr.startswith("livecode master"), usage.stderr
    listed = subprocess.run([sys.executable, "-m", "livecode.cli", "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert "master" in listed.stdout and "qc" in listed.stdout
