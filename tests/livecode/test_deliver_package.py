"""The release package: variants hold exactly their stems, stems sum to the pre-master mix,
masters land on the preset, formats read back, LRC/KAR timing, parallel == one process,
MIDI export -> import round trip, bad options are one line."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time
import warnings
from fractions import Fraction
from pathlib import Path

import mido
import numpy as np
import pytest

from livecode.errors import DeliverError, LivecodeError
from livecode.limits import SILENCE_DBFS
from livecode.package.deliver import PackageOptions, SetInfo, deliver_package, read_set
from livecode.package.jobs import Job, costliest_first, estimated_cost, plan_jobs
from livecode.package.midifile import PPQ, read_notes
from livecode.package.stems import RING_OUT_KEEP, Workers, render_stems
from livecode.package.variants import VARIANTS, members, variant_mix
from livecode.render import read_wav, render_set
from livecode.session import Session
from synths.formats import read_audio
from synths.qc import analyse_file
from synths.qc.measure import integrated_lufs, true_peak_db

SET = Path(__file__).parent / "sets" / "deliver_small.py"
ROOT = Path(__file__).parents[2]


def _planned(path: Path, bars: float) -> tuple[SetInfo, tuple[Job, ...]]:
    """The set read as a package reads it (its session closed) and its render jobs."""
    info = read_set(path, bars)
    assert info.session is not None
    info.session.close()
    return info, plan_jobs(info.roles, info.links)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("package")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = deliver_package(SET, out, PackageOptions(bars=1, format="flac", bits=16, workers=2, pngs=False,
                                                          karaoke_guide_db=-15.0, tail=1.0))
    lines = report.summary().splitlines()
    assert [line.split(":")[0].strip() for line in lines[1:6]] == [
        "mix", "instrumental", "tv-track", "karaoke", "acapella"]
    return out


def test_package_files_and_report(package: Path) -> None:
    names = {p.name for p in package.iterdir()}
    for name in ("mix", "instrumental", "tv-track", "karaoke", "acapella"):
        assert f"{name}.flac" in names
    assert {"song.mid", "lyrics.lrc", "karaoke.kar", "report.json"} <= names
    stems = sorted(p.name for p in (package / "stems").iterdir())
    assert stems == ["d1.flac", "d2.flac", "d3.flac", "d4.flac", "fx-reverb.backing_vocal.flac",
                     "fx-reverb.lead_vocal.flac"]
    report = json.loads((package / "report.json").read_text())
    assert report["tracks"]["d3"] == {"role": "lead_vocal", "role_given": True}
    assert report["tracks"]["d1"] == {"role": "drums", "role_given": False}
    assert sorted(report["variants"]["instrumental"]["stems"]) == ["d1", "d2"]
    assert report["variants"]["karaoke"]["stems"]["d3"] == pytest.approx(10 ** (-15 / 20))
    # nothing was sent to the delay, nor from the drums and bass to the reverb: named, not written
    assert report["silent_stems"] == ["fx-delay.backing_vocal", "fx-delay.lead_vocal", "fx-delay.rest",
                                      "fx-reverb.rest"]
    assert report["skipped"]["stems/fx-reverb.rest.flac"] == "never sounds"
    assert len(report["files"]) == 5 + 6
    # every delivered file reads back with the rate and depth asked, equal lengths for the stems
    lengths = set()
    for path in [*package.glob("*.flac"), *(package / "stems").glob("*.flac")]:
        audio = read_audio(path)
        assert (audio.sample_rate, audio.bit_depth) == (48000, 16), path
        if path.parent.name == "stems":
            lengths.add(audio.data.shape[0])
    assert len(lengths) == 1


def test_masters_land_on_the_preset(package: Path) -> None:
    for name in ("mix", "instrumental", "tv-track", "karaoke", "acapella"):
        audio = read_audio(package / f"{name}.flac")
        assert abs(integrated_lufs(audio.data, 48000) + 14.0) <= 0.5, name
        assert true_peak_db(audio.data, 48000) <= -1.0 + 0.05, name   # 16-bit dither on top of the limiter


def test_lrc_and_kar_timing(package: Path) -> None:
    # 120 BPM, 4 beats a bar: "c4 e4 g4 e4" with "la-la / hey oh" -> onsets 0, 0.5, 1.0, 1.5 s
    lines = (package / "lyrics.lrc").read_text().splitlines()
    assert lines[1:] == ["[00:00.00]<00:00.00>lala", "[00:01.00]<00:01.00>hey <00:01.50>oh"]
    kar = mido.MidiFile(str(package / "karaoke.kar"))
    assert kar.type == 1
    words = kar.tracks[1]
    assert words.name == "Words"
    tick, lyric_ticks, texts = 0, [], []
    for message in words:
        tick += message.time
        if message.type == "lyrics":
            lyric_ticks.append(tick)
        if message.type == "text":
            texts.append(message.text)
    assert texts[:3] == ["@KMIDI KARAOKE FILE", "@LENGL", "@Tdeliver_small"]
    assert texts[3:] == ["\\la", "la ", "/hey ", "oh "]
    assert lyric_ticks == [0, PPQ, 2 * PPQ, 3 * PPQ]


def test_the_costliest_job_is_handed_out_first() -> None:
    info, jobs = _planned(SET, 2)
    # two bars at 120 BPM = 4 s: the pad holds one note a bar (2 s each, plus its release), the
    # lead plays four notes a bar of 0.8 of a beat
    assert set(info.sounding) == {"d1", "d2", "d3", "d4"}
    assert info.sounding["d4"] > info.sounding["d3"] > 0
    assert 4.0 <= info.sounding["d4"] <= 8.0
    order = costliest_first(jobs, info.sounding)
    costs = [estimated_cost(jobs[i], info.sounding) for i in order]
    assert costs == sorted(costs, reverse=True)
    assert jobs[order[0]].tracks == ("d1", "d2")      # the two drum/bass tracks outweigh each voice


def test_variants_hold_exactly_their_stems(tmp_path: Path) -> None:
    info, jobs = _planned(SET, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        one = render_stems(SET, jobs, tmp_path / "one", 1, info.roles, workers=1, tail=1.0,
                           pool_sizes=info.pool_sizes)
        two = render_stems(SET, jobs, tmp_path / "two", 1, info.roles,
                           workers=2, tail=1.0, pool_sizes=info.pool_sizes)
        full = render_set(SET, tmp_path / "full.wav", 1, tmp_path / "full", bits=32, neutral_master=True,
                          tail=1.0)
    # parallel == one process, sample for sample (float stems; the bytes of the data); the
    # biggest job ran here while the workers started
    assert two.worker_cpu_seconds < two.cpu_seconds
    assert sorted(one.all()) == sorted(two.all())
    for name, data in one.all().items():
        assert data.tobytes() == two.all()[name].tobytes(), name
    # a job builds only its tracks, yet each track stem is the one-session render's, bit for bit
    # (its noise is keyed by track, instrument and voice: synths.noise)
    for name in ("d1", "d2", "d3", "d4"):
        assert read_wav(tmp_path / "full" / f"{name}.wav")[0].astype(np.float32).tobytes() == one.all()[name].tobytes(), name
    # the stems sum to the pre-master mix (one session, every track, shared buses) within -90 dB
    mix = read_wav(full.path)[0]
    frames = min(mix.shape[0], one.frames)
    error = np.max(np.abs(one.mix()[:frames] - mix[:frames]))
    assert 20 * np.log10(error + 1e-30) < -90.0
    # subtract and compare: mix - instrumental = the vocals and their reverbs, nothing else
    stems = one.all()
    sums = {name: variant_mix(stems, members(v, stems, info.roles), one.frames) for name, v in VARIANTS.items()}
    vocals = sum(stems[n].astype(np.float64) for n in ("d3", "d4", "fx-reverb.lead_vocal", "fx-reverb.backing_vocal"))
    assert np.max(np.abs(sums["mix"] - sums["instrumental"] - vocals)) < 1e-9
    assert np.max(np.abs(sums["tv-track"] - sums["instrumental"] - stems["d4"] - stems["fx-reverb.backing_vocal"])) < 1e-9
    assert np.max(np.abs(sums["acapella"] - vocals)) < 1e-9
    assert np.max(np.abs(stems["fx-reverb.lead_vocal"])) > 1e-3     # the lead's reverb left with the lead


def test_a_ring_out_package_ends_a_quarter_second_after_the_last_sound(tmp_path: Path) -> None:
    # without a fixed tail each job rings out until its files stayed under -80 dBFS for a second;
    # the package keeps RING_OUT_KEEP of that, cutting nothing but silence
    info, jobs = _planned(SET, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stems = render_stems(SET, jobs, tmp_path / "ring", 1, info.roles, workers=1, pool_sizes=info.pool_sizes)
        report = deliver_package(SET, tmp_path / "package", PackageOptions(bars=1, workers=1, pngs=False))
    level = 10.0 ** (SILENCE_DBFS / 20.0)
    last = 0
    for name, stem in stems.files().items():
        written = stem.samples()                         # as its job wrote it (jobs end apart)
        assert stem.load().shape == (stems.frames, 2), name
        assert np.max(np.abs(written[stems.frames:]), initial=0.0) < level, name
        last = max(last, int(np.flatnonzero(np.max(np.abs(written), axis=1) >= level)[-1]) + 1)
    assert stems.frames == last + round(RING_OUT_KEEP * 48000)
    assert stems.cut > 0.7 * 48000 and stems.mix().shape == (stems.frames, 2)
    document = json.loads((tmp_path / "package" / "report.json").read_text())
    assert document["length_s"] == pytest.approx(stems.frames / 48000, abs=1e-3)
    assert document["ring_out_cut_s"] > 0.7
    assert read_audio(tmp_path / "package" / "mix.wav").data.shape[0] == stems.frames
    assert read_audio(tmp_path / "package" / "stems" / "d1.wav").data.shape[0] == stems.frames
    assert report.document["variants"]["mix"]["file"] == "mix.wav"


def test_midi_export_import_round_trip(tmp_path: Path) -> None:
    session = Session.create(audio="none", bpm=97)
    try:
        session.evaluate('d1 >> note("c4 [e4 g4] ~ a4").velocity("0.5 1").legato(0.7)')
        session.evaluate('d2 >> s("bd sd").bank("808")')
        session.evaluate('d1.role("music")')
        result = session.evaluate(f'export_midi("{tmp_path / "a.mid"}", bars=2)')
        assert result.ok, result.error
        song = mido.MidiFile(str(tmp_path / "a.mid"))
        assert song.type == 1 and [t.name for t in song.tracks] == ["a", "d1", "d2"]
        tempo = [m.tempo for m in song.tracks[0] if m.type == "set_tempo"]
        assert tempo == [mido.bpm2tempo(97)]
        riff = session.namespace["import_midi"](str(tmp_path / "a.mid"), track="d1")
        got = [(e.whole.begin, e.whole.end, e.value["note"]) for e in riff.onsets(0, 2)]
        assert got[:4] == [(0, Fraction(7, 40), 60), (Fraction(1, 4), Fraction(27, 80), 64),
                           (Fraction(3, 8), Fraction(37, 80), 67), (Fraction(3, 4), Fraction(37, 40), 69)]
        # export the imported riff again: the same note events
        session.evaluate('d1 >> import_midi("%s", track="d1")' % (tmp_path / "a.mid"))
        session.evaluate('d2.stop()')
        session.evaluate(f'export_midi("{tmp_path / "b.mid"}", bars=2)')
        a, _ = read_notes(tmp_path / "a.mid", "d1")
        b, _ = read_notes(tmp_path / "b.mid", "d1")
        assert a == b
        for garbage in ('"x"', 'float("inf")', 'float("nan")', '0'):
            bad = session.evaluate('import_midi("%s", quantize=%s)' % (tmp_path / "a.mid", garbage))
            assert not bad.ok and bad.error.startswith("DeliverError: import_midi: quantize"), bad.error
    finally:
        session.close()


def test_bad_options_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(DeliverError, match="^--deliver: unknown preset"):
        deliver_package(SET, tmp_path, PackageOptions(bars=1, preset="loud"))
    with pytest.raises(DeliverError, match="^--format: 'wma' is not a format"):
        deliver_package(SET, tmp_path, PackageOptions(bars=1, format="wma"))
    session = Session.create(audio="none")
    try:
        result = session.evaluate('d1.role("lead")')
        assert result.error == ("DeliverError: d1.role: 'lead' is not a role; roles are lead_vocal, "
                                "backing_vocal, drums, bass, music, fx")
    finally:
        session.close()
    run = subprocess.run([sys.executable, "-m", "livecode.cli", "render", str(SET), "--bars", "1"],
                         capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode != 0 and run.stderr.strip().count("\n") == 0 and "--deliver" in run.stderr


def test_a_file_where_the_package_folder_goes_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder")
    run = subprocess.run([sys.executable, "-m", "livecode.cli", "render", str(SET), "--bars", "1", "--deliver",
                          str(tmp_path / "out")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert run.stderr.strip() == (f"livecode render: --deliver: {tmp_path / 'out'} is a file, not a folder: "
                                  "give a folder for the package")
    with pytest.raises(DeliverError, match="cannot create"):
        deliver_package(SET, tmp_path / "out" / "inside", PackageOptions(bars=1))
    run = subprocess.run([sys.executable, "-m", "livecode.cli", "render", str(SET), "--bars", "1", "--midi",
                          str(tmp_path / "out" / "song.mid")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert run.stderr.strip() == f"livecode render: cannot write {tmp_path / 'out' / 'song.mid'}: Not a directory"


def test_stem_qc_reports_each_stem_as_qc_reports_its_file(tmp_path: Path) -> None:
    # `--stem-qc`: the full report of every stem, measured from the samples its writer kept
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        deliver_package(SET, tmp_path, PackageOptions(bars=1, workers=1, pngs=False, tail=1.0, stem_qc=True))
    entries = {f["file"]: f for f in json.loads((tmp_path / "report.json").read_text())["files"]}
    stems = sorted((tmp_path / "stems").glob("*.wav"))
    assert stems
    for path in stems:
        assert entries[path.name] == analyse_file(path).to_dict(), path.name


def test_a_set_that_does_not_load_leaves_no_folder(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text('bpm(120)\nd1 >> s("bd*4"\n')
    with pytest.raises(LivecodeError):
        deliver_package(broken, tmp_path / "new" / "package", PackageOptions(bars=1))
    assert not (tmp_path / "new").exists()         # nor the parent it made
    kept = tmp_path / "kept"                       # a folder that was there stays, with its files
    kept.mkdir()
    (kept / "notes.txt").write_text("mine")
    with pytest.raises(LivecodeError):
        deliver_package(broken, kept, PackageOptions(bars=1))
    assert sorted(p.name for p in kept.iterdir()) == ["notes.txt"]


def _earlier_package(out: Path) -> dict[str, object]:
    """A stand-in for an earlier package in `out`: its report, naming mix.wav, and mix.wav."""
    out.mkdir()
    earlier: dict[str, object] = {"variants": {"mix": {"file": "mix.wav"}}, "stems": [], "files": [{"file": "mix.wav"}]}
    (out / "report.json").write_text(json.dumps(earlier))
    (out / "mix.wav").write_bytes(b"the earlier mix")
    return earlier


def _assert_kept(out: Path, earlier: dict[str, object]) -> None:
    """`out` holds the earlier package as `_earlier_package` made it, and nothing else."""
    assert sorted(p.name for p in out.iterdir()) == ["mix.wav", "report.json"]
    assert (out / "mix.wav").read_bytes() == b"the earlier mix"
    assert json.loads((out / "report.json").read_text()) == earlier


@pytest.mark.parametrize("stage", ["rendering", "mastering"])
def test_ctrl_c_ends_a_package_cleanly(tmp_path: Path, stage: str) -> None:
    # Ctrl-C in a terminal signals the whole process group: the package's process, the fork
    # server and the workers. The package stops (a job rendering here stops between blocks;
    # what is queued is cancelled; the workers ignore SIGINT and finish the item they run):
    # exit 130, one line naming the folder and what to type, no scratch folder, and the folder
    # as it was: an earlier package in it (here a stand-in: a report.json naming mix.wav) whole
    out = tmp_path / "out"
    earlier = _earlier_package(out)
    command = [sys.executable, "-m", "livecode.cli", "render", str(SET), "--bars", "24", "--deliver", str(out),
               "--workers", "2", "--no-png"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith(stage):
            break
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    lines = [*seen, *stderr.splitlines(keepends=True)]
    assert process.returncode == 130, lines
    assert lines[-1].startswith(f"livecode render: interrupted: nothing in {out} changed"), lines
    assert "run the command again" in lines[-1] and "Traceback" not in "".join(lines)
    assert stdout == ""
    _assert_kept(out, earlier)


def test_a_full_disk_ends_a_package_with_one_line_naming_the_folder(tmp_path: Path) -> None:
    # a file size limit counts as a full disk: the render jobs' float stems hit it in this process
    # and in the workers (the error crosses the process boundary), the scratch folder goes, an
    # earlier package stays whole
    out = tmp_path / "out"
    earlier = _earlier_package(out)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

    run = subprocess.run([sys.executable, "-m", "livecode.cli", "render", str(SET), "--bars", "8", "--deliver",
                          str(out), "--workers", "2", "--no-png"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, preexec_fn=limit, check=False)
    last = run.stderr.strip().splitlines()[-1]
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert last.startswith(f"livecode render: --deliver: disk full in {out} (file size limit reached) ("), last
    assert last.endswith("free space or choose another folder")
    _assert_kept(out, earlier)


def test_one_worker_writes_the_same_package_as_two(package: Path, tmp_path: Path) -> None:
    # the fixture's package (two workers: stems written and checked beside the masters, the
    # variants chained after the mix's) and a one-process package hold the same bytes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        deliver_package(SET, tmp_path, PackageOptions(bars=1, format="flac", bits=16, workers=1, pngs=False,
                                                      karaoke_guide_db=-15.0, tail=1.0))
    files = sorted(p.relative_to(package) for p in package.rglob("*") if p.suffix in (".flac", ".mid", ".lrc", ".kar"))
    assert len(files) >= 10 and any(f.parts[0] == "stems" for f in files)
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.suffix in (".flac", ".mid", ".lrc", ".kar"))
    for name in files:
        assert (package / name).read_bytes() == (tmp_path / name).read_bytes(), name
    one, two = (json.loads((folder / "report.json").read_text()) for folder in (tmp_path, package))
    assert [f["file"] for f in one["files"]] == [f["file"] for f in two["files"]]


def test_workers_chain_runs_the_chain_first() -> None:
    # every chained result may add items (a branch ends with []); the chained results come back
    # in the order they were handed out (which call of two ends first decides what follows
    # first), the background's in its own order
    with Workers(2) as workers:
        chained, background = workers.chain(abs, -3, lambda r: [-2 * r, -3 * r] if r < 10 else [],
                                            [-7, -8, -9, -10])
    assert chained[:3] == [3, 6, 9] and sorted(chained) == [3, 6, 9, 12, 18, 18, 27]
    assert background == [7, 8, 9, 10]
    with Workers(1) as workers:
        assert workers.chain(abs, -3, lambda r: [-2 * r, -3 * r] if r < 10 else [], [-7]) == (
            [3, 6, 9, 12, 18, 18, 27], [7])


def test_workers_share_runs_items_here_while_the_pool_starts() -> None:
    # the fork server imports the engine, scipy and matplotlib (~1 s) before the first worker
    # exists: this process takes the first item meanwhile; every result comes back in order
    with Workers(2) as workers:
        assert not workers.ready
        pids = workers.share(_pid_of, list(range(6)))
        assert workers.ready
    assert pids[0] == os.getpid()
    assert len(pids) == 6


def _pid_of(_: int) -> int:
    time.sleep(0.05)
    return os.getpid()


def test_a_job_without_sends_warns_of_no_scratch_file(tmp_path: Path) -> None:
    # the reverb and delay returns of a set that sends nothing to them are skipped stems of
    # each job: the package names them in its summary, with no warning about scratch paths
    song = tmp_path / "dry.py"
    song.write_text('bpm(120)\nd1 >> s("bd*2 sd").bank("808")\n')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = deliver_package(song, tmp_path / "out", PackageOptions(bars=1, workers=1, pngs=False, tail=0.5))
    assert [str(w.message) for w in caught if ".work" in str(w.message)] == []
    assert report.skipped["stems/fx-delay.rest.wav"] == "never sounds"
    assert "not written: stems/fx-reverb.rest.wav (never sounds)" in report.summary()


def test_a_set_without_vocals_masters_once(tmp_path: Path) -> None:
    song = tmp_path / "beat.py"
    song.write_text('bpm(120)\nd1 >> s("bd*2 sd").bank("808")\nd2 >> note("a1").s("sub")\n')
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = deliver_package(song, tmp_path / "out", PackageOptions(bars=1, workers=1, pngs=False, tail=0.5))
    assert report.same == {"instrumental": "mix", "tv-track": "mix", "karaoke": "mix"}
    assert report.skipped["acapella.wav"] == "none of its roles is in the set"
    mix = (tmp_path / "out" / "mix.wav").read_bytes()
    assert (tmp_path / "out" / "instrumental.wav").read_bytes() == mix
    assert not (tmp_path / "out" / "lyrics.lrc").exists()
    assert "karaoke.kar" not in report.files and report.document["lyrics_track"] is None
    assert [line.split(":")[0].strip() for line in report.summary().splitlines()[1:5]] == [
        "mix", "instrumental", "tv-track", "karaoke"]


def test_a_set_whose_tracks_never_sound_says_so(tmp_path: Path) -> None:
    song = tmp_path / "mute.py"
    song.write_text('bpm(120)\nd1 >> s("bd*4").bank("808").gain(0)\nd2 >> note("c4").s("lead").gain(0)\n'
                    'd2.role("lead_vocal")\n')
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = deliver_package(song, tmp_path / "out", PackageOptions(bars=1, workers=1, pngs=False))
    assert report.skipped["mix.wav"] == "its tracks never sound"
    assert report.skipped["acapella.wav"] == "its tracks never sound"
    assert report.skipped["stems/d1.wav"] == report.skipped["stems/d2.wav"] == "never sounds"
    assert "not written: mix.wav (its tracks never sound)" in report.summary()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.json", "song.mid"]   # no empty stems/


def test_a_second_package_into_one_folder_leaves_nothing_of_the_first(tmp_path: Path) -> None:
    song, out = tmp_path / "beat.py", tmp_path / "out"
    song.write_text('bpm(120)\nd1 >> s("bd*2 sd").bank("808")\nd2 >> note("a1").s("sub")\n')
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        deliver_package(song, out, PackageOptions(bars=1, workers=1, tail=0.5))
        pictures = {entry["file"]: Path(entry["png"])
                    for entry in json.loads((out / "report.json").read_text())["files"] if "png" in entry}
        assert len(pictures) == 4                  # each variant's own picture, the copies' too
        assert all(png == out / f"{Path(file).stem}.png" and png.is_file() for file, png in pictures.items())
        assert not (out / ".work").exists()
        (out / "notes.txt").write_text("mine")
        (out / "stems" / "my-take.wav").write_bytes(b"mine")
        song.write_text('bpm(120)\nd1 >> s("bd*4").bank("808")\n')           # d2 is gone
        said: list[str] = []
        report = deliver_package(song, out, PackageOptions(bars=1, workers=1, format="flac", pngs=False, tail=0.5),
                                 progress=said.append)
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == ["instrumental.flac", "karaoke.flac", "mix.flac", "notes.txt", "report.json", "song.mid",
                     "stems/d1.flac", "stems/my-take.wav", "tv-track.flac"]
    # the first package (4 variants and their pictures, 2 stems, song.mid, report.json) goes
    # once the second is whole: the last thing the package says
    assert said[-1] == f"replacing the package in {out}: 12 files of the earlier one removed"
    assert sorted(str(p.relative_to(out)) for p in report.files.values() if p.exists()) == [
        n for n in names if n not in ("notes.txt", "stems/my-take.wav")]


def test_a_saved_set_keeps_the_roles(tmp_path: Path) -> None:
    with Session.create(audio="none") as session:
        session.evaluate('d3 >> note("c4 e4")')
        session.evaluate('d3.role("lead_vocal")')
        session.save(tmp_path / "saved.py")
    assert 'd3.role(\'lead_vocal\')' in (tmp_path / "saved.py").read_text()
    with Session.create(audio="none") as session:
        session.load(tmp_path / "saved.py")
        assert session.tracks["d3"].role_name == "lead_vocal"
