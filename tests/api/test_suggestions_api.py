"""Suggestions over the API: a history built by real bookings and confirmations, counted by
the very dispatcher Lambda invokes (three deliveries of each event), read back by staff (by id
and by e-mail) and by the customer holding an order's manage token; bad input and roles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.customers.domain.identity import customer_id_for
from tests.api.support import (
    assert_error,
    deliver_events_times,
    forbid_server_errors,
    tenant_data,
)
from tests.builders import haircut, stylist, timed_booking

SKILLS = ("cut", "colour", "beard")
# Who books what (each a confirmed booking at 10:00 local on its own day): four of the five
# cut customers also take colour (80 %); beard only by one of them (below the minimum of 3).
PLAN = [
    ("ann", "off_cut"),
    ("ann", "off_colour"),
    ("ben", "off_cut"),
    ("ben", "off_colour"),
    ("cat", "off_cut"),
    ("cat", "off_colour"),
    ("dan", "off_cut"),
    ("dan", "off_colour"),
    ("dan", "off_beard"),
    ("eve", "off_cut"),
]


@pytest.fixture
def salon(api):
    forbid_server_errors(api)
    tenant = api.signup("suggesting", business_type="appointments")
    data = tenant_data(api, tenant)
    data.catalog.put_resource(stylist("res_alex", "Alex", skills=SKILLS), expected_rev=None)
    data.catalog.put_resource(stylist("res_bea", "Bea", skills=SKILLS), expected_rev=None)
    for oid, name in [("off_cut", "Haircut"), ("off_colour", "Colour"), ("off_beard", "Beard")]:
        skill = oid.removeprefix("off_")
        offering = replace(haircut(oid=oid), name=name)
        requirement = replace(offering.requirements[0], selector=replace(
            offering.requirements[0].selector, skill=skill))  # fmt: skip
        data.catalog.put_offering(replace(offering, requirements=(requirement,)), expected_rev=None)
    return tenant


def book(api, tenant, who, offering, day, *, stylist_id="res_alex", confirm=True):
    body = timed_booking(who, offering, f"2026-12-{day:02d}T10:00", stylist_id)
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    if confirm:
        path = f"/v1/orders/{r.data['id']}/confirm"
        assert api.call("POST", path, auth=tenant["secret_key"]).status_code == 200
    return r.data


def deliver_three_times(api):
    assert deliver_events_times(api, 3) == {"batchItemFailures": []}


def history(api, salon):
    for day, (who, offering) in enumerate(PLAN, start=1):
        book(api, salon, who, offering, day, stylist_id="res_bea" if who == "eve" else "res_alex")
    deliver_three_times(api)


def suggestions(api, tenant, customer, query="", auth=None):
    path = f"/v1/customers/{customer}/suggestions{query}"
    return api.call("GET", path, auth=auth or tenant["secret_key"])


def test_staff_see_a_customers_suggestions_with_the_reason_and_usual_staff_and_time(api, salon):
    history(api, salon)
    eve = customer_id_for("eve@example.com")
    r = suggestions(api, salon, eve)
    assert r.status_code == 200, r.body
    assert r.data["customer_id"] == eve
    assert r.data["booked"] == [{"offering_id": "off_cut", "name": "Haircut"}]
    assert r.data["suggestions"] == [
        {
            "offering_id": "off_colour",
            "name": "Colour",
            "because_offering_id": "off_cut",
            "because_name": "Haircut",
            "support": 4,
            "base": 5,
            "share_percent": 80,
            "explanation": "Booked by 80 % of customers who booked Haircut (4 of 5).",
        }
    ]
    assert r.data["usual_staff"] is None and r.data["usual_time"] is None  # one booking only

    dan = suggestions(api, salon, "by-email", "?email=Dan@Example.com").data
    assert dan["customer_id"] == customer_id_for("dan@example.com")
    assert [b["offering_id"] for b in dan["booked"]] == ["off_cut", "off_colour", "off_beard"]
    assert dan["suggestions"] == []  # he booked everything there is
    assert dan["usual_staff"] == {"name": "Alex", "resource_id": "res_alex", "times": 3, "of": 3}
    assert dan["usual_time"] == {"name": "10:00", "resource_id": None, "times": 3, "of": 3}


def test_a_cancelled_booking_no_longer_counts(api, salon):
    history(api, salon)
    extra = book(api, salon, "fay", "off_cut", 20)
    deliver_three_times(api)
    fay = customer_id_for("fay@example.com")
    assert suggestions(api, salon, fay).data["suggestions"][0]["base"] == 6
    cancel = api.call("POST", f"/v1/orders/{extra['id']}/cancel", auth=salon["secret_key"],
                      body={"reason": "ill"})  # fmt: skip
    assert cancel.status_code == 200, cancel.body
    deliver_three_times(api)
    eve = suggestions(api, salon, customer_id_for("eve@example.com")).data
    assert eve["suggestions"][0]["base"] == 5
    assert suggestions(api, salon, fay).data["booked"] == []


def test_the_widget_reads_suggestions_for_its_order_with_the_manage_token(api, salon):
    history(api, salon)
    body = {
        "customer": {"name": "Gus", "email": "gus@example.com"},
        "lines": [{"offering_id": "off_cut", "start": "2026-12-22T10:00"}],
    }
    held = api.call("POST", "/v1/public/orders", auth=salon["publishable_key"], body=body)
    assert held.status_code == 201, held.body
    path = f"/v1/public/orders/{held.data['id']}/suggestions"
    headers = {"X-Manage-Token": held.data["manage_token"]}
    r = api.call("GET", path, auth=salon["publishable_key"], headers=headers)
    assert r.status_code == 200, r.body
    assert r.data == {
        "data": [
            {
                "offering_id": "off_colour",
                "name": "Colour",
                "because_offering_id": "off_cut",
                "because_name": "Haircut",
                "share_percent": 80,
                "explanation": "80 % of customers who booked Haircut also booked Colour.",
            }
        ]
    }
    assert "support" not in r.data["data"][0]  # no head count reaches the public

    with_query = api.call(
        "GET", f"{path}?token={held.data['manage_token']}", auth=salon["publishable_key"]
    )
    assert with_query.data == r.data
    assert_error(api.call("GET", path, auth=salon["publishable_key"]), 403)
    wrong = {"X-Manage-Token": held.data["manage_token"][:-2] + "xx"}
    assert_error(api.call("GET", path, auth=salon["publishable_key"], headers=wrong), 404)

    cancel = f"/v1/public/orders/{held.data['id']}/cancel"
    gone = api.call("POST", cancel, auth=salon["publishable_key"], headers=headers, body={})
    assert gone.status_code == 200, gone.body
    after = api.call("GET", path, auth=salon["publishable_key"], headers=headers)
    assert after.status_code == 200 and after.data == {"data": []}  # a cancelled booking


def test_an_offering_taken_off_sale_is_not_suggested(api, salon):
    history(api, salon)
    data = tenant_data(api, salon)
    colour = data.catalog.get_offering("off_colour")
    data.catalog.put_offering(
        replace(colour, active=False, rev=colour.rev + 1), expected_rev=colour.rev
    )
    api.container.catalog_cache.invalidate(salon["tenant_id"])
    eve = suggestions(api, salon, customer_id_for("eve@example.com")).data
    assert eve["suggestions"] == []


@pytest.mark.parametrize(
    ("customer", "query", "code"),
    [
        ("cus_short", "", "invalid_customer_id"),
        ("by-email", "", "customer_required"),
        (customer_id_for("ann@example.com"), "?email=ben@example.com", "customer_mismatch"),
    ],
)
def test_a_customer_named_wrongly_is_refused(api, salon, customer, query, code):
    assert_error(suggestions(api, salon, customer, query), 422, code)


@pytest.mark.parametrize("query", ["?email=not-an-address", "?limit=0", "?limit=11", "?x=1"])
def test_bad_query_values_are_refused(api, salon, query):
    assert_error(suggestions(api, salon, "by-email", query), 422, "validation_failed")


def test_a_customer_with_no_bookings_has_nothing_to_suggest(api, salon):
    book(api, salon, "gil", "off_cut", 21, confirm=False)
    book(api, salon, "hal", "off_cut", 22)
    book(api, salon, "hal", "off_cut", 23, confirm=False)
    cancel = api.call(
        "POST", "/v1/orders/" + book(api, salon, "hal", "off_cut", 24)["id"] + "/cancel",
        auth=salon["secret_key"], body={"reason": "ill"},
    )  # fmt: skip
    assert cancel.status_code == 200, cancel.body
    deliver_three_times(api)
    r = suggestions(api, salon, "by-email", "?email=hal@example.com")
    assert r.status_code == 200
    assert r.data["booked"] == [{"offering_id": "off_cut", "name": "Haircut"}]
    assert r.data["suggestions"] == []


@pytest.mark.parametrize("who", ["nobody@example.com", "gil@example.com"])
def test_a_customer_the_business_has_no_record_of_is_not_found(api, salon, who):
    """An outside tester's: an address nobody booked with here, or another business's
    customer's id, was answered as a customer with no history (200), where
    `GET /v1/customers/{id}` answers 404; Gil's only booking is still held."""
    book(api, salon, "gil", "off_cut", 21, confirm=False)
    deliver_three_times(api)
    assert_error(suggestions(api, salon, "by-email", f"?email={who}"), 404, "customer_not_found")
    by_id = suggestions(api, salon, customer_id_for(who))
    assert_error(by_id, 404, "customer_not_found")
    assert_error(api.call("GET", f"/v1/customers/{customer_id_for(who)}", auth=salon["secret_key"]),
                 404, "customer_not_found")  # fmt: skip


def test_every_staff_role_reads_suggestions_and_a_publishable_key_does_not(api, salon):
    book(api, salon, "a", "off_cut", 21)
    deliver_three_times(api)
    for role in ("viewer", "staff", "manager"):
        token = api.staff_token(salon, role)
        assert suggestions(api, salon, "by-email", "?email=a@example.com", token).status_code == 200
    refused = suggestions(api, salon, "by-email", "?email=a@example.com", salon["publishable_key"])
    assert refused.status_code in (401, 403)


def test_a_hold_made_by_typing_an_address_does_not_learn_what_it_booked(api, salon):
    """Ann booked Colour before. A hold typed under her address gets its manage token, but the
    suggestions leave her history out only for the proof in her e-mail's link: else what is
    missing from them would tell the typist what she booked."""
    from tests.api.test_notifications_api import deliver_events
    from tests.api.test_points_proof_api import mailed_link

    history(api, salon)
    page = {"widget_origins": ["https://salon.example"], "booking_page": "https://salon.example/b"}
    assert api.call("PATCH", "/v1/tenant", auth=salon["secret_key"], body=page).status_code == 200
    body = {
        "customer": {"name": "Not Ann", "email": "ANN@example.com"},
        "lines": [{"offering_id": "off_cut", "start": "2026-12-23T10:00"}],
    }
    held = api.call("POST", "/v1/public/orders", auth=salon["publishable_key"], body=body).data
    path = f"/v1/public/orders/{held['id']}/suggestions"
    token = {"X-Manage-Token": held["manage_token"]}
    typed = api.call("GET", path, auth=salon["publishable_key"], headers=token)
    assert typed.status_code == 200, typed.body
    assert [s["offering_id"] for s in typed.data["data"]] == ["off_colour"]  # as for anyone
    assert deliver_events(api) == {"batchItemFailures": []}  # the "held" e-mail, to Ann
    proof = mailed_link(api, held["id"], to="ann@example.com")["reservoir_proof"]
    mailed = api.call(
        "GET", path, auth=salon["publishable_key"], headers={**token, "X-Email-Proof": proof}
    )
    assert mailed.status_code == 200 and mailed.data == {"data": []}  # she booked Colour
