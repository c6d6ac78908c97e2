"""The order page's desk links (the customer's e-mail, Privacy) are targets of 44 px, as the
README asks of every control, on a desk screen and on a phone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser.test_console import SALON, book, offering, sign_in, today, week_of_options


@pytest.mark.parametrize("width", [1280, 390])
def test_the_customers_links_are_44_pixels_tall(browser, console, demo, live, width):
    salon = demo[SALON]
    haircut = offering(demo, SALON, "Haircut")
    options = week_of_options(live, salon, haircut, today("America/New_York") + timedelta(3), 1)
    assert options, "no free haircut in a week"
    line = {"offering_id": haircut, "start": options[0]["start"][:16]}
    order = book(live, salon, f"Tall Links {width}", line)
    page = browser.page(width=width)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").wait_for()
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    email = page.get_by_role("link", name=order["customer"]["email"])
    privacy = page.get_by_role("link", name="Privacy", exact=True).last
    for link in (email, privacy):
        box = link.bounding_box()
        assert box and box["height"] >= 44, (link, box)
