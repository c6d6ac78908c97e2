"""API handlers parse, call one use case and answer; they read no store.

A handler that reads a store (`ctx.data.orders.on_day(...)`) or calls a port of the container
(`call.container.payment_accounts.get(...)`) holds business logic the use cases cannot reuse
and the unit tests of the services never see. So in the routes (each capability's `api/` and
`chalicelib/web/`), outside the pipeline that builds the `Call` (web/routing.py,
web/middleware.py, web/idempotent_calls.py), no code

- goes through a tenant's store: an attribute of `ctx.data` (`ctx.data.X`, `call.ctx.data.X`),
  or any `<something>.data.<attribute>` chain;
- calls a method of a member of the container (`call.container.key_cache.forget_key(...)`,
  also through `c = call.container`). Handing `call.container.x` to a use case is the point;
  calling the container's own factories (`call.container.new_id()`) reads nothing.

And a blueprint module imports nothing from another blueprint module: what two route modules
share (answering with an order, the manage token) lives in a module of its own below both
(booking/api/order_replies.py), not in one route module that the other borrows from.

The scan is of the source (ast), no I/O; the tests at the bottom show that it finds each shape.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The entry point: the pipeline that takes the container and builds the Call every handler gets.
PLUMBING = {
    "chalicelib.web.routing",
    "chalicelib.web.middleware",
    "chalicelib.web.idempotent_calls",  # hands the request's key to its store
}


def _is_container(node: ast.expr, aliases: set[str]) -> bool:
    """`call.container` (any `X.container`), or a local name bound to one."""
    if isinstance(node, ast.Attribute):
        return node.attr == "container"
    return isinstance(node, ast.Name) and node.id in aliases


def _container_aliases(tree: ast.AST) -> set[str]:
    """Names assigned from a container expression anywhere in the module (`c = call.container`)."""
    return {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and _is_container(node.value, set())
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def store_reads(source: str) -> list[str]:
    """`line: what` for every store read and container port call in `source` (one per line)."""
    tree = ast.parse(source)
    aliases = _container_aliases(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            inner = node.value
            if isinstance(inner, ast.Attribute) and inner.attr == "data":
                found.append(f"{node.lineno}: reads a store through `.data.{node.attr}`")
            elif node.attr == "data" and (
                (isinstance(inner, ast.Name) and inner.id == "ctx")
                or (isinstance(inner, ast.Attribute) and inner.attr == "ctx")
            ):
                found.append(f"{node.lineno}: reaches for the tenant's store (`ctx.data`)")
        elif isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Attribute)
                and _is_container(func.value.value, aliases)
            ):
                member = func.value.attr
                found.append(
                    f"{node.lineno}: calls `container.{member}.{func.attr}()`: "
                    f"hand `container.{member}` to a use case instead"
                )
    by_line = {int(f.split(":")[0]): f for f in sorted(found, reverse=True)}
    return [by_line[line] for line in sorted(by_line)]


def _is_blueprint_module(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "Blueprint"
        for node in tree.body
    )


def imported_api_modules(source: str) -> set[str]:
    """The modules of chalicelib that `source` imports from, at any depth (`from a import b`
    names both a and a.b: which is a module, the caller's set of modules decides)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.startswith("chalicelib.")}


def _api_modules() -> dict[str, str]:
    """Dotted name -> source of every module of a capability's `api/` and of `web/`."""
    paths = [*ROOT.glob("chalicelib/**/api/*.py"), *ROOT.glob("chalicelib/web/*.py")]
    return {
        ".".join(path.relative_to(ROOT).with_suffix("").parts): path.read_text(encoding="utf-8")
        for path in sorted(paths)
        if path.name != "__init__.py"
    }


def test_no_handler_reads_a_store_or_calls_a_port_of_the_container():
    modules = _api_modules()
    assert "chalicelib.booking.api.orders" in modules  # the scan sees the routes

    offences = {
        name: found
        for name, source in modules.items()
        if name not in PLUMBING and (found := store_reads(source))
    }

    assert offences == {}, "handlers parse, call one use case and answer; move these into it"


def test_no_blueprint_module_imports_another():
    modules = _api_modules()
    blueprints = {
        name for name, source in modules.items() if _is_blueprint_module(ast.parse(source))
    }
    borrowed = {
        name: sorted(imported_api_modules(modules[name]) & (blueprints - {name}))
        for name in sorted(blueprints)
    }

    assert {name: b for name, b in borrowed.items() if b} == {}, (
        "what two route modules share belongs in a module below both (booking/api/order_replies.py)"
    )


# -- the scan itself -----------------------------------------------------------------------------


def test_the_scan_finds_every_shape_of_store_read():
    source = (
        "def a(call):\n"
        "    return call.ctx.data.orders.on_day('2025-01-01')\n"  # 2
        "def b(call):\n"
        "    ctx = call.ctx\n"
        "    return ctx.data.audit.list_month('2025-01')\n"  # 5
        "def c(call):\n"
        "    call.container.key_cache.forget_key('k')\n"  # 7
        "def d(call):\n"
        "    c = call.container\n"
        "    return c.payment_accounts.get('t')\n"  # 10
        "def e(call):\n"
        "    store = call.ctx.data\n"  # 12
        "def fine(call):\n"
        "    return use_case(call.ctx, call.container.catalog_cache, call.container.new_id())\n"
    )

    lines = [int(found.split(":")[0]) for found in store_reads(source)]

    assert lines == [2, 5, 7, 10, 12]


def test_the_scan_knows_a_blueprint_module_and_what_it_imports():
    source = (
        "from chalice import Blueprint\n"
        "from chalicelib.shop.api.carts import reply\n"
        "from chalicelib.shop.api import wishes\n"
        "bp = Blueprint(__name__)\n"
    )

    assert _is_blueprint_module(ast.parse(source))
    assert {"chalicelib.shop.api.carts", "chalicelib.shop.api.wishes"} <= (
        imported_api_modules(source)
    )
    assert {
        "chalicelib.booking.api.orders",
        "chalicelib.booking.api.public",
        "chalicelib.payments.api.payments",
    } <= {name for name, s in _api_modules().items() if _is_blueprint_module(ast.parse(s))}
