"""The embed snippet holds a placeholder: on a slow phone the business's page showed 20 s of
empty space while the widget's script loaded (an outside tester's). The console's code says
"Loading the booking form…" in a box as tall as the widget's own loading line, and the widget
replaces it when it mounts."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import SHOTS
from tests.browser.test_widget_snippet_card import _snippet_page, console_snippet

PLACEHOLDER = "Loading the booking form…"


def test_the_snippets_placeholder_holds_the_place_until_the_widget_replaces_it(
    browser, console, site, demo, live, connect
):
    snippet = console_snippet(browser, console)
    assert PLACEHOLDER in snippet

    guest = browser.page(width=390)
    waiting: list[Any] = []
    script = re.compile(r".*/reservoir-widget[^/]*[.]js$")
    # The script's answer held back (a slow connection): the page shows what the snippet holds.
    guest.route(script, lambda route: waiting.append(route))
    guest.goto(_snippet_page(site, snippet), wait_until="commit")
    guest.get_by_text(PLACEHOLDER).wait_for()
    tall = guest.locator("reservoir-booking").bounding_box()
    assert tall and tall["height"] >= 320, tall
    guest.screenshot(path=str(SHOTS / "widget-placeholder-390.png"), full_page=True)
    for _ in range(100):  # until the held request has reached the handler
        if waiting:
            break
        guest.wait_for_timeout(50)
    for route in waiting:
        route.continue_()
    guest.unroute(script)
    guest.get_by_label("Check-in").wait_for()
    assert guest.get_by_text(PLACEHOLDER).count() == 0
    assert guest.locator("reservoir-booking").evaluate("e => e.textContent.trim()") == ""
