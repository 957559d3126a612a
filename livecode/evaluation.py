"""Running performer code: statement by statement, with a time limit and one-line errors.

`run_code(code, namespace)` parses `code`, runs each top-level statement in turn in `namespace`
(a trailing expression is evaluated and its value shown), stops at the first error and turns it
into one line (`line 2: NameError: ...`; a mini-notation error keeps its column). Statements that
ran before an error stay done. Each statement runs under `time_limit`, so an endless loop or a
runaway pattern constructor becomes an `EvalTimeout` error instead of a hang.

>>> ns: dict[str, object] = {}
>>> run_code("x = 2\\nx * 21", ns).result.value_repr
'42'
>>> run_code("y = 1\\nz = nope", ns).result.error
"line 2: NameError: name 'nope' is not defined"
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from livecode.errors import one_line_error
from livecode.watchdog import time_limit

__all__ = ["EvalResult", "CodeRun", "run_code", "is_definition", "error_line", "short_repr", "FILENAME",
           "SETUP_CALLS"]

FILENAME = "<live>"
SETUP_CALLS = frozenset({"load_samples"})
"""Calls that set things up for later lines; `save()` keeps them with the definitions."""


@dataclass
class EvalResult:
    """What `Session.evaluate` returns: ok, the value's repr, one error line, warnings."""

    ok: bool
    value_repr: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class CodeRun:
    """A run: its result and the source of every statement that ran, with its AST node.

    >>> [source for source, _ in run_code("a = 1\\nb = 2", {}).done]
    ['a = 1', 'b = 2']
    """

    result: EvalResult
    done: list[tuple[str, ast.stmt]] = field(default_factory=list)


def error_line(err: BaseException) -> str:
    """One line, naming the user-code line when it is not the first.

    >>> error_line(ValueError("bad"))
    'ValueError: bad'
    """
    line = None
    tb = err.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    text = one_line_error(err)
    return text if line is None or line == 1 else f"line {line}: {text}"


def short_repr(value: object, limit: int = 300) -> str:
    """`repr(value)`, cut to `limit` characters; a broken `__repr__` is shown, not raised.

    >>> short_repr("x" * 400, limit=10)
    "'xxxxxx..."
    """
    try:
        text = repr(value)
    except Exception as err:  # noqa: BLE001 - a broken __repr__ must not break the REPL
        text = f"<unprintable {type(value).__name__}: {err}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_definition(stmt: ast.stmt) -> bool:
    """True for statements that define things (assignments, def, import, `load_samples(...)`),
    False for expression statements (`d1 >> ...`, `d1.fx(...)`, `bpm(120)`), which change state
    that `save()` writes from the session itself.

    >>> is_definition(ast.parse("x = 1").body[0]), is_definition(ast.parse("bpm(1)").body[0])
    (True, False)
    >>> is_definition(ast.parse('load_samples("~/kit")').body[0])
    True
    """
    if not isinstance(stmt, ast.Expr):
        return True
    call = stmt.value
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in SETUP_CALLS


def _run_statement(stmt: ast.stmt, namespace: dict[str, object], last: bool) -> object:
    if last and isinstance(stmt, ast.Expr):
        expr = ast.Expression(stmt.value)
        ast.copy_location(expr, stmt)
        return eval(compile(expr, FILENAME, "eval"), namespace)  # noqa: S307 - the REPL's job
    exec(compile(ast.Module([stmt], []), FILENAME, "exec"), namespace)  # noqa: S102
    return None


def run_code(
    code: str,
    namespace: dict[str, object],
    *,
    timeout: float | None = None,
    around: Callable[[str | None], None] | None = None,
) -> CodeRun:
    """Run `code` in `namespace` (see the module doc); never raises except `SystemExit`.

    `around(source)` is called with each statement's source before it runs and with None after.
    """
    try:
        tree = ast.parse(code, FILENAME, "exec")
    except SyntaxError as err:
        where = f" (line {err.lineno}, column {err.offset})" if err.lineno else ""
        return CodeRun(EvalResult(False, error=f"SyntaxError: {err.msg}{where}"))
    run = CodeRun(EvalResult(True))
    value: object = None
    for index, stmt in enumerate(tree.body):
        source = ast.get_source_segment(code, stmt) or ""
        if around is not None:
            around(source)
        try:
            with time_limit(timeout):
                value = _run_statement(stmt, namespace, index == len(tree.body) - 1)
        except Exception as err:  # noqa: BLE001 - user code errors become one line
            run.result = EvalResult(False, error=error_line(err))
            return run
        finally:
            if around is not None:
                around(None)
        run.done.append((source, stmt))
    run.result.value_repr = None if value is None else short_repr(value)
    return run
