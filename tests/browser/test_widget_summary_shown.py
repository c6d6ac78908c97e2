"""What the booking's summary (hold, booked and manage pages) shows the customer: the resources
they chose and not the business's arrangements (a tours tester read "· 3 人 · Mutianyu
departure" in theirs), and a reference and date readable on a narrow screen (at 420 px the
reference broke into three lines beside a long offering name)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_booking import (
    SALON,
    TOURS,
    offering_id,
    open_day,
    page_of,
)
from tests.live_http import Http


def public_hold(live: Http, demo: Any, slug: str, line: dict[str, Any]) -> dict[str, Any]:
    body = {"customer": {"name": "Summer Ray", "email": "summary@example.com"}, "lines": [line]}
    r = live.call("POST", "/v1/public/orders", key=demo[slug].publishable_key, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def manage_page(browser: Any, site: Any, slug: str, order: dict[str, Any], **kw: Any) -> Any:
    """The order's manage page on the business's page, in `lang`, `width` wide."""
    lang, width = kw.get("lang", "en"), kw.get("width", 1000)
    page = browser.page(width=width)
    page.goto(
        f"{page_of(site, slug)}#reservoir_order={order['id']}"
        f"&reservoir_token={order['manage_token']}&reservoir_lang={lang}"
    )
    page.locator("reservoir-booking dl").first.wait_for()
    return page


def tour_hold(live: Http, demo: Any, ahead: int) -> dict[str, Any]:
    day = open_day("Asia/Shanghai", ahead=ahead, closed=())
    tour = offering_id(demo, TOURS, "Mutianyu Great Wall day tour")
    return public_hold(
        live, demo, TOURS, {"offering_id": tour, "start": f"{day}T07:30", "party": 3}
    )


@pytest.mark.parametrize(("lang", "people"), [("zh-Hans", "3 人"), ("en", "3 people")])
def test_a_tours_summary_does_not_name_its_departure(browser, site, demo, live, lang, people):
    order = tour_hold(live, demo, ahead=12)
    page = manage_page(browser, site, TOURS, order, lang=lang)
    summary = page.locator("reservoir-booking dl").first.inner_text()
    assert people in summary and "Mutianyu Great Wall day tour" in summary
    assert "Mutianyu departure" not in summary, summary
    page.screenshot(path=str(SHOTS / f"widget-tour-summary-{lang}.png"), full_page=True)


def test_a_salon_summary_names_the_stylist_picked(browser, site, demo, live):
    resources = live.call("GET", "/v1/resources", key=demo[SALON].secret_key).json()["data"]
    sam = next(r["id"] for r in resources if r["name"] == "Sam Chen")
    day = open_day("America/New_York", ahead=27)
    cut = offering_id(demo, SALON, "Haircut")
    line = {"offering_id": cut, "start": f"{day}T16:00", "resource_ids": {"0": sam}}
    order = public_hold(live, demo, SALON, line)
    page = manage_page(browser, site, SALON, order)
    summary = page.locator("reservoir-booking dl").first.inner_text()
    assert "Sam Chen" in summary, summary
