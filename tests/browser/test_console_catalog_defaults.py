"""What a new business meets in the catalog editor (an outside tester's findings, PROBE6):
a sessions offering made in the console sells a seat to each guest, said in words, and a
party then takes as many seats as it has people (an 8-seat session took 11 people when every
requirement was "per booking"); a session is not called a departure outside a tour operator,
and its shards wait under "Advanced", which stays open while a number is typed over; a room
type's typed capacity that its listed rooms do not match is said, not replaced; and a deposit
set while Stripe is not connected (or instalments, or a balance collected before the start)
says that customers pay at the venue until it is.
Everything made here has a fresh name and is stopped at the end."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from local.seeding import DEMO_PASSWORD
from tests.browser.axe import serious_violations as axe_violations
from tests.browser.conftest import SHOTS
from tests.browser.test_console import HOTEL, SALON, book, sign_in, today, week_of_options
from tests.browser.test_console_catalog import _id_in_address, _stop
from tests.browser.test_console_first_day import new_business

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def shot(page: Any, name: str) -> None:
    """A screen midway, to be looked at (the last one of each page is saved anyway)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _session_resource(live: Any, key: str, name: str, seats: int) -> str:
    body = {
        "name": name,
        "kind": "session",
        "capacity": seats,
        "session_times": {d: ["11:15"] for d in WEEK},
        "session_minutes": 90,
    }
    made = live.call("POST", "/v1/resources", key=key, json=body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def test_a_sessions_offering_made_in_the_console_sells_a_seat_to_each_guest(
    browser, console, demo, live
):
    salon = demo[SALON]
    key = salon.secret_key
    n = time.time_ns()
    tea, ticket = f"Tea ceremony {n}", f"Tea ticket {n}"
    resource_id = _session_resource(live, key, tea, 8)
    page = browser.page(width=1280)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("link", name="Catalog").click()

    # The resource form: sessions are sessions here (not departures), shards are advanced.
    page.get_by_role("link", name="New resource").click()
    form = page.get_by_role("form", name="New resource")
    form.get_by_label("Kind").select_option(label="Sessions (classes, tours, events)")
    assert form.get_by_label("Capacity").input_value() == "10"  # seats, not one
    assert not form.get_by_label("Shards").is_visible()
    form.get_by_text("Advanced").click()
    assert form.get_by_label("Shards").input_value() == "1"
    form.get_by_text("Only for sessions selling hundreds of seats a second").wait_for()
    assert "departure" not in form.inner_text().lower()
    shot(page, "catalog-session-resource-en-1280")
    page.get_by_role("link", name="← Catalog").click()

    page.get_by_role("link", name="New offering").click()
    form = page.get_by_role("form", name="New offering")
    form.get_by_label("Name", exact=True).fill(ticket)
    form.get_by_label("Kind").select_option("session")
    need = form.get_by_role("group", name="Requirement 1")
    need.get_by_label("Served by").select_option(label="One named resource")
    need.locator("select").nth(1).select_option(label=tea)  # the resource, once named
    seats = need.get_by_label(re.compile("^Seats"))
    assert seats.input_value() == "person"
    assert seats.locator("option:checked").inner_text() == "one per guest"
    need.get_by_text("Each guest takes a seat: a party of 4 takes 4.").wait_for()
    assert form.get_by_label("Largest party").input_value() == "10"
    form.get_by_label("Amount", exact=True).fill("35")
    # A session's price counts bookings or people, never nights or hours (an outside tester's
    # class "per night" was taken; the API refuses it now, 422 `basis_not_for_kind`).
    offered = form.get_by_label("Price per").locator("option").all_inner_texts()
    assert offered == ["per booking", "per person"], offered
    assert axe_violations(page) == []
    form.get_by_role("button", name="Create").click()
    page.get_by_role("heading", name=ticket).wait_for()
    offering_id = _id_in_address(page, "offering")
    sold = live.call("GET", f"/v1/offerings/{offering_id}", key=key).json()
    assert sold["requirements"][0]["per"] == "person"
    assert sold["pricing"]["basis"] == "person"

    # A party of 3 takes 3 of the 8 seats: 5 are left, for a party of 5 and not of 6.
    day = today("America/New_York") + timedelta(days=3)
    [first, *_] = week_of_options(live, salon, offering_id, day, party=3)
    booked = book(
        live,
        salon,
        "Tea Party",
        {"offering_id": offering_id, "start": first["start"][:16], "party": 3},
    )
    same = lambda options: [o for o in options if o["start"] == first["start"]]  # noqa: E731
    assert same(week_of_options(live, salon, offering_id, day, party=5))
    assert not same(week_of_options(live, salon, offering_id, day, party=6))
    sheet = live.call("GET", f"/v1/resources/{resource_id}/day?date={first['date']}", key=key)
    assert sheet.status_code == 200, sheet.text
    [session] = sheet.json()["sessions"]  # one a day, at 11:15
    assert (session["capacity"], session["booked"]) == (8, 3)

    # A private group's session stays possible: one seat per booking, said as such.
    need = page.get_by_role("group", name="Requirement 1")
    need.get_by_label(re.compile("^Seats")).select_option(label="one per booking (a private group)")
    need.get_by_text("A booking takes the same seats whatever its party's size").wait_for()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    again = live.call("GET", f"/v1/offerings/{offering_id}", key=key).json()
    assert again["requirements"][0]["per"] == "booking"

    # The same editor in Chinese on a phone: seats and sessions in its words.
    phone = browser.page(width=390, locale="zh-CN")
    sign_in(phone, console, "owner@shear-studio.example")
    phone.goto(f"{console.endpoint}/#/catalog/offering/{offering_id}")
    phone.get_by_label(re.compile("^座位")).wait_for()
    assert (
        phone.get_by_label("类型").locator("option:checked").inner_text()
        == "场次（课程、团、活动）"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "catalog-session-offering-zh-390")
    phone.goto(f"{console.endpoint}/#/catalog/resource/{resource_id}")
    phone.get_by_text("高级").click()
    phone.get_by_text("仅用于每秒售出数百个座位的场次").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "catalog-session-resource-zh-390")
    over = {"by": "business", "reason": "test over"}
    done = live.call("POST", f"/v1/orders/{booked['id']}/cancel", key=key, json=over)
    assert done.status_code == 200, done.text
    _stop(live, key, "offerings", offering_id)
    _stop(live, key, "resources", resource_id)


def test_a_room_types_capacity_its_listed_rooms_do_not_match_is_said_not_dropped(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    name = f"Tatami {time.time_ns()}"
    page = browser.page(width=1280)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name="New resource").click()
    form = page.get_by_role("form", name="New resource")
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Kind").select_option("nightly")
    form.get_by_label("Capacity", exact=True).fill("3")
    form.get_by_label(re.compile("^Rooms")).fill("101 102")
    said = (
        "Capacity 3, but 2 room numbers listed: list one number per room, or change the capacity."
    )
    form.get_by_text(said).wait_for()
    shot(page, "catalog-room-mismatch-en-1280")
    form.get_by_role("button", name="Create").click()
    page.get_by_role("alert").filter(has_text="Nothing was saved").wait_for()
    assert "#/catalog/resource/new" in page.url
    form.get_by_label(re.compile("^Rooms")).fill("101 102 103")
    form.get_by_text("Capacity: 3 rooms (one per room listed).").wait_for()
    form.get_by_role("button", name="Create").click()
    page.get_by_role("heading", name=name).wait_for()
    resource_id = _id_in_address(page, "resource")
    made = live.call("GET", f"/v1/resources/{resource_id}", key=hotel.secret_key).json()
    assert (made["capacity"], made["rooms"]) == (3, ["101", "102", "103"])
    # A room added to a list that agreed with the capacity grows it with the list.
    expect(page.get_by_label(re.compile("^Rooms"))).to_have_value("101, 102, 103")  # as read
    page.get_by_label(re.compile("^Rooms")).fill("101 102 103 104")
    assert page.get_by_label("Capacity", exact=True).input_value() == "4"
    _stop(live, hotel.secret_key, "resources", resource_id)


def test_a_name_typed_before_the_new_forms_first_effects_run_is_kept(browser, console, demo):
    """A new resource's form starts blank and stays as typed: it used to be set blank again by
    an effect that runs after the first paint, and on a loaded machine a name typed in between
    was wiped (the test above once timed out so: the browser would not send a nameless form).
    Here the page's clock is paused, so nothing timed runs (Preact's effects wait for a frame
    or a timer) until the name is in; then the clock runs on and the name must still be
    there."""
    page = browser.page(width=1280)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name="New resource").wait_for()
    page.clock.install()
    page.clock.pause_at(page.evaluate("Date.now()") + 1_000)
    page.get_by_role("link", name="New resource").click()
    form = page.get_by_role("form", name="New resource")
    form.get_by_label("Name", exact=True).fill("Typed early")
    page.clock.run_for(2_000)
    page.clock.resume()
    expect(form.get_by_label("Name", exact=True)).to_have_value("Typed early")
    form.get_by_label("Kind").select_option("nightly")
    expect(form.get_by_label("Name", exact=True)).to_have_value("Typed early")


def test_a_deposit_set_before_stripe_is_connected_says_customers_pay_at_the_venue(
    browser, console, live, stack
):
    tenant = live.signup("tea-house", business_type="events")
    owner = f"o@{tenant['slug']}.example"
    stack.client("cognito-idp").admin_set_user_password(
        UserPoolId=stack.resources.user_pool_id,
        Username=owner,
        Password=DEMO_PASSWORD,
        Permanent=True,
    )
    room = {"name": "Tatami room", "kind": "nightly", "capacity": 2}
    made = live.call("POST", "/v1/resources", key=tenant["secret_key"], json=room)
    assert made.status_code == 201, made.text
    said = "Customers can pay online once Stripe is connected: until then they pay at the venue."
    for width, locale, words in (
        (1280, "en-GB", said),
        (390, "zh-CN", "连接 Stripe 后客人才能在线付款"),
    ):
        page = browser.page(width=width, locale=locale)
        sign_in(page, console, owner)
        page.goto(f"{console.endpoint}/#/catalog/offering/new")
        form = page.locator("form.cat-form")
        deposit = form.get_by_role("combobox", name=re.compile("^(Deposit|订金)$"))
        deposit.select_option("full")
        form.get_by_text(words).wait_for()
        link = form.get_by_role("link", name=re.compile("Payments|支付"))
        assert link.get_attribute("href") == "#/payments"
        deposit.select_option("none")
        assert not form.get_by_text(words).is_visible()
        deposit.select_option("percent")
        form.get_by_text(words).wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []

    # Saved with a deposit, the offering's catalog list says it too.
    stay = {
        "name": "Tatami room stay",
        "kind": "nightly",
        "requirements": [{"resource_id": made.json()["id"]}],
        "pricing": {"amount": 18000, "basis": "night"},
        "deposit": {"kind": "percent", "value": 3000},
    }
    assert (
        live.call("POST", "/v1/offerings", key=tenant["secret_key"], json=stay).status_code == 201
    )
    listed = browser.page(width=1280)
    sign_in(listed, console, owner)
    listed.get_by_role("link", name="Catalog").click()
    listed.get_by_role("link", name="Tatami room stay").wait_for()
    listed.get_by_text(said).wait_for()


def test_instalments_or_a_balance_date_set_before_stripe_is_connected_are_said(
    browser, console, live, stack
):
    # Review rv8, finding 4: the note knew a deposit, a no-show fee and an authorisation, not
    # the two other ways the Deposit section collects online, neither of which is taken
    # without Stripe (payments/services/collection.py: the desk collects).
    _, _, page = new_business(browser, console, live, stack, "instalment-inn", "Ida Inn")
    page.goto(f"{console.endpoint}/#/catalog/offering/new")
    form = page.locator("form.cat-form")
    said = form.get_by_text(
        "Customers can pay online once Stripe is connected: until then they pay at the venue."
    )
    deposit = form.get_by_role("combobox", name=re.compile("^Deposit$"))
    deposit.select_option("full")
    said.wait_for()
    deposit.select_option("none")
    assert not said.is_visible()
    instalments = form.get_by_label(re.compile(r"^Instalments"))
    instalments.fill("3")
    said.wait_for()
    instalments.fill("1")
    assert not said.is_visible()
    form.get_by_label(re.compile("^Collect the balance before the start")).check()
    said.wait_for()


def test_typing_a_number_of_shards_by_keyboard_keeps_advanced_open_and_every_key(
    browser, console, demo
):
    # Review rv8, finding 2: `<details open={shards > 1}>` closed under the caret when 8 typed
    # over as 16 passed through 1; the 6 was lost and the form held 1 shard, said nowhere.
    page = browser.page(width=1280)
    sign_in(page, console, "owner@shear-studio.example")
    assert SALON in demo
    page.get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name="New resource").click()
    form = page.get_by_role("form", name="New resource")
    form.get_by_label("Kind").select_option(label="Sessions (classes, tours, events)")
    form.get_by_text("Advanced").click()
    shards = form.get_by_label("Shards")
    shards.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("8")
    assert shards.input_value() == "8"
    page.keyboard.press("Control+a")
    page.keyboard.type("16")
    assert form.locator("details").evaluate("d => d.open"), "Advanced closed while typing"
    assert shards.input_value() == "16"
    # Closed by the user, it stays closed while the number is still more than one.
    form.get_by_text("Advanced").click()
    assert not shards.is_visible()
