"""A keyboard and screen-reader tester in the Messages page's template editor: "Close" dropped
the keyboard on <body> and Escape did nothing; a placeholder the message does not have was
refused as "'dict object' has no attribute 'shoe_size'", tied to no field. Now Close and Escape
put the keyboard back on the template's button, and the refusal names the placeholder as
written, its field marked and described by it, with the keyboard."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.test_console import sign_in
from tests.browser.test_console_focus_steps import press, wait_focus

OPENER = "button[data-template='confirmed/email/en']"


def open_editor(page: Any) -> Any:
    press(page, page.get_by_role("button", name=re.compile(r"^Confirmed · E-mail · English: ")))
    editor = page.get_by_role("region", name=re.compile(r"^Confirmed · E-mail · English"))
    editor.get_by_label("Subject").wait_for()
    return editor


def test_the_template_editor_closes_back_on_its_button_and_names_an_unknown_placeholder(
    browser, console, demo
):
    page = browser.page(width=1200)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.goto(f"{console.endpoint}/#/messages")

    editor = open_editor(page)
    subject = editor.get_by_label("Subject")
    subject.fill("Your booking {{ customer.shoe_size }}")
    press(page, editor.get_by_role("button", name="Save the template"))
    wait_focus(page, "input[name=subject][aria-invalid=true]")
    refusal = editor.locator("#template-problem")
    said = refusal.inner_text()
    assert "unknown placeholder customer.shoe_size" in said and "dict object" not in said, said
    assert subject.get_attribute("aria-describedby") == "template-problem"
    assert editor.get_by_label("Text").get_attribute("aria-invalid") is None

    page.keyboard.press("Escape")
    wait_focus(page, OPENER)
    assert editor.count() == 0

    open_editor(page)
    press(page, page.get_by_role("button", name="Close", exact=True))
    wait_focus(page, OPENER)
