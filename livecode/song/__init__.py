"""Song form: sections, the form, live navigation, the status line, render helpers and `keep()`.

* `section.py`: a section (patterns per track, tempo, key, mutes, others, restart/align);
* `form.py`: the form (parts in bars, repeats, what happens at the end);
* `conductor.py`: plays the form, arming each section for every track on one boundary
  (a scheduler follower), and navigation (`goto`, `loop`, `next`) and the status line;
* `keep.py`: `keep()`, the moment as a set file;
* `functions.py`: the prelude's names;
* `render.py`: `livecode render --song` / `--from`.

>>> from livecode.song import Part
>>> Part("verse", 16).bars
16
"""

from livecode.song.conductor import Conductor, Entry, Jump
from livecode.song.form import Form, Part, parse_form
from livecode.song.section import Section, make_section

__all__ = ["Conductor", "Entry", "Jump", "Form", "Part", "parse_form", "Section", "make_section"]
