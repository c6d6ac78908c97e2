"""A stay's confirmation e-mail in words a person would write (probe5, item 12): "1 night",
"2 nights" (never "night(s)"; Chinese has no plural: "1 晚"), and, when part is paid, what was
paid and what is still to pay, so a deposit is not left to be guessed from the total. A hotel in
Berlin, the clock at 2026-11-24 09:00 UTC."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import forbid_server_errors
from tests.api.test_notifications_api import deliver_events
from tests.builders import room_type, stay_offering


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def hotel(api) -> dict[str, Any]:
    tenant = api.signup("mail-words-inn")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(room_type(rooms=3), expected_rev=None)
    data.catalog.put_offering(stay_offering(), expected_rev=None)  # 120.00 a night
    return tenant


def confirmed_mail(api, hotel, nights: int, locale: str = "en", paid: int = 0) -> Any:
    body = {
        "customer": {"name": "Ada", "email": f"ada{nights}{locale}@example.com", "locale": locale},
        "lines": [{"offering_id": "off_stay", "check_in": "2026-12-10", "nights": nights}],
    }
    order = api.call("POST", "/v1/orders", auth=hotel["secret_key"], body=body).data
    path = f"/v1/orders/{order['id']}"
    assert api.call("POST", f"{path}/confirm", auth=hotel["secret_key"]).status_code == 200
    if paid:  # at the desk, before the confirmation is written (the worker reads the order)
        pay = {"amount": paid, "method": "cash"}
        r = api.call("POST", f"{path}/payments", auth=hotel["secret_key"], body=pay)
        assert r.status_code == 201, r.body
    assert deliver_events(api) == {"batchItemFailures": []}
    mails = [m for m in api.container.mailer.sent if order["id"] in m.text]
    [mail] = [m for m in mails if m.subject.startswith(("Confirmed", "预订已确认"))]
    return mail


def test_one_night_and_two_nights_are_said_as_such(api, hotel):
    one = confirmed_mail(api, hotel, 1)
    assert "1 night (" in one.text and "night(s)" not in one.text
    two = confirmed_mail(api, hotel, 2)
    assert "2 nights (" in two.text and "night(s)" not in two.text
    chinese = confirmed_mail(api, hotel, 1, locale="zh-CN")
    assert "1 晚" in chinese.text


def test_a_part_paid_stay_says_what_was_paid_and_what_is_still_to_pay(api, hotel):
    mail = confirmed_mail(api, hotel, 2, paid=5000)
    assert "Total: EUR 240.00" in mail.text
    assert "Paid: EUR 50.00. Still to pay: EUR 190.00." in mail.text
    assert "Still to pay: EUR 190.00." in (mail.html or "")
    chinese = confirmed_mail(api, hotel, 1, locale="zh-CN", paid=2000)
    assert "已付：EUR 20.00。尚需支付：EUR 100.00。" in chinese.text


def test_an_unpaid_stay_says_only_its_total(api, hotel):
    mail = confirmed_mail(api, hotel, 1)
    assert "Total: EUR 120.00" in mail.text and "Still to pay" not in mail.text


def test_a_changed_stay_says_what_was_paid_and_what_is_still_to_pay(api, hotel):
    """A revenue manager's tester: after a deposit, the "Changed" e-mail gave the new total
    alone, so the guest could not tell what was still to pay after the change."""
    confirmed = confirmed_mail(api, hotel, 2, paid=5000)
    order_id = next(w for w in confirmed.text.split() if w.startswith("ord_"))
    r = api.call(
        "POST", f"/v1/orders/{order_id}/stay", auth=hotel["secret_key"], body={"nights": 3}
    )
    assert r.status_code == 200, r.body
    assert deliver_events(api) == {"batchItemFailures": []}
    [changed] = [
        m
        for m in api.container.mailer.sent
        if order_id in m.text and m.subject.startswith("Changed")
    ]
    assert "Total: EUR 360.00" in changed.text
    assert "Paid: EUR 50.00. Still to pay: EUR 310.00." in changed.text
    assert "Still to pay: EUR 310.00." in (changed.html or "")
