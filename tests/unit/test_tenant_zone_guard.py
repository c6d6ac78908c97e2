"""A tenant's change of time zone asks the catalog through tenancy's `TimeZoneGuard` port:
only when the zone really changes, and before anything is written."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.tenancy.services.auth import KeyCache
from chalicelib.tenancy.services.tenants import update_tenant
from tests.builders import Shop, stylist
from tests.fakes import FakePlatform, FakeTimeZoneGuard


def _shop() -> tuple[Shop, FakePlatform]:
    shop = Shop(tz="Europe/Berlin")
    platform = FakePlatform()
    platform.tenants[shop.tenant.id] = shop.tenant
    return shop, platform


def test_the_guard_is_asked_only_when_the_zone_really_changes() -> None:
    shop, platform = _shop()
    guard = FakeTimeZoneGuard()

    update_tenant(
        shop.ctx, platform, key_cache=KeyCache(), zone_guard=guard, timezone="Europe/Berlin"
    )
    shop.tenant = update_tenant(
        shop.ctx, platform, key_cache=KeyCache(), zone_guard=guard, name="Renamed"
    )
    assert guard.asked == []

    moved = update_tenant(
        shop.ctx, platform, key_cache=KeyCache(), zone_guard=guard, timezone="America/New_York"
    )
    assert guard.asked == [("t_shop", "America/New_York")]
    assert moved.timezone == "America/New_York"


def test_a_zone_the_catalog_refuses_leaves_the_tenant_as_it_was() -> None:
    shop, platform = _shop()
    shop.add(replace(stylist("res_guide", "Guide"), slot_minutes=60))
    guard = FakeTimeZoneGuard()

    with pytest.raises(InvalidInput) as refused:
        update_tenant(
            shop.ctx,
            platform,
            key_cache=KeyCache(),
            zone_guard=guard,
            name="Moved",
            timezone="Asia/Kolkata",  # UTC+05:30: off an hourly grid
        )

    assert refused.value.code == "slot_grid_misfits_zone"
    assert refused.value.details["resources"] == ["res_guide"]
    assert platform.tenants["t_shop"] == shop.tenant  # the name neither
