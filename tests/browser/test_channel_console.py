"""Channels in the console (issue 17), in chromium against the whole local stack: the hotel's
owner creates a connection for a channel manager, issues its partner key and its signing
secret (each shown once, copied with the button, gone after), maps the manager's room type to
the Double room with a commission of its own, and reads the month's statement once a
reservation signed with the secret the page showed has come in, then gives the partner an
address for updates and sends it a full update, which the worker delivers signed with that
secret; on a phone, in Chinese, the statement fits the screen. The front desk resolves two
overbooking conflicts the test makes through the API (the Family suite full on a far date, two
more reservations for it): nothing is free to move into until a booking of the suite is
cancelled, then one guest is moved into the room it freed; the other is relocated. A stylist
gets no channels page."""

from __future__ import annotations

import json
import random
import re
import time
import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.webhooks.domain.webhooks import signature_header
from local.seeding import SeedResult
from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import HOTEL, SHOTS, book, offering, sign_in
from tests.live_http import Http
from tests.webhook_support import Receiver

ZONE = "Europe/Berlin"  # the demo hotel's
OWNER, FRONT_DESK = "owner@harbour-view.example", "frontdesk@harbour-view.example"


def resource_id(live: Http, tenant: SeedResult, name: str) -> str:
    found = live.call("GET", "/v1/resources", key=tenant.secret_key).json()["data"]
    return str(next(r["id"] for r in found if r["name"] == name))


def send_reservation(
    live: Http, connection: dict[str, Any], secret: str, reservation: dict[str, Any]
) -> dict[str, Any]:
    """A channel manager's `reservation.created`, signed with the connection's secret."""
    event = {
        "event_id": f"evt_{uuid.uuid4().hex[:12]}",
        "type": "reservation.created",
        "sent_at": datetime.now(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "reservation": reservation,
    }
    body = json.dumps(event).encode()
    header = signature_header([secret], int(time.time()), body)
    answer = live.call(
        "POST",
        connection["inbound_url"],
        data=body,
        headers={"Content-Type": "application/json", "Reservoir-Signature": header},
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def reservation(ref: str, room_type: str, arrival: date, nights: int, guest: str) -> dict[str, Any]:
    local = re.sub(r"[^a-z]+", ".", guest.lower()).strip(".")
    return {
        "id": ref,
        "room_type": room_type,
        "arrival": arrival.isoformat(),
        "departure": (arrival + timedelta(days=nights)).isoformat(),
        "guests": {"adults": 2},
        "guest": {"name": guest, "email": f"{local}@example.com"},
        "price": {"amount": 45000, "currency": "EUR"},
    }


def shown_once(page: Any, heading: str, prefix: str) -> str:
    """The value in the box that shows a new key or secret this once; copied with its button
    (the clipboard then holds it), then put away: the page no longer has it anywhere."""
    box = page.get_by_role("alert").filter(has=page.get_by_text(heading, exact=True))
    field = box.get_by_role("textbox", name=heading)
    value = field.input_value()
    assert value.startswith(prefix) and len(value) > len(prefix) + 16, value
    assert box.get_by_text("it is shown only this once").count() == 1
    box.get_by_role("button", name=f"Copy: {heading}").click()
    box.get_by_role("status").get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == value
    box.get_by_role("button", name="I have copied it").click()
    box.wait_for(state="detached")
    assert not page.evaluate(
        "v => [...document.querySelectorAll('input')].some(i => i.value === v)", value
    )
    assert value not in page.content()
    return value


def test_the_owner_connects_a_channel_manager_maps_a_room_type_and_reads_the_statement(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    name = f"Booking Hub {uuid.uuid4().hex[:6]}"
    page = browser.page(width=1280, zone=ZONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, console, OWNER)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Channels").click()
    form = page.get_by_role("form", name="New connection")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Kind").select_option(label="Channel manager")
    form.get_by_label("Who pays").select_option(label="The partner (on account)")
    form.get_by_label("Commission (%)").fill("15")
    form.get_by_role("button", name="Create the connection").click()
    page.get_by_role("heading", name=name, level=1).wait_for()
    page.get_by_role("status").get_by_text("Connection created.").wait_for()
    connection_id = page.url.split("#/channel/")[1].split("?")[0]
    made = live.call("GET", f"/v1/channels/{connection_id}", key=hotel.secret_key).json()
    assert (made["name"], made["kind"], made["settlement"], made["commission_bp"]) == (
        name,
        "channel_manager",
        "partner",
        1500,
    )
    assert made["key_prefix"] is None and made["secret_set"] is False

    # The partner key, once; afterwards only its prefix, also after a reload.
    page.get_by_role("button", name="Issue a key").click()
    key = shown_once(page, "The partner's new key", "sk_")
    prefix = live.call("GET", f"/v1/channels/{connection_id}", key=hotel.secret_key).json()[
        "key_prefix"
    ]
    assert prefix and key.startswith(prefix)
    page.get_by_text(f"A key is in use: {prefix}…").wait_for()
    page.reload()
    page.get_by_text(f"A key is in use: {prefix}…").wait_for()
    assert key not in page.content() and page.get_by_role("alert").count() == 0
    # Replacing it asks first (the partner's key stops working at once).
    page.get_by_role("button", name="Replace the key").click()
    page.get_by_role("group", name="Replace the key").get_by_role(
        "button", name="Keep the current one"
    ).click()

    page.get_by_role("button", name="Make a secret").click()
    secret = shown_once(page, "The new signing secret", "whsec_")
    page.get_by_text("A secret is set").wait_for()
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "channel-settings-1280.png"), full_page=True)

    # The manager's room type "DBL" is the Double room, sold by its offering.
    parts = page.get_by_role("navigation", name=f"{name}: parts")
    parts.get_by_role("link", name="Mappings").click()
    page.get_by_role("button", name="Add a mapping").click()
    mapping = page.get_by_role("group", name="Mapping 1")
    mapping.get_by_label("Partner's product or room-type id").fill("DBL")
    double_offering = offering(demo, HOTEL, "Double room")
    mapping.get_by_label("Your offering").select_option(double_offering)
    mapping.get_by_label("Resource or room type").select_option(label="Double room")
    page.get_by_role("button", name="Save the mappings").click()
    page.get_by_role("status").get_by_text("Saved.").wait_for()
    double = resource_id(live, hotel, "Double room")
    mapped = live.call("GET", f"/v1/channels/{connection_id}", key=hotel.secret_key).json()
    assert mapped["mappings"] == [
        {"partner_id": "DBL", "offering_id": double_offering, "resource_id": double, "rate_id": ""}
    ]

    # The Double room sells on 12.5 % instead of the connection's 15 %.
    parts.get_by_role("link", name="Commission").click()
    page.get_by_label("Double room, breakfast included (%)").fill("12.5")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("status").get_by_text("Saved.").wait_for()
    rates = live.call("GET", f"/v1/channels/{connection_id}", key=hotel.secret_key).json()
    assert rates["offering_commissions"] == {double_offering: 1250}

    # A reservation comes in, signed with the secret the page showed: it is in the log and
    # on this month's statement, with the Double room's commission.
    arrival = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=random.randint(40, 120))
    ref = f"BH-{uuid.uuid4().hex[:8].upper()}"
    answer = send_reservation(
        live, made, secret, reservation(ref, "DBL", arrival, 2, "Stella Statement")
    )
    assert answer["status"] == "applied", answer
    parts.get_by_role("link", name="Inbound events").click()
    row = page.get_by_role("table", name="Inbound events").locator("tr").filter(has_text=ref)
    row.get_by_text("Applied").wait_for()
    row.get_by_role("link", name=answer["order_id"]).wait_for()

    parts.get_by_role("link", name="Statement").click()
    month = datetime.now(ZoneInfo(ZONE)).strftime("%Y-%m")
    statement = live.call(
        "GET", f"/v1/channels/{connection_id}/statements/{month}", key=hotel.secret_key
    ).json()
    line = next(x for x in statement["lines"] if x["reference"] == ref)
    assert line["order_id"] == answer["order_id"] and line["commission_bp"] == 1250
    lines = page.get_by_role("table", name="Bookings in the month")
    cells = lines.locator("tr").filter(has_text=ref).locator("td")
    euros = lambda minor: f"€{minor // 100:,}.{minor % 100:02d}"  # noqa: E731 (en-US, EUR)
    assert cells.nth(4).inner_text() == euros(line["total"])
    assert line["price"] == 45000 and cells.nth(5).inner_text() == euros(45000)  # the partner's
    assert cells.nth(6).inner_text() == "12.5%"
    assert cells.nth(7).inner_text() == euros(line["commission"])
    totals = statement["totals"]["EUR"]
    eur = page.get_by_role("table", name="Totals per currency").locator("tr[data-currency=EUR] td")
    assert eur.all_inner_texts() == [
        f"{totals['orders']:,}",
        euros(totals["total"]),
        euros(totals["commission"]),
        euros(totals["net"]),
    ]
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "channel-statement-1280.png"), full_page=True)

    # Updates to the partner: its address (a server of the test's) and availability, then a
    # full update asked for; the worker sends it, signed with the same secret, and the log
    # says so.
    receiver = Receiver().start()
    try:
        parts.get_by_role("link", name="Settings").click()
        settings = page.get_by_role("form", name="Settings")
        settings.get_by_label("Where updates go").fill(receiver.url)
        settings.get_by_label("Availability").check()
        settings.get_by_role("button", name="Save").click()
        settings.get_by_role("status").get_by_text("Saved.").wait_for()
        parts.get_by_role("link", name="Outbound updates").click()
        page.get_by_role("button", name="Send a full update now").click()
        page.get_by_role("status").get_by_text("A full update is on its way").wait_for()
        full = page.get_by_role("table", name="Outbound updates").locator(
            "tr", has_text="Full update"
        )
        for _ in range(60):
            if full.filter(has_text="Delivered").count():
                break
            page.get_by_role("button", name="Refresh", exact=True).click()
            page.wait_for_timeout(500)
        # Saving the address and events already sent a full update of its own: two rows may
        # stand, and the delivered one is read, not whichever the table lists first.
        delivered = full.filter(has_text="Delivered").first
        delivered.wait_for()
        assert delivered.locator("td").nth(3).inner_text() == "1"  # attempts
        assert "Double room" in delivered.locator("td").nth(4).inner_text()
        sent = [r for r in receiver.received if b"availability" in r.body]
        assert sent, receiver.received
        stamp = sent[-1].headers["Reservoir-Signature"].split(",")[0].removeprefix("t=")
        assert sent[-1].headers["Reservoir-Signature"] == signature_header(
            [secret], int(stamp), sent[-1].body
        )
    finally:
        receiver.stop()
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "channel-deliveries-1280.png"), full_page=True)

    # A phone, in Chinese: the same statement, its tables scrolling in their own regions,
    # the month and the money as Intl writes them in Chinese.
    phone = browser.page(width=390, locale="zh-CN", zone=ZONE)
    sign_in(phone, console, OWNER)
    phone.goto(f"{console.endpoint}/#/channel/{connection_id}?view=statement&month={month}")
    year, number = month.split("-")
    phone.get_by_role("heading", name=f"{year}年{int(number)}月对账单").wait_for()
    row = phone.get_by_role("table", name="当月预订").locator("tr").filter(has_text=ref)
    assert row.locator("td").nth(4).inner_text() == euros(line["total"])
    assert row.locator("td").nth(3).inner_text() == "已确认"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(phone) == []
    phone.screenshot(path=str(SHOTS / "channel-statement-390.png"), full_page=True)


def fill_suite(live: Http, hotel: SeedResult, suite_offering: str, arrival: date) -> list[str]:
    """Books the Family suite for two nights from `arrival` until nothing is left (through the
    API): the orders it made."""
    made: list[str] = []
    for n in range(5):
        free = live.call(
            "GET",
            f"/v1/availability?offering={suite_offering}&from={arrival}"
            f"&to={arrival + timedelta(days=1)}&nights=2&party=2",
            key=hotel.secret_key,
        ).json()["options"]
        if not [o for o in free if o["date"] == arrival.isoformat() and o["remaining"] > 0]:
            return made
        line = {"offering_id": suite_offering, "check_in": arrival.isoformat(), "nights": 2}
        made.append(book(live, hotel, f"Suite Filler {n}", {**line, "party": 2})["id"])
    raise AssertionError("the suite never filled up")


def test_the_front_desk_moves_one_overbooked_guest_and_relocates_another(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    key = hotel.secret_key
    made = live.call(
        "POST",
        "/v1/channels",
        key=key,
        json={"name": f"Suite Channel {uuid.uuid4().hex[:6]}", "kind": "channel_manager"},
    )
    assert made.status_code == 201, made.text
    connection = made.json()
    path = f"/v1/channels/{connection['id']}"
    secret = live.call("POST", f"{path}/secret", key=key).json()["secret"]
    suite_offering = offering(demo, HOTEL, "Family suite")
    suite = resource_id(live, hotel, "Family suite")
    mappings = [{"partner_id": "FAM", "offering_id": suite_offering, "resource_id": suite}]
    mapped = live.call("PUT", f"{path}/mappings", key=key, json={"mappings": mappings})
    assert mapped.status_code == 200, mapped.text

    # A date of its own (the suite has two rooms; within the year the hotel sells ahead, so no
    # option left means full) that the test fills itself; two more reservations for it.
    for _ in range(10):
        arrival = datetime.now(ZoneInfo(ZONE)).date() + timedelta(days=random.randint(150, 330))
        fillers = fill_suite(live, hotel, suite_offering, arrival)
        if fillers:
            break
    else:
        raise AssertionError("no date on which this test could fill the suite itself")
    guests = {"Mona Mover": "", "Rita Relocated": ""}
    for guest in guests:
        ref = f"FAM-{uuid.uuid4().hex[:8].upper()}"
        answer = send_reservation(
            live, connection, secret, reservation(ref, "FAM", arrival, 2, guest)
        )
        assert answer["status"] == "conflict", answer
        guests[guest] = answer["order_id"]
        order = live.call("GET", f"/v1/orders/{answer['order_id']}", key=key).json()
        assert order["overbooked"] is True and order["partner"]["reference"] == ref

    page = browser.page(width=390, zone=ZONE)
    sign_in(page, console, FRONT_DESK)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Overbookings").click()
    mona = page.get_by_role("article", name="Overbooking: Mona Mover")
    rita = page.get_by_role("article", name="Overbooking: Rita Relocated")
    mona.wait_for()
    assert rita.get_by_text(connection["name"]).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
    page.screenshot(path=str(SHOTS / "overbookings-390.png"), full_page=True)

    # The order's own page says where it came from and that it holds no room yet.
    mona.get_by_role("link", name="Mona Mover").click()
    page.get_by_role("heading", name=f"Order {guests['Mona Mover']}").wait_for()
    page.get_by_text("An overbooking: this booking holds no room yet.").wait_for()
    page.get_by_text(re.compile(r"partner's reference FAM-")).wait_for()
    page.get_by_text(re.compile(r"sold for €450\.00")).wait_for()  # the partner's price
    # The connection's default settlement: the channel pays on account, not the guest.
    page.get_by_text(re.compile("the partner pays on account: nothing to collect")).wait_for()
    page.get_by_role("main").get_by_role("link", name="Overbookings").click()

    # Nothing is free: moving is no use yet. A filler cancels; the suite it freed is offered
    # and Mona moves into it, by the keyboard.
    move = mona.get_by_role("button", name="Move…")
    move.click()
    mona.get_by_text("Nothing this booking can take is free for the whole stay").wait_for()
    assert mona.get_by_role("button", name="Move the guest").is_disabled()
    move.click()  # closed
    cancelled = live.call(
        "POST",
        f"/v1/orders/{fillers[0]}/cancel",
        key=key,
        json={"by": "business", "reason": "Called off"},
    )
    assert cancelled.status_code == 200, cancelled.text
    move.focus()
    page.keyboard.press("Enter")
    choices = mona.get_by_role("group", name="Move Mona Mover to")
    free = choices.get_by_role("radio", name="Family suite (1 free)")
    free.focus()
    assert free.is_checked()  # the only choice, chosen
    page.screenshot(path=str(SHOTS / "overbooking-move-390.png"), full_page=True)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Move the guest
    mona.wait_for(state="detached")
    moved = live.call("GET", f"/v1/orders/{guests['Mona Mover']}", key=key).json()
    assert moved["overbooked"] is False and moved["status"] == "confirmed"
    assert {r["resource_id"] for r in moved["lines"][0]["resources"]} == {suite}

    rita.get_by_role("button", name="Relocate…").click()
    relocate = rita.get_by_role("form", name="Relocate Rita Relocated")
    relocate.get_by_label("Where to, and what was agreed").fill("Hotel Anker, same dates, we pay")
    relocate.get_by_role("button", name="Relocate the guest").click()
    rita.wait_for(state="detached")
    relocated = live.call("GET", f"/v1/orders/{guests['Rita Relocated']}", key=key).json()
    assert relocated["status"] == "cancelled"
    left = live.call("GET", "/v1/overbookings", key=key).json()["data"]
    assert not {o["id"] for o in left} & set(guests.values())
    assert axe_violations(page) == []


def test_a_staff_member_gets_no_channels_page(browser, console, demo):
    """Channels are the managers' and owners': a stylist's bar has no link to them and the
    address says it is not for their role; the salon sells no nights, so no Overbookings link
    either."""
    page = browser.page(width=390)
    sign_in(page, console, "alex@shear-studio.example")
    main = page.get_by_role("navigation", name="Main")
    main.get_by_role("link", name="Today").wait_for()
    assert main.get_by_role("link", name="Channels").count() == 0
    assert main.get_by_role("link", name="Overbookings").count() == 0
    page.goto(f"{console.endpoint}/#/channels")
    page.get_by_role("heading", name="Not for your role").wait_for()  # in its place
    assert page.get_by_role("heading", name="Channels").count() == 0
