"""The month's booking count (the plan allowance) is kept by a consumer of OrderHeld: off the
booking request, once per hold however often its event is delivered."""

from __future__ import annotations

from tests.api.support import deliver_events_times
from tests.builders import room_type, stay_offering


def test_each_hold_counts_once_however_often_its_event_arrives(api):
    tenant = api.signup("counted")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=3), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24"}],
    }
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201
    assert data.payments.bookings_in("2026-11") == 0  # the request itself writes no count
    assert deliver_events_times(api, 3) == {"batchItemFailures": []}
    assert data.payments.bookings_in("2026-11") == 1

    other = api.signup("uncounted")
    other_data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(other["tenant_id"])
    )
    assert other_data.payments.bookings_in("2026-11") == 0
