"""A group at the hotel, in chromium against the whole local stack: the manager holds 20 twin
rooms for a week in the Groups page, books a guest of the rooming list from the block, and
releases the rooms left; the API agrees at each step. Screens are saved."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import HOTEL, SHOTS, offering, sign_in, today


def test_the_hotel_holds_a_twenty_room_week_for_a_wedding_and_books_its_guests(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    first = today("Europe/Berlin") + timedelta(days=40)
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="Groups").click()
    _hold(page, "Weber–Okafor wedding", first, nights=7, rooms=20)
    card = page.get_by_role("article", name="Weber–Okafor wedding")
    card.wait_for()
    blocks = live.call("GET", "/v1/blocks", key=hotel.secret_key).json()["data"]
    [made] = [b for b in blocks if b["name"] == "Weber–Okafor wedding"]
    assert (made["rooms"], made["nights"], made["status"]) == (20, 7, "held")
    twin = offering(demo, HOTEL, "Twin room")
    left = live.call(
        "GET",
        f"/v1/availability?offering={twin}&from={first.isoformat()}"
        f"&to={(first + timedelta(days=1)).isoformat()}",
        key=hotel.secret_key,
    ).json()["options"]
    assert left[0]["remaining"] == 4  # 24 rooms, 20 of them the wedding's

    guests = card.get_by_role("form", name="Book a guest of the rooming list")
    guests.get_by_label("Guest").fill("Ada Okafor")
    guests.get_by_label("E-mail").fill("ada.okafor@example.com")
    guests.get_by_label("Nights").fill("3")
    guests.get_by_role("button", name="Book from the block").click()
    card.get_by_role("link", name="Ada Okafor is booked:").wait_for()
    # The rooming list says who booked, not only how many rooms are taken.
    listed = card.get_by_role("table", name="Guests booked from the block")
    ada = listed.get_by_role("row").filter(has_text="Ada Okafor")
    ada.wait_for()
    cells = ada.locator("td").all_inner_texts()
    assert cells[1:3] == ["3", "1"], cells  # nights, people
    assert cells[-1] == "Confirmed", cells
    assert axe_violations(page) == []
    card.screenshot(path=str(SHOTS / "groups-rooming-list.png"))
    after = live.call("GET", f"/v1/blocks/{made['id']}", key=hotel.secret_key).json()
    assert [n["picked"] for n in after["nights_detail"]] == [1, 1, 1, 0, 0, 0, 0]

    card.get_by_role("button", name="Release the rooms left").click()
    card.get_by_role("button", name="Yes, release them").click()  # it cannot be undone: asked
    card.get_by_text("Released", exact=True).wait_for()
    released = live.call("GET", f"/v1/blocks/{made['id']}", key=hotel.secret_key).json()
    assert released["status"] == "released" and released["picked"] == 3

    # A one-room block is "1 room a night" (an outside tester read "1 rooms a night").
    _hold(page, "Okafor parents", first, nights=2, rooms=1)
    one = page.get_by_role("article", name="Okafor parents")
    one.get_by_text("1 room a night from").wait_for()
    assert "1 rooms" not in one.inner_text()


def _hold(page: Any, group: str, first: date, *, nights: int, rooms: int) -> None:
    """Hold twin rooms for `group` in the Groups page's form, cut off two weeks before."""
    page.get_by_role("button", name="Hold a room block").click()
    form = page.get_by_role("form", name="Hold a room block")
    form.get_by_label("Group").fill(group)
    form.get_by_label("Room type").select_option(label="Twin room, garden wing")
    form.get_by_label("Sold as").select_option(label="Twin room, garden wing")
    form.get_by_label("From the night of").fill(first.isoformat())
    form.get_by_label("Nights").fill(str(nights))
    form.get_by_label("Rooms each night").fill(str(rooms))
    form.get_by_label("Cut-off date").fill((first - timedelta(days=14)).isoformat())
    form.get_by_role("button", name="Hold the rooms").click()
