"""The README's table of who may call which route is the routes as declared: every row's
claim holds, and every route that takes credentials is in exactly one row."""

from __future__ import annotations

import re
from pathlib import Path

from chalicelib.tenancy.domain.keys import KeyScope
from chalicelib.tenancy.domain.staff import MANAGE, OPERATE, OWN, READ, REPORT
from chalicelib.web.route_spec import REGISTRY, Access

ROOT = Path(__file__).resolve().parents[2]
HEADER = "| Who may call (staff login or secret key of these roles) | Routes |"

EVERY_ROLE = "every role"
ROLES = {
    "owner": OWN,
    "manager, owner": MANAGE,
    "manager, owner, viewer": REPORT,
    "staff, manager, owner": OPERATE,
    EVERY_ROLE: READ,
}


def _rows() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text()
    assert HEADER in text, "the README's roles table is missing"
    rows = []
    for line in text.split(HEADER, 1)[1].splitlines()[2:]:
        if not line.startswith("|"):
            break
        who, routes = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append((who, routes))
    return rows


def _routes(cell: str) -> set[tuple[str, str]]:
    found = set()
    for item in re.findall(r"`([^`]+)`", cell):
        methods, path = item.split(" ", 1)
        found |= {(m, path) for m in methods.split("/")}
    return found


PARTNER_KEYS = "partner keys"  # the partner routes: a partner key only, whatever its role


def _claim(who: str) -> tuple[Access, frozenset, bool]:
    if who == PARTNER_KEYS:
        return Access.TENANT, READ, False
    parts = [p.strip() for p in who.split(";")]
    public = parts[0] == "publishable keys"
    if public:
        parts = parts[1:]
    bookings = parts[-1] == "`bookings` keys"
    if bookings:
        parts = parts[:-1]
    (roles,) = parts
    return (Access.PUBLIC if public else Access.TENANT), ROLES[roles], bookings


def test_the_readme_roles_table_is_the_routes_as_declared():
    import app  # noqa: F401  (registers every route)

    declared = {(s.method, s.path): s for s in REGISTRY if s.access is not Access.NONE}
    listed: dict[tuple[str, str], str] = {}
    for who, cell in _rows():
        access, roles, bookings = _claim(who)
        for route in _routes(cell):
            assert route not in listed, f"{route} is in two rows"
            listed[route] = who
            spec = declared.get(route)
            assert spec is not None, f"{route} is in the table but is no route"
            assert spec.access is access, (route, who)
            assert spec.roles == roles, (route, who)
            assert (KeyScope.BOOKINGS in spec.scopes) is bookings, (route, who)
            assert (KeyScope.PARTNER in spec.scopes) is (who == PARTNER_KEYS), (route, who)
    missing = sorted(set(declared) - set(listed))
    assert not missing, f"routes missing from the README's roles table: {missing}"
