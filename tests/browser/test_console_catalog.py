"""The catalog editor in the console, in chromium against the whole local stack: the salon's
owner adds a stylist (weekday hours, a skill) and a service needing that skill (a price, a
required question), which then has free times; the hotel's manager lowers a room type's
capacity for a date, and a lowering below what is sold is refused naming the orders; a salon
stylist reads the catalog without a control to change it, and the API refuses them anyway.
Everything made here has a fresh name and is stopped at the end."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import HOTEL, SALON, SHOTS, book, sign_in, today


def _stop(live: Any, key: str, what: str, item_id: str) -> None:
    path = f"/v1/{what}/{item_id}"
    rev = live.call("GET", path, key=key).json()["rev"]
    gone = live.call("DELETE", path, key=key, headers={"If-Match": f'"{rev}"'})
    assert gone.status_code == 200, gone.text


def _id_in_address(page: Any, what: str) -> str:
    page.wait_for_url(re.compile(rf"#/catalog/{what}/(res|off)_"))
    return str(page.url.rsplit("/", 1)[1])


def _room_type_and_stay(live: Any, key: str, name: str, rooms: int, price: int) -> tuple[str, str]:
    """A fresh nightly room type and the stay that sells it (ids), made with the API."""
    room = {"name": f"{name} room", "kind": "nightly", "capacity": rooms}
    rid = live.call("POST", "/v1/resources", key=key, json=room).json()["id"]
    stay = {
        "name": f"{name} stay",
        "kind": "nightly",
        "requirements": [{"resource_id": rid}],
        "pricing": {"amount": price, "basis": "night"},
    }
    return rid, live.call("POST", "/v1/offerings", key=key, json=stay).json()["id"]


def test_the_salon_owner_adds_a_stylist_and_a_service_that_then_has_times(
    browser, console, demo, live
):
    salon = demo[SALON]
    n = time.time_ns()
    skill, stylist, service = f"perm{n}", f"Robin {n}", f"Perm {n}"
    page = browser.page(width=1024)
    sign_in(page, console, "owner@shear-studio.example")
    page.get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name="New resource").click()
    form = page.get_by_role("form", name="New resource")
    form.get_by_label("Name", exact=True).fill(stylist)
    assert form.get_by_label("Kind").input_value() == "timed"
    form.get_by_role("button", name="Add hours for Monday").click()
    assert form.get_by_label("Monday: start of range 1").input_value() == "09:00"
    form.get_by_label("Monday: end of range 1").fill("17:00")
    form.get_by_role("button", name="Copy Monday to Tuesday–Friday").click()
    form.get_by_label("Skills").fill(skill)
    form.get_by_role("button", name="Create").click()
    page.get_by_role("heading", name=stylist).wait_for()
    resource_id = _id_in_address(page, "resource")
    made = live.call("GET", f"/v1/resources/{resource_id}", key=salon.secret_key).json()
    week = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    assert (made["kind"], made["hours"], made["skills"]) == ("timed", week, [skill])
    assert page.get_by_label("Kind").is_disabled()  # fixed once saved
    assert axe_violations(page) == []

    page.get_by_role("link", name="← Catalog").click()
    page.get_by_role("link", name="New offering").click()
    form = page.get_by_role("form", name="New offering")
    form.get_by_label("Name", exact=True).fill(service)
    form.get_by_label("Skill", exact=True).fill(skill)
    form.get_by_label("Duration (minutes)").fill("90")
    form.get_by_label("Amount", exact=True).fill("abc")  # not saved as the last number read
    form.get_by_role("button", name="Create").click()
    page.get_by_role("alert").filter(has_text="Nothing was saved").wait_for()
    assert "#/catalog/offering/new" in page.url
    form.get_by_label("Amount", exact=True).fill("85.50")
    form.get_by_text("$85.50").wait_for()  # as Intl writes it, in the salon's currency
    form.get_by_label("Tax rate").fill("8.875")  # three decimals: not a percentage in bp
    form.get_by_text("A number with at most 2 decimals").wait_for()
    form.get_by_label("Tax rate").fill("8.88")
    form.get_by_role("button", name="Add a question").click()
    question = form.get_by_role("group", name="Question 1")
    question.get_by_label("Question", exact=True).fill("How long is your hair?")
    question.get_by_role("combobox", name=re.compile(r"^Answer")).select_option("choice")
    question.get_by_label("Choices, one per line (2 to 20)").fill("Short\nShoulder\nLong")
    question.get_by_label("Required").check()
    question.get_by_label("In Chinese (optional)").fill("头发多长？")
    assert axe_violations(page) == []
    form.get_by_role("button", name="Create").click()
    page.get_by_role("heading", name=service).wait_for()
    offering_id = _id_in_address(page, "offering")
    sold = live.call("GET", f"/v1/offerings/{offering_id}", key=salon.secret_key).json()
    assert sold["requirements"][0]["skill"] == skill and sold["duration_minutes"] == 90
    assert (sold["pricing"]["amount"], sold["pricing"]["tax_bp"]) == (8550, 888)
    [asked] = sold["questions"]
    assert (asked["kind"], asked["required"], asked["choices"]) == (
        "choice",
        True,
        ["Short", "Shoulder", "Long"],
    )
    assert asked["labels"] == {"zh": "头发多长？"}  # English left blank: none kept

    day = today("America/New_York") + timedelta(days=1)
    free = live.call(
        "GET",
        f"/v1/availability?offering={offering_id}&from={day.isoformat()}"
        f"&to={(day + timedelta(days=7)).isoformat()}",
        key=salon.secret_key,
    ).json()["options"]
    assert any(s["resource_id"] == resource_id for o in free for s in o["resources"]), free[:2]

    # Stopping the service asks first; then it is no longer sold.
    page.get_by_role("button", name="Stop selling…").click()
    page.get_by_role("button", name="Yes, stop selling").click()
    page.get_by_role("status").filter(has_text="No longer sold.").wait_for()
    got = live.call("GET", f"/v1/offerings/{offering_id}", key=salon.secret_key).json()
    assert got["active"] is False
    _stop(live, salon.secret_key, "resources", resource_id)


def test_the_hotel_lowers_a_room_types_capacity_for_a_date_but_not_below_what_is_sold(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    key = hotel.secret_key
    room = {"name": f"Attic {time.time_ns()} room"}
    rid, oid = _room_type_and_stay(live, key, room["name"].removesuffix(" room"), 2, 9000)
    night = today("Europe/Berlin") + timedelta(days=20)
    line = {"offering_id": oid, "check_in": night.isoformat(), "nights": 1}
    orders = [book(live, hotel, name, line) for name in ("Ada Attic", "Bea Attic")]

    page = browser.page(width=768)  # a tablet held upright
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name=room["name"]).click()
    form = page.get_by_role("form", name="Set a date override")
    form.get_by_label("Date").fill(night.isoformat())
    form.get_by_label("Capacity that day (empty: as usual)").fill("1")
    form.get_by_role("button", name="Set the override").click()
    refusal = page.get_by_role("alert").filter(has_text="Refused: bookings already hold")
    refusal.wait_for()
    for order in orders:  # each named, and a link to it
        assert refusal.get_by_role("link", name=order["id"]).is_visible()
    assert axe_violations(page) == []

    form.get_by_label("Date").fill((night + timedelta(days=1)).isoformat())
    form.get_by_role("button", name="Set the override").click()
    page.get_by_role("list", name="Date overrides").get_by_text("capacity 1").wait_for()
    got = live.call("GET", f"/v1/resources/{rid}", key=key).json()
    assert got["overrides"] == {
        (night + timedelta(days=1)).isoformat(): {
            "closed": False,
            "hours": None,
            "session_times": None,
            "capacity": 1,
            "called_off": [],
        }
    }
    for order in orders:
        body = {"by": "business", "reason": "test over"}
        done = live.call("POST", f"/v1/orders/{order['id']}/cancel", key=key, json=body)
        assert done.status_code == 200, done.text
    _stop(live, key, "offerings", oid)
    _stop(live, key, "resources", rid)


def test_a_stylist_reads_the_catalog_but_cannot_change_it(browser, console, demo, live):
    salon = demo[SALON]
    page = browser.page()
    sign_in(page, console, "alex@shear-studio.example")
    page.get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name="Alex Rivera").wait_for()
    assert page.get_by_role("link", name="New resource").count() == 0
    assert page.get_by_role("link", name="New offering").count() == 0
    assert axe_violations(page) == []
    page.get_by_role("link", name="Haircut").click()
    page.get_by_role("heading", name="Haircut").wait_for()
    assert page.get_by_label("Name", exact=True).is_disabled()
    assert page.get_by_role("button", name="Save changes").count() == 0
    assert page.get_by_role("button", name="Stop selling…").count() == 0
    assert page.get_by_role("button", name="Add a question").count() == 0

    session = page.evaluate("() => sessionStorage.getItem('reservoir.console.session')")
    token = json.loads(session)["idToken"]
    resources = live.call("GET", "/v1/resources", key=salon.secret_key).json()["data"]
    alex = next(r for r in resources if r["name"] == "Alex Rivera")
    body = {"name": "Alex Rivera", "kind": "timed", "capacity": 2}
    refused = live.call(
        "PUT",
        f"/v1/resources/{alex['id']}",
        key=token,
        json=body,
        headers={"If-Match": f'"{alex["rev"]}"'},
    )
    assert refused.status_code == 403, refused.text


def test_the_hotel_sets_a_weekend_surcharge_a_low_season_and_a_fair_price_on_some_dates(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    key = hotel.secret_key
    name = f"Loft {time.time_ns()}"
    rid, oid = _room_type_and_stay(live, key, name, 3, 10000)
    body = {"name": f"{name} stay"}
    fair = today("Europe/Berlin") + timedelta(days=30)

    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name=body["name"]).click()
    form = page.get_by_role("form", name=body["name"])
    form.get_by_label("Saturday: change in %").fill("20")
    form.get_by_label("Sunday: change in amount").fill("-5.00")
    form.get_by_role("button", name="Add a season").click()
    form.get_by_label("Name", exact=True).last.fill("Low season")
    season = form.get_by_role("group", name="Seasons")
    season.get_by_label("From").fill("2027-01-07")
    season.get_by_label("To (inclusive)").fill("2027-02-28")
    season.get_by_label("Low season: change in %").fill("-10")
    calendar = form.get_by_role("group", name="Rate calendar")
    calendar.get_by_label("From").fill(fair.isoformat())
    calendar.get_by_label("To (inclusive)").fill((fair + timedelta(days=2)).isoformat())
    calendar.get_by_label("Price on those dates").fill("180")
    calendar.get_by_role("button", name="Set the price on these dates").click()
    assert calendar.get_by_role("listitem").count() == 3
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "catalog-price-rules.png"), full_page=True)
    # A season added and never filled in is not saved (an outside tester's empty seasons
    # piled up, each at 0 %).
    form.get_by_role("button", name="Add a season").click()
    form.get_by_role("button", name="Save changes").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()

    pricing = live.call("GET", f"/v1/offerings/{oid}", key=key).json()["pricing"]
    assert pricing["weekdays"] == {
        "sat": {"percent_bp": 2000, "amount": 0},
        "sun": {"percent_bp": 0, "amount": -500},
    }
    assert pricing["seasons"] == [
        {
            "from": "2027-01-07",
            "to": "2027-02-28",
            "percent_bp": -1000,
            "amount": 0,
            "name": "Low season",
        }
    ]
    assert pricing["date_prices"] == {
        (fair + timedelta(days=d)).isoformat(): 18000 for d in range(3)
    }
    quote = live.call(
        "GET",
        f"/v1/availability?offering={oid}&from={fair}&to={fair + timedelta(days=1)}&nights=1",
        key=key,
    ).json()["options"]
    assert quote and quote[0]["price"]["total"] == 18000, quote[:1]
    _stop(live, key, "offerings", oid)
    _stop(live, key, "resources", rid)


def _stay_form(browser, console, live, key: str, kind: str):  # type: ignore[no-untyped-def]
    """A new room type's stay, opened in the console's catalog by the front desk."""
    name = f"{kind} {time.time_ns()}"
    rid, oid = _room_type_and_stay(live, key, name, 1, 30000)
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("link", name="Catalog").click()
    page.get_by_role("link", name=f"{name} stay").click()
    return page, page.get_by_role("form", name=f"{name} stay"), rid, oid


def test_the_hotel_collects_the_balance_two_weeks_ahead_and_cancels_if_never_paid(
    browser, console, demo, live
):
    key = demo[HOTEL].secret_key
    page, form, rid, oid = _stay_form(browser, console, live, key, "Villa")
    form.get_by_role("combobox", name="Deposit", exact=True).select_option("percent")
    form.get_by_role("textbox", name="Share").fill("30")
    form.get_by_label("Collect the balance before the start").check()
    form.get_by_label("Days before the start (at 09:00)").fill("14")
    form.get_by_role("combobox", name="If it is still unpaid after three tries").select_option(
        "cancel"
    )
    assert axe_violations(page) == []
    form.get_by_role("button", name="Save changes").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    deposit = live.call("GET", f"/v1/offerings/{oid}", key=key).json()["deposit"]
    assert (deposit["kind"], deposit["value"]) == ("percent", 3000)
    assert (deposit["balance_due_days_before"], deposit["if_unpaid"]) == (14, "cancel")
    assert deposit["instalments"] == 1
    _stop(live, key, "offerings", oid)
    _stop(live, key, "resources", rid)


def test_a_plan_given_up_for_a_deposit_saves_without_the_hidden_instalments(
    browser, console, demo, live
):
    key = demo[HOTEL].secret_key
    page, form, rid, oid = _stay_form(browser, console, live, key, "Chalet")
    form.get_by_label("Instalments (1: none; the first at booking)").fill("3")
    # A deposit instead: the plan's field is hidden, and its value no longer kept.
    form.get_by_role("combobox", name="Deposit", exact=True).select_option("percent")
    assert form.get_by_label("Instalments (1: none; the first at booking)").count() == 0
    form.get_by_role("textbox", name="Share").fill("30")
    form.get_by_role("button", name="Save changes").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    deposit = live.call("GET", f"/v1/offerings/{oid}", key=key).json()["deposit"]
    assert (deposit["kind"], deposit["value"], deposit["instalments"]) == ("percent", 3000, 1)
    _stop(live, key, "offerings", oid)
    _stop(live, key, "resources", rid)


def test_a_save_by_keyboard_leaves_the_keyboard_on_what_says_how_it_went(
    browser, console, demo, live
):
    """An outside tester's Save, saved or refused, left the keyboard on <body>: saved, it is
    on "Saved."; refused, back on the button pressed, the refusal said in words."""
    key = demo[HOTEL].secret_key
    rid, oid = _room_type_and_stay(live, key, f"Loft {time.time_ns()}", 1, 9000)
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.goto(f"{console.endpoint}/#/catalog/offering/{oid}")
    save = page.get_by_role("button", name="Save changes")
    save.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_focused()
    page.get_by_label("Smallest party").fill("30")  # more than the largest, 20
    save.focus()
    page.keyboard.press("Enter")
    refusal = page.get_by_role("alert").filter(has_text="smallest party")
    refusal.wait_for()
    expect(save).to_be_focused()
    assert "party_min" not in refusal.inner_text()
    _stop(live, key, "offerings", oid)
    _stop(live, key, "resources", rid)
