"""A customer's loyalty points on the widget's manage page, in chromium on the salon's demo
page: opened from the link in the e-mail about the booking, the page shows them; opened with
the manage token alone (what a hold's own answer gives whoever typed the address), it shows
none and says to open the e-mail's link (the outside probe's defect 3). From the e-mail's
link, "Book with my points" books again spending them: the page said what they were worth
off a booking, which the widget had no way to take (an outside tester's finding)."""

from __future__ import annotations

import re
import time
from typing import Any

from local.mailbox import sent
from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import (
    SALON,
    choices_for,
    manage_url,
    offering_id,
    open_day,
    reference,
    staff_order,
    widget_hold,
)
from tests.live_http import Http

PROGRAMME = {"enabled": True, "points_per_unit": 1, "point_value": 1, "expiry_months": 12}


def wait_for(what: str, probe: Any, seconds: float = 30) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"no {what} within {seconds} s")


def completed_stay(live: Http, salon: Any, email: str, day: str) -> None:
    """A haircut booked, confirmed, checked in and completed by the desk: it earns points."""
    body = {
        "customer": {"name": "Pia Points", "email": email},
        "lines": [{"offering_id": offering_id({SALON: salon}, SALON, "Haircut"), "start": day}],
    }
    r = live.call("POST", "/v1/orders", key=salon.secret_key, json=body)
    assert r.status_code == 201, r.text
    steps = (
        ("confirm", {}),
        ("check-in", {"early": True}),
        ("complete", {"leave_balance_open": True}),
    )
    for step, step_body in steps:
        done = live.call(
            "POST", f"/v1/orders/{r.json()['id']}/{step}", key=salon.secret_key, json=step_body
        )
        assert done.status_code == 200, (step, done.text)


def test_the_manage_page_shows_points_from_the_emails_link_only(browser, site, demo, live, stack):
    salon = demo[SALON]
    made = live.call("PUT", "/v1/loyalty/programme", key=salon.secret_key, json=PROGRAMME)
    assert made.status_code == 200, made.text
    email = f"pia.{time.time_ns() % 10**9}@example.com"
    day = open_day("America/New_York", ahead=9)
    completed_stay(live, salon, email, f"{day.isoformat()}T09:00")

    def points() -> int:
        r = live.call("GET", f"/v1/loyalty/balance?email={email}", key=salon.secret_key)
        assert r.status_code == 200, r.text
        return int(r.json()["points"])

    earned = wait_for("points earned", points)
    order = widget_hold(live, demo, day, "14:00", email=email)
    confirmed = live.call(
        "POST", f"/v1/orders/{order['id']}/confirm", key=salon.secret_key, json={}
    )
    assert confirmed.status_code == 200, confirmed.text
    pattern = re.compile(rf"http\S+#reservoir_order={order['id']}&\S*reservoir_proof=\S+")

    def emailed_link() -> str | None:
        for message in sent(stack.aws_endpoint)[0]:
            if email in message.to and (found := pattern.search(message.text)):
                return found.group(0)
        return None

    link = wait_for("e-mail with the manage link", emailed_link)
    page = browser.page()
    page.goto(link)
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_text(f"You have {earned} loyalty points").wait_for()

    # "Book with my points": a new booking under the same e-mail spends them (whole points,
    # at most what takes it to zero), shown in its summary before it is held.
    page.get_by_role("button", name="Book with my points").click()
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    later = open_day("America/New_York", ahead=12)
    page.get_by_label("Date").fill(later.isoformat())
    choices_for(page, later).last.click()
    assert page.get_by_label("E-mail").input_value() == email
    use = page.get_by_label(f"Use my {earned} loyalty points")
    assert use.is_checked()
    page.screenshot(path=str(SHOTS / "widget-points-offer.png"), full_page=True)
    page.get_by_label("E-mail").fill("someone.else@example.com")  # not theirs: not offered
    assert use.count() == 0
    page.get_by_label("E-mail").fill(email)
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    booked = staff_order(live, salon, reference(page))
    lines_total = sum(line["price"]["total"] for line in booked["lines"])
    [spent] = booked["charges"]  # 8.875 % on top in New York: the points' net value, taxed
    assert (spent["kind"], spent["label"]) == ("discount", f"{earned} points")
    assert -lines_total < spent["total"] <= -earned
    assert booked["totals"]["total"] == lines_total + spent["total"]
    page.locator("reservoir-booking dt", has_text=f"{earned} points").wait_for()
    page.screenshot(path=str(SHOTS / "widget-points-spent.png"), full_page=True)
    assert points() == 0

    typed = browser.page()
    typed.goto(manage_url(site, order))  # the hold's answer: its manage token, no proof
    typed.get_by_role("heading", name="Your booking").wait_for()
    typed.get_by_text("To see your loyalty points, open the link in your e-mail").wait_for()
    assert typed.get_by_text("loyalty points, worth").count() == 0
