"""The privacy routes: a manager exports everything held about a customer (a file behind an
expiring link); the owner erases them after typing their e-mail, once their bookings are over
or cancelled; the orders stay, anonymised; a second erase changes nothing."""

from __future__ import annotations

import json
import urllib.parse
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.catalog.domain.catalog import DepositKind
from chalicelib.customers.domain.identity import customer_id_for
from tests.api.support import assert_error, forbid_server_errors
from tests.api.test_bulk_jobs_api import work
from tests.api.test_payments_api import setup_shop

ADA = {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+447700900123"}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def shop(api) -> dict[str, Any]:
    return setup_shop(api, "privacy-inn", connected=False, deposit=DepositKind.NONE)


def book(api, shop, check_in: str, customer: dict[str, str] = ADA) -> dict[str, Any]:
    body = {
        "customer": customer,
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": 1}],
    }
    key = {"Idempotency-Key": f"book-{check_in}-{customer['email']}"}  # the order keeps its mark
    r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body, headers=key)
    assert r.status_code == 201, r.body
    return r.data


def cancel(api, shop, order_id: str) -> None:
    r = api.call("POST", f"/v1/orders/{order_id}/cancel", auth=shop["secret_key"], body={})
    assert r.status_code == 200, r.body


def path(ref: str, action: str) -> str:
    return f"/v1/customers/{urllib.parse.quote(ref, safe='')}/{action}"


def export(api, auth, ref: str = ADA["email"], key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return api.call("POST", path(ref, "export"), auth=auth, body={}, headers=headers)


def erase(api, auth, ref: str = ADA["email"], confirm: str | None = ADA["email"], key=None):
    headers = {"Idempotency-Key": key} if key else {}
    body = {} if confirm is None else {"confirm": confirm}
    return api.call("POST", path(ref, "erase"), auth=auth, body=body, headers=headers)


def test_a_manager_exports_a_customer_by_email_phone_or_id(api, shop):
    first = book(api, shop, "2026-12-24")
    book(api, shop, "2026-12-26", {"name": "Bob", "email": "bob@example.com"})
    manager = api.staff_token(shop, "manager")

    r = export(api, manager, key="exp-1")

    assert r.status_code == 201, r.body
    cid = customer_id_for(ADA["email"])
    assert (r.data["customer_id"], r.data["orders"]) == (cid, 1)
    doc_bytes = api.container.export_files.fetch(r.data["url"])
    doc = json.loads(doc_bytes)
    assert [o["id"] for o in doc["orders"]] == [first["id"]]
    assert doc["orders"][0]["customer"] == {**ADA, "locale": None, "merged_to": ""}
    assert "request_keys" not in doc["orders"][0]  # the API's bookkeeping, not her data
    assert doc["contacts"] == {"emails": [ADA["email"]], "phones": []}
    assert r.data["size"] == len(api.container.export_files.fetch(r.data["url"]))
    # A retry an hour later: the same export (no second file, no second audit entry), its
    # link signed again (the first stopped working 15 minutes after it was made).
    api.container.clock.advance(3600)
    again = export(api, manager, key="exp-1")
    assert again.headers.get("Idempotent-Replayed") == "true"
    kept = ("url", "expires_at")
    assert {k: v for k, v in again.data.items() if k not in kept} == {
        k: v for k, v in r.data.items() if k not in kept
    }
    now = api.container.clock.moment
    expires = datetime.fromisoformat(again.data["expires_at"].replace("Z", "+00:00"))
    assert expires - now == timedelta(minutes=15) and again.data["url"] != r.data["url"]
    assert api.container.export_files.fetch(again.data["url"]) == doc_bytes
    assert len(api.container.export_files.files) == 1
    audit = api.call("GET", "/v1/audit", auth=api.owner_token(shop)).data["data"]
    linked = [e for e in audit if e["action"] == "customer.exported"]
    assert len(linked) == 2  # each link is a download of her data
    # Once the file is gone (erased with the customer, or expired), a retry says so.
    api.container.export_files.files.clear()
    assert_error(export(api, manager, key="exp-1"), 404, "export_gone")
    # The phone names the customer it belongs to: no record counted yet, so the one the orders
    # carrying it name by their e-mail (services/privacy.py `phone_owner`)
    by_phone = export(api, manager, ADA["phone"]).data
    assert (by_phone["customer_id"], by_phone["orders"]) == (cid, 1)
    # An id alone names the record it keys; with none counted yet (the events' consumer has
    # not run here), nothing is held under it: 404, not an empty file.
    assert_error(export(api, manager, cid), 404, "customer_not_found")
    assert_error(export(api, manager, customer_id_for("nobody@example.com")), 404)


def test_an_export_is_refused_to_staff_and_for_a_customer_named_by_nothing(api, shop):
    assert_error(export(api, api.staff_token(shop, "staff")), 403)
    assert_error(export(api, shop["secret_key"], "ada"), 422, "invalid_customer")
    assert_error(export(api, shop["secret_key"], "07700 900123"), 422, "invalid_customer")


def test_the_owner_erases_a_customer_whose_bookings_are_over_or_cancelled(api, shop):
    order = book(api, shop, "2026-12-24")
    bob = book(api, shop, "2026-12-26", {"name": "Bob", "email": "bob@example.com"})
    owner = api.owner_token(shop)
    export(api, owner)

    refused = assert_error(erase(api, owner), 409, "customer_has_open_bookings")
    assert refused["details"]["order_ids"] == [order["id"]]
    cancel(api, shop, order["id"])
    r = erase(api, owner, key="erase-1")

    assert r.status_code == 200, r.body
    assert (r.data["done"], r.data["orders"], r.data["files"]) == (True, 1, 1)
    assert api.container.export_files.files == {}
    got = api.call("GET", f"/v1/orders/{order['id']}", auth=owner).data
    assert got["customer"]["name"] == "Erased customer"
    assert got["customer"]["email"].endswith("@erased.invalid")
    # Her name and address, not "ada" alone: a random hex id may hold those three letters.
    assert "lovelace" not in json.dumps(got).lower()
    assert "ada@example.com" not in json.dumps(got).lower()
    assert api.call("GET", f"/v1/orders/{bob['id']}", auth=owner).data["customer"]["name"] == "Bob"
    found = api.call("GET", "/v1/orders?email=ada%40example.com", auth=owner)
    assert found.status_code == 200 and found.data["data"] == []
    replay = erase(api, owner, key="erase-1")
    assert replay.data == r.data and replay.headers.get("Idempotent-Replayed") == "true"
    again = erase(api, owner, key="erase-2")
    assert (again.status_code, again.data["orders"], again.data["records"]) == (200, 0, 0)
    audit = api.call("GET", "/v1/audit", auth=owner).data
    erased = [e for e in audit["data"] if e["action"] == "customer.erased"]
    assert [e["target"] for e in erased] == [f"customer:{customer_id_for(ADA['email'])}"]


def test_an_erase_needs_the_owner_and_a_typed_confirmation(api, shop):
    owner = api.owner_token(shop)
    assert_error(erase(api, api.staff_token(shop, "manager")), 403)
    assert_error(erase(api, owner, confirm=None), 422)
    assert_error(erase(api, owner, confirm="bob@example.com"), 422, "erase_not_confirmed")
    assert_error(erase(api, owner, ref="not-a-customer"), 422, "invalid_customer")


def test_an_erase_takes_the_customer_off_the_days_takings_but_keeps_the_amounts(api, shop):
    order = book(api, shop, "2026-12-24")
    owner = api.owner_token(shop)
    confirmed = api.call(
        "POST", f"/v1/orders/{order['id']}/confirm", auth=shop["secret_key"], body={}
    )
    assert confirmed.status_code == 200, confirmed.body
    paid = api.call(
        "POST",
        f"/v1/orders/{order['id']}/payments",
        auth=shop["secret_key"],
        body={"amount": 1000, "method": "cash", "reference": "Ada Lovelace paid, ada@example.com"},
        headers={"Idempotency-Key": "pay-1"},
    )
    assert paid.status_code == 201, paid.body
    cancel(api, shop, order["id"])
    day = "2026-11-24"  # the test clock's day at the inn (tests/api/test_takings_api.py)
    before = api.call("GET", f"/v1/takings/{day}", auth=owner).data["entries"]
    assert any("Lovelace" in e["reference"] for e in before)
    # Owed her money back, she is not erased until it is given back: once erased, nobody
    # could be reached to return it (an outside tester's erased guest was still owed $49).
    owed = assert_error(erase(api, owner), 409, "customer_owed_money")
    assert owed["details"]["order_ids"] == [order["id"]]
    still = api.call("GET", f"/v1/orders/{order['id']}", auth=owner).data
    assert still["customer"]["name"] == ADA["name"]
    back = {"amount": 1000, "method": "cash", "reason": "Cancelled"}
    r = api.call("POST", f"/v1/orders/{order['id']}/refunds", auth=shop["secret_key"], body=back)
    assert r.status_code == 201, r.body

    assert erase(api, owner).status_code == 200

    entries = api.call("GET", f"/v1/takings/{day}", auth=owner).data["entries"]
    mine = [e for e in entries if e["order_id"] == order["id"]]
    assert mine and mine[0]["amount"] == 1000 and mine[0]["method"] == "cash"
    text = json.dumps(mine).lower()
    assert "ada@" not in text and "lovelace" not in text  # "ada" alone may be in a hex id


def test_an_erase_scrubs_a_bulk_message_that_named_the_customer(api, shop):
    """A bulk job keeps its words 90 days: an outside tester's "Hi Zed Erasable" stayed in the
    job after Zed's erase. Her name goes; the job's other words stay."""
    order = book(api, shop, "2026-12-24")
    body = {
        "action": "message",
        "order_ids": [order["id"]],
        "subject": "Hi Ada Lovelace",
        "body": "Dear Ada Lovelace, the pool is closed tomorrow.",
    }
    started = api.call("POST", "/v1/bulk-jobs", auth=shop["secret_key"], body=body)
    assert started.status_code == 202, started.body
    work(api)
    cancel(api, shop, order["id"])
    assert erase(api, api.owner_token(shop)).status_code == 200

    tenant = api.container.platform.get_tenant(shop["tenant_id"])
    job = api.container.tenant_data.for_tenant(tenant).bulk_jobs.get(started.data["id"])
    assert job is not None
    words = f"{job.subject} {job.body}".lower()
    assert "lovelace" not in words and "pool is closed tomorrow" in words


@pytest.mark.parametrize("typed", ["+44 7700 900123", "07700 900123", "(7700) 900-123"])
def test_the_confirmation_takes_the_phone_as_people_write_it(api, shop, typed):
    order = book(api, shop, "2026-12-24")
    cancel(api, shop, order["id"])
    owner = api.owner_token(shop)
    assert_error(erase(api, owner, confirm="900123"), 422, "erase_not_confirmed")
    r = erase(api, owner, confirm=typed)
    assert r.status_code == 200 and r.data["orders"] == 1, r.body


def test_an_erase_finds_the_phone_however_the_desk_wrote_it(api, shop):
    """An outside tester's erased customer kept "+1 212-555-0188", "(212) 555-0188" and
    "212.555.0188" in a cancellation reason and "tel 2125550188" in a payment's reference:
    only the stored "+12125550188" was looked for."""
    us = {"name": "Ingrid Bergstrom", "email": "ingrid@example.com", "phone": "+12125550188"}
    order = book(api, shop, "2026-12-24", us)
    owner = api.owner_token(shop)
    said = "Guest +1 212-555-0188 / (212) 555-0188 / 212.555.0188 / 001 212 555 0188 cancelled"
    r = api.call(
        "POST",
        f"/v1/orders/{order['id']}/cancel",
        auth=shop["secret_key"],
        body={"reason": said},
    )
    assert r.status_code == 200, r.body

    assert erase(api, owner, ref=us["email"], confirm=us["email"]).status_code == 200

    got = json.dumps(api.call("GET", f"/v1/orders/{order['id']}", auth=owner).data)
    for digits in ("555-0188", "555.0188", "555 0188", "5550188"):
        assert digits not in got, got
