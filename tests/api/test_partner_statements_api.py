"""A partner's orders: found by the partner's reference, shown with their partner and
commission in the order's JSON, and listed on the partner's monthly statement."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.booking.domain.orders import Channel, Customer
from chalicelib.booking.services import orders
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.channels.services.connections import partner_ref
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.services.context import TenantContext
from tests.api.support import assert_error, forbid_server_errors, tenant_data
from tests.builders import room_type, stay_offering


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def hotel(api):
    tenant = api.signup("harbour")
    data = tenant_data(api, tenant)
    data.catalog.put_resource(room_type(rooms=4), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def connect(api, tenant, name="Expedia", commission_bp=1500):
    body = {"name": name, "kind": "channel_manager", "commission_bp": commission_bp}
    r = api.call("POST", "/v1/channels", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


def ctx_of(api, tenant) -> TenantContext:
    """The context a partner's booking runs in (the OCTO and inbound slices' routes)."""
    c = api.container
    actor = Actor(kind="secret_key", id="k_partner", tenant_id=tenant["tenant_id"], role="staff")
    return TenantContext(
        tenant=c.platform.get_tenant(tenant["tenant_id"]),
        actor=actor,
        data_factory=c.tenant_data,
        now=c.now,
        new_id=c.new_id,
    )


def partner_booking(api, tenant, connection_id, reference, order_id, nights=2):
    ctx = ctx_of(api, tenant)
    connection = ctx.data.connections.get(connection_id)
    hold = HoldInput(
        Customer("Ada", "ada@example.com"),
        [LineInput("off_stay", check_in=date(2026, 12, 24), nights=nights)],
        Channel.PARTNER,
        partner=partner_ref(connection, reference, "off_stay"),
    )
    return hold_order(ctx, api.container.catalog_cache, hold, order_id=order_id)


def test_a_partners_order_is_found_by_its_reference_as_the_order_route_shows_it(api, hotel):
    connection = connect(api, hotel)
    order = partner_booking(api, hotel, connection["id"], "EXP-1001", "ord_exp1")
    orders.confirm(ctx_of(api, hotel), order.id)

    path = f"/v1/channels/{connection['id']}/orders/EXP-1001"
    found = api.call("GET", path, auth=hotel["secret_key"])
    assert found.status_code == 200, found.body
    direct = api.call("GET", f"/v1/orders/{order.id}", auth=hotel["secret_key"])
    assert found.data == direct.data and found.headers["ETag"] == direct.headers["ETag"]
    assert found.data["channel"] == "partner" and found.data["overbooked"] is False
    assert found.data["partner"] == {
        "connection_id": connection["id"],
        "name": "Expedia",
        "reference": "EXP-1001",
        "commission_bp": 1500,
        "commission": 24000 * 1500 // 10000,
        "price": None,  # booked through the engine without a partner's price
        "price_currency": None,
        "settlement": "partner",  # the connection's default: it pays on account
    }


def test_an_order_of_no_partner_shows_no_partner(api, hotel):
    body = {
        "customer": {"name": "Bea", "email": "bea@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1}],
    }
    r = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body)
    assert r.data["partner"] is None and r.data["overbooked"] is False


def test_a_reference_is_looked_up_under_its_own_connection_only(api, hotel):
    expedia = connect(api, hotel)
    booking = connect(api, hotel, "Booking.com")
    partner_booking(api, hotel, expedia["id"], "R-1", "ord_1")
    r = api.call("GET", f"/v1/channels/{booking['id']}/orders/R-1", auth=hotel["secret_key"])
    assert_error(r, 404, "partner_order_not_found")
    staff = api.staff_token(hotel, "staff")
    r = api.call("GET", f"/v1/channels/{expedia['id']}/orders/R-1", auth=staff)
    assert r.status_code == 200 and r.data["id"] == "ord_1"


def test_the_statement_lists_the_months_bookings_and_counts_those_sold(api, hotel):
    expedia = connect(api, hotel)
    ctx = ctx_of(api, hotel)
    sold = partner_booking(api, hotel, expedia["id"], "EXP-1", "ord_1")
    orders.confirm(ctx, sold.id)
    called_off = partner_booking(api, hotel, expedia["id"], "EXP-2", "ord_2", nights=1)
    orders.confirm(ctx, called_off.id)
    orders.cancel(ctx, api.container.catalog_cache, called_off.id)
    partner_booking(api, hotel, expedia["id"], "EXP-3", "ord_3", nights=1)  # still held
    other = connect(api, hotel, "Booking.com")
    partner_booking(api, hotel, other["id"], "BK-1", "ord_4", nights=1)  # another partner's

    path = f"/v1/channels/{expedia['id']}/statements/2026-11"
    r = api.call("GET", path, auth=hotel["secret_key"])
    assert r.status_code == 200, r.body
    s = r.data
    assert (s["connection_id"], s["name"], s["month"], s["zone"]) == (
        expedia["id"],
        "Expedia",
        "2026-11",
        "Europe/Berlin",
    )
    assert [(line["reference"], line["status"], line["commission"]) for line in s["lines"]] == [
        ("EXP-1", "confirmed", 3600),
        ("EXP-2", "cancelled", 0),
        ("EXP-3", "held", 0),
    ]
    assert s["lines"][0]["total"] == 24000 and s["lines"][0]["currency"] == "EUR"
    assert s["totals"] == {"EUR": {"orders": 1, "total": 24000, "commission": 3600, "net": 20400}}

    december = api.call("GET", path.replace("2026-11", "2026-12"), auth=hotel["secret_key"])
    assert december.status_code == 200
    assert december.data["lines"] == [] and december.data["totals"] == {}


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "26-11", "2026-11-01", "２０２６-11"])
def test_a_month_is_yyyy_mm(api, hotel, month):
    expedia = connect(api, hotel)
    r = api.call(
        "GET", f"/v1/channels/{expedia['id']}/statements/{month}", auth=hotel["secret_key"]
    )
    assert_error(r, 422, "invalid_month")


def test_only_managers_read_statements(api, hotel):
    expedia = connect(api, hotel)
    staff = api.staff_token(hotel, "staff")
    r = api.call("GET", f"/v1/channels/{expedia['id']}/statements/2026-11", auth=staff)
    assert_error(r, 403, "role_forbidden")


def test_an_offerings_own_rate_is_the_commission_its_bookings_carry(api, hotel):
    expedia = connect(api, hotel)
    api.call(
        "PATCH",
        f"/v1/channels/{expedia['id']}",
        auth=hotel["secret_key"],
        body={"offering_commissions": {"off_stay": 1000}},
    )
    order = partner_booking(api, hotel, expedia["id"], "EXP-9", "ord_9")
    assert order.partner is not None and order.partner.commission_bp == 1000
