"""The manage page keeps the cancellation policy: a booking that would cost a fee to cancel
now is not the customer's to move (the API refuses 409 `move_needs_the_business`); the page says
so in words instead of offering the move, and says it too when the refusal comes from the API
(the booking was confirmed while the customer was choosing new dates)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from local.seeding import SeedResult
from tests.browser.test_widget_booking import HOTEL, offering_id, open_day, page_of, staff_order
from tests.live_http import Http

ASK = (
    "To change the date or time, please ask the business: cancelling this booking now would "
    "cost a fee."
)


def twin_hold(live: Http, demo: dict[str, SeedResult], check_in: str) -> dict[str, Any]:
    """A widget hold of the twin room (no deposit; tiers: nothing back under 24 hours, half
    under 72, all before)."""
    body = {
        "customer": {"name": "Move Me", "email": "move@example.com"},
        "lines": [
            {
                "offering_id": offering_id(demo, HOTEL, "Twin room"),
                "check_in": check_in,
                "nights": 1,
                "party": 1,
            }
        ],
    }
    r = live.call("POST", "/v1/public/orders", key=demo[HOTEL].publishable_key, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def manage_url(site: Any, order: dict[str, Any]) -> str:
    return (
        f"{page_of(site, HOTEL)}#reservoir_order={order['id']}"
        f"&reservoir_token={order['manage_token']}"
    )


def test_a_booking_inside_the_fee_window_is_not_the_customers_to_move(browser, site, demo, live):
    check_in = open_day("Europe/Berlin", ahead=2, closed=())  # under 72 hours: half back
    order = twin_hold(live, demo, check_in.isoformat())
    page = browser.page()
    page.goto(manage_url(site, order))
    page.get_by_role("heading", name="Your booking").wait_for()
    # A hold costs nothing to cancel: the customer may move it, and starts to.
    page.get_by_role("button", name="Change date or time").click()
    page.get_by_label("Check-in").wait_for()
    # Meanwhile the business confirms it: now cancelling would cost half of it.
    path = f"/v1/orders/{order['id']}/confirm"
    confirmed = live.call("POST", path, key=demo[HOTEL].secret_key, json={})
    assert confirmed.status_code == 200, confirmed.text
    later = check_in + timedelta(days=40)
    page.get_by_label("Check-in").fill(later.isoformat())
    page.get_by_role("button", name="Show availability").click()
    page.get_by_role("button", name="Choose Twin room, garden wing").first.click()
    page.get_by_role("button", name="Yes, move it").click()  # the move asks first
    # The API refuses; the page says why in words and no longer offers the move.
    page.get_by_text(ASK).wait_for()
    page.get_by_text("Confirmed", exact=True).wait_for()
    assert page.get_by_role("button", name="Change date or time").count() == 0
    assert page.get_by_role("button", name="Cancel booking").count() == 1
    line = staff_order(live, demo[HOTEL], order["id"])["lines"][0]
    assert line["date"] == check_in.isoformat()  # not moved

    # Opened again later: the page knows from the booking's tiers, and says so at once.
    page.reload()
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_text(ASK).wait_for()
    assert page.get_by_role("button", name="Change date or time").count() == 0
    page.get_by_role("button", name="中文").click()
    page.get_by_text("如需更改日期或时间，请联系商家：现在取消此预订需要支付费用。").wait_for()
    assert page.get_by_role("button", name="更改日期或时间").count() == 0


def test_a_booking_that_ended_unpaid_has_nothing_to_pay_at_the_venue(browser, site, demo, live):
    check_in = open_day("Europe/Berlin", ahead=50, closed=())  # free to cancel
    order = twin_hold(live, demo, check_in.isoformat())
    confirmed = live.call(
        "POST", f"/v1/orders/{order['id']}/confirm", key=demo[HOTEL].secret_key, json={}
    )
    assert confirmed.status_code == 200, confirmed.text
    page = browser.page()
    page.goto(manage_url(site, order))
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_text("To pay at the venue", exact=True).wait_for()  # confirmed, nothing paid

    cancelled = live.call(
        "POST", f"/v1/orders/{order['id']}/cancel", key=demo[HOTEL].secret_key, json={}
    )
    assert cancelled.status_code == 200, cancelled.text
    page.reload()
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_text("Cancelled", exact=True).wait_for()
    assert page.get_by_text("To pay at the venue", exact=True).count() == 0
