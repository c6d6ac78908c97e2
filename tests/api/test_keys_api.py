"""/v1/keys: list by prefix, create (shown once), rotate with grace, revoke."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.api.support import assert_error, fields_named, forbid_server_errors, key_id, snapshot

KEY_FIELDS = {
    "id",
    "kind",
    "name",
    "prefix",
    "status",
    "created_at",
    "created_by",
    "expires_at",
    "revoked_at",
    "replaced_by",
    "role",
    "scope",
}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def tenant(api):
    return api.signup("harbour-view")


def _create(api, tenant, kind="secret", name="CI server"):
    r = api.call("POST", "/v1/keys", auth=tenant["secret_key"], body={"kind": kind, "name": name})
    assert r.status_code == 201, r.body
    return r


def test_the_list_shows_prefixes_and_never_a_hash_or_a_plaintext(api, tenant):
    created = _create(api, tenant)
    r = api.call("GET", "/v1/keys", auth=tenant["secret_key"])

    assert r.status_code == 200
    assert len(r.data["data"]) == 3
    text = r.body.decode()
    for key in r.data["data"]:
        assert set(key) == KEY_FIELDS
        stored = api.container.platform.keys[key["id"]]
        assert key["prefix"] == stored.prefix
        assert stored.key_hash not in text
    for plaintext in (tenant["secret_key"], tenant["publishable_key"], created.data["key"]):
        assert plaintext not in text
        assert plaintext[:11] in text  # the prefix is how a key is recognised
    assert "key_hash" not in text


def test_a_new_key_is_shown_once_and_works(api, tenant):
    r = _create(api, tenant, name="Booking server")

    assert r.headers["Cache-Control"] == "no-store"
    assert set(r.data) == KEY_FIELDS | {"key"}
    plaintext = r.data["key"]
    assert plaintext.startswith("sk_" + r.data["id"] + "_")
    assert r.data["prefix"] == plaintext[:11]
    assert r.data["name"] == "Booking server"
    assert r.data["status"] == "active"
    assert r.data["created_by"] == f"secret_key:{key_id(tenant['secret_key'])}"

    later = api.call("GET", f"/v1/keys/{r.data['id']}", auth=tenant["secret_key"])
    assert later.status_code == 200
    assert "key" not in later.data
    assert plaintext not in later.body.decode()
    assert api.call("GET", "/v1/tenant", auth=plaintext).status_code == 200


def test_a_new_publishable_key_is_for_the_public_routes_only(api, tenant):
    pk = _create(api, tenant, kind="publishable", name="Widget").data["key"]
    assert pk.startswith("pk_")
    assert api.call("GET", "/v1/public/tenant", auth=pk).status_code == 200
    assert_error(api.call("GET", "/v1/tenant", auth=pk), 403, "publishable_key_not_allowed")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "master", "name": "x"}, "kind"),
        ({"kind": "secret"}, "name"),
        ({"kind": "secret", "name": ""}, "name"),
        ({"kind": "secret", "name": "x" * 121}, "name"),
        ({"name": "x"}, "kind"),
        ({"kind": "secret", "name": 7}, "name"),
        ({"kind": "secret", "name": "x", "plaintext": "sk_mine"}, "plaintext"),
    ],
)
def test_an_invalid_create_is_422_and_writes_nothing(api, tenant, body, field):
    before = snapshot(api.container)
    r = api.call("POST", "/v1/keys", auth=tenant["secret_key"], body=body)
    assert field in fields_named(assert_error(r, 422, "validation_failed"))
    assert snapshot(api.container) == before


def test_get_an_unknown_key_is_404(api, tenant):
    r = api.call("GET", "/v1/keys/nosuchkey0000000", auth=tenant["secret_key"])
    error = assert_error(r, 404, "key_not_found")
    assert error["details"] == {"key_id": "nosuchkey0000000"}


# -- rotation ------------------------------------------------------------------------------


def test_rotate_returns_a_new_key_of_the_same_kind_and_name_and_links_the_old_one(api, tenant):
    old = _create(api, tenant, name="Booking server").data
    sk = tenant["secret_key"]

    r = api.call("POST", f"/v1/keys/{old['id']}/rotate", auth=sk, body={"grace_seconds": 600})

    assert r.status_code == 201, r.body
    assert r.headers["Cache-Control"] == "no-store"
    new = r.data
    assert new["id"] != old["id"]
    assert new["key"] != old["key"]
    assert (new["kind"], new["name"], new["status"]) == ("secret", "Booking server", "active")
    assert new["replaced_by"] is None

    was = api.call("GET", f"/v1/keys/{old['id']}", auth=sk).data
    assert was["replaced_by"] == new["id"]
    assert was["status"] == "active"  # until the grace period ends
    assert was["expires_at"] == "2026-11-24T09:10:00.000000Z"
    assert api.call("GET", "/v1/tenant", auth=new["key"]).status_code == 200


def test_rotate_without_a_body_means_no_grace(api, tenant):
    old = _create(api, tenant).data
    r = api.call("POST", f"/v1/keys/{old['id']}/rotate", auth=tenant["secret_key"])
    assert r.status_code == 201, r.body
    was = api.call("GET", f"/v1/keys/{old['id']}", auth=tenant["secret_key"]).data
    assert was["status"] == "revoked"
    assert was["replaced_by"] == r.data["id"]
    assert_error(api.call("GET", "/v1/tenant", auth=old["key"]), 401, "invalid_api_key")


def test_a_key_can_be_rotated_once_only(api, tenant):
    old = _create(api, tenant).data
    sk = tenant["secret_key"]
    first = api.call("POST", f"/v1/keys/{old['id']}/rotate", auth=sk, body={"grace_seconds": 60})
    assert first.status_code == 201

    before = snapshot(api.container)
    again = api.call("POST", f"/v1/keys/{old['id']}/rotate", auth=sk, body={"grace_seconds": 60})
    assert_error(again, 409, "key_not_active")
    assert snapshot(api.container) == before


def test_a_revoked_key_cannot_be_rotated(api, tenant):
    old = _create(api, tenant).data
    sk = tenant["secret_key"]
    api.call("DELETE", f"/v1/keys/{old['id']}", auth=sk)
    r = api.call("POST", f"/v1/keys/{old['id']}/rotate", auth=sk, body={})
    assert_error(r, 409, "key_not_active")


@pytest.mark.parametrize("grace", [-1, 7 * 24 * 3600 + 1, "60", 1.5, True, None])
def test_a_grace_period_out_of_range_or_of_the_wrong_type_is_422(api, tenant, grace):
    old = _create(api, tenant).data
    before = snapshot(api.container)
    r = api.call(
        "POST",
        f"/v1/keys/{old['id']}/rotate",
        auth=tenant["secret_key"],
        body={"grace_seconds": grace},
    )
    assert "grace_seconds" in fields_named(assert_error(r, 422, "validation_failed"))
    assert snapshot(api.container) == before


def test_the_longest_grace_period_is_seven_days(api, tenant):
    old = _create(api, tenant).data
    r = api.call(
        "POST",
        f"/v1/keys/{old['id']}/rotate",
        auth=tenant["secret_key"],
        body={"grace_seconds": 7 * 24 * 3600},
    )
    assert r.status_code == 201, r.body
    api.container.clock.advance(7 * 24 * 3600 - 1)
    assert api.call("GET", "/v1/tenant", auth=old["key"]).status_code == 200
    api.container.clock.advance(1)
    assert_error(api.call("GET", "/v1/tenant", auth=old["key"]), 401)


def test_a_caller_may_rotate_the_very_key_it_is_using(api, tenant):
    sk = tenant["secret_key"]
    r = api.call("POST", f"/v1/keys/{key_id(sk)}/rotate", auth=sk, body={"grace_seconds": 60})
    assert r.status_code == 201
    assert api.call("GET", "/v1/tenant", auth=sk).status_code == 200  # grace


# -- revocation ----------------------------------------------------------------------------


def test_revoking_twice_is_fine_and_changes_nothing_the_second_time(api, tenant):
    old = _create(api, tenant).data
    sk = tenant["secret_key"]

    first = api.call("DELETE", f"/v1/keys/{old['id']}", auth=sk)
    assert first.status_code == 200, first.body
    assert first.data["status"] == "revoked"
    assert first.data["revoked_at"] == "2026-11-24T09:00:00.000000Z"
    assert "key" not in first.data

    api.container.clock.advance(60)
    before = snapshot(api.container)
    second = api.call("DELETE", f"/v1/keys/{old['id']}", auth=sk)
    assert second.status_code == 200
    assert second.data == first.data
    assert snapshot(api.container) == before  # no second audit entry either


def test_a_revoked_key_stays_in_the_list_as_revoked(api, tenant):
    old = _create(api, tenant).data
    api.call("DELETE", f"/v1/keys/{old['id']}", auth=tenant["secret_key"])
    listed = api.call("GET", "/v1/keys", auth=tenant["secret_key"]).data["data"]
    assert {k["id"]: k["status"] for k in listed}[old["id"]] == "revoked"


def test_revoking_an_unknown_key_is_404(api, tenant):
    r = api.call("DELETE", "/v1/keys/nosuchkey0000000", auth=tenant["secret_key"])
    assert_error(r, 404, "key_not_found")


def test_a_rotated_key_past_its_grace_period_is_listed_as_expired(api, tenant):
    old = _create(api, tenant, name="Old server")
    sk = tenant["secret_key"]
    body = {"grace_seconds": 5}
    r = api.call("POST", f"/v1/keys/{old.data['id']}/rotate", auth=sk, body=body)
    assert r.status_code == 201, r.body
    api.container.clock.advance(10)
    assert_error(api.call("GET", "/v1/tenant", auth=old.data["key"]), 401)
    listed = {k["id"]: k for k in api.call("GET", "/v1/keys", auth=sk).data["data"]}
    assert listed[old.data["id"]]["status"] == "expired"
    assert listed[r.data["id"]]["status"] == "active"
    one = api.call("GET", f"/v1/keys/{old.data['id']}", auth=sk).data
    assert one["status"] == "expired" and one["revoked_at"] is None
    revoked = api.call("DELETE", f"/v1/keys/{old.data['id']}", auth=sk)
    assert revoked.status_code == 200 and revoked.data["status"] == "revoked", revoked.body


def test_the_documented_key_statuses_include_expired(api):
    document = api.call("GET", "/v1/openapi.json").data
    status = document["components"]["schemas"]["KeyOut"]["properties"]["status"]
    ref = status.get("$ref") or status["allOf"][0]["$ref"]
    enum = document["components"]["schemas"][ref.rsplit("/", 1)[1]]["enum"]
    assert set(enum) == {"active", "revoked", "expired"}


def test_the_readme_example_of_a_new_key_is_accepted(api, tenant):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Roles and keys", 1)[1].split("\n## ", 1)[0]
    (body,) = re.findall(r"-d '(\{\"kind\".*?\})'", section)
    r = api.call("POST", "/v1/keys", auth=tenant["secret_key"], body=json.loads(body))
    assert r.status_code == 201, r.body
    assert (r.data["role"], r.data["scope"]) == ("staff", "bookings")
    without_kind = {k: v for k, v in json.loads(body).items() if k != "kind"}
    r = api.call("POST", "/v1/keys", auth=tenant["secret_key"], body=without_kind)
    assert "kind" in fields_named(assert_error(r, 422, "validation_failed"))
