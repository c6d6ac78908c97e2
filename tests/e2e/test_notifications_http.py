"""Over real HTTP with the worker loop: a confirmed stay e-mails its guest once, with the .ics,
in the guest's language; another tenant's template changes nothing here; what was sent is
visible through local.mailbox (moto's state)."""

from __future__ import annotations

import time

from local.mailbox import sent
from tests.e2e.conftest import ahead


def stay(http, tenant):
    sk = tenant["secret_key"]
    room = http.call(
        "POST", "/v1/resources", key=sk, json={"name": "Double", "kind": "nightly", "capacity": 2}
    ).json()
    return http.call(
        "POST",
        "/v1/offerings",
        key=sk,
        json={
            "name": "Double stay",
            "kind": "nightly",
            "requirements": [{"resource_id": room["id"]}],
            "pricing": {"amount": 10000, "basis": "night"},
        },
    ).json()["id"]


def wait_for(endpoint, address, count, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        mine = [e for e in sent(endpoint)[0] if address in e.to]
        if len(mine) >= count:
            return mine
        time.sleep(0.3)
    raise AssertionError(f"{address} got fewer than {count} e-mails")


def test_a_confirmed_stay_emails_its_guest_in_chinese_with_a_calendar_file(http, stack):
    tenant, other = http.signup("notify"), http.signup("notify-other")
    mine = {"subject": "OTHER TENANT", "text": "x", "html": "x"}
    put = http.call(
        "PUT", "/v1/templates/confirmed/email/zh-Hans", key=other["secret_key"], json=mine
    )
    assert put.status_code == 200, put.text
    bad = http.call(
        "PUT",
        "/v1/templates/confirmed/email/zh-Hans",
        key=tenant["secret_key"],
        json={"subject": "{{ ''.__class__ }}", "text": "x", "html": "x"},
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "template_refused"

    address = f"li@{tenant['slug']}.example"
    body = {
        "customer": {"name": "李雷", "email": address, "locale": "zh-Hans-CN"},
        "lines": [{"offering_id": stay(http, tenant), "check_in": ahead(), "nights": 2}],
    }
    held = http.call("POST", "/v1/orders", key=tenant["secret_key"], json=body)
    assert held.status_code == 201, held.text
    wait_for(stack.aws_endpoint, address, 1)
    oid = held.json()["id"]
    confirmed = http.call("POST", f"/v1/orders/{oid}/confirm", key=tenant["secret_key"], json={})
    assert confirmed.status_code == 200, confirmed.text
    held_mail, confirmation = wait_for(stack.aws_endpoint, address, 2)
    assert "保留" in held_mail.subject
    assert confirmation.subject.startswith("预订已确认") and "OTHER" not in confirmation.subject
    assert confirmation.attachments == ["booking.ics (text/calendar)"]
    time.sleep(2)  # nothing more arrives: each event has its effect once
    assert len([e for e in sent(stack.aws_endpoint)[0] if address in e.to]) == 2
