"""The journal on disk: one write per entry, and a reader that recovers every entry it can."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import pytest

from livecode.errors import JournalError
from livecode.journal import Journal, format_entry, parse_journal, read_journal

__all__: list[str] = []

WHEN = "2026-11-21T15:00:00.000+00:00"
CODES = ["bpm(133)", 'd1 >> s("bd*4")\nd1.fx("lpf", cutoff=900)', 'd2 >> note("c4 e4").s("pluck")']


def entries(*codes: str) -> list[bytes]:
    return [format_entry(code, when=WHEN) for code in codes]


def old_entry(code: str) -> bytes:
    """An entry as journals were written before headers carried a length and a checksum."""
    return f"# --- {WHEN}\n{code}\n".encode()


def codes_and_skipped(data: bytes) -> tuple[list[str], list[str]]:
    read = parse_journal(data)
    return [entry.code for entry in read.entries], [str(item) for item in read.skipped]


def test_what_is_written_reads_back_exactly(tmp_path: Path) -> None:
    tricky = [
        "bpm(120)",
        '# --- 2026-01-01T00:00:00 a comment that looks like a header\nd1 >> s("bd")',
        '## --- escaped already\nx = "café ♪"',
        'y = "a\\rb"\n\n\nz = 1   ',
        "def f(p):\n    return p.fast(2)",
    ]
    journal = Journal.open(tmp_path)
    for code in tricky:
        journal.append(code)
    journal.close()
    read = read_journal(journal.path)
    assert [e.code for e in read.entries] == tricky
    assert [e.number for e in read.entries] == [1, 2, 3, 4, 5] and read.skipped == []
    text = journal.path.read_text(encoding="utf-8")
    assert text.count("\n# --- ") == 4 and "bytes=" in text and "crc32=" in text
    assert oct(journal.path.stat().st_mode & 0o777) == "0o600"


def test_old_journals_still_read() -> None:
    data = b"".join(old_entry(code) for code in CODES) + old_entry('## --- escaped\nx = 1')
    assert codes_and_skipped(data) == ([*CODES, "# --- escaped\nx = 1"], [])


def test_invalid_utf8_loses_only_its_entry_and_never_raises() -> None:
    bad = b"# --- " + WHEN.encode() + b'\nd3 >> s("caf\xe9")\n'
    old = old_entry(CODES[0]) + bad + old_entry(CODES[2])
    assert codes_and_skipped(old) == ([CODES[0], CODES[2]], ["entry 2 (line 3): invalid UTF-8 (line 4)"])

    body = b'd3 >> s("caf\xe9")\n'                          # written that way, checksum and all
    header = f"# --- {WHEN} bytes={len(body)} crc32={zlib.crc32(body):08x}\n".encode()
    first, _, last = entries(*CODES)
    assert codes_and_skipped(first + header + body + last) == (
        [CODES[0], CODES[2]], ["entry 2 (line 3): invalid UTF-8 (line 4)"])

    first, middle, last = entries(*CODES)
    damaged = middle.replace(b"bd*4", b"bd\xff4")              # a flipped byte on disk
    assert codes_and_skipped(first + damaged + last) == (
        [CODES[0], CODES[2]], ["entry 2 (line 3): damaged (checksum does not match)"])


def test_a_truncated_last_entry_is_named_and_the_rest_restored() -> None:
    first, middle, last = entries(*CODES)
    assert codes_and_skipped(first + middle + last[:-7]) == (
        CODES[:2], ["entry 3 (line 6): cut short"])
    assert codes_and_skipped(first + middle + last[:12]) == (   # even inside the header line
        CODES[:2], ["entry 3 (line 6): cut short"])


def test_a_damaged_header_loses_only_its_entry_not_the_next_good_one() -> None:
    first, middle, last = entries(*CODES)
    for damage in (b"# -- ", b"#--- ", b"# -\xad- ", b"- "):
        damaged = middle.replace(b"# --- ", damage, 1)
        assert codes_and_skipped(first + damaged + last) == (
            [CODES[0], CODES[2]], ["entry 2 (line 3): damaged header"]), damage
    bad_length = middle.replace(b"bytes=", b"bytes=9", 1)
    assert codes_and_skipped(first + bad_length + last) == (
        [CODES[0], CODES[2]], ["entry 2 (line 3): cut short"])
    bad_fields = middle.replace(b"crc32=", b"crc=", 1)
    assert codes_and_skipped(first + bad_fields + last) == (
        [CODES[0], CODES[2]], ["entry 2 (line 3): damaged header"])

    old = [old_entry(code) for code in CODES]
    damaged_old = old[1].replace(b"# --- ", b"#--- ", 1)
    assert codes_and_skipped(old[0] + damaged_old + old[2]) == (
        [CODES[0], CODES[2]], ["entry 2 (line 3): damaged header"])


def test_text_before_the_first_header_is_a_damaged_entry() -> None:
    first, middle, last = entries(*CODES)
    assert codes_and_skipped(b"\x00\x00garbage\n" + first + middle) == (
        CODES[:2], ["entry 1 (line 1): damaged header"])


def test_a_crash_at_any_byte_damages_at_most_the_entry_being_written() -> None:
    written = entries(*CODES)
    done = b"".join(written[:2])
    for cut in range(len(written[2])):
        codes, skipped = codes_and_skipped(done + written[2][:cut])
        assert codes == CODES[:2], cut
        assert len(skipped) == (1 if cut else 0), (cut, skipped)


def test_a_damaged_byte_anywhere_in_an_entry_spares_its_neighbours() -> None:
    first, middle, last = entries(*CODES)
    for at in range(len(middle)):
        for flip in (0x01, 0x80):
            damaged = bytearray(middle)
            damaged[at] ^= flip
            codes, skipped = codes_and_skipped(first + bytes(damaged) + last)
            assert codes[0] == CODES[0] and codes[-1] == CODES[2], (at, flip, codes, skipped)
            assert len(codes) + len(skipped) == 3 and len(skipped) <= 1, (at, flip, codes, skipped)


def test_an_append_after_a_cut_write_starts_a_fresh_line(tmp_path: Path) -> None:
    path = tmp_path / "journal-cut.py"
    first, middle, _ = entries(*CODES)
    path.write_bytes(first + middle[:-6])                      # the disk filled up mid-entry
    journal = Journal.open(path)
    journal.append(CODES[2])
    journal.close()
    data = path.read_bytes()
    assert b'\n# --- ' in data[len(first) + len(middle) - 6:]
    assert codes_and_skipped(data) == ([CODES[0], CODES[2]], ["entry 2 (line 3): cut short"])


def test_a_failed_write_is_a_journal_error_and_the_next_entry_is_whole(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "journal-x.py")
    journal.append(CODES[0])
    fd = journal._fd
    assert fd is not None
    read_only = os.open(journal.path, os.O_RDONLY)
    os.dup2(read_only, fd)                                     # writes now fail with EBADF
    with pytest.raises(JournalError, match="cannot write"):
        journal.append(CODES[1])
    writable = os.open(journal.path, os.O_WRONLY | os.O_APPEND)
    os.dup2(writable, fd)
    os.close(read_only)
    os.close(writable)
    journal.append(CODES[2])
    journal.close()
    assert codes_and_skipped(journal.path.read_bytes()) == ([CODES[0], CODES[2]], [])


def test_an_unreadable_journal_is_a_journal_error(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match="cannot read"):
        read_journal(tmp_path / "missing.py")
