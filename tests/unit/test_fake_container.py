"""The tests' container is built of fakes alone, beside the real one rather than from it.

Both provide `Dependencies` (chalicelib/dependencies.py): the type checker holds the
real `bootstrap.Container` to it, these tests hold `tests.fakes.FakeContainer`. Were the fake a
subclass of the real container, a port nobody faked would quietly build a real boto3 adapter.
"""

from __future__ import annotations

import importlib
from typing import Any, get_type_hints

import pytest

from chalicelib import bootstrap
from chalicelib.catalog.services import catalog_view
from chalicelib.dependencies import Dependencies
from chalicelib.kernel.domain.errors import Unauthenticated
from chalicelib.kernel.services import work_marks
from chalicelib.settings import Settings
from chalicelib.tenancy.services import auth
from tests.fakes import FakeContainer, FakeTokenVerifier
from tests.unit.test_every_port_has_a_fake import _ports_modules

# Every ports module (services/*_ports.py, one per concern), found as the fakes' test finds them.
PORTS_MODULES = [importlib.import_module(name) for name in _ports_modules()]


def _members() -> dict[str, Any]:
    """Each member of `Dependencies` and the type it is declared with."""
    names: dict[str, Any] = {
        **{k: v for module in PORTS_MODULES for k, v in vars(module).items()},
        "CatalogCache": catalog_view.CatalogCache,
        "KeyCache": auth.KeyCache,
        "WorkMarks": work_marks.WorkMarks,
        "Settings": Settings,
    }
    return {
        name: get_type_hints(member.fget, localns=names)["return"]
        for name, member in vars(Dependencies).items()
        if isinstance(member, property)
    }


def _is_port(kind: Any) -> bool:
    return isinstance(kind, type) and kind.__module__ in {m.__name__ for m in PORTS_MODULES}


def test_the_tests_container_is_no_kind_of_the_real_one() -> None:
    assert not issubclass(FakeContainer, bootstrap.Container)


def test_an_adapter_nobody_faked_is_an_attribute_error_not_a_real_client() -> None:
    c = FakeContainer()

    for name in ("client", "_session", "a_port_nobody_faked"):
        with pytest.raises(AttributeError):
            getattr(c, name)


def test_the_tests_container_provides_every_dependency() -> None:
    members = _members()
    c = FakeContainer()

    assert len(members) > 20
    assert [name for name in members if not hasattr(c, name)] == []


def test_every_port_the_tests_container_holds_is_a_fake_from_tests_fakes() -> None:
    c = FakeContainer()
    held = {name: getattr(c, name) for name, kind in _members().items() if _is_port(kind)}

    assert {"platform", "tenant_data", "bus", "gateway", "verifier"} <= held.keys()
    real = {n: type(v).__module__ for n, v in held.items() if type(v).__module__ != "tests.fakes"}
    assert real == {}


def test_the_stream_reads_the_tenant_data_the_container_holds_now() -> None:
    c = FakeContainer()
    first = c.tenant_data
    c.tenant_data = type(first)(first.tables)

    assert c.stream.records() == []
    assert c.relayed_events() == []


def test_the_fake_verifier_knows_only_the_tokens_it_issued() -> None:
    verifier = FakeTokenVerifier()
    token = verifier.issue("user-1", email="ada@example.test")
    claims = {"sub": "user-1", "token_use": "id", "email": "ada@example.test"}

    assert verifier.verify(token) == claims
    with pytest.raises(Unauthenticated):
        verifier.verify(token + "x")
