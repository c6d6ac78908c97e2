"""A hold revived by its late payment counts in the free plan's month again (FIX-LEFT, item 1):
its expiry released its mark (the `booking_release` consumer), and the revival's
`OrderConfirmed` (from `expired`) counts it back, once however often it is delivered and
whichever of the two events is handled first (tenancy/services/plan_limits.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import deliver_events_times, forbid_server_errors
from tests.api.test_own_move_paid_api import _hold, _pay, _shop
from tests.api.test_payments_api import order_of, pay_for
from tests.api.test_plan_count_paths_api import MONTH, _free


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def _expired_with_a_payment_open(api: Any, slug: str) -> tuple[dict[str, Any], Any, Any, Any]:
    from tests.api.test_gift_cards_api import run_out

    shop = _shop(api, slug)
    data = _free(api, shop)
    order = _hold(api, shop)
    assert data.payments.bookings_in(MONTH) == 1
    payment = pay_for(api, shop, order)
    run_out(api, shop, order["id"])
    return shop, data, order, payment


def test_a_hold_revived_by_its_late_payment_counts_in_its_month_again_once(api):
    shop, data, order, payment = _expired_with_a_payment_open(api, "revived-inn")
    assert deliver_events_times(api, 1) == {"batchItemFailures": []}
    assert data.payments.bookings_in(MONTH) == 0  # ran out: released

    _pay(api, shop, payment["payment_id"], 1)
    assert order_of(api, shop, order["id"])["status"] == "confirmed"
    assert deliver_events_times(api, 2) == {"batchItemFailures": []}  # delivered twice

    assert data.payments.bookings_in(MONTH) == 1
    billing = api.call("GET", "/v1/billing", auth=shop["secret_key"])
    assert billing.status_code == 200 and billing.data["bookings_this_month"] == 1


def test_a_revival_handled_before_the_expiry_still_counts_once(api, monkeypatch):
    """The late payment lands before the bookkeeping hears of the expiry: the release, handled
    after the revival's count (and again), leaves the revived booking counted."""
    shop, data, order, payment = _expired_with_a_payment_open(api, "revived-first-inn")
    _pay(api, shop, payment["payment_id"], 1)
    assert order_of(api, shop, order["id"])["status"] == "confirmed"

    relayed = api.container.relayed_events()
    confirmed = [m for m in relayed if "OrderConfirmed" in str(m)]
    rest = [m for m in relayed if m not in confirmed]
    assert confirmed and any("OrderExpired" in str(m) for m in rest)
    # The revival's event first, the expiry's after it (twice).
    monkeypatch.setattr(api.container, "relayed_events", lambda: confirmed + rest + rest)
    assert deliver_events_times(api, 1) == {"batchItemFailures": []}

    assert data.payments.bookings_in(MONTH) == 1
