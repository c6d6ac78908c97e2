"""An OCTO hold extended again and again past a day, into the business's next month (FIX-LEFT,
item 4): when it runs out (or is cancelled unconfirmed) the mark it wrote in the free plan's
month it was made in is released, as any hold's is (the `booking_release` consumer reaches
back only a day from the hold's end: the month of its creation is the channel's to release)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.api.octo_support import PRICING, Reseller, octo, tour_operator
from tests.api.support import deliver_events_times, forbid_server_errors
from tests.api.test_plan_count_paths_api import _free

UUID = "5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"


@pytest.fixture
def shop(api) -> Reseller:
    forbid_server_errors(api)
    return tour_operator(api, "long-hold-tours")


def _held_into_december(api: Any, shop: Reseller) -> tuple[Any, str]:
    """Reserved on 24 November (Shanghai), extended by a day every 20 hours until the 3rd of
    December there; the free plan's November holds its mark."""
    data = _free(api, shop.tenant)
    day = (api.container.clock.moment + timedelta(days=30)).date().isoformat()
    body = {"productId": "off_tour", "optionId": "DEFAULT", "localDate": day}
    start = octo(api, shop, "POST", "/octo/availability", body=body).data[0]["id"]
    reserve = {
        "productId": "off_tour",
        "optionId": "DEFAULT",
        "availabilityId": start,
        "uuid": UUID,
        "unitItems": [{"unitId": "adult"}],
        "expirationMinutes": 1440,
    }
    held = octo(api, shop, "POST", "/octo/bookings", body=reserve, headers=PRICING)
    assert held.status_code == 200, held.body
    assert data.payments.bookings_in("2026-11") == 1
    while api.container.clock.moment.isoformat() < "2026-12-02T20:00":
        api.container.clock.advance(20 * 3600)
        extended = octo(
            api, shop, "POST", f"/octo/bookings/{UUID}/extend", body={"expirationMinutes": 1440}
        )
        assert extended.status_code == 200 and extended.data["status"] == "ON_HOLD"
    return data, held.data["supplierReference"]


def test_an_octo_hold_extended_into_the_next_month_releases_its_month_when_it_runs_out(api, shop):
    from chalicelib.booking.services.expiry import handle_expiry
    from tests.api.octo_support import tenant_context

    data, order_id = _held_into_december(api, shop)
    api.container.clock.advance(25 * 3600)
    assert handle_expiry(tenant_context(api, shop.tenant), order_id, bus=api.container.bus) == (
        "expired"
    )
    assert deliver_events_times(api, 2) == {"batchItemFailures": []}  # and again

    assert data.payments.bookings_in("2026-11") == 0
    assert data.payments.bookings_in("2026-12") == 0


def test_an_octo_hold_extended_into_the_next_month_and_cancelled_releases_its_month(api, shop):
    data, _ = _held_into_december(api, shop)
    cancelled = octo(api, shop, "POST", f"/octo/bookings/{UUID}/cancel", body={"reason": "no"})
    assert cancelled.status_code == 200, cancelled.body
    assert deliver_events_times(api, 1) == {"batchItemFailures": []}

    assert data.payments.bookings_in("2026-11") == 0
