"""The session socket: private folder and mode, owner checks, stale sockets, send round trips."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from livecode.send import SendError, select_block, select_lines, send_code, send_main
from livecode.server import (
    FRAME_MAGIC, MAX_CODE_BYTES, Reply, SendServer, SocketError, default_socket_path, ensure_private_dir, frame,
)

OTHER_UID = 4242


async def never_called(code: str) -> Reply:
    return Reply(ok=False, error="not expected")


class ServerThread:
    """A SendServer running on its own asyncio loop in a thread; evaluates with `eval`."""

    def __init__(self, path: Path | None = None) -> None:
        self.received: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.server = SendServer(self._handle, path)
        self.path = self.server.path
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    async def _handle(self, code: str) -> Reply:
        self.received.append(code)
        try:
            return Reply(ok=True, value=repr(eval(code, {})))  # noqa: S307 - test evaluator
        except Exception as err:
            return Reply(ok=False, error=f"{type(err).__name__}: {err}", warnings=["careful"])

    def __enter__(self) -> ServerThread:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(5)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.server.close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture()
def running(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ServerThread]:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    with ServerThread() as server:                      # the default place
        assert server.path == tmp_path / "run" / "livecode" / "session.sock"
        yield server


def test_socket_is_private_and_answers(running: ServerThread) -> None:
    path = running.path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert send_code("6 * 7", path) == Reply(ok=True, value="42")
    bad = send_code("1 / 0", path)
    assert not bad.ok and bad.error == "ZeroDivisionError: division by zero" and bad.warnings == ["careful"]
    assert running.received == ["6 * 7", "1 / 0"]


def test_second_server_on_a_live_socket_is_refused(running: ServerThread) -> None:
    with pytest.raises(SocketError, match="another livecode session"):
        asyncio.run(SendServer(running._handle, running.path).start())
    assert send_code("3", running.path).value == "3"   # the live one still answers


def test_an_explicit_socket_path_leaves_its_folder_alone(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    with ServerThread(folder / "lc.sock") as server:
        assert send_code("1 + 1", server.path).value == "2"
        assert stat.S_IMODE(os.stat(server.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o755
    with pytest.raises(SocketError, match="no such folder"):
        asyncio.run(SendServer(never_called, tmp_path / "missing" / "lc.sock").start())


def test_default_folder_open_to_others_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    (tmp_path / "livecode").mkdir(mode=0o700)
    os.chmod(tmp_path / "livecode", 0o755)
    with pytest.raises(SocketError, match="open to other users"):
        asyncio.run(SendServer(never_called).start())


def test_stale_socket_is_replaced_and_removed_on_close(tmp_path: Path) -> None:
    path = tmp_path / "lc" / "session.sock"
    ensure_private_dir(path.parent)
    import socket

    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))
    stale.close()                                   # a socket file nobody listens on
    with ServerThread(path) as server:
        assert send_code("'ok'", server.path).value == "'ok'"
    assert not path.exists()


@pytest.mark.skipif(os.getuid() != 0, reason="chown to another user needs root")
def test_socket_owned_by_another_user_is_refused(running: ServerThread) -> None:
    os.chown(running.path, OTHER_UID, -1)
    try:
        with pytest.raises(SocketError, match=f"owned by uid {OTHER_UID}"):
            send_code("1", running.path)
    finally:
        os.chown(running.path, os.getuid(), -1)


@pytest.mark.skipif(os.getuid() != 0, reason="chown to another user needs root")
def test_folder_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    os.chown(folder, OTHER_UID, -1)
    with pytest.raises(SocketError, match="refusing folder"):
        ensure_private_dir(folder)


def test_send_main_reads_a_file_region(running: ServerThread, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = tmp_path / "set.py"
    code.write_text("1 + 1\n2 + 2\n3 + 3\n")
    assert send_main(str(code), "2:2", running.path) == 0
    assert capsys.readouterr().out == "4\n"
    assert send_main(str(code), "2", running.path) == 0
    assert running.received[-1] == "2 + 2"
    code.write_text("1 + 1\n\n[2,\n 3]\n\n4\n")
    assert send_main(str(code), None, running.path, block=4) == 0
    assert running.received[-1] == "[2,\n 3]"
    with pytest.raises(SendError, match="is blank"):
        send_main(str(code), None, running.path, block=2)


def test_no_session_and_bad_ranges_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(SocketError, match="no running livecode session"):
        send_code("1", tmp_path / "nothing.sock")
    with pytest.raises(SendError, match="ends before it starts"):
        select_lines("a\nb", "2:1")
    with pytest.raises(SendError, match="expected A:B"):
        select_lines("a\nb", "x:y")
    with pytest.raises(SendError, match="past the end"):
        select_lines("a", "5:6")
    assert select_lines("a\nb\nc", "2:") == "b\nc"
    with pytest.raises(SendError, match="outside the file"):
        select_block("a", 3)


def test_default_socket_location() -> None:
    assert default_socket_path({"XDG_RUNTIME_DIR": "/run/user/7"}) == Path("/run/user/7/livecode/session.sock")
    assert default_socket_path({}) == Path(f"/tmp/livecode-{os.getuid()}/session.sock")


def raw_exchange(path: Path, data: bytes, *, close_write: bool = True) -> bytes:
    """Connect, send `data` as is, close (or half-close) and read what comes back."""
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(5)
    try:
        sock.connect(str(path))
        sock.sendall(data)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        sock.close()


def test_a_client_that_dies_mid_message_has_nothing_run(running: ServerThread) -> None:
    code = 'd1 >> s("bd*4")'
    whole = frame(code)
    for cut in (5, len(FRAME_MAGIC) + 1, len(whole) - len(code), len(whole) - 4):   # header, code
        assert raw_exchange(running.path, whole[:cut]) == b""   # no answer: the client is gone anyway
    assert running.received == []
    assert send_code("1 + 2", running.path).value == "3"        # the server is fine
    assert Reply.from_json(raw_exchange(running.path, frame("2 * 21")).decode()).value == "42"
    assert running.received == ["1 + 2", "2 * 21"]


def test_unframed_code_is_refused_not_run(running: ServerThread) -> None:
    reply = Reply.from_json(raw_exchange(running.path, b'd1 >> s("bd').decode())   # the old protocol
    assert not reply.ok and "not a livecode-send message" in (reply.error or "")
    assert "livecode send" in (reply.error or "")
    for data, error in ((FRAME_MAGIC + b"x12\n1 + 1", "bad message header"),
                        (FRAME_MAGIC + str(MAX_CODE_BYTES + 1).encode() + b"\n", "longer than"),
                        (FRAME_MAGIC + b"2\n\xff\xfe", "not UTF-8")):
        reply = Reply.from_json(raw_exchange(running.path, data).decode())
        assert not reply.ok and error in (reply.error or ""), reply
    assert running.received == []
    with pytest.raises(SendError, match="longer than"):      # livecode send says so itself
        send_code("x" * (MAX_CODE_BYTES + 1), running.path)


def test_a_stalled_client_times_out_with_nothing_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import livecode.server

    monkeypatch.setattr(livecode.server, "READ_TIMEOUT", 0.5)
    with ServerThread(tmp_path / "lc.sock") as server:
        started = time.monotonic()
        assert raw_exchange(server.path, frame("1 + 1")[:-1], close_write=False) == b""
        assert 0.4 < time.monotonic() - started < 4.0
        assert server.received == []
