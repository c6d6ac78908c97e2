"""The OCTO reserve and confirm path on DynamoDB Local, through the app's routes: a partner
key made through its connection, a reservation held by the engine under the booking's uuid
(a retry finds the same order), its extras found by the reseller's reference on the index,
extended, confirmed on account, and the buckets exactly what the orders hold."""

from __future__ import annotations

from datetime import date, timedelta

from chalicelib import bootstrap
from chalicelib.booking.services import invariant
from chalicelib.kernel.services.context import system_context
from tests import octo_schema
from tests.builders import day_tour, departure

UUID = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c"


class _Answer:
    def __init__(self, response):
        self.status_code, self.headers, self.data = (
            response.status_code,
            response.headers,
            response.data,
        )


def test_a_reservation_is_held_retried_found_extended_and_confirmed(live):
    tenant = live.signup(
        "octolive", timezone="Asia/Shanghai", currency="CNY", business_type="tours"
    )
    live.provision(tenant["tenant_id"])
    c = bootstrap.container()
    found = c.platform.get_tenant(tenant["tenant_id"])
    data = c.tenant_data.for_tenant(found)
    data.catalog.put_resource(departure(seats=4), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    sk = tenant["secret_key"]
    connection = live.call(
        "POST", "/v1/channels", auth=sk, body={"name": "Reseller", "kind": "octo"}
    ).data
    key = live.call("POST", f"/v1/channels/{connection['id']}/key", auth=sk).data["key"]

    day = date.today() + timedelta(days=20)
    start = f"{day.isoformat()}T08:00:00+08:00"
    body = {
        "uuid": UUID,
        "productId": "off_tour",
        "optionId": "DEFAULT",
        "availabilityId": start,
        "resellerReference": "TRIP-77",
        "expirationMinutes": 30,
        "unitItems": [{"unitId": "adult"}, {"unitId": "adult"}, {"unitId": "adult"}],
    }
    held = live.call("POST", "/octo/bookings", auth=key, body=body)
    assert held.status_code == 200, held.body
    octo_schema.check("POST", "/octo/bookings", _Answer(held))
    assert held.data["status"] == "ON_HOLD" and len(held.data["unitItems"]) == 3
    again = live.call("POST", "/octo/bookings", auth=key, body=body)
    assert again.status_code == 200, again.body
    assert again.data["id"] == held.data["id"]  # the same uuid: the same hold, nothing more
    other = live.call(
        "POST", "/octo/bookings", auth=key, body={**body, "unitItems": [{"unitId": "adult"}]}
    )
    assert other.status_code == 400 and other.data["error"] == "INVALID_BOOKING_UUID", other.body

    listed = live.call("GET", "/octo/bookings?resellerReference=TRIP-77", auth=key).data
    assert [b["uuid"] for b in listed] == [UUID]
    kept = data.octo.get(connection["id"], UUID)
    assert kept is not None and kept.reseller_reference == "TRIP-77"
    assert kept.product_id == "off_tour"  # the product id it was booked under, stored

    extended = live.call(
        "POST", f"/octo/bookings/{UUID}/extend", auth=key, body={"expirationMinutes": 60}
    )
    assert extended.status_code == 200, extended.body
    order = data.orders.get(held.data["id"])
    assert order is not None and order.hold_expires_at is not None
    assert order.hold_expires_at[:19] + "Z" == extended.data["utcExpiresAt"]

    confirmed = live.call(
        "POST",
        f"/octo/bookings/{UUID}/confirm",
        auth=key,
        body={"contact": {"fullName": "Li Wei", "emailAddress": "li.wei@example.com"}},
    )
    assert confirmed.status_code == 200, confirmed.body
    octo_schema.check("POST", "/octo/bookings/{uuid}/confirm", _Answer(confirmed))
    assert confirmed.data["status"] == "CONFIRMED"
    order = data.orders.get(held.data["id"])
    assert order is not None and order.status.value == "confirmed"
    assert order.partner is not None and order.partner.reference == UUID
    assert order.customer.email == "li.wei@example.com"

    # One more person than the departure has left is refused; the buckets hold exactly 3.
    over = {
        **body,
        "uuid": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "unitItems": body["unitItems"][:2],
    }
    refused = live.call("POST", "/octo/bookings", auth=key, body=over)
    assert refused.status_code == 400 and refused.data["error"] == "UNPROCESSABLE_ENTITY"
    ctx = system_context(found, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    report = invariant.check_invariant(ctx, day, day + timedelta(days=1))
    assert report.ok, report
