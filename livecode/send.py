"""`livecode send`: evaluate code (stdin or a region of a file) in a running session.

>>> select_lines("a\\nb\\nc\\nd", "2:3")
'b\\nc'
>>> select_lines("a\\nb\\nc", "2")
'b'
"""

from __future__ import annotations

import socket
import stat
import sys
from pathlib import Path
from typing import TextIO

from livecode.errors import SendError
from livecode.server import (
    MAX_CODE_BYTES, Reply, SocketError, check_owned, default_socket_path, frame,
)

__all__ = ["SendError", "select_lines", "select_block", "send_code", "send_main"]


def _line_number(text: str, spec: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise SendError(f"send --lines: expected A:B with line numbers, got {spec!r}") from None
    if number < 1:
        raise SendError(f"send --lines: line numbers start at 1, got {spec!r}")
    return number


def select_lines(text: str, spec: str | None) -> str:
    """The 1-based inclusive line range `spec` ("A:B", "A:", ":B" or "A") of `text`.

    >>> select_lines("a\\nb\\nc", ":2")
    'a\\nb'
    """
    if spec is None:
        return text
    lines = text.split("\n")
    first_text, sep, last_text = spec.partition(":")
    first = _line_number(first_text, spec) if first_text else 1
    last = (_line_number(last_text, spec) if last_text else len(lines)) if sep else first
    if last < first:
        raise SendError(f"send --lines: range {spec!r} ends before it starts")
    if first > len(lines):
        raise SendError(f"send --lines: line {first} is past the end ({len(lines)} lines)")
    return "\n".join(lines[first - 1 : last])


def select_block(text: str, line: int) -> str:
    """The block around 1-based `line`: the lines between the blank lines before and after it.

    Editors send "the block under the cursor" this way (`livecode send set.py --block 12`).

    >>> select_block("a\\n\\nb\\nc\\n\\nd", 3)
    'b\\nc'
    """
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        raise SendError(f"send --block: line {line} is outside the file (1..{len(lines)})")
    if not lines[line - 1].strip():
        raise SendError(f"send --block: line {line} is blank; put the cursor in a block")
    first = line - 1
    while first > 0 and lines[first - 1].strip():
        first -= 1
    last = line - 1
    while last + 1 < len(lines) and lines[last + 1].strip():
        last += 1
    return "\n".join(lines[first : last + 1])


def send_code(code: str, path: Path | None = None, timeout: float = 10.0) -> Reply:
    """Send `code` to the session listening on `path` (framed, see `livecode.server.frame`) and
    return its reply.

    Refuses a socket owned by another user; raises SocketError when no session listens.
    """
    target = default_socket_path() if path is None else path
    if len(code.encode("utf-8")) > MAX_CODE_BYTES:
        raise SendError(f"send: code longer than {MAX_CODE_BYTES} bytes; send a smaller block (--lines, --block)")
    try:
        info = check_owned(target)
    except FileNotFoundError:
        raise SocketError(f"no running livecode session (no socket at {target})") from None
    if not stat.S_ISSOCK(info.st_mode):
        raise SocketError(f"refusing {target}: not a socket")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(target))
        sock.sendall(frame(code))
        sock.shutdown(socket.SHUT_WR)
        chunks: list[bytes] = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except (ConnectionRefusedError, FileNotFoundError):
        raise SocketError(f"no running livecode session listening on {target}") from None
    except OSError as err:
        raise SocketError(f"send: {target}: {err.strerror or err}") from err
    finally:
        sock.close()
    return Reply.from_json(b"".join(chunks).decode("utf-8", errors="replace"))


def _read_source(file: str | None, stdin: TextIO) -> str:
    if file is None or file == "-":
        return stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SendError(f"send: no such file: {file}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SendError(f"send: cannot read {file}: {err}") from err


def send_main(
    file: str | None,
    lines: str | None = None,
    socket_path: Path | None = None,
    block: int | None = None,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    """Read, send, print the reply; returns the exit status (0 ok, 1 evaluation error).

    Raises SendError/SocketError for bad input or no session (the CLI prints them in one line).
    """
    if lines is not None and block is not None:
        raise SendError("send: give --lines or --block, not both")
    source = _read_source(file, stdin or sys.stdin)
    code = select_block(source, block) if block is not None else select_lines(source, lines)
    if not code.strip():
        raise SendError("send: nothing to send (empty code)")
    reply = send_code(code, socket_path)
    stream = out or sys.stdout
    for warning in reply.warnings:
        print(f"warning: {warning}", file=stream)
    if reply.ok:
        if reply.value:
            print(reply.value, file=stream)
        return 0
    print(f"error: {reply.error}", file=stream)
    return 1
