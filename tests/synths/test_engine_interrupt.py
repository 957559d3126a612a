"""Ctrl-C while a manual-mode engine computes blocks: pyo would print and swallow the
KeyboardInterrupt raised in its callback; the engine raises it again once the block is done."""

from __future__ import annotations

from pathlib import Path

import pytest

from synths.engine import Engine
from synths.testvoices import resolve_test_voice


def test_a_keyboard_interrupt_in_the_callback_reaches_the_caller(tmp_path: Path, capfd: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with Engine("manual", resolver=resolve_test_voice) as engine:
        engine.process_blocks(2)
        real = engine._on_block
        calls = []

        def on_block() -> None:
            calls.append(1)
            if len(calls) == 3:
                raise KeyboardInterrupt          # as the signal handler would, at any bytecode
            real()

        monkeypatch.setattr(engine, "_on_block", on_block)
        with pytest.raises(KeyboardInterrupt):
            engine.process_blocks(10)
        assert len(calls) == 3                   # it stopped after the block it came in
        engine.process_blocks(2)                 # and the engine still works
        assert len(calls) == 5
    assert "Traceback" not in capfd.readouterr().err
