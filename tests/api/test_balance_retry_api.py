"""The manage page's balance between a declined off-session try and its retry (FIX-LEFT, item
2): `next_due_at` names the retry (a day, then three days after the first try, 09:00 on the
business's clock), as the `payment_due` e-mail and the schedule do, and nothing once the last
try is over (the desk's then)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import forbid_server_errors
from tests.api.test_balance_api import at, balance_shop, deposit_paid, dues, fire, order_of_payment
from tests.api.test_notifications_api import deliver_events
from tests.fakes import DECLINED_CARD


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def _balance(api: Any, shop: dict[str, Any], order: dict[str, Any]) -> dict[str, Any]:
    path = f"/v1/public/orders/{order['id']}/balance"
    headers = {"X-Manage-Token": order["manage_token"]}
    got = api.call("GET", path, auth=shop["publishable_key"], headers=headers)
    assert got.status_code == 200, got.body
    return dict(got.data)


def test_between_a_declined_try_and_its_retry_the_balance_names_the_retry(api):
    shop = balance_shop(api, "retryharbour")
    order = deposit_paid(api, shop)
    c = api.container
    method = c.gateway.intents[(shop["account"], order_of_payment(api, shop, order))]
    c.gateway.cards[method["payment_method"]] = DECLINED_CARD
    assert _balance(api, shop, order)["next_due_at"] == "2026-12-17T08:00:00.000000Z"
    seen = []
    for when in ("2026-12-17T08:00:20", "2026-12-18T08:00:20", "2026-12-20T08:00:20"):
        at(api, when + ".000000Z")
        fire(api)
        assert deliver_events(api) == {"batchItemFailures": []}
        owed = _balance(api, shop, order)
        assert owed["owed"] == 16800
        seen.append(owed["next_due_at"])
        scheduled = [w for w, p in dues(api) if p["order_id"] == order["id"]]
        assert seen[-1] == (min(scheduled) if scheduled else None)  # what the schedule says
    # A day after the first try, then three days after it; none after the last.
    assert seen == ["2026-12-18T08:00:00.000000Z", "2026-12-20T08:00:00.000000Z", None]
