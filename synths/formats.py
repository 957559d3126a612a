"""Audio files in and out: five formats, bit depth with TPDF dither, sample-rate conversion, tags.

Reading and writing go through `soundfile` (libsndfile; its wheel bundles a libsndfile with FLAC,
Ogg Vorbis and MP3 (LAME/mpg123)), sample-rate conversion through `soxr` (the SoX resampler,
"very high quality"), and the tags libsndfile has no field for (BPM, key) through `mutagen`:
ID3v2 frames in MP3, and in WAV and AIFF as an `id3 ` chunk; Vorbis comments in FLAC and Ogg.
No pyo here.

| format | bit depths | tags |
| --- | --- | --- |
| wav | 16, 24, 32 (float) | INFO (title, artist, comment) + ID3 chunk (title, artist, BPM, key) |
| aiff | 16, 24, 32 (float) | NAME/AUTH chunks + ID3 chunk |
| flac | 16, 24 | Vorbis comments |
| ogg | lossy (Vorbis) | Vorbis comments |
| mp3 | lossy (LAME, 320 kb/s CBR) | ID3v2 |

Dither: reducing the bit depth (float to 24 or 16 bits, 24 to 16 bits) adds triangular (TPDF)
noise of +-1 LSB before rounding; a write at the same or a higher depth rounds exactly and adds
nothing.

>>> spec = format_for("song.flac")
>>> spec.name, spec.default_depth, spec.lossy
('flac', 24, False)
>>> needs_dither(None, 16), needs_dither(24, 16), needs_dither(16, 24), needs_dither(16, None)
(True, True, False, False)
"""

from __future__ import annotations

import contextlib
import mmap
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol, cast

import numpy as np

from synths.errors import DiskFullError, FormatError

if TYPE_CHECKING:  # mutagen is imported where a file is tagged: it is slow to import
    from mutagen.aiff import AIFF
    from mutagen.id3 import Frame
    from mutagen.mp3 import MP3
    from mutagen.wave import WAVE

__all__ = [
    "FormatSpec", "FORMATS", "Tags", "AudioFile", "WrittenFile", "format_for", "read_audio", "read_written",
    "write_audio", "resample", "tpdf_dither", "quantize", "needs_dither", "read_tags",
    "parse_key", "MP3_RATES", "check_depth", "WavLayout", "wav_layout", "map_float_wav", "audio_files",
]

MP3_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
"""The sample rates MPEG-1/2/2.5 Layer III can carry."""

_FLOAT = 32
"""The `bit_depth` that means 32-bit IEEE float."""


@dataclass(frozen=True)
class FormatSpec:
    """What livecode writes in one format: container, subtypes by bit depth, rates, tag style.

    >>> FORMATS["wav"].subtype(16)
    'PCM_16'
    """

    name: str
    container: str
    depths: tuple[int, ...]
    default_depth: int | None
    lossy_subtype: str | None = None
    rate_range: tuple[int, int] = (8000, 384000)
    rate_set: tuple[int, ...] | None = None
    tag_style: str = "id3"

    @property
    def lossy(self) -> bool:
        """True for Ogg Vorbis and MP3 (no bit depth)."""
        return self.lossy_subtype is not None

    def subtype(self, bit_depth: int | None) -> str:
        """The libsndfile subtype for `bit_depth` (None for lossy formats)."""
        if self.lossy_subtype is not None:
            return self.lossy_subtype
        if bit_depth == _FLOAT:
            return "FLOAT"
        return f"PCM_{bit_depth}"

    def accepts_rate(self, rate: int) -> bool:
        """Whether this format can carry `rate` Hz.

        >>> FORMATS["mp3"].accepts_rate(96000), FORMATS["wav"].accepts_rate(96000)
        (False, True)
        """
        if self.rate_set is not None:
            return rate in self.rate_set
        return self.rate_range[0] <= rate <= self.rate_range[1]


FORMATS: dict[str, FormatSpec] = {
    "wav": FormatSpec("wav", "WAV", (16, 24, 32), 24),
    "aiff": FormatSpec("aiff", "AIFF", (16, 24, 32), 24),
    "flac": FormatSpec("flac", "FLAC", (16, 24), 24, rate_range=(8000, 192000), tag_style="vorbis"),
    "ogg": FormatSpec("ogg", "OGG", (), None, "VORBIS", rate_range=(8000, 192000), tag_style="vorbis"),
    "mp3": FormatSpec("mp3", "MP3", (), None, "MPEG_LAYER_III", rate_set=MP3_RATES),
}
"""The formats `--format` accepts, by name."""

_EXTENSIONS = {"wav": "wav", "wave": "wav", "aif": "aiff", "aiff": "aiff", "flac": "flac",
               "ogg": "ogg", "oga": "ogg", "mp3": "mp3"}


def audio_files(folder: Path) -> list[Path]:
    """The files directly in `folder` whose extension names one of `FORMATS`, sorted by name
    (a package folder: its variants, not its `stems/`).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     for name in ("b.flac", "a.WAV", "notes.txt"):
    ...         _ = (Path(d) / name).write_bytes(b"")
    ...     [p.name for p in audio_files(Path(d))]
    ['a.WAV', 'b.flac']
    """
    return sorted((p for p in folder.iterdir() if p.is_file() and p.suffix[1:].lower() in _EXTENSIONS),
                  key=lambda p: p.name)


@dataclass(frozen=True)
class Tags:
    """Title, artist, tempo and key of a delivered file (each optional).

    >>> Tags(title="Night Drive", bpm=124, key="Am").comment()
    'bpm=124; key=Am'
    """

    title: str | None = None
    artist: str | None = None
    bpm: float | None = None
    key: str | None = None

    def comment(self) -> str:
        """BPM and key as one comment line, for the formats' plain comment fields."""
        parts = []
        if self.bpm is not None:
            parts.append(f"bpm={_bpm_text(self.bpm)}")
        if self.key is not None:
            parts.append(f"key={self.key}")
        return "; ".join(parts)

    def empty(self) -> bool:
        """True when no tag is set."""
        return all(v is None for v in (self.title, self.artist, self.bpm, self.key))


@dataclass(frozen=True)
class AudioFile:
    """Decoded audio: float64 frames x channels, the rate, and what the file stored."""

    data: np.ndarray
    sample_rate: int
    format: str
    subtype: str
    bit_depth: int | None
    """16 or 24 for PCM, 32 for float, None for lossy files (no fixed depth)."""


@dataclass(frozen=True)
class WrittenFile:
    """What `write_audio` wrote."""

    path: Path
    format: str
    sample_rate: int
    bit_depth: int | None
    subtype: str
    dithered: bool
    frames: int
    samples: np.ndarray | None = field(default=None, repr=False, compare=False)
    """With `write_audio(..., keep=True)` and a lossless format: the samples the file holds, as
    `read_audio(path, dtype="float32")` decodes them (bit for bit), so a check of the file needs
    not read it back. None otherwise (a lossy file is only known by decoding it)."""


def _bpm_text(bpm: float) -> str:
    return str(int(bpm)) if float(bpm).is_integer() else f"{bpm:.2f}".rstrip("0")


_KEY = re.compile(r"^([A-Ga-g])([#b]?)\s*(m|min|minor|maj|major)?$")


def parse_key(text: str) -> str:
    """A musical key in the short form ID3 uses: `A minor` -> `Am`, `f#` -> `F#`.

    >>> parse_key("A minor"), parse_key("Bb"), parse_key("f#m")
    ('Am', 'Bb', 'F#m')
    """
    match = _KEY.match(text.strip())
    if match is None:
        raise FormatError(f"--key: {text!r} is not a key (examples: C, F#m, Bb, A minor)")
    letter, accidental, mode = match.groups()
    minor = mode in ("m", "min", "minor")
    return letter.upper() + accidental + ("m" if minor else "")


def format_for(path: str | Path, name: str | None = None) -> FormatSpec:
    """The format named `name`, else the one `path`'s extension names.

    >>> format_for("out.aif").name, format_for("out", "mp3").name
    ('aiff', 'mp3')
    """
    if name is not None:
        if name.lower() not in FORMATS:
            raise FormatError(f"--format: unknown format {name!r} (known: {', '.join(FORMATS)})")
        return FORMATS[name.lower()]
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in _EXTENSIONS:
        raise FormatError(
            f"--format: cannot tell the format of {Path(path).name!r} from its extension "
            f"(known: {', '.join(FORMATS)})"
        )
    return FORMATS[_EXTENSIONS[suffix]]


def _depth_of(subtype: str) -> int | None:
    if subtype.startswith("PCM_"):
        digits = subtype[4:]
        return int(digits) if digits.isdigit() else None
    if subtype in ("FLOAT", "DOUBLE"):
        return _FLOAT
    return None


def read_written(written: WrittenFile, dtype: str = "float64") -> AudioFile:
    """The audio of a file `write_audio(..., keep=True)` wrote: its kept samples (the values
    libsndfile decodes, not read again) or, for a lossy file, the file decoded (`read_audio`).

    Usage (not run as a doctest: it writes a file)::

        read_written(write_audio("a.wav", mix, 48000, keep=True)).bit_depth
        # -> 24
    """
    if written.samples is None:
        return read_audio(written.path, dtype)
    return AudioFile(written.samples.astype(dtype, copy=False), written.sample_rate, written.format,
                     written.subtype, written.bit_depth)


def read_audio(path: str | Path, dtype: str = "float64") -> AudioFile:
    """Decode any file libsndfile reads into float64 (frames, channels) (`dtype="float32"`: half
    the memory, the same values for files of 24 bits or fewer and float files).

    Usage (not run as a doctest: it needs a running engine or device)::

        read_audio("mix.flac").sample_rate
        # -> 48000
    """
    import soundfile  # noqa: PLC0415 - import on use keeps `import synths` light

    try:
        with soundfile.SoundFile(str(path)) as handle:
            data = handle.read(dtype=dtype, always_2d=True)
            rate, container, subtype = handle.samplerate, handle.format, handle.subtype
    except (RuntimeError, soundfile.LibsndfileError) as error:
        raise FormatError(f"cannot read {path}: {error}") from error
    return AudioFile(data, int(rate), container.lower(), subtype, _depth_of(subtype))


@dataclass(frozen=True)
class WavLayout:
    """Where a WAV file keeps its samples, read from its chunk headers (`wav_layout`)."""

    sample_rate: int
    channels: int
    format_tag: int
    """1 = PCM, 3 = IEEE float (an extensible header's sub-format)."""
    bits: int
    data_offset: int
    data_bytes: int

    @property
    def frames(self) -> int:
        """Whole frames in the data chunk."""
        frame_bytes = self.channels * self.bits // 8
        return self.data_bytes // frame_bytes if frame_bytes else 0

    @property
    def seconds(self) -> float:
        """The length in seconds."""
        return self.frames / self.sample_rate if self.sample_rate else 0.0


_EXTENSIBLE = 0xFFFE


def wav_layout(path: str | Path) -> WavLayout:
    """Walk a RIFF/WAVE file's chunks (the samples are not read): rate, channels, sample format
    and where the data chunk lies. A data chunk cut short by the file's end counts what is there.

    Usage (not run as a doctest: it needs a file)::

        wav_layout("kpop.wav").seconds
        # -> 36.31
    """
    with Path(path).open("rb") as handle:
        return _layout_of(handle, path)


def _layout_of(handle: BinaryIO, path: str | Path) -> WavLayout:
    rate = channels = tag = bits = offset = size = 0
    handle.seek(0)
    riff = handle.read(12)
    if len(riff) < 12 or riff[:4] != b"RIFF" or riff[8:] != b"WAVE":
        raise FormatError(f"{path}: not a WAV file")
    while len(header := handle.read(8)) == 8:
        name, length = header[:4], int.from_bytes(header[4:], "little")
        if name == b"fmt ":
            body = handle.read(length)
            tag, channels, rate = (int.from_bytes(body[a:b], "little") for a, b in ((0, 2), (2, 4), (4, 8)))
            bits = int.from_bytes(body[14:16], "little")
            if tag == _EXTENSIBLE and len(body) >= 26:
                tag = int.from_bytes(body[24:26], "little")      # the sub-format GUID's first field
            handle.seek(length & 1, 1)
        else:
            if name == b"data":
                offset, size = handle.tell(), length
            handle.seek(length + (length & 1), 1)
    end = os.fstat(handle.fileno()).st_size      # seeking past the end does not stop at it
    if not channels:
        raise FormatError(f"{path}: a WAV file without a fmt chunk")
    return WavLayout(rate, channels, tag, bits, offset, max(0, min(size, end - offset)) if offset else 0)


def map_float_wav(path: str | Path) -> np.ndarray:
    """The samples of a 32-bit float WAV as a read-only float32 (frames, channels) array mapped
    from the file: nothing is copied, pages come from the file cache as they are read (a fresh
    copy costs this machine ~2.4 ms per MB to fault in; the render jobs' stems are 14 MB each).

    Usage (not run as a doctest: it needs a file)::

        map_float_wav("work/job-0/stems/d1.wav").shape
        # -> (1742848, 2)
    """
    with Path(path).open("rb") as handle:
        layout = _layout_of(handle, path)
        if (layout.format_tag, layout.bits) != (3, 32):
            raise FormatError(f"{path}: not a 32-bit float WAV (format {layout.format_tag}, {layout.bits} bits)")
        count = layout.frames * layout.channels
        if count == 0:
            return np.zeros((0, layout.channels), dtype=np.float32)
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    return np.frombuffer(mapped, dtype="<f4", count=count, offset=layout.data_offset).reshape(-1, layout.channels)


def resample(data: np.ndarray, rate_in: int, rate_out: int, quality: str = "VHQ") -> np.ndarray:
    """Convert (frames, channels) audio from `rate_in` to `rate_out` Hz with soxr.

    >>> x = np.zeros((48000, 2)); resample(x, 48000, 44100).shape
    (44100, 2)
    """
    if rate_in == rate_out:
        return np.asarray(data, dtype=np.float64)
    import soxr  # noqa: PLC0415

    return np.asarray(soxr.resample(np.asarray(data, dtype=np.float64), rate_in, rate_out,
                                    quality=quality), dtype=np.float64)


def needs_dither(source_bits: int | None, target_bits: int | None) -> bool:
    """Dither when an integer target has fewer bits than the source (None = float source).

    `target_bits` None or 32 (float, lossy) never dithers.
    """
    if target_bits is None or target_bits >= _FLOAT:
        return False
    return source_bits is None or source_bits >= _FLOAT or source_bits > target_bits


def tpdf_dither(data: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    """`data` plus triangular noise of +-1 LSB at `bits` (the sum of two uniform +-1/2 LSB).

    >>> rng = np.random.default_rng(1)
    >>> noise = tpdf_dither(np.zeros(100000), 16, rng) * 2 ** 15
    >>> float(np.abs(noise).max()) <= 1.0, round(float(noise.std()), 2)
    (True, 0.41)
    """
    lsb = 2.0 ** (1 - bits)
    shape = np.shape(data)
    noise = rng.random(shape, dtype=np.float32)     # 24-bit uniforms: fine enough for a 1-LSB
    noise -= rng.random(shape, dtype=np.float32)    # dither (36 s of stereo: 16.9 ms, 28.6 ms
    noise *= lsb                                    # from float64 draws); a power of two: exact
    return np.asarray(data) + noise


def quantize(data: np.ndarray, bits: int) -> np.ndarray:
    """Round to `bits`-bit integers (int32, clipped to the format's range).

    >>> quantize(np.array([0.5, -1.0, 1.0]), 16).tolist()
    [16384, -32768, 32767]
    """
    scale = 2.0 ** (bits - 1)
    scaled = np.multiply(data, scale, dtype=np.float64)
    np.rint(scaled, out=scaled)                     # np.round's half-to-even, in place
    np.clip(scaled, -scale, scale - 1, out=scaled)
    return scaled.astype(np.int32)


def check_depth(spec: FormatSpec, bit_depth: int | None) -> int | None:
    """The bit depth to write (`bit_depth`, else the format's default); FormatError names
    `--bit-depth` when the format cannot take it.

    >>> check_depth(FORMATS["flac"], None), check_depth(FORMATS["mp3"], None)
    (24, None)
    """
    if spec.lossy:
        if bit_depth is not None:
            raise FormatError(f"--bit-depth: {spec.name} is lossy and has no bit depth")
        return None
    depth = spec.default_depth if bit_depth is None else bit_depth
    if depth not in spec.depths:
        known = ", ".join(str(d) + (" (float)" if d == _FLOAT else "") for d in spec.depths)
        raise FormatError(f"--bit-depth: {spec.name} takes {known}, not {bit_depth}")
    return depth


def write_audio(
    path: str | Path,
    data: np.ndarray,
    sample_rate: int,
    *,
    format: str | None = None,
    bit_depth: int | None = None,
    target_rate: int | None = None,
    source_bits: int | None = None,
    tags: Tags | None = None,
    seed: int = 1,
    keep: bool = False,
) -> WrittenFile:
    """Write (frames, channels) float audio as `format` (else from the extension).

    `target_rate` resamples first (soxr); `bit_depth` 16/24/32(float) for PCM formats (default
    24); `source_bits` is the depth the audio really has (None: float, so any integer depth is
    a reduction and is dithered with seeded TPDF noise). `keep`: return the written samples too
    (`WrittenFile.samples`, lossless formats).

    >>> import tempfile, os
    >>> out = os.path.join(tempfile.mkdtemp(), "a.flac")
    >>> w = write_audio(out, np.zeros((4800, 2)), 48000, bit_depth=16, target_rate=44100)
    >>> (w.format, w.sample_rate, w.bit_depth, w.frames, w.dithered)
    ('flac', 44100, 16, 4410, True)
    """
    import soundfile  # noqa: PLC0415

    spec = format_for(path, format)
    depth = check_depth(spec, bit_depth)
    rate = sample_rate if target_rate is None else int(target_rate)
    if not spec.accepts_rate(rate):
        raise FormatError(f"--sample-rate: {spec.name} cannot carry {rate} Hz")
    audio = np.asarray(data, dtype=np.float64)
    if audio.ndim == 1:
        audio = audio[:, None]
    audio = resample(audio, sample_rate, rate)
    dithered = depth is not None and needs_dither(None if rate != sample_rate else source_bits, depth)
    if dithered and depth is not None:
        audio = tpdf_dither(audio, depth, np.random.default_rng(seed))
    payload: np.ndarray
    if depth is None or depth == _FLOAT:
        payload = audio.astype(np.float32)
    elif depth == 16:
        payload = quantize(audio, 16).astype(np.int16)
    else:
        payload = quantize(audio, 24) << 8                    # soundfile takes the top 24 bits
    kwargs: dict[str, object] = {}
    if spec.name == "mp3":
        kwargs = {"compression_level": 0.0, "bitrate_mode": "CONSTANT"}
    elif spec.name == "ogg":
        kwargs = {"compression_level": 0.3}
    target = Path(path)
    if not target.parent.is_dir():
        raise FormatError(f"cannot write {target}: there is no folder {target.parent}")
    partial = target.with_name(f".{target.name}.partial")  # renamed when whole: no half file
    try:
        try:
            with soundfile.SoundFile(str(partial), "w", rate, audio.shape[1], spec.subtype(depth),
                                     format=spec.container, **kwargs) as handle:
                _sndfile_tags(handle, tags)
                handle.write(payload)
        except (RuntimeError, soundfile.LibsndfileError) as error:
            partial.unlink(missing_ok=True)           # what it took is free again
            free, needed = shutil.disk_usage(partial.parent).free, _file_bytes(payload, depth)
            if free < needed:                         # libsndfile says "System error" for a full disk
                raise DiskFullError(target, needed / 1e6, free / 1e6) from error
            raise FormatError(f"cannot write {target} as {spec.name}: {error}") from error
        if tags is not None and not tags.empty():
            _mutagen_tags(partial, spec, tags)
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(OSError):              # never hide the error that got here
            partial.unlink(missing_ok=True)
        raise
    return WrittenFile(target, spec.name, rate, depth, spec.subtype(depth), bool(dithered),
                       int(audio.shape[0]), _decoded(payload, depth) if keep else None)


def _decoded(payload: np.ndarray, depth: int | None) -> np.ndarray | None:
    """What libsndfile decodes `payload` to as float32 (integers over 2**15, or 2**31 for the
    24-bit payload shifted into the top bits: exact in float32); None for a lossy file.

    >>> _decoded(np.array([[-32768, 16384]], dtype=np.int16), 16).tolist()
    [[-1.0, 0.5]]
    """
    if depth is None:
        return None
    if payload.dtype == np.float32:
        return payload
    scale = np.float32(2.0 ** -15 if payload.dtype == np.int16 else 2.0 ** -31)
    decoded = payload.astype(np.float32)
    decoded *= scale
    return decoded


def _file_bytes(payload: np.ndarray, depth: int | None) -> float:
    """About what `payload` takes on disk: its samples at `depth` bits (lossy, None: half a byte
    a sample, above a 320 kb/s MP3's share)."""
    return payload.size * (depth / 8 if depth is not None else 0.5)


class _SndfileTags(Protocol):
    """The string tags of an open `soundfile.SoundFile` (libsndfile writes them into WAV, AIFF,
    FLAC and Ogg)."""

    title: str
    artist: str
    comment: str


def _sndfile_tags(handle: _SndfileTags, tags: Tags | None) -> None:
    if tags is None:
        return
    if tags.title is not None:
        handle.title = tags.title
    if tags.artist is not None:
        handle.artist = tags.artist
    if tags.comment():
        handle.comment = tags.comment()


def _mutagen_tags(path: Path, spec: FormatSpec, tags: Tags) -> None:
    """Add the ID3 frames or Vorbis comments that carry BPM and key (and title, artist)."""
    if spec.tag_style == "vorbis":
        from mutagen.flac import FLAC  # noqa: PLC0415
        from mutagen.oggvorbis import OggVorbis  # noqa: PLC0415

        audio = FLAC(str(path)) if spec.name == "flac" else OggVorbis(str(path))
        for field, value in _vorbis_fields(tags).items():
            audio[field] = value
        audio.save()
        return
    from mutagen import id3  # noqa: PLC0415

    frames: list[Frame] = []
    if tags.title is not None:
        frames.append(id3.TIT2(encoding=3, text=tags.title))
    if tags.artist is not None:
        frames.append(id3.TPE1(encoding=3, text=tags.artist))
    if tags.bpm is not None:
        frames.append(id3.TBPM(encoding=3, text=str(int(round(tags.bpm)))))
    if tags.key is not None:
        frames.append(id3.TKEY(encoding=3, text=tags.key))
    holder = _id3_holder(path, spec)
    if holder.tags is None:
        holder.add_tags()
    # mutagen's FileType declares `tags = None` (a class attribute): after add_tags it is an ID3
    file_tags = cast(id3.ID3, holder.tags)
    for frame in frames:
        file_tags.add(frame)
    holder.save()


def _id3_holder(path: Path, spec: FormatSpec) -> MP3 | AIFF | WAVE:
    if spec.name == "mp3":
        from mutagen.mp3 import MP3  # noqa: PLC0415

        return MP3(str(path))
    if spec.name == "aiff":
        from mutagen.aiff import AIFF  # noqa: PLC0415

        return AIFF(str(path))
    from mutagen.wave import WAVE  # noqa: PLC0415

    return WAVE(str(path))


def _vorbis_fields(tags: Tags) -> dict[str, str]:
    fields = {"TITLE": tags.title, "ARTIST": tags.artist,
              "BPM": None if tags.bpm is None else _bpm_text(tags.bpm), "KEY": tags.key}
    return {name: value for name, value in fields.items() if value is not None}


def read_tags(path: str | Path) -> dict[str, str]:
    """Title, artist, BPM and key as stored in `path` (ID3 or Vorbis comments), lower-case keys.

    Usage (not run as a doctest: it needs a running engine or device)::

        read_tags("mix.mp3")
        # -> {'title': 'Night Drive', 'artist': 'me', 'bpm': '124', 'key': 'Am'}
    """
    import mutagen  # noqa: PLC0415

    try:
        handle = mutagen.File(str(path))
    except mutagen.MutagenError as error:
        raise FormatError(f"cannot read the tags of {path}: {error}") from error
    if handle is None or handle.tags is None:
        return {}
    names = {"TIT2": "title", "TPE1": "artist", "TBPM": "bpm", "TKEY": "key",
             "TITLE": "title", "ARTIST": "artist", "BPM": "bpm", "KEY": "key"}
    found: dict[str, str] = {}
    for key, value in handle.tags.items():
        name = names.get(str(key).upper())
        if name is not None:
            text = value.text if hasattr(value, "text") else value
            found[name] = str(text[0] if isinstance(text, list) else text)
    return found

