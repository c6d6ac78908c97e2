"""The dependency rules of the package per capability (docs/ARCHITECTURE.md has the map).

chalicelib is a small shared kernel (`kernel/`: errors, money, time, text, the tenant, typed
events, the tenant context, the unit of work, the outbox) under one package per capability
(`tenancy`, `catalog`, `booking`, `payments`, `notifications`, `webhooks`), each with its own
`domain/`, `services/` (use cases and ports), `adapters/`, `api/` (routes) and `workers/`.
`web/` is the HTTP plumbing every route goes through (routing, authentication's entry,
errors, OpenAPI), `pipeline/` hands committed events to the consumers of every capability,
and the composition root (`bootstrap.py`, `dependencies.py`, `tenant_data.py`, `settings.py`,
`queues.py`, `observability.py`) builds the adapters once per container.

The rules, over every import at any depth (top level, lazy, under TYPE_CHECKING):

1. A domain module imports the standard library, its own capability's domain, the kernel's
   domain and the domains of the capabilities its capability is built on (UPSTREAM), and
   nothing else: no package, no use case, no adapter.
2. The kernel imports no capability, no plumbing and no composition root.
3. A capability imports only itself, the kernel, the plumbing, the composition root's
   configuration (settings, queues, observability) and the capabilities it is built on:
   never one built on it (the arrows point one way, so no capability cycle).
4. Nobody imports another capability's adapters: capabilities meet through use cases and
   events. Only the composition root builds adapters of every capability.
5. A capability's routes never import another capability's routes.
6. Nothing deployed (chalicelib, app.py, infra) imports `local/`.

EXCEPTIONS lists the imports that still break a rule, each with why: a test below fails
when one of them is gone, so the list only shrinks.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

from tests.source_files import python_files

ROOT = Path(__file__).resolve().parents[2]
KERNEL = "kernel"
# capability -> the capabilities it is built on (may import), transitively closed below.
UPSTREAM: dict[str, set[str]] = {
    "tenancy": set(),
    "catalog": {"tenancy"},
    "booking": {"catalog"},
    "payments": {"booking"},
    "notifications": {"payments"},
    "webhooks": {"booking"},
    "invoices": {"booking"},
    "customers": {"notifications", "invoices"},
    "reports": {"customers"},
    "channels": {"customers", "webhooks"},
}
PLUMBING = {"web": {"tenancy"}, "pipeline": set(UPSTREAM)}
CONFIGURATION = {"settings", "queues", "observability"}
COMPOSITION = {"bootstrap", "dependencies", "tenant_data", "tenant_stores_ports", *CONFIGURATION}

# (importer, imported) -> why it is still there.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def _closure(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    closed = {}
    for start in graph:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(graph.get(node, ()))
        closed[start] = seen
    return closed


BUILT_ON = _closure(UPSTREAM)


def _modules(package: str) -> dict[str, Path]:
    found = {}
    for path in python_files(ROOT / package):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path) -> set[str]:
    """Every module name `module` imports, at any depth of its source."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module of chalicelib a dotted name is, or is in (`a.b.f` -> `a.b`)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _part(module: str) -> tuple[str, str]:
    """(top package under chalicelib, layer): ("booking", "domain"), ("kernel", "services"),
    ("web", ""), ("settings", "")."""
    parts = module.split(".")[1:] or [""]
    return parts[0], parts[1] if len(parts) >= 2 else ""


def _is_routes(module: str) -> bool:
    """A module that defines a Blueprint (its routes)."""
    path = ROOT / (module.replace(".", "/") + ".py")
    return path.exists() and "Blueprint(__name__)" in path.read_text()


def _edges() -> set[tuple[str, str]]:
    known = _modules("chalicelib")
    edges = set()
    for module, path in known.items():
        for name in _imports(module, path):
            if name == "chalicelib" or not name.startswith("chalicelib."):
                continue
            target = _resolve(name, known)
            if target and target != module and target != "chalicelib":
                edges.add((module, target))
    return edges


Part = tuple[str, str]  # (top package under chalicelib, layer)


def _rule_domain(src: Part, dst: Part) -> str | None:
    if (
        src[1] != "domain"
        or dst[1] == "domain"
        and dst[0] in {src[0], KERNEL} | BUILT_ON.get(src[0], set())
    ):
        return None
    return "1: a domain imports only the kernel's domain and the domains it is built on"


def _rule_kernel(src: Part, dst: Part) -> str | None:
    if src[0] != KERNEL or dst[0] in {KERNEL, *CONFIGURATION}:
        return None
    return "2: the kernel imports no capability, plumbing or composition root"


def _rule_direction(src: Part, dst: Part) -> str | None:
    if src[0] == dst[0] or src[0] not in {*UPSTREAM, *PLUMBING}:
        return None
    allowed = {KERNEL, *PLUMBING, *CONFIGURATION}
    if src[1] == "workers":
        allowed |= COMPOSITION  # an entry point takes the container
    if src[0] in UPSTREAM:
        allowed |= BUILT_ON[src[0]]
    else:
        allowed |= COMPOSITION | PLUMBING[src[0]]
        allowed |= {c for u in PLUMBING[src[0]] for c in BUILT_ON.get(u, set())}
    return None if dst[0] in allowed else f"3: {src[0]} is not built on {dst[0]}"


def _rule_adapters(src: Part, dst: Part) -> str | None:
    if dst[1] != "adapters" or dst[0] in {src[0], KERNEL}:
        return None
    return "4: another capability's adapters (meet through use cases or events)"


RULES = (_rule_domain, _rule_kernel, _rule_direction, _rule_adapters)


def _why_not(importer: str, imported: str) -> str | None:
    """The rule the import breaks, or None."""
    src, dst = _part(importer), _part(imported)
    if src[0] in COMPOSITION:
        return None
    for rule in RULES:
        if (why := rule(src, dst)) is not None:
            return why
    if src[1] == "api" == dst[1] and src[0] != dst[0] and _is_routes(imported):
        return "5: routes of another capability"
    return None


def _breaking() -> dict[tuple[str, str], str]:
    return {edge: why for edge in _edges() if (why := _why_not(*edge)) is not None}


def test_no_import_breaks_a_dependency_rule() -> None:
    breaking = {edge: why for edge, why in _breaking().items() if edge not in EXCEPTIONS}

    assert breaking == {}, "\n".join(f"{a} -> {b}: rule {why}" for (a, b), why in breaking.items())


def test_every_exception_is_still_needed() -> None:
    breaking = _breaking()

    gone = [edge for edge in EXCEPTIONS if edge not in breaking]

    assert gone == [], f"no longer breaking a rule, take off EXCEPTIONS: {gone}"


def test_a_domain_imports_nothing_but_the_standard_library_and_domains() -> None:
    third_party = {}
    for module, path in _modules("chalicelib").items():
        if _part(module)[1] != "domain":
            continue
        for name in _imports(module, path):
            top = name.split(".")[0]
            if top not in {"chalicelib", "__future__"} and top not in sys.stdlib_module_names:
                third_party.setdefault(module, set()).add(top)

    assert third_party == {}


@pytest.mark.parametrize("package", ["chalicelib", "infra"])
def test_nothing_deployed_imports_the_local_stack(package: str) -> None:
    modules = {**_modules(package), **({"app": ROOT / "app.py"} if package == "chalicelib" else {})}

    found = {
        module
        for module, path in modules.items()
        if any(name == "local" or name.startswith("local.") for name in _imports(module, path))
    }

    assert found == set()


def test_the_rules_catch_what_they_are_for() -> None:
    assert _why_not("chalicelib.catalog.domain.catalog", "chalicelib.booking.domain.orders")
    assert not _why_not("chalicelib.booking.domain.orders", "chalicelib.catalog.domain.catalog")
    assert _why_not("chalicelib.booking.domain.orders", "chalicelib.booking.services.booking")
    assert _why_not("chalicelib.kernel.services.context", "chalicelib.tenancy.services.auth")
    assert (
        _why_not("chalicelib.payments.services.refunds", "chalicelib.booking.services.orders")
        is None
    )
    assert _why_not("chalicelib.booking.services.orders", "chalicelib.payments.services.refunds")
    assert _why_not("chalicelib.payments.services.refunds", "chalicelib.booking.adapters.codec")
    assert _why_not("chalicelib.payments.api.payments", "chalicelib.booking.api.public")
    assert (
        _why_not("chalicelib.payments.api.payments", "chalicelib.booking.api.order_replies") is None
    )
    assert not _why_not("chalicelib.bootstrap", "chalicelib.booking.adapters.codec")
    assert not _why_not("chalicelib.booking.workers.holds", "chalicelib.bootstrap")
    assert _why_not("chalicelib.booking.services.orders", "chalicelib.bootstrap")
    assert _why_not("chalicelib.booking.domain.orders", "chalicelib.kernel.services.context")
    assert not _why_not("chalicelib.booking.domain.orders", "chalicelib.kernel.domain.events")
    assert _why_not("chalicelib.kernel.domain.events", "chalicelib.booking.domain.orders")


def _doc_table() -> dict[str, str]:
    """package -> its 'built on' cell, from the table of docs/ARCHITECTURE.md."""
    rows = {}
    for line in (ROOT / "docs/ARCHITECTURE.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) >= 3:
            rows[cells[0].strip("`")] = cells[1]
    return rows


def test_the_architecture_page_shows_every_package_and_what_it_is_built_on() -> None:
    packages = {p.parent.name for p in (ROOT / "chalicelib").glob("*/__init__.py")}
    table = _doc_table()

    def named(cell: str) -> set[str]:
        return set(re.findall(r"`([a-z_]+)`", cell))

    assert set(table) == packages
    assert table[KERNEL] == ""
    for capability, upstream in UPSTREAM.items():
        assert named(table[capability]) == (upstream or {KERNEL}), capability
    assert named(table["web"]) == PLUMBING["web"]
    assert table["pipeline"] == "every capability"
