"""A business whose hours run past midnight, on the console's Timeline (outside testers): a
bar open 18:00-02:00 had its day open scrolled at midnight, the small hours that belong to
the evening before, so the first thing the host saw was no working day at all. The day now
opens at the business's opening hours for that day (on today: at the present hour)."""

from __future__ import annotations

from datetime import timedelta

from tests.browser.test_console import set_demo_password, sign_in, today

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZONE = "Europe/London"


def late_bar(live, stack) -> dict:
    """A bar open 18:00 to 02:00 every day, its tables' hours the same; its owner's login."""
    tenant = live.signup("late-bar", business_type="restaurant", timezone=ZONE, currency="GBP")
    key = tenant["secret_key"]
    set_demo_password(stack, f"o@{tenant['slug']}.example")
    nightly = [["00:00", "02:00"], ["18:00", "24:00"]]
    hours = {"opening_hours": {"weekly": {d: nightly for d in WEEK}}}
    patched = live.call("PATCH", "/v1/tenant", key=key, json=hours)
    assert patched.status_code == 200, patched.text
    tables = {"name": "Tables", "kind": "timed", "capacity": 4, "hours": {d: nightly for d in WEEK}}
    made = live.call("POST", "/v1/resources", key=key, json=tables)
    assert made.status_code == 201, made.text
    dinner = {
        "name": "Dinner",
        "kind": "timed",
        "requirements": [{"resource_id": made.json()["id"]}],
        "pricing": {"amount": 3000, "basis": "person"},
        "duration_minutes": 90,
    }
    offered = live.call("POST", "/v1/offerings", key=key, json=dinner)
    assert offered.status_code == 201, offered.text
    return {**tenant, "resource_id": made.json()["id"], "offering_id": offered.json()["id"]}


def test_the_bars_day_opens_at_its_evening_not_at_midnight(browser, console, live, stack):
    bar = late_bar(live, stack)
    day = today(ZONE) + timedelta(days=3)
    page = browser.page(width=1024)
    sign_in(page, console, f"o@{bar['slug']}.example")
    page.get_by_role("navigation", name="Main").get_by_role("link").first.wait_for()
    page.goto(f"{console.endpoint}/#/timeline?date={day}")
    page.get_by_role("heading", name="Tables").wait_for()
    scroller = page.locator(".timeline-scroll")
    assert scroller.evaluate("e => e.scrollLeft") > 0  # not at midnight
    six = page.locator(".tl-hour").filter(has_text="6:00 PM")
    view = scroller.evaluate(
        "e => [e.getBoundingClientRect().left, e.getBoundingClientRect().right]"
    )
    at = six.first.evaluate("e => e.getBoundingClientRect().left")
    assert view[0] <= at <= view[1], (view, at)  # 18:00 is in view
    midnight = page.locator(".tl-hour").first.evaluate("e => e.getBoundingClientRect().right")
    assert midnight < view[0] + 160  # the small hours are scrolled past (under the names)


def test_the_evenings_timeline_draws_its_booking_past_midnight(browser, console, live, stack):
    """A table at 00:30 the night of a Friday belongs to Friday's evening: it was on
    Saturday's sheet only. Friday's Timeline now draws it after 23:00, in the evening's run
    on past midnight."""
    bar = late_bar(live, stack)
    day = today(ZONE) + timedelta(days=4)
    night = {"offering_id": bar["offering_id"], "start": f"{day + timedelta(days=1)}T00:30"}
    body = {"customer": {"name": "Nina Night", "phone": "+447700900123"}, "lines": [night]}
    held = live.call("POST", "/v1/orders", key=bar["secret_key"], json=body)
    assert held.status_code == 201, held.text
    page = browser.page(width=1024)
    sign_in(page, console, f"o@{bar['slug']}.example")
    page.get_by_role("navigation", name="Main").get_by_role("link").first.wait_for()
    page.goto(f"{console.endpoint}/#/timeline?date={day}")
    late = page.get_by_role("list", name="Tables").get_by_role("link", name="Nina Night")
    late.wait_for(state="attached")
    eleven = page.locator(".tl-hour").filter(has_text="11:00 PM").first
    left = late.evaluate("e => e.getBoundingClientRect().left")
    assert left > eleven.evaluate("e => e.getBoundingClientRect().right")
    assert late.evaluate("e => e.getBoundingClientRect().width") > 10  # drawn, not clamped
