"""Ableton Link between the session and a second aalink peer, inside a private network namespace.

The body runs in a child process under `unshare -rn` (a user + network namespace holding only
loopback, with a multicast route on it), so Link's multicast never reaches a real network.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

__all__: list[str] = []

ROOT = Path(__file__).resolve().parents[2]


def _peer(bpm: float) -> tuple[object, asyncio.AbstractEventLoop]:
    """A plain aalink.Link in its own asyncio thread (the 'other app')."""
    import aalink

    loop = asyncio.new_event_loop()
    made: list[object] = []
    ready = threading.Event()

    async def create() -> None:
        link = aalink.Link(bpm)
        link.quantum = 4
        link.enabled = True
        made.append(link)
        ready.set()

    threading.Thread(target=loop.run_forever, daemon=True).start()
    asyncio.run_coroutine_threadsafe(create(), loop)
    ready.wait(5)
    return made[0], loop


def _wait(predicate: object, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def _phase_errors(session: object, peer: object, samples: int = 20) -> list[float]:
    """Seconds between the peer's beat and the session's tempo map at the same instants."""
    errors = []
    for _ in range(samples):
        before = time.monotonic()
        beat = float(peer.beat)  # type: ignore[attr-defined]
        mono = (before + time.monotonic()) / 2
        cycle = session.tempo.cycle_at(session.clock.from_monotonic(mono))  # type: ignore[attr-defined]
        diff = (cycle * 4 - beat + 2) % 4 - 2                 # beats, phase within the quantum
        errors.append(diff * 60 / float(peer.tempo))          # type: ignore[attr-defined]
        time.sleep(0.05)
    return errors


def body() -> dict[str, object]:
    """Run in the namespace: tempo both ways and phase agreement; returns the measurements."""
    from livecode.session import Session

    session = Session.create(audio="none", bpm=120)
    peer, loop = _peer(120.0)
    try:
        session.start()
        session.link(True)
        joined = _wait(lambda: peer.num_peers >= 1 and session.syncs.source.peers >= 1)
        peer.tempo = 128.0
        followed = _wait(lambda: abs(session.tempo.bpm - 128.0) < 0.01)
        time.sleep(0.5)
        phase_128 = _phase_errors(session, peer)
        assert session.evaluate("bpm(140)").ok
        pushed = _wait(lambda: abs(float(peer.tempo) - 140.0) < 0.01)
        time.sleep(0.5)
        phase_140 = _phase_errors(session, peer)
        session.link(False)
        left = session.syncs.source is None
    finally:
        session.close()
        loop.call_soon_threadsafe(loop.stop)
    return {"joined": joined, "followed": followed, "pushed": pushed, "left": left,
            "phase": [*phase_128, *phase_140], "bpm": session.tempo.bpm}


@pytest.mark.skipif(shutil.which("unshare") is None or shutil.which("ip") is None,
                    reason="needs unshare and ip (util-linux, iproute2) for a private network namespace")
def test_link_tempo_both_ways_and_beat_phase_within_2_ms() -> None:
    script = ("ip link set lo up && ip route add 224.0.0.0/4 dev lo && "
              f"exec {sys.executable} {Path(__file__).resolve()}")
    done = subprocess.run(["unshare", "-rn", "sh", "-c", script], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["joined"] and result["left"]
    assert result["followed"]                 # a peer's tempo reaches the session
    assert result["pushed"]                   # bpm() reaches the peer
    assert max(abs(e) for e in result["phase"]) < 0.002, result["phase"]


if __name__ == "__main__":
    print(json.dumps(body()))
