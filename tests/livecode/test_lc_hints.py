"""Every hint a message gives names something the performer can type, and `reconnect_audio()`
(the hint after JACK dies) is a prelude name."""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

import patterns
from livecode.clock import ManualClock
from livecode.session import Session
from livecode.tracks import Track

__all__: list[str] = []

LIVECODE = Path(__file__).resolve().parents[2] / "livecode"
CALL = re.compile(r"(?<![\w])(\.?)([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\(")


def message_strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings (f-string parts included)."""
    tree = ast.parse(path.read_text())
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            docstrings.add(id(body[0].value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def typeable(name: str, method: bool, namespace: dict[str, object]) -> bool:
    """`name` resolves in the prelude (a dotted path from a prelude name or builtin), or is a
    method of a track or a pattern (`.midi(...)`, `fx(...)`)."""
    if method or "." not in name:
        if hasattr(Track, name.split(".")[-1]) or hasattr(patterns.Pattern, name.split(".")[-1]):
            return True
    if method:
        return False
    head, *rest = name.split(".")
    if head in namespace:
        obj: object = namespace[head]
    elif hasattr(builtins, head):
        obj = getattr(builtins, head)
    else:
        return False
    for part in rest:
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def test_every_call_a_message_names_can_be_typed() -> None:
    session = Session(clock=ManualClock())
    try:
        namespace = session.namespace
        untypeable = [f"{path.relative_to(LIVECODE.parent)}:{line}: {match.group(0)} in {text!r}"
                      for path in sorted(LIVECODE.rglob("*.py"))
                      for line, text in message_strings(path)
                      for match in CALL.finditer(text)
                      if not typeable(match.group(2), bool(match.group(1)), namespace)]
    finally:
        session.close()
    assert untypeable == []


def test_reconnect_audio_is_a_prelude_name() -> None:
    with Session.create(audio="none") as session:
        assert callable(session.namespace["reconnect_audio"])
        result = session.evaluate("reconnect_audio()")           # MIDI only, nothing lost: nothing to do
        assert result.ok, result.error
    manual = Session.create(audio="manual")
    try:
        result = manual.evaluate("reconnect_audio()")
        assert result.error == "SessionError: reconnect_audio: nothing to reconnect with audio='manual'"
    finally:
        manual.close()


def test_the_engine_lost_message_names_reconnect_audio() -> None:
    from livecode.outputs import Outputs

    out = Outputs(engine=None)
    out.engine_failed(ConnectionError("JACK server gone"))
    (message,) = out.drain()
    assert "reconnect_audio()" in message
    with Session.create(audio="none") as session:
        hint = re.search(r"(\w+\(\))", message.split(";")[-1])
        assert hint is not None and hint.group(1) in ("reconnect_audio()",)
        assert session.evaluate(hint.group(1)).ok               # typed as the message says: no NameError
