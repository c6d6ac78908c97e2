"""Customers book through the widget on the demo businesses' pages, in chromium: a stylist's
haircut and a stay paid at the venue, a departure that needs a guide and a van, the manage page
(cancel, move), two visitors racing for the last departure, and the widget in Chinese."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from local.demo_pages import business_page, widget_tag
from local.seeding import SeedResult
from tests.browser.conftest import SHOTS
from tests.live_http import Http

SALON, HOTEL, TOURS = "shear-studio", "harbour-view", "great-wall-tours"


def open_day(zone: str, ahead: int = 2, closed: tuple[int, ...] = (6,)) -> date:
    """A day `ahead` days or more from today in `zone` that is not closed (6: Sunday)."""
    day = datetime.now(ZoneInfo(zone)).date() + timedelta(days=ahead)
    while day.weekday() in closed:
        day += timedelta(days=1)
    return day


def page_of(site: Any, slug: str) -> str:
    return f"{site.endpoint}/demo/{slug}.html"


def offering_id(demo: dict[str, SeedResult], slug: str, name: str) -> str:
    return next(o.split()[0] for o in demo[slug].offerings if name in o)


def staff_order(live: Http, tenant: SeedResult, order_id: str) -> dict[str, Any]:
    r = live.call("GET", f"/v1/orders/{order_id}", key=tenant.secret_key)
    assert r.status_code == 200, r.text
    return dict(r.json())


def reference(page: Any) -> str:
    """The order id the widget shows after "Reference"."""
    text = page.locator("reservoir-booking dl").first.inner_text()
    return re.search(r"ord_[A-Za-z0-9_]+", text).group(0)  # type: ignore[union-attr]


def choices_for(page: Any, day: date, kind: str = "ul.times button") -> Any:
    """The free times (or, `ul.list button.choice`, departures) found for `day`: never a list
    still showing from before the date was changed."""
    return page.locator(f"reservoir-booking [data-date='{day.isoformat()}'] {kind}")


def haircut_details(browser: Any, site: Any, ahead: int) -> Any:
    """A page on the salon's details step: a haircut, the last time `ahead` days on."""
    page = browser.page()
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=ahead)
    page.get_by_label("Date").fill(day.isoformat())
    choices_for(page, day).last.click()
    return page


def fill_details(page: Any, name: str, email: str) -> None:
    page.get_by_label("Name").fill(name)
    page.get_by_label("E-mail").fill(email)


def test_a_haircut_with_a_chosen_stylist_paid_at_the_venue(browser, site, demo, live):
    page = browser.page()
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("With").select_option(label="Sam Chen")
    # Sam's first free time that day (another test may have given him the opening hour)
    first = choices_for(page, day).first
    first.wait_for()
    shown = re.match(r"\d{1,2}:\d{2} [AP]M", first.inner_text())
    assert shown, first.inner_text()
    at = datetime.strptime(shown.group(0), "%I:%M %p").strftime("%H:%M")
    first.click()
    fill_details(page, "Ada Lovelace", "ada@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("heading", name="Almost done").wait_for()
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_role("heading", name="Booked").wait_for()
    order = staff_order(live, demo[SALON], reference(page))
    assert order["status"] == "confirmed" and order["channel"] == "widget"
    [line] = order["lines"]
    assert line["start"][11:16] == at
    assert [r["name"] for r in line["resources"]] == ["Sam Chen"]
    assert order["customer"]["email"] == "ada@example.com"


# Each select of the widget's shadow root whose chosen option is wider than its box (the text
# measured in the select's own font, beside its padding and arrow).
CUT_SELECTS = """() => {
  const root = document.querySelector('reservoir-booking').shadowRoot;
  const ctx = document.createElement('canvas').getContext('2d');
  return [...root.querySelectorAll('select')].filter((s) => {
    const style = getComputedStyle(s);
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = s.options[s.selectedIndex]?.text ?? '';
    const pad = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const room = s.clientWidth - pad - 16;
    return ctx.measureText(text).width > room;
  }).map((s) => s.options[s.selectedIndex]?.text);
}"""


@pytest.mark.parametrize("width", [360, 390])
def test_a_phone_reads_every_chosen_option_in_full(browser, site, demo, width):
    """An outside tester's phone showed "Anyone avail" in the salon's "With" field, cut beside
    the date: on a narrow screen the two stack."""
    page = browser.page(width=width)
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    page.get_by_label("With").wait_for()
    assert page.evaluate(CUT_SELECTS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"widget-salon-{width}.png"))


def test_a_stay_shows_each_nights_price_and_the_total(browser, site, demo, live):
    check_in = open_day("Europe/Berlin", ahead=10, closed=())
    page = browser.page(width=360)
    page.goto(page_of(site, HOTEL))
    page.get_by_label("Check-in").fill(check_in.isoformat())
    page.get_by_label("Nights").select_option("2")
    page.get_by_label("Guests").select_option("2")
    page.get_by_role("button", name="Show availability").click()
    page.get_by_role("heading", name="Choose a room").wait_for()
    suite = offering_id(demo, HOTEL, "Family suite")
    priced = live.call(
        "GET",
        f"/v1/public/availability?offering={suite}&from={check_in}"
        f"&to={check_in + timedelta(days=1)}&nights=2&party=2",
        key=demo[HOTEL].publishable_key,
    ).json()["options"][0]["price"]
    card = page.locator("reservoir-booking li.card").filter(has_text="Family suite")
    text = card.inner_text()
    assert "€219.00" in text and f"€{priced['total'] / 100:,.2f}" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Choose Family suite").click()
    fill_details(page, "Grace Hopper", "grace@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_role("heading", name="Booked").wait_for()
    order = staff_order(live, demo[HOTEL], reference(page))
    assert order["status"] == "confirmed"
    assert order["lines"][0]["date"] == check_in.isoformat() and order["lines"][0]["nights"] == 2
    assert order["totals"]["total"] == priced["total"]


def test_a_departure_that_needs_a_guide_and_a_van(browser, site, demo, live):
    page = browser.page(locale="zh-CN", zone="Asia/Shanghai")
    page.goto(page_of(site, TOURS))  # the page is in Chinese: so is the widget
    page.get_by_role("button", name=re.compile("^Private tour")).click()
    day = open_day("Asia/Shanghai", ahead=3, closed=())
    page.get_by_label("日期").fill(day.isoformat())
    page.get_by_label("人数").select_option("2")
    choices_for(page, day, "ul.list button.choice").first.click()
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("电子邮箱").fill("wang@example.com")
    page.get_by_role("button", name="预订", exact=True).click()
    page.get_by_role("button", name="确认预订，到店付款").click()
    page.get_by_role("heading", name="预订成功").wait_for()
    order = staff_order(live, demo[TOURS], reference(page))
    names = [r["name"] for r in order["lines"][0]["resources"]]
    assert names == ["Private departure", "Guide Zhang Min", "Van 京A·12345"]
    assert order["status"] == "confirmed" and order["lines"][0]["party"] == 2


def widget_hold(
    live: Http,
    demo: dict[str, SeedResult],
    start: date,
    time: str,
    email: str = "manage@example.com",
) -> dict[str, Any]:
    body = {
        "customer": {"name": "Manage Me", "email": email},
        "lines": [
            {
                "offering_id": offering_id(demo, SALON, "Haircut"),
                "start": f"{start.isoformat()}T{time}",
            }
        ],
    }
    r = live.call("POST", "/v1/public/orders", key=demo[SALON].publishable_key, json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def manage_url(site: Any, order: dict[str, Any], sep: str = "#") -> str:
    """The manage link: order and token in the fragment, as the widget writes it (no request
    carries a fragment); the query string is read too."""
    return (
        f"{page_of(site, SALON)}{sep}reservoir_order={order['id']}"
        f"&reservoir_token={order['manage_token']}"
    )


def test_the_customer_cancels_through_the_manage_link(browser, site, demo, live):
    order = widget_hold(live, demo, open_day("America/New_York", ahead=4), "11:00")
    page = browser.page()
    page.goto(manage_url(site, order, sep="?"))
    page.get_by_role("heading", name="Your booking").wait_for()
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_text("Confirmed", exact=True).wait_for()
    page.get_by_role("button", name="Cancel booking").click()
    page.get_by_role("button", name="Yes, cancel it").click()
    page.get_by_text("The booking is cancelled.").wait_for()
    assert staff_order(live, demo[SALON], order["id"])["status"] == "cancelled"
    # Not a dead end on the business's booking page: booking again is one press away.
    page.get_by_role("button", name="Book again").click()
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()


def test_a_manage_link_that_finds_no_booking_offers_to_book(browser, site, demo, live):
    order = widget_hold(live, demo, open_day("America/New_York", ahead=4), "11:30")
    page = browser.page()
    link = manage_url(site, order, sep="?")
    page.goto(link[:-1] + ("y" if link.endswith("x") else "x"))  # a mistyped link
    page.get_by_text("We could not find this booking").wait_for()
    page.get_by_role("button", name="Book again").click()
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()


def test_back_from_a_manage_link_opened_on_the_page_shows_the_booking_again(
    browser, site, demo, live
):
    """A manage link followed on the business's page (its fragment only changes), then Back:
    the page's address has no link any more, and the widget follows it."""
    order = widget_hold(live, demo, open_day("America/New_York", ahead=4), "12:30")
    page = browser.page()
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()
    page.goto(manage_url(site, order))
    page.get_by_role("heading", name="Your booking").wait_for()
    page.go_back()
    page.get_by_role("button", name=re.compile("^Haircut")).wait_for()
    assert page.get_by_role("heading", name="Your booking").count() == 0
    page.go_forward()  # and forward again: the booking the link names
    page.get_by_role("heading", name="Your booking").wait_for()


def test_the_customer_moves_the_booking_through_the_manage_link(browser, site, demo, live):
    first = open_day("America/New_York", ahead=5)
    order = widget_hold(live, demo, first, "12:00")
    later = first + timedelta(days=1)
    while later.weekday() not in (1, 2, 3, 4):  # Tuesday to Friday: every stylist works
        later += timedelta(days=1)
    page = browser.page()
    page.goto(manage_url(site, order))
    page.get_by_role("button", name="Change date or time").click()
    assert page.get_by_label("Date").input_value() == first.isoformat()  # from the booking
    served_by = staff_order(live, demo[SALON], order["id"])["lines"][0]["resources"][0]
    assert page.get_by_label("With").input_value() == served_by["resource_id"]
    page.get_by_label("Date").fill(later.isoformat())
    # The stylist's last free time that day (tests beside this one book the salon's days too).
    choices_for(page, later).first.wait_for()
    slot = choices_for(page, later).last
    label = re.match(r"^\d{1,2}:\d{2} [AP]M", slot.inner_text()).group(0)
    hour, minute, half = re.match(r"^(\d{1,2}):(\d{2}) (AM|PM)", label).groups()
    at = f"{int(hour) % 12 + (12 if half == 'PM' else 0):02d}:{minute}"
    slot.click()
    page.get_by_role("button", name="Yes, move it").click()  # asked before it moves
    page.get_by_text("The booking is moved.").wait_for()
    line = staff_order(live, demo[SALON], order["id"])["lines"][0]
    assert line["start"].startswith(f"{later.isoformat()}T{at}")
    assert line["resources"][0]["resource_id"] == served_by["resource_id"]  # kept


def test_two_visitors_race_for_the_last_departure(browser, site, demo, live):
    """The private tour has one van: both pick the same departure and book at once. One gets
    it; the other is told, offered the nearest free departures, and books one of them."""
    day = open_day("Asia/Shanghai", ahead=8, closed=())
    pages = [browser.page(locale="en-US"), browser.page(locale="en-US")]
    for i, page in enumerate(pages):
        page.goto(page_of(site, TOURS))
        page.locator("reservoir-booking").evaluate("w => w.setAttribute('lang', 'en')")
        page.get_by_role("button", name=re.compile("^Private tour")).click()
        page.get_by_label("Date").fill(day.isoformat())
        choices_for(page, day, "ul.list button.choice").first.click()
        fill_details(page, f"Racer {i}", f"racer{i}@example.com")
    # Both requests in flight together: a click is dispatched without waiting for its answer.
    for page in pages:
        page.get_by_role("button", name="Book", exact=True).dispatch_event("click")
    outcomes = []
    for page in pages:
        done = "reservoir-booking h2:text-matches('Almost done'), reservoir-booking .alert"
        page.locator(done).first.wait_for()
        outcomes.append(
            "held" if page.get_by_role("heading", name="Almost done").count() else "taken"
        )
    assert sorted(outcomes) == ["held", "taken"], outcomes
    loser = pages[outcomes.index("taken")]
    loser.get_by_text("Sorry, that time was just taken by someone else.").wait_for()
    loser.get_by_text("The nearest free times:").wait_for()
    loser.locator("reservoir-booking ul.times button").first.click()
    loser.get_by_role("button", name="Book", exact=True).click()
    loser.get_by_role("heading", name="Almost done").wait_for()
    held = [staff_order(live, demo[TOURS], reference(p)) for p in pages]
    starts = {o["lines"][0]["start"] for o in held}
    assert len(starts) == 2  # never the same departure twice


def test_switching_to_chinese_formats_dates_and_money_for_it(browser, site, demo):
    page = browser.page()
    page.goto(page_of(site, SALON))
    page.get_by_role("button", name="中文").click()
    page.get_by_role("heading", name="您想预订什么？").wait_for()
    assert "US$49.00起" in page.locator("reservoir-booking .rsv").inner_text()
    page.get_by_role("button", name=re.compile("^Haircut")).click()
    day = open_day("America/New_York", ahead=3)
    page.get_by_label("日期").fill(day.isoformat())
    choices_for(page, day).first.click()
    summary = page.locator("reservoir-booking dl").first.inner_text()
    assert f"{day.year}年{day.month}月{day.day}日" in summary
    assert "US$49.00" in summary  # 45.00 plus tax, as the "from" price says it


@pytest.mark.parametrize("origin", ["localhost"])
def test_a_website_the_business_did_not_list_gets_no_widget(browser, site, demo, origin):
    page = browser.page()
    warned: list[str] = []
    page.on("console", lambda m: warned.append(m.text) if m.type == "warning" else None)
    url = page_of(site, SALON).replace("127.0.0.1", origin)
    page.goto(url)
    page.get_by_text("This booking form is not enabled for this website.").wait_for()
    # No "Try again": no retry can succeed until the business lists the origin, and the page's
    # developer is told, once, which origin was refused and where the business adds it.
    assert page.get_by_role("button", name="Try again").count() == 0
    page.wait_for_function("() => true")  # the console's messages of the page's last task
    refused = url.split("/demo/")[0]
    assert len(warned) == 1, warned
    assert refused in warned[0] and "Website page" in warned[0], warned
    assert "widget_origins" in warned[0], warned


def test_a_move_to_a_time_just_taken_offers_the_nearest_free_ones(browser, site, demo, live):
    first = open_day("America/New_York", ahead=9)
    order = widget_hold(live, demo, first, "11:00")
    stylist = staff_order(live, demo[SALON], order["id"])["lines"][0]["resources"][0]
    later = first + timedelta(days=1)
    while later.weekday() not in (1, 2, 3, 4):
        later += timedelta(days=1)
    page = browser.page()
    page.goto(manage_url(site, order))
    page.get_by_role("button", name="Change date or time").click()
    page.get_by_label("Date").fill(later.isoformat())
    # The stylist's last free time that day (other tests running beside this one book the
    # salon's days too: a time fixed here may be gone before the page shows it).
    choices_for(page, later).first.wait_for()
    slot = choices_for(page, later).last
    label = re.match(r"^\d{1,2}:\d{2} [AP]M", slot.inner_text()).group(0)
    hour, minute, half = re.match(r"^(\d{1,2}):(\d{2}) (AM|PM)", label).groups()
    at = f"{int(hour) % 12 + (12 if half == 'PM' else 0):02d}:{minute}"
    # Someone else takes that stylist's time while this customer looks at it.
    other = {
        "customer": {"name": "Quicker", "email": "quick@example.com"},
        "lines": [
            {
                "offering_id": offering_id(demo, SALON, "Haircut"),
                "start": f"{later.isoformat()}T{at}",
                "resource_ids": {"0": stylist["resource_id"]},
            }
        ],
    }
    taken = live.call("POST", "/v1/orders", key=demo[SALON].secret_key, json=other)
    assert taken.status_code == 201, taken.text
    slot.click()
    page.get_by_role("button", name="Yes, move it").click()
    page.get_by_text("Sorry, that time was just taken by someone else.").wait_for()
    page.get_by_text("The nearest free times:").wait_for()
    # The grid below reads that day again (an outside tester's still offered the times the
    # other booking took): the time taken is gone from it, and so from what can be chosen.
    page.wait_for_function(
        """([day, label]) => {
          const root = document.querySelector('reservoir-booking').shadowRoot;
          const grid = [...root.querySelectorAll(`[data-date='${day}'] ul.times button`)];
          return grid.length > 0 && !grid.some((b) => b.innerText.startsWith(label));
        }""",
        arg=[later.isoformat(), label],
    )
    page.screenshot(path=str(SHOTS / "widget-move-taken-read-again.png"), full_page=True)
    page.get_by_text("The nearest free times:").locator("xpath=..").locator("button").first.click()
    page.get_by_role("button", name="Yes, move it").click()
    page.get_by_text("The booking is moved.").wait_for()
    moved = staff_order(live, demo[SALON], order["id"])["lines"][0]
    assert moved["resources"][0]["resource_id"] == stylist["resource_id"]
    taken_at = taken.json()["lines"][0]["start"]  # the time the other booking took (UTC)
    assert moved["start"] != taken_at and taken_at[:10] == later.isoformat()


def test_a_tour_asks_every_person_what_the_business_needs(browser, site, demo, live):
    """An offering with required questions, once per booking and of every person: the widget
    asks them, says which one is missing at its field (which takes the focus), and the order
    keeps the answers; the departure's manifest lists each person with theirs."""
    tours = demo[TOURS]
    resources = live.call("GET", "/v1/resources", key=tours.secret_key).json()["data"]
    wall = next(r["id"] for r in resources if r["name"] == "Mutianyu departure")
    offering = {
        "name": "Sunrise walk",
        "kind": "session",
        "requirements": [{"resource_id": wall, "per": "person"}],
        "pricing": {"amount": 20000, "basis": "person"},
        "questions": [
            {
                "id": "pickup",
                "label": "Pickup point",
                "kind": "choice",
                "required": True,
                "choices": ["Dongzhimen", "Hotel lobby"],
            },
            {
                "id": "passport",
                "label": "Passport number",
                "kind": "text",
                "required": True,
                "per": "person",
            },
            {"id": "age", "label": "Age", "kind": "number", "per": "person", "maximum": 120},
        ],
    }
    made = live.call("POST", "/v1/offerings", key=tours.secret_key, json=offering)
    assert made.status_code == 201, made.text
    path = "/demo/great-wall-tours/sunrise.html"
    tag = widget_tag(
        key=tours.publishable_key, api=live.base, offering=made.json()["id"], lang="en"
    )
    site.pages[path] = business_page(name="Great Wall", business_type="tours", lang="en", tag=tag)
    page = browser.page(locale="en-US", zone="Asia/Shanghai")
    page.goto(f"{site.endpoint}{path}")
    day = open_day("Asia/Shanghai", ahead=5, closed=())
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("People").select_option("2")
    choices_for(page, day, "ul.list button.choice").first.click()
    fill_details(page, "Ann Lee", "ann@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    pickup = page.get_by_label("Pickup point *")
    page.get_by_text("Please answer this.").wait_for()
    assert pickup.evaluate("e => e.getRootNode().activeElement === e")
    pickup.select_option("Hotel lobby")
    page.locator("reservoir-booking fieldset").nth(0).get_by_label("Passport number *").fill(
        "E1234"
    )
    page.locator("reservoir-booking fieldset").nth(0).get_by_label("Age").fill("41")
    page.get_by_role("button", name="Book", exact=True).click()
    second = page.locator("reservoir-booking fieldset").nth(1).get_by_label("Passport number *")
    page.get_by_text("Please answer this.").wait_for()
    assert second.evaluate("e => e.getRootNode().activeElement === e")
    second.fill("G9876")
    page.get_by_role("button", name="Book", exact=True).click()
    page.get_by_role("button", name="Confirm, pay at the venue").click()
    page.get_by_role("heading", name="Booked").wait_for()
    order = staff_order(live, tours, reference(page))
    assert order["lines"][0]["answers"] == {
        "booking": {"pickup": "Hotel lobby"},
        "people": [{"passport": "E1234", "age": 41}, {"passport": "G9876"}],
    }
    sheet = live.call(
        "GET", f"/v1/resources/{wall}/day?date={day.isoformat()}", key=tours.secret_key
    ).json()
    people = [
        p
        for s in sheet["sessions"]
        for line in s["lines"]
        if line["order_id"] == order["id"]
        for p in line["answers"]["people"]
    ]
    assert [p["passport"] for p in people] == ["E1234", "G9876"]


def test_the_business_hours_and_contact_are_folded_under_the_form(browser, site, demo):
    """What the salon tells its customers (seeded like `make dev`): its hours in the page's
    locale, Sunday closed, a phone to call; the tour operator's in Chinese."""
    page = browser.page(locale="en-US")
    page.goto(page_of(site, SALON))
    widget = page.locator("reservoir-booking")
    about = widget.locator("details.about")
    about.locator("summary").filter(has_text="Opening hours and contact").wait_for()
    assert not about.get_by_role("table").is_visible()  # folded until asked for
    about.locator("summary").focus()
    page.keyboard.press("Enter")  # by keyboard, as a summary opens
    hours = about.get_by_role("table", name="Opening hours")
    hours.wait_for()
    assert hours.get_by_role("row", name=re.compile("^Sunday Closed$")).count() == 1
    assert hours.get_by_role("row", name=re.compile("^Monday 9:00 AM.8:00 PM$")).count() == 1
    phone = about.get_by_role("link", name="+1 212-555-0142")  # as the API writes it
    assert phone.get_attribute("href") == "tel:+12125550142"
    assert "214 Orchard Street\nNew York, NY 10002" in about.inner_text()

    tours = browser.page(locale="zh-CN")
    tours.goto(page_of(site, TOURS))
    folded = tours.locator("reservoir-booking details.about summary")
    folded.filter(has_text="营业时间与联系方式").wait_for()
    folded.click()
    table = tours.locator("reservoir-booking").get_by_role("table", name="营业时间")
    assert table.get_by_role("row", name=re.compile("^星期一 ")).count() == 1
