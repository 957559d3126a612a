"""The whole package in one render: `livecode render SET.py --deliver DIR`.

1. The set is loaded once without audio to read what it plays: each track's role (given with
   `d1.role(...)` or guessed, `livecode.package.roles`), its sidechains, its notes (for
   `song.mid`) and the syllables of its `lyric` control (`lyrics.lrc`, `karaoke.kar`).
2. The tracks render in jobs (`livecode.package.jobs`), several worker processes at once: every
   track's DSP runs once. The stems (one per track, one per bus return and bus group) are
   written pre-master to `stems/`; stems that never sound are not written and are named in the
   report.
3. Each variant (`livecode.package.variants`) is the sum of its stems, mastered to the preset
   (`synths.mastering.offline.master`: the master bus chain, landing on the target), written in
   the format asked, and checked (`synths.qc`): `report.json` and one PNG per file.

>>> options = PackageOptions(bars=4, preset="club", format="flac")
>>> options.extension
'flac'
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from livecode.clock import TempoMap
from livecode.errors import DeliverError, Interrupted, LivecodeError, PackageInterrupted
from livecode.interrupt import StopCheck
from livecode.package import FORMATS
from livecode.package.jobs import plan_jobs, sidechain_sources
from livecode.package.midifile import Syllable, syllables, write_kar, write_lrc, write_song
from livecode.package.played import PlayedNote, played, track_instruments
from livecode.package.roles import default_role
from livecode.package.stems import StemFile, Stems, Workers, default_workers, render_stems
from livecode.package.variants import VARIANTS, members, variant_mix
from livecode.poolfit import load_of
from livecode.session import Session

if TYPE_CHECKING:
    from synths.formats import WrittenFile

__all__ = ["PackageOptions", "PackageReport", "deliver_package", "read_set", "SetInfo", "FORMATS"]



@dataclass(frozen=True)
class PackageOptions:
    """What the package holds and how it is written."""

    bars: float
    preset: str = "streaming"
    format: str = "wav"
    bits: int | None = None
    """PCM bits of the audio files (16, 24, 32 = float); None: the format's default."""
    sample_rate: int = 48000
    workers: int | None = None
    """Worker processes (None: one per CPU); 1 renders everything in this process."""
    karaoke_guide_db: float | None = None
    """None: karaoke = tv-track; a level (dB, e.g. -15): the lead vocal quietly as a guide."""
    tail: float | None = None
    title: str | None = None
    artist: str | None = None
    pngs: bool = True
    stem_qc: bool = False
    """True: the full QC (spectrum, translation, picture) for every stem too; else the stem measures."""

    @property
    def extension(self) -> str:
        """The audio files' extension."""
        return self.format


@dataclass
class PackageReport:
    """What the package wrote: files by name, the report's path, timings."""

    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    same: dict[str, str] = field(default_factory=dict)
    """Variants that hold the same stems as an earlier one (copied from it): name -> that one."""
    seconds: dict[str, float] = field(default_factory=dict)
    document: dict[str, object] = field(default_factory=dict)
    levels: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    """Per variant: integrated LUFS, true peak dBTP, number of stems."""

    def summary(self) -> str:
        """A few lines for the terminal.

        >>> print(PackageReport(Path("out"), levels={"mix": (-14.0, -1.4, 6)}).summary())
        out: 0 files in 0.0 s
          mix: -14.0 LUFS, -1.4 dBTP, 6 stems
        """
        lines = [f"{self.folder}: {len(self.files)} files in {sum(self.seconds.values()):.1f} s"]
        for name, (lufs, peak, count) in self.levels.items():
            lines.append(f"  {name}: {lufs:.1f} LUFS, {peak:.1f} dBTP, {count} stems")
        for name, why in self.skipped.items():
            lines.append(f"  not written: {name} ({why})")
        return "\n".join(lines)


@dataclass
class SetInfo:
    """What the set plays, read once without audio."""

    roles: dict[str, str]
    explicit: dict[str, bool]
    links: dict[str, list[str]]
    notes: dict[str, list[PlayedNote]]
    channels: dict[str, int]
    tempo_bpm: float
    session: Session | None = None
    pool_sizes: dict[str, int] = field(default_factory=dict)
    """Voices per instrument each track's pools need (`livecode.poolfit`), for the render jobs."""
    sounding: dict[str, float] = field(default_factory=dict)
    """Seconds each track's voices sound (`synths.render.NoteLoad`): orders the render jobs."""


def read_set(set_path: Path, bars: float, sample_rate: int = 48000) -> SetInfo:
    """Load the set without audio and read roles, sidechains and notes; the session stays open
    in `info.session` for the MIDI writers (close it)."""
    session = Session.create(audio="none", sr=sample_rate)
    try:
        session.load(set_path)
        every = played(session, bars, follow_song=True, every=True)
        load = load_of(every, session.tempo, sample_rate, 256)
        notes = {name: kept for name, found in every.items() if (kept := [n for n in found if n.note >= 0])}
        roles, explicit, links, channels = {}, {}, {}, {}
        for track in session.tracks:
            if track.name not in notes:
                continue
            if track.target.midi_port is not None:
                channels[track.name] = track.target.midi_channel
            if not track.target.engine:
                continue
            explicit[track.name] = track.role_name is not None
            roles[track.name] = track.role_name or default_role(track.name, track_instruments(notes[track.name]))
            links[track.name] = sidechain_sources(track)
    except BaseException:
        session.close()
        raise
    return SetInfo(roles, explicit, links, notes, channels, session.tempo.bpm, session, load.voices, load.seconds)


@dataclass(frozen=True)
class _VariantJob:
    name: str
    stems: tuple[tuple[str, StemFile, float], ...]
    """The stems it sums (pre-master): name, file, gain (`variant_mix`, in the worker)."""
    frames: int
    out: str
    png: str | None
    preset: str
    format: str
    bits: int | None
    sample_rate: int
    title: str | None
    artist: str | None
    bpm: float
    hint: tuple[float, float] | None = None
    """Where the first variant's master landed (`DriveHint`: drive offset, slope): start there."""


@dataclass(frozen=True)
class _StemJob:
    """Write one stem in the package's format (from 32-bit float: dithered when reduced), then
    check the file written."""

    stem: StemFile
    sample_rate: int
    path: str
    format: str
    bits: int | None
    png: str | None
    full: bool


@dataclass(frozen=True)
class _QCJob:
    path: str
    png: str | None
    preset: str | None
    full: bool = True
    """False: the stem measures only (loudness, sample peak, clipping, DC), no spectrum or picture."""
    peaks: tuple[tuple[float, ...], float] | None = None
    """The true peaks of the samples the file was written from and how far the file's samples are
    from them (`synths.qc.analyse_file`'s `peaks_of`): the file is not oversampled again."""


_Job = _VariantJob | _StemJob | _QCJob
"""What the package's pool runs after the render jobs (`_run_any`)."""


def _master_variant(job: _VariantJob) -> dict[str, object]:
    """Master one variant and write it (runs in a worker process); its check is a job of its own
    (`"check"`: a `_QCJob`), so that another worker can take it."""
    from synths.formats import Tags, write_audio  # noqa: PLC0415 - pyo-side modules in the worker
    from synths.mastering.offline import DriveHint, master  # noqa: PLC0415
    from synths.mastering.presets import preset  # noqa: PLC0415

    chosen = preset(job.preset)
    hint = None if job.hint is None else DriveHint(*job.hint)
    summed = variant_mix({name: stem.samples() for name, stem, _ in job.stems},
                         {name: gain for name, _, gain in job.stems}, job.frames)
    result = master(summed, job.sample_rate, chosen, hint=hint)
    written = write_audio(job.out, result.audio, job.sample_rate, format=job.format, bit_depth=job.bits,
                          tags=Tags(job.title, job.artist, job.bpm, None), keep=True)
    peaks = None
    if written.samples is not None and written.samples.shape == result.audio.shape:
        peaks = (tuple(result.true_peaks), float(np.max(np.abs(written.samples - result.audio))))
    landed = result.hint()
    return {"variant": job.name, "master": result.to_dict(), "bit_depth": written.bit_depth,
            "sample_rate": written.sample_rate, "dithered": written.dithered,
            "hint": [landed.offset_db, landed.slope],
            "check": _QCJob(str(written.path), job.png, job.preset, True, peaks)}


def _stem_qc(path: str, written: WrittenFile | None = None) -> dict[str, object]:
    """The measures a stem needs: integrated loudness, sample peak, clipped samples, DC (a stem
    is mixed, not played out: its true peak is the master's business; `--stem-qc` has it).
    `written`: what `write_audio(..., keep=True)` returned, whose samples are the file's (a
    lossless file is not read back)."""
    from synths.formats import read_audio, read_written  # noqa: PLC0415
    from synths.qc import measure  # noqa: PLC0415

    # float32: the values of 16/24-bit and float files
    audio = read_audio(path, dtype="float32") if written is None else read_written(written, "float32")
    data, rate, depth = audio.data, audio.sample_rate, audio.bit_depth
    lufs = measure.integrated_lufs(data, rate)
    return {"file": Path(path).name, "stem": True, "sample_rate": rate, "bit_depth": depth,
            "duration_s": round(data.shape[0] / rate, 3),
            "integrated_lufs": round(lufs, 2) if np.isfinite(lufs) else None,
            "sample_peak_dbfs": round(measure.sample_peak_db(data), 2),
            "clipped_samples": measure.clipped_samples(data),
            "dc_offset": [round(v, 6) for v in measure.dc_offset(data)]}


def _qc(job: _QCJob, written: WrittenFile | None = None) -> dict[str, object]:
    """QC one file (report dict, PNG when asked); `written`: what writing it returned, when
    that was in this process (its samples are not read back)."""
    from synths.mastering.presets import preset  # noqa: PLC0415
    from synths.qc import analyse_file, plot_report  # noqa: PLC0415

    if not job.full:
        return _stem_qc(job.path, written)
    target = None if job.preset is None else preset(job.preset).target
    report = analyse_file(job.path, target=target, peaks_of=job.peaks, written=written)
    entry = report.to_dict()
    if job.png is not None:
        entry["png"] = str(plot_report(report, job.png))
    return entry


def _check(options: PackageOptions) -> None:
    from synths.errors import FormatError, MasteringError  # noqa: PLC0415
    from synths.formats import check_depth, format_for  # noqa: PLC0415
    from synths.mastering.presets import preset  # noqa: PLC0415

    if options.format not in FORMATS:
        raise DeliverError(f"--format: {options.format!r} is not a format; formats are {', '.join(FORMATS)}")
    try:
        preset(options.preset)
        spec = format_for(f"x.{options.format}", options.format)
        check_depth(spec, options.bits)
        if not spec.accepts_rate(options.sample_rate):
            raise FormatError(f"--sr: {spec.name} cannot carry {options.sample_rate} Hz")
    except (MasteringError, FormatError) as err:
        raise DeliverError(f"--deliver: {' '.join(str(err).split())}") from None
    if options.karaoke_guide_db is not None and not -60 <= options.karaoke_guide_db <= 0:
        raise DeliverError(f"--karaoke-guide: {options.karaoke_guide_db} dB is out of range [-60, 0]")


def _write_stem(job: _StemJob) -> dict[str, object]:
    """Write one stem (runs in a worker process) and check it: its QC entry."""
    from synths.formats import write_audio  # noqa: PLC0415

    written = write_audio(job.path, job.stem.load(), job.sample_rate, format=job.format, bit_depth=job.bits,
                          source_bits=32, keep=True)
    return _qc(_QCJob(str(written.path), job.png, None, job.full), written)


def deliver_package(set_path: str | Path, folder: str | Path, options: PackageOptions,
                    progress: Callable[[str], None] | None = None, stop: StopCheck | None = None) -> PackageReport:
    """Render the package of `set_path` into `folder` (see the module doc); `progress(line)`
    hears what each stage starts. Every file is written into the scratch folder `folder/.work`
    first and moved into `folder` once the whole package is there, where it replaces an earlier
    package (`_clear_previous`). `stop` is asked between stages and items and while waiting: at
    a signal the package ends early (`PackageInterrupted`) and `folder` is as it was, an
    earlier package in it whole; so it is when a disk fills up. The scratch folder is removed,
    and so is a folder the package made and left empty."""
    made = _missing(Path(folder))
    try:
        return _deliver(Path(set_path), Path(folder), options, progress or (lambda line: None), stop)
    except Interrupted as err:
        raise PackageInterrupted(f"interrupted: nothing in {folder} changed (a package is moved in only when it is "
                                 "whole); run the command again for the whole package", err.signum) from None
    except LivecodeError as err:
        reason = _disk_full(err)
        if reason is None:
            raise
        shutil.rmtree(Path(folder) / ".work", ignore_errors=True)
        free = shutil.disk_usage(folder).free / 1e6          # once its scratch stems are gone
        raise DeliverError(f"--deliver: disk full in {folder}{reason} ({free:.0f} MB free): a package needs room "
                           "for every stem as float while it renders, then for every file it delivers (beside "
                           "an earlier package, until it replaces it); free space or choose another folder") from None
    finally:
        shutil.rmtree(Path(folder) / ".work", ignore_errors=True)
        for path in made:                     # the deepest first
            try:
                path.rmdir()
            except OSError:                   # not empty: it holds what the package finished
                break


def _missing(folder: Path) -> list[Path]:
    """`folder` and those of its parents that do not exist yet, the deepest first.

    >>> [p.name for p in _missing(Path("/surely/not/here"))]
    ['here', 'not', 'surely']
    """
    missing = []
    path = folder.absolute()
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    return missing


def _disk_full(err: LivecodeError) -> str | None:
    """For a render job's or a file's write that found the disk full, what filled up ("" or
    " (file size limit reached)", ...); None for any other error."""
    from synths.errors import DiskFullError, RecordingWriteError  # noqa: PLC0415 - livecode imports synths lazily

    if isinstance(err, DiskFullError):
        return ""
    if isinstance(err, RecordingWriteError) and err.disk_full:
        return err.full_reason
    return None


def _deliver(set_path: Path, out: Path, options: PackageOptions, say: Callable[[str], None],
             stop: StopCheck | None) -> PackageReport:
    _check(options)
    _make_folder(out)
    report = PackageReport(out)
    work = out / ".work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    stage = work / "package"                 # the package's files until it is whole (`_move_in`)
    stage.mkdir()
    workers = options.workers or default_workers()
    title = options.title or Path(set_path).stem
    with Workers(workers, stop) as pool:     # its processes start while the set is read
        started = time.perf_counter()
        info = read_set(set_path, options.bars, options.sample_rate)
        try:
            assert info.session is not None
            if not info.roles:
                raise DeliverError(f"--deliver: {set_path} plays nothing into the engine in {options.bars:g} bars")
            lyric_track, found = _write_midi(info, info.session.tempo, stage, title, report)
        finally:
            if info.session is not None:
                info.session.close()
        report.seconds["read"] = time.perf_counter() - started
        jobs = plan_jobs(info.roles, info.links)
        pool.check()
        say(f"rendering {len(info.roles)} tracks in {len(jobs)} jobs on {workers} worker{'s' if workers > 1 else ''}")
        started = time.perf_counter()
        stems = render_stems(set_path, jobs, work, options.bars, info.roles, workers=pool,
                             sample_rate=options.sample_rate, tail=options.tail, pool_sizes=info.pool_sizes,
                             sounding=info.sounding, stop=stop)
        report.seconds["stems"] = time.perf_counter() - started
        started = time.perf_counter()
        say(f"mastering and checking the variants, checking {len(stems.files())} stems")
        finished = _finish_files(stems, info, options, stage, title, report, pool)
        report.seconds["master+qc"] = time.perf_counter() - started
    variants_doc: dict[str, dict[str, object]] = {}
    files_doc: list[dict[str, object]] = []
    qc_by_name: dict[str, dict[str, object]] = {}
    cpu, elsewhere = 0.0, stems.worker_cpu_seconds
    variant_members = finished.members
    for check in finished.checks:
        cpu, elsewhere = _count_cpu(check, cpu, elsewhere)
    for job, result in zip(finished.jobs, finished.variants, strict=True):
        report.files[Path(job.out).name] = Path(job.out)
        master_doc = result["master"]
        assert isinstance(master_doc, dict)
        variants_doc[job.name] = {"file": Path(job.out).name, "stems": variant_members[job.name],
                                  "lufs": master_doc["lufs"], "true_peak_dbtp": master_doc["true_peak_dbtp"],
                                  "master": master_doc, "bit_depth": result["bit_depth"],
                                  "sample_rate": result["sample_rate"], "dithered": result["dithered"]}
        qc = result["qc"]
        assert isinstance(qc, dict)
        files_doc.append(qc)
        cpu, elsewhere = _count_cpu(result, cpu, elsewhere)
        qc_by_name[job.name] = qc
        report.levels[job.name] = (float(master_doc["lufs"]), float(master_doc["true_peak_dbtp"]),  # type: ignore[arg-type]
                                   len(variant_members[job.name]))
    for entry in finished.stems:
        cpu, elsewhere = _count_cpu(entry, cpu, elsewhere)
        files_doc.append(_entry(entry))
    for name, twin in report.same.items():
        source = report.files[f"{twin}.{options.extension}"]
        copy = stage / f"{name}.{options.extension}"
        shutil.copyfile(source, copy)
        same: dict[str, object] = {**qc_by_name[twin], "file": copy.name, "same_as": twin}
        if options.pngs:
            same["png"] = str(shutil.copyfile(stage / f"{twin}.png", stage / f"{name}.png"))
        report.files[copy.name] = copy
        variants_doc[name] = {**variants_doc[twin], "file": copy.name, "same_as": twin}
        report.levels[name] = report.levels[twin]
        files_doc.append(same)
    report.document = {
        "set": str(set_path), "bars": options.bars, "preset": options.preset, "format": options.format,
        "sample_rate": options.sample_rate, "workers": workers,
        "tracks": {name: {"role": role, "role_given": info.explicit[name]} for name, role in info.roles.items()},
        "jobs": [{"group": job.group, "tracks": list(job.tracks)} for job in jobs],
        "stems": sorted(stems.files()), "silent_stems": stems.silent, "late_events": stems.late_events,
        "length_s": round(stems.frames / options.sample_rate, 3),
        "ring_out_cut_s": round(stems.cut / options.sample_rate, 3),
        "lyrics_track": lyric_track, "syllables": len(found),
        "variants": variants_doc, "skipped": report.skipped, "same": report.same,
        "seconds": {k: round(v, 2) for k, v in report.seconds.items()},
        "cpu_seconds": {"stems": round(stems.cpu_seconds, 2), "master+qc": round(cpu, 2),
                        "in_workers": round(elsewhere, 2)},
        "files": [_moved_png(entry, stage, out) for entry in files_doc],
    }
    removed = _clear_previous(out)
    if removed:
        say(f"replacing the package in {out}: {len(removed)} files of the earlier one removed")
    _move_in(stage, out)
    report.files = {name: _moved(path, stage, out) for name, path in report.files.items()}
    (out / "report.json").write_text(json.dumps(report.document, indent=2) + "\n")
    report.files["report.json"] = out / "report.json"
    return report


def _make_folder(out: Path) -> None:
    """Create the package's folder; a file in its place or a folder that cannot be made is one
    line naming it."""
    if out.exists() and not out.is_dir():
        raise DeliverError(f"--deliver: {out} is a file, not a folder: give a folder for the package")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DeliverError(f"--deliver: cannot create {out}: {err.strerror or err}") from None


def _move_in(stage: Path, out: Path) -> None:
    """Move every file of the whole package from `stage` into `out` (one file system: each a
    rename), `stems/` made when the package has stems."""
    for path in sorted(stage.rglob("*")):
        if path.is_file():
            target = _moved(path, stage, out)
            target.parent.mkdir(exist_ok=True)
            os.replace(path, target)


def _moved(path: str | Path, stage: Path, out: Path) -> Path:
    """Where `_move_in` puts `path` (a file in `stage`, absolute or not).

    >>> str(_moved("o/.work/package/stems/d1.wav", Path("o/.work/package"), Path("o")))
    'o/stems/d1.wav'
    """
    return out / os.path.relpath(path, stage)


def _moved_png(entry: dict[str, object], stage: Path, out: Path) -> dict[str, object]:
    """A file's report entry with its picture's path where `_move_in` puts it.

    >>> _moved_png({"file": "mix.wav", "png": "o/.work/package/mix.png"}, Path("o/.work/package"), Path("o"))
    {'file': 'mix.wav', 'png': 'o/mix.png'}
    """
    png = entry.get("png")
    if not isinstance(png, str):
        return entry
    return {**entry, "png": str(_moved(png, stage, out))}


_OWN_FILES = ("report.json", "song.mid", "lyrics.lrc", "karaoke.kar")
"""The files of a package beside its variants and stems."""


def _clear_previous(out: Path) -> list[Path]:
    """Remove what an earlier package wrote into `out` (known by its `report.json`): every
    variant in any format and its picture, the stems it listed in any format and their pictures,
    `song.mid`, the lyrics files and the report; returns what was removed. A second delivery
    into one folder then holds nothing of the first (a stem of a track the set no longer has,
    `mix.wav` beside a new `mix.flac`); files of anyone else's stay.

    >>> _clear_previous(Path("/surely/not/here"))
    []
    """
    try:
        previous = json.loads((out / "report.json").read_text())
    except (OSError, ValueError):
        return []
    if not isinstance(previous, dict) or not {"variants", "stems", "files"} <= previous.keys():
        return []                                           # not a package's report
    stems = [str(name) for name in previous.get("stems", []) if isinstance(name, str)]
    names = [*(f"{variant}.{ext}" for variant in VARIANTS for ext in (*FORMATS, "png")),
             *(f"stems/{stem}.{ext}" for stem in stems for ext in FORMATS),
             *(f"stem-{stem}.png" for stem in stems), *_OWN_FILES]
    removed = []
    for name in names:
        path = out / name
        if path.is_file() and path.parent.resolve() in (out.resolve(), (out / "stems").resolve()):
            path.unlink()
            removed.append(path)
    try:
        (out / "stems").rmdir()                             # only when it is empty now
    except OSError:
        pass
    return removed


def _write_midi(info: SetInfo, tempo: TempoMap, out: Path, title: str, report: PackageReport
                ) -> tuple[str | None, list[Syllable]]:
    """`song.mid`, and `lyrics.lrc` and `karaoke.kar` when a track carries lyrics; returns the
    lyrics' track and syllables."""
    report.files["song.mid"] = write_song(info.notes, tempo, out / "song.mid", roles=info.roles,
                                          channels=info.channels, title=title)
    lyric_track, found = syllables(info.notes, tempo)
    if found:
        report.files["lyrics.lrc"] = write_lrc(found, out / "lyrics.lrc", title=title)
        report.files["karaoke.kar"] = write_kar(info.notes, tempo, out / "karaoke.kar", roles=info.roles,
                                                title=title)
    else:
        report.skipped["lyrics.lrc, karaoke.kar"] = "no track carries lyrics"
    return lyric_track, found


@dataclass
class _Finished:
    """What the pool's second stage returned (`_finish_files`)."""

    variants: list[dict[str, object]]
    """Each variant's master result, in `jobs` order, with its check's entry as "qc"."""
    stems: list[dict[str, object]]
    """Each stem's check."""
    checks: list[dict[str, object]]
    """The variants' check results as run (their CPU seconds and process)."""
    jobs: list[_VariantJob]
    members: dict[str, dict[str, float]]
    """Each variant's stems and gains."""


def _finish_files(stems: Stems, info: SetInfo, options: PackageOptions, out: Path, title: str,
                  report: PackageReport, pool: Workers) -> _Finished:
    """Master and check every variant, write and check every stem (in the pool).

    The first variant (the mix) is mastered first; the others start their drive search where
    it landed (most then land in one pass), each as soon as a worker is free, and each variant's
    check (QC, picture) is a job of its own, so that the checks and the last masters share the
    workers; the stems are written and checked in the gaps (`Workers.chain`)."""
    folder = out / "stems"
    full = options.stem_qc
    stem_jobs = [_StemJob(stem, stems.sample_rate, str(folder / f"{name}.{options.extension}"), options.format,
                          options.bits, str(out / f"stem-{name}.png") if options.pngs and full else None, full)
                 for name, stem in stems.files().items()]
    if stem_jobs:
        folder.mkdir(parents=True, exist_ok=True)
    report.files.update({f"stems/{Path(job.path).name}": Path(job.path) for job in stem_jobs})
    for name in stems.silent:
        report.skipped[f"stems/{name}.{options.extension}"] = "never sounds"
    variant_jobs, variant_members = _variant_jobs(stems, info, options, out, title, report.same)
    in_set = set(info.roles.values())
    for name, variant in VARIANTS.items():
        if name not in variant_members:
            held = (variant.roles | variant.guide) & in_set
            report.skipped[f"{name}.{options.extension}"] = (
                "its tracks never sound" if held else "none of its roles is in the set")
    if not variant_jobs:
        return _Finished([], pool.map(_run_any, stem_jobs), [], variant_jobs, variant_members)
    head: _Job = variant_jobs[0]
    first = variant_jobs[0].name

    def follow(result: dict[str, object]) -> list[_Job]:
        """What a chained result lets start: after the first variant, the others (from where it
        landed); after any variant, its check. Masters before checks: they are the longer path."""
        after: list[_Job] = []
        if result.get("variant") == first:
            hint = result.get("hint")
            after += [replace(job, hint=(float(hint[0]), float(hint[1]))) if isinstance(hint, list) else job
                      for job in variant_jobs[1:]]
        check = result.get("check")
        if isinstance(check, _QCJob):
            after.append(check)
        return after

    chained, checked = pool.chain(_run_any, head, follow, stem_jobs)
    masters = {str(r["variant"]): r for r in chained if "variant" in r}
    checks = {str(r["file"]): r for r in chained if "variant" not in r}
    variants = [{**masters[job.name], "qc": _entry(checks[Path(job.out).name])} for job in variant_jobs]
    return _Finished(variants, checked, list(checks.values()), variant_jobs, variant_members)


def _entry(result: dict[str, object]) -> dict[str, object]:
    """A result as the report keeps it (without the CPU seconds and process `_run_any` added)."""
    return {key: value for key, value in result.items() if key not in ("cpu_seconds", "pid", "check")}


def _run_any(job: _Job) -> dict[str, object]:
    """A variant's master, a variant's check or a stem (one callable for one worker pool), with
    its CPU seconds and the process that ran it."""
    cpu = time.process_time()
    if isinstance(job, _VariantJob):
        result = _master_variant(job)
    elif isinstance(job, _QCJob):
        result = _qc(job)
    else:
        result = _write_stem(job)
    return {**result, "cpu_seconds": time.process_time() - cpu, "pid": os.getpid()}


def _count_cpu(result: dict[str, object], cpu: float, elsewhere: float) -> tuple[float, float]:
    """Add a result's CPU seconds to the total, and to what other processes spent."""
    seconds = float(result["cpu_seconds"])  # type: ignore[arg-type]
    return cpu + seconds, elsewhere + (seconds if result["pid"] != os.getpid() else 0.0)


def _variant_jobs(stems: Stems, info: SetInfo, options: PackageOptions, out: Path, title: str,
                  same: dict[str, str]) -> tuple[list[_VariantJob], dict[str, dict[str, float]]]:
    """The variants to master (a variant holding the same stems as an earlier one goes to `same`)."""
    jobs, chosen = [], {}
    everything = stems.files()
    for name, variant in VARIANTS.items():
        guide = options.karaoke_guide_db if name == "karaoke" else None
        gains = members(variant, everything, info.roles, guide_db=guide)
        if not gains:
            continue
        chosen[name] = gains
        twin = next((other for other, held in chosen.items() if other != name and held == gains), None)
        if twin is not None:
            same[name] = twin                 # the same stems at the same gains: the same master
            continue
        held = tuple((stem, everything[stem], gain) for stem, gain in gains.items())
        jobs.append(_VariantJob(name, held, stems.frames, str(out / f"{name}.{options.extension}"),
                                str(out / f"{name}.png") if options.pngs else None, options.preset,
                                options.format, options.bits, stems.sample_rate, options.title or title,
                                options.artist, info.tempo_bpm))
    return jobs, chosen
