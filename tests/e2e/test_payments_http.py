"""Stripe's webhook over real HTTP: verified, idempotent, and never crossing tenants."""

from __future__ import annotations

import time

import pytest

from local.resources import LOCAL_STRIPE_WEBHOOK_SECRET
from tests.e2e.conftest import ahead
from tests.stripe_events import event, signed

# One localstripe per machine: its state file is shared (tests/conftest.py).
pytestmark = pytest.mark.xdist_group("localstripe")


def _post(http, evt, *, secret=LOCAL_STRIPE_WEBHOOK_SECRET, at=None):
    payload, headers = signed(evt, secret, int(time.time()) if at is None else at)
    headers["Content-Type"] = "application/json"
    return http.call("POST", "/v1/webhooks/stripe", data=payload, headers=headers)


def test_a_bad_or_stale_signature_is_400_and_a_good_one_is_accepted_once(http_with_stripe):
    http = http_with_stripe
    evt = event(
        "payment_intent.succeeded", "pi_e2e_unknown", event_id="evt_e2e_1", account="acct_nobody"
    )
    assert _post(http, evt, secret="whsec_wrong").status_code == 400
    assert _post(http, evt, at=int(time.time()) - 3600).status_code == 400
    first = _post(http, evt)
    again = _post(http, evt)
    assert first.status_code == 200 and again.status_code == 200


def test_an_event_for_another_tenants_account_changes_nothing_here(http_with_stripe):
    http = http_with_stripe
    tenant = http.signup("payer")
    sk = tenant["secret_key"]
    room = http.call(
        "POST", "/v1/resources", key=sk, json={"name": "Room", "kind": "nightly", "capacity": 1}
    ).json()
    offer = http.call(
        "POST",
        "/v1/offerings",
        key=sk,
        json={
            "name": "Room",
            "kind": "nightly",
            "requirements": [{"resource_id": room["id"]}],
            "pricing": {"amount": 10000, "basis": "night"},
        },
    ).json()
    held = http.call(
        "POST",
        "/v1/orders",
        key=sk,
        json={
            "customer": {"name": "Ada", "email": "ada@example.com"},
            "lines": [{"offering_id": offer["id"], "check_in": ahead()}],
        },
    ).json()
    evt = event(
        "payment_intent.succeeded",
        "pi_e2e_other",
        event_id="evt_e2e_2",
        account="acct_someone_else",
        metadata={"order_id": held["id"], "tenant_id": tenant["tenant_id"]},
    )
    assert _post(http, evt).status_code == 200
    time.sleep(2)  # the worker loop has had its chance to act on it
    order = http.call("GET", f"/v1/orders/{held['id']}", key=sk).json()
    assert order["status"] == "held" and order["payment_status"] == "unpaid"
