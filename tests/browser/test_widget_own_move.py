"""The widget's manage page moves the customer's own booking into times that overlap it: it asks
for free dates as the booking's own (`order` and its manage token), so the night the stay already
holds counts as free for it. The Family suite (two rooms) is full on both nights of the
customer's stay, one room is left the night after: the stay moves one night later, keeping
the night it holds, which nobody else could book."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from local.seeding import SeedResult
from tests.browser.conftest import SHOTS
from tests.browser.test_console import book
from tests.browser.test_widget_booking import HOTEL, offering_id, page_of, staff_order
from tests.live_http import Http

ZONE = "Europe/Berlin"


def suite_left(live: Http, hotel: SeedResult, suite: str, arrival: date, nights: int) -> int:
    """How many suites are free for `nights` nights from `arrival`, as anyone may book them."""
    answer = live.call(
        "GET",
        f"/v1/public/availability?offering={suite}&from={arrival}"
        f"&to={arrival + timedelta(days=1)}&nights={nights}&party=2",
        key=hotel.publishable_key,
    )
    assert answer.status_code == 200, answer.text
    return sum(o["remaining"] for o in answer.json()["options"] if o["date"] == arrival.isoformat())


def free_arrival(live: Http, hotel: SeedResult, suite: str) -> date:
    """A date of this test's own: both suites free for three nights (other tests that fill the
    suite pick their own far dates, and a test that finds a date taken draws again)."""
    for _ in range(20):
        arrival = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=random.randint(40, 140))
        if suite_left(live, hotel, suite, arrival, 3) == 2:
            return arrival
    raise AssertionError("no date with both suites free for three nights")


def widget_stay(live: Http, hotel: SeedResult, suite: str, arrival: date) -> dict[str, Any]:
    line = {"offering_id": suite, "check_in": arrival.isoformat(), "nights": 2, "party": 2}
    body = {"customer": {"name": "Olga Own", "email": "olga.own@example.com"}, "lines": [line]}
    r = live.call("POST", "/v1/public/orders", key=hotel.publishable_key, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def open_the_move(page: Any, url: str, day: date) -> None:
    """The manage page, "Change date or time", the new check-in asked about (two nights, as
    booked)."""
    page.goto(url)
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_role("button", name="Change date or time").click()
    page.get_by_label("Check-in").fill(day.isoformat())
    assert page.get_by_label("Nights").input_value() == "2"
    page.get_by_role("button", name="Show availability").click()


def test_a_customer_moves_their_stay_by_a_night_in_a_full_house(browser, site, demo, live):
    hotel = demo[HOTEL]
    suite = offering_id(demo, HOTEL, "Family suite")
    arrival = free_arrival(live, hotel, suite)
    later = arrival + timedelta(days=1)
    mine = widget_stay(live, hotel, suite, arrival)
    # The other suite is taken on both nights, and one of the two on the night after.
    fillers = [
        book(
            live,
            hotel,
            "Suite Neighbour",
            {"offering_id": suite, "check_in": str(arrival), "nights": 2, "party": 2},
        ),
        book(
            live,
            hotel,
            "Suite Latecomer",
            {
                "offering_id": suite,
                "check_in": str(arrival + timedelta(days=2)),
                "nights": 1,
                "party": 2,
            },
        ),
    ]
    try:
        assert suite_left(live, hotel, suite, arrival, 1) == 0
        assert suite_left(live, hotel, suite, later, 1) == 0  # to anyone else: full
        assert suite_left(live, hotel, suite, later + timedelta(days=1), 1) == 1
        url = (
            f"{page_of(site, HOTEL)}#reservoir_order={mine['id']}"
            f"&reservoir_token={mine['manage_token']}"
        )

        # On a phone: the night later is offered to the booking's own customer.
        phone = browser.page(width=390)
        open_the_move(phone, url, later)
        phone.get_by_role("button", name="Choose Family suite").wait_for()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(SHOTS / "widget-own-move-390.png"), full_page=True)

        page = browser.page(width=1280)
        open_the_move(page, url, later)
        page.get_by_role("button", name="Choose Family suite").wait_for()
        page.screenshot(path=str(SHOTS / "widget-own-move-1280.png"), full_page=True)
        # Its own dates as they are are no move, and are not offered as one.
        page.get_by_label("Check-in").fill(arrival.isoformat())
        page.get_by_role("button", name="Show availability").click()
        page.get_by_text("Nothing is free for these dates. Try other dates.").wait_for()

        page.get_by_label("Check-in").fill(later.isoformat())
        page.get_by_role("button", name="Show availability").click()
        page.get_by_role("button", name="Choose Family suite").click()
        page.get_by_role("button", name="Yes, move it").click()
        page.get_by_text("The booking is moved.").wait_for()
        line = staff_order(live, hotel, mine["id"])["lines"][0]
        assert (line["date"], line["nights"]) == (later.isoformat(), 2)
        # The first night went back: one suite free on it, none on the nights it holds now.
        assert suite_left(live, hotel, suite, arrival, 1) == 1
        assert suite_left(live, hotel, suite, later, 2) == 0
    finally:
        for order in [*fillers, mine]:
            path = f"/v1/orders/{order['id']}/cancel"
            live.call("POST", path, key=hotel.secret_key, json={"reason": "test tidied"})


def test_the_booking_s_own_actions_stay_put_while_its_payment_part_loads(browser, site, demo, live):
    """How a hold is paid is asked after the booking shows; its answer ("Confirm, pay at the
    venue" here) must not move "Change date or time" from under a finger already on its way:
    a tap there hit the place the button had been (a move asked for and never opened)."""
    hotel = demo[HOTEL]
    suite = offering_id(demo, HOTEL, "Family suite")
    mine = widget_stay(live, hotel, suite, free_arrival(live, hotel, suite))
    try:
        page = browser.page(width=1280)
        held: list[Any] = []

        def hold_back(route: Any) -> None:
            if route.request.method == "GET":
                held.append(route)  # answered below, once the button's place is measured
            else:
                route.continue_()

        page.route(re.compile(rf".*/v1/public/orders/{mine['id']}/payment$"), hold_back)
        page.goto(
            f"{page_of(site, HOTEL)}#reservoir_order={mine['id']}"
            f"&reservoir_token={mine['manage_token']}"
        )
        move = page.get_by_role("button", name="Change date or time")
        move.wait_for()
        for _ in range(300):  # the payment question is on its way once the booking shows
            if held:
                break
            page.wait_for_timeout(50)
        assert held, "the manage page never asked how the hold is paid"
        before = move.bounding_box()
        for route in held:
            route.continue_()
        page.get_by_role("button", name="Confirm, pay at the venue").wait_for()
        assert move.bounding_box() == before
        move.click()
        page.get_by_label("Check-in").wait_for()
    finally:
        live.call(
            "POST",
            f"/v1/orders/{mine['id']}/cancel",
            key=hotel.secret_key,
            json={"reason": "test tidied"},
        )
