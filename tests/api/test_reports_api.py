"""The report API and the rebuild (README "Reports"): a hotel paid at the venue (2 nights at
120.00 from 2026-12-24; the clock starts 2026-11-24 in Berlin), its booking's events through
the bookkeeping dispatcher, the figures on each basis, bad queries refused, the rebuild job
through its worker, and the roles."""

from __future__ import annotations

import pytest

from chalicelib.queues import EVENTS, REBUILDS
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_desk_payments_api import booked, shop, take  # noqa: F401 (fixture)
from tests.api.test_notifications_api import invoke


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def figures(api, shop, query, auth=None):  # noqa: F811
    return api.call("GET", f"/v1/reports/figures?{query}", auth=auth or shop["secret_key"])


def _events(api):
    bodies = api.container.relayed_events()
    if bodies:
        assert invoke(api, "dispatch_events", EVENTS.name, bodies) == {"batchItemFailures": []}


def test_a_booking_shows_on_its_booked_service_and_paid_days(api, shop):  # noqa: F811
    order = booked(api, shop)
    assert take(api, shop, order["id"], amount=5000, method="cash").status_code == 201
    _events(api)
    r = figures(api, shop, "basis=service&from=2026-12-01&to=2026-12-31&group=month&by=offering")
    assert r.status_code == 200, r.body
    assert (r.data["basis"], r.data["zone"], r.data["by"]) == (
        "service",
        "Europe/Berlin",
        "offering",
    )
    [row] = r.data["rows"]
    assert (row["period"], row["key"], row["figures"]["bookings"]) == (
        "2026-12-01",
        "off_stay",
        1,
    )
    money = r.data["totals"]["money"][order["currency"]]
    assert money["gross"] == order["totals"]["total"] == money["net"]
    assert r.data["totals"]["units_sold"] == 2 and r.data["totals"]["occupancy_bp"] is not None
    assert r.data["updated_at"] is not None
    paid = figures(api, shop, "basis=paid&from=2026-11-24&to=2026-11-24&compare=previous")
    assert paid.status_code == 200, paid.body
    assert paid.data["totals"]["money"][order["currency"]]["payments"] == {"cash": 5000}
    assert paid.data["previous"]["from"] == "2026-11-23"
    booked_day = figures(api, shop, "basis=booked&from=2026-11-24&to=2026-11-24&by=channel")
    assert [(x["key"], x["figures"]["new_customers"]) for x in booked_day.data["rows"]] == [
        ("api", 1)
    ]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("basis=sold&from=2026-11-01&to=2026-11-02", "report_invalid"),
        ("basis=paid&from=2026-11-02&to=2026-11-01", "report_invalid"),
        ("basis=paid&from=2026-11-01&to=2026-11-02&group=year", "report_invalid"),
        ("basis=paid&from=2026-11-01&to=2026-11-02&by=colour", "report_invalid"),
        ("basis=paid&from=2025-01-01&to=2026-01-02", "report_range_too_long"),
    ],
)
def test_a_bad_report_query_is_422(api, shop, query, code):  # noqa: F811
    assert_error(figures(api, shop, query), 422, code)


def test_a_missing_or_malformed_date_is_a_4xx_not_a_500(api, shop):  # noqa: F811
    assert figures(api, shop, "basis=paid&from=2026-13-01&to=2026-12-01").status_code == 422
    assert figures(api, shop, "basis=paid&to=2026-12-01").status_code == 422


def test_staff_may_not_read_the_figures_a_viewer_may(api, shop):  # noqa: F811
    """A viewer (the bookkeeper's read-only login) reads them; rebuilding them is a manager's."""
    week = "basis=paid&from=2026-11-01&to=2026-11-02"
    token = api.staff_token(shop, "staff")
    assert figures(api, shop, week, auth=token).status_code == 403
    for role in ("manager", "viewer"):
        assert figures(api, shop, week, auth=api.staff_token(shop, role)).status_code == 200
    body = {"from": "2026-11-01", "to": "2026-11-02"}
    viewer = api.staff_token(shop, "viewer")
    rebuild = api.call("POST", "/v1/reports/rebuild", auth=viewer, body=body)
    assert rebuild.status_code == 403


def test_a_rebuild_recomputes_the_figures_and_answers_as_the_live_ones(api, shop):  # noqa: F811
    order = booked(api, shop)
    _events(api)
    query = "basis=service&from=2026-12-01&to=2026-12-31"
    live = figures(api, shop, query).data
    headers = {"Idempotency-Key": "rebuild-1"}
    body = {"from": "2026-12-01", "to": "2026-12-31"}
    r = api.call("POST", "/v1/reports/rebuild", auth=shop["secret_key"], body=body, headers=headers)
    assert r.status_code == 202, r.body
    assert r.data["status"] == "queued" and r.data["from"] == "2026-12-01"
    again = api.call(
        "POST", "/v1/reports/rebuild", auth=shop["secret_key"], body=body, headers=headers
    )
    assert again.data["id"] == r.data["id"]
    run_rebuilds(api)
    status = api.call("GET", f"/v1/reports/rebuild/{r.data['id']}", auth=shop["secret_key"])
    assert status.status_code == 200, status.body
    assert status.data["status"] == "done" and status.data["orders"] >= 1
    after = figures(api, shop, query).data
    assert after["totals"] == live["totals"] and after["rows"] == live["rows"]
    assert after["totals"]["bookings"] == 1 and order["id"]


def run_rebuilds(api) -> None:
    bodies = api.container.bus.take(REBUILDS.name)
    assert len(bodies) == 1
    assert invoke(api, "run_rebuilds", REBUILDS.name, bodies) == {"batchItemFailures": []}


def test_a_day_whose_every_booking_was_cancelled_rebuilds_as_it_reads_live(api, shop):  # noqa: F811
    """The live counters of a cancelled booking's currency go up and back to zero; a rebuild
    from the orders never meets that currency. Both answer no money block for it."""
    order = booked(api, shop)
    _events(api)
    r = api.call("POST", f"/v1/orders/{order['id']}/cancel", auth=shop["secret_key"], body={})
    assert r.status_code == 200, r.body
    _events(api)
    query = "basis=service&from=2026-12-01&to=2026-12-31&by=offering"
    live = figures(api, shop, query).data
    assert live["totals"]["money"] == {} and live["totals"]["cancellations"] == 1
    body = {"from": "2026-12-01", "to": "2026-12-31"}
    r = api.call("POST", "/v1/reports/rebuild", auth=shop["secret_key"], body=body)
    assert r.status_code == 202, r.body
    run_rebuilds(api)
    after = figures(api, shop, query).data
    assert after["totals"] == live["totals"] and after["rows"] == live["rows"]


def test_a_rebuild_of_too_long_a_range_or_an_unknown_one_is_refused(api, shop):  # noqa: F811
    body = {"from": "2025-01-01", "to": "2026-01-02"}
    r = api.call("POST", "/v1/reports/rebuild", auth=shop["secret_key"], body=body)
    assert_error(r, 422, "report_range_too_long")
    missing = api.call("GET", "/v1/reports/rebuild/rbd_nope", auth=shop["secret_key"])
    assert_error(missing, 404, "rebuild_not_found")


def test_a_no_show_undone_counts_again_as_a_booking_not_a_no_show(api, shop):  # noqa: F811
    from datetime import UTC, datetime

    order = booked(api, shop)  # 2 nights from 2026-12-24
    path = f"/v1/orders/{order['id']}"
    api.container.clock.moment = datetime(2026, 12, 24, 20, 0, tzinfo=UTC)
    assert api.call("POST", f"{path}/no-show", auth=shop["secret_key"]).status_code == 200
    _events(api)
    query = "basis=service&from=2026-12-24&to=2026-12-24"
    assert figures(api, shop, query).data["totals"]["no_shows"] == 1
    undone = api.call("POST", f"{path}/no-show/undo", auth=shop["secret_key"])
    assert undone.status_code == 200, undone.body
    _events(api)
    totals = figures(api, shop, query).data["totals"]
    assert (totals["no_shows"], totals["bookings"]) == (0, 1)
