"""Timing that depends on the block size: synced delay echoes and chain order at 64 and 1024."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_fx_rig import SR, Rig, tone  # noqa: E402

from synths._pyo import pyo  # noqa: E402
from synths.chain import Chain  # noqa: E402
from synths.effects import EffectContext, create  # noqa: E402

__all__ = ["block_rig"]


@pytest.fixture(scope="module", params=[64, 1024], name="block_rig")
def block_rig(request: pytest.FixtureRequest) -> Iterator[Rig]:
    """A manual-mode server at each block size in turn."""
    rig = Rig(block=request.param)
    yield rig
    rig.close()


def test_the_first_echo_lands_on_the_beat(block_rig: Rig) -> None:
    trig = pyo().Trig().stop()
    fx = create("delay", pyo().Mix(trig, voices=2), EffectContext(SR, 120.0),
                time=0.5, feedback=0.5, tone=20000, mix=1.0)
    block_rig.process(0.05)
    audio = block_rig.record(fx.out, 0.4, during=lambda _, i: trig.play() if i == 0 else None)
    beat = int(0.25 * SR)
    assert int(np.argmax(np.abs(audio[: beat + 2000, 0]))) == beat
    fx.close()


def test_an_effect_added_to_a_running_chain_is_heard_in_the_same_block(block_rig: Rig) -> None:
    p = pyo()
    source = tone(220, 0.5)
    chain = Chain(source, block_rig.attach(EffectContext(SR, 120.0)), fade=0.01)
    chain.add("tremolo", depth=0.0)
    block_rig.process(0.05)
    chain.add("width", index=0, width=1.0)
    block_rig.process(0.1)
    pair = p.Mix([p.Sig(source[0]), p.Sig(chain.out[0])], voices=2)
    audio = block_rig.record(pair, 0.05)
    assert np.abs(audio[:, 0] - audio[:, 1]).max() < 1e-3
