"""A desk's page goes stale when another desk (or tab) changes the order: a step the order can
no longer take is refused in words, and the page then shows the order as it is now, without
the steps it no longer offers (an outside tester's finding: the stale tab kept offering them)."""

from __future__ import annotations

from tests.browser.test_console import HOTEL, book, offering, sign_in, today


def test_a_check_in_on_a_page_another_desk_made_stale_is_refused_and_the_page_catches_up(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin")
    stay = {"offering_id": offering(demo, HOTEL, "Double room"), "check_in": day.isoformat()}
    order = book(live, hotel, "Stella Stale", {**stay, "nights": 1})
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    check_in = page.get_by_role("button", name="Check in")
    check_in.first.wait_for()

    # Another desk cancels it meanwhile, through the API.
    other = live.call(
        "POST", f"/v1/orders/{order['id']}/cancel", key=hotel.secret_key, json={"reason": "x"}
    )
    assert other.status_code == 200, other.text

    check_in.first.click()
    page.get_by_text("cannot become checked in").first.wait_for()
    page.get_by_text("Cancelled").first.wait_for()  # the order as it is now
    for _ in range(50):
        if page.get_by_role("button", name="Check in").count() == 0:
            break
        page.wait_for_timeout(100)
    assert page.get_by_role("button", name="Check in").count() == 0
    got = live.call("GET", f"/v1/orders/{order['id']}", key=hotel.secret_key).json()
    assert got["status"] == "cancelled"
