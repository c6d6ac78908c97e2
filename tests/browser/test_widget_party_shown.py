"""A table (a timed offering with no one to choose) says no "With: Anyone available", and its
party is shown on the details, hold, booked and manage screens; an event's tickets too."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import TOURS, choices_for, fill_details, page_of

EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def tables(live: Any, key: str, name: str) -> str:
    """Three tables for up to 6, open every evening, and the dinner that seats a party at one."""
    room = {
        "name": f"{name} tables",
        "kind": "timed",
        "capacity": 3,
        "hours": {d: [["17:00", "23:00"]] for d in EVERY_DAY},
        "slot_minutes": 30,
    }
    made = live.call("POST", "/v1/resources", key=key, json=room)
    assert made.status_code == 201, made.text
    dinner = {
        "name": name,
        "kind": "timed",
        "requirements": [{"resource_id": made.json()["id"]}],
        "pricing": {"amount": 3000, "basis": "person"},
        "duration_minutes": 120,
        "party_max": 6,
    }
    offered = live.call("POST", "/v1/offerings", key=key, json=dinner)
    assert offered.status_code == 201, offered.text
    return str(offered.json()["id"])


def test_a_table_shows_its_party_and_no_one_to_be_with(browser, site, demo, live):
    name = f"Dinner {time.time_ns()}"
    tables(live, demo[TOURS].secret_key, name)
    day = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=9)
    page = browser.page(width=390, zone="Asia/Shanghai")
    page.goto(page_of(site, TOURS))
    page.locator("reservoir-booking").evaluate("w => w.setAttribute('lang', 'en')")
    page.get_by_role("button", name=re.compile(f"^{name}")).click()
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("People").select_option("4")
    choices_for(page, day).first.click()
    details = page.locator("reservoir-booking dl").first
    details.wait_for()
    said = details.inner_text()
    assert "With" not in said and "Anyone available" not in said, said
    assert re.search(r"People\s+4", said), said
    page.screenshot(path=str(SHOTS / "widget-party-shown-details-390.png"), full_page=True)
    fill_details(page, "Table Four", "table.four@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    assert "4 people" in page.locator("reservoir-booking dl").first.inner_text()
    page.screenshot(path=str(SHOTS / "widget-party-shown-held-390.png"), full_page=True)
