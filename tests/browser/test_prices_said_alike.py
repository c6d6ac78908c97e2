"""Each pair of prices says the same kind of price, what the customer pays: the widget's
"from" price and each time's (the salon prices without its 8.88 % tax, so $45.00 is $49.00
to pay), and the console's charge list and its button (Shampoo $18.00 is $19.60 to pay)."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.browser.test_console import SALON, book, offering, sign_in, today, week_of_options
from tests.browser.test_widget_booking import choices_for, open_day, page_of


def test_the_widgets_from_price_is_what_each_time_costs(browser, site, demo):
    page = browser.page()
    page.goto(page_of(site, SALON))
    haircut = page.get_by_role("button", name=re.compile("^Haircut"))
    assert "from $49.00" in haircut.inner_text()
    haircut.click()
    day = open_day("America/New_York", ahead=3)
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).first.wait_for()
    said = {re.search(r"\$[\d.,]+", t).group(0) for t in choices_for(page, day).all_inner_texts()}
    assert said == {"$49.00"}


def test_the_charge_list_says_the_price_its_button_charges(browser, console, demo, live):
    salon = demo[SALON]
    haircut = offering(demo, SALON, "Haircut")
    options = week_of_options(live, salon, haircut, today("America/New_York") + timedelta(2), 1)
    assert options, "no free haircut in a week"
    order = book(
        live, salon, "Sean Shampoo", {"offering_id": haircut, "start": options[0]["start"][:16]}
    )
    page = browser.page(width=1024)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").wait_for()
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    form = page.get_by_role("region", name="Money").get_by_role("form", name="Add a charge")
    form.get_by_label("Item").select_option(label="Shampoo, 250 ml · $19.60")
    form.get_by_role("button", name="Charge $19.60").wait_for()
