"""Catalog builders for tests: a hotel, a salon and a tour operator, in a few lines each."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.catalog.domain.catalog import (
    CancellationPolicy,
    DepositKind,
    DepositPolicy,
    Offering,
    PriceBasis,
    Pricing,
    RefundTier,
    Requirement,
    Resource,
    ResourceKind,
    Selector,
    UnitsPer,
)
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.domain.audit import Actor
from chalicelib.kernel.domain.tenant import BusinessType, new_tenant
from chalicelib.kernel.services.context import TenantContext
from tests.fakes import FakeClock, FakeTenantDataFactory, FakeTenantTables, SequentialIds

NINE_TO_FIVE = ((9 * 60, 17 * 60),)
WEEKDAYS_NINE_TO_FIVE = (NINE_TO_FIVE,) * 5 + ((), ())
EVERY_DAY_NINE_TO_FIVE = (NINE_TO_FIVE,) * 7


def room_type(rid: str = "res_double", rooms: int = 10, **kw) -> Resource:
    return Resource(
        id=rid, name=kw.pop("name", "Double room"), kind=ResourceKind.NIGHTLY, capacity=rooms, **kw
    )


def stylist(rid: str, name: str, *, hours=EVERY_DAY_NINE_TO_FIVE, skills=("cut",), **kw):
    return Resource(
        id=rid,
        name=name,
        kind=ResourceKind.TIMED,
        capacity=1,
        skills=frozenset(skills),
        hours=hours,
        slot_minutes=15,
        **kw,
    )


def departure(rid: str = "res_wall", seats: int = 20, times=(8 * 60,), minutes=480, **kw):
    return Resource(
        id=rid,
        name=kw.pop("name", "Great Wall day tour"),
        kind=ResourceKind.SESSION,
        capacity=seats,
        session_times=(times,) * 7,
        session_minutes=minutes,
        **kw,
    )


def stay_offering(resource_id: str = "res_double", amount: int = 12000, **kw) -> Offering:
    return Offering(
        id=kw.pop("oid", "off_stay"),
        name="Double room stay",
        kind=ResourceKind.NIGHTLY,
        requirements=(Requirement(Selector(resource_id=resource_id)),),
        pricing=Pricing(amount=amount, basis=PriceBasis.NIGHT, tax_bp=700),
        **kw,
    )


def haircut(**kw) -> Offering:
    return Offering(
        id=kw.pop("oid", "off_cut"),
        name="Haircut",
        kind=ResourceKind.TIMED,
        requirements=(Requirement(Selector(skill="cut")),),
        pricing=Pricing(amount=4500, basis=PriceBasis.BOOKING, tax_bp=825, tax_inclusive=False),
        duration_minutes=kw.pop("duration_minutes", 45),
        buffer_after=kw.pop("buffer_after", 15),
        interval_minutes=15,
        **kw,
    )


def day_tour(session_id: str = "res_wall", **kw) -> Offering:
    return Offering(
        id=kw.pop("oid", "off_tour"),
        name="Great Wall day tour",
        kind=ResourceKind.SESSION,
        requirements=(Requirement(Selector(resource_id=session_id), units=1, per=UnitsPer.PERSON),),
        pricing=Pricing(amount=38000, basis=PriceBasis.PERSON),
        deposit=DepositPolicy(DepositKind.PERCENT, 3000),
        cancellation=CancellationPolicy(
            (RefundTier(0, 0), RefundTier(24, 5000), RefundTier(72, 10000))
        ),
        **kw,
    )


class Shop:
    """A tenant context over the fakes, with a clock the test moves."""

    def __init__(
        self,
        tz: str = "Europe/Berlin",
        now: str = "2026-11-24T09:00:00.000000Z",
        currency: str = "EUR",
        hold_minutes: int = 15,
    ) -> None:
        self.clock = FakeClock(now)
        self.ids = SequentialIds("id")
        tables = FakeTenantTables()
        self.factory = FakeTenantDataFactory(tables)
        self.tenant = new_tenant(
            tenant_id="t_shop",
            slug="shop",
            name="Shop",
            owner_email="o@shop.example",
            timezone=tz,
            currency=currency,
            locale="en",
            business_type=BusinessType.HOTEL,
            table_name="reservoir-tenant-t_shop",
            now=now,
            hold_minutes=hold_minutes,
        ).activated()
        tables.ensure_table(self.tenant.table_name, {})
        self.cache = CatalogCache(ttl=0)
        self.actor = Actor(kind="secret_key", id="k1", tenant_id=self.tenant.id)

    @property
    def ctx(self) -> TenantContext:
        return TenantContext(
            tenant=self.tenant,
            actor=self.actor,
            data_factory=self.factory,
            now=self.clock,
            new_id=self.ids,
        )

    @property
    def data(self):
        return self.factory.for_tenant(self.tenant)

    def add(self, *things) -> Shop:
        for thing in things:
            if isinstance(thing, Resource):
                self.data.catalog.put_resource(thing, expected_rev=None)
            else:
                self.data.catalog.put_offering(thing, expected_rev=None)
        return self

    def replace_resource(self, resource: Resource, **changes) -> Resource:
        new = replace(resource, **changes, rev=resource.rev + 1)
        self.data.catalog.put_resource(new, expected_rev=resource.rev)
        return new


def timed_booking(who: str, offering: str, start: str, staff: str) -> dict:
    """An `OrderIn` body: `who`@example.com books `offering` at the local `start`, served by
    `staff` (the first requirement's resource)."""
    return {
        "customer": {"name": who.title(), "email": f"{who}@example.com"},
        "lines": [{"offering_id": offering, "start": start, "resource_ids": {"0": staff}}],
    }
