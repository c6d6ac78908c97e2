"""A date closed with bookings on it (an outside tester's owner closed a day with three
confirmed appointments, and neither the API nor the console said anything; Today showed the
day as any other). The salon's owner closes a date with three haircuts on it: the Business
page says so once saved (the date, how many, each guest's order linked, that day's Today
page), and Today for that date says at its top that it is closed to online bookings, in
English and in Chinese. The bookings stay (README "Closed dates do close online bookings").
A new inn's owner closes a date a stay begun the day before sleeps over, and is told of it.
What the test changes on the shared demo salon it puts back, whatever happens."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import (
    SALON,
    SHOTS,
    book,
    offering,
    open_setting,
    set_demo_password,
    sign_in,
    today,
    week_of_options,
)

OWNER = "owner@shear-studio.example"
GUESTS = ["Cleo Closedday", "Dora Closedday", "Enid Closedday"]
LIVE = "held,confirmed,checked_in"


def _three_haircuts(live: Any, salon: Any, haircut: str) -> tuple[date, list[dict[str, Any]]]:
    """Three haircuts booked on one day well ahead (a day of its own for this run)."""
    start = today("America/New_York") + timedelta(days=100 + time.time_ns() % 150)
    options = week_of_options(live, salon, haircut, start, party=1)
    days = sorted({o["date"] for o in options})
    for day in days:
        made: list[dict[str, Any]] = []
        for option in (o for o in options if o["date"] == day):
            if len(made) == len(GUESTS):
                break
            line = {"offering_id": haircut, "start": option["start"][:16]}
            try:
                made.append(book(live, salon, GUESTS[len(made)], line))
            except AssertionError:  # taken by the one booked before it
                continue
        if len(made) == len(GUESTS):
            return date.fromisoformat(day), made
        for order in made:
            live.call("POST", f"/v1/orders/{order['id']}/cancel", key=salon.secret_key, json={})
    raise AssertionError("no day with three free haircuts in a week")


@contextmanager
def _salon_booked_day(demo: Any, live: Any) -> Iterator[tuple[date, list[dict[str, Any]]]]:
    """A day of the demo salon with three haircuts booked; its hours and closed dates, and
    those bookings, put back after."""
    salon = demo[SALON]
    key = salon.secret_key
    before = live.call("GET", "/v1/tenant", key=key).json()["opening_hours"]
    orders: list[dict[str, Any]] = []
    try:
        day, orders = _three_haircuts(live, salon, offering(demo, SALON, "Haircut"))
        yield day, orders
    finally:
        live.call("PATCH", "/v1/tenant", key=key, json={"opening_hours": before})
        for order in orders:
            live.call("POST", f"/v1/orders/{order['id']}/cancel", key=key, json={})


def _close(page: Any, console: Any, login: str, day: date) -> Any:
    """Signed in as `login`, closes `day` on the Business page and saves; what it then says of
    the bookings on it."""
    sign_in(page, console, login)
    open_setting(page, "Business")
    page.get_by_role("heading", name="Your business").wait_for()
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_role("button", name="Add closed date").click()
    page.get_by_role("button", name="Save", exact=True).click()
    said = page.get_by_role("status").filter(has_text="Bookings remain on dates you closed.")
    said.wait_for()
    return said


def _made(live: Any, key: str, path: str, body: dict[str, Any]) -> str:
    """The id of what POST `path` made."""
    answer = live.call("POST", path, key=key, json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_closing_a_booked_date_says_its_bookings_and_today_says_it_is_closed(
    browser, console, demo, live
):
    key = demo[SALON].secret_key
    with _salon_booked_day(demo, live) as (day, orders):
        on_it = live.call("GET", f"/v1/orders?date={day}&status={LIVE}", key=key).json()["data"]
        n = len(on_it)  # ours, and any another test booked on the day

        page = browser.page(width=1024, locale="en-GB")
        said = _close(page, console, OWNER, day)
        assert said.get_by_text(f": {n} bookings").count() == 1
        for order, guest in zip(orders, GUESTS, strict=True):
            link = said.get_by_role("link", name=guest)
            assert link.get_attribute("href") == f"#/order/{order['id']}"
        assert axe_violations(page) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "closed-booked-business.png"), full_page=True)
        saved = live.call("GET", "/v1/tenant", key=key).json()["opening_hours"]
        assert day.isoformat() in saved["closed_dates"]

        said.get_by_role("link", name=re.compile(r"^See .* on Today$")).click()  # its Today
        page.get_by_role("note").filter(has_text="Closed to online bookings").wait_for()
        for guest in GUESTS:  # the bookings stay, listed as on any day
            page.get_by_role("link", name=guest).first.wait_for()
        assert axe_violations(page) == []
        page.screenshot(path=str(SHOTS / "closed-booked-today.png"))
        page.get_by_role("button", name="Next day").click()
        page.wait_for_url(f"**date={day + timedelta(days=1)}")  # an open day: no note
        page.get_by_role("note").filter(has_text="Closed to online bookings").wait_for(
            state="detached"
        )

        chinese = browser.page(width=1024, locale="zh-CN")
        sign_in(chinese, console, OWNER)
        chinese.goto(f"{console.endpoint}/#/today?date={day}")
        chinese.get_by_role("note").filter(has_text="不接受在线预订").wait_for()


def test_a_stay_begun_before_a_closed_date_is_named_too(browser, console, live, stack):
    """A night on the closed date is a booking on it, though the stay began the day before
    (the order search finds a stay by its first day: the room types' day sheets find it)."""
    inn = live.signup("closed-inn", business_type="hotel", timezone="Europe/Berlin", currency="EUR")
    key = inn["secret_key"]
    set_demo_password(stack, f"o@{inn['slug']}.example")
    room = _made(live, key, "/v1/resources", {"name": "Rooms", "kind": "nightly", "capacity": 5})
    pricing = {"amount": 12000, "basis": "night"}
    stay = {"name": "Stay", "kind": "nightly", "requirements": [{"resource_id": room}]}
    offered = _made(live, key, "/v1/offerings", {**stay, "pricing": pricing})
    day = today("Europe/Berlin") + timedelta(days=30)
    line = {"offering_id": offered, "check_in": (day - timedelta(days=1)).isoformat(), "nights": 3}
    guest = {"name": "Stella Staying", "email": "stella.staying@example.com"}
    held = _made(live, key, "/v1/orders", {"customer": guest, "lines": [line]})

    page = browser.page(width=1024, locale="en-GB")
    said = _close(page, console, f"o@{inn['slug']}.example", day)
    assert said.get_by_text(": 1 booking").count() == 1
    link = said.get_by_role("link", name="Stella Staying")
    assert link.get_attribute("href") == f"#/order/{held}"


def test_a_date_whose_search_fails_is_said_and_hides_no_other(browser, console, demo, live):
    """A reviewer's: every date's searches went at once, and one refused request hid the
    whole warning, the booked dates' guests with it."""
    with _salon_booked_day(demo, live) as (day, _):
        other = day + timedelta(days=1)
        page = browser.page(width=1024, locale="en-GB")
        page.route(
            f"**/v1/orders?*date={other}*",
            lambda route: route.fulfill(status=503, body="{}", content_type="application/json"),
        )
        sign_in(page, console, OWNER)
        open_setting(page, "Business")
        page.get_by_role("heading", name="Your business").wait_for()
        for closed in (day, other):
            page.get_by_label("Date", exact=True).fill(closed.isoformat())
            page.get_by_role("button", name="Add closed date").click()
        page.get_by_role("button", name="Save", exact=True).click()
        said = page.get_by_role("status").filter(has_text="Bookings remain on dates you closed.")
        said.wait_for()
        said.get_by_text("its bookings could not be checked").wait_for()
        for guest in GUESTS:  # the date that was read still names its guests
            said.get_by_role("link", name=guest).wait_for()
