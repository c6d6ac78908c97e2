"""Staff find a returning customer by phone (the demo salon's, local/demo_customers.py: two
haircuts under one e-mail and phone, the first checked in), see their figures and history, open
an order from it, and write a note, with the keyboard."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from local.demo_customers import RETURNING
from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import SALON, SHOTS, offering, sign_in, today, week_of_options


def test_staff_find_a_returning_customer_by_phone_and_see_the_history(browser, console, demo, live):
    salon = demo[SALON]
    assert not salon.problems, salon.problems
    # The record is made by the events' consumer on the worker loop: wait for it there first.
    phone = RETURNING["phone"].replace("+", "%2B")
    for _ in range(60):
        known = live.call("GET", f"/v1/customers?phone={phone}", key=salon.secret_key).json()
        if known["data"] and known["data"][0]["figures"]["visits"] == 1:
            break
        time.sleep(0.5)
    orders = live.call("GET", f"/v1/orders?phone={phone}", key=salon.secret_key).json()
    assert known["data"], (known, orders, salon.skipped)
    page = browser.page(width=1280, zone="America/New_York")
    sign_in(page, console, "alex@shear-studio.example")  # a staff member
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Customers").click()
    search = page.get_by_role("searchbox", name="Name, e-mail or phone")
    search.fill("(212) 555-0143")  # as the customer says it: a US number of the salon's country
    search.press("Enter")
    found = page.get_by_role("link", name=RETURNING["name"])
    found.wait_for()
    found.focus()
    page.keyboard.press("Enter")

    page.get_by_role("heading", name=RETURNING["name"]).wait_for()
    figures = page.get_by_role("region", name="Figures")
    figures.get_by_text("Bookings").wait_for()
    assert re.search(r"Bookings\s*2", figures.inner_text()), figures.inner_text()
    assert re.search(r"Visits\s*1", figures.inner_text())
    assert "Haircut" in figures.inner_text()  # what they usually book, by name

    history = page.get_by_role("region", name="History")
    orders = history.get_by_role("link", name=re.compile(r"^ord_"))
    orders.first.wait_for()
    assert orders.count() == 2

    notes = page.get_by_role("region", name="Notes")
    notes.get_by_label("New note").fill("Likes a short fringe")
    notes.get_by_role("button", name="Add the note").click()
    notes.get_by_text("Likes a short fringe").wait_for()
    notes.get_by_text(re.compile(r"^alex@shear-studio\.example, ")).wait_for()
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "customer-returning.png"), full_page=True)

    first = orders.first.inner_text()
    orders.first.click()
    page.get_by_role("heading", name=f"Order {first}").wait_for()


def test_an_owner_merges_a_possible_duplicate_from_the_customers_page(browser, console, demo, live):
    salon = demo[SALON]
    haircut = offering(demo, SALON, "Haircut")
    phone = "+12125550188"
    options = week_of_options(
        live, salon, haircut, today("America/New_York") + timedelta(days=5), 1
    )
    last_of_day = list({o["start"][:10]: o for o in options}.values())  # evenings: free
    assert len(last_of_day) >= 2, "no free time in a week"
    for name, email, option in (
        ("Mia Merge", "mia@example.com", last_of_day[-1]),
        ("Mia M.", "mia.m@example.com", last_of_day[-2]),
    ):
        body = {
            "customer": {"name": name, "email": email, "phone": phone},
            "lines": [{"offering_id": haircut, "start": option["start"][:16]}],
        }
        held = live.call("POST", "/v1/orders", key=salon.secret_key, json=body)
        assert held.status_code == 201, held.text
        oid = held.json()["id"]
        assert live.call("POST", f"/v1/orders/{oid}/confirm", key=salon.secret_key).ok
    for _ in range(60):  # the phone rule's flags come from the events, on the worker loop
        found = live.call("GET", "/v1/customers?email=mia%40example.com", key=salon.secret_key)
        if found.json()["data"] and found.json()["data"][0]["possible_duplicates"]:
            break
        time.sleep(0.5)
    mia = found.json()["data"][0]
    assert mia["possible_duplicates"], mia

    page = browser.page(width=1280, zone="America/New_York")
    page.on("dialog", lambda dialog: dialog.accept())  # "Merge … into …? This cannot be undone."
    sign_in(page, console, "owner@shear-studio.example")
    page.goto(f"{console.endpoint}/#/customers")
    # A search by keyboard: the keyboard lands on how many were found, not <body>.
    page.get_by_label("Name, e-mail or phone").fill("Mia Merge")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.id === 'customers-found'")
    duplicates = page.get_by_role("table", name="Possible duplicates")
    duplicates.get_by_role("link", name="Mia Merge").click()
    page.get_by_role("heading", name="Mia Merge").wait_for()
    page.get_by_role("region", name="Possible duplicates").get_by_role(
        "button", name="Merge into this customer"
    ).click()
    merged = page.get_by_text(re.compile(r"^The records are merged"))
    merged.wait_for()
    page.wait_for_function("() => document.activeElement?.id === 'customer-notice'")
    page.get_by_text(re.compile(r"^Merged from cus_")).wait_for()
    history = page.get_by_role("region", name="History")
    for _ in range(60):  # the merge job moves the other record's order here
        state = live.call(
            "GET",
            f"/v1/customers/{mia['id']}/merges/{mia['possible_duplicates'][0]}",
            key=salon.secret_key,
        ).json()
        if state.get("status") == "done":
            break
        time.sleep(0.5)
    assert state["status"] == "done", state
    page.reload()
    history = page.get_by_role("region", name="History")
    history.get_by_role("link", name=re.compile(r"^ord_")).nth(1).wait_for()
    assert history.get_by_role("link", name=re.compile(r"^ord_")).count() == 2
    figures = page.get_by_role("region", name="Figures")
    assert re.search(r"Bookings\s*2", figures.inner_text()), figures.inner_text()
    page.screenshot(path=str(SHOTS / "customer-merged.png"), full_page=True)
