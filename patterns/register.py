"""`register`: make a transformation both a `Pattern` method and a module-level function.

A registered function takes its arguments first and the pattern last (Strudel's order):
`fast(2, pat)` is `pat.fast(2)`. Arguments are patterned: numbers, mini-notation strings and
Patterns all work, and are joined the way Strudel joins them (inner join by default:
`fast("1 2")` plays the first half at speed 1 and the second at speed 2, without restarting
time). Called with every argument but the pattern, it returns a function of the pattern, so
`every(3, fast(2))` works. Callables (function arguments such as `rev`) pass through as they
are.

>>> from patterns.pattern import pure
>>> def double(factor, pat):
...     return pat.fmap(lambda v: v * factor)
>>> times = register("times_example", double)
>>> times(3, pure(2)).first_cycle()[0].value, pure(2).times_example(4).first_cycle()[0].value
(6, 8)
>>> times(3)(pure(1)).first_cycle()[0].value
3
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any, Literal

from patterns.errors import LivecodeError, PatternArgumentError, PatternError
from patterns.pattern import Pattern, is_pure, reify

__all__ = [
    "register",
    "Registered",
    "BoundOp",
    "Curried",
    "patternify_args",
    "registry",
    "as_pattern",
]

Join = Literal["inner", "outer", "squeeze", "both"]

registry: dict[str, Registered] = {}
"""Every registered transformation by name (variants as "add.out")."""

_PATTERNABLE = (Pattern, str, int, float, Fraction, bool, dict, type(None))
_FUNCTION_PARAMS = frozenset(("func", "funcs", "test"))


class Curried:
    """A registered function given every argument but the pattern; call it with a pattern.

    >>> from patterns.pattern import pure
    >>> c = Curried("example", lambda pat: pat, (1,))
    >>> c(pure(1)).first_cycle()[0].value
    1
    """

    __slots__ = ("name", "func", "args")

    def __init__(self, name: str, func: Callable[[Any], Pattern], args: tuple[Any, ...]) -> None:
        self.name = name
        self.func = func
        self.args = args

    def __call__(self, pat: Any) -> Pattern:
        return self.func(pat)

    def __repr__(self) -> str:
        shown = ", ".join(repr(a) for a in self.args)
        return f"{self.name}({shown})"


class Registered:
    """A registered transformation: callable as a function, a method (descriptor) on Pattern.

    `variants` holds named variants reachable as attributes (`add.out`).

    >>> from patterns.pattern import pure
    >>> reg = Registered("plus_example", lambda n, pat: pat.fmap(lambda v: v + n))
    >>> reg(1, pure(1)).first_cycle()[0].value
    2
    """

    def __init__(
        self,
        name: str,
        func: Callable[..., Pattern],
        *,
        patternify: bool = True,
        join: Join = "inner",
        plain: tuple[int, ...] = (),
        variadic: bool = False,
        doc: str | None = None,
    ) -> None:
        self.name = name
        self.func = func
        self.patternify = patternify
        self.join = join
        self.plain = plain
        self.variants: dict[str, Registered] = {}
        params = list(inspect.signature(func).parameters.values())
        self.variadic = variadic
        positional = [
            p
            for p in params
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        self.arity = len(positional)
        names = [p.name for p in positional]
        # parameters named func/test (funcs for variadic ones) must be callables
        self.callables = tuple(i for i, n in enumerate(names[:-1]) if n in _FUNCTION_PARAMS)
        if variadic and names:
            names[0] = f"*{names[0]}"
        self.signature = f"{name}({', '.join(names)})"
        self.__doc__ = doc if doc is not None else func.__doc__
        self.__name__ = name
        self.__wrapped__ = func

    def __repr__(self) -> str:
        return f"<transformation {self.signature}>"

    def __getattr__(self, attr: str) -> Registered:
        variants = self.__dict__.get("variants", {})
        if attr in variants:
            return variants[attr]
        raise AttributeError(f"{self.__dict__.get('name', '?')} has no variant {attr!r}")

    def __get__(self, instance: Pattern | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return BoundOp(self, instance)

    def add_variant(self, variant: str, other: Registered) -> None:
        """Make `other` reachable as `self.<variant>` (and `pat.<name>.<variant>(...)`).

        >>> a = Registered("a_example", lambda pat: pat)
        >>> a.add_variant("out", Registered("a_example.out", lambda pat: pat))
        >>> a.out.name
        'a_example.out'
        """
        self.variants[variant] = other

    # -------------------------------------------------------------- calling

    def __call__(self, *args: Any) -> Any:
        if self.variadic:
            return self._call_variadic(args)
        count = len(args)
        if count == self.arity - 1:
            return self._curry(args)
        if count != self.arity:
            raise PatternArgumentError(
                f"{self.signature}: expected {self.arity} argument{'s' if self.arity != 1 else ''}"
                f" (or {self.arity - 1} to get a function of the pattern), got {count}"
            )
        return self.apply(args[:-1], self._reify_target(args[-1]))

    def call_method(self, pat: Pattern, args: tuple[Any, ...]) -> Pattern:
        """Apply as a method of `pat`: `pat.name(*args)`.

        >>> from patterns.pattern import pure
        >>> Registered("id_example", lambda pat: pat).call_method(pure(1), ()).first_cycle()[0].value
        1
        """
        if not self.variadic and len(args) != self.arity - 1:
            expected = self.arity - 1
            raise PatternArgumentError(
                f"{self.signature}: expected {expected} argument{'s' if expected != 1 else ''}"
                f" after the pattern, got {len(args)}"
            )
        return self.apply(args, pat)

    def _call_variadic(self, args: tuple[Any, ...]) -> Any:
        last = args[-1] if args else None
        if not args or (callable(last) and not isinstance(last, Pattern)):
            return self._curry(args)
        return self.apply(args[:-1], self._reify_target(last))

    def _curry(self, args: tuple[Any, ...]) -> Curried:
        return Curried(self.name, lambda pat: self.apply(args, self._reify_target(pat)), args)

    def _reify_target(self, pat: Any) -> Pattern:
        if isinstance(pat, Pattern):
            return pat
        if isinstance(pat, _PATTERNABLE):
            return reify(pat)
        raise PatternArgumentError(
            f"{self.signature}: the pattern argument must be a Pattern, a number or a "
            f"mini-notation string, got {type(pat).__name__}"
        )

    def apply(self, args: tuple[Any, ...] | list[Any], pat: Pattern) -> Pattern:
        """Apply to `pat` with the (unreified) arguments `args`.

        >>> from patterns.pattern import pure
        >>> const = Registered("k_example", lambda n, pat: pat.fmap(lambda v: n))
        >>> const.apply((5,), pure(1)).first_cycle()[0].value
        5
        """
        self._check_callables(args)
        if self.variadic:
            return self.func(list(args), pat)
        if not self.patternify:
            return self.func(*args, pat)
        fixed = self.arity - 1
        values: list[Any] = []
        patterned: list[tuple[int, Pattern]] = []
        for index, arg in enumerate(args):
            is_function = callable(arg) and not isinstance(arg, Pattern)
            if index in self.plain or index >= fixed or is_function:
                values.append(arg)
                continue
            argpat = self._reify_arg(arg, index)
            if is_pure(argpat):
                values.append(argpat.pure_value)
            else:
                values.append(None)
                patterned.append((index, argpat))
        if not patterned:
            return _checked(self.signature, self.func, values, pat)
        return patternify_args(
            lambda *full: _checked(self.signature, self.func, full[:-1], full[-1]),
            values,
            patterned,
            pat,
            self.join,
        )

    def _check_callables(self, args: tuple[Any, ...] | list[Any]) -> None:
        positions: Sequence[int]
        if self.variadic:
            positions = range(len(args)) if 0 in self.callables else ()
        else:
            positions = self.callables
        for index in positions:
            arg = args[index] if index < len(args) else None
            if index < len(args) and (not callable(arg) or isinstance(arg, Pattern)):
                raise PatternArgumentError(
                    f"{self.signature}: argument {index + 1} must be a function of a pattern"
                    f" (like rev or fast(2)), got {args[index]!r}"
                )

    def _reify_arg(self, arg: Any, index: int) -> Pattern:
        if not isinstance(arg, _PATTERNABLE) and not isinstance(arg, list):
            raise PatternArgumentError(
                f"{self.signature}: argument {index + 1} must be a number, a mini-notation string"
                f" or a Pattern, got {type(arg).__name__}"
            )
        return reify(arg)


def as_pattern(value: Any, where: str) -> Pattern:
    """`reify` for an argument that must be pattern-like (Pattern, str, number, bool, dict).

    >>> as_pattern("1 0", "struct(bools, pat)").first_cycle()[0].value
    1
    >>> as_pattern(object(), "struct(bools, pat)")
    Traceback (most recent call last):
    ...
    patterns.errors.PatternArgumentError: struct(bools, pat): expected a Pattern, a number or a mini-notation string, got object
    """
    if isinstance(value, _PATTERNABLE):
        return reify(value)
    raise PatternArgumentError(
        f"{where}: expected a Pattern, a number or a mini-notation string,"
        f" got {type(value).__name__}"
    )


def _checked(signature: str, func: Callable[..., Pattern], args: Any, pat: Pattern) -> Pattern:
    """Call `func`; an argument it cannot use becomes a PatternArgumentError naming `signature`."""
    try:
        return func(*args, pat)
    except PatternArgumentError as err:
        if str(err).startswith(signature):
            raise
        raise PatternArgumentError(f"{signature}: {err}") from err
    except LivecodeError:
        raise
    except (ValueError, TypeError, ArithmeticError) as err:
        raise PatternArgumentError(
            f"{signature}: cannot use the arguments {list(args)!r}: {err}"
        ) from err


class BoundOp:
    """A registered transformation bound to a pattern: `pat.fast` (call it with the arguments).

    >>> from patterns.pattern import pure
    >>> bound = BoundOp(Registered("id2_example", lambda pat: pat), pure(1))
    >>> bound().first_cycle()[0].value
    1
    """

    __slots__ = ("op", "pattern")

    def __init__(self, op: Registered, pattern: Pattern) -> None:
        self.op = op
        self.pattern = pattern

    def __call__(self, *args: Any) -> Pattern:
        return self.op.call_method(self.pattern, args)

    def __getattr__(self, attr: str) -> BoundOp:
        return BoundOp(getattr(self.op, attr), self.pattern)

    def __repr__(self) -> str:
        return f"<{self.op.signature} bound to {self.pattern!r}>"


def patternify_args(
    func: Callable[..., Pattern],
    values: list[Any],
    patterned: list[tuple[int, Pattern]],
    pat: Pattern,
    join: Join = "inner",
) -> Pattern:
    """Combine patterned arguments (structure from the first), apply `func` and join.

    `values` holds the constant arguments (with placeholders at the patterned indices).
    Results are cached per argument tuple so a query does not rebuild patterns.

    >>> from patterns.constructors import sequence
    >>> from patterns.pattern import pure
    >>> p = patternify_args(lambda n, pat: pat.fmap(lambda v: v * n), [None], [(0, sequence(1, 2))], pure(3))
    >>> [e.value for e in p.first_cycle()]
    [3, 6]
    """
    first_index, first = patterned[0]
    combined = first.fmap(lambda v: (v,))
    for _, other in patterned[1:]:
        combined = combined.fmap(lambda acc: lambda v: acc + (v,)).app_left(other)
    indices = [index for index, _ in patterned]
    cache: dict[Any, Pattern] = {}

    def build(arg_values: tuple[Any, ...]) -> Pattern:
        try:
            return cache[arg_values]
        except KeyError:
            pass
        except TypeError:  # unhashable argument values: no caching
            return _call(arg_values)
        result = _call(arg_values)
        if len(cache) < 256:
            cache[arg_values] = result
        return result

    def _call(arg_values: tuple[Any, ...]) -> Pattern:
        full = list(values)
        for index, value in zip(indices, arg_values):
            full[index] = value
        return reify(func(*full, pat))

    mapped = combined.fmap(build)
    if join == "outer":
        return mapped.outer_join()
    if join == "squeeze":
        return mapped.squeeze_join()
    if join == "both":
        return mapped.join()
    return mapped.inner_join()


def register(
    name: str | list[str],
    func: Callable[..., Pattern],
    *,
    patternify: bool = True,
    join: Join = "inner",
    plain: tuple[int, ...] = (),
    variadic: bool = False,
    method: bool = True,
) -> Registered:
    """Register `func(arg1, ..., pat)` under `name` (or several alias names).

    - `patternify`: reify the arguments and join (else `func` gets them as given).
    - `join`: how patterned arguments are joined ("inner", "outer", "squeeze", "both").
    - `plain`: indices of arguments passed through unpatterned (lists, names).
    - `variadic`: `func(items, pat)` takes any number of leading arguments as a list
      (`superimpose(f, g, pat)`); called with only callables it returns a function.
    - `method`: also attach as a `Pattern` method.

    A dotted name ("add.out") registers a variant reachable from the base name.

    >>> from patterns.pattern import pure
    >>> neg = register("neg_example", lambda pat: pat.fmap(lambda v: -v))
    >>> pure(2).neg_example().first_cycle()[0].value
    -2
    """
    names = [name] if isinstance(name, str) else list(name)
    reg = Registered(
        names[0], func, patternify=patternify, join=join, plain=plain, variadic=variadic
    )
    for alias in names:
        existing = Pattern.__dict__.get(alias)
        if method and existing is not None and not isinstance(existing, Registered):
            raise PatternError(
                f"register: {alias!r} is a core Pattern attribute and cannot be a transformation"
            )
    for alias in names:
        registry[alias] = reg
        if "." in alias:
            base, variant = alias.split(".", 1)
            if base in registry:
                registry[base].add_variant(variant, reg)
            continue
        if method:
            setattr(Pattern, alias, reg)
    return reg
