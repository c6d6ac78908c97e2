"""The answer to Book lost (an outside tester's phone: the hold made, its answer dropped): the
guest goes Back and books the same time again, or corrects the e-mail, and never leaves a
hold behind that they did not see. The same request keeps its Idempotency-Key across Back, so
the server answers the hold it made; a changed one first looks for that hold (the previous
request's key and body with `Idempotency-Replay: only`, which makes none) and gives it back
(web/widget/attempts.ts). The tester's widget sent a new key each time: two holds, both
confirmed in the end."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.test_widget_booking import (
    SALON,
    choices_for,
    fill_details,
    open_day,
    page_of,
    reference,
)
from tests.browser.test_widget_payment_lost import lose_the_first_answer


def haircut_details(page: Any, site: Any, ahead: int, name: str, email: str) -> tuple[Any, str]:
    """A haircut `ahead` days on chosen and its details filled in; the day and the time's
    label."""
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=ahead)
    page.get_by_label("Date").fill(day.isoformat())
    time = choices_for(page, day).last
    label = time.inner_text()
    time.click()
    fill_details(page, name, email)
    return day, label


def book_with_the_answer_lost(page: Any, site: Any, ahead: int, email: str) -> tuple[Any, str]:
    """The details of a haircut `ahead` days on sent, the hold made and its answer lost; the
    day and the time's label."""
    day, label = haircut_details(page, site, ahead, "Lost Book", email)
    lose_the_first_answer(page, "**/v1/public/orders")  # the server holds the time
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_text("We could not reach the booking service").wait_for()
    return day, label


def orders_of(live: Any, demo: Any, email: str) -> list[tuple[str, str]]:
    found = live.call("GET", "/v1/orders", key=demo[SALON].secret_key, params={"email": email})
    assert found.status_code == 200, found.text
    return sorted((o["id"], o["status"]) for o in found.json()["data"])


def test_back_and_another_time_gives_back_the_hold_the_lost_answer_made(browser, site, demo, live):
    page = browser.page(width=390)
    day, _ = book_with_the_answer_lost(page, site, 23, "lost-back@example.com")
    [(unseen, status)] = orders_of(live, demo, "lost-back@example.com")
    assert status == "held"
    page.get_by_role("button", name="Back", exact=True).click()
    # The unseen hold keeps its time from the list: the guest takes another.
    choices_for(page, day).first.click()
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    held = reference(page)
    assert held != unseen
    assert orders_of(live, demo, "lost-back@example.com") == sorted(
        [(unseen, "cancelled"), (held, "held")]
    )


def test_a_corrected_email_gives_back_the_unseen_hold_before_holding_again(
    browser, site, demo, live
):
    page = browser.page(width=390)
    book_with_the_answer_lost(page, site, 24, "lost-edit@example.com")
    [(unseen, _)] = orders_of(live, demo, "lost-edit@example.com")
    page.get_by_label("E-mail").fill("lost-edit2@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    assert orders_of(live, demo, "lost-edit@example.com") == [(unseen, "cancelled")]
    assert orders_of(live, demo, "lost-edit2@example.com") == [(reference(page), "held")]


def test_a_book_that_never_arrived_leaves_no_hold_made_and_given_back(browser, site, demo, live):
    """Book lost on the way out (the server never saw it), then the e-mail corrected: the
    look finds nothing and makes nothing. The widget sent the request itself again to find
    the hold, which held the time and cancelled it: an order the guest never asked for, told
    to the business's webhooks and counted in its figures."""
    page = browser.page(width=390)
    haircut_details(page, site, 25, "Never Sent", "never-sent@example.com")
    dropped = {"done": False}

    def drop_the_first(route: Any) -> None:
        if route.request.method == "POST" and not dropped["done"]:
            dropped["done"] = True
            route.abort("internetdisconnected")  # never reaches the server
        else:
            route.continue_()

    page.route("**/v1/public/orders", drop_the_first)
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_text("We could not reach the booking service").wait_for()
    assert orders_of(live, demo, "never-sent@example.com") == []
    page.get_by_label("E-mail").fill("never-sent2@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    assert orders_of(live, demo, "never-sent@example.com") == []
    assert orders_of(live, demo, "never-sent2@example.com") == [(reference(page), "held")]
