"""The README's "Retries" lists the POST routes that are not replayed under an
Idempotency-Key: those whose answer holds a secret (`secret_answer`: a repeated key is 409)
and those that take no key (`idempotent=False`, or no caller to keep one for). Each list is
the routes as declared, no more and no less."""

from __future__ import annotations

import re
from pathlib import Path

from chalicelib.web.route_spec import REGISTRY, Access

README = Path(__file__).resolve().parents[2] / "README.md"


def _listed(lead: str) -> set[str]:
    text = README.read_text()
    assert lead in text, f"README 'Retries' lost its list {lead!r}"
    item = text.split(lead, 1)[1].split("\n  - ", 1)[0].split("\n- ", 1)[0]
    return set(re.findall(r"`POST (/[^`]+)`", item))


def test_the_routes_listed_as_holding_a_secret_are_those_that_declare_it():
    import app  # noqa: F401  (registers every route)

    declared = {s.path for s in REGISTRY if s.method == "POST" and s.secret_answer}
    assert _listed("  - **Answers holding a secret**") == declared


def test_the_routes_listed_as_taking_no_key_are_those_that_take_none():
    import app  # noqa: F401

    declared = {
        s.path
        for s in REGISTRY
        if s.method == "POST" and (not s.idempotent or s.access is Access.NONE)
    }
    assert _listed("  - **No key taken**") == declared
