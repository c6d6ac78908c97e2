"""No import cycles in chalicelib/ or infra/: the graph is built from the source (ast), so a
cycle fails here before it fails at import time in some Lambda container.

The rule: every import is a dependency, wherever it stands: at the top of a module, inside a
function (the lazy imports that keep cold starts short), or under `if TYPE_CHECKING:`. A lazy
import is welcome, but it must point the same way as the module-level ones; one hidden in a
function to get around a cycle only defers the failure, and still means that neither module
can be read, tested or moved without the other. The fix for a cycle is to move what both
sides need into a third module below them, never to make one of the imports lazy.
"""

from __future__ import annotations

import ast
import itertools
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from tests.source_files import python_files

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("chalicelib", "infra")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in python_files(ROOT / package):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imported(package: str, source: str) -> Iterator[tuple[str, int]]:
    """(dotted name, line) of everything a module of `package` imports, at any depth of its
    source: `from a import b` names both a.b and a (importing a.b runs a first)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno
                yield base, node.lineno


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {module it imports: line of the first such import}, within PACKAGES."""
    modules = _modules()

    def owner(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        edges = graph.setdefault(module, {})
        for name, line in _imported(package, path.read_text()):
            target = owner(name)  # `from a import f`: a.f is no module, so a
            if target is not None and target != module:
                edges.setdefault(target, line)
    return graph


def _shortest_cycle(start: str, graph: dict[str, dict[str, int]]) -> list[str] | None:
    """The modules of a shortest import path from `start` back to itself, if there is one."""
    paths = {start: [start]}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph[node]):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return None


def _cycles(graph: dict[str, dict[str, int]]) -> list[str]:
    """Every cycle once (the shortest through each module), with the line of each import."""
    found: dict[frozenset[str], str] = {}
    for module in sorted(graph):
        hops = _shortest_cycle(module, graph)
        if hops is not None and frozenset(hops) not in found:
            steps = [f"{a} (line {graph[a][b]})" for a, b in itertools.pairwise(hops)]
            found[frozenset(hops)] = " -> ".join([*steps, module])
    return list(found.values())


def test_no_module_of_chalicelib_or_infra_imports_itself_back():
    graph = import_graph()

    cycles = _cycles(graph)

    assert cycles == [], "import cycles (move what both sides need below them):\n" + "\n".join(
        cycles
    )


def test_lazy_type_checking_and_relative_imports_are_dependencies_too():
    source = (
        "from typing import TYPE_CHECKING\n"
        "from chalicelib.services import outbox\n"
        "if TYPE_CHECKING:\n"
        "    from chalicelib.services.relay import Relay\n"
        "def build():\n"
        "    import boto3\n"
        "    from ..adapters.dynamo.platform import DynamoPlatformRepository\n"
        "    from . import once\n"
    )

    names = {name for name, _ in _imported("chalicelib.services", source)}

    assert {
        "chalicelib.services.outbox",
        "chalicelib.services.relay.Relay",
        "boto3",
        "chalicelib.adapters.dynamo.platform.DynamoPlatformRepository",
        "chalicelib.services.once",
    } <= names


def test_the_graph_covers_both_packages_and_resolves_names_to_modules():
    graph = import_graph()

    assert "infra.stacks.data" in graph["infra.stacks.access"]  # relative, in infra
    assert "chalicelib.tenant_data" in graph["chalicelib.bootstrap"]  # lazy
    assert all(target in graph for edges in graph.values() for target in edges)
