"""The manage page keeps the cancellation policy: a paid booking that would keep a fee if
cancelled now is not the customer's to move (the API refuses 409 `move_needs_the_business`);
the page says so in words instead of offering the move, and says it too when the refusal
comes from the API (the booking was confirmed and paid while the customer was choosing)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import expect

from local.seeding import SeedResult
from tests.browser.conftest import SHOTS
from tests.browser.moved_price import price_moved_once
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
    # Meanwhile the business confirms it and takes a deposit at the desk: now cancelling
    # would keep half of the stay from it (an unpaid booking keeps nothing: it may move).
    path = f"/v1/orders/{order['id']}/confirm"
    confirmed = live.call("POST", path, key=demo[HOTEL].secret_key, json={})
    assert confirmed.status_code == 200, confirmed.text
    deposit = {"amount": 2000, "method": "cash"}
    paid = live.call(
        "POST", f"/v1/orders/{order['id']}/payments", key=demo[HOTEL].secret_key, json=deposit
    )
    assert paid.status_code == 201, paid.text
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


def rewritten_get(matches: str, body: str) -> str:
    """A script that changes the body of the API's successful GET answers whose `url`
    `matches` (a JavaScript condition) into `body` (an expression over the real `body`)."""
    return f"""(() => {{
  const real = window.fetch.bind(window);
  window.fetch = async (input, init) => {{
    const res = await real(input, init);
    const url = typeof input === "string" ? input : input.url;
    const method = (init && init.method) || "GET";
    if (!({matches}) || method !== "GET" || !res.ok) return res;
    const body = await res.clone().json();
    return new Response(JSON.stringify({body}), {{ status: res.status, headers: res.headers }});
  }};
}})();"""


# The balance's answer as a business without online payments gives it (`online` false: the
# API test, tests/api/test_balance_api.py, reads it from a business that has no Stripe).
NOT_ONLINE = rewritten_get('url.includes("/balance")', "{ ...body, online: false }")


def test_a_balance_paid_at_the_venue_offers_no_pay_button(browser, site, demo, live):
    """Found by an outside tester: a business with no online payments showed "Pay now" on the
    manage page, and pressing it was refused (409 `payments_not_enabled`)."""
    check_in = open_day("Europe/Berlin", ahead=20, closed=())
    order = twin_hold(live, demo, check_in.isoformat())
    path = f"/v1/orders/{order['id']}/confirm"
    assert live.call("POST", path, key=demo[HOTEL].secret_key, json={}).status_code == 200
    page = browser.page()
    page.goto(manage_url(site, order))  # the demo hotel takes cards: Pay now is offered
    page.get_by_role("button", name="Pay now").wait_for()
    page.add_init_script(NOT_ONLINE)
    page.reload()
    page.get_by_text("Still to pay").wait_for()
    page.get_by_text("To pay at the venue").wait_for()  # the booking's Payment row
    assert page.get_by_role("button", name="Pay now").count() == 0
    page.get_by_role("button", name="中文").click()
    page.get_by_text("尚需支付").wait_for()
    assert page.get_by_role("button", name="立即支付").count() == 0


# The order's answer as a reseller's booking gives it (who sold it, who the guest pays: the
# API test, tests/api/test_octo_api.py, reads `settlement` from a real OCTO booking).
RESELLERS = rewritten_get(
    "/\\/v1\\/public\\/orders\\/[^/?]+(\\?|$)/.test(url)",
    '{ ...body, partner: { name: "Alpine Tours", reference: "AT-77", settlement: "partner" } }',
)


def test_a_resellers_guest_is_not_told_to_pay_at_the_venue(browser, site, demo, live):
    """A session's finding: a booking a reseller sold (and pays for on account) showed its
    guest "To pay at the venue" for what they had paid the reseller."""
    check_in = open_day("Europe/Berlin", ahead=21, closed=())
    order = twin_hold(live, demo, check_in.isoformat())
    path = f"/v1/orders/{order['id']}/confirm"
    assert live.call("POST", path, key=demo[HOTEL].secret_key, json={}).status_code == 200
    page = browser.page()
    page.add_init_script(RESELLERS)
    page.goto(manage_url(site, order))
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_text("Settled through Alpine Tours: nothing to pay at the venue").wait_for()
    assert page.get_by_text("To pay at the venue", exact=True).count() == 0
    page.screenshot(path=str(SHOTS / "widget-manage-reseller.png"), full_page=True)
    page.get_by_role("button", name="中文").click()
    page.get_by_text("通过Alpine Tours结算：无需到店付款").wait_for()


def test_a_move_that_changes_the_price_says_its_new_total_first(browser, site, demo, live):
    """A move prices the new dates at the business's prices now: the double room's Friday costs
    20 % more. An outside tester's customer was asked only "Move to …?" and found the higher
    total after; the question now says it, from the API's quote, and nothing moves before."""
    day = open_day("Europe/Berlin", ahead=40, closed=(0, 1, 3, 4, 5, 6))  # a Wednesday
    while date(day.year, 12, 20) <= day or day <= date(day.year, 1, 2):  # no Christmas rate
        day += timedelta(days=7)
    body = {
        "customer": {"name": "Move Me", "email": "move@example.com"},
        "lines": [
            {
                "offering_id": offering_id(demo, HOTEL, "Double room"),
                "check_in": day.isoformat(),
                "nights": 1,
                "party": 1,
            }
        ],
    }
    r = live.call("POST", "/v1/public/orders", key=demo[HOTEL].publishable_key, json=body)
    assert r.status_code == 201, r.text
    order = r.json()
    page = browser.page()
    page.goto(manage_url(site, order))
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_role("button", name="Change date or time").click()
    page.get_by_label("Check-in").fill((day + timedelta(days=2)).isoformat())  # the Friday
    page.get_by_role("button", name="Show availability").click()

    # The quote unanswered (a 503): the price is not known, so "Yes" waits, never moving at a
    # price unsaid (a reviewer's); "Try again" asks again.
    def unavailable(route):
        if '"quote":true' in (route.request.post_data or "").replace(" ", ""):
            return route.fulfill(status=503, body="{}", content_type="application/json")
        return route.continue_()

    page.route("**/reschedule", unavailable)
    page.get_by_role("button", name="Choose Double room, breakfast included").first.click()
    page.get_by_text("The new price could not be checked.").wait_for()
    assert page.get_by_role("button", name="Yes, move it").is_disabled()
    page.unroute("**/reschedule")
    page.get_by_role("button", name="Try again").click()
    said = page.get_by_text("The total becomes €142.80 (it is €119.00 now).")
    said.wait_for()
    assert page.get_by_text("The new price could not be checked.").count() == 0
    assert staff_order(live, demo[HOTEL], order["id"])["lines"][0]["date"] == day.isoformat()
    page.screenshot(path=str(SHOTS / "widget-move-price.png"), full_page=True)

    # "Yes" moves at the total said: the move carries it, and a price changed meanwhile (here
    # the total sent is made another on its way) is refused and the question asked again.
    sent: list[dict[str, Any]] = []

    page.route("**/reschedule", price_moved_once(sent, 13000))
    page.get_by_role("button", name="Yes, move it").click()
    page.get_by_text("The price of this change has just changed").wait_for()
    said.wait_for()  # asked again, at the total the API says now
    assert staff_order(live, demo[HOTEL], order["id"])["lines"][0]["date"] == day.isoformat()
    page.get_by_role("button", name="Yes, move it").click()
    page.get_by_text("The booking is moved.").wait_for()
    assert [b["expected_total"] for b in sent] == [14280, 14280]
    moved = staff_order(live, demo[HOTEL], order["id"])
    assert moved["lines"][0]["date"] == (day + timedelta(days=2)).isoformat()
    assert moved["totals"]["total"] == 14280


def test_a_move_whose_quote_was_refused_is_quoted_again_before_it_is_made(
    browser, site, demo, live
):
    """A reviewer's: Yes after a refused quote (the time held by another guest's hold, which
    ran out while the question was open) moved at a total never said or checked. Yes now asks
    the quote again; answered, the move goes at that total."""
    check_in = open_day("Europe/Berlin", ahead=60, closed=())
    order = twin_hold(live, demo, check_in.isoformat())
    page = browser.page()
    page.goto(manage_url(site, order))
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_role("button", name="Change date or time").click()
    page.get_by_label("Check-in").fill((check_in + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Show availability").click()
    quotes: list[int] = []
    moves: list[dict[str, Any]] = []
    refusal = {"error": {"code": "unavailable", "message": "Taken.", "details": {}}}

    def first_quote_refused(route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        if not body.get("quote"):
            moves.append(body)
            return route.continue_()
        quotes.append(1)
        if len(quotes) == 1:
            return route.fulfill(
                status=409, body=json.dumps(refusal), content_type="application/json"
            )
        return route.continue_()

    page.route("**/reschedule", first_quote_refused)
    page.get_by_role("button", name=re.compile("^Choose Twin room")).first.click()
    yes = page.get_by_role("button", name="Yes, move it")
    yes.wait_for()
    expect(yes).to_be_enabled()  # the quote refused: the move would say why
    with page.expect_response(lambda r: r.url.endswith("/reschedule")):
        yes.click()  # asks the quote again rather than moving
    expect(yes).to_be_enabled()  # answered: the question waits for Yes
    assert len(quotes) == 2 and moves == []
    yes.click()
    page.get_by_text("The booking is moved.").wait_for()
    assert [m["expected_total"] for m in moves] == [order["totals"]["total"]]
