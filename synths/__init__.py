"""The audio engine: pyo voices, effects, mixer, sample-accurate event engine and renderer.

`synths` is the only package that imports pyo, and it does so lazily (`synths._pyo.pyo()`):
importing `synths` boots nothing.

>>> import synths
>>> synths.__name__
'synths'
"""

from __future__ import annotations

__all__: list[str] = []
