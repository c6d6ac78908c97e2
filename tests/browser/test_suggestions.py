"""Suggestions in chromium against the whole local stack: three customers of the demo salon
book a haircut and a colour (through the API, counted by the worker loop's consumer); a new
customer books a haircut in the widget and is offered the colour, with the share of customers
behind it, and starts booking it with the keyboard; staff see the suggestion and its reason on
a haircut customer's order page."""

from __future__ import annotations

import re
import time
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from local.seeding import SeedResult
from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import sign_in
from tests.browser.test_widget_booking import choices_for, fill_details, offering_id, page_of
from tests.live_http import Http

SALON = "shear-studio"
ZONE = "America/New_York"
COLOUR = "Colour and cut"


def salon_day(ahead: int) -> date:
    """A day `ahead` days or more away that the salon opens (Tuesday to Saturday)."""
    day = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=ahead)
    while day.weekday() in (6, 0):
        day += timedelta(days=1)
    return day


def confirmed(
    live: Http,
    salon: SeedResult,
    email: str,
    offering: str,
    day: date,
    customer: dict[str, str] | None = None,
) -> str:
    """A booking confirmed through the API (`customer`: whom, else a regular by `email`), at
    10:00 on `day` or, when another test running at the same time took it, a later hour (a
    colour's stylist is one: four tries were too few when two runs' days met), or, when the
    whole day is taken or its stylist is off, the next opening days."""
    for when in [day, *(salon_day((day - date.today()).days + n) for n in (1, 2, 3))]:
        for hour in range(10, 17):
            body = {
                "customer": customer or {"name": "Regular", "email": email},
                "lines": [{"offering_id": offering, "start": f"{when.isoformat()}T{hour}:00"}],
            }
            held = live.call("POST", "/v1/orders", key=salon.secret_key, json=body)
            if held.status_code != 409:
                break
        if held.status_code != 409:
            break
    assert held.status_code == 201, held.text
    order_id = str(held.json()["id"])
    done = live.call("POST", f"/v1/orders/{order_id}/confirm", key=salon.secret_key)
    assert done.status_code == 200, done.text
    return order_id


def suggested(live: Http, salon: SeedResult, email: str) -> list[dict[str, Any]]:
    path = f"/v1/customers/by-email/suggestions?email={email}"
    r = live.call("GET", path, key=salon.secret_key)
    if r.status_code == 404 and r.json()["error"]["code"] == "customer_not_found":
        return []  # the consumer has not made the customer's record yet
    assert r.status_code == 200, r.text
    return list(r.json()["suggestions"])


def regulars(live: Http, demo: dict[str, SeedResult]) -> tuple[str, str]:
    """Three customers with a haircut and a colour, one with a haircut only; waits until the
    consumer has counted them. The haircut-only customer's e-mail and order id."""
    salon = demo[SALON]
    cut, colour = offering_id(demo, SALON, "Haircut"), offering_id(demo, SALON, COLOUR)
    run = uuid.uuid4().hex[:8]
    ahead = 50 + int(run, 16) % 200  # a quiet stretch of days, apart from other runs' and tests'
    for n in range(3):
        email = f"regular-{run}-{n}@example.com"
        confirmed(live, salon, email, cut, salon_day(ahead + 2 * n))
        confirmed(live, salon, email, colour, salon_day(ahead + 2 * n + 1))
    probe = f"regular-{run}-cut@example.com"
    order_id = confirmed(live, salon, probe, cut, salon_day(ahead + 7))
    deadline = time.monotonic() + 60
    while not any(s["offering_id"] == colour for s in suggested(live, salon, probe)):
        assert time.monotonic() < deadline, "the consumer did not count the bookings in time"
        time.sleep(0.5)
    return probe, order_id


def test_the_widget_offers_what_customers_who_booked_the_same_also_booked(
    browser, site, demo, live
):
    regulars(live, demo)
    page = browser.page()
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = salon_day(9)
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).last.click()  # the day's last free time: the earlier ones go first
    fill_details(page, "Nina New", f"nina-{uuid.uuid4().hex[:6]}@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_role("heading", name="Booked").wait_for()

    offer = page.get_by_role("region", name="You may also like")
    offer.wait_for()
    reason = offer.get_by_text(re.compile(r"\d+% of customers who booked Haircut also booked"))
    assert COLOUR in reason.inner_text()
    button = offer.get_by_role("button", name=f"Book {COLOUR}")
    assert axe_violations(page) == []
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_label("Date").wait_for()
    assert COLOUR in page.locator("reservoir-booking h2").first.inner_text()


def test_staff_see_a_customers_suggestion_and_why_on_the_order_page(browser, console, demo, live):
    probe, order_id = regulars(live, demo)
    page = browser.page(width=1200)
    sign_in(page, console, "alex@shear-studio.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").wait_for()
    page.goto(f"{console.endpoint}/#/order/{order_id}")
    panel = page.get_by_role("region", name="Suggestions")
    panel.get_by_text(COLOUR, exact=True).wait_for()
    reason = panel.get_by_text(re.compile(r"^Booked by \d+% of customers who booked Haircut"))
    assert re.search(r"\(\d+ of \d+\)\.$", reason.inner_text())
    assert axe_violations(page) == []
