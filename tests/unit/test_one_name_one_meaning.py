"""A type's name means one thing: no two modules of chalicelib define a public class of the
same name (an availability `Plan` next to the billing `Plan` made every import a guess)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_two_modules_define_a_public_class_of_the_same_name():
    where: dict[str, list[str]] = defaultdict(list)
    for path in sorted((ROOT / "chalicelib").rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                where[node.name].append(str(path.relative_to(ROOT)))

    assert {name: paths for name, paths in where.items() if len(paths) > 1} == {}
