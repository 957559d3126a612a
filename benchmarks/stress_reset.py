"""Track resets while a busy set plays on a private JACK server: does the engine process survive?

The finite guard resets a track whose audio went non-finite (`Engine.reset_track`: a fresh strip
and fresh voice pools under the same name, the old ones retired through the reaper). That path
runs rarely in a set, so this drives it hard: eight tracks with effects and a sidechain play, and
every 20-300 ms one track is reset and, now and then, a line is re-typed. On 2026-12-04 the
engine process died in pyo's audio loop after 15-209 resets (9 runs); the causes and the fixes
are in docs/engine.md ("Nothing is freed in the audio thread"). Prints the resets done and
whether the engine survived; exits 1 if it did not.

    .venv/bin/python benchmarks/stress_reset.py --seconds 120 --seed 1
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "tests"))

from jackserver import JackServer  # noqa: E402

LINES = [
    'd1 >> s("bd*4").bank("909")', 'd2 >> s("~ sd ~ sd")', 'd3 >> s("hh*8").jux(rev)',
    'd4 >> note("c2 eb2 g2 bb2").s("acid")', 'd5 >> n("0 2 4 7").scale("A:minor").s("epiano")',
    'd6 >> chord("<Cm7 Ab^7>").voicing().s("pad")', 'd7 >> s("cp(3,8)")', 'd8 >> note("c4 e4 g4").s("pluck")',
    'd2.fx("phaser", mix=0.4)', 'd3.fx("delay", mix=0.3)', 'd4.fx("lpf", cutoff=900)', 'd5.fx("eq", mid=-3)',
    'd6.duck(d1, amount=0.6)', 'd7.fx("distort", drive=0.4)', 'd8.fx("tremolo", depth=0.4)',
    'd2.fx_clear()', 'd3.fx_clear()', 'd4 >> s("lt(3,8)")', 'd5 >> s("mt*8")', 'd7 >> s("rim*4").fast(2)',
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from livecode.session import Session

    rng = random.Random(args.seed)
    with JackServer(period=256) as server:
        os.environ["JACK_DEFAULT_SERVER"] = server.name
        session = Session.create(audio="jack", lookahead=0.1)
        session.start()
        for line in LINES[:8]:
            session.evaluate(line)
        process = session.engine.inner               # the EngineProcess behind the session's lock
        resets, alive, end = 0, True, time.monotonic() + args.seconds
        while alive and time.monotonic() < end:
            if rng.random() < 0.3:
                session.evaluate(rng.choice(LINES))
            name = f"d{rng.randint(1, 8)}"
            with session.engine._lock:                # what the guard's reset does, on demand
                try:
                    process._send("reset_track", name)
                    resets += 1
                except Exception as exc:  # noqa: BLE001 - a lost engine ends the run below
                    print(f"reset {name}: {exc}")
            time.sleep(rng.choice([0.02, 0.05, 0.1, 0.3]))
            alive = isinstance(session.outputs.use_engine("stats", lambda engine: engine.stats()), dict)
        messages = [text for text in session.messages() if "engine" in text]
        session.close()
    print(f"stress_reset seed {args.seed}: {resets} resets in {args.seconds:.0f} s; engine "
          f"{'alive' if alive else 'LOST'} {messages[:2] if not alive else ''}")
    return 0 if alive else 1


if __name__ == "__main__":
    raise SystemExit(main())
