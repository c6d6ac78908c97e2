"""The printouts as PDF files: an order's confirmation and a resource's day (a departure's
manifest), read back with a PDF reader: what the order says, in the business's zone, in
English or Chinese, page after page for a long day; a viewer may have them, another tenant
and the widget may not; a bad language or date is 422."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_booking_questions_api import (
    hold,
    tours,  # noqa: F401 (its fixture, used below)
)
from tests.api.test_bulk_jobs_api import job, work
from tests.api.test_resource_day_api import book, stay
from tests.builders import day_tour, departure, haircut, room_type, stay_offering, stylist


@pytest.fixture
def shop(api):
    forbid_server_errors(api)
    tenant = api.signup("print-shop", business_name="Haus am See")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=10), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    data.catalog.put_resource(departure(seats=200, times=(8 * 60,)), expected_rev=None)
    data.catalog.put_offering(day_tour(), expected_rev=None)
    return tenant


def pdf(api, tenant, path: str, auth: str | None = None) -> tuple[str, int]:
    r = api.call(
        "GET", path, auth=auth or tenant["secret_key"], headers={"Accept": "application/pdf"}
    )
    assert r.status_code == 200, r.body
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.body.startswith(b"%PDF-1.4")
    reader = PdfReader(io.BytesIO(r.body))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_an_orders_confirmation_says_what_the_order_says(api, shop):
    order = book(api, shop, "Jürgen Müller", stay("2026-12-10", 2))
    text, pages = pdf(api, shop, f"/v1/orders/{order}/confirmation.pdf")
    assert pages == 1
    for said in (
        "Haus am See",
        "Booking confirmation",
        order,
        "Jürgen Müller",  # Latin-1 letters in the standard font
        "Thu 10 Dec 2026 – Sat 12 Dec 2026 (2 nights)",
        "EUR 240.00",
        "Total",
        "Page 1 of 1",
    ):
        assert said in text, (said, text)


def test_the_confirmation_in_chinese_with_a_chinese_name(api, shop):
    order = book(api, shop, "张敏 Zhang", stay("2026-12-10", 1))
    text, _ = pdf(api, shop, f"/v1/orders/{order}/confirmation.pdf?lang=zh-Hans")
    for said in (
        "预订确认",
        "张敏 Zhang",
        "2026年12月10日 周四",
        "1 晚",
        "合计",
        "第 1 页，共 1 页",
    ):
        assert said in text, (said, text)


def test_a_departures_manifest_runs_over_pages_with_every_passenger(api, shop):
    names = [f"Passenger {n:03d}" for n in range(90)]
    for name in names:
        book(api, shop, name, {"offering_id": "off_tour", "start": "2026-12-10T08:00"})
    text, pages = pdf(api, shop, "/v1/resources/res_wall/day.pdf?date=2026-12-10")
    assert pages > 1
    assert all(name in text for name in names)
    assert "Departure 08:00: 90 of 200 booked" in text
    assert f"Page {pages} of {pages}" in text


def test_a_room_types_day_lists_arrivals_departures_and_stays(api, shop):
    book(api, shop, "Arriving Anna", stay("2026-12-10", 2))
    book(api, shop, "Leaving Lars", stay("2026-12-08", 2))
    text, _ = pdf(api, shop, "/v1/resources/res_double/day.pdf?date=2026-12-10")
    arrivals, departures = text.index("Arrivals (1)"), text.index("Departures (1)")
    assert arrivals < text.index("Arriving Anna") < departures < text.index("Leaving Lars")
    assert "Staying (0)" in text


def test_a_viewer_may_have_the_files_another_tenant_and_the_widget_may_not(api, shop):
    order = book(api, shop, "Viewer Vera", stay("2026-12-10", 1))
    viewer = api.staff_token(shop, "viewer")
    assert "Viewer Vera" in pdf(api, shop, f"/v1/orders/{order}/confirmation.pdf", viewer)[0]
    other = api.signup("print-other")
    pdfs = {"Accept": "application/pdf"}
    path = f"/v1/orders/{order}/confirmation.pdf"
    r = api.call("GET", path, auth=other["secret_key"], headers=pdfs)
    assert_error(r, 404, "order_not_found")
    day = "/v1/resources/res_double/day.pdf?date=2026-12-10"
    r = api.call("GET", day, auth=other["secret_key"], headers=pdfs)
    assert_error(r, 404, "resource_not_found")
    r = api.call("GET", f"/v1/orders/{order}/confirmation.pdf", auth=shop["publishable_key"])
    assert r.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/v1/orders/{order}/confirmation.pdf?lang=fr",
        "/v1/resources/res_double/day.pdf",
        "/v1/resources/res_double/day.pdf?date=2026-02-30",
        "/v1/resources/res_double/day.pdf?date=2026-12-10&lang=de",
    ],
)
def test_a_bad_language_or_date_is_422(api, shop, path):
    order = book(api, shop, "Bad Query", stay("2026-12-10", 1))
    r = api.call("GET", path.format(order=order), auth=shop["secret_key"])
    assert r.status_code == 422, r.body


@pytest.mark.parametrize(
    "accept", [None, "application/json", "text/html", "application/pdf;q=0", "application/*"]
)
def test_a_caller_that_does_not_accept_a_pdf_is_told_so(api, shop, accept):
    """The file goes only to a request that accepts it (chalice encodes a binary answer only
    then): else a 406 that says what to send, never a garbled body."""
    order = book(api, shop, "No Accept", stay("2026-12-10", 1))
    headers = {} if accept is None else {"Accept": accept}
    path = f"/v1/orders/{order}/confirmation.pdf"
    r = api.call("GET", path, auth=shop["secret_key"], headers=headers)
    assert_error(r, 406, "not_acceptable")
    assert "Accept: application/pdf" in r.data["error"]["message"]


@pytest.mark.parametrize(
    "accept", ["*/*", "application/pdf;q=0.5, */*;q=0.1", "text/html, application/pdf"]
)
def test_any_accept_that_takes_a_pdf_gets_it(api, shop, accept):
    order = book(api, shop, "Any Accept", stay("2026-12-10", 1))
    path = f"/v1/orders/{order}/confirmation.pdf"
    r = api.call("GET", path, auth=shop["secret_key"], headers={"Accept": accept})
    assert r.status_code == 200 and r.body.startswith(b"%PDF")


def test_the_manifest_and_the_confirmation_give_each_persons_answers_under_their_labels(
    api, request
):
    tenant, offering = request.getfixturevalue("tours")  # the questions tests' tour
    people = [{"name": "Li Lei", "diet": "素食"}, {"name": "Han Meimei", "age": 9}]
    answers = {"booking": {"pickup": "Dongzhimen"}, "people": people}
    order = hold(api, tenant, offering, answers).data["id"]
    manifest, _ = pdf(api, tenant, "/v1/resources/res_wall/day.pdf?date=2026-12-10")
    assert "Pickup point: Dongzhimen" in manifest
    assert "Person 1 — Full name: Li Lei, Dietary needs: 素食" in manifest
    assert "Person 2 — Full name: Han Meimei, Age: 9" in manifest
    confirmation, _ = pdf(api, tenant, f"/v1/orders/{order}/confirmation.pdf?lang=zh-Hans")
    assert "第 2 位 — Full name: Han Meimei, Age: 9" in confirmation


def test_an_order_mixing_tax_included_and_tax_added_prints_totals_that_add_up(api, shop):
    """A stay priced with its tax and a haircut with tax on top: the file says the tax the
    total adds and the tax the prices include, so subtotal plus added tax is the total."""
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(shop["tenant_id"])
    )
    data.catalog.put_resource(stylist("res_alex", "Alex"), expected_rev=None)
    data.catalog.put_offering(haircut(), expected_rev=None)
    body = {
        "customer": {"name": "Mixed Tax", "email": "mixed@example.com"},
        "lines": [stay("2026-12-10", 1), {"offering_id": "off_cut", "start": "2026-12-10T09:00"}],
    }
    made = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
    assert made.status_code == 201, made.body
    sums = made.data["totals"]
    added = sums["total"] - sums["subtotal"]
    assert added > 0 and sums["tax"] > added  # both kinds in one order
    text, _ = pdf(api, shop, f"/v1/orders/{made.data['id']}/confirmation.pdf")

    def euros(cents: int) -> str:
        return f"EUR {cents // 100:,}.{cents % 100:02d}"

    assert f"Subtotal {euros(sums['subtotal'])}" in text
    assert f"Tax {euros(added)}" in text
    assert f"Tax included {euros(sums['tax'] - added)}" in text
    assert f"Total {euros(sums['total'])}" in text


def test_names_in_other_scripts_print_as_the_fonts_can_draw_them(api, shop):
    order = book(api, shop, "Łukasz Dvořák محمد Иван", stay("2026-12-10", 1))
    text, _ = pdf(api, shop, f"/v1/orders/{order}/confirmation.pdf")
    assert "Lukasz Dvorák ???? Иван" in text  # á is in the Latin font as it is


def test_the_confirmation_lists_the_folio_and_its_totals_still_add_up(api, shop):
    """A minibar at 20 % with its tax in the price, a tip with none, a discount: listed after
    the lines, and subtotal plus the added tax is still the total the money answer says."""
    order = book(api, shop, "Folio Guest", stay("2026-12-10", 1))
    confirmed = api.call("POST", f"/v1/orders/{order}/confirm", auth=shop["secret_key"])
    assert confirmed.status_code == 200, confirmed.body
    for body in (
        {"label": "Minibar", "unit_amount": 450, "tax_rate_bp": 2000, "quantity": 2},
        {
            "label": "Service charge",
            "unit_amount": 1000,
            "tax_rate_bp": 1000,
            "tax_inclusive": False,
        },
    ):
        made = api.call("POST", f"/v1/orders/{order}/charges", auth=shop["secret_key"], body=body)
        assert made.status_code == 201, made.body
    gave = api.call(
        "POST",
        f"/v1/orders/{order}/discounts",
        auth=shop["secret_key"],
        body={"amount": 500, "reason": "Loyal", "tax_rate_bp": 2000},
    )
    assert gave.status_code == 201, gave.body
    answer = api.call("GET", f"/v1/orders/{order}", auth=shop["secret_key"]).data
    assert [c["total"] for c in answer["charges"]] == [900, 1100, -500]
    sums = answer["totals"]
    assert sums["total"] == gave.data["total"]
    assert sums["total"] - sums["subtotal"] == 100  # the only tax added to a price: 10 % of 10.00
    text, _ = pdf(api, shop, f"/v1/orders/{order}/confirmation.pdf")

    def euros(cents: int) -> str:
        sign = "-" if cents < 0 else ""
        return f"{sign}EUR {abs(cents) // 100:,}.{abs(cents) % 100:02d}"

    for said in (
        "Extras and discounts",
        f"Minibar × 2 {euros(900)}",
        f"Service charge {euros(1100)}",
        f"Discount {euros(-500)}",
        f"Subtotal {euros(sums['subtotal'])}",
        f"Tax {euros(100)}",
        f"Total {euros(sums['total'])}",
    ):
        assert said in text, (said, text)


@pytest.mark.parametrize(
    ("lang", "called_off", "running"),
    [
        ("en", "Departure 08:00: called off (0 of 200 booked)", "Departure 08:00: 0 of 200"),
        ("zh-Hans", "08:00 班次：已取消（已订 0 / 200）", "08:00 班次：已订 0 / 200"),
    ],
)
def test_a_departure_called_off_prints_as_called_off(api, shop, lang, called_off, running):
    """A tester's sheet of a departure the business called off (a bulk cancellation of its
    session) printed "booked 0 / 30" as if it ran, while its JSON said `on_sale: false`."""
    rider = book(api, shop, "Rider", {"offering_id": "off_tour", "start": "2026-12-10T08:00"})
    body = {
        "action": "cancel",
        "resource_id": "res_wall",
        "session": "2026-12-10T08:00",
        "reason": "Storm warning",
    }
    r = api.call("POST", "/v1/bulk-jobs", auth=shop["secret_key"], body=body)
    assert r.status_code == 202, r.body
    work(api)
    assert job(api, shop, r.data["id"])["done"] == 1, rider
    day = api.call("GET", "/v1/resources/res_wall/day?date=2026-12-10", auth=shop["secret_key"])
    assert [(s["on_sale"], s["called_off"]) for s in day.data["sessions"]] == [(False, True)]
    text, _ = pdf(api, shop, f"/v1/resources/res_wall/day.pdf?date=2026-12-10&lang={lang}")
    assert called_off in text, text
    assert running not in text.replace(called_off, "")
    other_day, _ = pdf(api, shop, f"/v1/resources/res_wall/day.pdf?date=2026-12-11&lang={lang}")
    assert called_off not in other_day  # the next day's departure runs
