"""The platform table is written only through its PynamoDB models (platform_models.py).

Adapters never name a table themselves: the container hands each one its table, so the
platform table reaches code only where the settings' `platform_table` is read. The scan reads
chalicelib's source (ast) and fails on:
- a read of `.platform_table` (outside settings.py, which defines it) that is not an argument
  of `PlatformModels(...)`: a raw boto3 adapter handed the platform table's name, as
  `DynamoRateCounters(self.client("dynamodb"), self.settings.platform_table)` once was;
- an adapter module that imports platform_models (an adapter of the platform table)
  and also boto3 or botocore: it reaches DynamoDB through the models only;
- an adapter module named platform_* that does not build on platform_models.
The tenant tables' adapters (raw boto3 through a client confined to one tenant's table) stay
as they are: they never see the platform table's name.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every adapter module: the kernel's and each capability's adapters/.
ADAPTERS = sorted(ROOT.glob("chalicelib/*/adapters/*.py"))
MODELS = "chalicelib.kernel.adapters.platform_models"
RAW = ("boto3", "botocore")


def _platform_table_reads(source: str) -> list[tuple[int, bool]]:
    """(line, passed straight to PlatformModels) of every `<x>.platform_table` read."""
    tree = ast.parse(source)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            == "PlatformModels"
        ):
            allowed |= {id(arg) for arg in [*node.args, *(k.value for k in node.keywords)]}
    return [
        (node.lineno, id(node) in allowed)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "platform_table"
    ]


def _imports(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _raw(imports: set[str]) -> set[str]:
    return {name for name in imports if name.split(".")[0] in RAW}


def test_the_platform_table_name_goes_only_to_the_pynamodb_models():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "chalicelib").rglob("*.py"))
        if path != ROOT / "chalicelib/settings.py"
        for line, to_models in _platform_table_reads(path.read_text())
        if not to_models
    ]
    assert offenders == [], (
        "the platform table handed to something other than PlatformModels (write it through a "
        "PynamoDB model of platform_models.py):\n" + "\n".join(offenders)
    )


def test_the_platform_tables_adapters_use_no_raw_boto3():
    offenders = {}
    for path in ADAPTERS:
        imports = _imports(path.read_text())
        if MODELS in imports and _raw(imports):
            offenders[path.name] = sorted(_raw(imports))
    assert offenders == {}, f"platform table adapters importing boto3/botocore: {offenders}"


def test_every_platform_module_builds_on_the_models():
    modules = [
        p for p in ADAPTERS if p.name.startswith("platform") and p.name != "platform_models.py"
    ]
    assert len(modules) >= 6  # tenants, keys, staff, payments, counters and the repository
    strays = [p.name for p in modules if MODELS not in _imports(p.read_text())]
    assert strays == [], f"platform_* modules not built on platform_models: {strays}"


def test_the_scan_catches_a_raw_client_handed_the_platform_table():
    old = (
        "def platform_counters(self):\n"
        "    return DynamoRateCounters(self.client('dynamodb'), self.settings.platform_table)\n"
        "def platform(self):\n"
        "    return PlatformModels(self.settings.platform_table, host=None, region='x')\n"
    )
    assert _platform_table_reads(old) == [(2, False), (4, True)]
    assert _raw(_imports("from botocore.exceptions import ClientError\nimport boto3\n")) == {
        "botocore.exceptions",
        "boto3",
    }
