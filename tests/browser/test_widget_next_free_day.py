"""A one-off event weeks ahead does not look sold out: when the days asked have nothing free,
the widget finds the first later day that has (an outside tester's event organiser: the
widget opened on today and said "Nothing is free", with nothing pointing to the event's
date), and one press shows it, the date field saying that day."""

from __future__ import annotations

import time
from datetime import timedelta

from tests.browser.test_console_catalog import _stop
from tests.browser.test_widget_booking import TOURS, open_day, page_of


def test_a_one_off_event_weeks_ahead_is_found_from_today(browser, site, demo, live):
    key = demo[TOURS].secret_key
    n = time.time_ns()
    hall = {
        "name": f"Lantern hall {n}",
        "kind": "session",
        "capacity": 40,
        "session_minutes": 180,
    }
    made = live.call("POST", "/v1/resources", key=key, json=hall)
    assert made.status_code == 201, made.text
    rid, rev = made.json()["id"], made.json()["rev"]
    day = open_day("Asia/Shanghai", ahead=24, closed=())
    path = f"/v1/resources/{rid}/overrides/{day.isoformat()}"
    set_day = live.call(
        "PUT", path, key=key, json={"session_times": ["19:00"]}, headers={"If-Match": f'"{rev}"'}
    )
    assert set_day.status_code == 200, set_day.text
    name = f"Lantern night {n}"
    offer = {
        "name": name,
        "kind": "session",
        "requirements": [{"resource_id": rid, "per": "person"}],
        "pricing": {"amount": 3500, "basis": "person"},
        "party_max": 6,
    }
    sold = live.call("POST", "/v1/offerings", key=key, json=offer)
    assert sold.status_code == 201, sold.text
    try:
        page = browser.page()
        page.goto(page_of(site, TOURS))
        page.get_by_role("button", name="English").click()  # the page is in Chinese
        page.get_by_role("button", name=name).click()
        page.get_by_text("Nothing is free in the week from this day.").wait_for()
        page.get_by_role("button", name="Show the first free day: ", exact=False).click()
        page.locator(f"[data-date='{day.isoformat()}'] ul.list button.choice").first.wait_for()
        assert page.get_by_label("Date").input_value() == day.isoformat()
        text = page.locator(f"[data-date='{day.isoformat()}']").inner_text()
        assert "7:00 PM" in text, text
        # Nothing later either: said plainly, with no button to a day that has nothing.
        page.get_by_label("Date").fill((day + timedelta(days=1)).isoformat())
        page.get_by_text("Nothing is free on this day. Try another day.").wait_for()
        assert page.get_by_role("button", name="Show the first free day", exact=False).count() == 0
    finally:
        _stop(live, key, "offerings", sold.json()["id"])
