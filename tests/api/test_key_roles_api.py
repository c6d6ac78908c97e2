"""Keys have a role (and a scope) no higher than their maker's, and routes check it.

A secret key used to pass every role check as if it were the owner, so a manager could make
a key and, with it, promote themselves and demote the real owner. Now a key carries the
role it was made with (owner, manager, staff, viewer) and a scope (`full`, or `bookings`:
the catalog and availability to read, orders to hold and operate, nothing else), and the
route pipeline checks both as it checks a staff user's role.
"""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors, invite, key_id, owner_id, snapshot
from tests.builders import room_type, stay_offering


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def tenant(api):
    tenant = api.signup("harbour")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=5), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def order_body(check_in="2026-12-24"):
    return {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": 2}],
    }


def make_key(api, auth, **body):
    r = api.call("POST", "/v1/keys", auth=auth, body={"kind": "secret", "name": "k", **body})
    assert r.status_code == 201, r.body
    return r.data


# -- who may make which key ----------------------------------------------------------------


def test_a_manager_cannot_make_an_owner_key(api, tenant):
    _, manager = invite(api, tenant, "manager")
    before = snapshot(api.container)
    r = api.call(
        "POST", "/v1/keys", auth=manager, body={"kind": "secret", "name": "x", "role": "owner"}
    )
    assert_error(r, 403, "role_forbidden")
    assert snapshot(api.container) == before


def test_a_managers_key_is_a_manager_key_unless_a_lower_role_is_asked_for(api, tenant):
    manager_user, manager = invite(api, tenant, "manager")
    default = make_key(api, manager)
    assert default["role"] == "manager"
    assert default["scope"] == "full"
    assert default["created_by"] == f"user:{manager_user['id']}"
    assert make_key(api, manager, role="viewer")["role"] == "viewer"


def test_a_key_can_make_keys_only_up_to_its_own_role(api, tenant):
    manager_key = make_key(api, tenant["secret_key"], role="manager")["key"]
    r = api.call(
        "POST", "/v1/keys", auth=manager_key, body={"kind": "secret", "name": "x", "role": "owner"}
    )
    assert_error(r, 403, "role_forbidden")
    made = make_key(api, manager_key, role="staff")
    assert made["role"] == "staff"
    assert made["created_by"] == f"secret_key:{key_id(manager_key)}"


def test_an_owner_makes_owner_keys(api, tenant):
    made = make_key(api, api.owner_token(tenant), role="owner")
    assert made["role"] == "owner"
    assert made["created_by"] == f"user:{owner_id(api, tenant)}"


def test_a_publishable_key_has_no_role_to_choose(api, tenant):
    before = snapshot(api.container)
    r = api.call(
        "POST",
        "/v1/keys",
        auth=tenant["secret_key"],
        body={"kind": "publishable", "name": "Widget", "role": "owner"},
    )
    assert_error(r, 422)
    assert snapshot(api.container) == before


@pytest.mark.parametrize("role", ["admin", "", 3])
def test_an_unknown_key_role_is_422(api, tenant, role):
    r = api.call(
        "POST",
        "/v1/keys",
        auth=tenant["secret_key"],
        body={"kind": "secret", "name": "x", "role": role},
    )
    assert_error(r, 422, "validation_failed")


def test_the_key_listing_shows_role_scope_and_who_made_each_key(api, tenant):
    made = make_key(api, tenant["secret_key"], role="staff", scope="bookings")
    listed = {
        k["id"]: k for k in api.call("GET", "/v1/keys", auth=tenant["secret_key"]).data["data"]
    }

    signup_secret = listed[key_id(tenant["secret_key"])]
    assert (signup_secret["role"], signup_secret["scope"]) == ("owner", "full")
    assert signup_secret["created_by"] == "signup"
    published = listed[key_id(tenant["publishable_key"])]
    assert (published["role"], published["scope"]) == (None, None)  # a tester's said "full"
    assert (listed[made["id"]]["role"], listed[made["id"]]["scope"]) == ("staff", "bookings")
    assert listed[made["id"]]["created_by"] == f"secret_key:{key_id(tenant['secret_key'])}"


# -- owner-only routes and the escalation --------------------------------------------------


def test_a_manager_made_key_cannot_call_owner_only_routes_and_an_owner_key_can(api, tenant):
    _, manager = invite(api, tenant, "manager")
    manager_key = make_key(api, manager)["key"]
    r = api.call("POST", "/v1/payments/connect", auth=manager_key)
    assert_error(r, 403, "role_forbidden")
    r = api.call("POST", "/v1/billing/subscription", auth=manager_key, body={"plan": "pro"})
    assert_error(r, 403, "role_forbidden")

    owner_key = make_key(api, api.owner_token(tenant), role="owner")["key"]
    r = api.call("POST", "/v1/payments/connect", auth=owner_key)
    assert r.status_code == 200, r.body


def test_a_managers_key_can_neither_promote_the_manager_nor_demote_the_owner(api, tenant):
    invite(api, tenant, "owner")  # a second owner: only the role rules can refuse
    manager_user, manager = invite(api, tenant, "manager")
    manager_key = make_key(api, manager)["key"]
    before = snapshot(api.container)

    promote = api.call(
        "PATCH", f"/v1/staff/{manager_user['id']}", auth=manager_key, body={"role": "owner"}
    )
    assert_error(promote, 403, "role_forbidden")
    owner = owner_id(api, tenant)
    demote = api.call("PATCH", f"/v1/staff/{owner}", auth=manager_key, body={"role": "viewer"})
    assert_error(demote, 403, "role_forbidden")
    assert_error(api.call("DELETE", f"/v1/staff/{owner}", auth=manager_key), 403, "role_forbidden")
    assert snapshot(api.container) == before


def test_a_manager_cannot_rotate_or_revoke_an_owner_key(api, tenant):
    """Rotating answers the new key's plaintext: a manager rotating an owner key would hold
    an owner key."""
    _, manager = invite(api, tenant, "manager")
    owner_key = key_id(tenant["secret_key"])
    before = snapshot(api.container)
    r = api.call("POST", f"/v1/keys/{owner_key}/rotate", auth=manager, body={})
    assert_error(r, 403, "role_forbidden")
    assert_error(api.call("DELETE", f"/v1/keys/{owner_key}", auth=manager), 403, "role_forbidden")
    assert snapshot(api.container) == before


def test_rotation_keeps_the_keys_role_and_scope(api, tenant):
    old = make_key(api, tenant["secret_key"], role="staff", scope="bookings")
    r = api.call("POST", f"/v1/keys/{old['id']}/rotate", auth=tenant["secret_key"], body={})
    assert r.status_code == 201, r.body
    assert (r.data["role"], r.data["scope"]) == ("staff", "bookings")
    assert_error(api.call("GET", "/v1/keys", auth=r.data["key"]), 403)


# -- scoped keys ---------------------------------------------------------------------------


def test_a_bookings_key_holds_and_operates_orders(api, tenant):
    key = make_key(api, tenant["secret_key"], role="staff", scope="bookings")["key"]
    assert api.call("GET", "/v1/offerings", auth=key).status_code == 200
    assert api.call("GET", "/v1/resources", auth=key).status_code == 200
    q = "offering=off_stay&from=2026-12-20&to=2026-12-27"
    assert api.call("GET", f"/v1/availability?{q}", auth=key).status_code == 200

    held = api.call("POST", "/v1/orders", auth=key, body=order_body())
    assert held.status_code == 201, held.body
    oid = held.data["id"]
    assert api.call("GET", f"/v1/orders/{oid}", auth=key).status_code == 200
    confirmed = api.call("POST", f"/v1/orders/{oid}/confirm", auth=key, body={})
    assert confirmed.status_code == 200, confirmed.body
    cancelled = api.call("POST", f"/v1/orders/{oid}/cancel", auth=key, body={})
    assert cancelled.status_code == 200, cancelled.body


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/resources", {"name": "Suite", "kind": "nightly", "capacity": 1}),
        ("DELETE", "/v1/offerings/off_stay", None),
        ("GET", "/v1/keys", None),
        ("POST", "/v1/keys", {"kind": "secret", "name": "more", "role": "viewer"}),
        ("PATCH", "/v1/tenant", {"name": "Taken over"}),
        ("GET", "/v1/staff", None),
        ("GET", "/v1/tenant", None),
        ("GET", "/v1/audit?month=2026-11", None),
    ],
)
def test_a_bookings_key_cannot_touch_the_catalog_keys_or_anything_else(
    api, tenant, method, path, body
):
    key = make_key(api, tenant["secret_key"], role="manager", scope="bookings")["key"]
    before = snapshot(api.container)
    r = api.call(method, path, auth=key, body=body)
    assert_error(r, 403, "key_scope_forbidden")
    assert snapshot(api.container) == before


def test_a_read_only_key_reads(api, tenant):
    oid = api.call("POST", "/v1/orders", auth=tenant["secret_key"], body=order_body()).data["id"]
    key = make_key(api, tenant["secret_key"], role="viewer")["key"]
    for path in ("/v1/tenant", "/v1/offerings", "/v1/staff", f"/v1/orders/{oid}", "/v1/billing"):
        assert api.call("GET", path, auth=key).status_code == 200, path


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/orders", order_body()),
        ("POST", "/v1/resources", {"name": "Suite", "kind": "nightly", "capacity": 1}),
        ("PATCH", "/v1/tenant", {"name": "Renamed"}),
        ("POST", "/v1/keys", {"kind": "secret", "name": "more", "role": "viewer"}),
        ("POST", "/v1/staff", {"email": "x@harbour.example", "name": "X", "role": "viewer"}),
        ("DELETE", "/v1/offerings/off_stay", None),
    ],
)
def test_a_read_only_key_can_only_get(api, tenant, method, path, body):
    key = make_key(api, tenant["secret_key"], role="viewer")["key"]
    before = snapshot(api.container)
    assert_error(api.call(method, path, auth=key, body=body), 403, "role_forbidden")
    assert snapshot(api.container) == before


# -- the public routes (issue 9, defect 19) ------------------------------------------------


def _public_hold(api, tenant):
    made = api.call("POST", "/v1/public/orders", auth=tenant["publishable_key"], body=order_body())
    assert made.status_code == 201, made.body
    return made.data


@pytest.mark.parametrize("who", ["viewer_login", "read_only_key"])
def test_a_viewer_cannot_hold_cancel_move_or_pay_through_the_public_routes(api, tenant, who):
    if who == "viewer_login":
        credential = api.staff_token(tenant, "viewer")
    else:
        credential = make_key(api, tenant["secret_key"], role="viewer")["key"]
    order = _public_hold(api, tenant)
    token = {"X-Manage-Token": order["manage_token"]}
    oid = order["id"]
    before = snapshot(api.container)

    hold = api.call("POST", "/v1/public/orders", auth=credential, body=order_body("2026-12-26"))
    assert_error(hold, 403, "role_forbidden")
    for action, body in (
        ("cancel", {}),
        ("reschedule", {"lines": [{"offering_id": "off_stay", "check_in": "2026-12-28"}]}),
        ("payment", {}),
    ):
        r = api.call(
            "POST", f"/v1/public/orders/{oid}/{action}", auth=credential, headers=token, body=body
        )
        assert_error(r, 403, "role_forbidden")
    assert snapshot(api.container) == before

    # Reading stays allowed.
    assert api.call("GET", "/v1/public/offerings", auth=credential).status_code == 200
    seen = api.call("GET", f"/v1/public/orders/{oid}", auth=credential, headers=token)
    assert seen.status_code == 200, seen.body


@pytest.mark.parametrize("who", ["staff_login", "bookings_key"])
def test_staff_and_a_bookings_key_may_hold_through_the_public_routes(api, tenant, who):
    if who == "staff_login":
        credential = api.staff_token(tenant, "staff")
    else:
        credential = make_key(api, tenant["secret_key"], role="staff", scope="bookings")["key"]
    r = api.call("POST", "/v1/public/orders", auth=credential, body=order_body())
    assert r.status_code == 201, r.body


# -- a maker demoted or disabled: their keys follow ---------------------------------------


def test_a_demoted_makers_keys_are_lowered_and_a_disabled_makers_keys_stop(api, tenant):
    """An outside tester's finding: a manager's key, made while they were a manager, kept
    its role after the owner demoted and disabled them, and with it made more manager keys
    and invited a new manager login. The keys a user made, and those their keys made, now
    follow the user: lowered with a demotion, revoked with a disable."""
    user, manager = invite(api, tenant, "manager")
    own = make_key(api, manager)["key"]  # a manager key
    chained = make_key(api, own)["key"]  # made by that key: a manager key too
    low = make_key(api, own, role="viewer")["key"]  # already below any demotion
    published = api.call(
        "POST", "/v1/keys", auth=manager, body={"kind": "publishable", "name": "site"}
    ).data["key"]
    owners = make_key(api, tenant["secret_key"])["key"]  # the owner's: not the manager's

    demoted = api.call(
        "PATCH", f"/v1/staff/{user['id']}", auth=tenant["secret_key"], body={"role": "staff"}
    )
    assert demoted.status_code == 200, demoted.body
    listed = {k["id"]: k for k in api.call("GET", "/v1/keys", auth=owners).data["data"]}
    assert listed[key_id(own)]["role"] == "staff"
    assert listed[key_id(chained)]["role"] == "staff"
    assert listed[key_id(low)]["role"] == "viewer"
    assert listed[key_id(owners)]["role"] == "owner"
    assert_error(api.call("GET", "/v1/keys", auth=own), 403, "role_forbidden")
    body = {"email": "backdoor@example.com", "name": "Backdoor", "role": "manager"}
    assert_error(api.call("POST", "/v1/staff", auth=chained, body=body), 403, "role_forbidden")
    audit = api.call("GET", "/v1/audit", auth=owners).data["data"]
    assert {e["target"] for e in audit if e["action"] == "key.role_lowered"} == {
        f"key:{key_id(own)}",
        f"key:{key_id(chained)}",
    }

    gone = api.call("DELETE", f"/v1/staff/{user['id']}", auth=tenant["secret_key"])
    assert gone.status_code == 200, gone.body
    for key in (own, chained, low):
        assert_error(api.call("GET", "/v1/tenant", auth=key), 401, "invalid_api_key")
    # The business's own keys and its site's publishable key go on working.
    assert api.call("GET", "/v1/tenant", auth=owners).status_code == 200
    assert api.call("GET", "/v1/tenant", auth=tenant["secret_key"]).status_code == 200
    assert listed[key_id(published)]["status"] == "active"
    # Sent again (a crash between the writes), the disable still stops what is left.
    assert (
        api.call("DELETE", f"/v1/staff/{user['id']}", auth=tenant["secret_key"]).status_code == 200
    )


def demoted_after(api, tenant, monkeypatch, meanwhile):
    """A manager's key, and the manager demoted to staff on a list of keys read before
    `meanwhile(key)` changed it: the demotion's own read, lost to that change."""
    user, manager = invite(api, tenant, "manager")
    own = make_key(api, manager)["key"]
    platform = api.container.platform
    listed = platform.list_keys(tenant["tenant_id"])
    made = meanwhile(own)
    monkeypatch.setattr(platform, "list_keys", lambda tenant_id: listed)
    demoted = api.call(
        "PATCH", f"/v1/staff/{user['id']}", auth=tenant["secret_key"], body={"role": "staff"}
    )
    assert demoted.status_code == 200, demoted.body
    monkeypatch.undo()
    return own, made


def test_a_key_revoked_while_its_maker_is_demoted_stays_revoked(api, tenant, monkeypatch):
    """The demotion lowered each key as listed, written over whole: a key the manager
    revoked in that moment came back live, at the lower role."""

    def revoke(key):
        r = api.call("DELETE", f"/v1/keys/{key_id(key)}", auth=tenant["secret_key"])
        assert r.status_code == 200, r.body

    own, _ = demoted_after(api, tenant, monkeypatch, revoke)
    assert api.container.platform.get_key(key_id(own)).status.value == "revoked"
    assert_error(api.call("GET", "/v1/tenant", auth=own), 401, "invalid_api_key")


def test_a_key_rotated_while_its_maker_is_demoted_is_lowered_with_its_replacement(
    api, tenant, monkeypatch
):
    """A reviewer's find: the demotion's list was read before the key was rotated, so the
    lowering of the old key lost its race and the new key, made after the list, kept the
    manager's role."""

    def rotate(key):
        path = f"/v1/keys/{key_id(key)}/rotate"
        r = api.call("POST", path, auth=key, body={"grace_seconds": 0})
        assert r.status_code in (200, 201), r.body
        return r.data["key"]

    _, new = demoted_after(api, tenant, monkeypatch, rotate)
    assert api.container.platform.get_key(key_id(new)).role.value == "staff"
    assert_error(api.call("GET", "/v1/keys", auth=new), 403, "role_forbidden")
    audit = api.call("GET", "/v1/audit", auth=tenant["secret_key"]).data["data"]
    lowered = [e["target"] for e in audit if e["action"] == "key.role_lowered"]
    assert lowered == [f"key:{key_id(new)}"]  # the old one stopped with its rotation
