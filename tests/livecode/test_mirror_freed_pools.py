"""A pattern going live gets its voice pools back when the engine freed them (`free_idle`): the
evaluation builds them, not the first note, whose lookahead a pool build (25-50 ms live) and the
builds queued before it would eat (the performer simulator had late notes from exactly that)."""

from __future__ import annotations

from livecode.session import Session


def test_a_pattern_typed_again_after_its_pools_were_freed_gets_them_at_evaluation() -> None:
    session = Session.create(audio="manual", engine_options={"free_idle": True})
    try:
        engine = session.manual_engine
        session.start()
        assert session.evaluate('d1 >> s("bd*4").bank("808")\nd2 >> s("hh*8").bank("808")').ok
        session.run_blocks(400)
        assert engine.stats()["pools"] == 2
        session.hush()
        session.run_blocks(400)
        assert engine.stats()["pools"] == 0                   # freed once their voices slept
        assert session.evaluate('d1 >> s("bd*4").bank("808")').ok
        assert engine.stats()["pools"] == 1                   # built by the evaluation, before any note
        session.run_blocks(400)
        assert engine.stats()["late"] == 0
        assert engine.stats()["played"] > 0
    finally:
        session.close()
