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
