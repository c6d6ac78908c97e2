"""A failed refund reaches the business whatever its alert choices (review S7, item 4): the
customer is told "<business> will contact you", so the owners and managers are e-mailed even
when nobody chose alerts (a new business's state), except one who saved a choice without
payment alerts, and every owner's and manager's console feed shows it always
(notifications/services/owed_alerts.py)."""

from __future__ import annotations

import pytest

from tests.api.support import forbid_server_errors, invite, owner_id
from tests.api.test_money_messages_api import captured_stay, refund_webhook, settle_all
from tests.api.test_refund_failed_api import corrections, fail_at_stripe, staff_refund


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def refund_alerts(api, to: str) -> list:
    return [e for e in api.container.mailer.to(to) if "efund" in e.subject]


def feed(api, token: str) -> list[dict]:
    r = api.call("GET", "/v1/alerts", auth=token)
    assert r.status_code == 200, r.body
    return r.data["data"]


def choose(api, shop, user_id: str, kinds: list[str]) -> None:
    body = {"kinds": kinds, "scope": "all"}
    r = api.call("PUT", f"/v1/staff/{user_id}/alerts", auth=shop["secret_key"], body=body)
    assert r.status_code == 200, r.body


def a_refund_fails(api, shop, order, pid: str) -> None:
    staff_refund(api, shop, order["id"], 9000, f"{shop['slug']}-rf")
    settle_all(api)
    fail_at_stripe(api, shop, pid)
    refund_webhook(api, shop, pid, 1, "refund.failed")
    settle_all(api)


def test_a_failed_refund_reaches_someone_at_the_business_when_nobody_chose_payment_alerts(api):
    shop, order, pid = captured_stay(api, "rv7al")
    a_refund_fails(api, shop, order, pid)
    [correction] = corrections(api)
    assert "will contact you" in correction.text
    [alert] = refund_alerts(api, shop["owner_email"])
    assert alert.subject.startswith("Refund failed") and order["id"] in alert.text
    assert "turn payment alerts off" in alert.text  # says why it came unasked
    [shown] = feed(api, api.owner_token(shop))
    assert shown["kind"] == "payment" and shown["order_id"] == order["id"]


def test_a_manager_who_turned_payment_alerts_off_is_not_mailed_but_still_sees_it(api):
    shop, order, pid = captured_stay(api, "rv7off")
    manager, manager_token = invite(api, shop, "manager")
    choose(api, shop, manager["id"], ["booked"])  # payment alerts off, said explicitly
    staff, staff_token = invite(api, shop, "staff")
    a_refund_fails(api, shop, order, pid)
    assert len(refund_alerts(api, shop["owner_email"])) == 1  # the owner chose nothing: told
    assert refund_alerts(api, manager["email"]) == []
    shown = [a for a in feed(api, manager_token) if a["kind"] == "payment"]  # and its booking
    assert [a["order_id"] for a in shown] == [order["id"]]
    assert refund_alerts(api, staff["email"]) == []  # gives no refunds: as they chose (nothing)
    assert feed(api, staff_token) == []


def test_an_owner_who_chose_payment_alerts_is_mailed_once_as_chosen(api):
    shop, order, pid = captured_stay(api, "rv7chose")
    choose(api, shop, owner_id(api, shop), ["payment"])
    a_refund_fails(api, shop, order, pid)
    [alert] = refund_alerts(api, shop["owner_email"])
    assert "You chose these alerts" in alert.text
