"""Typing an address reaches no more than the bar offers: a page outside a role's bar (or a
hotel's page in a business that sells no nights) says so instead of showing itself."""

from __future__ import annotations

import time

from tests.browser.test_console import HOTEL, invite_viewer, sign_in


def test_a_viewer_typing_the_new_booking_address_is_told_it_is_not_theirs(
    browser, console, demo, live, stack
):
    email = f"viewer-{time.time_ns()}@harbour-view.example"
    invite_viewer(live, stack, demo[HOTEL], email, "Vic Viewer")
    page = browser.page()
    sign_in(page, console, email)
    bar = page.get_by_role("navigation", name="Main")
    bar.get_by_role("link", name="Orders").wait_for()
    assert bar.get_by_role("link", name="New booking").count() == 0

    for address in ("#/new", "#/overbookings", "#/settings"):
        page.goto(f"{console.endpoint}/{address}")
        page.get_by_role("heading", name="Not for your role").wait_for()
        assert page.get_by_role("button", name="Book and confirm").count() == 0
        assert page.locator("main form").count() == 0, address
    page.get_by_role("link", name="Back to the start").click()
    page.locator("#today-title").wait_for()


def test_salon_staff_typing_the_overbookings_address_is_told_the_salon_has_none(
    browser, console, demo
):
    page = browser.page()
    sign_in(page, console, "alex@shear-studio.example")
    bar = page.get_by_role("navigation", name="Main")
    bar.get_by_role("link", name="Orders").wait_for()
    assert bar.get_by_role("link", name="Overbookings").count() == 0
    for address in ("#/overbookings", "#/rooms", "#/groups"):
        page.goto(f"{console.endpoint}/{address}")
        page.get_by_role("heading", name="Not for this business").wait_for()
        assert page.get_by_role("heading", name="Overbookings").count() == 0, address


def test_the_bookkeepers_viewer_login_reads_the_reports_but_not_the_morning_emails_settings(
    browser, console, demo
):
    """The demo hotel's bookkeeper (a viewer) was told "Not for your role" on Reports: a
    read-only login reads the figures and takes exports; the morning e-mail's settings stay
    the managers'."""
    page = browser.page()
    sign_in(page, console, "accounts@harbour-view.example")
    bar = page.get_by_role("navigation", name="Main")
    bar.get_by_role("link", name="Reports").click()
    page.locator("#dashboard-title").wait_for()
    sub = page.get_by_role("navigation", name="Reports")
    assert sub.get_by_role("link", name="Exports").count() == 1
    assert sub.get_by_role("link", name="Morning e-mail").count() == 0
    page.goto(f"{console.endpoint}/#/exports")
    page.get_by_role("heading", name="Exports").wait_for()
    page.goto(f"{console.endpoint}/#/report-summary")
    page.get_by_role("heading", name="Not for your role").wait_for()
