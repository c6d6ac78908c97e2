"""Staff and roles in the console, in chromium against the whole local stack: the hotel's
manager invites a night porter, makes them a viewer (an arrow key on the role list only chooses:
"Save role" sends) and disables the login once asked; a staff member of
the salon who opens the staff page's address gets Today instead, and no Staff link."""

from __future__ import annotations

import json
import re
import time

from playwright.sync_api import expect

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import (
    HOTEL,
    SHOTS,
    book,
    offering,
    open_setting,
    set_demo_password,
    sign_in,
    today,
)

ZONE = "Europe/Berlin"


def test_a_manager_invites_changes_and_disables_a_login(browser, console, demo, live, stack):
    hotel = demo[HOTEL]
    email = f"porter{time.time_ns()}@harbour-view.example"
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    open_setting(page, "Staff")
    form = page.get_by_role("form", name="Invite a staff member")
    form.get_by_label("Name").fill("Nora Night")
    form.get_by_label("E-mail").fill(email)
    assert form.get_by_label("Role").input_value() == "staff"  # the usual role, chosen
    form.get_by_role("button", name="Invite").click()
    invited = page.get_by_text(f"Invited: {email}")
    invited.wait_for()
    expect(invited).to_be_focused()  # the line that says so, not <body>
    assert form.get_by_label("Role").input_value() == "staff"  # again, not the first (viewer)
    # The same address again is refused (its address taken, or by then the plan's limit of
    # logins, which other tests of the run fill), and the line before it goes (a tester read
    # "Invited" beside the refusal).
    form.get_by_label("Name").fill("Nora Again")
    form.get_by_label("E-mail").fill(email)
    form.get_by_role("button", name="Invite").click()
    form.get_by_role("alert").wait_for()
    expect(invited).to_have_count(0)
    form.get_by_label("Name").fill("")
    form.get_by_label("E-mail").fill("")
    row = page.get_by_role("row").filter(has_text="Nora Night")

    def nora() -> tuple[str, str]:
        staff = live.call("GET", "/v1/staff", key=hotel.secret_key).json()["data"]
        [found] = [s for s in staff if s["email"] == email]
        return found["role"], found["status"]

    # An arrow key on the role list only chooses (an outside tester re-roled a login with one
    # keystroke): nothing is sent until "Save role"; "Keep Staff" puts the choice back.
    role = row.get_by_role("combobox")
    role.focus()
    page.keyboard.press("ArrowDown")
    assert role.input_value() == "manager"
    row.get_by_role("button", name="Keep Staff").click()
    assert role.input_value() == "staff"
    on_list = "() => document.activeElement?.tagName === 'SELECT'"
    page.wait_for_function(on_list)  # the keyboard back on the list, not on <body>
    # Nora is signed in at the desk, as staff, with an arrival to check in.
    set_demo_password(stack, email)
    stay = {
        "offering_id": offering(demo, HOTEL, "Double room"),
        "check_in": today(ZONE).isoformat(),
    }
    guest = f"Vera Viewer {time.time_ns() % 100000}"
    arriving = book(live, hotel, guest, stay)
    hers = browser.page(width=1024)
    sign_in(hers, console, email)
    arrival = hers.get_by_role("listitem").filter(has_text=guest)
    check_in = arrival.get_by_role("button", name="Check in")
    check_in.wait_for()
    role.select_option("viewer")
    assert nora() == ("staff", "active")
    row.get_by_role("button", name="Save Nora Night's role as Viewer").click()
    row.get_by_role("status").filter(has_text="Nora Night is now Viewer.").wait_for()
    page.wait_for_function(on_list)
    assert nora() == ("viewer", "active")
    assert row.get_by_role("button", name="Save role").count() == 0
    # Her open page still offers the desk's step: refused for her new role, it is drawn again
    # for that role (an outside tester's demoted stylist kept every refused button until a
    # reload); the arrival is as it was.
    check_in.click()
    expect(check_in).to_have_count(0)
    hers.get_by_text(re.compile(r"\(viewer\)$")).first.wait_for()
    still = live.call("GET", f"/v1/orders/{arriving['id']}", key=hotel.secret_key).json()
    assert still["status"] == "confirmed"

    # Disabling asks first (it cannot be undone); Escape keeps the login.
    disable = row.get_by_role("button", name="Disable Nora Night's login")
    disable.click()
    question = row.get_by_role("group", name="Disable Nora Night's login")
    question.get_by_text("this cannot be undone").wait_for()
    assert axe_violations(page) == []
    page.wait_for_function('() => document.activeElement?.textContent === "Keep the login"')
    page.keyboard.press("Escape")
    disable.wait_for()
    assert nora() == ("viewer", "active")
    disable.click()
    question.get_by_role("button", name="Yes, disable the login").click()
    row.get_by_text("Disabled").wait_for()
    page.wait_for_function("() => document.activeElement?.textContent === 'Disabled'")
    assert nora() == ("viewer", "disabled")

    # Her open console is signed out at its next request and says why (an outside tester's
    # read "The server cannot be reached": the refusal had no CORS header), and signing in
    # again says the login is disabled, not that the password is wrong.
    hers.get_by_role("navigation", name="Main").get_by_role("link", name="Orders").click()
    said = hers.get_by_text("This login has been disabled: ask the business's owner or a manager.")
    said.wait_for()
    assert hers.locator("input[name=email]").count() == 1
    sign_in(hers, console, email)
    said.wait_for()
    hers.screenshot(path=str(SHOTS / "console-login-disabled.png"))


def test_a_staff_member_cannot_reach_the_staff_page(browser, console, demo):
    page = browser.page()
    sign_in(page, console, "alex@shear-studio.example")
    page.get_by_role("link", name="Today").wait_for()
    assert page.get_by_role("link", name="Staff").count() == 0
    page.goto(f"{console.endpoint}/#/staff")
    page.get_by_role("heading", name="Not for your role").wait_for()  # in its place
    assert page.get_by_role("heading", name="Staff").count() == 0


def test_a_manager_makes_a_server_key_sees_it_once_and_revokes_it(browser, console, demo, live):
    hotel = demo[HOTEL]
    name = f"Channel manager {time.time_ns()}"
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    open_setting(page, "API keys")
    form = page.get_by_role("form", name="Make a key")
    form.get_by_label("Name").fill(name)
    assert form.locator("select[name=role]").input_value() == "staff"
    form.get_by_label("May use").select_option("bookings")
    form.get_by_role("button", name="Make the key").click()
    shown = page.get_by_label(f"{name}: copy the key now, it is shown only this once")
    shown.wait_for()
    expect(shown).to_be_focused()  # the key to copy, shown this once
    key = shown.input_value()
    assert key.startswith("sk_")
    works = live.call("GET", "/v1/orders?date=2026-12-01", key=key)
    assert works.status_code == 200, works.text  # a bookings key reads orders
    assert axe_violations(page) == []
    # Revoking asks first; kept (Escape), nothing changed and the keyboard is back on Revoke.
    page.get_by_role("button", name=f"Revoke {name}").click()
    question = page.get_by_role("group", name=f"Revoke {name}")
    question.get_by_text(f"Revoke {name}? Every request with this key is refused").wait_for()
    # The keyboard is on "Keep the key" as soon as the question shows (a layout effect), so an
    # Escape pressed at once reaches it.
    assert question.get_by_role("button", name="Keep the key").evaluate(
        "b => b === document.activeElement"
    )
    page.keyboard.press("Escape")
    question.wait_for(state="detached")
    page.wait_for_function(
        "n => document.activeElement?.getAttribute('aria-label') === `Revoke ${n}`", arg=name
    )
    assert live.call("GET", "/v1/orders?date=2026-12-01", key=key).status_code == 200
    page.get_by_role("button", name=f"Revoke {name}").click()
    question.get_by_role("button", name="Yes, revoke the key").click()
    page.get_by_role("row").filter(has_text=name).get_by_text("Revoked").wait_for()
    # The keyboard on the row's status that says so, not <body> (its buttons are gone).
    expect(page.get_by_role("row").filter(has_text=name).get_by_role("cell").last).to_be_focused()
    # The owner's keys are above a manager: no Replace or Revoke offered there (the API
    # would refuse both, 403).
    owners = page.get_by_role("row").filter(has_text="Default secret key")
    assert owners.count() >= 1
    assert owners.get_by_role("button").count() == 0
    assert live.call("GET", "/v1/orders?date=2026-12-01", key=key).status_code == 401
    keys = live.call("GET", "/v1/keys", key=hotel.secret_key).json()["data"]
    [made] = [k for k in keys if k["name"] == name]
    assert (made["role"], made["scope"], made["status"]) == ("staff", "bookings", "revoked")


def test_a_replaced_key_says_by_which_and_is_not_offered_replacing_again(
    browser, console, demo, live
):
    """Replacing a key leaves the old one working a day: its row says it was replaced and by
    which key, and offers Revoke only (the API refuses a second replacement, 409); revoked, it
    shows no stop date a day ahead (it stopped already)."""
    hotel = demo[HOTEL]
    name = f"Till {time.time_ns()}"
    live.call(
        "POST",
        "/v1/keys",
        key=hotel.secret_key,
        json={"kind": "secret", "name": name, "role": "staff", "scope": "bookings"},
    )
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    open_setting(page, "API keys")
    page.get_by_role("button", name=f"Replace {name} (the old one works a day more)").click()
    page.get_by_label(f"{name}: copy the key now, it is shown only this once").wait_for()
    old = page.get_by_role("row").filter(has_text="replaced by")
    old.filter(has_text=name).wait_for()
    assert old.filter(has_text=name).get_by_text("stops").count() == 1
    assert old.filter(has_text=name).get_by_role("button", name=re.compile("^Replace")).count() == 0
    rows = page.get_by_role("row").filter(has_text=name)
    assert rows.count() == 2  # the new key, offered both actions, and the old one
    old.filter(has_text=name).get_by_role("button", name=f"Revoke {name}").click()
    page.get_by_role("button", name="Yes, revoke the key").click()
    revoked = rows.filter(has_text="Revoked")
    revoked.wait_for()
    assert revoked.get_by_text("stops").count() == 0
    assert revoked.get_by_text("replaced by").count() == 0


def test_a_refused_field_is_said_with_what_the_api_said_of_it(browser, console, demo):
    """A 422 `validation_failed` names each field in words with its message (in English), not
    only where: the API's words say what to send (an outside tester's finding). The API's answer
    is replaced here: the console's own checks keep a wrong e-mail from being sent."""
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    open_setting(page, "Staff")
    # Each field in words: not `percent_bp` and a bound in basis points, not `wordings.en...`.
    fields = [{"field": "email", "problem": "string_pattern_mismatch",
               "message": "Enter an e-mail address, such as name@example.com."},
              {"field": "percent_bp", "problem": "less_than_equal",
               "message": "Should be at most 10000."},
              {"field": "wordings.en.subject", "problem": "string_too_long",
               "message": "String should have at most 200 characters"}]  # fmt: skip
    body = {"error": {"code": "validation_failed", "message": "The request has invalid fields.",
                      "details": {"fields": fields}}}  # fmt: skip

    def refuse(route):
        route.fulfill(response=route.fetch(), status=422, body=json.dumps(body))

    page.route(re.compile(r".*/v1/staff$"), lambda route: refuse(route)
               if route.request.method == "POST" else route.continue_())  # fmt: skip
    form = page.get_by_role("form", name="Invite a staff member")
    form.get_by_label("Name").fill("Ola Odd")
    form.get_by_label("E-mail").fill(f"ola{time.time_ns()}@harbour-view.example")
    form.get_by_role("button", name="Invite").click()
    page.get_by_text(
        "Nothing was done. Not right: e-mail (enter an e-mail address, such as"
        " name@example.com); percentage (should be at most 100%); English subject (string"
        " should have at most 200 characters)."
    ).wait_for()


def test_a_key_named_with_one_long_run_keeps_its_buttons_on_screen(browser, console, demo, live):
    """An outside tester's 100-character name of one run pushed Status, Replace and Revoke off
    a 1280 px screen; it is broken inside its box now, and the buttons stay in view."""
    hotel = demo[HOTEL]
    name = f"Till 测试 😀 {time.time_ns()} " + "x" * 90
    body = {"kind": "secret", "name": name, "role": "staff", "scope": "bookings"}
    assert live.call("POST", "/v1/keys", key=hotel.secret_key, json=body).status_code == 201
    page = browser.page(width=1280)
    sign_in(page, console, "frontdesk@harbour-view.example")
    open_setting(page, "API keys")
    revoke = page.get_by_role("button", name=f"Revoke {name}")
    revoke.wait_for()
    box = revoke.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280
    region = page.locator("div.scroll[role=region]")
    assert region.evaluate("r => r.scrollWidth <= r.clientWidth")


def test_a_sign_in_whose_refresh_is_refused_ends_saying_so(browser, console, demo):
    """A reviewer's: a tab reopened after its ID token ran out refreshes it first, and a
    refresh Cognito refuses (the login disabled, the refresh token revoked) threw past the
    API's own refusals: every click said "error: ..." and the console stayed signed in."""
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="Today").wait_for()

    # Cognito busy (throttled) is no end of the sign-in: said, the page kept (a reviewer's).
    def throttled(route):  # noqa: ANN001, ANN202 - Playwright's route
        if "InitiateAuth" not in (route.request.headers.get("x-amz-target") or ""):
            return route.continue_()
        body = '{"__type": "TooManyRequestsException", "message": "Rate exceeded"}'
        return route.fulfill(status=400, body=body, content_type="application/x-amz-json-1.1")

    # Throttled first, then the token run out: the bell's poll may ask for a refresh as soon
    # as the token is out, and must meet the throttle too (CI's did, before the route was in).
    page.route("**/*", throttled)
    page.evaluate(
        """() => {
            const key = "reservoir.console.session";
            const session = JSON.parse(sessionStorage.getItem(key));
            sessionStorage.setItem(key, JSON.stringify(
                {...session, expiresAt: 0, refreshToken: "revoked-long-ago"}));
        }"""
    )

    main = page.get_by_role("navigation", name="Main")
    main.get_by_role("link", name="Orders").click()
    page.get_by_text("Rate exceeded").first.wait_for()
    assert main.count() == 1
    assert page.get_by_role("heading", name="Staff sign-in").count() == 0
    page.unroute("**/*", throttled)

    # The bell's poll may meet the refusal before any click does (a CI run's): the sign-in
    # page then replaces the menu, so the test goes to Today by its address, not its link.
    page.evaluate("() => { location.hash = '#/today'; }")
    page.get_by_text("Your sign-in has ended: sign in again.").wait_for()
    assert page.get_by_role("heading", name="Staff sign-in").count() == 1
