"""The OCTO supplier API end to end over chalice.test, modelled on OCTO's own validator
(supplier, products, availability, calendar, reserve, update, extend, confirm, get, list,
cancel), every success answer checked against OCTO's OpenAPI document (tests/octo_schema.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chalicelib.channels.domain.connections import Settlement
from tests.api.octo_support import PRICING, Reseller, octo, tour_operator
from tests.api.support import assert_error, forbid_server_errors

UUID = "0b5d9c1e-8f0a-4e2b-9c3d-5e6f7a8b9c0d"


@pytest.fixture
def shop(api) -> Reseller:
    forbid_server_errors(api)
    return tour_operator(api, "wall-tours")


def _day(api, days: int = 30) -> str:
    return (api.container.clock.moment + timedelta(days=days)).date().isoformat()


def _first_start(api, shop, days: int = 30) -> str:
    r = octo(
        api,
        shop,
        "POST",
        "/octo/availability",
        body={"productId": "off_tour", "optionId": "DEFAULT", "localDate": _day(api, days)},
    )
    assert r.status_code == 200, r.body
    return r.data[0]["id"]


def _vacancies(api, shop, start: str) -> int:
    body = {"productId": "off_tour", "optionId": "DEFAULT", "availabilityIds": [start]}
    return octo(api, shop, "POST", "/octo/availability", body=body).data[0]["vacancies"]


def _reserve(api, shop, start: str, *, people: int = 2, **extra) -> dict:
    body = {
        "productId": "off_tour",
        "optionId": "DEFAULT",
        "availabilityId": start,
        "unitItems": [{"unitId": "adult"} for _ in range(people)],
        **extra,
    }
    r = octo(api, shop, "POST", "/octo/bookings", body=body, headers=PRICING)
    assert r.status_code == 200, r.body
    return r.data


def test_supplier_capabilities_and_products_describe_the_business_and_its_tours(api, shop):
    supplier = octo(api, shop, "GET", "/octo/supplier").data
    assert supplier["id"] == shop.tenant["tenant_id"] and supplier["endpoint"].endswith("/octo")
    caps = octo(api, shop, "GET", "/octo/capabilities")
    assert [c["id"] for c in caps.data] == ["octo/pricing"]
    products = octo(api, shop, "GET", "/octo/products", headers=PRICING)
    assert products.headers["Octo-Capabilities"] == "octo/pricing"
    (product,) = products.data
    assert product["id"] == "off_tour" and product["timeZone"] == "Asia/Shanghai"
    assert product["options"][0]["availabilityLocalStartTimes"] == ["08:00"]
    unit = product["options"][0]["units"][0]
    assert unit["pricingFrom"][0]["retail"] == 38000 and unit["pricingFrom"][0]["net"] == 34200
    one = octo(api, shop, "GET", "/octo/products/off_tour")
    assert one.data["id"] == "off_tour" and "pricingPer" not in one.data
    assert one.headers["Octo-Capabilities"] == ""


def test_availability_lists_the_engines_starts_and_the_calendar_each_day(api, shop):
    day = _day(api)
    r = octo(
        api,
        shop,
        "POST",
        "/octo/availability",
        body={
            "productId": "off_tour",
            "optionId": "DEFAULT",
            "localDateStart": day,
            "localDateEnd": _day(api, 32),
            "units": [{"id": "adult", "quantity": 2}],
        },
        headers=PRICING,
    )
    assert [a["id"] for a in r.data][0] == f"{day}T08:00:00+08:00"
    assert len(r.data) == 3 and r.data[0]["vacancies"] == 20
    assert r.data[0]["pricing"]["retail"] == 76000
    by_id = octo(
        api,
        shop,
        "POST",
        "/octo/availability",
        body={"productId": "off_tour", "optionId": "DEFAULT", "availabilityIds": [r.data[1]["id"]]},
    )
    assert [a["id"] for a in by_id.data] == [r.data[1]["id"]]
    calendar = octo(
        api,
        shop,
        "POST",
        "/octo/availability/calendar",
        body={
            "productId": "off_tour",
            "optionId": "DEFAULT",
            "localDateStart": day,
            "localDateEnd": _day(api, 36),
        },
        headers=PRICING,
    )
    assert [d["status"] for d in calendar.data] == ["AVAILABLE"] * 7
    assert calendar.data[0]["unitPricingFrom"][0]["unitId"] == "adult"


def test_the_validators_flow_reserve_update_extend_confirm_get_list_cancel(api, shop):
    start = _first_start(api, shop)
    later = _first_start(api, shop, days=31)
    held = _reserve(api, shop, start, uuid=UUID, resellerReference="RES-1", expirationMinutes=45)
    assert held["status"] == "ON_HOLD" and held["uuid"] == UUID and len(held["unitItems"]) == 2
    assert held["resellerReference"] == "RES-1" and held["supplierReference"].startswith("ord_")
    assert held["pricing"]["retail"] == 76000 and held["pricing"]["net"] == 68400
    created = api.container.clock.moment
    assert held["utcExpiresAt"] == (created + timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M:%SZ")

    moved = octo(
        api,
        shop,
        "PATCH",
        f"/octo/bookings/{UUID}",
        body={"availabilityId": later, "unitItems": [{"unitId": "adult"}] * 3},
    )
    assert moved.status_code == 200, moved.body
    assert moved.data["availabilityId"] == later and len(moved.data["unitItems"]) == 3
    seats = octo(
        api,
        shop,
        "POST",
        "/octo/availability",
        body={"productId": "off_tour", "optionId": "DEFAULT", "availabilityIds": [start, later]},
    ).data
    assert [a["vacancies"] for a in seats] == [20, 17]  # the old start's seats given back

    extended = octo(
        api, shop, "POST", f"/octo/bookings/{UUID}/extend", body={"expirationMinutes": 60}
    )
    assert extended.data["utcExpiresAt"] == (created + timedelta(minutes=60)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )

    confirmed = octo(
        api,
        shop,
        "POST",
        f"/octo/bookings/{UUID}/confirm",
        body={
            "contact": {"fullName": "John Doe", "emailAddress": "johndoe@mail.com"},
            "resellerReference": "RES-2",
        },
    )
    assert confirmed.status_code == 200, confirmed.body
    assert confirmed.data["status"] == "CONFIRMED" and confirmed.data["utcExpiresAt"] is None
    assert confirmed.data["contact"]["emailAddress"] == "johndoe@mail.com"
    again = octo(api, shop, "POST", f"/octo/bookings/{UUID}/confirm", body={"contact": {}})
    assert again.data["status"] == "CONFIRMED"

    got = octo(api, shop, "GET", f"/octo/bookings/{UUID}").data
    assert got["resellerReference"] == "RES-2" and got["status"] == "CONFIRMED"
    order = api.call("GET", f"/v1/orders/{got['id']}", auth=shop.secret_key).data
    assert order["status"] == "confirmed" and order["channel"] == "partner"

    for query in (
        "resellerReference=RES-2",
        f"supplierReference={got['id']}",
        f"localDate={later[:10]}",
        f"localDateStart={start[:10]}&localDateEnd={later[:10]}",
    ):
        listed = octo(api, shop, "GET", f"/octo/bookings?{query}").data
        assert [b["uuid"] for b in listed] == [UUID], query
    assert octo(api, shop, "GET", "/octo/bookings?resellerReference=RES-1").data == []

    # A reason the customer is told is one line, as the API's own cancel takes it.
    bad = {"reason": "Late\r\n\u202eevil\x00"}
    refused = octo(api, shop, "POST", f"/octo/bookings/{UUID}/cancel", body=bad)
    assert refused.status_code in (400, 422), refused.body
    assert octo(api, shop, "GET", f"/octo/bookings/{UUID}").data["status"] == "CONFIRMED"
    cancelled = octo(
        api, shop, "POST", f"/octo/bookings/{UUID}/cancel", body={"reason": "Plans changed"}
    )
    assert cancelled.data["status"] == "CANCELLED"
    assert cancelled.data["cancellation"]["reason"] == "Plans changed"
    assert _vacancies(api, shop, later) == 20


def test_a_reservation_retried_with_its_uuid_is_the_same_booking(api, shop):
    start = _first_start(api, shop)
    first = _reserve(api, shop, start, uuid=UUID)
    second = _reserve(api, shop, start, uuid=UUID)
    assert second["id"] == first["id"]
    assert _vacancies(api, shop, start) == 18


def test_a_reservation_retried_with_its_uuid_but_another_body_is_refused(api, shop):
    """OCTO's INVALID_BOOKING_UUID (the uuid was already used), nothing changed: the
    integrator's second reservation for 1 adult under the uuid of one for 2 was answered
    with the booking for 2, as though it matched."""
    start = _first_start(api, shop)
    first = _reserve(api, shop, start, uuid=UUID, notes="window seats")
    body = {
        "uuid": UUID.upper(),  # the same request, written otherwise, is the same
        "notes": "window seats",
        "unitItems": [{"unitId": "adult"}, {"unitId": "adult"}],
        "availabilityId": start,
        "optionId": "DEFAULT",
        "productId": "off_tour",
    }
    same = octo(api, shop, "POST", "/octo/bookings", body=body)
    assert same.status_code == 200 and same.data["id"] == first["id"]
    for changed in ({"unitItems": [{"unitId": "adult"}]}, {"notes": "aisle"}, {"notes": None}):
        r = octo(api, shop, "POST", "/octo/bookings", body={**body, **changed})
        assert r.status_code == 400 and r.data["error"] == "INVALID_BOOKING_UUID", r.body
        assert r.data["uuid"] == UUID and "already used" in r.data["errorMessage"]
    got = octo(api, shop, "GET", f"/octo/bookings/{UUID}").data
    assert len(got["unitItems"]) == 2 and got["notes"] == "window seats"
    assert _vacancies(api, shop, start) == 18


def test_a_reservation_without_a_uuid_gets_one_and_without_a_contact_writes_to_nobody(api, shop):
    from tests.api.test_money_messages_api import settle_all

    held = _reserve(api, shop, _first_start(api, shop))
    assert len(held["uuid"]) == 36 and held["contact"]["emailAddress"] is None
    # Called off by the business: nobody is told, as nobody can be (a tester's stack e-mailed
    # "Cancelled" to the reservation's `<uuid>@octo.invalid`, which SES would bounce).
    body = {"by": "business", "reason": "Storm"}
    path = f"/v1/orders/{held['id']}/cancel"
    assert api.call("POST", path, auth=shop.secret_key, body=body).status_code == 200
    settle_all(api)
    assert [m.to for m in api.container.mailer.sent if m.to.endswith(".invalid")] == []


def test_a_booking_confirmed_without_a_contact_makes_no_customer_record(api, shop):
    """A tester's customer list held one made-up customer per reseller booking without a
    contact, each under its `<uuid>@octo.invalid`."""
    from chalicelib.kernel.domain.customer_ids import customer_id_for
    from tests.api.test_money_messages_api import settle_all

    held = _reserve(api, shop, _first_start(api, shop), uuid=UUID)
    confirmed = octo(api, shop, "POST", f"/octo/bookings/{UUID}/confirm", body={"contact": {}})
    assert confirmed.status_code == 200 and confirmed.data["status"] == "CONFIRMED"
    settle_all(api)
    order = api.call("GET", f"/v1/orders/{held['id']}", auth=shop.secret_key).data
    assert order["status"] == "confirmed" and order["customer"]["email"].endswith(".invalid")
    cid = customer_id_for(order["customer"]["email"])
    assert_error(api.call("GET", f"/v1/customers/{cid}", auth=shop.secret_key), 404)


def test_a_reservation_that_runs_out_expires_through_the_engine(api, shop):
    held = _reserve(api, shop, _first_start(api, shop), uuid=UUID, expirationMinutes=5)
    api.container.clock.advance(6 * 60)
    got = octo(api, shop, "GET", f"/octo/bookings/{UUID}").data
    assert got["status"] == "EXPIRED" and got["utcExpiresAt"] is None
    order = api.call("GET", f"/v1/orders/{held['id']}", auth=shop.secret_key).data
    assert order["status"] == "expired"
    late = octo(api, shop, "POST", f"/octo/bookings/{UUID}/confirm", body={"contact": {}})
    assert late.status_code == 400 and late.data["error"] == "INVALID_BOOKING_UUID"
    assert late.data["uuid"] == UUID


def test_the_engines_expiry_worker_expires_it_too(api, shop):
    from chalicelib.booking.services.expiry import sweep

    held = _reserve(api, shop, _first_start(api, shop), uuid=UUID, expirationMinutes=5)
    # Past the tenant's mark (the hold's end and ten minutes), when the sweeper surely looks.
    api.container.clock.advance(16 * 60)
    c = api.container
    sweep(platform=c.platform, data_factory=c.tenant_data, now=c.now, new_id=c.new_id)
    order = api.call("GET", f"/v1/orders/{held['id']}", auth=shop.secret_key).data
    assert order["status"] == "expired"
    assert octo(api, shop, "GET", f"/octo/bookings/{UUID}").data["status"] == "EXPIRED"


def test_customer_settlement_follows_the_businesss_payment_rules(api):
    forbid_server_errors(api)
    shop = tour_operator(api, "deposit-tours", settlement=Settlement.CUSTOMER)
    connect = api.call("POST", "/v1/payments/connect", auth=shop.secret_key)
    api.container.gateway.enable(connect.data["account_id"])
    _reserve(api, shop, _first_start(api, shop), uuid=UUID)  # the tour asks a 30 % deposit
    r = octo(api, shop, "POST", f"/octo/bookings/{UUID}/confirm", body={"contact": {}})
    assert r.status_code == 400 and r.data["error"] == "UNPROCESSABLE_ENTITY", r.body
    assert "deposit" in r.data["errorMessage"]
    assert octo(api, shop, "GET", f"/octo/bookings/{UUID}").data["status"] == "ON_HOLD"


def test_customer_settlement_without_online_payments_confirms_to_pay_at_the_venue(api):
    forbid_server_errors(api)
    shop = tour_operator(api, "venue-tours", settlement=Settlement.CUSTOMER)
    _reserve(api, shop, _first_start(api, shop), uuid=UUID)
    r = octo(api, shop, "POST", f"/octo/bookings/{UUID}/confirm", body={"contact": {}})
    assert r.data["status"] == "CONFIRMED"
    order = api.call("GET", f"/v1/orders/{r.data['supplierReference']}", auth=shop.secret_key)
    assert order.data["partner"]["settlement"] == "customer"  # the guest pays at the venue


def test_a_retried_reservation_finds_its_booking_even_when_it_took_the_last_seats(api):
    forbid_server_errors(api)
    shop = tour_operator(api, "tiny-tours", seats=2)
    start = _first_start(api, shop)
    first = _reserve(api, shop, start, uuid=UUID, people=2)
    again = _reserve(api, shop, start, uuid=UUID, people=2)
    assert again["id"] == first["id"] and again["status"] == "ON_HOLD"


def test_fields_of_capabilities_not_applied_are_ignored_not_refused(api, shop):
    held = _reserve(
        api, shop, _first_start(api, shop), pickupRequested=True, questionAnswers=[], currency="CNY"
    )
    assert held["status"] == "ON_HOLD"


@pytest.mark.parametrize(
    "extra",
    [
        {"resellerReference": "R\u0000\u2028\u202eX\r\nY"},
        {"uuid": "a\u0000b"},
        {"unitItems": [{"unitId": "adult", "resellerReference": "T\u202e1"}]},
    ],
)
def test_a_reference_or_id_with_control_characters_is_refused_and_nothing_held(api, shop, extra):
    """An outside integrator's reseller reference "R\\u0000\\u2028\\u202eX" was stored and
    answered back as sent, though a note's NUL was refused."""
    start = _first_start(api, shop)
    free = _vacancies(api, shop, start)
    body = {"productId": "off_tour", "optionId": "DEFAULT", "availabilityId": start}
    body["unitItems"] = [{"unitId": "adult"}]
    r = octo(api, shop, "POST", "/octo/bookings", body={**body, **extra}, headers=PRICING)
    assert r.status_code == 400 and r.data["error"] == "BAD_REQUEST", r.body
    assert _vacancies(api, shop, start) == free


def test_a_uuid_is_kept_in_lower_case_and_found_in_any_case(api, shop):
    held = _reserve(api, shop, _first_start(api, shop), uuid=UUID.upper())
    assert held["uuid"] == UUID
    assert octo(api, shop, "GET", f"/octo/bookings/{UUID.upper()}").data["id"] == held["id"]


def test_a_contact_becomes_the_orders_customer_as_one_clean_line(api, shop):
    contact = {
        "firstName": "Li",
        "lastName": "Wei\n\x00",
        "phoneNumber": "+86 138 0013 8000",
        "locales": ["not a locale", "zh-CN"],
    }
    held = _reserve(api, shop, _first_start(api, shop), contact=contact)
    order = api.call("GET", f"/v1/orders/{held['id']}", auth=shop.secret_key).data
    assert order["customer"]["name"] == "Li Wei"
    assert order["customer"]["phone"] == "+8613800138000"
    assert held["contact"]["emailAddress"] is None  # no address: nobody is written to
    assert held["contact"]["locales"] == ["zh-CN"]


def test_a_reseller_cancels_only_while_it_is_free_and_the_booking_says_so(api, shop):
    """An outside tester's reseller cancelled a tour two days ahead, where its terms keep half,
    and the business kept nothing: a reseller's booking pays nothing here, so no fee can be
    kept from it. Past the product's `cancellationCutoff` it is `cancellable: false`, and a
    cancel is refused and changes nothing (the supplier's desk still can)."""
    soon_uuid, far_uuid = UUID, "1c6e0d2f-9a1b-4f3c-8d4e-6f7a8b9c0d1e"
    soon = _reserve(api, shop, _first_start(api, shop, days=2), uuid=soon_uuid)
    far = _reserve(api, shop, _first_start(api, shop, days=30), uuid=far_uuid)
    contact = {"contact": {"fullName": "John Doe", "emailAddress": "johndoe@mail.com"}}
    for uuid in (soon_uuid, far_uuid):
        r = octo(api, shop, "POST", f"/octo/bookings/{uuid}/confirm", body=contact)
        assert r.status_code == 200, r.body
    assert soon["cancellable"] is True  # a reservation: until it runs out
    got = octo(api, shop, "GET", f"/octo/bookings/{soon_uuid}").data
    assert got["cancellable"] is False
    before = api.call("GET", f"/v1/orders/{soon['id']}", auth=shop.secret_key).data
    refused = octo(api, shop, "POST", f"/octo/bookings/{soon_uuid}/cancel", body={})
    assert refused.status_code == 400, refused.body
    assert refused.data["error"] == "UNPROCESSABLE_ENTITY"
    assert "cancellation cutoff" in refused.data["errorMessage"]
    after = api.call("GET", f"/v1/orders/{soon['id']}", auth=shop.secret_key).data
    assert (after["status"], after["version"]) == ("confirmed", before["version"])
    assert octo(api, shop, "GET", f"/octo/bookings/{far_uuid}").data["cancellable"] is True
    done = octo(api, shop, "POST", f"/octo/bookings/{far_uuid}/cancel", body={})
    assert done.status_code == 200 and done.data["status"] == "CANCELLED", done.body
    assert far["id"] == done.data["id"]


def test_the_resellers_customer_cannot_cancel_or_move_it_through_the_manage_link(api, shop):
    """An outside tester's reseller booking, past the reseller's cutoff (OCTO refused its
    cancellation), was cancelled by its customer on the manage link the confirmation e-mail
    carried, and OCTO then said "refund FULL"; the same link moved it to another date the
    reseller never asked for. A partner's booking is changed through the partner."""
    from chalicelib.booking.services.own_orders import _token

    start = _first_start(api, shop)
    booking = _reserve(api, shop, start)
    done = octo(api, shop, "POST", f"/octo/bookings/{booking['uuid']}/confirm", body={})
    assert done.status_code == 200, done.body
    order_id = done.data["supplierReference"]
    c = api.container
    tenant = c.platform.get_tenant(shop.tenant["tenant_id"])
    order = c.tenant_data.for_tenant(tenant).orders.get(order_id)
    token = _token(tenant, c.manage_token_secret, order)
    headers = {"X-Manage-Token": token}
    key = shop.tenant["publishable_key"]
    path = f"/v1/public/orders/{order_id}"
    seen = api.call("GET", path, auth=key, headers=headers)
    assert seen.status_code == 200, seen.body
    partner = seen.data["partner"]
    assert partner["reference"] and partner["name"]
    assert (partner["commission_bp"], partner["commission"], partner["price"]) == (0, 0, None)
    assert partner["settlement"] == "partner"  # the page says there is nothing to pay here
    cancel = api.call("POST", f"{path}/cancel", auth=key, headers=headers, body={})
    assert_error(cancel, 409, "booked_through_partner")
    line = {"offering_id": "off_tour", "start": f"{_day(api, 31)}T08:00", "party": 2}
    move = api.call("POST", f"{path}/reschedule", auth=key, headers=headers, body={"lines": [line]})
    assert_error(move, 409, "booked_through_partner")
    got = octo(api, shop, "GET", f"/octo/bookings/{booking['uuid']}")
    assert got.data["status"] == "CONFIRMED"
    assert got.data["availabilityId"] == start


def test_the_resellers_customer_cannot_confirm_pay_or_owe_it_on_the_manage_link(api, shop):
    """A reviewer's: the reseller's held reservation was confirmed by its customer on the
    manage link (OCTO then said CONFIRMED, the reseller never asked), and once confirmed the
    page told them they owed the whole price they had paid the reseller."""
    from chalicelib.booking.services.own_orders import _token

    booking = _reserve(api, shop, _first_start(api, shop))
    c = api.container
    tenant = c.platform.get_tenant(shop.tenant["tenant_id"])
    orders = c.tenant_data.for_tenant(tenant).orders
    order_id = next(iter(orders.orders))
    token = _token(tenant, c.manage_token_secret, orders.get(order_id))
    own = {"auth": shop.tenant["publishable_key"], "headers": {"X-Manage-Token": token}}
    path = f"/v1/public/orders/{order_id}"
    for action in ("confirm", "payment", "gift-card"):
        body = {"code": "GIFT-0000-0000"} if action == "gift-card" else {}
        r = api.call("POST", f"{path}/{action}", body=body, **own)
        assert_error(r, 409, "booked_through_partner")
    assert octo(api, shop, "GET", f"/octo/bookings/{booking['uuid']}").data["status"] == "ON_HOLD"
    done = octo(api, shop, "POST", f"/octo/bookings/{booking['uuid']}/confirm", body={})
    assert done.status_code == 200, done.body
    owed = api.call("GET", f"{path}/balance", **own)
    assert owed.status_code == 200, owed.body
    assert owed.data["owed"] == 0


def test_a_bookings_tax_is_named_by_its_rate_as_its_unit_prices_are(api, shop):
    """A tester's booking said "Tax" at its own level and "Tax 6%" on its units."""
    from dataclasses import replace

    from chalicelib.catalog.domain.catalog import PriceBasis, Pricing
    from tests.api.support import tenant_data
    from tests.builders import day_tour

    taxed = replace(day_tour(), pricing=Pricing(amount=38000, basis=PriceBasis.PERSON, tax_bp=600))
    tenant_data(api, shop.tenant).catalog.put_offering(taxed, expected_rev=1)
    booking = _reserve(api, shop, _first_start(api, shop))
    [whole] = booking["pricing"]["includedTaxes"]
    [unit] = booking["unitItems"][0]["pricing"]["includedTaxes"]
    assert whole["name"] == unit["name"] == "Tax 6%"
