"""The widget says a refusal of the visitor's request (4xx) in the API's words, without
"Something went wrong", which it keeps for the server's own failures."""

from __future__ import annotations

import re

from tests.browser.test_widget_booking import (
    SALON,
    choices_for,
    fill_details,
    haircut_details,
    open_day,
    page_of,
)


def test_an_unknown_promotion_code_is_said_plainly(browser, site, demo):
    page = haircut_details(browser, site, ahead=6)
    fill_details(page, "Nina Nocode", "nina.nocode@example.com")
    page.get_by_label("Promotion code (optional)").fill("NOSUCHCODE")
    page.get_by_role("button", name="Apply").click()
    said = page.get_by_role("status").filter(has_text="No such code.")
    said.wait_for()
    assert said.inner_text().strip() == "No such code."


def test_a_phone_the_api_refuses_is_said_at_its_field_in_chinese(browser, site, demo):
    """PROBE 43: a number shaped right but no number (+999…) came back as the API's English
    "The request has invalid fields." above the form of a Chinese widget, no field marked.
    It is said at the phone field, in Chinese, and the field takes the focus; the name field
    stops at the API's 120 characters."""
    page = browser.page()
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name="中文").click()
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=9)
    page.get_by_label("日期").fill(day.isoformat())
    choices_for(page, day).last.click()
    name = page.get_by_label("姓名")
    assert name.get_attribute("maxlength") == "120"
    name.fill("Wu Wrongnumber")
    page.get_by_label("电子邮箱").fill("wu.wrong@example.com")
    phone = page.get_by_label("电话（选填；境外号码请加国家代码）")
    phone.fill("+9991234567")
    page.get_by_role("button", name="预订", exact=True).click()
    said = page.locator("reservoir-booking .field-error")
    said.wait_for()
    assert (
        said.inner_text().strip() == "请检查电话号码：境外号码请加国家代码，例如 +8613800138000。"
    )
    assert phone.get_attribute("aria-invalid") == "true"
    assert phone.evaluate("el => el.getRootNode().activeElement === el")
    assert "invalid fields" not in page.locator("reservoir-booking .rsv").inner_text()


def test_a_number_of_the_business_country_is_taken_as_its_people_write_it(browser, site, demo):
    """An outside tester's Madrid restaurant refused "612 345 678" in the widget, which the
    API takes as +34612345678: a New York salon's customer writes 212 555 0142."""
    page = haircut_details(browser, site, ahead=10)
    page.get_by_label("Name", exact=True).fill("Nat National")
    page.get_by_label("E-mail").fill("nat.national@example.com")
    page.get_by_label(re.compile("^Phone")).fill("212 555 0142")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    assert page.locator("reservoir-booking .field-error").count() == 0
