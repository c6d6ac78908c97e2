"""The no-show fee charged to the card saved at booking is told to the guest (an outside
tester: the fee was taken and the guest heard only "We missed you", with no word of it)."""

from __future__ import annotations

from dataclasses import replace

from tests.api.support import forbid_server_errors
from tests.api.test_balance_api import BALANCE, at, balance_shop, deposit_paid
from tests.api.test_notifications_api import deliver_events


def test_the_no_show_fee_charged_to_the_saved_card_gets_a_receipt(api):
    forbid_server_errors(api)
    shop = balance_shop(api, policy=replace(BALANCE, no_show_fee=20000))
    order = deposit_paid(api, shop)  # 72.00 online, the card kept
    at(api, "2026-12-25T09:00:00.000000Z")  # the day after the arrival day
    path = f"/v1/orders/{order['id']}/no-show"
    assert api.call("POST", path, auth=shop["secret_key"]).status_code == 200
    for _ in range(3):  # the no-show, then the fee's charge; delivered again: once
        assert deliver_events(api) == {"batchItemFailures": []}
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    assert money["payments"][-1]["kind"] == "no_show_fee" and money["balance"] == 0
    subjects = [e.subject for e in api.container.mailer.sent if "ada@example.com" in str(e.to)]
    fee_mails = [s for s in subjects if "128.00" in s]
    assert len(fee_mails) == 1 and fee_mails[0].startswith("Payment received"), subjects
