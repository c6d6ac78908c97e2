"""A party larger than what is left of a one-off session is told how many places are left and
may choose fewer at once (another day cannot help an event held once); on the manage page the
booking's own session is shown as theirs, not left out as if nothing were free."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from local.seeding import SeedResult
from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import TOURS, page_of
from tests.live_http import Http

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def one_off_session(live: Http, tours: SeedResult, name: str, day: date) -> str:
    """A hall of 10 seats with one session a week, on `day`'s weekday at 19:00 (the widget
    asks for a week of sessions: this one alone), and the event that sells it per person."""
    hall = {
        "name": f"{name} hall",
        "kind": "session",
        "capacity": 10,
        "session_times": {WEEKDAYS[day.weekday()]: ["19:00"]},
        "session_minutes": 120,
        # The week after: no session at all (not a full one).
        "closures": [{"from": str(day + timedelta(days=7)), "to": str(day + timedelta(days=13))}],
    }
    made = live.call("POST", "/v1/resources", key=tours.secret_key, json=hall)
    assert made.status_code == 201, made.text
    event = {
        "name": name,
        "kind": "session",
        "requirements": [{"resource_id": made.json()["id"], "per": "person"}],
        "pricing": {"amount": 4500, "basis": "person"},
        "party_max": 10,
    }
    offered = live.call("POST", "/v1/offerings", key=tours.secret_key, json=event)
    assert offered.status_code == 201, offered.text
    return str(offered.json()["id"])


def hold(live: Http, tours: SeedResult, offering: str, day: date, party: int) -> dict[str, Any]:
    line = {"offering_id": offering, "start": f"{day.isoformat()}T19:00", "party": party}
    body = {"customer": {"name": "Seat Taker", "email": "seats@example.com"}, "lines": [line]}
    r = live.call("POST", "/v1/public/orders", key=tours.publishable_key, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def open_event(page: Any, url: str, lang: str, name: str, day: date) -> None:
    page.goto(url)
    page.locator("reservoir-booking").evaluate(f"w => w.setAttribute('lang', '{lang}')")
    page.get_by_role("button", name=re.compile(f"^{name}")).click()
    page.get_by_label("Date" if lang == "en" else "日期").fill(day.isoformat())


def test_a_party_larger_than_the_places_left_is_told_how_many_and_chooses_fewer(
    browser, site, demo, live
):
    tours = demo[TOURS]
    name = f"Night concert {time.time_ns()}"
    day = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=45)
    event = one_off_session(live, tours, name, day)
    hold(live, tours, event, day, 2)
    mine = hold(live, tours, event, day, 2)  # 6 of 10 left

    page = browser.page(width=1280)
    open_event(page, page_of(site, TOURS), "en", name, day)
    page.get_by_label("People").select_option("8")
    page.get_by_text("Only 6 places are left: choose fewer people.").wait_for()
    assert page.get_by_text("Nothing is free on this day").count() == 0
    page.screenshot(path=str(SHOTS / "widget-places-left-en-1280.png"), full_page=True)
    page.get_by_role("button", name="Choose 6 people").click()
    page.locator(f"reservoir-booking [data-date='{day}'] ul.list button.choice").wait_for()
    assert page.get_by_label("People").input_value() == "6"

    phone = browser.page(width=390, locale="zh-CN", zone="Asia/Shanghai")
    open_event(phone, page_of(site, TOURS), "zh-Hans", name, day)
    phone.get_by_label("人数").select_option("8")
    phone.get_by_text("只剩 6 个名额，请减少人数。").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(SHOTS / "widget-places-left-zh-390.png"), full_page=True)
    # A week with no session is not called full ("已约满"): nothing that week, and the first
    # later day with a session is offered (the week after the closed one).
    phone.get_by_label("日期").fill(str(day + timedelta(days=7)))
    phone.get_by_text("从这一天起的一周内没有空位。").wait_for()
    phone.get_by_role("button", name=re.compile("^查看最近有空位的日期")).wait_for()
    assert phone.get_by_text("已约满").count() == 0

    # The manage page: the booking's own session is theirs, not "nothing is free".
    manage = browser.page(width=390)
    manage.goto(
        f"{page_of(site, TOURS)}#reservoir_order={mine['id']}"
        f"&reservoir_token={mine['manage_token']}"
    )
    manage.locator("reservoir-booking").evaluate("w => w.setAttribute('lang', 'en')")
    manage.get_by_role("button", name="Change date or time").click()
    own = manage.locator(f"reservoir-booking [data-date='{day}'] ul.list button.choice")
    own.wait_for()
    assert own.count() == 1 and "Your booking" in own.inner_text() and own.is_disabled()
    assert manage.get_by_text("Nothing is free on this day").count() == 0
    manage.get_by_role("button", name="Back").click()
    assert "2 people" in manage.locator("reservoir-booking dl").first.inner_text()  # the tickets
    manage.screenshot(path=str(SHOTS / "widget-places-left-manage-390.png"), full_page=True)
