"""A tour's booking questions in the widget's language: the Chinese business words them in
English and in Chinese (local/demo_catalog.py), the English widget asks in English, and the
console's questions editor shows both wordings."""

from __future__ import annotations

import re

import pytest

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import sign_in
from tests.browser.test_widget_booking import TOURS, choices_for, open_day, page_of


def open_the_tours_details(page, site, *, english: bool) -> None:
    page.goto(page_of(site, TOURS))
    if english:
        page.get_by_role("button", name="English", exact=True).click()
    page.get_by_role("button", name=re.compile("^Mutianyu")).click()
    day = open_day("Asia/Shanghai", ahead=3, closed=())
    page.get_by_label("Date" if english else "日期").fill(day.isoformat())
    page.get_by_label("People" if english else "人数").select_option("2")
    choices_for(page, day, "ul.list button.choice").first.click()


def test_the_english_widget_asks_a_chinese_tours_questions_in_english(browser, site, demo):
    page = browser.page(locale="en-US", zone="Asia/Shanghai")
    open_the_tours_details(page, site, english=True)
    page.get_by_label("Pickup point").wait_for()
    labels = page.locator("reservoir-booking form label").all_inner_texts()
    assert [x for x in labels if "passport" in x] == ["Name as in the passport"] * 2
    assert [x for x in labels if x.startswith("Any dietary")] == ["Any dietary needs?"] * 2
    assert not [x for x in labels if re.search(r"[\u4e00-\u9fff]", x)], labels


def test_the_chinese_widget_asks_them_in_chinese(browser, site, demo):
    page = browser.page(locale="zh-CN", zone="Asia/Shanghai")
    open_the_tours_details(page, site, english=False)
    page.get_by_label("上车地点").wait_for()
    labels = page.locator("reservoir-booking form label").all_inner_texts()
    assert labels.count("护照姓名") == 2 and labels.count("饮食要求") == 2


@pytest.mark.parametrize(("lang", "width"), [("en", 1280), ("zh", 390)])
def test_the_console_edits_the_questions_wording_in_both_languages(
    browser, console, demo, lang, width
):
    tour = next(o.split()[0] for o in demo[TOURS].offerings if "Mutianyu" in o)
    page = browser.page(width=width, locale="zh-CN" if lang == "zh" else "en-US")
    sign_in(page, console, "owner@great-wall-tours.example")
    page.locator("input[name=email]").wait_for(state="detached")  # signed in
    page.goto(f"{console.endpoint}/#/catalog/offering/{tour}")
    first = page.get_by_role("group", name="Question 1" if lang == "en" else "问题 1")
    english = first.get_by_label("In English (optional)" if lang == "en" else "英文问法（可选）")
    chinese = first.get_by_label("In Chinese (optional)" if lang == "en" else "中文问法（可选）")
    assert english.input_value() == "Pickup point" and chinese.input_value() == "上车地点"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_violations(page) == []
