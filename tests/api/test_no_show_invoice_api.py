"""A no-show's invoice bills what the no-show keeps (an outside tester: an invoice issued after
a no-show billed the whole stay and its PDF asked the guest for 120.00 they did not owe; one
issued before it stayed live at the stay's price after the no-show and its refund)."""

from __future__ import annotations

from chalicelib.catalog.domain.payment_policy import DepositPolicy
from chalicelib.queues import EVENTS
from tests.api.support import assert_error
from tests.api.test_no_show_api import _at, _confirmed_stay, _shop
from tests.api.test_notifications_api import invoke
from tests.builders import room_type, stay_offering


def _docs(api, shop, path: str) -> dict:
    listed = api.call("GET", f"{path}/invoices", auth=shop["secret_key"])
    assert listed.status_code == 200, listed.body
    return listed.data


def _deliver(api) -> None:
    relayed = api.container.relayed_events(EVENTS.name)
    for _ in range(2):  # delivered twice: one note
        assert invoke(api, "dispatch_events", EVENTS.name, relayed) == {"batchItemFailures": []}


def test_an_invoice_issued_after_a_no_show_bills_its_fee(api):
    strict = DepositPolicy(no_show_fee=4000)
    shop = _shop(api, "noshow-bill", room_type(rooms=2), stay_offering(deposit=strict))
    path = _confirmed_stay(api, shop)
    _at(api, 2026, 12, 25, 9, 0)
    assert api.call("POST", f"{path}/no-show", auth=shop["secret_key"]).status_code == 200
    inv = api.call("POST", f"{path}/invoices", auth=shop["secret_key"], body={})
    assert inv.status_code == 201, inv.body
    assert (inv.data["total"], inv.data["paid"]) == (4000, 0)
    assert [(line["label"], line["total"]) for line in inv.data["lines"]] == [("No-show fee", 4000)]
    assert [(b["tax_rate_bp"], b["total"], b["tax"]) for b in inv.data["tax_bands"]] == [
        (700, 4000, 262)
    ]


def test_a_no_show_without_a_fee_bills_nothing_and_credits_its_invoice_in_full(api):
    shop = _shop(api, "noshow-credit", room_type(rooms=2), stay_offering())
    path = _confirmed_stay(api, shop)
    inv = api.call("POST", f"{path}/invoices", auth=shop["secret_key"], body={})
    assert inv.status_code == 201 and inv.data["total"] == 12000, inv.body
    _at(api, 2026, 12, 25, 9, 0)
    assert api.call("POST", f"{path}/no-show", auth=shop["secret_key"]).status_code == 200
    _deliver(api)
    listed = _docs(api, shop, path)
    assert [d["total"] for d in listed["documents"]] == [12000, -12000]
    assert listed["live_invoice"] is None
    again = api.call("POST", f"{path}/invoices", auth=shop["secret_key"], body={})
    assert_error(again, 409, "order_not_invoiceable")


def test_a_no_show_with_a_fee_credits_its_invoice_down_to_the_fee(api):
    strict = DepositPolicy(no_show_fee=4000)
    shop = _shop(api, "noshow-down", room_type(rooms=2), stay_offering(deposit=strict))
    path = _confirmed_stay(api, shop)
    assert api.call("POST", f"{path}/invoices", auth=shop["secret_key"], body={}).status_code == 201
    _at(api, 2026, 12, 25, 9, 0)
    assert api.call("POST", f"{path}/no-show", auth=shop["secret_key"]).status_code == 200
    _deliver(api)
    listed = _docs(api, shop, path)
    assert [d["total"] for d in listed["documents"]] == [12000, -8000]
    assert listed["creditable"] == 4000


def test_a_no_show_fee_above_the_bill_keeps_the_bill_and_its_invoice_says_it(api):
    """A reviewer: a 200.00 fee on a 120.00 stay asked 200.00 while its invoice billed 120.00,
    which then read as out of date for good."""
    steep = DepositPolicy(no_show_fee=20000)
    shop = _shop(api, "noshow-steep", room_type(rooms=2), stay_offering(deposit=steep))
    path = _confirmed_stay(api, shop)
    _at(api, 2026, 12, 25, 9, 0)
    assert api.call("POST", f"{path}/no-show", auth=shop["secret_key"]).status_code == 200
    money = api.call("GET", f"{path}/payments", auth=shop["secret_key"]).data
    inv = api.call("POST", f"{path}/invoices", auth=shop["secret_key"], body={})
    assert (money["balance"], inv.data["total"]) == (12000, 12000), (money, inv.body)


def test_the_widget_is_told_the_no_show_fee_before_booking(api):
    """An outside tester's restaurant charged a no-show fee its customers were never told of:
    the public offering says it, for the widget to say before the customer books."""
    steep = DepositPolicy(no_show_fee=2000)
    shop = _shop(api, "noshow-said", room_type(rooms=2), stay_offering(deposit=steep))
    listed = api.call("GET", "/v1/public/offerings", auth=shop["publishable_key"])
    assert listed.status_code == 200, listed.body
    [offering] = listed.data["data"]
    assert offering["deposit"]["no_show_fee"] == 2000
