"""The session journal: every successful evaluation, appended with a timestamp, on disk.

One file per session, `journal-YYYYmmdd-HHMMSS-PID.py` in `$XDG_STATE_HOME/livecode/` (default
`~/.local/state/livecode/`). Each entry is a header line followed by the code as evaluated, so a
journal is itself a readable Python file:

    # --- 2026-11-21T15:00:00.000+00:00 bytes=16 crc32=44c2d445
    d1 >> s("bd*4")

`bytes` is the length of the code that follows (UTF-8, with its final newline) and `crc32` its
checksum. An entry is written with one `write` and fsynced at once, so a crash or a full disk
damages at most the entry being written. A code line that itself starts with `# --- ` is written
with one more `#` in front and read back without it.

Reading (`read_journal`) recovers every entry it can and names the ones it cannot: an entry cut
short, one whose checksum fails, one with invalid UTF-8, or text with no readable header (a
damaged `# --- ` line). A damaged entry never takes a good neighbour with it. Journals written
before headers carried `bytes=`/`crc32=` are read as before, an entry running to the next header.

Resume (`livecode --resume`, `Session.resume()`, see `livecode.replay`) evaluates the entries of
the latest journal again in a fresh session to bring back its state.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> journal = Journal.open(folder)
>>> journal.append('d1 >> s("bd*4")')
>>> journal.close()
>>> [entry.code for entry in read_entries(journal.path)]
['d1 >> s("bd*4")']
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from livecode.errors import JournalError

__all__ = ["Journal", "JournalEntry", "JournalRead", "SkippedEntry", "journal_dir", "format_entry",
           "read_journal", "parse_journal", "read_entries", "latest_journal", "HEADER"]

HEADER = "# --- "

_HEADER_BYTES = HEADER.encode()
# A header starts a line; after a write was cut short (a full disk) the next header may follow the
# cut line directly, so one followed by a timestamp also counts mid-line (not after a `#`: that
# is an escaped code line).
_NEXT_HEADER = re.compile(rb"^# --- |(?<!#)# --- (?=\d{4}-\d\d-\d\dT\d\d:\d\d)", re.MULTILINE)
_NEW_FIELDS = re.compile(r"(?P<when>\S+) bytes=(?P<size>\d+) crc32=(?P<crc>[0-9a-f]{8})\s*")
# An old-format header damaged in place: a few `#`, `-`, space or junk bytes (one `-` at least)
# then digits and a time of day, e.g. `#--- 2026-11-21T15:00:00.000+00:00` or `-- 2026-...`.
_DAMAGED_HEADER = re.compile(
    rb"^(?!#+# --- )(?=[^\n0-9]{0,9}-)[#\-\x00-\x08\x0e-\x1f\x7f-\xff][#\- \t\x00-\x08\x0e-\x1f\x7f-\xff]{2,8}"
    rb"\d\d[^\n]*\d\d:\d\d", re.MULTILINE)


def journal_dir() -> Path:
    """`$XDG_STATE_HOME/livecode`, or `~/.local/state/livecode`.

    >>> journal_dir().name
    'livecode'
    """
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "livecode"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One evaluation: when (UTC ISO string), the code, its entry number and first file line.

    >>> JournalEntry("2026-11-21T15:00:00.000+00:00", "bpm(120)").code
    'bpm(120)'
    """

    when: str
    code: str
    number: int = 0
    line: int = 0


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """An entry that could not be read: its number (1-based, in file order), line and why.

    >>> str(SkippedEntry(3, 7, "cut short"))
    'entry 3 (line 7): cut short'
    """

    number: int
    line: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.number} (line {self.line}): {self.reason}"


@dataclass(slots=True)
class JournalRead:
    """What `read_journal` found: the readable entries and the skipped ones, in file order.

    >>> JournalRead(Path("j.py")).total
    0
    """

    path: Path
    entries: list[JournalEntry] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)

    @property
    def total(self) -> int:
        """How many entries the file holds, readable or not."""
        return len(self.entries) + len(self.skipped)


class Journal:
    """An append-only journal file (see the module doc): `Journal.open().append("bpm(120)")`.
    Thread-safe: evaluations and what a control input learns append from different threads."""

    def __init__(self, path: Path, fd: int, *, at_line_start: bool = True) -> None:
        self.path = path
        self._fd: int | None = fd
        self._at_line_start = at_line_start
        self._lock = threading.Lock()

    @classmethod
    def open(cls, where: Path | str | None = None) -> Journal:
        """A new journal file in the folder `where` (default `journal_dir()`), or at that `.py` path."""
        target = Path(where) if where is not None else journal_dir()
        if target.suffix != ".py":
            stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
            target = target / f"journal-{stamp}-{os.getpid()}.py"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(target, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as err:
            raise JournalError(f"journal: cannot open {target}: {err.strerror}") from None
        return cls(target, fd, at_line_start=_ends_a_line(fd))

    def append(self, code: str) -> None:
        """Write one entry with a single write, then flush it to disk."""
        entry = format_entry(code)
        with self._lock:
            self._append(entry)

    def _append(self, entry: bytes) -> None:
        if self._fd is None:
            raise JournalError(f"journal: {self.path} is closed")
        if not self._at_line_start:
            entry = b"\n" + entry                 # the last write was cut short: start a fresh line
        self._at_line_start = False
        try:
            _write_all(self._fd, entry)
            os.fsync(self._fd)
        except OSError as err:
            raise JournalError(f"journal: cannot write {self.path}: {err.strerror}") from None
        self._at_line_start = True

    def close(self) -> None:
        """Close the file (idempotent); a journal nothing was written to is removed."""
        with self._lock:
            fd, self._fd = self._fd, None
        if fd is None:
            return
        os.close(fd)
        try:
            if self.path.stat().st_size == 0:
                self.path.unlink()
        except OSError:
            pass


def format_entry(code: str, when: str | None = None) -> bytes:
    """The bytes of one journal entry: header (time, length, checksum) and the code.

    >>> format_entry("bpm(120)", when="2026-11-21T15:00:00.000+00:00").decode()
    '# --- 2026-11-21T15:00:00.000+00:00 bytes=9 crc32=7fc9b41b\\nbpm(120)\\n'
    """
    stamp = when or _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds")
    lines = code.rstrip("\n").split("\n")
    # backslashreplace: a lone surrogate (undecodable terminal input) cannot be UTF-8; inside a
    # string literal its escape reads back as the same character.
    body = ("\n".join(_escape(line) for line in lines) + "\n").encode("utf-8", "backslashreplace")
    return f"{HEADER}{stamp} bytes={len(body)} crc32={zlib.crc32(body):08x}\n".encode() + body


def _ends_a_line(fd: int) -> bool:
    """True if the file at `fd` is empty or ends with a newline."""
    size = os.fstat(fd).st_size
    return size == 0 or os.pread(fd, 1, size - 1) == b"\n"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _escape(line: str) -> str:
    return "#" + line if line.startswith(HEADER) or line.startswith("#" + HEADER) else line


def _unescape(line: str) -> str:
    return line[1:] if line.startswith("#" + HEADER) or line.startswith("##" + HEADER) else line


def read_journal(path: Path | str) -> JournalRead:
    """Every readable entry of a journal file and every skipped one (see `parse_journal`).

    JournalError if the file cannot be read at all.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise JournalError(f"journal: cannot read {path}: {err.strerror}") from None
    return parse_journal(data, Path(path))


def read_entries(path: Path | str) -> Iterator[JournalEntry]:
    """The readable entries of a journal file, oldest first: `[e.code for e in read_entries(path)]`."""
    yield from read_journal(path).entries


def parse_journal(data: bytes, path: Path = Path("journal.py")) -> JournalRead:
    """The entries in the bytes of a journal, and the ones that are damaged.

    >>> good = format_entry("bpm(120)", when="2026-11-21T15:00:00.000+00:00")
    >>> read = parse_journal(good + good[:30] + good)
    >>> [e.code for e in read.entries], [str(s) for s in read.skipped]
    (['bpm(120)', 'bpm(120)'], ['entry 2 (line 3): cut short'])
    """
    return _Parser(data, JournalRead(path)).run()


class _Parser:
    """Walks a journal's bytes header by header (see `parse_journal`)."""

    def __init__(self, data: bytes, read: JournalRead) -> None:
        self.data = data
        self.read = read
        self._counted = (0, 1)                    # (position, its line): lines are counted once

    def run(self) -> JournalRead:
        pos = 0
        header = self._next_header(0)
        while True:
            self._orphan(pos, header.start() if header else len(self.data))
            if header is None:
                return self.read
            pos, header = self._entry(header)

    def _next_header(self, pos: int) -> re.Match[bytes] | None:
        return _NEXT_HEADER.search(self.data, pos)

    def _line(self, pos: int) -> int:
        """The 1-based line of byte `pos` (counting on from the last position asked)."""
        last, line = self._counted if pos >= self._counted[0] else (0, 1)
        line += self.data.count(b"\n", last, pos)
        self._counted = (pos, line)
        return line

    def _skip(self, pos: int, reason: str) -> None:
        self.read.skipped.append(SkippedEntry(self.read.total + 1, self._line(pos), reason))

    def _orphan(self, begin: int, end: int) -> None:
        """Text no header claims: an entry whose header was damaged."""
        if self.data[begin:end].strip():
            self._skip(begin, "damaged header")

    def _entry(self, header: re.Match[bytes]) -> tuple[int, re.Match[bytes] | None]:
        """Read the entry at `header`; returns where reading goes on and the next header."""
        start = header.start()
        line_end = self.data.find(b"\n", header.end())
        following = self._next_header(header.end())
        if line_end < 0 or (following is not None and following.start() < line_end):
            self._skip(start, "cut short")
            return (following.start() if following else len(self.data)), following
        fields = _header_fields(self.data[header.end():line_end])
        body_start = line_end + 1
        chunk_end = following.start() if following else len(self.data)
        if fields is None:
            self._skip(start, "damaged header")
            return chunk_end, following
        when, size, crc = fields
        if size is None:
            return self._old_entry(start, when, body_start, chunk_end), following
        end = body_start + size
        body = self.data[body_start:end]
        if len(body) == size and zlib.crc32(body) == crc:
            self._add(start, when, body)
            return end, self._next_header(end)
        cut = len(body) < size or (following is not None and following.start() < end)
        self._skip(start, "cut short" if cut else "damaged (checksum does not match)")
        return chunk_end, following

    def _old_entry(self, start: int, when: str, body_start: int, end: int) -> int:
        """An entry without a length: it runs to the next header, or to a damaged one."""
        damaged = [m.start() for m in _DAMAGED_HEADER.finditer(self.data, body_start, end)]
        self._add(start, when, self.data[body_start:damaged[0] if damaged else end])
        for at in damaged:
            self._skip(at, "damaged header")
        return end

    def _add(self, start: int, when: str, body: bytes) -> None:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as err:
            line = self._line(start) + 1 + body.count(b"\n", 0, err.start)
            self.read.skipped.append(SkippedEntry(self.read.total + 1, self._line(start),
                                                  f"invalid UTF-8 (line {line})"))
            return
        lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
        code = "\n".join(_unescape(line) for line in lines)
        self.read.entries.append(JournalEntry(when, code, self.read.total + 1, self._line(start)))


def _header_fields(raw: bytes) -> tuple[str, int | None, int | None] | None:
    """(when, bytes, crc32) of a header line after `# --- `; None if it is damaged."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "bytes=" not in text and "crc32=" not in text:
        return text.strip(), None, None           # a journal from before lengths and checksums
    match = _NEW_FIELDS.fullmatch(text)
    if match is None:
        return None
    return match["when"], int(match["size"]), int(match["crc"], 16)


def latest_journal(folder: Path | None = None, exclude: Path | None = None) -> Path | None:
    """The most recently modified non-empty journal in `folder` (default `journal_dir()`)."""
    base = folder or journal_dir()
    if not base.is_dir():
        return None
    skip = Path(exclude).resolve() if exclude is not None else None
    found: list[tuple[float, str, Path]] = []
    for path in base.glob("journal-*.py"):
        try:
            info = path.stat()
        except OSError:                             # removed meanwhile (another session closing)
            continue
        if info.st_size > 0 and path.resolve() != skip:
            found.append((info.st_mtime, path.name, path))
    return max(found)[2] if found else None
