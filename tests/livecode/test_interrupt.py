"""StopSignals with real signals sent to this process (pytest runs tests in the main thread)."""

from __future__ import annotations

import os
import signal

import pytest

from livecode.interrupt import StopSignals


def test_the_first_signal_asks_the_second_raises_the_rest_are_ignored() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with StopSignals() as stop:
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop() == signal.SIGTERM                   # asked, nothing raised
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)               # ignored: the clean-up runs to its end
        assert stop() == signal.SIGTERM                   # the first signal decides the exit status
    assert signal.getsignal(signal.SIGTERM) is before


def test_not_graceful_raises_at_the_first_signal() -> None:
    before = signal.getsignal(signal.SIGINT)   # SIG_IGN when the suite runs as a background job
    with StopSignals(graceful=False) as stop:
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
        assert stop() == signal.SIGINT
    assert signal.getsignal(signal.SIGINT) is before
