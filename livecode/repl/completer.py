"""Completion of prelude names, methods after a dot, and names inside strings.

Inside a string the completer looks at the call the string belongs to: `s("…")` and `.s("…")`
offer instruments, `.fx("…")` effect kinds, `scale("C:…")` scale names, `chord("C…")` chord
types. The vocabulary comes from the running session's namespace and, lazily, from
`synths`/`patterns` registries when they exist. `SafeCompleter` wraps any completer so that
an exception inside it yields no completions instead of killing the REPL.

>>> from prompt_toolkit.document import Document
>>> comp = LivecodeCompleter({"hush": print, "hurry": print}, Vocabulary(instruments=("bd", "bass808")))
>>> [c.text for c in comp.get_completions(Document("hu"), None)]
['hurry', 'hush']
>>> [c.text for c in comp.get_completions(Document('s("ba'), None)]
['bass808']
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import keyword
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

__all__ = ["Vocabulary", "load_vocabulary", "LivecodeCompleter", "SafeCompleter", "string_context"]

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
_DOT_RE = re.compile(r"(?:(?P<chain>[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)|(?P<expr>[)\]\"']))\.(?P<word>\w*)$")
_CALL_STRING_RE = re.compile(r"(?P<dot>\.)?(?P<func>[A-Za-z_]\w*)\(\s*(?P<quote>[\"'])(?P<inside>[^\"']*)$")
_STRING_WORD_RE = re.compile(r"[^\s\[\]<>{}(),|~*/!@?%]*$")
_CHORD_ROOT_RE = re.compile(r"^([A-Ga-g][#b]?)")

_INSTRUMENT_FUNCS = frozenset({"s", "sound"})
_EFFECT_FUNCS = frozenset({"fx"})
_SCALE_FUNCS = frozenset({"scale"})
_CHORD_FUNCS = frozenset({"chord"})
_BANK_FUNCS = frozenset({"bank"})


@dataclass(frozen=True)
class Vocabulary:
    """Names offered inside strings and after dots (every field may be empty).

    >>> Vocabulary(effects=("reverb",)).effects
    ('reverb',)
    """

    instruments: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    scales: tuple[str, ...] = ()
    chords: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    banks: tuple[str, ...] = ()


def _keys_of(module: str, names: Iterable[str]) -> tuple[str, ...]:
    """Sorted keys of the first mapping/sequence attribute found in `module` (empty if none)."""
    try:
        mod = importlib.import_module(module)
    except Exception:  # a registry that fails to import just offers nothing
        return ()
    found: set[str] = set()
    for name in names:
        value = getattr(mod, name, None)
        if isinstance(value, Mapping):
            found.update(str(k) for k in value if k)
        elif isinstance(value, (list, tuple, set, frozenset)):
            found.update(str(k) for k in value if k)
    return tuple(sorted(found))


def _public_attrs(cls: object) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


def _methods_from(namespace: Mapping[str, object]) -> tuple[str, ...]:
    """Public attributes of the Pattern class and of the track objects in the namespace."""
    names: set[str] = set()
    for module in ("patterns", "patterns.pattern"):
        try:
            pattern_cls = getattr(importlib.import_module(module), "Pattern", None)
        except Exception:  # patterns not importable: fall back to the namespace only
            continue
        if pattern_cls is not None:
            names |= _public_attrs(pattern_cls)
            break
    for key in ("d1", "track"):
        obj = namespace.get(key)
        if obj is not None and not inspect.isfunction(obj):
            names |= _public_attrs(type(obj))
    return tuple(sorted(names))


def load_vocabulary(namespace: Mapping[str, object]) -> Vocabulary:
    """Collect instruments, effects, scales, chords and methods from the installed packages.

    >>> isinstance(load_vocabulary({}), Vocabulary)
    True
    """
    instruments = _keys_of("synths.instruments", ("INSTRUMENTS", "DRUM_NAMES"))
    effects = _keys_of("synths.effects", ("EFFECTS", "ALIASES"))
    # inside mini-notation a space separates steps: "minor pentatonic" is written minor:pentatonic
    scales = tuple(name.replace(" ", ":") for name in _keys_of("patterns.theory.scales", ("SCALES", "SCALE_ALIASES")))
    chords = _keys_of("patterns.theory.chords", ("CHORDS", "CHORD_ALIASES"))
    banks = _keys_of("synths.instruments", ("DRUM_BANKS",))
    return Vocabulary(instruments, effects, scales, chords, _methods_from(namespace), banks)


def string_context(text_before_cursor: str) -> tuple[str, str] | None:
    """(function name, partial word) when the cursor is inside a string argument of a call.

    >>> string_context('d1 >> s("bd*2 [~ s')
    ('s', 's')
    >>> string_context('d1.fx("rev')
    ('fx', 'rev')
    >>> string_context('x = 1') is None
    True
    """
    match = _CALL_STRING_RE.search(text_before_cursor)
    if match is None:
        return None
    inside = match.group("inside")
    word = _STRING_WORD_RE.search(inside)
    return match.group("func"), word.group(0) if word else ""


def _starting(candidates: Iterable[str], prefix: str, meta: str, replace: int) -> Iterator[Completion]:
    for name in sorted(set(candidates)):
        if name.startswith(prefix) and name != prefix:
            yield Completion(name, start_position=-replace, display_meta=meta)


class LivecodeCompleter(Completer):
    """Completes the live-coding namespace; see the module docstring.

    `namespace` is read at every completion, so names defined during the set show up.
    """

    def __init__(
        self,
        namespace: Mapping[str, object],
        vocabulary: Vocabulary | Callable[[], Vocabulary] | None = None,
    ) -> None:
        self.namespace = namespace
        self._vocab_source = vocabulary
        self._vocab: Vocabulary | None = vocabulary if isinstance(vocabulary, Vocabulary) else None

    @property
    def vocabulary(self) -> Vocabulary:
        """The vocabulary, loaded on first use."""
        if self._vocab is None:
            source = self._vocab_source
            self._vocab = source() if callable(source) else load_vocabulary(self.namespace)
        return self._vocab

    def get_completions(self, document: Document, complete_event: CompleteEvent | None) -> Iterator[Completion]:
        """Completions for the text before the cursor."""
        before = document.text_before_cursor
        in_string = string_context(before)
        if in_string is not None:
            yield from self._string_completions(*in_string)
            return
        dot = _DOT_RE.search(before)
        if dot is not None:
            yield from self._attribute_completions(dot.group("chain"), dot.group("word"))
            return
        name = _NAME_RE.search(before)
        if name is not None:
            yield from self._name_completions(name.group(0))

    def _name_completions(self, prefix: str) -> Iterator[Completion]:
        names = {key for key in list(self.namespace) if not key.startswith("_")}
        yield from _starting(names, prefix, "", len(prefix))
        others = (set(keyword.kwlist) | {n for n in dir(builtins) if not n.startswith("_")}) - names
        yield from _starting(others, prefix, "python", len(prefix))

    def _attribute_completions(self, chain: str | None, prefix: str) -> Iterator[Completion]:
        target = self._resolve(chain) if chain else None
        if target is not None:
            names = _public_attrs(target)
        else:
            names = set(self.vocabulary.methods)
        yield from _starting(names, prefix, "method", len(prefix))

    def _resolve(self, chain: str) -> object | None:
        head, *rest = chain.split(".")
        if head not in self.namespace:
            return None
        obj: object = self.namespace[head]
        for attr in rest:
            try:
                obj = inspect.getattr_static(obj, attr)
            except AttributeError:
                return None
        return obj

    def _string_completions(self, func: str, word: str) -> Iterator[Completion]:
        vocab = self.vocabulary
        if func in _INSTRUMENT_FUNCS:
            yield from _starting(vocab.instruments, word, "instrument", len(word))
        elif func in _BANK_FUNCS:
            yield from _starting(vocab.banks, word, "bank", len(word))
        elif func in _EFFECT_FUNCS:
            yield from _starting(vocab.effects, word, "effect", len(word))
        elif func in _SCALE_FUNCS and ":" in word:
            _root, _, partial = word.partition(":")
            yield from _starting(vocab.scales, partial, "scale", len(partial))
        elif func in _CHORD_FUNCS:
            root = _CHORD_ROOT_RE.match(word)
            if root is not None:
                partial = word[root.end() :]
                yield from _starting(vocab.chords, partial, "chord", len(partial))


class SafeCompleter(Completer):
    """Wraps a completer: any exception ends the completion list quietly (and is remembered).

    >>> class Broken(Completer):
    ...     def get_completions(self, document, complete_event):
    ...         raise RuntimeError("boom")
    >>> safe = SafeCompleter(Broken())
    >>> list(safe.get_completions(Document("x"), None)), safe.last_error
    ([], 'RuntimeError: boom')
    """

    def __init__(self, inner: Completer) -> None:
        self.inner = inner
        self.last_error: str | None = None

    def get_completions(self, document: Document, complete_event: CompleteEvent | None) -> Iterator[Completion]:
        """The inner completions, cut short (never raised) on an error."""
        try:
            yield from self.inner.get_completions(document, complete_event)  # type: ignore[arg-type]
        except Exception as err:  # a completer bug must never kill the REPL loop
            self.last_error = f"{type(err).__name__}: {err}"
