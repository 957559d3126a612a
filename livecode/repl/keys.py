"""Key bindings: Enter evaluates a complete block, Ctrl-. hushes, Ctrl-C clears the line.

Ctrl-. has no standard byte sequence. Terminals with the "CSI u" / fixterms protocol (kitty,
foot, WezTerm, iTerm2 with CSI u on, xterm with modifyOtherKeys) send ``ESC [ 4 6 ; 5 u`` or
``ESC [ 2 7 ; 5 ; 4 6 ~``; `register_ctrl_dot_sequences()` maps both to an internal key
(F24). Everywhere else use the fallbacks **Ctrl-]** or **Alt-.** (Esc then .).

>>> is_complete("d1 >> s('bd*4')")
True
>>> is_complete("def f():")
False
>>> is_complete("def f():\\n    return 1\\n")
True
"""

from __future__ import annotations

import codeop
import io
import tokenize
import warnings
from collections.abc import Callable

from prompt_toolkit.buffer import Buffer
from prompt_toolkit.input.ansi_escape_sequences import ANSI_SEQUENCES
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys

__all__ = [
    "CTRL_DOT_SEQUENCES",
    "CTRL_DOT_KEY",
    "HUSH_FALLBACK_KEYS",
    "register_ctrl_dot_sequences",
    "is_complete",
    "next_indent",
    "repl_key_bindings",
]

#: Byte sequences terminals send for Ctrl-. (CSI u and xterm's modifyOtherKeys form).
CTRL_DOT_SEQUENCES: tuple[str, ...] = ("\x1b[46;5u", "\x1b[27;5;46~")
#: The internal key the sequences are mapped to.
CTRL_DOT_KEY: Keys = Keys.F24
#: Fallback hush keys for terminals that cannot send Ctrl-.
HUSH_FALLBACK_KEYS: tuple[tuple[str, ...], ...] = (("c-]",), ("escape", "."))


def register_ctrl_dot_sequences() -> None:
    """Teach prompt_toolkit's input parser the Ctrl-. sequences (idempotent; call before the app runs).

    >>> register_ctrl_dot_sequences()
    >>> ANSI_SEQUENCES["\\x1b[46;5u"] == CTRL_DOT_KEY
    True
    """
    for sequence in CTRL_DOT_SEQUENCES:
        ANSI_SEQUENCES[sequence] = CTRL_DOT_KEY


def is_complete(text: str) -> bool:
    """True when `text` is a block to evaluate now (codeop semantics).

    A syntax error counts as complete (evaluating it shows the error); an incomplete block
    (open bracket, a `def` header, a trailing backslash) is not, until an empty last line
    ends a multi-line block.

    >>> is_complete("s('bd'")
    False
    >>> is_complete("1 +")
    True
    """
    if not text.strip():
        return True
    lines = text.split("\n")
    if len(lines) > 1 and not lines[-1].strip():
        return not _brackets_open(text)
    return _compiles_or_errors(text) is not None


def _compiles_or_errors(text: str) -> object | None:
    """A code object or True (syntax error) if complete, None if more input is needed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return codeop.compile_command(text, "<livecode>", "single")
        except (SyntaxError, ValueError, OverflowError):
            return True


def _brackets_open(text: str) -> bool:
    """True while a bracket is unclosed (strings and comments ignored).

    >>> _brackets_open("s('bd [')"), _brackets_open("note([1,")
    (False, True)
    """
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
    except tokenize.TokenError:
        return True
    except (SyntaxError, IndentationError):
        return False
    return depth > 0


def next_indent(current_line: str) -> str:
    """The indentation for the line after `current_line`.

    >>> next_indent("    for x in y:")
    '        '
    >>> next_indent("  a = 1")
    '  '
    """
    indent = current_line[: len(current_line) - len(current_line.lstrip())]
    if current_line.rstrip().endswith(":"):
        indent += "    "
    return indent


def repl_key_bindings(on_hush: Callable[[], None]) -> KeyBindings:
    """The REPL's bindings; `on_hush` is called for Ctrl-. (and its fallbacks).

    >>> kb = repl_key_bindings(lambda: None)
    >>> len(kb.bindings) >= 5
    True
    """
    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        buffer: Buffer = event.current_buffer
        # a one-line statement evaluates wherever the cursor is (editing a recalled line);
        # inside a multi-line block Enter adds a line unless the cursor is at the end
        at_end = "\n" not in buffer.text or not buffer.document.text_after_cursor.strip()
        if at_end and is_complete(buffer.text):
            buffer.validate_and_handle()
            return
        buffer.insert_text("\n" + next_indent(buffer.document.current_line_before_cursor))

    @bindings.add("escape", "enter")
    def _force_accept(event: KeyPressEvent) -> None:
        event.current_buffer.validate_and_handle()

    @bindings.add("c-c")
    def _clear(event: KeyPressEvent) -> None:
        event.current_buffer.reset()

    def _hush(event: KeyPressEvent) -> None:
        on_hush()

    bindings.add(CTRL_DOT_KEY)(_hush)
    for keys in HUSH_FALLBACK_KEYS:
        bindings.add(*keys, eager=True)(_hush)
    return bindings
