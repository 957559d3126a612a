"""A JACK server that dies mid-set: reported, the session keeps its state, and reconnects."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import jack
import numpy as np
import pytest

from jackserver import JackServer
from livecode.session import Session
from synths.testvoices import resolve_test_voice

__all__: list[str] = []

pytestmark = pytest.mark.jack


@pytest.fixture()
def own_jack_env() -> Iterator[None]:
    saved = os.environ.get("JACK_DEFAULT_SERVER")
    yield
    if saved is None:
        os.environ.pop("JACK_DEFAULT_SERVER", None)
    else:
        os.environ["JACK_DEFAULT_SERVER"] = saved


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_jack_dies_is_reported_state_kept_and_reconnect_plays(own_jack_env: None, tmp_path: Path,
                                                              capfd: pytest.CaptureFixture[str]) -> None:
    first = JackServer(rate=48000, period=256).start()
    os.environ["JACK_DEFAULT_SERVER"] = first.name
    session = Session.create(audio="jack", bpm=240, engine_options={"resolver": resolve_test_voice,
                                                                    "jackname": "lc-l1-re"})
    second: JackServer | None = None
    try:
        assert session.evaluate('d1 >> s("click*4").gain(0.5)\nd3 >> s("click").gain(0)').ok
        assert session.evaluate('d3.fx("lpf", cutoff=5000)').ok
        session.start()
        assert wait_for(lambda: session.status().cycle > 0.5)
        first.stop()
        assert wait_for(lambda: session.status().engine_error is not None)
        messages = session.messages()
        assert sum("audio engine" in m for m in messages) == 1        # reported once
        assert session.evaluate('d2 >> s("click").gain(0)').ok         # the session goes on
        assert [fx.kind for fx in session.tracks["d3"].effects] == ["lpf"]
        assert "d2" in [t.name for t in session.status().tracks]

        second = JackServer(rate=48000, period=256).start()
        os.environ["JACK_DEFAULT_SERVER"] = second.name
        session.engine_log = tmp_path / "engine.log"
        capfd.readouterr()
        session.reconnect_audio()
        printed = capfd.readouterr()
        assert (tmp_path / "engine.log").stat().st_size > 0                # the new engine's boot output
        assert "ALSA" not in printed.out + printed.err                      # ... not on the terminal
        assert session.status().engine_error is None
        session.outputs.send_param("master", "mix", 0.0, None)          # neutral master: exact silences
        client = jack.Client("lc-l1-recap", servername=second.name, no_start_server=True)
        port = client.inports.register("in_1")
        chunks: list[np.ndarray] = []
        client.set_process_callback(lambda frames: chunks.append(port.get_array().copy()))
        client.activate()
        client.connect(client.get_ports("lc-l1-re:", is_output=True, is_audio=True)[0], port)
        start = session.status().cycle
        assert wait_for(lambda: session.status().cycle > start + 2.2)
        client.deactivate()
        client.close()
    finally:
        session.close()
        if second is not None:
            second.stop()
        first.stop()
    audio = np.abs(np.concatenate(chunks))
    sounding = np.nonzero(audio > 0.0)[0]          # a click is silent between its notes
    onsets = [int(i) for k, i in enumerate(sounding) if k == 0 or i - sounding[k - 1] > 1000]
    assert len(onsets) >= 8
    gaps = {b - a for a, b in zip(onsets, onsets[1:])}
    assert gaps == {12000}              # clicks a quarter cycle apart to the sample: no drift after a reconnect
