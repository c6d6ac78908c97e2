"""A keyboard tester found the calendar button inside the console's and the widget's date
fields (a stop of its own for Tab) drawn with no focus ring: the browser's own
`::-webkit-calendar-picker-indicator` takes none of `:focus-visible`'s. Both style sheets now
give it the ring (a pseudo-element's focus cannot be read with getComputedStyle, so the rule
the page applies is what is checked, in the document and in the widget's shadow root)."""

from __future__ import annotations

from tests.browser.test_console import sign_in
from tests.browser.test_widget_booking import HOTEL, page_of

RING = """(root) => {
  const sheets = root
    ? [...root.querySelectorAll('style')].map((s) => s.sheet)
    : [...document.styleSheets];
  const picker = '::-webkit-calendar-picker-indicator:focus-visible';
  return sheets
    .flatMap((sheet) => [...sheet.cssRules])
    .filter((r) => (r.selectorText || '').includes(picker))
    .map((r) => `${r.style.outlineStyle} ${r.style.outlineWidth}`);
}"""


def test_the_date_fields_calendar_button_shows_where_the_keyboard_is(browser, console, site, demo):
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    assert page.evaluate(RING, None) == ["solid 3px"]

    widget = browser.page(width=390)
    widget.goto(page_of(site, HOTEL))
    widget.get_by_label("Check-in").wait_for()
    root = widget.evaluate_handle("() => document.querySelector('reservoir-booking').shadowRoot")
    assert widget.evaluate(RING, root) == ["solid 3px"]
