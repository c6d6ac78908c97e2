"""`PATCH /v1/tenant` and versions: GET and PATCH answer the tenant's version as the ETag;
with `If-Match` a change applies to that version only (two managers editing the opening hours
do not overwrite each other unseen); without it, a change that meets another is applied again
to the newer version, since it names only its own fields."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chalicelib.kernel.domain.errors import Conflict
from tests.api.support import assert_error, forbid_server_errors


@pytest.fixture
def shop(api):
    forbid_server_errors(api)
    return api.signup("versions")


def patch(api, shop, body, if_match=None):
    headers = {} if if_match is None else {"If-Match": if_match}
    return api.call("PATCH", "/v1/tenant", auth=shop["secret_key"], body=body, headers=headers)


def test_the_etag_is_the_version_and_if_match_guards_a_change(api, shop):
    got = api.call("GET", "/v1/tenant", auth=shop["secret_key"])
    version = got.data["version"]
    assert got.headers["ETag"] == f'"{version}"'
    first = patch(api, shop, {"hold_minutes": 20}, if_match=f'"{version}"')
    assert first.status_code == 200, first.body
    assert first.headers["ETag"] == f'"{version + 1}"'
    stale = patch(api, shop, {"hold_minutes": 30}, if_match=f'"{version}"')
    assert_error(stale, 412, "version_mismatch")
    assert stale.data["error"]["details"]["current_version"] == version + 1
    after = api.call("GET", "/v1/tenant", auth=shop["secret_key"]).data
    assert after["settings"]["hold_minutes"] == 20  # the stale change changed nothing
    for bad in ('W/"2"', "garbage", '"1", "2"'):
        assert_error(patch(api, shop, {"hold_minutes": 40}, if_match=bad), 412, "invalid_if_match")
    assert patch(api, shop, {"hold_minutes": 45}, if_match="*").status_code == 200


def test_a_change_without_if_match_that_meets_another_is_applied_again(api, shop, monkeypatch):
    platform = api.container.platform
    save = platform.save_tenant
    met = []

    def meets_another_once(tenant):
        if not met:
            met.append(tenant.version)
            other = platform.get_tenant(tenant.id)
            save(replace(other, version=other.version + 1))  # another's change lands first
            raise Conflict("changed by someone else", code="version_conflict")
        save(tenant)

    monkeypatch.setattr(platform, "save_tenant", meets_another_once)
    r = patch(api, shop, {"hold_minutes": 25})
    assert r.status_code == 200, r.body
    assert r.data["settings"]["hold_minutes"] == 25 and met


def test_a_refused_zone_change_is_not_tried_again(api, shop, monkeypatch):
    """Only a race is applied again: a refusal (bookings ahead) is said at once."""
    from chalicelib.kernel.domain.errors import Conflict

    asked = []

    def refuse(ctx, zone):
        asked.append(zone)
        raise Conflict("bookings ahead", code="bookings_ahead")

    monkeypatch.setattr(api.container.time_zone_guard, "check_change", refuse)
    assert_error(patch(api, shop, {"timezone": "Europe/Paris"}), 409, "bookings_ahead")
    assert asked == ["Europe/Paris"]


def test_a_change_with_if_match_that_meets_another_is_refused(api, shop, monkeypatch):
    platform = api.container.platform

    def always_meets(tenant):
        raise Conflict("changed by someone else", code="version_conflict")

    monkeypatch.setattr(platform, "save_tenant", always_meets)
    version = api.call("GET", "/v1/tenant", auth=shop["secret_key"]).data["version"]
    assert_error(patch(api, shop, {"hold_minutes": 25}, f'"{version}"'), 412, "version_mismatch")
