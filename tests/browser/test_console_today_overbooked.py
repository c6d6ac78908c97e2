"""Today's arrivals flag a partner's overbooking (a stay holding no room) where it shows, with
no Check in: an outside tester's desk saw it as a plain "Confirmed" arrival with a Check in
button, refused only once pressed. Which stays are overbooked is the API's (a line holding
no units: `units: 0`); an overbooking for today cannot be made on the shared demo hotel
without filling tonight for every other test, so the page is handed the sheet the API
answers with the test's own arrival read as one holding no room."""

from __future__ import annotations

import json
from typing import Any

from tests.browser.test_console import HOTEL, SHOTS, book, offering, sign_in, today


def test_an_overbooked_arrival_is_said_and_offered_no_check_in(browser, console, demo, live):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin")
    stay = {"offering_id": offering(demo, HOTEL, "Double room"), "check_in": day.isoformat()}
    order = book(live, hotel, "Otto Overbooked", {**stay, "nights": 2})

    def no_room(route: Any) -> None:
        answer = route.fetch()
        sheet = answer.json()
        for part in ("arrivals", "departures", "in_house", "lines"):
            for line in sheet.get(part) or []:
                if line.get("order_id") == order["id"]:
                    line["units"] = 0
        route.fulfill(response=answer, body=json.dumps(sheet))

    page = browser.page(width=1280)
    page.route("**/v1/resources/*/day?*", no_room)
    sign_in(page, console, "frontdesk@harbour-view.example")
    line = page.locator(f'li[data-order="{order["id"]}"]')
    line.wait_for(timeout=30_000)
    line.get_by_text("An overbooking: this booking holds no room yet.").wait_for()
    assert line.get_by_role("button", name="Check in").count() == 0
    page.screenshot(path=str(SHOTS / "today-overbooked-1280.png"))
