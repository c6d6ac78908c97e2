"""The front desk's day at the hotel, in chromium against the whole local stack (probe 5):
a no-show is asked first (the guest and the fee named, Escape keeps the booking and gives the
focus back), owes only its fee and a manager takes it back; a guest checked in is staying,
not arriving; an early check-out asks about the nights not slept, and the Rooms page shows a
room left early as held, not free."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import HOTEL, SHOTS, book, offering, sign_in, today

FOCUSED_TEXT = "() => document.activeElement && document.activeElement.textContent"


@pytest.fixture
def hotel_open_from_midnight(demo, live) -> Iterator[Any]:
    """The demo hotel takes guests from 00:00 for the test (so today's arrival may be called a
    no-show whatever the hour the suite runs), and its own check-in time again after."""
    hotel = demo[HOTEL]
    before = live.call("GET", "/v1/tenant", key=hotel.secret_key).json()["business"]
    times = {"check_in_time": "00:00"}
    assert live.call("PATCH", "/v1/tenant", key=hotel.secret_key, json={"business": times}).ok
    try:
        yield hotel
    finally:
        times = {"check_in_time": before["check_in_time"]}
        restored = live.call("PATCH", "/v1/tenant", key=hotel.secret_key, json={"business": times})
        assert restored.status_code == 200, restored.text


def _order(live, hotel, order_id: str) -> dict[str, Any]:
    return dict(live.call("GET", f"/v1/orders/{order_id}", key=hotel.secret_key).json())


def test_the_desk_asks_before_a_no_show_which_owes_its_fee_and_a_manager_undoes_it(
    browser, console, demo, live, hotel_open_from_midnight
):
    hotel = hotel_open_from_midnight
    room = offering(demo, HOTEL, "Double room")
    fee = live.call("GET", f"/v1/offerings/{room}", key=hotel.secret_key).json()["deposit"]
    stay = {"offering_id": room, "check_in": today("Europe/Berlin").isoformat(), "nights": 1}
    order = book(live, hotel, "Nora Noshow", stay)
    page = browser.page(width=390)
    sign_in(page, console, "frontdesk@harbour-view.example")  # a manager
    row = page.get_by_role("article", name="Double room").get_by_role("listitem")
    row = row.filter(has_text="Nora Noshow")
    asker = row.get_by_role("button", name="No-show")
    asker.focus()
    page.keyboard.press("Enter")
    asked = page.get_by_role("alertdialog", name="Mark Nora Noshow as a no-show?")
    asked.get_by_text(re.compile("no-show fee")).wait_for()  # the offering's terms, read
    said = asked.inner_text()
    if fee["no_show_fee"]:
        assert "keep a no-show fee of €" in said, said
    else:
        assert "keep no no-show fee" in said, said
    assert "free for other bookings" not in said  # a stay keeps its room (a table's is freed)
    assert page.evaluate(FOCUSED_TEXT) == "Yes, mark as no-show"
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "desk-no-show-ask-390.png"))
    page.keyboard.press("Escape")  # keeps the booking, the focus back where it was
    asked.wait_for(state="detached")
    page.wait_for_function(f"() => ({FOCUSED_TEXT})() === 'No-show'")
    assert _order(live, hotel, order["id"])["status"] == "confirmed"

    page.keyboard.press("Enter")
    asked.get_by_role("button", name="Yes, mark as no-show").press("Enter")
    row.locator(".badge.st-no_show").wait_for()  # its status, said on the sheet
    marked = _order(live, hotel, order["id"])
    assert marked["status"] == "no_show" and marked["totals"]["deposit_due"] == 0
    money = live.call("GET", f"/v1/orders/{order['id']}/payments", key=hotel.secret_key).json()
    assert money["balance"] == fee["no_show_fee"]  # not the night's price

    row.get_by_role("button", name="Undo the no-show").press("Enter")
    row.get_by_role("button", name="Check in").wait_for()
    assert _order(live, hotel, order["id"])["status"] == "confirmed"
    # Checked in by mistake, and taken back: the booking is arriving again.
    page.get_by_role("listitem").filter(has_text="Nora Noshow").get_by_role(
        "button", name="Check in"
    ).click()
    guest = page.get_by_role("listitem").filter(has_text="Nora Noshow")
    guest.get_by_role("button", name="Undo the check-in").wait_for()
    guest.screenshot(path=str(SHOTS / "desk-check-in-undo-390.png"))
    guest.get_by_role("button", name="Undo the check-in").click()
    guest.get_by_role("button", name="Check in").wait_for()
    assert _order(live, hotel, order["id"])["status"] == "confirmed"

    # The question in Chinese: the guest named, "Keep" by Escape.
    zh = browser.page(width=390, locale="zh-CN")
    sign_in(zh, console, "frontdesk@harbour-view.example")
    row = zh.get_by_role("article", name="Double room").get_by_role("listitem")
    row = row.filter(has_text="Nora Noshow")
    row.get_by_role("button", name="未到店").click()
    asked = zh.get_by_role("alertdialog", name="将 Nora Noshow 标记为未到店？")
    asked.get_by_text(re.compile("未到店费用")).wait_for()
    zh.keyboard.press("Escape")
    asked.wait_for(state="detached")
    assert _order(live, hotel, order["id"])["status"] == "confirmed"
    live.call("POST", f"/v1/orders/{order['id']}/cancel", key=hotel.secret_key, json={})


def _checked_in_with_a_room(live, hotel, demo, name: str) -> tuple[dict[str, Any], str]:
    """A 3-night stay from today, given a room free on all its nights, checked in."""
    day = today("Europe/Berlin")
    stay = {"offering_id": offering(demo, HOTEL, "Double room"), "check_in": day.isoformat()}
    order = book(live, hotel, name, {**stay, "nights": 3})
    resource = order["lines"][0]["resources"][0]["resource_id"]
    board = live.call(
        "GET",
        f"/v1/resources/{resource}/rooms",
        key=hotel.secret_key,
        params={"date": day.isoformat(), "nights": 3},
    ).json()
    free = next(r["room"] for r in board["rooms"] if r["free"])
    given = live.call(
        "POST", f"/v1/orders/{order['id']}/room", key=hotel.secret_key, json={"room": free}
    )
    assert given.status_code == 200, given.text
    came = live.call("POST", f"/v1/orders/{order['id']}/check-in", key=hotel.secret_key)
    assert came.status_code == 200, came.text
    return order, free


def test_an_early_check_out_asks_about_the_nights_and_rooms_show_them_held(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    keeps, kept_room = _checked_in_with_a_room(live, hotel, demo, "Lea Leaving")
    gives, given_room = _checked_in_with_a_room(live, hotel, demo, "Rita Release")
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    sheet = page.get_by_role("article", name="Double room")
    staying = sheet.locator(".part").filter(
        has=page.get_by_role("heading", name=re.compile("^Staying"))
    )
    arriving = sheet.locator(".part").filter(
        has=page.get_by_role("heading", name=re.compile("^Arrivals"))
    )
    staying.get_by_role("listitem").filter(has_text="Lea Leaving").wait_for()
    assert arriving.get_by_role("listitem").filter(has_text="Lea Leaving").count() == 0

    # Lea leaves today, two nights early, and her nights are kept (charged).
    row = staying.get_by_role("listitem").filter(has_text="Lea Leaving")
    row.get_by_role("button", name="Check out").click()
    asked = page.get_by_role("alertdialog", name=re.compile("^Lea Leaving is leaving before"))
    asked.wait_for()
    assert "The stay becomes 1 night, priced again for it" in asked.inner_text()
    assert axe_violations(page) == []
    asked.get_by_role("button", name="Keep the nights (still charged) and check out").click()
    owed = row.get_by_role("alert").filter(has_text="The guest still owes")
    owed.wait_for()
    link = owed.get_by_role("link", name="Settle it on the order's Money panel")
    assert link.get_attribute("href") == f"#/order/{keeps['id']}?money"
    expect(link).to_be_focused()  # the question that asked is gone: on the way to settle it
    assert "under Money" not in owed.inner_text()
    owed.get_by_role("button", name="Check out leaving the balance open").click()
    row.wait_for(state="detached")  # gone from the sheet: she no longer stays tonight
    left = _order(live, hotel, keeps["id"])
    assert left["status"] == "completed" and left["lines"][0]["nights"] == 3

    # Rita leaves too and gives her nights back: the stay is one night, her room free again,
    # given back over the order as the question read it (If-Match: a reviewer's).
    read = _order(live, hotel, gives["id"])["version"]
    matched: list[str | None] = []

    def record(route):  # noqa: ANN001, ANN202 - Playwright's route
        matched.append(route.request.headers.get("if-match"))
        return route.continue_()

    page.route("**/stay", record)
    row = sheet.get_by_role("listitem").filter(has_text="Rita Release")
    row.get_by_role("button", name="Check out").click()
    asked = page.get_by_role("alertdialog", name=re.compile("^Rita Release is leaving before"))
    asked.get_by_role("button", name="Give the nights back and check out").click()
    expect(row.get_by_role("link", name="Settle it on the order's Money panel")).to_be_focused()
    # The line is read again: one night now (it said the old nights), the balance still said.
    row.get_by_text("1 night", exact=False).wait_for()
    expect(row.get_by_role("link", name="Settle it on the order's Money panel")).to_be_visible()
    row.get_by_role("button", name="Check out leaving the balance open").click()
    row.wait_for(state="detached")
    released = _order(live, hotel, gives["id"])
    assert released["status"] == "completed" and released["lines"][0]["nights"] == 1
    assert matched == [f'"{read}"']

    page.get_by_role("link", name="Rooms", exact=True).click()
    board = page.get_by_role("article", name="Double room")
    lea = board.get_by_role("row").filter(has=page.get_by_role("rowheader", name=kept_room))
    lea.get_by_role("link", name="Left early: Lea Leaving").wait_for()
    assert "Free" not in lea.inner_text()
    board.get_by_role("heading", name=re.compile("^Nights held, guest not here")).wait_for()
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "rooms-left-early.png"))
    tomorrow = (today("Europe/Berlin") + timedelta(days=1)).isoformat()
    resource = gives["lines"][0]["resources"][0]["resource_id"]
    after = live.call(
        "GET",
        f"/v1/resources/{resource}/rooms",
        key=hotel.secret_key,
        params={"date": tomorrow},
    ).json()
    rooms = {r["room"]: r for r in after["rooms"]}
    assert rooms[given_room]["free"] is True  # given back
    assert rooms[kept_room]["free"] is False and rooms[kept_room]["held"]["guest"] == "Lea Leaving"
