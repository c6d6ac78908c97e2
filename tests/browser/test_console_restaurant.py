"""A restaurant in the console (P7A finding 9): its sittings at 18:00 and 20:30 are set with
"Starts every" 2 h 30 min (the choice stopped at 60 minutes), and its day sheet calls the
bookings "Reservations" (订座), not "Appointments"; the reports say their units are grid
slots, not bookable starts (96 "units available" read as 96 tables)."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.browser.test_console import set_demo_password, sign_in, today

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def test_a_restaurant_sets_its_sittings_and_reads_its_reservations(browser, console, live, stack):
    tenant = live.signup(
        "copper-pot", business_type="restaurant", timezone="Europe/London", currency="GBP"
    )
    key, owner = tenant["secret_key"], f"o@{tenant['slug']}.example"
    set_demo_password(stack, owner)
    tables = {
        "name": "Tables for two",
        "kind": "timed",
        "capacity": 3,
        "hours": {d: [["18:00", "23:00"]] for d in WEEK},
    }
    rid = live.call("POST", "/v1/resources", key=key, json=tables).json()["id"]
    dinner = {
        "name": "Dinner",
        "kind": "timed",
        "requirements": [{"resource_id": rid}],
        "pricing": {"amount": 3000, "basis": "person"},
        "duration_minutes": 120,
    }
    made = live.call("POST", "/v1/offerings", key=key, json=dinner)
    assert made.status_code == 201, made.text
    oid = made.json()["id"]

    page = browser.page(width=1024)
    sign_in(page, console, owner)
    page.get_by_role("navigation", name="Main").get_by_role("link").first.wait_for()
    page.goto(f"{console.endpoint}/#/catalog/offering/{oid}")
    page.get_by_role("combobox", name=re.compile("^Starts every")).select_option(label="150 min")
    page.get_by_role("button", name="Save changes").click()
    for _ in range(50):
        got = live.call("GET", f"/v1/offerings/{oid}", key=key).json()
        if got["interval_minutes"] == 150:
            break
        page.wait_for_timeout(100)
    assert got["interval_minutes"] == 150

    day = today("Europe/London") + timedelta(days=3)
    window = f"from={day}&to={day + timedelta(days=1)}&party=2"
    options = live.call("GET", f"/v1/availability?offering={oid}&{window}", key=key).json()
    starts = [o["start"][11:16] for o in options["options"] if o["start"].startswith(str(day))]
    assert starts == ["18:00", "20:30"]
    body = {
        "customer": {"name": "Rhea Reserved", "email": "rhea@example.com"},
        "lines": [{"offering_id": oid, "start": f"{day}T20:30", "party": 2}],
    }
    assert live.call("POST", "/v1/orders", key=key, json=body).status_code == 201
    page.goto(f"{console.endpoint}/#/today?date={day}")
    page.get_by_role("heading", name="Reservations 1").wait_for()
    assert page.get_by_role("heading", name="Appointments").count() == 0
    # The reports' units are grid slots (a 2-hour dinner takes 8), and say so.
    page.goto(f"{console.endpoint}/#/reports")
    page.get_by_text("they are not bookable starts").first.wait_for()
    zh = browser.page(width=1024, locale="zh-CN")
    sign_in(zh, console, owner)
    zh.get_by_role("navigation").first.wait_for()
    zh.goto(f"{console.endpoint}/#/today?date={day}")
    zh.get_by_role("heading", name="订座 1").wait_for()


def test_a_restaurant_moves_a_booking_to_a_table(browser, console, live, stack):
    """An outside tester's restaurant was asked "Who serves it" / "Anyone" when moving a
    party: its tables are chosen as tables."""
    tenant = live.signup("tin-pan", business_type="restaurant", timezone="Europe/London")
    key, owner = tenant["secret_key"], f"o@{tenant['slug']}.example"
    set_demo_password(stack, owner)
    for name in ("Window 1", "Window 2"):
        table = {
            "name": name,
            "kind": "timed",
            "capacity": 1,
            "tags": ["window"],
            "hours": {d: [["18:00", "23:00"]] for d in WEEK},
        }
        made = live.call("POST", "/v1/resources", key=key, json=table)
        assert made.status_code == 201, made.text
    dinner = {
        "name": "Window table",
        "kind": "timed",
        "requirements": [{"tag": "window"}],
        "pricing": {"amount": 3000, "basis": "person"},
        "duration_minutes": 120,
    }
    offering = live.call("POST", "/v1/offerings", key=key, json=dinner)
    assert offering.status_code == 201, offering.text
    day = today("Europe/London") + timedelta(days=4)
    body = {
        "customer": {"name": "Tam Table", "email": "tam@example.com"},
        "lines": [{"offering_id": offering.json()["id"], "start": f"{day}T19:00", "party": 2}],
    }
    booked = live.call("POST", "/v1/orders", key=key, json=body)
    assert booked.status_code == 201, booked.text
    page = browser.page(width=1024)
    sign_in(page, console, owner)
    page.get_by_role("navigation", name="Main").get_by_role("link").first.wait_for()
    page.goto(f"{console.endpoint}/#/order/{booked.json()['id']}")
    page.get_by_role("button", name="Change the time").click()
    table = page.get_by_role("combobox", name="Table", exact=True)
    table.wait_for()
    assert "Any table" in table.inner_text()
    assert page.get_by_text("Who serves it").count() == 0
