"""API keys are remembered briefly per container, and forgotten at once where they change."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.errors import Unauthenticated
from chalicelib.tenancy.domain.keys import KeyKind, generate_key
from chalicelib.tenancy.domain.staff import Role
from chalicelib.tenancy.services.auth import KeyCache, authenticate_key
from tests.builders import Shop
from tests.fakes import FakePlatform

NOW = "2026-11-24T09:00:00.000000Z"


class CountingPlatform(FakePlatform):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get_key(self, key_id):
        self.reads += 1
        return super().get_key(key_id)

    def get_tenant(self, tenant_id):
        self.reads += 1
        return super().get_tenant(tenant_id)


@pytest.fixture
def setup():
    clock = {"t": 0.0}
    platform = CountingPlatform()
    tenant = Shop().tenant
    platform.tenants[tenant.id] = tenant
    key, plaintext = generate_key(
        tenant_id=tenant.id,
        kind=KeyKind.SECRET,
        name="k",
        now=NOW,
        created_by="test",
        role=Role.OWNER,
    )
    platform.keys[key.id] = key
    cache = KeyCache(ttl=5.0, clock=lambda: clock["t"])
    return platform, cache, key, plaintext, clock


def test_a_warm_key_costs_no_platform_read_until_the_ttl_passes(setup):
    platform, cache, key, plaintext, clock = setup
    authenticate_key(plaintext, platform=platform, now=NOW, cache=cache)
    assert platform.reads == 2
    authenticate_key(plaintext, platform=platform, now=NOW, cache=cache)
    assert platform.reads == 2
    clock["t"] = 5.0
    authenticate_key(plaintext, platform=platform, now=NOW, cache=cache)
    assert platform.reads == 4


def test_a_cached_key_still_needs_the_right_secret(setup):
    platform, cache, key, plaintext, _ = setup
    authenticate_key(plaintext, platform=platform, now=NOW, cache=cache)
    forged = plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")
    with pytest.raises(Unauthenticated):
        authenticate_key(forged, platform=platform, now=NOW, cache=cache)


def test_a_revoked_key_is_refused_at_once_once_forgotten(setup):
    platform, cache, key, plaintext, _ = setup
    authenticate_key(plaintext, platform=platform, now=NOW, cache=cache)
    platform.keys[key.id] = key.revoked(NOW)
    cache.forget_key(key.id)
    with pytest.raises(Unauthenticated):
        authenticate_key(plaintext, platform=platform, now=NOW, cache=cache)


def test_a_key_past_its_rotation_grace_is_refused_even_when_cached(setup):
    platform, cache, key, plaintext, _ = setup
    retired = key.retired(now=NOW, expires_at="2026-11-24T09:10:00.000000Z", replaced_by="x")
    platform.keys[key.id] = retired
    authenticate_key(plaintext, platform=platform, now=NOW, cache=cache)
    with pytest.raises(Unauthenticated):
        authenticate_key(
            plaintext, platform=platform, now="2026-11-24T09:10:00.000001Z", cache=cache
        )


def test_a_tenant_still_provisioning_is_not_remembered(setup):
    platform, cache, key, plaintext, _ = setup
    tenant = platform.tenants[key.tenant_id]
    from dataclasses import replace

    from chalicelib.kernel.domain.tenant import TenantStatus

    platform.tenants[tenant.id] = replace(tenant, status=TenantStatus.PROVISIONING)
    authenticate_key(plaintext, platform=platform, now=NOW, cache=cache)
    assert cache.get(key.id) is None
