"""Catalog use cases over the fakes: creating and changing resources and offerings, and the
rule that a change of capacity or schedule never leaves sold units without room."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from chalicelib.booking.domain.orders import (
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
)
from chalicelib.booking.domain.resource_entries import resource_entries
from chalicelib.booking.services.transaction_items import (
    BucketTake,
    OrderPut,
    ResourceEntryPut,
    RevisionCheck,
)
from chalicelib.catalog.domain.capacity import violations
from chalicelib.catalog.domain.catalog import (
    DateOverride,
    Requirement,
    Resource,
    ResourceKind,
    Selector,
    UnitsPer,
)
from chalicelib.catalog.domain.inventory import BucketRef, Take, split_shard
from chalicelib.catalog.services import offerings, resources
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.calendar import iso_utc, parse_iso_utc
from chalicelib.kernel.domain.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from tests.builders import Shop, day_tour, departure, haircut, room_type, stay_offering, stylist

H = 60
NOW = "2026-11-24T09:00:00.000000Z"  # 10:00 in Berlin


@pytest.fixture
def shop() -> Shop:
    return Shop(tz="Europe/Berlin", now=NOW)


def create(shop: Shop, resource: Resource) -> Resource:
    return resources.create_resource(shop.ctx, shop.cache, resource)


def book(
    shop: Shop,
    oid: str,
    resource: Resource,
    keys: list[str],
    *,
    local_date: str,
    units: int = 1,
    status: BookingStatus = BookingStatus.CONFIRMED,
) -> Order:
    """An order holding `units` of each bucket, committed as the booking engine commits it
    (a cancelled one takes nothing, though its line still names the buckets, and its line's
    entry stays in the resource's index)."""
    takes = tuple(Take(BucketRef(resource.id, k), units, 10_000) for k in keys)
    line = Line(
        offering_id="off_x",
        offering_name="X",
        start=f"{local_date}T10:00Z",
        end=line_end(keys, local_date),
        local_start=f"{local_date}T11:00+01:00",
        local_date=local_date,
        party=1,
        quantity=1,
        allocations=(Allocation(0, resource.id, resource.name, takes),),
        price_items=(),
        subtotal=0,
        tax=0,
        total=0,
        deposit=0,
    )
    order = Order(
        id=oid,
        status=status,
        payment_status=PaymentStatus.UNPAID,
        customer=Customer("Ada", "ada@example.test"),
        channel=Channel.API,
        currency="EUR",
        lines=(line,),
        created_at=NOW,
        updated_at=NOW,
        hold_expires_at=None,
    )
    live = status in (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)
    shop.data.transactions.write(
        [OrderPut(order, None)]
        + [BucketTake(take) for take in (takes if live else [])]
        + [ResourceEntryPut(e) for e in resource_entries(order)]
        + [RevisionCheck(resource.id, resource.rev)]
    )
    return order


def line_end(keys: list[str], local_date: str) -> str:
    """After the line's last bucket: a stay's check-out morning, an hour after a slot."""
    nights = sorted(k[2:] for k in keys if k.startswith("N#"))
    if nights:
        return f"{date.fromisoformat(nights[-1]) + timedelta(days=1)}T10:00Z"
    instants = [parse_iso_utc(split_shard(k)[0][2:]) for k in keys]
    return iso_utc(max(instants) + timedelta(hours=1)) if instants else f"{local_date}T11:00Z"


def actions(shop: Shop) -> list[str]:
    return [e.action for _, e in sorted(shop.data.audit.entries.items())]


# -- creating --------------------------------------------------------------------------------


def test_a_new_resource_gets_an_id_revision_one_and_an_audit_entry(shop):
    r = create(shop, room_type("ignored", rooms=5))
    assert r.id.startswith("res_") and r.rev == 1 and r.active
    assert shop.data.catalog.get_resource(r.id) == r
    assert actions(shop) == ["resource.created"]


def test_every_write_drops_the_cached_snapshot(shop):
    shop.cache = CatalogCache(ttl=3600)
    assert shop.cache.get(shop.tenant.id, shop.data.catalog).resources == {}
    r = create(shop, room_type(rooms=5))
    assert r.id in shop.cache.get(shop.tenant.id, shop.data.catalog).resources
    resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, capacity=4), 1)
    assert shop.cache.get(shop.tenant.id, shop.data.catalog).resources[r.id].capacity == 4


@pytest.mark.parametrize(
    ("tz", "slot", "fits"),
    [
        ("Europe/Berlin", 60, True),
        ("Asia/Kolkata", 30, True),
        ("Asia/Kolkata", 60, False),
        ("Asia/Kathmandu", 15, True),
        ("Asia/Kathmandu", 30, False),
    ],
)
def test_a_slot_grid_must_fall_on_the_zones_wall_clock(tz, slot, fits):
    shop = Shop(tz=tz, now=NOW)
    resource = replace(stylist("x", "Anna", hours=((),) * 7), slot_minutes=slot)
    if fits:
        assert create(shop, resource).slot_minutes == slot
    else:
        with pytest.raises(InvalidInput) as refused:
            create(shop, resource)
        assert refused.value.code == "slot_grid_misfits_zone"
        assert shop.data.catalog.list_resources() == []


def test_hours_must_start_and_end_on_the_slot_grid(shop):
    with pytest.raises(InvalidInput) as refused:
        create(shop, stylist("x", "Anna", hours=(((9 * H + 5, 17 * H),),) * 7))
    assert refused.value.code == "hours_off_grid"


def test_domain_rules_refuse_a_bad_definition_and_nothing_is_written(shop):
    with pytest.raises(InvalidInput) as refused:
        create(shop, stylist("x", "Anna", hours=(((17 * H, 9 * H),),) * 7))
    assert refused.value.code == "invalid_hours"
    assert shop.data.catalog.list_resources() == [] and actions(shop) == []


# -- changing capacity -----------------------------------------------------------------------


def test_lowering_capacity_with_nothing_sold_bumps_the_revision(shop):
    r = create(shop, room_type(rooms=5))
    changed = resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, capacity=2), 1)
    assert changed.capacity == 2 and changed.rev == 2
    assert shop.data.catalog.get_resource(r.id) == changed
    assert actions(shop)[-1] == "resource.updated"


def test_a_stale_revision_is_refused_and_nothing_is_written(shop):
    r = create(shop, room_type(rooms=5))
    resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, capacity=4), 1)
    with pytest.raises(PreconditionFailed) as refused:
        resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, capacity=3), 1)
    assert refused.value.code == "version_mismatch"
    assert refused.value.details["current_rev"] == 2
    assert shop.data.catalog.get_resource(r.id).capacity == 4


def test_lowering_capacity_below_what_is_sold_names_the_orders(shop):
    r = create(shop, room_type(rooms=3))
    book(shop, "ord_a", r, ["N#2026-12-24", "N#2026-12-25"], local_date="2026-12-24")
    book(shop, "ord_b", r, ["N#2026-12-24"], local_date="2026-12-24")
    book(shop, "ord_c", r, ["N#2026-12-20"], local_date="2026-12-20")
    book(shop, "ord_gone", r, ["N#2026-12-24"], local_date="2026-12-24", status="cancelled")
    with pytest.raises(Conflict) as refused:
        resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, capacity=1), 1)
    error = refused.value
    assert error.code == "capacity_below_sold"
    assert error.details["buckets"] == ["N#2026-12-24"]
    assert error.details["orders"] == ["ord_a", "ord_b"]
    assert shop.data.catalog.get_resource(r.id) == r  # nothing written
    assert actions(shop) == ["resource.created"]


def test_a_stay_that_began_weeks_earlier_is_named_for_the_night_it_covers(shop):
    r = create(shop, room_type(rooms=1))
    nights = [f"N#2026-12-{d:02d}" for d in range(1, 29)]
    book(shop, "ord_long", r, nights, local_date="2026-12-01")
    closed = DateOverride(closed=True)
    with pytest.raises(Conflict) as refused:
        resources.set_override(shop.ctx, shop.cache, r.id, date(2026, 12, 28), closed, 1)
    assert refused.value.details["orders"] == ["ord_long"]


def test_cutting_the_hours_of_a_booked_afternoon_is_refused(shop):
    anna = create(shop, stylist("x", "Anna"))
    # 2026-12-01 15:00 Berlin = 14:00Z.
    book(
        shop,
        "ord_cut",
        anna,
        ["S#2026-12-01T14:00Z", "S#2026-12-01T14:15Z"],
        local_date="2026-12-01",
    )
    mornings = replace(anna, hours=(((9 * H, 13 * H),),) * 7)
    with pytest.raises(Conflict) as refused:
        resources.update_resource(shop.ctx, shop.cache, anna.id, mornings, 1)
    assert refused.value.details["orders"] == ["ord_cut"]
    assert refused.value.details["buckets"] == ["S#2026-12-01T14:00Z", "S#2026-12-01T14:15Z"]


def test_moving_a_departure_with_passengers_is_refused(shop):
    tour = create(shop, departure(times=(8 * H,), minutes=60))
    book(shop, "ord_t", tour, ["X#2026-12-05T07:00Z"], local_date="2026-12-05", units=3)
    later = replace(tour, session_times=((9 * H,),) * 7)
    with pytest.raises(Conflict) as refused:
        resources.update_resource(shop.ctx, shop.cache, tour.id, later, 1)
    assert refused.value.details["orders"] == ["ord_t"]


def test_kind_and_slot_grid_cannot_change(shop):
    anna = create(shop, stylist("x", "Anna"))
    for change in ({"slot_minutes": 30}, {"kind": ResourceKind.SESSION}):
        with pytest.raises(InvalidInput) as refused:
            resources.update_resource(shop.ctx, shop.cache, anna.id, replace(anna, **change), 1)
        assert refused.value.code == "immutable_field"


# -- deactivating ----------------------------------------------------------------------------


def test_a_resource_with_future_bookings_cannot_be_deactivated(shop):
    r = create(shop, room_type(rooms=3))
    book(shop, "ord_f", r, ["N#2027-01-10"], local_date="2027-01-10")
    with pytest.raises(Conflict) as refused:
        resources.deactivate_resource(shop.ctx, shop.cache, r.id, 1)
    assert refused.value.details["orders"] == ["ord_f"]
    assert shop.data.catalog.get_resource(r.id).active


def test_past_bookings_and_slots_already_over_do_not_stop_a_deactivation(shop):
    anna = create(shop, stylist("x", "Anna"))
    book(shop, "ord_old", anna, ["S#2026-11-20T09:00Z"], local_date="2026-11-20")
    book(shop, "ord_morning", anna, ["S#2026-11-24T08:00Z"], local_date="2026-11-24")  # 09:00
    gone = resources.deactivate_resource(shop.ctx, shop.cache, anna.id, 1)
    assert not gone.active and gone.rev == 2
    assert actions(shop)[-1] == "resource.deactivated"
    assert resources.deactivate_resource(shop.ctx, shop.cache, anna.id, 2) == gone  # once is enough


# -- overrides -------------------------------------------------------------------------------


def test_an_override_on_a_free_date_is_set_and_cleared_through_the_same_check(shop):
    r = create(shop, room_type(rooms=3))
    day = date(2026, 12, 31)
    with_override = resources.set_override(
        shop.ctx, shop.cache, r.id, day, DateOverride(capacity=1), 1
    )
    assert with_override.rev == 2 and with_override.capacity_on(day) == 1
    cleared = resources.clear_override(shop.ctx, shop.cache, r.id, day, 2)
    assert cleared.rev == 3 and cleared.overrides == {}
    assert actions(shop)[-2:] == ["resource.override_set", "resource.override_cleared"]
    with pytest.raises(NotFound):
        resources.clear_override(shop.ctx, shop.cache, r.id, day, 3)


def test_closing_a_sold_date_by_override_is_refused(shop):
    r = create(shop, room_type(rooms=3))
    book(shop, "ord_x", r, ["N#2026-12-31"], local_date="2026-12-31")
    with pytest.raises(Conflict):
        resources.set_override(
            shop.ctx, shop.cache, r.id, date(2026, 12, 31), DateOverride(True), 1
        )


def test_an_override_for_a_past_date_is_refused(shop):
    r = create(shop, room_type(rooms=3))
    with pytest.raises(InvalidInput) as refused:
        resources.set_override(
            shop.ctx, shop.cache, r.id, date(2026, 11, 23), DateOverride(True), 1
        )
    assert refused.value.code == "date_in_past"


# -- the race between the check and the write ------------------------------------------------


class Recording:
    """Wraps the catalog store: records every resource write and can run something just
    before one (a booking that commits in between)."""

    def __init__(self, store, before_put=None) -> None:
        self.store, self.before_put, self.writes = store, before_put, []

    def __getattr__(self, name):
        return getattr(self.store, name)

    def put_resource(self, resource, *, expected_rev, replicas=1):
        if self.before_put is not None:
            hook, self.before_put = self.before_put, None
            hook()
        self.store.put_resource(resource, expected_rev=expected_rev, replicas=replicas)
        self.writes.append(resource)


def wrap(shop: Shop, monkeypatch, before_put=None) -> Recording:
    data = shop.data
    recording = Recording(data.catalog, before_put)
    monkeypatch.setattr(type(data), "catalog", property(lambda self: recording))
    return recording


def test_a_booking_that_commits_between_check_and_write_makes_the_change_go_back(shop, monkeypatch):
    r = create(shop, room_type(rooms=2))
    book(shop, "ord_1", r, ["N#2026-12-24"], local_date="2026-12-24")
    # The pre-check sees one room sold on the 24th: lowering to one room looks fine. Then,
    # before the new definition lands, a second booking commits on the old revision.
    late = lambda: book(shop, "ord_2", r, ["N#2026-12-24"], local_date="2026-12-24")  # noqa: E731
    recording = wrap(shop, monkeypatch, late)
    with pytest.raises(Conflict) as refused:
        resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, capacity=1), 1)
    assert refused.value.details["orders"] == ["ord_1", "ord_2"]
    assert [(w.capacity, w.rev) for w in recording.writes] == [(1, 2), (2, 3)]
    restored = shop.data.catalog.get_resource(r.id)
    assert replace(restored, rev=1) == r and restored.rev == 3
    assert violations(restored, shop.data.orders.used(r.id, "N#", "N#9999"), "Europe/Berlin") == []
    assert actions(shop)[-1] == "resource.change_reverted"


def test_a_mixed_change_is_written_as_the_meet_first_then_as_asked(shop, monkeypatch):
    anna = create(shop, stylist("x", "Anna"))  # 09:00-17:00
    later = replace(anna, hours=(((12 * H, 20 * H),),) * 7)
    recording = wrap(shop, monkeypatch)
    final = resources.update_resource(shop.ctx, shop.cache, anna.id, later, 1)
    meet, written = recording.writes
    assert meet.rev == 2 and meet.hours_on(date(2026, 12, 1)) == ((12 * H, 17 * H),)
    assert written == final and final.rev == 3
    assert replace(final, rev=1) == later


def test_a_pure_lowering_or_a_pure_widening_is_one_write(shop, monkeypatch):
    r = create(shop, room_type(rooms=5))
    recording = wrap(shop, monkeypatch)
    resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, capacity=3), 1)
    resources.update_resource(shop.ctx, shop.cache, r.id, replace(r, capacity=9), 2)
    assert [(w.rev, w.capacity) for w in recording.writes] == [(2, 3), (3, 9)]


# -- offerings -------------------------------------------------------------------------------


def test_an_offering_on_this_tenants_resource_is_created(shop):
    r = create(shop, room_type(rooms=5))
    o = offerings.create_offering(shop.ctx, shop.cache, stay_offering(r.id))
    assert o.id.startswith("off_") and o.rev == 1
    assert shop.data.catalog.get_offering(o.id) == o
    assert actions(shop)[-1] == "offering.created"


def test_an_unknown_or_foreign_resource_id_is_unknown_alike(shop):
    other = Shop(tz="Europe/Berlin", now=NOW)
    theirs = create(other, room_type(rooms=5))
    for rid in (theirs.id, "res_nope"):
        with pytest.raises(InvalidInput) as refused:
            offerings.create_offering(shop.ctx, shop.cache, stay_offering(rid))
        assert refused.value.code == "unknown_resource"
        assert refused.value.details["field"] == "requirements.0.resource_id"
    assert shop.data.catalog.list_offerings() == []


def test_a_requirement_needs_a_resource_of_the_offerings_kind(shop):
    anna = create(shop, stylist("x", "Anna"))
    with pytest.raises(InvalidInput) as refused:
        offerings.create_offering(shop.ctx, shop.cache, stay_offering(anna.id))
    assert refused.value.code == "resource_kind_mismatch"


def test_a_skill_nobody_active_has_is_refused(shop):
    anna = create(shop, stylist("x", "Anna", skills=("colour",)))
    with pytest.raises(InvalidInput) as refused:
        offerings.create_offering(shop.ctx, shop.cache, haircut())
    assert refused.value.code == "no_matching_resource"
    bob = create(shop, stylist("x", "Bob", skills=("cut",)))
    resources.deactivate_resource(shop.ctx, shop.cache, bob.id, 1)
    with pytest.raises(InvalidInput):
        offerings.create_offering(shop.ctx, shop.cache, haircut())
    resources.update_resource(shop.ctx, shop.cache, anna.id, replace(anna, skills={"cut"}), 1)
    assert offerings.create_offering(shop.ctx, shop.cache, haircut()).kind is ResourceKind.TIMED


def test_a_session_offering_takes_a_session_first_and_timed_resources_after(shop):
    wall = create(shop, departure())
    guide = create(shop, stylist("x", "Li", skills=("guide",), hours=(((0, 24 * H),),) * 7))
    tour = day_tour(wall.id)
    tour = replace(tour, requirements=(*tour.requirements, Requirement(Selector(skill="guide"))))
    assert offerings.create_offering(shop.ctx, shop.cache, tour).requirements[1].selector.skill
    backwards = replace(
        tour,
        requirements=(
            Requirement(Selector(resource_id=guide.id)),
            Requirement(Selector(resource_id=wall.id), per=UnitsPer.PERSON),
        ),
    )
    with pytest.raises(InvalidInput) as refused:
        offerings.create_offering(shop.ctx, shop.cache, backwards)
    assert refused.value.code == "resource_kind_mismatch"


def test_offerings_change_by_revision_and_deactivate_once(shop):
    r = create(shop, room_type(rooms=5))
    o = offerings.create_offering(shop.ctx, shop.cache, stay_offering(r.id))
    dearer = replace(o, pricing=replace(o.pricing, amount=15000))
    changed = offerings.update_offering(shop.ctx, shop.cache, o.id, dearer, 1)
    assert changed.rev == 2 and changed.pricing.amount == 15000
    with pytest.raises(PreconditionFailed):
        offerings.update_offering(shop.ctx, shop.cache, o.id, dearer, 1)
    gone = offerings.deactivate_offering(shop.ctx, shop.cache, o.id, 2)
    assert not gone.active and gone.rev == 3
    assert offerings.deactivate_offering(shop.ctx, shop.cache, o.id, 3) == gone
    assert actions(shop)[-2:] == ["offering.updated", "offering.deactivated"]


def test_unknown_ids_are_not_found(shop):
    with pytest.raises(NotFound):
        resources.get_resource(shop.ctx, "res_nope")
    with pytest.raises(NotFound):
        offerings.get_offering(shop.ctx, "off_nope")
    with pytest.raises(NotFound):
        resources.update_resource(shop.ctx, shop.cache, "res_nope", room_type(), 1)
