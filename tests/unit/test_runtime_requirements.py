"""Every third-party package the deployed code imports is pinned in requirements.txt (what
Lambda gets): a module that works only because a dev tool installed it would fail in AWS."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# import name -> distribution name, where they differ
DISTRIBUTIONS = {
    "jwt": "pyjwt",
    "aws_lambda_powertools": "aws-lambda-powertools",
    "dateutil": "python-dateutil",
    "jinja2": "jinja2",
    "phonenumbers": "phonenumberslite",
}
PROVIDED = {"chalice", "chalicelib"}  # chalice vendors its runtime into the package


def _imports() -> set[str]:
    names: set[str] = set()
    for path in [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - PROVIDED - {"__future__"}


def _pinned() -> set[str]:
    out = set()
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert "==" in line, f"not an exact pin: {line}"
            out.add(line.split("==")[0].lower().replace("_", "-"))
    return out


def test_every_imported_package_is_pinned_for_lambda():
    pinned = _pinned()
    missing = {
        name
        for name in _imports()
        if DISTRIBUTIONS.get(name, name).lower().replace("_", "-") not in pinned
    }
    assert not missing, f"imported by chalicelib but not in requirements.txt: {sorted(missing)}"
