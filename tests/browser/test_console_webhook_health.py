"""The Webhooks page says each endpoint's description and how its deliveries go (an outside
tester's: a failing endpoint looked like a healthy one until its delivery log was opened).
Three endpoints of the demo hotel, served by the test: one whose receiver answers 500 is
"Failing since <when> (n attempts)" with a mark, in words and not by colour alone; one that
answered 200 was "Last delivered <when>"; one sent nothing yet "Never delivered yet". The
times are the business's (Berlin), read from a browser in New York, and the same in Chinese.
What the test adds to the demo hotel it removes, whatever happens."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.conftest import SHOTS
from tests.browser.test_console import HOTEL, book, offering, open_setting, sign_in, today
from tests.webhook_support import Receiver

MANAGER = "frontdesk@harbour-view.example"
ENDPOINTS = "/v1/webhooks/endpoints"
# Chromium's en-GB short months ("Sept", not Python's "Sep").
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]


@pytest.fixture
def receivers() -> Iterator[tuple[Receiver, Receiver, Receiver]]:
    servers = (Receiver().start(), Receiver(default=500).start(), Receiver().start())
    yield servers
    for server in servers:
        server.stop()


def _health(live: Any, key: str, endpoint_id: str) -> dict[str, Any]:
    return dict(live.call("GET", f"{ENDPOINTS}/{endpoint_id}", key=key).json()["health"])


def _until(live: Any, key: str, endpoint_id: str, field: str) -> dict[str, Any]:
    """The endpoint's health once `field` is set (the worker delivers in its own time)."""
    for _ in range(150):
        health = _health(live, key, endpoint_id)
        if health.get(field):
            return health
        time.sleep(0.2)
    raise AssertionError(f"{endpoint_id}: no {field} yet")


def _at(instant: str, zone: str, chinese: bool = False) -> str:
    """An instant as the console writes it this year in `zone`: "3 Dec, 04:02" (en-GB: a
    24-hour clock's hours in two digits, as the console's other times have them) or
    "12月3日 04:02"."""
    local = datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    if chinese:
        return f"{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local.day} {MONTHS[local.month - 1]}, {local:%H:%M}"


def test_the_webhooks_page_says_each_endpoints_description_and_health(
    browser, console, demo, live, receivers
):
    hotel = demo[HOTEL]
    key = hotel.secret_key
    zone = live.call("GET", "/v1/tenant", key=key).json()["timezone"]
    ok, broken, quiet = receivers
    made: list[str] = []
    order = None

    def endpoint(receiver: Receiver, description: str, event: str) -> str:
        body = {"url": receiver.url, "description": description, "event_types": [event]}
        answer = live.call("POST", ENDPOINTS, key=key, json=body)
        assert answer.status_code == 201, answer.text
        made.append(answer.json()["id"])
        return str(answer.json()["id"])

    try:
        ok_id = endpoint(ok, "Front desk system", "OrderConfirmed")
        broken_id = endpoint(broken, "Old CRM, retired", "OrderConfirmed")
        endpoint(quiet, "Undone no-shows", "OrderNoShowUndone")  # sent nothing here
        stay = {"offering_id": offering(demo, HOTEL, "Double room"), "nights": 1}
        day = today(zone) + timedelta(days=40 + time.time_ns() % 200)
        order = book(live, hotel, "Hetty Health", {**stay, "check_in": day.isoformat()})
        delivered = _until(live, key, ok_id, "last_success_at")
        failing = _until(live, key, broken_id, "failing_since")

        page = browser.page(width=1280, locale="en-GB", zone="America/New_York")
        sign_in(page, console, MANAGER)
        open_setting(page, "Webhooks")
        rows = page.get_by_role("row")
        good = rows.filter(has_text=ok.url)
        good.get_by_text("Front desk system").wait_for()
        assert good.get_by_text(f"Last delivered {_at(delivered['last_success_at'], zone)}").count()
        bad = rows.filter(has_text=broken.url)
        assert bad.get_by_text("Old CRM, retired").count()
        # Other tests' bookings fail on it too: the count is whatever it is by now.
        since = re.escape(_at(failing["failing_since"], zone))
        said = re.compile(rf"Failing since {since} \((1 attempt|[0-9]+ attempts)\)$")
        bad.get_by_text(said).wait_for()
        assert "Never delivered yet" in bad.inner_text()  # its receiver never answered 2xx
        assert rows.filter(has_text=quiet.url).get_by_text("Never delivered yet").count()
        assert rows.filter(has_text=quiet.url).get_by_text("Undone no-shows").count()
        # Which zone those times are in is said (an outside integrator's read 3:14 AM for
        # 08:14Z, with nothing to say it was the hotel's Berlin or the browser's New York).
        assert page.get_by_text("Times are the business's (").count() == 1
        assert "Central European" in page.get_by_text("Times are the business's (").inner_text()
        assert axe_violations(page) == []
        page.screenshot(path=str(SHOTS / "console-webhook-health.png"), full_page=True)

        chinese = browser.page(width=1280, locale="zh-CN", zone="America/New_York")
        sign_in(chinese, console, MANAGER)
        chinese.goto(f"{console.endpoint}/#/webhooks")
        zh_rows = chinese.get_by_role("row")
        zh_at = _at(failing["failing_since"], zone, chinese=True)
        zh_rows.filter(has_text=broken.url).get_by_text(f"自 {zh_at} 起投递失败").wait_for()
        zh_ok = _at(delivered["last_success_at"], zone, chinese=True)
        assert zh_rows.filter(has_text=ok.url).get_by_text(f"最近一次送达：{zh_ok}").count()
        assert zh_rows.filter(has_text=quiet.url).get_by_text("尚未送达过").count()
    finally:
        for endpoint_id in made:
            live.call("DELETE", f"{ENDPOINTS}/{endpoint_id}", key=key)
        if order:
            live.call("POST", f"/v1/orders/{order['id']}/cancel", key=key, json={})
