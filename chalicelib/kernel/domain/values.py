"""Immutable values: frozen dataclasses whose comparison methods are shared, not generated.

`@dataclass(frozen=True)` writes and compiles six methods per class (`__init__`, `__eq__`,
`__hash__`, `__repr__`, `__setattr__`, `__delattr__`) and computes a signature for a class
without a docstring: over the domain's hundred classes, a large share of a cold start's
`import app`. `@value` is a frozen dataclass whose `__eq__`, `__hash__` and `__repr__` are the
same three functions for every class, behaving as the generated ones do (equal when of the
same class with equal fields, hashed by the fields). `__init__` and the immutability stay
generated: they run each time a value is made, and the availability search makes thousands
(a shared `__setattr__` in Python made it half as slow again). The type checker sees a frozen
dataclass (`dataclass_transform`). Methods a class defines itself are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


def _values(obj: Any) -> tuple[Any, ...]:
    return tuple(getattr(obj, f.name) for f in fields(obj) if f.compare)


def _eq(self: Any, other: object) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    same: bool = _values(self) == _values(other)
    return same


def _hash(self: Any) -> int:
    return hash(_values(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({shown})"


_SHARED = {
    "__eq__": _eq,
    "__hash__": _hash,
    "__repr__": _repr,
}


def _make(cls: type[T], kw_only: bool) -> type[T]:
    if not cls.__doc__:  # else dataclass computes a signature to write one
        cls.__doc__ = cls.__name__
    own = {name for name in _SHARED if name in cls.__dict__}
    made = dataclass(frozen=True, eq=False, repr=False, kw_only=kw_only)(cls)
    for name, method in _SHARED.items():
        if name not in own:
            setattr(made, name, method)
    return made


@overload
def value(cls: type[T], /) -> type[T]: ...


@overload
def value(*, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def value(cls: type[T] | None = None, /, *, kw_only: bool = False) -> Any:
    """`@value` or `@value(kw_only=True)` on a class: a frozen dataclass, made cheaply."""
    if cls is None:
        return lambda c: _make(c, kw_only)
    return _make(cls, kw_only)
