"""show(): drum grids and piano rolls of real patterns, sized to the width."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest

from livecode.show import ShowError, choose_steps, grid, show
from patterns.controls import note, s


def test_drum_grid_rows_are_sounds_and_columns_are_steps() -> None:
    text = str(grid(s("bd*4, ~ sd, hh*8"), cycles=2, width=80))
    assert text.splitlines() == [
        "bd |█·█·█·█·|█·█·█·█·|",
        "hh |████████|████████|",
        "sd |····█···|····█···|",
    ]


def test_quieter_hits_use_lighter_blocks_and_sample_numbers_get_rows() -> None:
    text = str(grid(s("hh*4").gain("1 0.5 0.2 1"), cycles=1, width=40))
    assert text == "hh |█▓▒█|"
    rows = str(grid(s("bd:3 bd sd:1 ~"), cycles=1, width=40)).splitlines()
    assert [row.split("|")[0].strip() for row in rows] == ["bd", "bd:3", "sd:1"]


def test_piano_roll_holds_notes_for_their_length() -> None:
    lines = str(grid(note("c4 ~ [e4 g4] ~").legato(2), cycles=1, width=60)).splitlines()
    assert lines[0] == " G4 |·····█═·|"
    assert lines[3] == " E4 |····█═··|"
    assert lines[-1] == " C4 |█═══····|"
    assert len(lines) == 8                      # G4 down to C4, every semitone


def test_width_caps_the_steps() -> None:
    text = str(grid(s("hh*32"), cycles=2, width=40))
    cells = text.split("|")[1]
    assert len(cells) <= 16 and len(text.splitlines()[0]) <= 40
    assert choose_steps([Fraction(1, 3), Fraction(1, 4)], 64) == 12


def test_show_prints_and_tracks_and_strings_work() -> None:
    out = io.StringIO()
    show("bd sd", cycles=1, file=out)
    assert out.getvalue() == "bd |█·|\nsd |·█|\n"
    assert str(grid(s("~"), cycles=1)) == "(no onsets in 1 cycle)"
    with pytest.raises(ShowError, match="cycles must be an integer"):
        grid(s("bd"), cycles=0)
    with pytest.raises(ShowError, match="expected a pattern"):
        grid(3.5)


def test_a_stack_of_drums_and_notes_shows_both_aligned() -> None:
    from patterns import stack

    view = grid(stack(s("bd*4"), note("c4 e4")), cycles=1, width=40)
    assert view.kind == "mixed"
    assert str(view).splitlines() == [" bd |████|", " E4 |··█═|", "Eb4 |····|", " D4 |····|", "Db4 |····|", " C4 |█═··|"]
