"""The audit log: every mutating request leaves one entry saying who, what, when and which
request; reading it by month, page by page."""

from __future__ import annotations

import json

import pytest

from chalicelib.queues import EVENTS
from tests.api.support import (
    assert_error,
    audit_entries,
    fields_named,
    forbid_server_errors,
    invite,
    key_id,
    owner_id,
)
from tests.builders import room_type, stay_offering


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def tenant(api):
    return api.signup("harbour-view")


def _new_key(api, tenant):
    r = api.call(
        "POST", "/v1/keys", auth=tenant["secret_key"], body={"kind": "secret", "name": "k"}
    )
    return r.data["id"]


# Each: set-up (with the secret key) -> (method, path, body), the action and target expected.
MUTATIONS = {
    "create-key": (
        lambda api, t: ("POST", "/v1/keys", {"kind": "publishable", "name": "Widget"}),
        "key.created",
        lambda r, path: f"key:{r.data['id']}",
    ),
    "rotate-key": (
        lambda api, t: ("POST", f"/v1/keys/{_new_key(api, t)}/rotate", {"grace_seconds": 60}),
        "key.rotated",
        lambda r, path: f"key:{path.split('/')[3]}",  # the old key
    ),
    "revoke-key": (
        lambda api, t: ("DELETE", f"/v1/keys/{_new_key(api, t)}", None),
        "key.revoked",
        lambda r, path: f"key:{r.data['id']}",
    ),
    "invite-staff": (
        lambda api, t: (
            "POST",
            "/v1/staff",
            {"email": "n@h.example", "name": "N", "role": "staff"},
        ),
        "staff.invited",
        lambda r, path: f"user:{r.data['id']}",
    ),
    "change-role": (
        lambda api, t: (
            "PATCH",
            f"/v1/staff/{invite(api, t, 'staff')[0]['id']}",
            {"role": "viewer"},
        ),
        "staff.role_changed",
        lambda r, path: f"user:{r.data['id']}",
    ),
    "disable-staff": (
        lambda api, t: ("DELETE", f"/v1/staff/{invite(api, t, 'staff')[0]['id']}", None),
        "staff.disabled",
        lambda r, path: f"user:{r.data['id']}",
    ),
    "patch-tenant": (
        lambda api, t: ("PATCH", "/v1/tenant", {"hold_minutes": 45}),
        "tenant.updated",
        lambda r, path: f"tenant:{r.data['id']}",
    ),
}


@pytest.mark.parametrize("as_", ["secret_key", "owner_token"])
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_every_mutating_request_writes_one_audit_entry_with_who_what_when_and_request(
    api, tenant, name, as_
):
    setup, action, target_of = MUTATIONS[name]
    method, path, body = setup(api, tenant)
    if as_ == "secret_key":
        auth = tenant["secret_key"]
        who = {"kind": "secret_key", "id": key_id(auth), "role": "owner", "email": None}
    else:
        auth = api.owner_token(tenant)
        who = {
            "kind": "user",
            "id": owner_id(api, tenant),
            "role": "owner",
            "email": "owner@harbour-view.example",
        }
    api.container.clock.advance(90)
    before = {e.id for e in audit_entries(api, tenant)}

    r = api.call(method, path, auth=auth, body=body)

    assert r.status_code in (200, 201), r.body
    (entry,) = [e for e in audit_entries(api, tenant) if e.id not in before]
    assert entry.action == action
    assert entry.tenant_id == tenant["tenant_id"]
    assert entry.at == "2026-11-24T09:01:30.000000Z"
    assert entry.request_id == r.headers["X-Request-Id"]
    assert entry.target == target_of(r, path)
    if action == "key.rotated":
        assert entry.details["replaced_by"] == r.data["id"]

    shown = api.call("GET", "/v1/audit", auth=tenant["secret_key"]).data["data"][0]
    assert shown["id"] == entry.id
    assert shown["action"] == action
    assert shown["actor"] == who
    assert shown["request_id"] == r.headers["X-Request-Id"]
    assert shown["at"] == entry.at


def test_reads_write_no_audit_entries(api, tenant):
    before = audit_entries(api, tenant)
    sk = tenant["secret_key"]
    for path in ("/v1/tenant", "/v1/keys", "/v1/staff", "/v1/audit", "/v1/public/tenant"):
        api.call("GET", path, auth=sk if "public" not in path else tenant["publishable_key"])
    assert audit_entries(api, tenant) == before


def test_a_refused_mutation_writes_no_audit_entry(api, tenant):
    before = audit_entries(api, tenant)
    owner = owner_id(api, tenant)
    r = api.call("DELETE", f"/v1/staff/{owner}", auth=tenant["secret_key"])
    assert_error(r, 409, "last_owner")
    assert audit_entries(api, tenant) == before


def test_provisioning_leaves_the_first_entry(api, tenant):
    r = api.call("GET", "/v1/audit", auth=tenant["secret_key"])
    (entry,) = r.data["data"]
    assert entry["action"] == "tenant.provisioned"
    assert entry["actor"] == {"kind": "system", "id": "reservoir", "role": None, "email": None}
    assert entry["target"] == f"tenant:{tenant['tenant_id']}"
    assert r.data["next_after"] is None


def test_audit_entries_do_not_contain_key_plaintexts(api, tenant):
    r = api.call(
        "POST", "/v1/keys", auth=tenant["secret_key"], body={"kind": "secret", "name": "x"}
    )
    log = api.call("GET", "/v1/audit", auth=tenant["secret_key"]).body.decode()
    assert r.data["key"] not in log
    assert tenant["secret_key"] not in log
    assert r.data["prefix"] in log


# -- reading: newest first, by month, page by page -----------------------------------------


def _make_entries(api, tenant, n):
    """n tenant updates, a minute apart, each a real change (so each is audited)."""
    for _ in range(n):
        api.container.clock.advance(60)
        current = api.container.platform.tenants[tenant["tenant_id"]].settings.hold_minutes
        r = api.call(
            "PATCH", "/v1/tenant", auth=tenant["secret_key"], body={"hold_minutes": current + 1}
        )
        assert r.status_code == 200, r.body


def test_the_log_is_newest_first(api, tenant):
    _make_entries(api, tenant, 3)
    data = api.call("GET", "/v1/audit", auth=tenant["secret_key"]).data["data"]
    times = [e["at"] for e in data]
    assert times == sorted(times, reverse=True)
    assert data[-1]["action"] == "tenant.provisioned"


def test_pages_with_limit_and_after_cover_every_entry_once(api, tenant):
    _make_entries(api, tenant, 6)  # 7 entries with the provisioning one
    everything = [e.id for e in reversed(audit_entries(api, tenant))]
    assert len(everything) == 7

    seen, after, pages = [], None, 0
    while True:
        path = "/v1/audit?limit=3" + (f"&after={after}" if after else "")
        r = api.call("GET", path, auth=tenant["secret_key"])
        assert r.status_code == 200, r.body
        page = r.data["data"]
        assert len(page) <= 3
        seen += [e["id"] for e in page]
        pages += 1
        after = r.data["next_after"]
        if after is None:
            break
        assert after == page[-1]["cursor"]
        assert pages < 10
    assert seen == everything
    assert pages == 3


def test_a_full_last_page_is_followed_by_an_empty_one(api, tenant):
    _make_entries(api, tenant, 1)  # 2 entries
    first = api.call("GET", "/v1/audit?limit=2", auth=tenant["secret_key"]).data
    assert len(first["data"]) == 2
    rest = api.call(
        "GET", f"/v1/audit?limit=2&after={first['next_after']}", auth=tenant["secret_key"]
    ).data
    assert rest == {"data": [], "next_after": None}


def test_the_log_is_read_by_month_defaulting_to_the_current_one(api, tenant):
    _make_entries(api, tenant, 1)  # November: provisioning + one update
    api.container.clock.advance(8 * 24 * 3600)  # into December
    _make_entries(api, tenant, 1)
    sk = tenant["secret_key"]

    december = api.call("GET", "/v1/audit", auth=sk).data["data"]
    november = api.call("GET", "/v1/audit?month=2026-11", auth=sk).data["data"]
    empty = api.call("GET", "/v1/audit?month=2026-10", auth=sk).data["data"]

    assert [e["at"][:7] for e in december] == ["2026-12"]
    assert [e["at"][:7] for e in november] == ["2026-11", "2026-11"]
    assert empty == []


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("month=2026-13", "month"),
        ("month=2026-00", "month"),
        ("month=2026-1", "month"),
        ("month=november", "month"),
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=-5", "limit"),
        ("limit=ten", "limit"),
        ("tenant=someone-else", "tenant"),
        ("order=asc", "order"),
    ],
)
def test_bad_query_parameters_are_422_naming_the_parameter(api, tenant, query, param):
    r = api.call("GET", f"/v1/audit?{query}", auth=tenant["secret_key"])
    assert param in fields_named(assert_error(r, 422, "validation_failed"))


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_owners_and_managers_may_read_the_log(api, tenant, role):
    token = api.owner_token(tenant) if role == "owner" else invite(api, tenant, role)[1]
    assert api.call("GET", "/v1/audit", auth=token).status_code == 200


# -- order changes: recorded from their events by the event worker --------------------------


def _run_event_worker(api):
    """Hand the queued events to the very handler Lambda invokes, until none are left."""
    while bodies := [json.dumps(m) for m in api.container.relayed_events()]:
        event = api.client.events.generate_sqs_event(message_bodies=bodies, queue_name=EVENTS.name)
        for i, record in enumerate(event["Records"]):
            record["messageId"] = f"evt-{i}"
        assert api.client.lambda_.invoke("dispatch_events", event).payload == {
            "batchItemFailures": []
        }


def test_order_changes_are_in_the_audit_log_once_their_events_are_handled(api, tenant):
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    sk, token = tenant["secret_key"], api.owner_token(tenant)
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 2}],
    }
    held = api.call("POST", "/v1/orders", auth=sk, body=body)
    assert held.status_code == 201, held.body
    order_id = held.data["id"]
    api.container.clock.advance(60)
    confirmed = api.call("POST", f"/v1/orders/{order_id}/confirm", auth=token)
    assert confirmed.status_code == 200, confirmed.body
    api.container.clock.advance(60)
    cancelled = api.call(
        "POST", f"/v1/orders/{order_id}/cancel", auth=sk, body={"reason": "plans changed"}
    )
    assert cancelled.status_code == 200, cancelled.body
    api.container.clock.advance(300)  # the worker runs later; entries keep the changes' times

    _run_event_worker(api)
    _run_event_worker(api)  # nothing left: a second run writes nothing twice

    shown = api.call("GET", "/v1/audit?month=2026-11", auth=sk).data["data"]
    mine = [e for e in shown if e["target"] == f"order:{order_id}"]
    assert [e["action"] for e in mine] == ["order.cancelled", "order.confirmed", "order.held"]
    cancel_entry, confirm_entry, hold_entry = mine
    key = {"kind": "secret_key", "id": key_id(sk), "role": "owner", "email": None}
    assert hold_entry["actor"] == key and cancel_entry["actor"] == key
    assert confirm_entry["actor"]["kind"] == "user"
    assert confirm_entry["actor"]["id"] == owner_id(api, tenant)
    assert confirm_entry["actor"]["role"] == "owner"
    # Named by e-mail as a request's own entries are (an outside tester read bare ids).
    assert confirm_entry["actor"]["email"] == "owner@harbour-view.example"
    assert [e["request_id"] for e in mine] == [
        r.headers["X-Request-Id"] for r in (cancelled, confirmed, held)
    ]
    assert [e["at"] for e in mine] == [
        "2026-11-24T09:02:00.000000Z",
        "2026-11-24T09:01:00.000000Z",
        "2026-11-24T09:00:00.000000Z",
    ]
    assert cancel_entry["details"]["previous_status"] == "confirmed"
    assert cancel_entry["details"]["status"] == "cancelled"
