"""The Orders page says the start dates its search covers when From and To are empty (P7A
finding 8: a booking 40 days ahead never appeared and nothing said why); with a name, which
searches every date, it says nothing of dates."""

from __future__ import annotations

import time
from datetime import timedelta

from tests.browser.test_console import SALON, book, offering, sign_in, today, week_of_options


def test_the_orders_search_says_its_default_window_and_how_to_look_further(
    browser, console, demo, live
):
    salon = demo[SALON]
    cut = offering(demo, SALON, "Haircut")
    far = today("America/New_York") + timedelta(days=45)
    pick = week_of_options(live, salon, cut, far, party=1)[0]
    name = f"Faraway{time.time_ns() % 100000}"
    book(live, salon, f"{name} Later", {"offering_id": cut, "start": pick["start"][:16]})
    page = browser.page(width=1024)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("link", name="Orders").click()
    note = page.get_by_role("note").filter(has_text="today and the next 30 days")
    note.wait_for()
    assert "set From and To to search other dates" in note.inner_text()
    page.get_by_label("Name starts with").fill(name.lower())
    page.get_by_role("button", name="Search").click()
    page.get_by_role("cell", name=f"{name} Later").first.wait_for()
    assert page.get_by_role("note").filter(has_text="today and the next 30 days").count() == 0


def test_a_search_answered_a_few_at_a_time_reads_on_until_its_page_is_full(
    browser, console, demo, live
):
    """A busy hotel's year of cancellations came a dozen per "Show more" (the API looks at so
    many orders a request): the page reads on with the cursor until it holds 25. Here the
    first answer is cut to two orders, its cursor kept; the page must read on."""
    salon = demo[SALON]
    cut_ = offering(demo, SALON, "Haircut")
    options = week_of_options(live, salon, cut_, today("America/New_York") + timedelta(days=3), 1)
    for n, pick in enumerate(options[::12][:4]):  # apart: the same stylist may serve each
        book(live, salon, f"Paged Guest{n}", {"offering_id": cut_, "start": pick["start"][:16]})
    reads: list[str] = []

    def first_cut_short(route):  # noqa: ANN001, ANN202 - Playwright's route
        reads.append(route.request.url)
        answer = route.fetch()
        page_of = answer.json()
        if len(reads) == 1 and len(page_of["data"]) > 2:
            cut = page_of["data"][:2]
            cursor = live.call(
                "GET", "/v1/orders", key=demo[SALON].secret_key, params={"limit": 2}
            ).json()["next_cursor"]
            page_of = {**page_of, "data": cut, "next_cursor": cursor}
        return route.fulfill(response=answer, json=page_of)

    page = browser.page(width=1024)
    page.route("**/v1/orders?*", first_cut_short)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("link", name="Orders").click()
    page.get_by_role("status").filter(has_text=" shown").wait_for()
    assert len(reads) >= 2, reads
    assert "cursor=" in reads[1]
    assert page.locator("table.results tbody tr").count() > 2


def test_a_slow_earlier_search_never_overwrites_the_one_asked_after_it(
    browser, console, demo, live
):
    """A reviewer's: a page may take several reads now, and the first search's late answer
    replaced the results of the search asked after it, under the new filters."""
    salon = demo[SALON]
    cut_ = offering(demo, SALON, "Haircut")
    pick = week_of_options(live, salon, cut_, today("America/New_York") + timedelta(days=5), 1)[0]
    name = f"Latest{time.time_ns() % 100000}"
    book(live, salon, f"{name} Only", {"offering_id": cut_, "start": pick["start"][:16]})

    def slow_default(route):  # noqa: ANN001, ANN202 - Playwright's route
        if "name=" not in route.request.url:
            time.sleep(3)  # the default search's answer comes after the named one's
        return route.continue_()

    page = browser.page(width=1024)
    sign_in(page, console, "owner@shear-studio.example")
    page.route("**/v1/orders?*", slow_default)
    page.get_by_role("link", name="Orders").click()
    page.get_by_label("Name starts with").fill(name.lower())
    page.get_by_role("button", name="Search").click()
    page.get_by_role("cell", name=f"{name} Only").first.wait_for()
    page.wait_for_timeout(4000)  # past the slow default answer
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 1 and name in rows.first.inner_text()
