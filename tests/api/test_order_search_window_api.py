"""The order search says the start dates it searched and never offers a page it cannot show
(P7A finding 8: with From and To empty the console searched today and the next 30 days without
saying so, and "Show more" was offered, added nothing and went away)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.api.test_report_exports_api import book, shop

__all__ = ["shop"]  # the fixture (a hotel of five rooms), imported for these tests


def _book(api, shop, day: date, who: str) -> str:
    return str(book(api, shop, who, day.isoformat())["id"])


def _today(api) -> date:
    return api.container.clock.moment.date()


def test_a_full_page_offers_more_only_when_more_matches(api, shop):
    first = _today(api) + timedelta(days=3)
    for n in range(5):
        _book(api, shop, first + timedelta(days=n), f"Held{n}")
    last = _book(api, shop, first + timedelta(days=6), "Cancelled")
    gone = api.call("POST", f"/v1/orders/{last}/cancel", auth=shop["secret_key"], body={})
    assert gone.status_code == 200, gone.body
    # Five held orders match; the index holds a sixth entry after them that does not.
    r = api.call("GET", "/v1/orders?status=held&limit=5", auth=shop["secret_key"])
    assert len(r.data["data"]) == 5
    assert r.data["next_cursor"] is None, "a next page offered with nothing on it"
    # Four a page: the fifth is on the next page, and nothing after it.
    r = api.call("GET", "/v1/orders?status=held&limit=4", auth=shop["secret_key"])
    assert len(r.data["data"]) == 4 and r.data["next_cursor"]
    cursor = r.data["next_cursor"]
    more = api.call(
        "GET", f"/v1/orders?status=held&limit=4&cursor={cursor}", auth=shop["secret_key"]
    )
    assert [o["customer"]["name"] for o in more.data["data"]] == ["Held4"]
    assert more.data["next_cursor"] is None


def test_the_answer_says_the_start_dates_it_searched(api, shop):
    today = _today(api)
    _book(api, shop, today + timedelta(days=40), "Far")
    r = api.call("GET", "/v1/orders", auth=shop["secret_key"])
    window = {"from": today.isoformat(), "to": (today + timedelta(days=30)).isoformat()}
    assert r.data["start_window"] == window and r.data["data"] == []
    asked = api.call(
        "GET", "/v1/orders?from=2027-01-01&to=2027-03-31", auth=shop["secret_key"]
    ).data
    assert asked["start_window"] == {"from": "2027-01-01", "to": "2027-03-31"}
    by_name = api.call("GET", "/v1/orders?name=Far", auth=shop["secret_key"]).data
    assert by_name["start_window"] is None and len(by_name["data"]) == 1
