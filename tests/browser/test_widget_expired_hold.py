"""An expired hold's manage page offers "Book again" and no change: whether the hold runs out
while the page is open, or the page is opened (reloaded) after it has."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import (
    fill_details,
    haircut_details,
    manage_url,
    open_day,
    widget_hold,
)


def answered_as(page: Any, order_id: str, change: dict[str, Any]) -> None:
    """The order's answer to the manage page with `change` made (a hold's end, its status), as
    the API gives it once the hold is over (the expiry sweep's exact moment is not this test's)."""

    def changed(route: Any) -> None:
        if route.request.method != "GET":
            route.continue_()
            return
        answer = route.fetch()
        route.fulfill(response=answer, body=json.dumps({**answer.json(), **change}))

    page.route(re.compile(rf".*/v1/public/orders/{order_id}$"), changed)


def test_a_hold_that_runs_out_on_the_page_offers_book_again_and_no_change(
    browser, site, demo, live
):
    order = widget_hold(
        live, demo, open_day("America/New_York", ahead=21), "14:00", "run@example.com"
    )
    soon = (datetime.now(UTC) + timedelta(seconds=8)).isoformat().replace("+00:00", "Z")
    page = browser.page(width=390)
    answered_as(page, order["id"], {"hold_expires_at": soon})
    page.goto(manage_url(site, order))
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_role("button", name="Book again").wait_for(timeout=40_000)
    assert page.get_by_role("button", name="Change date or time").count() == 0
    # The summary says so too, not "Held" above "The hold has run out" (an outside tester's).
    page.get_by_text("Expired", exact=True).wait_for()
    assert page.get_by_text("Held, not yet confirmed").count() == 0
    page.screenshot(path=str(SHOTS / "widget-expired-hold-ran-out-390.png"), full_page=True)


def test_an_expired_hold_opened_again_offers_book_again(browser, site, demo, live):
    order = widget_hold(
        live, demo, open_day("America/New_York", ahead=22), "14:00", "exp@example.com"
    )
    page = browser.page(width=1280)
    answered_as(page, order["id"], {"status": "expired"})
    page.goto(manage_url(site, order))
    page.get_by_text("Expired", exact=True).wait_for()
    page.get_by_role("button", name="Book again").click()
    page.get_by_role("heading", name=re.compile("Haircut|What would you like to book")).wait_for()
    page.screenshot(path=str(SHOTS / "widget-expired-hold-opened-1280.png"), full_page=True)


def test_the_almost_done_step_says_expired_when_its_hold_runs_out(browser, site, demo, live):
    """The hold made on the page, its end brought near: the step's summary says Expired once
    its countdown runs out, with "The hold has run out"."""
    soon = (datetime.now(UTC) + timedelta(seconds=8)).isoformat().replace("+00:00", "Z")
    page = haircut_details(browser, site, ahead=23)

    def ends_soon(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        answer = route.fetch()
        route.fulfill(response=answer, body=json.dumps({**answer.json(), "hold_expires_at": soon}))

    page.route(re.compile(r".*/v1/public/orders$"), ends_soon)
    fill_details(page, "Run Out", "runout@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    page.get_by_text("Held, not yet confirmed").wait_for()
    page.get_by_text("The hold has run out. Please book again.").wait_for(timeout=40_000)
    page.get_by_text("Expired", exact=True).wait_for()
    assert page.get_by_text("Held, not yet confirmed").count() == 0
