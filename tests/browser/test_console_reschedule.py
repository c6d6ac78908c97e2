"""The desk moves a booking to another time from its order's page ("Change the time": an
outside tester found no way to, so a customer who phoned was cancelled and booked again): the
salon moves a haircut to another day and stylist, the tour operator's guide moves a party to
another departure in Chinese on a phone, and a time taken between the quote and the
confirmation is refused in words, the free times read again and the order unchanged; an
order another desk moved meanwhile is said and shown as it now is."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from typing import Any

from playwright.sync_api import expect

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.moved_price import price_moved_once
from tests.browser.test_console import (
    SALON,
    SHOTS,
    TOURS,
    book,
    invite_viewer,
    offering,
    sign_in,
    today,
)
from tests.live_http import Http

SALON_ZONE, TOURS_ZONE = "America/New_York", "Asia/Shanghai"


def resource_id(live: Http, tenant: Any, name: str) -> str:
    data = live.call("GET", "/v1/resources", key=tenant.secret_key).json()["data"]
    return str(next(r["id"] for r in data if r["name"] == name))


def free(
    live: Http, tenant: Any, offering_id: str, day: date, *, resource: str = "", days: int = 1
) -> list[dict[str, Any]]:
    """The offering's free options from `day` for one person (`resource`: served by that one)."""
    query = (
        f"/v1/availability?offering={offering_id}&from={day.isoformat()}"
        f"&to={(day + timedelta(days=days)).isoformat()}&party=1"
    )
    if resource:
        query += f"&resource={resource}"
    return list(live.call("GET", query, key=tenant.secret_key).json()["options"])


def first_free_day(live: Http, tenant: Any, offering_id: str, day: date, resource: str) -> date:
    """The first day from `day` on which `resource` has a free time (the salon closes Sundays)."""
    for _ in range(10):
        if free(live, tenant, offering_id, day, resource=resource):
            return day
        day += timedelta(days=1)
    raise AssertionError(f"no free time for {resource} in ten days")


def read(live: Http, tenant: Any, order_id: str) -> dict[str, Any]:
    return dict(live.call("GET", f"/v1/orders/{order_id}", key=tenant.secret_key).json())


def salon_booking(live: Http, demo: Any, name: str) -> tuple[dict[str, Any], str, str, date]:
    """A confirmed haircut with Alex on the first day he is free from the day after tomorrow:
    the order, the haircut's id, Alex's and Sam's ids, and the day after it Sam is free."""
    salon = demo[SALON]
    haircut = offering(demo, SALON, "Haircut")
    alex = resource_id(live, salon, "Alex Rivera")
    sam = resource_id(live, salon, "Sam Chen")
    day = first_free_day(live, salon, haircut, today(SALON_ZONE) + timedelta(days=2), alex)
    start = free(live, salon, haircut, day, resource=alex)[0]["start"][:16]
    line = {"offering_id": haircut, "start": start, "resource_ids": {"0": alex}}
    order = book(live, salon, name, line)
    assert [r["resource_id"] for r in order["lines"][0]["resources"]] == [alex]
    return order, alex, sam, first_free_day(live, salon, haircut, day + timedelta(days=1), sam)


def change_the_time(page: Any, day: date, who: str | None, find: str, times: str) -> Any:
    """Opens "Change the time" on the order's only timed line, sets the day (and who serves it),
    shows the free times; answers the control."""
    page.get_by_role("button", name=re.compile(r"^(Change the time|更改时间)$")).click()
    move = page.locator(".move")
    move.locator("input[type=date]").fill(day.isoformat())
    if who is not None:
        move.locator("select").select_option(label=who)
    move.get_by_role("button", name=find).click()
    move.get_by_role("list", name=times).get_by_role("button").first.wait_for()
    return move


def expected_label(option: dict[str, Any]) -> str:
    """An option's button as the console names it in English (its time)."""
    return f"^{datetime.fromisoformat(option['start']):%-I:%M %p}$"


def test_the_salon_moves_a_haircut_to_another_day_and_stylist(browser, console, demo, live):
    salon = demo[SALON]
    order, _alex, sam, day = salon_booking(live, demo, "Remy Move")
    expected = free(live, salon, order["lines"][0]["offering_id"], day, resource=sam)[0]
    page = browser.page(width=1280, zone=SALON_ZONE)
    sign_in(page, console, "alex@shear-studio.example")
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    page.get_by_role("heading", name=f"Order {order['id']}").wait_for()

    # Half an hour later with Alex overlaps the appointment itself, and is offered to it.
    booked = datetime.fromisoformat(order["lines"][0]["start"])
    later = booked + timedelta(minutes=30)
    move = change_the_time(page, booked.date(), "Alex Rivera", "Show free times", "Free times")
    times = move.get_by_role("list", name="Free times")
    assert times.get_by_role("button", name=f"{later:%-I:%M %p}", exact=True).count() == 1
    assert times.get_by_role("button", name=f"{booked:%-I:%M %p}", exact=True).count() == 0

    move.locator("input[type=date]").fill(day.isoformat())
    move.locator("select").select_option(label="Sam Chen")
    move.get_by_role("button", name="Show free times").click()
    times.get_by_role("button", name=re.compile(expected_label(expected))).first.wait_for()
    times.get_by_role("button").first.click()
    quote = move.get_by_role("group", name=re.compile(r"^Move to .* with Sam Chen\."))
    quote.wait_for()
    assert "The price stays" in quote.inner_text()  # the same service: the same price
    expect(move.get_by_role("button", name="Move it")).to_be_focused()  # the keyboard is there
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "console-reschedule-salon-quote-1280.png"), full_page=True)

    # The move is made at the total its quote said: a price changed meanwhile (here the total
    # sent is made another on its way) is refused, said, and quoted again; nothing moved.
    sent: list[dict[str, Any]] = []

    page.route("**/reschedule", price_moved_once(sent, 1))
    page.keyboard.press("Enter")
    move.get_by_text("The price of this move changed meanwhile").wait_for()
    quote.wait_for()
    assert read(live, salon, order["id"])["version"] == order["version"]
    move.get_by_role("button", name="Move it").click()
    page.get_by_role("status").filter(has_text="Moved to").wait_for()
    assert [b["expected_total"] for b in sent] == [order["totals"]["total"]] * 2
    page.get_by_role("list").filter(has_text="Sam Chen").first.wait_for()

    got = read(live, salon, order["id"])
    assert got["status"] == "confirmed" and got["version"] == order["version"] + 1
    assert got["lines"][0]["start"][:16] == expected["start"][:16]
    assert [r["resource_id"] for r in got["lines"][0]["resources"]] == [sam]
    assert got["totals"] == order["totals"]


def test_the_guide_moves_a_party_to_another_departure_in_chinese_on_a_phone(
    browser, console, demo, live
):
    tours = demo[TOURS]
    tour = offering(demo, TOURS, "Mutianyu Great Wall day tour")
    first = free(live, tours, tour, today(TOURS_ZONE) + timedelta(days=3), days=7)[0]
    booked = {"offering_id": tour, "start": first["start"][:16], "party": 2}
    order = book(live, tours, "李移动", booked)
    target = date.fromisoformat(first["date"]) + timedelta(days=2)
    expected = free(live, tours, tour, target, days=7)[0]
    page = browser.page(width=390, locale="zh-CN", zone=TOURS_ZONE)
    sign_in(page, console, "guide@great-wall-tours.example")
    page.goto(f"{console.endpoint}/#/order/{order['id']}")

    move = change_the_time(page, target, None, "查看空闲时间", "空闲时间")
    move.get_by_role("list", name="空闲时间").get_by_role("button").first.click()
    quote = move.get_by_role("group", name=re.compile(r"^改到 "))
    quote.wait_for()
    assert "价格不变" in quote.inner_text()
    assert axe_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"
    page.screenshot(path=str(SHOTS / "console-reschedule-tour-quote-zh-390.png"), full_page=True)
    move.get_by_role("button", name="确认更改").click()
    page.get_by_role("status").filter(has_text="已改到").wait_for()

    got = read(live, tours, order["id"])
    assert got["version"] == order["version"] + 1
    assert got["lines"][0]["start"][:16] == expected["start"][:16]
    assert got["lines"][0]["date"] == expected["date"] != first["date"]
    assert got["lines"][0]["party"] == 2

    # The same control on the desk's screen, in Chinese: the week's departures to choose from.
    # (Opened fresh: in the whole serial suite, once, the button stayed "not stable" for 15 s
    # when the phone page that had just moved the order was resized; the cause is not found.)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.get_by_role("button", name="更改时间").wait_for()
    change_the_time(page, target, None, "查看空闲时间", "空闲时间")
    page.screenshot(path=str(SHOTS / "console-reschedule-tour-times-zh-1280.png"), full_page=True)


def test_a_time_taken_before_the_desk_confirms_is_refused_and_the_order_stays(
    browser, console, demo, live
):
    salon = demo[SALON]
    order, alex, sam, day = salon_booking(live, demo, "Tara Taken")
    haircut = order["lines"][0]["offering_id"]
    alex_day = first_free_day(live, salon, haircut, day, alex)
    wanted = free(live, salon, haircut, alex_day, resource=alex)[0]
    page = browser.page(width=390, zone=SALON_ZONE)
    sign_in(page, console, "sam@shear-studio.example")
    page.goto(f"{console.endpoint}/#/order/{order['id']}")

    move = change_the_time(page, alex_day, "Alex Rivera", "Show free times", "Free times")
    move.get_by_role("list", name="Free times").get_by_role("button").first.click()
    move.get_by_role("button", name="Move it").wait_for()
    # Another desk books Alex at that time meanwhile.
    taken = {"offering_id": haircut, "start": wanted["start"][:16], "resource_ids": {"0": alex}}
    book(live, salon, "Quick Other", taken)
    assert read(live, salon, order["id"])["version"] == order["version"]
    move.get_by_role("button", name="Move it").click()
    move.get_by_role("alert").filter(has_text="That time was taken meanwhile").wait_for()
    times = move.get_by_role("list", name="Free times")
    times.get_by_role("button").first.wait_for()  # read again: the taken time is not offered
    gone = times.get_by_role("button", name=re.compile(expected_label(wanted)))
    expect(gone).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # a phone's screen
    page.screenshot(path=str(SHOTS / "console-reschedule-taken-390.png"), full_page=True)
    assert read(live, salon, order["id"]) == order  # nothing moved

    # Another desk moves the order itself meanwhile: the next step is refused in words and
    # the page shows the order as it now is.
    other = free(live, salon, haircut, day, resource=sam)[0]
    line = {"offering_id": haircut, "start": other["start"][:16], "resource_ids": {"0": sam}}
    moved = live.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        key=salon.secret_key,
        json={"lines": [line]},
        headers={"If-Match": f'"{order["version"]}"'},
    )
    assert moved.status_code == 200, moved.text
    times.get_by_role("button").first.click()
    page.get_by_role("alert").filter(has_text="Someone else changed this order").wait_for()
    page.locator("ul.lines").filter(has_text="Sam Chen").wait_for()
    assert read(live, salon, order["id"])["version"] == order["version"] + 1


def test_a_viewer_is_offered_no_change_of_time(browser, console, demo, live, stack):
    """The API lets staff, managers and owners move a booking (the roles table); a viewer
    reads the order and is offered no "Change the time"."""
    salon = demo[SALON]
    order, *_ = salon_booking(live, demo, "Vince Viewed")
    email = f"viewer-{time.time_ns()}@shear-studio.example"
    invite_viewer(live, stack, salon, email, "Val Viewer")
    page = browser.page(zone=SALON_ZONE)
    sign_in(page, console, email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Orders").wait_for()
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    page.locator("ul.lines").filter(has_text="Alex Rivera").wait_for()
    page.get_by_role("button", name="Print").wait_for()
    page.wait_for_load_state("networkidle")  # what the page reads has come (staff: the control)
    assert page.get_by_role("button", name="Change the time").count() == 0
