"""A keyboard and screen-reader tester's findings on the Groups page, in chromium against the
whole local stack: "Hold a room block" opened its form with the keyboard on <body> and "Keep
it" dropped it there again; after "Hold the rooms", "Book from the block" and "Release the
rooms left" the keyboard was on <body> and nothing was said; the release was done unasked
though it cannot be undone; a date the API could not read was said as "from (A date is
written YYYY-MM-DD)", no field marked. Now: the form opens on Group and closes back on its
button, each step's outcome is a status line (drawn before its words) with the keyboard, the
release asks first, and a date is refused with its field's own label, the field marked."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.browser.test_console import sign_in, today
from tests.browser.test_console_focus_steps import press, wait_focus

ZONE = "Europe/Berlin"


def active(page: Any, js: str) -> Any:
    """`js` of the focused element (`e`)."""
    return page.evaluate(f"() => {{ const e = document.activeElement; return {js}; }}")


def test_the_groups_page_keeps_the_keyboard_on_each_steps_outcome(browser, console, demo):
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="Groups").click()
    opener = page.get_by_role("button", name="Hold a room block")

    # Opened on its first field; "Keep it" and Escape close it back on the button.
    press(page, opener)
    form = page.get_by_role("form", name="Hold a room block")
    wait_focus(page, "input[name=name]")
    press(page, form.get_by_role("button", name="Keep it"))
    wait_focus(page, "button:not([type=submit])")
    assert active(page, "e.textContent") == "Hold a room block"
    press(page, opener)
    wait_focus(page, "input[name=name]")
    page.keyboard.press("Escape")
    wait_focus(page, "button:not([type=submit])")
    assert form.count() == 0 and active(page, "e.textContent") == "Hold a room block"

    # A year of five digits (a date field takes it) is not sent: said with the field's label,
    # the field marked and described by the sentence, the keyboard on it.
    first = today(ZONE) + timedelta(days=50)
    press(page, opener)
    form.get_by_label("Group").fill("Keyboard wedding")
    form.get_by_label("Room type").select_option(label="Twin room, garden wing")
    form.get_by_label("Sold as").select_option(label="Twin room, garden wing")
    form.get_by_label("From the night of").fill("22026-02-01")
    form.get_by_label("Cut-off date").fill((first - timedelta(days=7)).isoformat())
    press(page, form.get_by_role("button", name="Hold the rooms"))
    wait_focus(page, "input[name=from][aria-invalid=true]")
    problem = page.locator("#new-block-problem")
    said = problem.inner_text()
    assert "From the night of" in said and "YYYY" not in said and "Cut-off" not in said
    assert active(page, "e.getAttribute('aria-describedby')") == "new-block-problem"

    # A cut-off after the block's last night: that field is marked, with its label.
    hold(form, first, 2, first + timedelta(days=5))
    wait_focus(page, "input[name=release_on][aria-invalid=true]")
    assert "Cut-off date" in problem.inner_text()
    assert form.get_by_label("From the night of").get_attribute("aria-invalid") is None

    # The API's refusal of a first night that has passed marks that field too.
    past = today(ZONE) - timedelta(days=1)
    hold(form, past, 3, past + timedelta(days=2))
    wait_focus(page, "input[name=from][aria-invalid=true]")
    assert "From the night of" in problem.inner_text()

    # Held: the keyboard is on the line that says so (there before its words).
    hold(form, first, 2, first - timedelta(days=7))
    wait_focus(page, "p[role=status]")
    assert focused_words(page) == "Rooms held for Keyboard wedding."

    # A guest booked from the block: the status names the guest and the order.
    card = page.get_by_role("article", name="Keyboard wedding")
    guests = card.get_by_role("form", name="Book a guest of the rooming list")
    guests.wait_for()
    assert guests.locator("[role=status]").count() == 1  # drawn before it says anything
    guests.get_by_label("Guest").fill("Anna Braun")
    guests.get_by_label("E-mail").fill("anna.braun@example.com")
    press(page, guests.get_by_role("button", name="Book from the block"))
    wait_focus(page, "p[role=status]")
    assert focused_words(page).startswith("Anna Braun is booked: ord_")

    # Releasing asks first: the keyboard on "Keep the block"; Escape keeps, back on the button.
    release = card.get_by_role("button", name="Release the rooms left")
    press(page, release)
    asked = card.get_by_role("group", name="Release the rooms left")
    wait_focus(page, ".confirm button.secondary")
    assert "cannot be undone" in asked.inner_text()
    page.keyboard.press("Escape")
    wait_focus(page, "button.danger")
    assert active(page, "e.textContent") == "Release the rooms left"
    assert card.get_by_text("Held", exact=True).count() == 1
    press(page, release)
    press(page, asked.get_by_role("button", name="Yes, release them"))
    wait_focus(page, "p[role=status]")
    said = "The rooms left of Keyboard wedding are released and back on sale."
    assert focused_words(page) == said
    card.get_by_text("Released", exact=True).wait_for()


def hold(form: Any, first: date, nights: int, cut_off: date) -> None:
    """Hold the rooms from `first` for `nights`, released on `cut_off`, by the keyboard."""
    form.get_by_label("From the night of").fill(first.isoformat())
    form.get_by_label("Nights").fill(str(nights))
    form.get_by_label("Cut-off date").fill(cut_off.isoformat())
    form.get_by_role("button", name="Hold the rooms").focus()
    form.page.keyboard.press("Enter")


def focused_words(page: Any) -> str:
    return str(active(page, "(e.textContent || '').trim()"))
