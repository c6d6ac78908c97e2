"""The OCTO mapping as pure functions: products, availability and bookings built from our
catalog and orders, each checked against OCTO's own OpenAPI document (tests/octo_schema.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from chalicelib.booking.domain.orders import BookingStatus, Channel, Customer
from chalicelib.booking.services import orders as order_service
from chalicelib.booking.services.availability import availability
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.channels.domain import octo_availability, octo_bookings, octo_products
from chalicelib.channels.domain.octo_bookings import OctoExtras
from tests import octo_schema
from tests.builders import Shop, day_tour, departure, haircut, room_type, stay_offering, stylist

UUID = "7b0b3d2e-4f0a-4c1e-9a51-2f4b8c9d0e11"


def _problems(schema_name: str, body: object) -> list[str]:
    from openapi_schema_validator import OAS30Validator, oas30_format_checker

    doc = octo_schema.document()
    validator = OAS30Validator(
        octo_schema._rebased({"$ref": f"#/components/schemas/{schema_name}"}),
        registry=octo_schema._registry(),
        format_checker=oas30_format_checker,
    )
    return [e.message for e in validator.iter_errors(body)] if doc else ["no document"]


def _tour_product(pricing: bool) -> dict:
    tour = day_tour()
    price = octo_products.pricing(38000, offering=tour, currency="CNY", commission_bp=1000)
    return octo_products.product(
        "great-wall",
        tour,
        timezone="Asia/Shanghai",
        locale="zh",
        currency="CNY",
        times=["08:00"],
        from_price=price if pricing else None,
    )


@pytest.mark.parametrize("pricing", [True, False])
def test_a_tour_is_a_product_with_one_option_and_an_adult_unit_as_octo_defines_them(pricing):
    product = _tour_product(pricing)
    assert _problems("Product", product) == []
    option = product["options"][0]
    assert option["id"] == "DEFAULT" and [u["type"] for u in option["units"]] == ["ADULT"]
    assert ("pricingPer" in product) is pricing


def test_a_per_person_price_is_the_units_and_the_partner_pays_it_less_its_commission():
    product = _tour_product(pricing=True)
    assert product["pricingPer"] == "UNIT"
    (unit_price,) = product["options"][0]["units"][0]["pricingFrom"]
    assert unit_price["retail"] == 38000 and unit_price["net"] == 34200  # 10 % commission
    assert unit_price["currencyPrecision"] == 2 and product["options"][0]["pricingFrom"] == []


def test_a_per_booking_price_is_the_options_and_tax_added_on_top_is_in_retail():
    cut = haircut()  # 45.00 per booking, 8.25 % tax added
    price = octo_products.pricing(4500, offering=cut, currency="USD", commission_bp=0)
    assert price["retail"] == 4871 and price["includedTaxes"][0]["retail"] == 371
    product = octo_products.product(
        "off_cut",
        cut,
        timezone="America/New_York",
        locale="en",
        currency="USD",
        times=["09:00"],
        from_price=price,
    )
    assert product["pricingPer"] == "BOOKING" and product["options"][0]["pricingFrom"] == [price]
    assert _problems("Product", product) == []


def test_rooms_are_no_octo_products_and_mapped_products_keep_the_partners_ids():
    offerings = {o.id: o for o in (day_tour(), haircut(), stay_offering())}
    assert [pid for pid, _ in octo_products.products_of([], offerings)] == ["off_tour", "off_cut"]
    mapped = octo_products.products_of([("wall", "off_tour"), ("room", "off_stay")], offerings)
    assert [(pid, o.id) for pid, o in mapped] == [("wall", "off_tour")]
    assert octo_products.product_id_for([("wall", "off_tour")], "off_tour") == "wall"
    assert octo_products.product_id_for([], "off_cut") == "off_cut"


def test_only_supported_capabilities_are_applied():
    assert octo_products.applied_capabilities("octo/pricing, octo/content") == ("octo/pricing",)
    assert octo_products.applied_capabilities(None) == ()


def test_the_cancellation_cutoff_is_the_least_notice_refunded_in_full():
    assert octo_products.cancellation_cutoff_hours(day_tour()) == 72
    assert octo_products.cancellation_cutoff_hours(haircut()) == 0


def _tour_shop(tz: str = "Asia/Shanghai") -> Shop:
    return Shop(tz=tz, currency="CNY").add(departure(seats=3), day_tour())


def test_each_listed_start_is_an_availability_whose_id_is_its_local_start():
    shop = _tour_shop()
    offering, placements = availability(
        shop.ctx,
        shop.cache,
        offering_id="off_tour",
        first=date(2026, 12, 24),
        last_exclusive=date(2026, 12, 25),
        party=1,
    )
    price = lambda day, party: octo_products.pricing(  # noqa: E731
        38000 * party, offering=offering, currency="CNY", commission_bp=0
    )
    (entry,) = [
        octo_availability.availability(p, tz="Asia/Shanghai", party=2, price=price)
        for p in placements
    ]
    assert entry["id"] == "2026-12-24T08:00:00+08:00" and entry["vacancies"] == 3
    assert entry["utcCutoffAt"] == "2026-12-24T00:00:00Z" and entry["maxUnits"] == 3
    assert entry["pricing"]["retail"] == 76000
    assert _problems("Availability", entry) == []
    assert octo_availability.parse_availability_id(entry["id"], "Asia/Shanghai") == datetime(
        2026, 12, 24, 8, 0
    )


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-24T08:00:00",
        "tomorrow",
        "2026-12-24T08:00:30+08:00",
        # Outside 2000 to 2999, the days any request may name (no overflow near year 9999).
        "9999-12-31T07:30:00+08:00",
        "0001-01-01T00:00:00+08:00",
        # The wall clock with another offset is another instant: never the 08:00+08:00 start.
        "2026-12-24T08:00:00Z",
        "2026-12-24T08:00:00-11:00",
        "2026-12-24T08:00:00+08:30",
        "2026-12-24T08:00:00+14:00",
        # The right instant written in UTC: ids are canonical (local start, zone's offset).
        "2026-12-24T00:00:00Z",
    ],
)
def test_an_availability_id_without_the_zones_offset_or_not_on_a_minute_names_nothing(text):
    assert octo_availability.parse_availability_id(text, "Asia/Shanghai") is None


def test_an_availability_id_takes_the_offset_the_zone_has_that_day_across_dst():
    berlin = "Europe/Berlin"
    parse = octo_availability.parse_availability_id
    assert parse("2026-07-01T09:00:00+02:00", berlin) == datetime(2026, 7, 1, 9, 0)
    assert parse("2026-07-01T09:00:00+01:00", berlin) is None  # winter's offset in summer
    assert parse("2026-12-01T09:00:00+01:00", berlin) == datetime(2026, 12, 1, 9, 0)
    assert parse("2026-12-01T09:00:00+02:00", berlin) is None
    assert parse("2026-03-29T02:30:00+01:00", berlin) is None  # the spring gap: no such time
    # The repeated autumn hour: the engine books its first 02:30 (CEST), so only that id is one.
    assert parse("2026-10-25T02:30:00+02:00", berlin) == datetime(2026, 10, 25, 2, 30)
    assert parse("2026-10-25T02:30:00+01:00", berlin) is None


def test_across_the_autumn_change_an_id_carries_the_offset_of_its_own_side():
    start = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, before the clocks go back
    later = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET, after
    assert octo_availability.availability_id(start, "Europe/Berlin") == "2026-10-25T02:30:00+02:00"
    assert octo_availability.availability_id(later, "Europe/Berlin") == "2026-10-25T02:30:00+01:00"


def test_the_calendar_says_available_sold_out_or_closed_per_day():
    shop = _tour_shop()
    _, placements = availability(
        shop.ctx,
        shop.cache,
        offering_id="off_tour",
        first=date(2026, 12, 24),
        last_exclusive=date(2026, 12, 26),
        party=1,
    )
    days = [date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 27)]
    tour = placements[0].request.offering
    open_ = octo_availability.availability(placements[0], tz="Asia/Shanghai", party=1, price=None)
    no_fit = {**open_, "available": False}  # room left, not for the party asked
    start, end = placements[0].start, placements[0].end
    full = octo_availability.unsellable(tour, start, end, "Asia/Shanghai", None, 1)
    past = octo_availability.unsellable(tour, start, end, "Asia/Shanghai", None, 1, status="CLOSED")
    starts = [(days[0], open_), (days[1], full), (days[2], past), (days[3], no_fit)]
    out = octo_availability.calendar(starts, days, price=None)
    assert [d["status"] for d in out] == ["AVAILABLE", "SOLD_OUT", "CLOSED", "AVAILABLE"]
    assert [d["available"] for d in out] == [True, False, False, False]
    assert [d["vacancies"] for d in out] == [3, 0, 0, 3]
    for day in out:
        assert _problems("AvailabilityCalendar", day) == []


GUEST = Customer(name="Ada Lovelace", email="ada@example.com")


def _held(shop: Shop, party: int = 2):
    return hold_order(
        shop.ctx,
        shop.cache,
        HoldInput(
            GUEST,
            [LineInput("off_tour", party=party, start=datetime(2026, 12, 24, 8))],
            Channel.API,
        ),
        order_id="ord_1",
    )


def _booking(order, extras=None, pricing=None):
    return octo_bookings.booking(
        order,
        extras or OctoExtras(uuid=UUID, reseller_reference="R-1"),
        product_id="off_tour",
        tz="Asia/Shanghai",
        now=datetime(2026, 11, 24, 9, tzinfo=UTC),
        pricing=pricing,
        unit_pricing=pricing,
    )


def test_a_hold_is_an_on_hold_booking_with_one_unit_item_per_person():
    shop = _tour_shop()
    order = _held(shop)
    body = _booking(order)
    assert _problems("Booking", body) == []
    assert body["status"] == "ON_HOLD" and body["utcExpiresAt"] is not None
    assert body["availabilityId"] == "2026-12-24T08:00:00+08:00"
    assert len(body["unitItems"]) == 2 and body["supplierReference"] == "ord_1"
    uuids = {item["uuid"] for item in body["unitItems"]}
    assert len(uuids) == 2 and uuids == {item["uuid"] for item in _booking(order)["unitItems"]}


def test_unit_items_keep_the_uuids_the_reseller_gave_them():
    order = _held(_tour_shop())
    given = "11111111-2222-4333-8444-555555555555"
    body = _booking(order, OctoExtras(uuid=UUID, unit_uuids=(given, "")))
    assert body["unitItems"][0]["uuid"] == given and body["unitItems"][1]["uuid"] != ""


@pytest.mark.parametrize(
    ("status", "octo"),
    [
        (BookingStatus.HELD, "ON_HOLD"),
        (BookingStatus.CONFIRMED, "CONFIRMED"),
        (BookingStatus.CHECKED_IN, "REDEEMED"),
        (BookingStatus.COMPLETED, "REDEEMED"),
        (BookingStatus.NO_SHOW, "CONFIRMED"),
        (BookingStatus.CANCELLED, "CANCELLED"),
        (BookingStatus.EXPIRED, "EXPIRED"),
    ],
)
def test_every_order_status_has_its_octo_status(status, octo):
    assert octo_bookings.octo_status(status) == octo


def test_a_cancelled_booking_says_when_why_and_what_is_refunded():
    shop = _tour_shop()
    order = _held(shop)
    cancelled = order_service.cancel(shop.ctx, shop.cache, order.id, reason="Plans changed")
    body = _booking(cancelled)
    assert _problems("Booking", body) == []
    assert body["status"] == "CANCELLED" and body["cancellation"]["refund"] == "FULL"
    assert body["cancellation"]["reason"] == "Plans changed" and body["utcExpiresAt"] is None
    assert body["cancellable"] is False


def test_a_confirmed_booking_says_when_it_was_confirmed():
    shop = _tour_shop()
    order = order_service.confirm(shop.ctx, _held(shop).id)
    body = _booking(order)
    assert body["status"] == "CONFIRMED" and body["utcConfirmedAt"] == "2026-11-24T09:00:00Z"
    assert _problems("Booking", body) == []


def test_a_reservation_without_a_contact_shows_no_e_mail_address():
    shop = _tour_shop()
    anonymous = Customer(name="Booking R-1", email=f"{UUID}@{octo_bookings.NO_CONTACT_DOMAIN}")
    order = hold_order(
        shop.ctx,
        shop.cache,
        HoldInput(anonymous, [LineInput("off_tour", start=datetime(2026, 12, 24, 8))], Channel.API),
        order_id="ord_2",
    )
    assert _booking(order)["contact"]["emailAddress"] is None


def test_the_rewrite_lets_null_stand_where_octo_means_a_nullable_object():
    assert _problems("Booking", {**_booking(_held(_tour_shop())), "cancellation": None}) == []
    assert _problems("Booking", {**_booking(_held(_tour_shop())), "cancellation": 3}) != []
    assert octo_schema.nullable_all_of({"allOf": [{"$ref": "#/x"}], "nullable": True}) == {
        "anyOf": [{"allOf": [{"$ref": "#/x"}]}, {"enum": [None]}]
    }


def test_rooms_and_salon_staff_alone_make_no_products():
    shop = Shop().add(room_type(), stay_offering(), stylist("res_a", "Alex"))
    assert octo_products.products_of([], shop.cache.get("t", shop.data.catalog).offerings) == []
