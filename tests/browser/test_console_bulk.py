"""Bulk work in the console, in chromium against the whole local stack (its worker loop runs
the bulk jobs): the tour operator prints a departure's manifest (saved as a PDF) and calls the
departure off for weather, every booking on it cancelled by the business; the hotel's desk
checks in two arrivals found by a search at once. Screens are saved."""

from __future__ import annotations

from datetime import timedelta

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import (
    HOTEL,
    SHOTS,
    TOURS,
    book,
    downloaded_pdf,
    offering,
    sign_in,
    today,
)


def test_the_tour_operator_prints_a_manifest_and_cancels_a_departure_for_weather(
    browser, console, demo, live
):
    tours = demo[TOURS]
    day = today("Asia/Shanghai") + timedelta(days=12)
    tour = offering(demo, TOURS, "Mutianyu Great Wall")
    start = f"{day.isoformat()}T07:30"
    riders = [
        book(live, tours, name, {"offering_id": tour, "start": start, "party": 2})
        for name in ("Hana Weather", "Ivo Weather")
    ]
    page = browser.page(width=1024, zone="Asia/Shanghai")
    sign_in(page, console, "owner@great-wall-tours.example")
    page.get_by_role("link", name="Today").wait_for()
    page.goto(f"{console.endpoint}/#/today?date={day.isoformat()}")
    sheet = page.get_by_role("article", name="Mutianyu departure")
    sheet.get_by_text("Hana Weather").wait_for()

    sheet.get_by_role("link", name="Print").click()
    printable = page.locator("section.printable")
    printable.get_by_text("Ivo Weather").wait_for()
    page.emulate_media(media="print")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(SHOTS / "manifest.pdf"), format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    page.screenshot(path=str(SHOTS / "manifest-print.png"), full_page=True)
    assert not page.get_by_role("button", name="Print").is_visible()  # print style: no buttons
    page.emulate_media(media="screen")
    # the server's own PDF of the manifest, as a file
    assert all(rider["customer"]["name"] in downloaded_pdf(page) for rider in riders)

    page.go_back()
    sheet = page.get_by_role("article", name="Mutianyu departure")
    sheet.get_by_role("button", name="Cancel this departure").click()
    sheet.get_by_label("Why (each customer is told)").fill("Storm warning: the wall is closed")
    sheet.get_by_role("button", name="Cancel this departure").click()
    page.get_by_text("Done: 2 changed").wait_for(timeout=30_000)
    sheet.get_by_text("0 of 30 booked").wait_for()  # the sheet read again, the outcome kept
    assert page.get_by_text("Done: 2 changed").is_visible()
    sheet.get_by_text("Called off", exact=True).wait_for()  # the widget sells it no more
    page.screenshot(path=str(SHOTS / "departure-called-off.png"), full_page=True)
    assert axe_violations(page) == []
    q = f"offering={tour}&from={day.isoformat()}&to={(day + timedelta(days=1)).isoformat()}"
    offered = live.call("GET", f"/v1/public/availability?{q}&party=1", key=tours.publishable_key)
    assert offered.status_code == 200, offered.text
    assert start not in [o["start"][:16] for o in offered.json()["options"]]
    # Sold again from the catalog: its date's override opened, the departure unticked.
    page.get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name="Mutianyu departure").click()
    overrides = page.get_by_role("list", name="Date overrides")
    overrides.get_by_text("called off: 07:30").wait_for()
    form = page.get_by_role("form", name="Set a date override")
    form.get_by_label("Date").fill(day.isoformat())
    form.get_by_label("07:30 called off (untick to sell it again)").uncheck()
    form.get_by_role("button", name="Set the override").click()
    page.get_by_text("No date overrides: every date follows the week above.").wait_for()
    offered = live.call("GET", f"/v1/public/availability?{q}&party=1", key=tours.publishable_key)
    assert start in [o["start"][:16] for o in offered.json()["options"]]
    for rider in riders:
        after = live.call("GET", f"/v1/orders/{rider['id']}", key=tours.secret_key).json()
        assert after["status"] == "cancelled"
        assert after["cancellation"]["cancelled_by"] == "business"
        assert after["cancellation"]["fee"] == 0


def test_the_desk_checks_in_two_arrivals_found_by_a_search_at_once(browser, console, demo, live):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin")
    stay = {"offering_id": offering(demo, HOTEL, "Double room"), "check_in": day.isoformat()}
    guests = [
        book(live, hotel, name, {**stay, "nights": 1}) for name in ("Quinn Bulk", "Quade Bulk")
    ]
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="Orders", exact=True).click()
    page.get_by_label("Name starts with").fill("qu")
    page.get_by_role("button", name="Search").click()
    for guest in guests:
        page.get_by_label(f"Select {guest['id']}").check()
    bar = page.get_by_role("form", name="2 selected")
    bar.get_by_label("Do").select_option("check_in")
    bar.get_by_role("button", name="Apply to 2").click()
    page.get_by_text("Done: 2 changed").wait_for(timeout=30_000)
    assert axe_violations(page) == []
    for guest in guests:
        after = live.call("GET", f"/v1/orders/{guest['id']}", key=hotel.secret_key).json()
        assert after["status"] == "checked_in"
