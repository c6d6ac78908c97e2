"""Nothing but the unit of work sends TransactWriteItems to a tenant table.

Every change of tenant data that must be atomic goes through kernel/services/unit_of_work.py, whose
writer on DynamoDB is booking/adapters/unit_of_work.py: one place enforces the 100-item limit,
maps cancellation reasons to domain errors, writes the events with the change, and retries.
The scan reads the source of chalicelib (a call spelled `transact_write_items`, or pynamodb's
`TransactWrite`) and allows it only there, and in the platform table's adapter
(tenancy/adapters/platform_*.py), whose transactions are on the platform table, never a tenant's.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITES = re.compile(r"\btransact_write_items\b|\bTransactWrite\b")
ALLOWED = {
    "chalicelib/booking/adapters/unit_of_work.py": "the unit of work's writer (tenant tables)",
    # The platform table's adapter, one module per concern: no tenant table.
    "chalicelib/tenancy/adapters/platform_tenants.py": "the platform table (tenants, claims)",
    "chalicelib/tenancy/adapters/platform_keys.py": "the platform table (API keys)",
    "chalicelib/tenancy/adapters/platform_staff.py": "the platform table (staff users)",
}


def _code_lines(path: Path) -> list[tuple[int, str]]:
    """The lines of a module, without comments and docstring-only prose (a line that merely
    names the call in a sentence is not a call)."""
    found = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        code = line.split("#", 1)[0]
        if WRITES.search(code) and ("(" in code or "import" in code):
            found.append((number, line.strip()))
    return found


def test_only_the_unit_of_work_sends_transact_write_items_to_a_tenant_table():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line}"
        for path in sorted((ROOT / "chalicelib").rglob("*.py"))
        if str(path.relative_to(ROOT)) not in ALLOWED
        for number, line in _code_lines(path)
    ]
    assert offenders == [], "TransactWriteItems outside the unit of work:\n" + "\n".join(offenders)


def test_the_scan_finds_the_call_the_unit_of_work_makes():
    found = _code_lines(ROOT / "chalicelib/booking/adapters/unit_of_work.py")
    assert any("transact_write_items(" in line for _, line in found)
