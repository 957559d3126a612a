"""The live-coding REPL: prompt_toolkit on asyncio, evaluating through a session.

Enter evaluates a complete block (codeop semantics); the bottom toolbar shows the session's
status ten times a second; Ctrl-. (or Ctrl-] / Alt-.) hushes; Ctrl-C clears the line; Ctrl-D,
`exit()` or SIGTERM stop and close the session (exit status 0, or 143 after SIGTERM). Code sent with `livecode send` is evaluated in
the same session and echoed above the prompt.

>>> from livecode.repl.app import Repl, run_repl
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.application.current import get_app_or_none
from prompt_toolkit.completion import ThreadedCompleter
from prompt_toolkit.formatted_text import FormattedText, StyleAndTextTuples
from prompt_toolkit.history import History
from prompt_toolkit.patch_stdout import patch_stdout
from prompt_toolkit.shortcuts import print_formatted_text
from prompt_toolkit.styles import BaseStyle

from livecode.repl.completer import LivecodeCompleter, SafeCompleter
from livecode.repl.highlight import python_lexer, repl_style
from livecode.repl.history import open_history
from livecode.repl.keys import register_ctrl_dot_sequences, repl_key_bindings
from livecode.repl.protocol import SessionLike
from livecode.repl.results import format_result
from livecode.repl.statusbar import StatusPoller, render_status
from livecode.errors import SocketError
from livecode.server import Reply, SendServer

__all__ = ["Repl", "run_repl", "EXIT_WORDS", "MESSAGE_REPEAT_SECONDS"]

#: A message printed once is not printed again within this many seconds.
MESSAGE_REPEAT_SECONDS = 5.0

#: Lines that end the REPL like Ctrl-D.
EXIT_WORDS = frozenset({"exit()", "quit()", "exit", "quit"})


class Repl:
    """A REPL bound to one session; `await repl.run()` returns the exit status (0 on a clean stop).

    >>> from types import SimpleNamespace as NS
    >>> repl = Repl(NS(namespace={}, status=lambda: None), serve=False)  # nothing runs yet
    >>> repl.prompt_text
    'lc> '
    """

    prompt_text = "lc> "
    continuation_text = "... "

    def __init__(
        self,
        session: SessionLike,
        *,
        history: History | None = None,
        socket_path: Path | None = None,
        serve: bool = True,
        status_interval: float = 0.1,
        style: BaseStyle | None = None,
        complete_while_typing: bool = True,
    ) -> None:
        self.session = session
        self.history = history
        self.socket_path = socket_path
        self.serve = serve
        self.status_interval = status_interval
        self.style: BaseStyle = style if style is not None else repl_style()
        self.complete_while_typing = complete_while_typing
        self.poller = StatusPoller(session.status, interval=status_interval)
        self.completer = SafeCompleter(LivecodeCompleter(session.namespace))
        self._eval_lock: asyncio.Lock | None = None
        self._stopping = False
        self._terminated = False
        self._prompt: PromptSession[str] | None = None
        self._recent_messages: dict[str, float] = {}

    def _toolbar(self) -> StyleAndTextTuples:
        app = get_app_or_none()
        width = app.output.get_size().columns if app is not None else 120
        engine_error = getattr(self.poller.latest, "engine_error", None)
        message = self.poller.last_error or (f"engine: {engine_error}" if engine_error else "")
        return render_status(self.poller.latest, width, message)

    def _build_prompt(self) -> PromptSession[str]:
        register_ctrl_dot_sequences()
        return PromptSession(
            message=self.prompt_text,
            prompt_continuation=lambda width, line_number, wrap_count: self.continuation_text.rjust(width),
            multiline=True,
            lexer=python_lexer(),
            style=self.style,
            include_default_pygments_style=False,
            completer=ThreadedCompleter(self.completer),
            complete_while_typing=self.complete_while_typing,
            history=self.history if self.history is not None else open_history(),
            key_bindings=repl_key_bindings(self.hush),
            bottom_toolbar=self._toolbar,
            refresh_interval=self.status_interval,
            reserve_space_for_menu=6,
        )

    def hush(self) -> None:
        """Silence every track now (Ctrl-.); runs in a worker thread so the keyboard never waits."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._hush_sync()
            return
        loop.run_in_executor(None, self._hush_sync)

    def _hush_sync(self) -> None:
        try:
            self.session.hush()
            self._print([("class:warning", "hushed\n")])
        except Exception as err:  # a failing hush must not take the REPL down
            self._print([("class:error", f"error: hush failed: {type(err).__name__}: {err}\n")])

    def _on_sigterm(self) -> None:
        """SIGTERM: stop like Ctrl-D, but `run` then returns 143 (128 + SIGTERM)."""
        self._terminated = True
        self.request_stop()

    def request_stop(self) -> None:
        """Stop the REPL at the next chance (SIGTERM, or `exit()` sent from an editor)."""
        self._stopping = True
        app = self._prompt.app if self._prompt is not None else None
        if app is not None and app.is_running:
            app.exit(exception=EOFError())

    def _print(self, parts: StyleAndTextTuples) -> None:
        if parts:
            print_formatted_text(FormattedText(parts), style=self.style, end="")

    async def evaluate(self, code: str) -> Any:
        """Evaluate `code` through the session in a worker thread, one evaluation at a time."""
        if self._eval_lock is None:
            self._eval_lock = asyncio.Lock()
        loop = asyncio.get_running_loop()
        async with self._eval_lock:
            return await loop.run_in_executor(None, self._evaluate_sync, code)

    def _evaluate_sync(self, code: str) -> Any:
        try:
            return self.session.evaluate(code)
        except SystemExit:
            self._stopping = True
            return Reply(ok=True)
        except Exception as err:  # the contract says evaluate never raises; be safe anyway
            return Reply(ok=False, error=f"internal error: {type(err).__name__}: {err}")

    async def _handle_sent(self, code: str) -> Reply:
        self._print([("class:value", "» " + code.rstrip().replace("\n", "\n» ") + "\n")])
        result = await self.evaluate(code)
        self._print(format_result(result))
        if self._stopping:
            self.request_stop()
        return Reply(
            ok=bool(getattr(result, "ok", False)),
            value=getattr(result, "value_repr", None),
            error=getattr(result, "error", None),
            warnings=[str(w) for w in getattr(result, "warnings", None) or ()],
        )

    async def _start_server(self) -> SendServer | None:
        if not self.serve:
            return None
        server = SendServer(self._handle_sent, self.socket_path)
        try:
            await server.start()
        except SocketError as err:
            self._print([("class:warning", f"warning: livecode send disabled: {err}\n")])
            return None
        return server

    def _print_messages(self) -> None:
        """Print what the scheduler and outputs reported since the last poll (once each)."""
        messages = self._drain_messages()
        now = time.monotonic()
        recent = self._recent_messages
        for stale in [m for m, at in recent.items() if now - at >= MESSAGE_REPEAT_SECONDS]:
            del recent[stale]
        for message in messages:
            if message in recent:
                continue
            recent[message] = now
            self._print([("class:warning", f"{message}\n")])

    def _interrupted(self) -> None:
        """SIGINT outside the prompt (Ctrl-C while code evaluates): never stop the REPL."""
        app = self._prompt.app if self._prompt is not None else None
        if app is not None and app.is_running:
            app.current_buffer.reset()
            return
        self._print([("class:warning", "Ctrl-C: the evaluation goes on; the music is not affected\n")])

    def _drain_messages(self) -> list[str]:
        drain = getattr(self.session, "messages", None)
        if not callable(drain):
            return []
        try:
            return [str(message) for message in drain()]
        except Exception as err:  # a broken message queue must not stop the REPL
            return [f"messages: {type(err).__name__}: {err}"]

    def _install_signals(self) -> Callable[[], None]:
        """SIGTERM stops the REPL cleanly; SIGINT never kills it. Returns the undo function."""
        loop = asyncio.get_running_loop()
        handlers = {signal.SIGTERM: self._on_sigterm, signal.SIGINT: self._interrupted}
        installed = []
        for signum, handler in handlers.items():
            try:
                loop.add_signal_handler(signum, handler)
            except (NotImplementedError, RuntimeError, ValueError):
                continue
            installed.append(signum)

        def undo() -> None:
            for signum in installed:
                loop.remove_signal_handler(signum)

        return undo

    async def _loop(self, prompt: PromptSession[str]) -> None:
        while not self._stopping:
            try:
                text = await prompt.prompt_async(handle_sigint=False)
            except KeyboardInterrupt:
                continue
            except EOFError:
                break
            if text.strip() in EXIT_WORDS:
                break
            if not text.strip():
                continue
            self._print(format_result(await self.evaluate(text)))

    async def run(self) -> int:
        """Run until Ctrl-D, exit() or SIGTERM; closes the session; returns 0 (143 after SIGTERM)."""
        self._prompt = self._build_prompt()
        remove_signals = self._install_signals()
        with patch_stdout(raw=True):
            poll_task = asyncio.create_task(self.poller.run(self._print_messages))
            server = await self._start_server()
            try:
                await self._loop(self._prompt)
            finally:
                poll_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await poll_task
                if server is not None:
                    await server.close()
                remove_signals()
                self.session.close()
        return 128 + signal.SIGTERM if self._terminated else 0


def run_repl(session: SessionLike, **options: Any) -> int:
    """Run a REPL on `session` in a new asyncio loop (blocking); returns the exit status."""
    return asyncio.run(Repl(session, **options).run())
