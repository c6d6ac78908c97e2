"""The desk moves an appointment (`POST /v1/orders/{id}/reschedule`, the console's "Change the
time"): to another time and another stylist, chosen by `resource_ids`, after a quote
(`"quote": true`) that answers the order as the move would make it and changes nothing; a
time taken meanwhile is 409 `unavailable` with the order as it was."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import haircut, room_type, stay_offering, stylist


@pytest.fixture
def salon(api):
    forbid_server_errors(api)
    tenant = api.signup("moves")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_alex", "Alex"), expected_rev=None)
    data.catalog.put_resource(stylist("res_bea", "Bea"), expected_rev=None)
    data.catalog.put_resource(room_type(), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def hold(api, tenant, line: dict) -> dict:
    body = {"customer": {"name": "Mo Ved", "email": "mo@example.com"}, "lines": [line]}
    r = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=body)
    assert r.status_code == 201, r.body
    return dict(r.data)


def reschedule(api, tenant, order: dict, lines: list[dict], **extra):
    return api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=tenant["secret_key"],
        headers={"If-Match": f'"{order["version"]}"'},
        body={"lines": lines, **extra},
    )


def buckets(api, tenant) -> dict:
    return dict(api.container.tenant_data.data[tenant["tenant_id"]].orders.buckets)


def read(api, tenant, order: dict) -> dict:
    return dict(api.call("GET", f"/v1/orders/{order['id']}", auth=tenant["secret_key"]).data)


CUT_WITH_ALEX = {
    "offering_id": "off_cut",
    "start": "2026-12-01T10:00",
    "resource_ids": {"0": "res_alex"},
}
CUT_WITH_BEA = {
    "offering_id": "off_cut",
    "start": "2026-12-02T11:00",
    "resource_ids": {"0": "res_bea"},
}


def test_the_desk_sees_a_move_to_another_stylist_quoted_and_the_quote_changes_nothing(api, salon):
    order = hold(api, salon, CUT_WITH_ALEX)
    taken = buckets(api, salon)
    quote = reschedule(api, salon, order, [CUT_WITH_BEA], quote=True)
    assert quote.status_code == 200, quote.body
    line = quote.data["lines"][0]
    assert line["start"].startswith("2026-12-02T11:00")
    assert [r["name"] for r in line["resources"]] == ["Bea"]
    assert quote.data["version"] == order["version"]
    assert quote.data["totals"] == order["totals"]
    # Nothing moved: the order, its units.
    assert read(api, salon, order) == order
    assert buckets(api, salon) == taken


def test_the_desk_moves_an_appointment_to_another_time_and_stylist(api, salon):
    order = hold(api, salon, CUT_WITH_ALEX)
    moved = reschedule(api, salon, order, [CUT_WITH_BEA])
    assert moved.status_code == 200, moved.body
    assert moved.data["version"] == order["version"] + 1
    again = read(api, salon, order)
    assert again["lines"][0]["start"].startswith("2026-12-02T11:00")
    assert [r["resource_id"] for r in again["lines"][0]["resources"]] == ["res_bea"]
    # Alex is free again at ten on the first: another customer may book him then.
    other = hold(api, salon, CUT_WITH_ALEX)
    assert [r["name"] for r in other["lines"][0]["resources"]] == ["Alex"]


def test_a_quote_names_the_new_total_when_the_move_changes_the_price(api, salon):
    order = hold(api, salon, {"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1})
    longer = [{"offering_id": "off_stay", "check_in": "2026-12-27", "nights": 2}]
    quote = reschedule(api, salon, order, longer, quote=True)
    assert quote.status_code == 200, quote.body
    assert quote.data["totals"]["total"] == 2 * order["totals"]["total"]
    assert read(api, salon, order)["totals"] == order["totals"]


def test_a_move_at_another_total_than_its_quote_said_is_refused_and_changes_nothing(api, salon):
    """The desk and the manage page send the quote's total with the move: a price changed
    while the question was open must not move the guest at a total they were not told."""
    order = hold(api, salon, {"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1})
    longer = [{"offering_id": "off_stay", "check_in": "2026-12-27", "nights": 2}]
    told = reschedule(api, salon, order, longer, quote=True).data["totals"]["total"]
    refused = reschedule(api, salon, order, longer, expected_total=told - 1000)
    error = assert_error(refused, 409, "price_changed")
    assert error["details"]["total"] == told
    assert read(api, salon, order) == order
    moved = reschedule(api, salon, order, longer, expected_total=told)
    assert moved.status_code == 200 and moved.data["totals"]["total"] == told, moved.body


def test_a_quote_on_a_stale_version_is_refused(api, salon):
    order = hold(api, salon, CUT_WITH_ALEX)
    assert reschedule(api, salon, order, [CUT_WITH_BEA]).status_code == 200
    stale = reschedule(api, salon, order, [CUT_WITH_ALEX], quote=True)
    assert_error(stale, 409, "version_mismatch")


def test_a_time_taken_after_the_quote_is_refused_and_the_order_stays(api, salon):
    order = hold(api, salon, CUT_WITH_ALEX)
    assert reschedule(api, salon, order, [CUT_WITH_BEA], quote=True).status_code == 200
    hold(api, salon, CUT_WITH_BEA)  # another desk books Bea at that time meanwhile
    refused = reschedule(api, salon, order, [CUT_WITH_BEA])
    assert_error(refused, 409, "unavailable")
    assert read(api, salon, order) == order


def alex_starts(api, tenant, **extra) -> list[str]:
    query = "offering=off_cut&from=2026-12-01&to=2026-12-02&resource=res_alex"
    query += "".join(f"&{k}={v}" for k, v in extra.items())
    r = api.call("GET", f"/v1/availability?{query}", auth=tenant["secret_key"])
    assert r.status_code == 200, r.body
    return [o["start"][11:16] for o in r.data["options"]]


def test_availability_for_a_move_counts_the_orders_own_time_as_free(api, salon):
    order = hold(api, salon, CUT_WITH_ALEX)
    # Ten o'clock and the half hour after it overlap the appointment (45 minutes, 15 after).
    assert {"10:00", "10:30"}.isdisjoint(alex_starts(api, salon))
    mine = alex_starts(api, salon, order=order["id"])
    assert {"09:00", "10:00", "10:30", "11:00"} <= set(mine)
    # The move to one of them is made as it was offered.
    later = {**CUT_WITH_ALEX, "start": "2026-12-01T10:30"}
    moved = reschedule(api, salon, order, [later])
    assert moved.status_code == 200, moved.body
    assert moved.data["lines"][0]["start"].startswith("2026-12-01T10:30")


def test_availability_for_an_unknown_order_is_404(api, salon):
    r = api.call(
        "GET",
        "/v1/availability?offering=off_cut&from=2026-12-01&to=2026-12-02&order=ord_nope",
        auth=salon["secret_key"],
    )
    assert_error(r, 404, "order_not_found")


def _chosen(api, tenant, order: dict) -> tuple[int, ...] | None:
    stored = api.container.tenant_data.data[tenant["tenant_id"]].orders.get(order["id"])
    return stored.lines[0].chosen


def test_a_stylist_the_customer_picks_on_the_manage_page_is_theirs_the_desks_is_not(api, salon):
    """A booking made for "any stylist", moved by the customer to the other stylist on the
    manage page: that one is now their choice, so a later move off them tells them (Line.seen);
    the desk's move keeps what they chose; their own move back to "any" chooses no one again."""
    body = {
        "customer": {"name": "Mo Ved", "email": "mo@example.com"},
        "lines": [{"offering_id": "off_cut", "start": "2026-12-01T10:00"}],
    }
    made = api.call("POST", "/v1/public/orders", auth=salon["publishable_key"], body=body)
    assert made.status_code == 201, made.body
    order = dict(made.data)
    assert _chosen(api, salon, order) == ()

    def own(lines: list[dict]) -> None:
        r = api.call(
            "POST",
            f"/v1/public/orders/{order['id']}/reschedule",
            auth=salon["publishable_key"],
            headers={"X-Manage-Token": order["manage_token"]},
            body={"lines": lines},
        )
        assert r.status_code == 200, r.body

    assigned = read(api, salon, order)["lines"][0]["resources"][0]["resource_id"]
    other = "res_alex" if assigned == "res_bea" else "res_bea"
    own([{**CUT_WITH_BEA, "resource_ids": {"0": other}}])
    assert _chosen(api, salon, order) == (0,)
    moved = reschedule(api, salon, read(api, salon, order), [{**CUT_WITH_ALEX}])
    assert moved.status_code == 200, moved.body
    assert _chosen(api, salon, order) == (0,)
    own([{"offering_id": "off_cut", "start": "2026-12-02T11:00"}])
    assert _chosen(api, salon, order) == ()
    # A time-only move sends back the stylist serving it (the manage page starts from the
    # booking's own): the one the salon assigned stays the salon's (a reviewer's).
    serving = read(api, salon, order)["lines"][0]["resources"][0]["resource_id"]
    own([{"offering_id": "off_cut", "start": "2026-12-03T14:00", "resource_ids": {"0": serving}}])
    assert _chosen(api, salon, order) == ()


def test_the_customers_messages_name_the_stylist_they_chose_and_the_one_a_move_gives(api, salon):
    """A salon's customer was never told which stylist they were booked with, nor that the
    desk had moved them to another: the built-in messages name what the guest chose (not the
    stylist the salon assigned to an "any stylist" booking, which is its arrangement)."""
    from tests.api.test_notifications_api import deliver_events

    def booked(line: dict, email: str) -> dict:
        body = {"customer": {"name": "Mo Ved", "email": email}, "lines": [line]}
        r = api.call("POST", "/v1/orders", auth=salon["secret_key"], body=body)
        assert r.status_code == 201, r.body
        r = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=salon["secret_key"])
        assert r.status_code == 200, r.body
        deliver_events(api)
        return dict(r.data)

    def mails(to: str, subject: str) -> list[str]:
        sent = api.container.mailer.sent
        return [m.text for m in sent if to in m.to and m.subject.startswith(subject)]

    order = booked(CUT_WITH_ALEX, "mo@example.com")
    [confirmed] = mails("mo@example.com", "Confirmed")
    assert "Haircut (Alex):" in confirmed
    moved = reschedule(api, salon, order, [{**CUT_WITH_ALEX, "resource_ids": {"0": "res_bea"}}])
    assert moved.status_code == 200, moved.body
    deliver_events(api)
    [changed] = mails("mo@example.com", "Changed")
    assert "Haircut (Bea):" in changed
    booked({"offering_id": "off_cut", "start": "2026-12-03T10:00"}, "any@example.com")
    [anyone] = mails("any@example.com", "Confirmed")
    assert "Haircut:" in anyone and "Alex" not in anyone and "Bea" not in anyone


def test_a_line_from_before_choices_were_kept_moved_by_time_names_no_one(api, salon):
    """A late reviewer's: a line kept before `chosen` (None, which its e-mails and the widget
    read as no choice) moved by time only, its serving stylist sent back, turned that stylist
    into the guest's pick."""
    from dataclasses import replace

    from chalicelib.booking.services.chosen import chosen_after_move

    order = hold(api, salon, {"offering_id": "off_cut", "start": "2026-12-01T10:00"})
    stored = api.container.tenant_data.data[salon["tenant_id"]].orders.get(order["id"])
    legacy = replace(stored.lines[0], chosen=None)
    serving = legacy.allocations[0].resource_id
    other = "res_alex" if serving == "res_bea" else "res_bea"
    assert chosen_after_move(legacy, {0: serving}) == ()
    assert chosen_after_move(legacy, {0: other}) == (0,)
