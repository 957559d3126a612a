"""The session's Unix socket: `livecode send` (and editors) evaluate code in a running session.

The socket lives in a private folder (mode 0700): ``$XDG_RUNTIME_DIR/livecode/session.sock``,
or ``/tmp/livecode-$UID/session.sock`` without a runtime directory. The socket itself has mode
0600, and a folder or socket owned by another user is refused.

Protocol (one message per connection): the client sends a header line ``livecode-send 1 LENGTH``
and a newline, then exactly LENGTH bytes of UTF-8 code (`frame`). Only a complete message is
evaluated: a client that closes or stalls (`READ_TIMEOUT`) before its last byte has nothing run.
The server answers with one JSON object ``{"ok": bool, "value": str|null, "error": str|null,
"warnings": [str]}`` and closes the connection. A message that is not framed this way is answered
with an error and not evaluated. Peers running as another user are refused (SO_PEERCRED).

>>> frame("d1 >> s('bd')")
b"livecode-send 1 13\\nd1 >> s('bd')"
>>> default_socket_path({"XDG_RUNTIME_DIR": "/run/user/1000"}).as_posix()
'/run/user/1000/livecode/session.sock'
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import stat
import struct
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from livecode.errors import SocketError

__all__ = [
    "SocketError",
    "Reply",
    "socket_dir",
    "default_socket_path",
    "ensure_private_dir",
    "check_owned",
    "SendServer",
    "MAX_CODE_BYTES",
    "FRAME_MAGIC",
    "READ_TIMEOUT",
    "frame",
]

#: Largest code block the server accepts (bytes).
MAX_CODE_BYTES = 1 << 20

#: The start of every message's header line: ``livecode-send 1 LENGTH\n``.
FRAME_MAGIC = b"livecode-send 1 "

#: Seconds a client has to deliver its whole message once connected.
READ_TIMEOUT = 10.0

_HEADER_LIMIT = len(FRAME_MAGIC) + len(str(MAX_CODE_BYTES)) + 1


class _Incomplete(Exception):
    """The client went away before its message was complete: evaluate nothing, answer nothing."""


def frame(code: str) -> bytes:
    """The bytes a client sends for `code`: the header line with the code's length, then the code."""
    body = code.encode("utf-8")
    return FRAME_MAGIC + str(len(body)).encode("ascii") + b"\n" + body


async def read_frame(reader: asyncio.StreamReader) -> str | None:
    """The code of one complete message; None when the client sent nothing at all (a probe).

    Raises SocketError for a message that is not framed, too long or not UTF-8 (the client is
    told), and `_Incomplete` when the connection ended before the last byte.
    """
    header = await _read_header(reader)
    if header is None:
        return None
    text = header[len(FRAME_MAGIC):-1]
    if not text.isdigit():
        raise SocketError(f"send: bad message header {header[:40]!r}; expected 'livecode-send 1 LENGTH'")
    length = int(text)
    if length > MAX_CODE_BYTES:
        raise SocketError(f"send: code longer than {MAX_CODE_BYTES} bytes")
    try:
        body = await reader.readexactly(length)
    except asyncio.IncompleteReadError:
        raise _Incomplete from None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SocketError(f"send: the code is not UTF-8 ({err.reason} at byte {err.start})") from None


async def _read_header(reader: asyncio.StreamReader) -> bytes | None:
    """The header line (with its newline), read a byte at a time up to `_HEADER_LIMIT`."""
    header = b""
    while not header.endswith(b"\n"):
        byte = await reader.read(1)
        if not byte:
            if not header:
                return None
            if FRAME_MAGIC.startswith(header) or header.startswith(FRAME_MAGIC):
                raise _Incomplete                # died while sending the header
            break
        header += byte
        if len(header) > _HEADER_LIMIT or not (FRAME_MAGIC.startswith(header) or header.startswith(FRAME_MAGIC)):
            break
    if not header.startswith(FRAME_MAGIC) or not header.endswith(b"\n"):
        raise SocketError("send: not a livecode-send message (it must start with 'livecode-send 1 LENGTH' "
                          "and a newline); use `livecode send` or see docs/editors.md")
    return header


def peer_uid(sock: socket.socket) -> int | None:
    """The user id of the process at the other end of a Unix socket (None where unknown)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    try:
        _pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    except OSError:
        return None
    return int(uid)


@dataclass
class Reply:
    """The server's answer to one piece of code.

    >>> Reply(ok=True, value="1").to_json()
    '{"ok": true, "value": "1", "error": null, "warnings": []}'
    """

    ok: bool
    value: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        """One JSON object."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Reply:
        """Parse a reply; a malformed one raises SocketError.

        >>> Reply.from_json('{"ok": false, "error": "x"}').error
        'x'
        """
        try:
            data = json.loads(text)
            return cls(
                ok=bool(data["ok"]),
                value=data.get("value"),
                error=data.get("error"),
                warnings=[str(w) for w in data.get("warnings") or []],
            )
        except (ValueError, KeyError, TypeError) as err:
            raise SocketError(f"send: malformed reply from the session: {text[:80]!r}") from err


def socket_dir(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_RUNTIME_DIR/livecode, else /tmp/livecode-$UID.

    >>> socket_dir({}).as_posix() == f"/tmp/livecode-{os.getuid()}"
    True
    """
    env = os.environ if environ is None else environ
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime:
        return Path(runtime) / "livecode"
    return Path(f"/tmp/livecode-{os.getuid()}")


def default_socket_path(environ: Mapping[str, str] | None = None) -> Path:
    """The socket a session listens on by default (see `socket_dir`)."""
    return socket_dir(environ) / "session.sock"


def check_owned(path: Path, what: str = "socket") -> os.stat_result:
    """Stat `path` (without following links) and refuse it unless the current user owns it.

    >>> check_owned(Path("/")).st_uid == 0 or True
    True
    """
    info = os.lstat(path)
    if info.st_uid != os.getuid():
        raise SocketError(f"refusing {what} {path}: owned by uid {info.st_uid}, not {os.getuid()}")
    return info


def ensure_private_dir(path: Path) -> Path:
    """Create `path` with mode 0700 if needed; refuse one owned by someone else or open to others.

    >>> import tempfile
    >>> d = ensure_private_dir(Path(tempfile.mkdtemp()) / "lc")
    >>> oct(d.stat().st_mode & 0o777)
    '0o700'
    """
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as err:
        raise SocketError(f"cannot create socket folder {path}: {err.strerror}") from err
    info = check_owned(path, "folder")
    if not stat.S_ISDIR(info.st_mode):
        raise SocketError(f"refusing {path}: not a folder")
    if info.st_mode & 0o077:
        raise SocketError(f"refusing folder {path}: open to other users (mode {oct(info.st_mode & 0o777)}, want 0o700)")
    return path


def _clear_stale(path: Path) -> None:
    """Remove a dead socket at `path`; raise if a live session is listening there."""
    if not os.path.lexists(path):
        return
    info = check_owned(path)
    if not stat.S_ISSOCK(info.st_mode):
        raise SocketError(f"refusing {path}: exists and is not a socket")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.settimeout(0.5)
        probe.connect(str(path))
    except OSError:
        path.unlink(missing_ok=True)
        return
    finally:
        probe.close()
    raise SocketError(f"another livecode session is listening on {path}")


Handler = Callable[[str], Awaitable[Reply]]


class SendServer:
    """An asyncio Unix-socket server that evaluates received code through `handler`.

    >>> async def handler(code: str) -> Reply:
    ...     return Reply(ok=True, value=code.upper())
    >>> server = SendServer(handler)          # nothing is created until `await server.start()`
    """

    def __init__(self, handler: Handler, path: Path | None = None) -> None:
        self.handler = handler
        self.path = default_socket_path() if path is None else path
        self._private_dir = path is None
        self._server: asyncio.AbstractServer | None = None
        self._clients: set[asyncio.Task[None]] = set()

    async def start(self) -> Path:
        """Bind the socket (mode 0600) and start serving; returns its path.

        The default folder is created private (0700) and refused if it is not; a folder given
        with an explicit path is the caller's choice and is left as it is.
        """
        if self._private_dir:
            ensure_private_dir(self.path.parent)
        elif not self.path.parent.is_dir():
            raise SocketError(f"cannot create session socket {self.path}: no such folder")
        _clear_stale(self.path)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(str(self.path))
            os.chmod(self.path, 0o600)
        except OSError as err:
            sock.close()
            raise SocketError(f"cannot bind session socket {self.path}: {err.strerror}") from err
        self._server = await asyncio.start_unix_server(self._serve, sock=sock)
        return self.path

    async def close(self) -> None:
        """Stop serving and remove the socket file."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        for task in list(self._clients):
            task.cancel()
        await asyncio.gather(*self._clients, return_exceptions=True)
        await server.wait_closed()
        try:
            if stat.S_ISSOCK(os.lstat(self.path).st_mode):
                self.path.unlink()
        except OSError:
            pass

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._clients.add(task)
            task.add_done_callback(self._clients.discard)
        try:
            reply = await self._answer(reader, writer)
            if reply is not None:
                writer.write(reply.to_json().encode())
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Reply | None:
        """Read one message and evaluate it if it is complete; None: nothing to answer."""
        sock = writer.get_extra_info("socket")
        uid = peer_uid(sock) if sock is not None else None
        if uid is not None and uid != os.getuid():
            return None                             # another user: not even an answer
        try:
            code = await asyncio.wait_for(read_frame(reader), READ_TIMEOUT)
        except (_Incomplete, asyncio.TimeoutError):
            return None                             # an incomplete message never runs
        except SocketError as err:
            return Reply(ok=False, error=str(err))
        if code is None:
            return None                             # a probe: no evaluation
        if not code.strip():
            return Reply(ok=True)
        return await self._evaluate(code)

    async def _evaluate(self, code: str) -> Reply:
        try:
            return await self.handler(code)
        except Exception as err:  # the server outlives any handler bug
            return Reply(ok=False, error=f"internal error: {type(err).__name__}: {err}")
