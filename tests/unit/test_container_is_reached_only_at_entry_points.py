"""The process's container is taken at the entry points and handed on, never looked up deep.

`bootstrap.container()` is a lookup of global state: called from inside a use case or a
helper, it hides what that code depends on and makes it untestable without swapping the
global. So only the entry points call it: the HTTP pipeline where a request comes in
(`web/middleware.observe`, `web/routing._run`, which puts it on the `Call` every handler
receives, and `web/preflight.answer`, a browser's OPTIONS) and the worker handlers (each
capability's `workers/`, and `pipeline/workers.py`).
Everything below them gets its dependencies as arguments.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HTTP_ENTRY_POINTS = {
    "chalicelib/web/middleware.py:observe",
    "chalicelib/web/routing.py:_run",
    "chalicelib/web/preflight.py:answer",
}


class _Scan(ast.NodeVisitor):
    """Collects `path:function` (the innermost function) of every container lookup."""

    def __init__(self, path: str, imported: set[str]) -> None:
        self.path, self.imported = path, imported
        self.scope = ["<module>"]
        self.found: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "container"
            and isinstance(func.value, ast.Name)
            and func.value.id == "bootstrap"
        ) or (isinstance(func, ast.Name) and func.id in self.imported):
            self.found.add(f"{self.path}:{self.scope[-1]}")
        self.generic_visit(node)


def _callers() -> set[str]:
    """`path:function` of every call of `bootstrap.container()` (or of a `container` imported
    from chalicelib.bootstrap) in chalicelib and app.py."""
    found: set[str] = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "chalicelib").rglob("*.py"))]:
        if path.name == "bootstrap.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "chalicelib.bootstrap"
            for alias in node.names
            if alias.name == "container"
        }
        scan = _Scan(path.relative_to(ROOT).as_posix(), imported)
        scan.visit(tree)
        found |= scan.found
    return found


def _worker(caller: str) -> bool:
    """A worker handler: a module of a capability's `workers` package, or pipeline/workers.py."""
    path = caller.partition(":")[0]
    return "/workers/" in path or path == "chalicelib/pipeline/workers.py"


def test_the_scan_finds_the_entry_points() -> None:
    callers = _callers()

    assert callers >= HTTP_ENTRY_POINTS
    assert "chalicelib/pipeline/workers.py:handle_record" in callers


def test_only_the_entry_points_look_the_container_up() -> None:
    deep = {c for c in _callers() if c not in HTTP_ENTRY_POINTS and not _worker(c)}

    assert deep == set()
