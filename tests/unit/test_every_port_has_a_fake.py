"""Every port has an in-memory fake in tests/fakes.py.

A port is an abstract class (or a Protocol) defined in a ports module: any module under
chalicelib whose name is `ports` or ends in `_ports` (tenancy/services/platform_ports.py,
tenant_data_ports.py, transaction_ports.py, messaging_ports.py, payment_ports.py, and a
capability's own ports.py when it has one). A fake is a class in tests/fakes.py that fits
the port structurally, whether or not it derives from it: every method and property of the port,
none left abstract, each method taking the same parameters (names, kinds, which have defaults).
So a new port without a fake, or a port whose signature changed under its fake, fails here,
named, before any test reaches for it. (The two ports that are plain callables, `Clock` and
`IdFactory`, take any function; their fakes are `FakeClock` and `SequentialIds`.)
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

import pytest

import tests.fakes

ROOT = Path(__file__).resolve().parents[2]


def _ports_modules() -> list[str]:
    files = sorted((ROOT / "chalicelib").rglob("*.py"))
    return [
        ".".join(f.relative_to(ROOT).with_suffix("").parts)
        for f in files
        if f.stem == "ports" or f.stem.endswith("_ports")
    ]


def _is_port(cls: type) -> bool:
    return inspect.isabstract(cls) or bool(getattr(cls, "_is_protocol", False))


def ports() -> list[type]:
    found = []
    for name in _ports_modules():
        module = importlib.import_module(name)
        found += [
            c
            for c in vars(module).values()
            if isinstance(c, type) and c.__module__ == name and _is_port(c)
        ]
    return found


def _interface(port: type) -> dict[str, Any]:
    """The port's public members (methods, properties, declared attributes), by name."""
    members: dict[str, Any] = {}
    for cls in reversed(port.__mro__):
        if cls.__module__ in ("abc", "typing", "builtins"):
            continue
        members.update({n: ... for n in getattr(cls, "__annotations__", {})})
        members.update(vars(cls))
    return {n: m for n, m in members.items() if not n.startswith("_")}


def _shape(fn: Any) -> list[tuple[str, Any, bool]]:
    """What a caller sees of a method: each parameter's name, kind and whether it has a default."""
    return [
        (p.name, p.kind, p.default is not inspect.Parameter.empty)
        for p in inspect.signature(fn).parameters.values()
    ]


def misfits(port: type, candidate: type) -> list[str]:
    """How `candidate` fails to fit `port` (empty when it fits)."""
    abstract = getattr(candidate, "__abstractmethods__", frozenset())
    declared = set().union(*(getattr(c, "__annotations__", {}) for c in candidate.__mro__))
    fields = set(getattr(candidate, "__dataclass_fields__", {}))
    wrong = []
    for name, member in _interface(port).items():
        if name in abstract:
            wrong.append(f"{name} is left abstract")
        elif not hasattr(candidate, name):
            if name not in declared | fields:
                wrong.append(f"no {name}")
        elif inspect.isfunction(member):
            theirs = inspect.getattr_static(candidate, name)
            if not inspect.isfunction(theirs):
                wrong.append(f"{name} is not a method")
            elif _shape(theirs) != _shape(member):
                wrong.append(f"{name}{inspect.signature(theirs)} != {inspect.signature(member)}")
        elif isinstance(member, property) and not isinstance(
            inspect.getattr_static(candidate, name), property
        ):
            wrong.append(f"{name} is not a property")
    return wrong


def fakes() -> list[type]:
    return [
        c
        for c in vars(tests.fakes).values()
        if isinstance(c, type) and c.__module__ == tests.fakes.__name__
    ]


def test_the_ports_modules_are_found() -> None:
    names = {p.__name__ for p in ports()}

    # One port of each ports module: a module the search misses fails here by name.
    assert {
        "PlatformRepository",  # platform_ports
        "OrderStore",  # tenant_data_ports
        "TenantData",
        "TenantTransactions",  # transaction_ports
        "MessageBus",  # messaging_ports
        "PaymentGateway",  # payment_ports
        "WebhookSender",  # webhook_ports
        "TimeZoneGuard",  # tenant_ports
    } <= names
    assert len(names) >= 26


@pytest.mark.parametrize("port", ports(), ids=lambda p: p.__name__)
def test_every_port_has_a_fake(port: type) -> None:
    fitting = [f.__name__ for f in fakes() if not misfits(port, f)]
    if not fitting:
        nearest = min(fakes(), key=lambda f: len(misfits(port, f)))
        pytest.fail(
            f"{port.__module__}.{port.__name__} has no fake in tests/fakes.py; the nearest, "
            f"{nearest.__name__}, misses: {'; '.join(misfits(port, nearest))}"
        )


# -- the check itself -----------------------------------------------------------------------


class _Port:
    def send(self, to: str, *, urgent: bool = False) -> str:
        raise NotImplementedError

    @property
    def name(self) -> str:
        raise NotImplementedError


class _Fits:  # no base class: fitting is structural
    def send(self, to: str, *, urgent: bool = False) -> str:
        return to

    @property
    def name(self) -> str:
        return "fits"


class _WrongParameters:
    def send(self, to: str, urgent: bool = False) -> str:  # urgent is positional here
        return to

    @property
    def name(self) -> str:
        return "wrong"


class _Missing:
    def send(self, to: str, *, urgent: bool = False) -> str:
        return to


def test_a_class_with_every_member_in_the_same_shape_fits() -> None:
    assert misfits(_Port, _Fits) == []


def test_a_method_taking_other_parameters_does_not_fit() -> None:
    assert [m.split("(")[0] for m in misfits(_Port, _WrongParameters)] == ["send"]


def test_a_missing_member_does_not_fit() -> None:
    assert misfits(_Port, _Missing) == ["no name"]


def test_a_fake_that_leaves_a_method_abstract_does_not_fit() -> None:
    from chalicelib.kernel.services.messaging_ports import MessageBus

    class HalfBus(MessageBus):
        pass

    assert misfits(MessageBus, HalfBus) == ["send is left abstract", "send_batch is left abstract"]
