"""The widget on a page that styles everything hostilely, with the keyboard alone, and under
axe-core's accessibility rules."""

from __future__ import annotations

import re
from typing import Any

from local.demo_pages import business_page, widget_tag
from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_widget_booking import SALON, choices_for, open_day, page_of

HOSTILE_CSS = """<style>
  * { all: unset !important; }
  html { font-size: 48px !important; color: #f0f !important; line-height: 4 !important; }
  reservoir-booking { font: italic 60px/5 "Comic Sans MS", cursive !important; color: red; }
  head, script, style { display: none !important; }
</style>"""


def hostile_page(site: Any, demo: dict[str, Any]) -> str:
    tenant = demo[SALON]
    api = next(iter(site.pages["/demo/shear-studio.html"].split('api="')[1:]), "").split('"')[0]
    page = business_page(
        name="Hostile",
        business_type="appointments",
        lang="en",
        tag=widget_tag(key=tenant.publishable_key, api=api),
        head=HOSTILE_CSS,
    )
    site.pages["/hostile.html"] = page
    return f"{site.endpoint}/hostile.html"


def inside(page: Any, script: str) -> Any:
    """Evaluate `script` (a function of the widget's `.rsv` element) inside the shadow root."""
    return page.evaluate(
        f"() => {{ const rsv = document.querySelector('reservoir-booking')"
        f".shadowRoot.querySelector('.rsv'); return ({script})(rsv); }}"
    )


def test_a_hostile_page_changes_nothing_inside_the_widget(browser, site, demo):
    page = browser.page()
    page.goto(hostile_page(site, demo))
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()
    style = inside(
        page,
        "e => { const s = getComputedStyle(e); "
        "return [s.fontSize, s.fontStyle, s.color, s.display, s.lineHeight]; }",
    )
    assert style[:4] == ["16px", "normal", "rgb(27, 31, 36)", "block"], style
    button = inside(
        page,
        "e => { const b = e.querySelector('button.choice').getBoundingClientRect(); "
        "return [b.width, b.height]; }",
    )
    assert button[0] > 200 and 30 < button[1] < 80, button  # a button, not a 60px line
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=6)
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).first.click()
    page.get_by_label("Name").fill("Robust Customer")
    page.get_by_label("E-mail").fill("robust@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_role("heading", name="Booked").wait_for()


def focused(page: Any) -> str:
    """What has the keyboard's focus inside the widget: its tag and its text or label."""
    return str(
        page.evaluate(
            "() => { const a = document.activeElement; "
            "const e = a && a.shadowRoot ? a.shadowRoot.activeElement : a; "
            "if (!e) return ''; "
            "const name = e.getAttribute('aria-label') || e.innerText || e.id || ''; "
            "return e.tagName + ' ' + name; }"
        )
    )


def focus_moves_to(page: Any, pattern: str) -> None:
    """The focus reaches `pattern` (a step's heading takes it once the step has rendered)."""
    for _ in range(40):
        if re.search(pattern, focused(page)):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"the focus is on {focused(page)!r}, not {pattern!r}")


def tab_to(page: Any, pattern: str, limit: int = 40) -> str:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if re.search(pattern, now):
            return now
    raise AssertionError(f"Tab never reached {pattern!r}; last {focused(page)!r}")


def test_a_booking_with_the_keyboard_alone_on_a_narrow_screen(browser, site, demo):
    page = browser.page(width=360)
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()
    assert "BUTTON" not in focused(page)  # the widget does not take the page's focus on load
    tab_to(page, r"^BUTTON Haircut")
    page.keyboard.press("Enter")
    focus_moves_to(page, r"^H2 Haircut")  # the new step's heading takes the focus
    tab_to(page, r"^INPUT")  # the date
    day = open_day("America/New_York", ahead=7)
    page.keyboard.type(day.strftime("%m%d%Y"))  # as a person types it, digit by digit
    assert inside(page, "e => e.querySelector('input[type=date]').value") == day.isoformat()
    # The times for that day (a list shown before the typing settled is another day's).
    choices_for(page, day).first.wait_for()
    tab_to(page, r"^BUTTON \d")  # the first free time
    page.keyboard.press("Enter")
    focus_moves_to(page, r"^H2 Your details")
    tab_to(page, r"^INPUT rsv-details-name")
    page.keyboard.type("Keyboard Only")
    page.keyboard.press("Tab")
    page.keyboard.type("keys@example.com")
    tab_to(page, r"^BUTTON Book")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Confirm, pay at the venue").wait_for()
    tab_to(page, r"^BUTTON Confirm, pay at the venue")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Booked").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def serious_violations(page: Any) -> list[str]:
    return axe_violations(page, within="reservoir-booking")


def test_axe_finds_no_serious_violation_on_any_step(browser, site, demo):
    page = browser.page()
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()
    found = {"offerings": serious_violations(page)}
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=8)
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).first.wait_for()
    found["times"] = serious_violations(page)
    choices_for(page, day).first.click()
    page.get_by_role("button", name="Book", exact=True).click()  # empty: the errors show
    page.get_by_text("Please enter your name.").wait_for()
    found["details with errors"] = serious_violations(page)
    page.get_by_label("Name").fill("Axe Checked")
    page.get_by_label("E-mail").fill("axe@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("button", name="Confirm, pay at the venue").wait_for()
    found["held"] = serious_violations(page)
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_role("heading", name="Booked").wait_for()
    found["booked"] = serious_violations(page)
    assert found == {step: [] for step in found}, found
