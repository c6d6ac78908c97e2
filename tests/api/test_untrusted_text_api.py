"""Hostile text in headers, tokens and signed payloads: digits of other scripts (`²`,
`٣`), 5,000-digit numbers, non-ASCII signatures, JSON nested past the parser's recursion,
ids longer than a DynamoDB key. Each is a 4xx that changes nothing, never a 500."""

from __future__ import annotations

import base64
import json

import pytest

from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.builders import room_type, stay_offering
from tests.fakes import TEST_WEBHOOK_SECRET
from tests.stripe_events import event, sign, signed

WEBHOOK = "/v1/webhooks/stripe"
DEEP = 100_000


def now_unix(api) -> int:
    return int(api.container.clock.moment.timestamp())


@pytest.fixture
def hotel(api):
    forbid_server_errors(api)
    tenant = api.signup("harbour")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=2), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)
    return tenant


def widget_order(api, tenant) -> dict:
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-24", "nights": 1}],
    }
    r = api.call("POST", "/v1/public/orders", auth=tenant["publishable_key"], body=body)
    assert r.status_code == 201, r.body
    return r.data


# -- the Stripe webhook: the header, before any secret is needed ----------------------------


def hostile_headers(api) -> dict[str, str]:
    now = now_unix(api)
    good = sign(b"{}", TEST_WEBHOOK_SECRET, now).split(",v1=")[1]
    return {
        "t_5000_digits": f"t={'9' * 5000},v1={good}",
        "t_superscript_two": f"t=\u00b2,v1={good}",
        "t_arabic_indic_digits": f"t={''.join(chr(0x660 + int(d)) for d in str(now))},v1={good}",
        "t_fullwidth_digits": f"t={''.join(chr(0xFF10 + int(d)) for d in str(now))},v1={good}",
        "v1_non_ascii": f"t={now},v1={'é' * 64}",
        "v1_lone_surrogate": f"t={now},v1=\udc80{good[1:]}",
        "t_negative": f"t=-{now},v1={good}",
    }


@pytest.mark.parametrize(
    "name",
    [
        "t_5000_digits",
        "t_superscript_two",
        "t_arabic_indic_digits",
        "t_fullwidth_digits",
        "v1_non_ascii",
        "v1_lone_surrogate",
        "t_negative",
    ],
)
def test_a_hostile_stripe_signature_header_is_400_and_changes_nothing(api, hotel, name):
    before = snapshot(api.container)
    header = hostile_headers(api)[name]
    r = api.call("POST", WEBHOOK, raw=b"{}", headers={"Stripe-Signature": header})
    assert_error(r, 400, "invalid_signature")
    assert snapshot(api.container) == before


# -- the Stripe webhook: validly signed, but no event we can take ---------------------------


def post_signed(api, payload: bytes):
    headers = {"Stripe-Signature": sign(payload, TEST_WEBHOOK_SECRET, now_unix(api))}
    return api.call("POST", WEBHOOK, raw=payload, headers=headers)


@pytest.mark.parametrize(
    "payload",
    [
        b"[" * DEEP + b"]" * DEEP,
        b'{"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1", '
        b'"x": ' + b"[" * DEEP + b"]" * DEEP + b"}}}",
    ],
    ids=["array", "inside_an_event"],
)
def test_a_signed_payload_nested_past_the_parsers_depth_is_400(api, hotel, payload):
    before = snapshot(api.container)
    assert_error(post_signed(api, payload), 400, "invalid_signature")
    assert snapshot(api.container) == before


@pytest.mark.parametrize("field", ["id", "account", "object_id"])
def test_a_signed_event_with_an_id_longer_than_a_key_is_400(api, hotel, field):
    long = "x" * 3000
    evt = event(
        "payment_intent.succeeded",
        "pi_" + long if field == "object_id" else "pi_1",
        event_id="evt_" + long if field == "id" else "evt_1",
        account="acct_" + long if field == "account" else "acct_1",
    )
    before = snapshot(api.container)
    payload, headers = signed(evt, TEST_WEBHOOK_SECRET, now_unix(api))
    r = api.call("POST", WEBHOOK, raw=payload, headers=headers)
    assert_error(r, 400, "invalid_signature")
    assert snapshot(api.container) == before


def test_a_signed_platform_event_with_a_long_id_is_400_and_not_remembered(api, hotel):
    evt = event("customer.subscription.updated", "sub_1", event_id="evt_" + "y" * 3000)
    seen = set(api.container.payment_accounts.seen)
    payload, headers = signed(evt, TEST_WEBHOOK_SECRET, now_unix(api))
    assert_error(api.call("POST", WEBHOOK, raw=payload, headers=headers), 400)
    assert set(api.container.payment_accounts.seen) == seen


# -- If-Match: one rule for orders and the catalog (web/etag.py) ------------------------------

HOSTILE_ETAGS = ['"\u00b2"', "\u00b2", '"\u0663"', '"１"', '"' + "9" * 5000 + '"', '"-1"', '" 1"']
# Never a match for a change: weak (RFC 9110 compares strongly), a list, a bare number.
REFUSED_ETAGS = ['W/"1"', 'w/"1"', '"1", "2"', '"1",', "1", '"1', "**", *HOSTILE_ETAGS]
RESOURCE = {"name": "Double room", "kind": "nightly", "capacity": 3}
MOVE = {"lines": [{"offering_id": "off_stay", "check_in": "2026-12-26", "nights": 1}]}


def _confirm(api, hotel, order_id, headers):
    path = f"/v1/orders/{order_id}/confirm"
    return api.call("POST", path, auth=hotel["secret_key"], headers=headers)


def _reschedule(api, hotel, order_id, headers):
    path = f"/v1/orders/{order_id}/reschedule"
    return api.call("POST", path, auth=hotel["secret_key"], headers=headers, body=MOVE)


def _put_resource(api, hotel, headers):
    path = "/v1/resources/res_double"
    return api.call("PUT", path, auth=hotel["secret_key"], headers=headers, body=RESOURCE)


def _delete_offering(api, hotel, headers):
    return api.call("DELETE", "/v1/offerings/off_stay", auth=hotel["secret_key"], headers=headers)


CHANGES = {
    "order confirm (If-Match optional)": lambda api, hotel, order, h: _confirm(
        api, hotel, order["id"], h
    ),
    "order reschedule (If-Match required)": lambda api, hotel, order, h: _reschedule(
        api, hotel, order["id"], h
    ),
    "resource PUT": lambda api, hotel, order, h: _put_resource(api, hotel, h),
    "offering DELETE": lambda api, hotel, order, h: _delete_offering(api, hotel, h),
}


@pytest.mark.parametrize("etag", REFUSED_ETAGS)
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_weak_listed_or_malformed_if_match_is_412_on_orders_and_catalog_alike(
    api, hotel, change, etag
):
    order = widget_order(api, hotel)
    before = snapshot(api.container)
    r = CHANGES[change](api, hotel, order, {"If-Match": etag})
    error = assert_error(r, 412, "invalid_if_match")
    assert error["details"]["reason"] in {"weak", "list", "malformed"}
    assert snapshot(api.container) == before


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_star_if_match_applies_to_the_current_version_and_counts_as_sent(api, hotel, change):
    order = widget_order(api, hotel)
    api.call(
        "PUT",
        "/v1/resources/res_double",
        auth=hotel["secret_key"],
        body=RESOURCE,
        headers={"If-Match": '"1"'},
    )  # rev 2 now: * is not "1"
    r = CHANGES[change](api, hotel, order, {"If-Match": "*"})
    assert r.status_code == 200, r.body


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_strong_etag_a_get_answered_applies_the_change(api, hotel, change):
    order = widget_order(api, hotel)
    r = CHANGES[change](api, hotel, order, {"If-Match": '"1"'})
    assert r.status_code == 200, r.body


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ("order confirm (If-Match optional)", 409),
        ("order reschedule (If-Match required)", 409),
        ("resource PUT", 412),
        ("offering DELETE", 412),
    ],
)
def test_a_stale_strong_etag_changes_nothing(api, hotel, change, status):
    order = widget_order(api, hotel)
    before = snapshot(api.container)
    r = CHANGES[change](api, hotel, order, {"If-Match": '"7"'})
    assert_error(r, status, "version_mismatch")
    assert snapshot(api.container) == before


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ("order confirm (If-Match optional)", 200),
        ("order reschedule (If-Match required)", 428),
        ("resource PUT", 428),
        ("offering DELETE", 428),
    ],
)
def test_without_if_match_only_the_routes_that_need_it_refuse(api, hotel, change, status):
    order = widget_order(api, hotel)
    r = CHANGES[change](api, hotel, order, {})
    assert r.status_code == status, r.body
    if status == 428:
        assert_error(r, 428, "if_match_required")


def test_star_on_an_item_that_does_not_exist_is_404(api, hotel):
    r = api.call(
        "PUT",
        "/v1/resources/res_nope",
        auth=hotel["secret_key"],
        body=RESOURCE,
        headers={"If-Match": "*"},
    )
    assert_error(r, 404)
    r = api.call(
        "POST", "/v1/orders/ord_nope/confirm", auth=hotel["secret_key"], headers={"If-Match": "*"}
    )
    assert_error(r, 404)


# -- manage tokens ----------------------------------------------------------------------------


def hostile_tokens(real: str) -> list[str]:
    version, expires, signature = real.split(".")
    return [
        f"{version}.\u00b2\u00b3.{signature}",
        f"{version}.{''.join(chr(0x660 + int(d)) for d in expires)}.{signature}",
        f"{version}.{'9' * 5000}.{signature}"[:200],
        f"{version}.{'9' * 190}.{signature}"[:200],
        f"{version}.{expires}.{'é' * len(signature)}",
        f"{version}.{expires}.\udc80{signature[1:]}",
    ]


def test_a_hostile_manage_token_is_404_on_every_manage_route(api, hotel):
    order = widget_order(api, hotel)
    path = f"/v1/public/orders/{order['id']}"
    pk = hotel["publishable_key"]
    before = snapshot(api.container)
    for token in hostile_tokens(order["manage_token"]):
        assert_error(api.call("GET", path, auth=pk, headers={"X-Manage-Token": token}), 404)
        for action in ("cancel", "payment"):
            r = api.call("POST", f"{path}/{action}", auth=pk, headers={"X-Manage-Token": token})
            assert_error(r, 404, "order_not_found")
    assert snapshot(api.container) == before
    ok = api.call("GET", path, auth=pk, headers={"X-Manage-Token": order["manage_token"]})
    assert ok.status_code == 200, ok.body


def test_a_hostile_manage_token_in_the_query_is_404(api, hotel):
    order = widget_order(api, hotel)
    path = f"/v1/public/orders/{order['id']}"
    version, expires, signature = order["manage_token"].split(".")
    token = f"{version}.%C2%B2.{signature}"  # m1.².<signature>, URL-encoded
    r = api.call("GET", f"{path}?token={token}", auth=hotel["publishable_key"])
    assert_error(r, 404, "order_not_found")


# -- staff tokens -----------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "header",
    [
        b'{"alg": "RS256", "kid": ' + b"[" * 3000 + b"]" * 3000 + b"}",
        json.dumps({"alg": "RS256", "kid": "\u00b2"}).encode(),
    ],
    ids=["deep_header", "odd_kid"],
)
def test_a_hostile_staff_token_is_401(api, hotel, header):
    token = f"{_b64(header)}.{_b64(b'{}')}.{_b64(b'sig')}"
    assert_error(api.call("GET", "/v1/tenant", auth=token), 401)


@pytest.mark.parametrize(
    "credential", ["a\udc80.b.c", "sk_\udc80", "\u00e9.\u00e9.\u00e9", "\u00b2"]
)
def test_a_credential_that_is_not_ascii_is_401(api, hotel, credential):
    assert_error(api.call("GET", "/v1/tenant", auth=credential), 401, "unauthenticated")


def test_a_calendar_feed_token_that_is_not_ascii_is_404(api, hotel):
    assert_error(api.call("GET", "/v1/calendar/t.r.\udc80\u00e9.ics"), 404)
