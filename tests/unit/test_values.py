"""`@value` behaves as `@dataclass(frozen=True)` does, with its methods shared."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError, dataclass, field, fields, replace

import pytest

from chalicelib.kernel.domain.values import value


@value
class Money:
    amount: int
    currency: str = "EUR"
    note: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class Reference:
    amount: int
    currency: str = "EUR"
    note: str = field(default="", compare=False, repr=False)


@value(kw_only=True)
class Tagged(Money):
    tags: tuple[str, ...] = ()


def test_equal_hash_and_repr_as_a_frozen_dataclass() -> None:
    a, b = Money(5, "EUR", note="x"), Money(5, "EUR", note="y")

    assert a == b and hash(a) == hash(b)  # `note` takes no part, as compare=False says
    assert a != Money(6) and a != Reference(5)
    assert (
        repr(a)
        == repr(Reference(5)).replace("Reference", "Money")
        == "Money(amount=5, currency='EUR')"
    )
    assert {a, b} == {a}


def test_nothing_is_assigned_or_deleted_after_init() -> None:
    a = Money(5)

    for attempt in (lambda: setattr(a, "amount", 6), lambda: setattr(a, "other", 1)):
        with pytest.raises(FrozenInstanceError):
            attempt()
    with pytest.raises(FrozenInstanceError):
        del a.amount
    assert a.amount == 5


def test_fields_replace_copy_and_pickle_work() -> None:
    a = Tagged(amount=5, tags=("x",))

    assert [f.name for f in fields(a)] == ["amount", "currency", "note", "tags"]
    assert replace(a, amount=7) == Tagged(amount=7, tags=("x",))
    assert copy.deepcopy(a) == a and pickle.loads(pickle.dumps(a)) == a
    assert a != Money(5)  # a subclass is another class


def test_a_method_the_class_defines_is_kept() -> None:
    @value
    class Loose:
        x: int

        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = object.__hash__

    assert Loose(1) == Loose(2)
