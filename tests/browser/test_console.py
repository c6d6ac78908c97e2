"""The staff console in chromium against the whole local stack: staff sign in with their
Cognito logins (moto's user pool, straight from the browser), run the day from the Today page,
find orders, act on them, and book a walk-in; a viewer sees but cannot change; the tour
operator's guide works in Chinese. Each test's screens are saved (conftest.py)."""

from __future__ import annotations

import os
import re
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from pypdf import PdfReader

from local.demo_pages import StaticSite
from local.emulators import free_port
from local.seeding import DEMO_PASSWORD, SeedResult
from tests.browser.axe import serious_violations as axe_violations
from tests.live_http import Http

HOTEL, SALON, TOURS = "harbour-view", "shear-studio", "great-wall-tours"
SHOTS = Path(os.environ.get("RESERVOIR_SCREENSHOTS") or Path(".local") / "screenshots")


def open_setting(page: Any, name: str) -> None:
    """The bar's Settings, then one of its pages (managers and owners)."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    settings = page.get_by_role("navigation", name="Settings")
    settings.get_by_role("link", name=name, exact=True).click()


def downloaded_pdf(page, button: str = "Download PDF") -> str:
    """Press the page's download button; the text of the PDF file it saves."""
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    path = download.value.path()
    SHOTS.mkdir(parents=True, exist_ok=True)
    download.value.save_as(SHOTS / download.value.suggested_filename)
    reader = PdfReader(path)
    return "\n".join(p.extract_text() for p in reader.pages)


def offering(demo: dict[str, SeedResult], slug: str, name: str) -> str:
    return next(o.split()[0] for o in demo[slug].offerings if name in o)


def today(zone: str) -> date:
    return datetime.now(ZoneInfo(zone)).date()


def book(live: Http, tenant: SeedResult, name: str, line: dict[str, Any]) -> dict[str, Any]:
    """A confirmed booking made by the business's own server (its secret key)."""
    local = re.sub(r"[^a-z]+", ".", name.lower()).strip(".") or f"guest{time.time_ns()}"
    email = f"{local}@example.com"
    body = {"customer": {"name": name, "email": email}, "lines": [line]}
    held = live.call("POST", "/v1/orders", key=tenant.secret_key, json=body)
    assert held.status_code == 201, held.text
    confirmed = live.call("POST", f"/v1/orders/{held.json()['id']}/confirm", key=tenant.secret_key)
    assert confirmed.status_code == 200, confirmed.text
    return dict(confirmed.json())


def week_of_options(live: Http, tenant: SeedResult, offering_id: str, day: date, party: int) -> Any:
    """What the offering has free for `party` people in the week from `day`."""
    return live.call(
        "GET",
        f"/v1/availability?offering={offering_id}&from={day.isoformat()}"
        f"&to={(day + timedelta(days=7)).isoformat()}&party={party}",
        key=tenant.secret_key,
    ).json()["options"]


def salon_haircut_options(page: Any, ahead: int) -> tuple[Any, date]:
    """On New booking, a haircut's free times on the first day from `ahead` days on that the
    salon has any (it closes some days): the option buttons and that day."""
    page.get_by_label("What").select_option(label="Haircut")
    day = today("America/New_York") + timedelta(days=ahead)
    options = page.get_by_role("list", name="Show what is free").get_by_role("button")
    for _ in range(7):
        page.get_by_label("Date").fill(day.isoformat())
        page.get_by_role("button", name="Show what is free").click()
        page.locator(f"[data-date='{day.isoformat()}']").wait_for()  # this day's answer
        if options.count():
            break
        day += timedelta(days=1)
    assert options.count(), "no free time in a week"
    return options, day


def book_and_confirm(page: Any, live: Http, tenant: SeedResult) -> dict[str, Any]:
    """Presses "Book and confirm" on New booking; the order it made, as the API has it."""
    page.get_by_role("button", name="Book and confirm").click()
    heading = page.get_by_role("heading", name=re.compile(r"^Booked: ord_"))
    heading.wait_for()
    order_id = heading.inner_text().removeprefix("Booked: ")
    return dict(live.call("GET", f"/v1/orders/{order_id}", key=tenant.secret_key).json())


def invite_viewer(live: Http, stack: Any, tenant: SeedResult, email: str, name: str) -> None:
    """A viewer's login at the tenant, with the demo password (moto's pool takes it at once)."""
    invited = live.call(
        "POST",
        "/v1/staff",
        key=tenant.secret_key,
        json={"email": email, "name": name, "role": "viewer"},
    )
    assert invited.status_code == 201, invited.text
    stack.client("cognito-idp").admin_set_user_password(
        UserPoolId=stack.resources.user_pool_id,
        Username=email,
        Password=DEMO_PASSWORD,
        Permanent=True,
    )


def set_demo_password(stack: Any, email: str) -> None:
    """A login given the demo password at once, as the e-mailed code would (moto's pool)."""
    stack.client("cognito-idp").admin_set_user_password(
        UserPoolId=stack.resources.user_pool_id,
        Username=email,
        Password=DEMO_PASSWORD,
        Permanent=True,
    )


def sign_in(page: Any, console: Any, email: str, password: str = DEMO_PASSWORD) -> None:
    """Signs in with the keyboard only: the field has the focus, Tab moves, Enter submits."""
    page.goto(f"{console.endpoint}/")
    page.locator("input[name=email]").click()  # whatever the language
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def desk_order(browser: Any, console: Any, order_id: str) -> Any:
    """The hotel's manager signed in on a desk-sized screen, on the order's page; the page."""
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").wait_for()
    page.goto(f"{console.endpoint}/#/order/{order_id}")
    return page


def test_the_hotel_desk_checks_in_an_arrival_finds_the_order_and_extends_the_stay(
    browser, console, demo, live
):
    hotel = demo[HOTEL]
    day = today("Europe/Berlin")
    stay = {"offering_id": offering(demo, HOTEL, "Double room"), "check_in": day.isoformat()}
    order = book(live, hotel, "Ingrid Arrival", {**stay, "nights": 2})
    page = browser.page(width=1024)  # a tablet at the desk, on its side
    sign_in(page, console, "frontdesk@harbour-view.example")
    sheet = page.get_by_role("article", name="Double room")
    arrival = sheet.get_by_role("listitem").filter(has_text="Ingrid Arrival")
    arrival.get_by_role("button", name="Check in").click()
    page.get_by_role("article", name="Double room").get_by_role("listitem").filter(
        has_text="Ingrid Arrival"
    ).get_by_text("Checked in").wait_for()
    assert axe_violations(page) == []
    checked = live.call("GET", f"/v1/orders/{order['id']}", key=hotel.secret_key).json()
    assert checked["status"] == "checked_in"

    page.get_by_role("link", name="Orders").click()
    page.get_by_label("Name starts with").fill("ingrid")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=order["id"]).click()
    page.get_by_role("heading", name=f"Order {order['id']}").wait_for()
    page.get_by_text("Checked in").first.wait_for()
    assert page.get_by_role("button", name="Check out").is_visible()
    # the guest stays a night longer
    page.get_by_role("spinbutton", name="Nights").fill("3")
    page.get_by_role("button", name="Change the stay").click()
    # The guest hears the new total first (tests/browser/test_console_stay_price.py).
    page.get_by_role("button", name="Change at this price").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    page.get_by_text("3 nights").wait_for()
    extended = live.call("GET", f"/v1/orders/{order['id']}", key=hotel.secret_key).json()
    assert extended["lines"][0]["nights"] == 3 and extended["status"] == "checked_in"
    assert axe_violations(page) == []
    confirmation = downloaded_pdf(page)  # the confirmation as the server draws it
    assert "Ingrid Arrival" in confirmation and "(3 nights)" in confirmation


def test_a_wrong_password_is_said_plainly(browser, console, demo):
    page = browser.page()
    sign_in(page, console, "frontdesk@harbour-view.example", "not-the-password-1A")
    assert page.get_by_role("alert").inner_text() == (
        "That e-mail and password do not match a login."
    )


def test_the_salon_books_a_walk_in_with_anyone(browser, console, demo, live):
    salon = demo[SALON]
    page = browser.page()
    sign_in(page, console, "alex@shear-studio.example")
    page.get_by_role("link", name="New booking").click()
    main = page.get_by_role("navigation", name="Main")
    assert main.get_by_role("link", name="Rooms").count() == 0  # a salon sells no nights
    # The tab says the page and the business (a tester's tabs all read "Reservoir console").
    expect(page).to_have_title("New booking (walk-in or phone) · Shear Studio")
    options, day = salon_haircut_options(page, 1)
    options.first.click()
    page.get_by_label("Name", exact=True).fill("Walk In")
    page.get_by_label("E-mail").fill("walk.in@example.com")
    made = book_and_confirm(page, live, salon)
    assert made["status"] == "confirmed" and made["channel"] == "staff"
    assert made["lines"][0]["date"] == day.isoformat()
    page.get_by_role("link", name="Open the order").click()
    page.get_by_text("Confirmed").first.wait_for()


def test_the_desk_checks_in_tomorrows_guest_early(browser, console, demo, live):
    """Check-in opens on the day; a guest who comes the evening before is checked in early,
    from the refusal, with one more press."""
    hotel = demo[HOTEL]
    day = today("Europe/Berlin") + timedelta(days=1)
    stay = {"offering_id": offering(demo, HOTEL, "Double room"), "check_in": day.isoformat()}
    order = book(live, hotel, "Emil Early", {**stay, "nights": 1})
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.goto(f"{console.endpoint}/#/today?date={day.isoformat()}")
    arrival = page.get_by_role("article", name="Double room").get_by_role("listitem")
    arrival = arrival.filter(has_text="Emil Early")
    arrival.get_by_role("button", name="Check in").wait_for()
    assert arrival.get_by_role("button", name="No-show").count() == 0  # not before it starts
    arrival.get_by_role("button", name="Check in").click()
    arrival.get_by_text("Check-in opens on the day the booking starts.").wait_for()
    arrival.get_by_role("button", name="Check in early").click()
    arrival.get_by_text("Checked in").wait_for()
    got = live.call("GET", f"/v1/orders/{order['id']}", key=hotel.secret_key).json()
    assert got["status"] == "checked_in"


def test_a_viewer_sees_the_day_but_is_offered_no_change(browser, console, demo, live):
    """The hotel's bookkeeper, the read-only login `make dev` seeds (local/seeding.py)."""
    hotel = demo[HOTEL]
    email = "accounts@harbour-view.example"
    day = today("Europe/Berlin")
    stay = {"offering_id": offering(demo, HOTEL, "Family suite"), "check_in": day.isoformat()}
    book(live, hotel, "Victor Seen", {**stay, "nights": 1})
    page = browser.page()
    sign_in(page, console, email)
    page.get_by_role("article", name="Family suite").get_by_text("Victor Seen").wait_for()
    assert page.get_by_role("button", name="Check in").count() == 0
    assert page.get_by_role("link", name="New booking").count() == 0
    page.get_by_role("article", name="Family suite").get_by_role("link", name="Victor Seen").click()
    page.get_by_role("heading", name=re.compile("^Order ")).wait_for()
    assert page.get_by_role("button", name="Cancel booking").count() == 0


def test_the_guide_reads_the_departures_manifest_in_chinese(browser, console, demo, live):
    tours = demo[TOURS]
    day = today("Asia/Shanghai") + timedelta(days=3)
    tour = offering(demo, TOURS, "慕田峪") if any("慕田峪" in o for o in tours.offerings) else None
    tour = tour or tours.offerings[0].split()[0]
    options = week_of_options(live, tours, tour, day, party=3)
    assert options, "no departure in a week"
    first = options[0]
    book(live, tours, "王小红", {"offering_id": tour, "start": first["start"][:16], "party": 3})
    page = browser.page(locale="zh-CN", zone="Asia/Shanghai")
    sign_in(page, console, "guide@great-wall-tours.example")
    page.goto(f"{console.endpoint}/#/today?date={first['date']}")
    page.get_by_text("王小红").first.wait_for()
    assert page.get_by_role("link", name="订单").is_visible()
    assert page.get_by_text("3 人").first.is_visible()
    assert page.get_by_text(re.compile(r"已订 \d+ / \d+")).first.is_visible()
    assert axe_violations(page) == []


def test_a_new_business_signs_up_and_takes_its_first_booking_through_its_snippet(
    browser, console, live
):
    """Sign-up in the console, the owner's password set with the e-mailed code (moto takes
    any code), sign-in, the website listed and the snippet made in Website, and a guest books
    through that snippet on the business's own site. The catalog is made with the secret key
    the sign-up showed (the catalog pages are not built yet)."""
    slug = f"lake-inn-{int(time.time() * 1000) % 10**8}"
    owner = f"owner@{slug}.example"
    page = browser.page()
    page.goto(f"{console.endpoint}/")
    page.get_by_role("link", name="A new business? Sign up").click()
    page.get_by_label("Business name").fill("Lake Inn")
    page.get_by_label("Short name for addresses").fill(slug)
    page.get_by_label("Your name").fill("Lena Lake")
    page.get_by_label("E-mail").fill(owner)
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Your business is being set up").wait_for()
    secret = page.locator("dl.keys dd").first.inner_text().strip()
    assert secret.startswith("sk_")
    for _ in range(60):  # provisioning makes the table and the owner's login
        if live.call("GET", "/v1/tenant", key=secret).json().get("status") == "active":
            break
        time.sleep(0.5)
    room = live.call(
        "POST",
        "/v1/resources",
        key=secret,
        json={"name": "Lake room", "kind": "nightly", "capacity": 3},
    ).json()["id"]
    stay = {
        "name": "Lake room",
        "kind": "nightly",
        "requirements": [{"resource_id": room}],
        "pricing": {"amount": 9000, "basis": "night"},
    }
    assert live.call("POST", "/v1/offerings", key=secret, json=stay).status_code == 201
    page.get_by_role("button", name="Set or reset my password").click()
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("The code from the e-mail").fill("123456")
    page.get_by_role("textbox", name="Choose a new password").fill(DEMO_PASSWORD)
    # Signed in at once: moto's leftover new-password question (a login its invitation made
    # asks again even after a reset) is answered with the password just chosen.
    page.get_by_role("button", name="Save and sign in").click()
    page.get_by_text("Lena Lake (owner)").wait_for()
    with StaticSite(free_port()) as shop_site:
        open_setting(page, "Website")
        page.get_by_label("Websites the widget may run on").fill(shop_site.endpoint)
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Saved.").wait_for()
        page.get_by_role("button", name=re.compile("^Make the code")).click()
        snippet = page.get_by_label("The code for your page").input_value()
        assert "pk_" in snippet and "reservoir-widget.js" in snippet
        assert axe_violations(page) == []
        shop_site.pages["/"] = (
            '<!doctype html><html lang="en"><meta charset="utf-8"><title>Lake Inn</title>'
            f"<h1>Lake Inn</h1>{snippet}</html>"
        )
        guest = browser.page()
        guest.goto(f"{shop_site.endpoint}/")
        day = today("Europe/Berlin") + timedelta(days=12)
        guest.get_by_label("Check-in").fill(day.isoformat())
        guest.get_by_role("button", name="Show availability").click()
        guest.get_by_role("heading", name="Choose a room").wait_for()
        guest.locator("reservoir-booking li.card").first.get_by_role("button").click()
        guest.get_by_label("Name").fill("First Guest")
        guest.get_by_label("E-mail").fill("first.guest@example.com")
        guest.get_by_role("button", name="Book", exact=True).click()
        guest.get_by_role("heading", name="Almost done").wait_for()
    page.get_by_role("link", name="Orders").click()
    page.get_by_label("Name starts with").fill("first")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("cell", name="First Guest").wait_for()


def test_a_walk_in_on_a_tour_answers_its_questions_for_each_person(browser, console, demo, live):
    tours = demo[TOURS]
    page = browser.page(locale="en-US", zone="Asia/Shanghai")
    sign_in(page, console, "owner@great-wall-tours.example")
    page.get_by_role("link", name="New booking").click()
    page.get_by_label("What").select_option(label="Mutianyu Great Wall day tour")
    page.get_by_label("People").fill("2")
    day = today("Asia/Shanghai") + timedelta(days=4)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_role("button", name="Show what is free").click()
    page.locator(f"[data-date='{day.isoformat()}']").wait_for()
    page.get_by_role("list", name="Show what is free").get_by_role("button").first.click()
    page.get_by_label("Name", exact=True).fill("Tour Group")
    page.get_by_label("E-mail").fill("tour.group@example.com")
    page.locator("select[id^='rsv-q-pickup']").select_option(index=1)
    page.locator("#rsv-q-passport_name-0").fill("E111")
    page.locator("#rsv-q-passport_name-1").fill("E222")
    page.locator("#rsv-q-diet-1").fill("no nuts")
    made = book_and_confirm(page, live, tours)
    answers = made["lines"][0]["answers"]
    assert [p["passport_name"] for p in answers["people"]] == ["E111", "E222"]
    assert answers["people"][1]["diet"] == "no nuts" and answers["booking"]["pickup"]
    # the order's page lists each person's answers under the questions' labels
    page.get_by_role("link", name="Open the order").click()
    # A label with its own question mark takes no colon after it ("needs?: no nuts" before).
    page.get_by_text("Name as in the passport: E222 · Any dietary needs? no nuts").wait_for()


def test_a_refusal_is_said_in_chinese_with_the_apis_own_message(browser, console, demo, live):
    tours = demo[TOURS]
    tour = tours.offerings[0].split()[0]
    day = today("Asia/Shanghai") + timedelta(days=5)
    options = week_of_options(live, tours, tour, day, party=1)
    assert options, "no departure in a week"
    made = book(live, tours, "李明", {"offering_id": tour, "start": options[0]["start"][:16]})
    page = browser.page(locale="zh-CN", zone="Asia/Shanghai")
    sign_in(page, console, "owner@great-wall-tours.example")
    page.goto(f"{console.endpoint}/#/order/{made['id']}")
    page.get_by_role("button", name="取消预订").click()
    # the business calls it off without saying why: the API refuses (reason_required)
    page.get_by_label("由商家取消（不收费，全额退款）").check()
    page.get_by_role("button", name="取消此预订").click()
    said = page.get_by_role("alert").filter(has_text="请填写商家取消的原因")
    said.wait_for()
    assert "Say why the business cancels" in said.inner_text()  # its specifics, in parentheses
    assert axe_violations(page) == []


def test_back_to_the_bare_address_is_today_again(browser, console, demo):
    """Signed in at the console's bare address (no `#/...`), the desk opens Orders, then the
    browser's Back: the address has no page again, and the page is Today, not Orders."""
    page = browser.page()
    sign_in(page, console, "frontdesk@harbour-view.example")
    bar = page.get_by_role("navigation", name="Main")
    bar.get_by_role("link", name="Today").wait_for()
    assert bar.get_by_role("link", name="Today").get_attribute("aria-current") == "page"
    bar.get_by_role("link", name="Orders").click()
    page.get_by_role("heading", name="Find orders").wait_for()

    page.go_back()

    page.wait_for_url(f"{console.endpoint}/")
    page.get_by_role("heading", name="Find orders").wait_for(state="detached")
    assert bar.get_by_role("link", name="Today").get_attribute("aria-current") == "page"


def test_the_desk_takes_cash_then_the_card_terminal_and_the_order_is_paid(
    browser, console, demo, live
):
    """A pay-at-the-hotel stay: the manager records part in cash (with a receipt number) and
    the rest on the card terminal; the balance follows, the order is paid, and the API says so.
    The order's own re-read after the cash is held back until the terminal is chosen: when it
    lands, the panel keeps that choice (it once came back as new, set to cash again)."""
    hotel = demo[HOTEL]
    # The garden wing's 24 twins, five weeks out: the suites of today are other tests'.
    day = today("Europe/Berlin") + timedelta(days=35)
    twin = offering(demo, HOTEL, "Twin room, garden wing")
    stay = {"offering_id": twin, "check_in": day.isoformat()}
    order = book(live, hotel, "Carla Cash", {**stay, "nights": 1})
    total = order["totals"]["total"]
    page = browser.page(width=1024)
    sign_in(page, console, "frontdesk@harbour-view.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Today").wait_for()
    page.goto(f"{console.endpoint}/#/order/{order['id']}")
    panel = page.get_by_role("region", name="Money")
    panel.get_by_text("Still owed").wait_for()
    form = panel.get_by_role("form", name="Take a payment")
    form.get_by_label("Amount").fill("50")
    form.get_by_label("How").select_option("cash")
    form.get_by_label("Receipt or reference (optional)").fill("R-0042")
    held: list[Any] = []
    holding = [True]

    def hold_reads(route: Any) -> None:
        if holding[0] and route.request.method == "GET":
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(rf".*/v1/orders/{order['id']}$"), hold_reads)
    form.get_by_role("button", name=re.compile("^Record ")).click()
    panel.get_by_role("cell", name="Cash · R-0042").wait_for()
    form.get_by_label("How").select_option("card_terminal")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the console did not read the order again after the cash"
    holding[0] = False
    with page.expect_response(lambda r: r.url.endswith("/payments") and r.ok):
        for route in held:
            route.continue_()
    page.wait_for_timeout(200)  # the answer drawn
    assert form.get_by_label("How").input_value() == "card_terminal"
    form.get_by_role("button", name=re.compile("^Record ")).click()  # the rest, as offered
    panel.get_by_role("cell", name="Card terminal").wait_for()
    assert panel.get_by_role("form", name="Take a payment").count() == 0  # nothing owed
    panel.get_by_role("button", name="Give money back").click()
    back = panel.get_by_role("form", name="Give money back")
    options = back.get_by_label("How").locator("option").all_inner_texts()
    assert "To the card, through Stripe" not in options and "Cash" in options  # none online
    assert axe_violations(page) == []

    money = live.call("GET", f"/v1/orders/{order['id']}/payments", key=hotel.secret_key).json()
    assert (money["balance"], money["received"], money["payment_status"]) == (0, total, "paid")
    assert [p["method"] for p in money["payments"]] == ["cash", "card_terminal"]
    assert money["payments"][0]["received"] == 5000
