"""The day's takings (cash-up): the desk's payments and refunds per day, method and staff
member against what is expected; the close with the counted cash and the difference; a closed
day refused a change; a correction is a new entry on an open day. The shop is in Berlin and the
clock starts at 2026-11-24 09:00 UTC (10:00 local)."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

import pytest

from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_desk_payments_api import booked, shop, take  # noqa: F401 (fixture)

TODAY = "2026-11-24"


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def give_back(api, shop, order_id, key=None, auth=None, **body):  # noqa: F811
    headers = {"Idempotency-Key": key} if key else {}
    body = {"reason": "Overcharged", **body}
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/refunds",
        auth=auth or shop["secret_key"],
        body=body,
        headers=headers,
    )


def close(api, shop, day=TODAY, key=None, auth=None, **body):  # noqa: F811
    headers = {"Idempotency-Key": key} if key else {}
    return api.call(
        "POST",
        f"/v1/takings/{day}/close",
        auth=auth or shop["secret_key"],
        body=body,
        headers=headers,
    )


def takings(api, shop, day=TODAY, auth=None, query=""):  # noqa: F811
    r = api.call("GET", f"/v1/takings/{day}{query}", auth=auth or shop["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def by_method(day):
    return {m["method"]: m for m in day["methods"]}


def test_the_day_shows_per_method_and_per_staff_what_the_desk_recorded(api, shop):  # noqa: F811
    order = booked(api, shop)
    owner = api.owner_token(shop)
    assert (
        take(api, shop, order["id"], amount=5000, method="cash", reference="R-1").status_code == 201
    )
    assert (
        take(api, shop, order["id"], amount=3000, method="card_terminal", auth=owner).status_code
        == 201
    )
    assert give_back(api, shop, order["id"], amount=1200, method="cash").status_code == 201

    day = takings(api, shop)

    assert (day["date"], day["currency"], day["closed"], day["entry_count"]) == (
        TODAY,
        "EUR",
        False,
        3,
    )
    cash, card = by_method(day)["cash"], by_method(day)["card_terminal"]
    assert (cash["taken"], cash["given_back"], cash["net"], cash["expected"]) == (
        5000,
        1200,
        3800,
        3800,
    )
    assert (card["taken"], card["net"], card["expected"], card["counted"]) == (
        3000,
        3000,
        3000,
        None,
    )
    staff = {
        s["taken_by"]: {m["method"]: (m["taken"], m["given_back"]) for m in s["methods"]}
        for s in day["staff"]
    }
    assert len(staff) == 2
    assert {"cash": (5000, 1200)} in staff.values() and {
        "card_terminal": (3000, 0)
    } in staff.values()
    assert [(e["direction"], e["method"], e["amount"]) for e in day["entries"]] == [
        ("in", "cash", 5000),
        ("in", "card_terminal", 3000),
        ("out", "cash", 1200),
    ]
    assert (
        day["entries"][0]["reference"] == "R-1" and day["entries"][2]["reference"] == "Overcharged"
    )
    assert all(e["order_id"] == order["id"] for e in day["entries"])


def test_closing_stores_expected_counted_and_the_difference(api, shop):  # noqa: F811
    order = booked(api, shop)
    take(api, shop, order["id"], amount=5000, method="cash")
    take(api, shop, order["id"], amount=3000, method="card_terminal")

    r = close(api, shop, counted_cash=4900, counted_other={"card_terminal": 3000}, note="short 1")

    assert r.status_code == 201, r.body
    cash, card = by_method(r.data)["cash"], by_method(r.data)["card_terminal"]
    assert (cash["expected"], cash["counted"], cash["difference"]) == (5000, 4900, -100)
    assert (card["expected"], card["counted"], card["difference"]) == (3000, 3000, 0)
    assert (
        r.data["closed"]
        and r.data["close"]["entries"] == 2
        and r.data["close"]["note"] == "short 1"
    )
    assert r.data["close"]["closed_by"] and r.data["close"]["closed_at"]
    assert takings(api, shop)["methods"] == r.data["methods"]  # stored, not recomputed


def test_a_closed_day_refuses_a_payment_and_a_refund_and_nothing_is_written(api, shop):  # noqa: F811
    order = booked(api, shop)
    take(api, shop, order["id"], amount=5000, method="cash")
    assert close(api, shop, counted_cash=5000).status_code == 201
    before = snapshot(api.container)

    paid = take(api, shop, order["id"], amount=100, method="cash")
    back = give_back(api, shop, order["id"], amount=100, method="cash")

    assert_error(paid, 409, "day_closed")
    assert_error(back, 409, "day_closed")
    assert snapshot(api.container)["tables"] == before["tables"]
    assert [
        p["amount"]
        for p in api.call(
            "GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]
        ).data["payments"]
    ] == [5000]


def test_a_correction_is_a_new_entry_on_the_next_open_day(api, shop):  # noqa: F811
    order = booked(api, shop)
    take(api, shop, order["id"], amount=5000, method="cash")
    close(api, shop, counted_cash=5000)
    api.container.clock.advance(24 * 3600)

    r = give_back(api, shop, order["id"], amount=500, method="cash", reason="Correction of 24 Nov")

    assert r.status_code == 201, r.body
    assert by_method(takings(api, shop))["cash"]["net"] == 5000  # the closed day unchanged
    nxt = takings(api, shop, "2026-11-25")
    assert [(e["direction"], e["amount"], e["reference"]) for e in nxt["entries"]] == [
        ("out", 500, "Correction of 24 Nov")
    ]


def test_closing_twice_is_refused_but_the_same_request_again_answers_the_same(api, shop):  # noqa: F811
    order = booked(api, shop)
    take(api, shop, order["id"], amount=700, method="cash")
    first = close(api, shop, key="close-1", counted_cash=700)
    again = close(api, shop, key="close-1", counted_cash=700)
    other = close(api, shop, key="close-2", counted_cash=800)

    assert first.status_code == again.status_code == 201
    assert again.data == first.data
    assert_error(other, 409, "day_already_closed")
    assert by_method(takings(api, shop))["cash"]["counted"] == 700


def test_a_day_not_begun_cannot_be_closed_and_bad_counts_are_refused(api, shop):  # noqa: F811
    before = snapshot(api.container)
    assert_error(close(api, shop, "2026-11-25", counted_cash=0), 422, "day_in_future")
    assert_error(close(api, shop, counted_cash=100, float_left=200), 422, "float_too_large")
    assert_error(close(api, shop, counted_cash=-1), 422, "validation_failed")
    assert_error(close(api, shop), 422, "validation_failed")
    assert_error(
        close(api, shop, counted_cash=1, counted_other={"cash": 1}), 422, "validation_failed"
    )
    assert_error(close(api, shop, "2026-02-30", counted_cash=1), 422, "invalid_date")
    assert snapshot(api.container)["tables"] == before["tables"]


def test_the_float_left_opens_the_next_day_and_expected_cash_counts_it(api, shop):  # noqa: F811
    order = booked(api, shop)
    take(api, shop, order["id"], amount=5000, method="cash")
    close(api, shop, counted_cash=5000, float_left=1500)
    api.container.clock.advance(2 * 24 * 3600)  # a day with no takings in between
    take(api, shop, order["id"], amount=2000, method="cash")

    day = takings(api, shop, "2026-11-26")
    assert (day["opening_float"], day["float_from"]) == (1500, TODAY)
    assert by_method(day)["cash"]["expected"] == 3500
    r = close(api, shop, "2026-11-26", counted_cash=3500)
    assert by_method(r.data)["cash"]["difference"] == 0 and r.data["opening_float"] == 1500


def test_an_empty_day_closes_with_its_float(api, shop):  # noqa: F811
    r = close(api, shop, counted_cash=0)
    assert r.status_code == 201, r.body
    assert (r.data["entry_count"], by_method(r.data)["cash"]["difference"]) == (0, 0)


def test_the_list_gives_days_with_their_totals_and_close_in_one_range(api, shop):  # noqa: F811
    order = booked(api, shop)
    take(api, shop, order["id"], amount=5000, method="cash")
    close(api, shop, counted_cash=5000)
    api.container.clock.advance(24 * 3600)
    take(api, shop, order["id"], amount=100, method="bank_transfer")

    r = api.call("GET", "/v1/takings?from=2026-11-01&to=2026-11-30", auth=shop["secret_key"])

    assert r.status_code == 200, r.body
    assert r.data["currency"] == "EUR"
    assert [(d["date"], d["closed"], d["entry_count"]) for d in r.data["data"]] == [
        (TODAY, True, 1),
        ("2026-11-25", False, 1),
    ]
    assert by_method(r.data["data"][1])["bank_transfer"]["net"] == 100
    assert r.data["data"][0]["closed_by"]
    too_long = api.call("GET", "/v1/takings?from=2026-01-01&to=2026-03-31", auth=shop["secret_key"])
    assert_error(too_long, 422, "invalid_range")
    backwards = api.call(
        "GET", "/v1/takings?from=2026-02-01&to=2026-01-31", auth=shop["secret_key"]
    )
    assert_error(backwards, 422, "invalid_range")


def test_entries_come_a_page_at_a_time(api, shop):  # noqa: F811
    order = booked(api, shop)
    for i in range(5):
        take(api, shop, order["id"], amount=100 + i, method="cash")
        api.container.clock.advance(60)

    first = takings(api, shop, query="?limit=2")
    rest = takings(api, shop, query=f"?limit=10&after={quote(first['next_after'], safe='')}")

    assert [e["amount"] for e in first["entries"]] == [100, 101]
    assert [e["amount"] for e in rest["entries"]] == [102, 103, 104] and rest["next_after"] is None
    assert by_method(first)["cash"]["taken"] == 510  # the figures count every entry


def test_a_viewer_reads_the_takings_but_only_the_desk_closes(api, shop):  # noqa: F811
    viewer = api.staff_token(shop, "viewer")
    staff = api.staff_token(shop, "staff")

    assert api.call("GET", f"/v1/takings/{TODAY}", auth=viewer).status_code == 200
    assert_error(close(api, shop, auth=viewer, counted_cash=0), 403)
    assert close(api, shop, auth=staff, counted_cash=0).status_code == 201


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        ("2026-11-24T22:30:00.000000Z", "2026-11-24"),  # 23:30 in Berlin
        ("2026-11-24T23:30:00.000000Z", "2026-11-25"),  # 00:30 in Berlin, the next day
        # 25 October 2026, the clocks go back at 03:00: 00:30 CEST and 23:30 CET are that day
        ("2026-10-24T22:30:00.000000Z", "2026-10-25"),
        ("2026-10-25T22:30:00.000000Z", "2026-10-25"),
        ("2026-10-25T23:30:00.000000Z", "2026-10-26"),
    ],
)
def test_the_day_is_the_business_local_date(api, shop, utc, day):  # noqa: F811
    from chalicelib.kernel.domain.timefmt import parse

    api.container.clock.moment = parse(utc)
    order = booked(api, shop)

    take(api, shop, order["id"], amount=100, method="cash")

    assert takings(api, shop, day)["entry_count"] == 1
    before, after = (date.fromisoformat(day) + timedelta(days=n) for n in (-1, 1))
    for other in (before, after):
        assert takings(api, shop, other.isoformat())["entry_count"] == 0
