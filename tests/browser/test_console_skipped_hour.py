"""A date override's session at a time the clocks skip is refused once, in the console's own
words with the day (P7A finding 16: the console's sentence and then the API's message said
the same thing twice). The salon's zone, New York: 14 March 2027 has no 02:30."""

from __future__ import annotations

import time

from tests.browser.test_console import SALON, sign_in
from tests.browser.test_console_catalog import _stop


def test_a_skipped_hour_is_refused_once_with_its_day(browser, console, demo, live):
    salon = demo[SALON]
    name = f"Workshop {time.time_ns()}"
    body = {"name": name, "kind": "session", "capacity": 10, "session_minutes": 60}
    made = live.call("POST", "/v1/resources", key=salon.secret_key, json=body)
    assert made.status_code == 201, made.text
    page = browser.page(width=1024)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name=name).click()
    form = page.get_by_role("form", name="Set a date override")
    form.get_by_label("Date").fill("2027-03-14")
    form.get_by_label("Other sessions that day").check()
    form.get_by_role("button", name="Add a session on that day").click()
    form.get_by_label("that day: session 1").fill("02:30")
    form.get_by_role("button", name="Set the override").click()
    refusal = page.get_by_role("alert").filter(has_text="Refused: on")
    refusal.wait_for()
    said = refusal.inner_text()
    assert said.count("02:30") == 1, said
    assert "Mar 14, 2027" in said, said
    assert "America/New_York" not in said, said  # the API's message is not said again
    _stop(live, salon.secret_key, "resources", made.json()["id"])
