"""When the console's order page says "Deposit due" (web/console/deposit_due.ts), run in node:
not once what was paid reaches the deposit (a bookkeeper tester's page said "Deposit due
€52.12" after €54.12 was paid, the order partly paid after a move)."""

from __future__ import annotations

import json

from tests.node_ts import NEEDS_NODE, run_ts

pytestmark = NEEDS_NODE


def _order(status: str, payment: str, deposit: int, paid: int) -> str:
    totals = {"subtotal": 0, "tax": 0, "total": 26060, "deposit_due": deposit, "paid": paid}
    return json.dumps({"status": status, "payment_status": payment, "totals": totals})


def test_the_deposit_is_said_due_only_while_what_was_paid_is_short_of_it(tmp_path):
    cases = {
        "unpaid": _order("confirmed", "unpaid", 5212, 0),
        "short": _order("held", "partially_paid", 5212, 2000),
        "covered": _order("confirmed", "partially_paid", 5212, 5412),
        "paid": _order("confirmed", "paid", 5212, 26060),
        "cancelled": _order("cancelled", "unpaid", 5212, 0),
        "none": _order("confirmed", "unpaid", 0, 0),
    }
    got = run_ts(
        tmp_path,
        "web/console/deposit_due.ts",
        "D",
        {
            **{k: f"D.depositDue({v})" for k, v in cases.items()},
            "left": f"D.depositLeft({cases['short']})",
        },
    )
    assert got == {
        "unpaid": True,
        "short": True,
        "covered": False,
        "paid": False,
        "cancelled": False,
        "none": False,
        "left": 3212,
    }
