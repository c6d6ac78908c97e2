"""The widget and the console read a refusal status first: API Gateway (an HTTP API) answers a
throttled request itself, 429 `{"message": "Too Many Requests"}`, not in the API's error shape
(README, "Errors"). The gateway's answer is played by the browser's own request routing, the
only way to have it here (the local stack has no gateway); the pages must show "too many",
not an empty or generic error."""

from __future__ import annotations

import json
import re
from typing import Any

from tests.browser.test_widget_booking import SALON, page_of

THROTTLED = json.dumps({"message": "Too Many Requests"})


def throttle(page: Any, pattern: str) -> list[str]:
    """Answer requests whose URL matches `pattern` as the HTTP API's throttling does (readable
    by the page: a real gateway answer has no CORS header, and a cross-origin page sees a
    failed fetch instead, which both front ends call a network problem). The URLs answered."""
    answered: list[str] = []

    def gateway(route: Any) -> None:
        if route.request.method == "OPTIONS":
            route.continue_()
            return
        answered.append(route.request.url)
        route.fulfill(
            status=429,
            content_type="application/json",
            body=THROTTLED,
            headers={"Access-Control-Allow-Origin": "*", "apigw-requestid": "ZIQ1Gg_joAMEVpQ="},
        )

    page.context.route(re.compile(pattern), gateway)
    return answered


def test_the_widget_calls_a_throttled_answer_too_many_tries(browser, site, demo):
    page = browser.page()
    answered = throttle(page, r".*/v1/public/offerings(\?.*)?$")
    page.goto(page_of(site, SALON))
    page.get_by_text("Too many tries. Please wait a moment and try again.").wait_for()
    assert answered
    assert not page.get_by_text("Too Many Requests").count()


def test_the_consoles_sign_up_calls_a_throttled_answer_too_many(browser, console):
    page = browser.page()
    answered = throttle(page, r".*/v1/signup$")
    page.goto(f"{console.endpoint}/")
    page.get_by_role("link", name="A new business? Sign up").click()
    page.get_by_label("Business name").fill("Throttled Inn")
    page.get_by_label("Short name for addresses").fill("throttled-inn")
    page.get_by_label("Your name").fill("Tess Throttle")
    page.get_by_label("E-mail").fill("owner@throttled-inn.example")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text("Too many sign-ups right now. Please wait a moment and try again.").wait_for()
    assert answered
