"""A running chain: add, remove, move, replace, replace_all without dropouts or clicks."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_fx_rig import SR, Rig, rig, tone  # noqa: E402

from synths._pyo import pyo  # noqa: E402
from synths.chain import Chain  # noqa: E402
from synths.effects import EffectContext  # noqa: E402
from synths.errors import ParamError  # noqa: E402

__all__ = ["rig"]

CTX = EffectContext(SR, 120.0)


@pytest.fixture(autouse=True)
def _ticked(rig: Rig) -> None:
    """The rig ticks CTX at every block start, as the engine does (deferred re-routes)."""
    rig.attach(CTX)
SLOPE = 2 * np.pi * 220 / SR * 0.5             # largest natural step of the test sine


def _longest_zero_run(signal: np.ndarray) -> int:
    zero = np.abs(signal) < 1e-4
    best = run = 0
    for flag in zero:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best


def _assert_smooth(audio: np.ndarray) -> None:
    assert _longest_zero_run(audio[:, 0]) < 16        # a 220 Hz sine crosses zero, never rests
    assert np.abs(np.diff(audio[:, 0])).max() < SLOPE * 3


def test_edits_in_a_running_chain_never_drop_out(rig: Rig) -> None:
    chain = Chain(tone(220, 0.5), CTX)
    chain.add("lpf", cutoff=8000)
    chain.add("eq", mid=-3)
    chain.add("tremolo", depth=0.2, rate=1)
    rig.process(0.1)
    edits = {
        4: lambda: chain.move("tremolo", 0),
        16: lambda: chain.remove("eq"),
        28: lambda: chain.add("width", index=1, width=0.5),
        40: lambda: chain.replace("lpf", "hpf", cutoff=30),
        52: lambda: chain.move(0, 2),
        64: lambda: chain.replace_all([{"kind": "hpf", "cutoff": 30},
                                       {"kind": "tremolo", "depth": 0.1}]),
    }
    audio = rig.record(chain.out, 1.6, during=lambda _, i: edits[i]() if i in edits else None)
    _assert_smooth(audio)
    assert chain.kinds() == ["hpf", "tremolo"]


def test_replace_all_keeps_matching_effects_and_glides_their_params(rig: Rig) -> None:
    chain = Chain(tone(220, 0.5), CTX)
    chain.replace_all([{"kind": "lpf", "cutoff": 800}, {"kind": "delay", "time": 0.5}])
    lpf, delay = list(chain)
    chain.replace_all([{"kind": "delay", "time": 0.25}, {"kind": "lpf", "cutoff": 900}])
    assert chain[0] is delay and delay.values["time"] == 0.25      # kept, glided
    assert chain[1] is not lpf and chain[1].values["cutoff"] == 900  # out of order: re-created
    rig.process(0.2)
    assert chain.collect() == 0
    chain.clear()
    assert len(chain) == 0


def test_set_by_index_or_kind_and_clear_errors(rig: Rig) -> None:
    chain = Chain(tone(220, 0.5), CTX)
    chain.add("lpf")
    chain.set(0, "cutoff", 500)
    chain.set("lowpass", "resonance", 0.5)
    assert chain[0].values == {"cutoff": 500, "resonance": 0.5, "mix": 1.0}
    with pytest.raises(ParamError, match=r"chain: no effect at index 3 \(chain has 1\)"):
        chain.set(3, "cutoff", 500)
    with pytest.raises(ParamError, match=r"chain: no 'reverb' effect in this chain \(lpf\)"):
        chain.remove("reverb")
    with pytest.raises(ParamError, match="chain spec .* has no 'kind'"):
        chain.replace_all([{"cutoff": 3}])


def test_rebuild_recreates_effects_with_their_values(rig: Rig) -> None:
    chain = Chain(tone(220, 0.5), CTX)
    first = chain.add("delay", time=0.5, feedback=0.2)
    chain.rebuild(tone(330, 0.5))
    assert chain[0] is not first and chain[0].values == first.values
    audio = rig.record(chain.out, 0.2)
    assert np.abs(audio).max() > 0.3


def _cyclic_garbage() -> int:
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        return sum(1 for obj in gc.garbage if type(obj).__name__.endswith("_base"))
    finally:
        gc.garbage.clear()
        gc.set_debug(0)


def test_discarded_chains_leave_no_pyo_reference_cycles(rig: Rig) -> None:
    """Collecting a cycle of pyo objects while pyo runs crashes it: there must be none."""
    gc.collect()
    for settle in (0.0, 0.3):
        chain = Chain(tone(220, 0.5), CTX)
        chain.add("lpf")
        chain.add("eq")
        chain.add("delay")                     # a feedback loop inside the effect
        rig.process(0.1)
        chain.move(1, 0)                       # both faders briefly hold each other's outputs
        chain.remove("lpf")
        rig.process(settle)
        del chain
        assert _cyclic_garbage() == 0


def test_effects_added_or_moved_while_running_are_heard_in_the_same_block(rig: Rig) -> None:
    p = pyo()
    source = tone(220, 0.5)
    chain = Chain(source, CTX, fade=0.01)
    chain.add("tremolo", depth=0.0)
    rig.process(0.05)
    chain.add("width", index=0, width=1.0)        # before an older effect
    chain.add("eq")                               # after it
    chain.move("width", 2)
    rig.process(0.2)
    pair = p.Mix([p.Sig(source[0]), p.Sig(chain.out[0])], voices=2)
    audio = rig.record(pair, 0.05)
    assert np.abs(audio[:, 0] - audio[:, 1]).max() < 1e-3       # one block late would be ~0.5
