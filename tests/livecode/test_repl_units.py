"""REPL building blocks: block completeness, indentation, completion, status bar, result text."""

from __future__ import annotations

from types import SimpleNamespace as NS

from prompt_toolkit.completion import Completer
from prompt_toolkit.document import Document
from prompt_toolkit.input.ansi_escape_sequences import ANSI_SEQUENCES

from livecode.repl.results import format_result
from livecode.repl.completer import LivecodeCompleter, SafeCompleter, Vocabulary, load_vocabulary, string_context
from livecode.repl.history import history_path
from livecode.repl.keys import CTRL_DOT_KEY, is_complete, next_indent, register_ctrl_dot_sequences
from livecode.repl.statusbar import StatusPoller, plain_status, render_status


def texts(completer: Completer, text: str) -> list[str]:
    return [c.text for c in completer.get_completions(Document(text), None)]


def test_blocks_evaluate_when_complete() -> None:
    assert is_complete('d1 >> s("bd*4")')
    assert is_complete('d1 >> s("bd [")')           # a mini-notation error is complete: show it
    assert is_complete("1 +")                         # a syntax error is complete too
    assert not is_complete("d1 >> s(")
    assert not is_complete("def f():")
    assert not is_complete("x = [1,\n")               # open bracket, blank line: still open
    assert is_complete("for i in range(3):\n    print(i)\n")
    assert next_indent("def f():") == "    "


def test_ctrl_dot_sequences_map_to_the_hush_key() -> None:
    register_ctrl_dot_sequences()
    assert ANSI_SEQUENCES["\x1b[46;5u"] == CTRL_DOT_KEY
    assert ANSI_SEQUENCES["\x1b[27;5;46~"] == CTRL_DOT_KEY


def test_completion_of_names_methods_and_strings() -> None:
    vocab = Vocabulary(
        instruments=("bd", "bass808", "supersaw"), effects=("reverb", "lpf"),
        scales=("minor", "major", "minor:pentatonic"), chords=("m7", "maj7"), methods=("fast", "fade_in"),
    )
    ns = {"hush": print, "hurry": print, "_secret": 1, "d1": NS(mute=print, muted=False)}
    comp = LivecodeCompleter(ns, vocab)
    assert texts(comp, "hu") == ["hurry", "hush"]
    assert "_secret" not in texts(comp, "_s")
    assert texts(comp, "d1.mu") == ["mute", "muted"]                # a name in the namespace
    assert texts(comp, 'note("c e").fa') == ["fade_in", "fast"]     # an expression: pattern methods
    assert texts(comp, 'd1 >> s("bd*2 [~ su') == ["supersaw"]
    assert texts(comp, 'd1.fx("re') == ["reverb"]
    assert texts(comp, 'scale("C:mi') == ["minor", "minor:pentatonic"]
    assert texts(comp, 'chord("Ebma') == ["maj7"]
    assert string_context('x = "plain') is None


def test_real_vocabulary_has_effects_scales_and_chords() -> None:
    vocab = load_vocabulary({})
    assert {"reverb", "delay"} <= set(vocab.effects)
    assert {"minor", "major"} <= set(vocab.scales)
    assert "m7" in vocab.chords
    assert {"fast", "slow"} <= set(vocab.methods)


def test_a_crashing_completer_yields_nothing() -> None:
    class Exploding(Completer):
        def get_completions(self, document, complete_event):  # type: ignore[no-untyped-def]
            yield from ()
            raise ZeroDivisionError("bad")

    safe = SafeCompleter(Exploding())
    assert texts(safe, "x") == []
    assert safe.last_error == "ZeroDivisionError: bad"


def test_status_bar_text() -> None:
    st = NS(cycle=9.25, bar=10, beat=2, bpm=124.0, cpu=0.31, xruns=2, late=5, peak_db=-0.4, lufs_s=-9.0,
            tracks=[("d1", False, False, True, None), ("d2", True, False, False, None),
                    NS(name="bass", muted=False, soloed=True, active=True, error=None),
                    ("d4", False, False, False, "ZeroDivisionError")])
    text = plain_status(st)
    assert text.startswith("10:2  124 BPM")
    assert "d1● d2M bassS d4!" in text
    assert "cpu 31%" in text and "late 5" in text and "xruns 2" in text and "LUFS -9.0" in text
    styles = dict((t, s) for s, t, *_ in render_status(st))
    assert styles["late 5"] == "class:status.warn"
    assert len(plain_status(st, width=20)) <= 20
    assert "-" in plain_status(NS(bar=None, beat=None, bpm=float("nan"), tracks=[]))


def test_status_bar_shows_the_tempo_source_when_synced() -> None:
    st = NS(bar=2, beat=1, bpm=128.0, tracks=[("d1", False, False, True, None)], cpu=0.1,
            peak_db=-6.0, lufs_s=-14.0, late=0, xruns=0, sync="link 2 peers, clock out")
    assert plain_status(st).startswith(" 2:1  128 BPM [link 2 peers, clock out]  d1●")
    st.sync = ""
    assert "[" not in plain_status(st)


def test_status_bar_folds_idle_tracks_when_narrow() -> None:
    tracks = [(f"d{i}", i == 3, False, i in (1, 2, 5), None) for i in range(1, 17)]
    st = NS(bar=4, beat=4, bpm=120, tracks=tracks, cpu=0.28, peak_db=-18.8, lufs_s=-20.1, late=0, xruns=0)
    narrow = plain_status(st, 100)
    assert "d1● d2● d3M d5● +12" in narrow and narrow.endswith("xruns 0") and len(narrow) <= 100
    assert "d16○" in plain_status(st, 200)


def test_status_poller_keeps_last_snapshot_on_error() -> None:
    calls = iter([1, RuntimeError("gone")])

    def fetch() -> int:
        item = next(calls)
        if isinstance(item, Exception):
            raise item
        return item

    poller = StatusPoller(fetch)
    assert poller.poll_once() == 1
    assert poller.poll_once() == 1
    assert poller.last_error == "status: RuntimeError: gone"


def test_result_formatting() -> None:
    ok = NS(ok=True, value_repr="Pattern(...)", error=None, warnings=["d1: about 1000000 events per cycle"])
    assert [t for _, t in format_result(ok)] == ["warning: d1: about 1000000 events per cycle\n", "Pattern(...)\n"]
    bad = NS(ok=False, value_repr=None, error="mini-notation: unclosed '[' at column 4 in 'bd ['", warnings=[])
    assert [t for _, t in format_result(bad)] == [
        "error: mini-notation: unclosed '[' at column 4 in 'bd ['\n",
        "    bd [\n",
        "       ^\n",
    ]
    plain = NS(ok=False, value_repr=None, error="NameError: name 'x' is not defined", warnings=[])
    assert len(format_result(plain)) == 1


def test_history_path_follows_xdg() -> None:
    assert history_path({"XDG_STATE_HOME": "/x"}).as_posix() == "/x/livecode/history"


def test_completion_against_the_real_prelude() -> None:
    from livecode.session import Session

    session = Session.create(audio="none")
    try:
        comp = SafeCompleter(LivecodeCompleter(session.namespace))
        assert {"stack", "struct"} <= set(texts(comp, "st"))
        assert "hush" in texts(comp, "hu")
        assert "every" in texts(comp, 's("bd").ev') and "fast" in texts(comp, 's("bd").fa')
        assert "fade_out" in texts(comp, "d1.fade")
        assert "supersaw" in texts(comp, 'd3 >> note("c").s("supe')
        assert "reverb" in texts(comp, 'd3.fx("rev')
        assert texts(comp, 's("bd").bank("9') == ["909"]
        assert "minor:pentatonic" in texts(comp, 'n("0 2").scale("C:mino')
        assert comp.last_error is None
    finally:
        session.close()


def test_engine_errors_show_in_the_toolbar() -> None:
    from livecode.repl.app import Repl

    repl = Repl(NS(namespace={}, status=lambda: None), serve=False)
    repl.poller.latest = NS(bar=2, beat=1, bpm=120, tracks=[], engine_error="JACK server went away")
    assert "engine: JACK server went away" in "".join(t for _, t, *_ in repl._toolbar())
