"""The session's Unix socket: `livecode send` (and editors) evaluate code in a running session.

The socket lives in a private folder (mode 0700): ``$XDG_RUNTIME_DIR/livecode/session.sock``,
or ``/tmp/livecode-$UID/session.sock`` without a runtime directory. The socket itself has mode
0600, and a folder or socket owned by another user is refused.

Protocol: the client sends UTF-8 code and shuts down its write side; the server answers with
one JSON object ``{"ok": bool, "value": str|null, "error": str|null, "warnings": [str]}`` and
closes the connection.

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
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from patterns.errors import LivecodeError

__all__ = [
    "SocketError",
    "Reply",
    "socket_dir",
    "default_socket_path",
    "ensure_private_dir",
    "check_owned",
    "SendServer",
    "MAX_CODE_BYTES",
]

#: Largest code block the server accepts (bytes).
MAX_CODE_BYTES = 1 << 20


class SocketError(LivecodeError):
    """The session socket cannot be created, trusted or reached."""


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
            data = await reader.read(MAX_CODE_BYTES + 1)
            while data and len(data) <= MAX_CODE_BYTES:
                chunk = await reader.read(MAX_CODE_BYTES + 1 - len(data))
                if not chunk:
                    break
                data += chunk
            if not data.strip():
                return                              # a probe (or nothing to do): no evaluation
            if len(data) > MAX_CODE_BYTES:
                reply = Reply(ok=False, error=f"send: code longer than {MAX_CODE_BYTES} bytes")
            else:
                reply = await self._evaluate(data.decode("utf-8", errors="replace"))
            writer.write(reply.to_json().encode())
            await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _evaluate(self, code: str) -> Reply:
        try:
            return await self.handler(code)
        except Exception as err:  # the server outlives any handler bug
            return Reply(ok=False, error=f"internal error: {type(err).__name__}: {err}")
