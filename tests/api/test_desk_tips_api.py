"""Tips at the desk: a customer pays 150.00 in cash on a 135.00 bill and leaves the rest for the
staff (an outside tester was refused 422 `payment_too_large`). The tip is recorded on the
payment and on the day's takings, so the drawer adds up, but it is not the order's money: not
in what the order is paid, not in the paid figures, not on the invoice, never refunded. The
shop is the desk tests' hotel (2 nights at 120.00, 7 % tax included; Berlin, 2026-11-24)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.support import assert_error, forbid_server_errors, snapshot
from tests.api.test_desk_money_rules_api import cancel_by_business
from tests.api.test_desk_payments_api import booked, money, shop, take  # noqa: F401 (fixture)
from tests.api.test_invoices_api import issue, pdf_text
from tests.api.test_reports_api import _events, figures
from tests.api.test_takings_api import by_method, close, give_back, takings

TIP = 1500


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


def paid_with_tip(api, shop, method="cash", key=None) -> tuple[dict[str, Any], int]:  # noqa: F811
    """The order, paid in full with a tip on top; answers it and its total."""
    order = booked(api, shop)
    total = order["totals"]["total"]
    r = take(api, shop, order["id"], key=key, amount=total, method=method, tip=TIP)
    assert r.status_code == 201, r.body
    return order, total


def test_a_tip_is_on_the_payment_but_not_in_what_the_order_is_paid(api, shop):  # noqa: F811
    order, total = paid_with_tip(api, shop)

    got = money(api, shop, order["id"])
    [cash] = got["payments"]
    assert (cash["received"], cash["tip"], cash["method"]) == (total, TIP, "cash")
    assert (got["received"], got["balance"], got["payment_status"]) == (total, 0, "paid")
    read = api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data
    assert read["totals"]["paid"] == total and read["totals"]["total"] == total


def test_the_days_takings_count_the_tip_apart_and_the_drawer_adds_up(api, shop):  # noqa: F811
    order = booked(api, shop)
    cash_part = order["totals"]["total"] - 3000
    owner = api.owner_token(shop)
    assert take(api, shop, order["id"], amount=cash_part, method="cash", tip=TIP).status_code == 201
    by_card = take(api, shop, order["id"], amount=3000, method="card_terminal", tip=200, auth=owner)
    assert by_card.status_code == 201, by_card.body

    day = takings(api, shop)

    cash, card = by_method(day)["cash"], by_method(day)["card_terminal"]
    assert (cash["taken"], cash["tips"], cash["net"], cash["expected"]) == (
        cash_part,
        TIP,
        cash_part + TIP,
        cash_part + TIP,
    )
    assert (card["taken"], card["tips"], card["net"]) == (3000, 200, 3200)
    assert day["tips"] == TIP + 200
    staff = [(m["method"], m["taken"], m["tips"]) for s in day["staff"] for m in s["methods"]]
    assert sorted(staff) == [("card_terminal", 3000, 200), ("cash", cash_part, TIP)]
    entries = sorted((e["amount"], e["tip"]) for e in day["entries"])
    assert entries == sorted([(3000, 200), (cash_part, TIP)])
    [listed] = api.call(
        "GET", "/v1/takings?from=2026-11-24&to=2026-11-24", auth=shop["secret_key"]
    ).data["data"]
    assert listed["tips"] == TIP + 200
    counted = {"card_terminal": 3200}
    closed = close(api, shop, counted_cash=cash_part + TIP, counted_other=counted)
    assert closed.status_code == 201, closed.body
    assert [m["difference"] for m in closed.data["methods"]] == [0, 0]


def test_the_paid_figures_count_what_the_order_was_paid_not_the_tip(api, shop):  # noqa: F811
    order, total = paid_with_tip(api, shop)
    _events(api)

    paid = figures(api, shop, "basis=paid&from=2026-11-24&to=2026-11-24")
    sold = figures(api, shop, "basis=booked&from=2026-11-24&to=2026-11-24")

    assert paid.data["totals"]["money"]["EUR"]["payments"] == {"cash": total}
    assert sold.data["totals"]["money"]["EUR"]["gross"] == total


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"method": "gift_card", "gift_card_code": "GIFT-0000", "tip": 100}, "invalid_tip"),
        ({"method": "cash", "tip": 10**7}, "invalid_tip"),  # more than the order's total
        ({"method": "cash", "tip": -1}, "validation_failed"),
        ({"method": "cash", "tip": "ten"}, "validation_failed"),
    ],
)
def test_a_bad_tip_is_refused_and_changes_nothing(api, shop, body, code):  # noqa: F811
    order = booked(api, shop)
    before = snapshot(api.container)

    assert_error(take(api, shop, order["id"], amount=1000, **body), 422, code)

    assert snapshot(api.container) == before


def test_a_retried_payment_records_its_tip_once(api, shop):  # noqa: F811
    order, total = paid_with_tip(api, shop, key="till-7")
    for _ in range(2):
        again = take(api, shop, order["id"], key="till-7", amount=total, method="cash", tip=TIP)
        assert again.status_code == 201, again.body

    assert [p["tip"] for p in money(api, shop, order["id"])["payments"]] == [TIP]
    day = takings(api, shop)
    assert (day["entry_count"], day["tips"], by_method(day)["cash"]["net"]) == (
        1,
        TIP,
        total + TIP,
    )


def test_a_refund_gives_back_what_the_order_was_paid_never_the_tip(api, shop):  # noqa: F811
    order, total = paid_with_tip(api, shop)

    too_much = give_back(api, shop, order["id"], amount=total + 1, method="cash")
    assert_error(too_much, 422, "refund_too_large")
    assert give_back(api, shop, order["id"], amount=total, method="cash").status_code == 201

    cash = by_method(takings(api, shop))["cash"]
    assert (cash["taken"], cash["given_back"], cash["tips"], cash["net"]) == (
        total,
        total,
        TIP,
        TIP,  # the tip stays in the drawer: it is the staff's
    )


def test_a_cancellation_owes_back_what_was_paid_not_the_tip(api, shop):  # noqa: F811
    order, total = paid_with_tip(api, shop)

    cancelled = cancel_by_business(api, shop, order["id"]).data

    assert cancelled["totals"]["owed_back"] == total
    assert money(api, shop, order["id"])["balance"] == -total


def test_a_receipt_shows_the_tip_and_the_invoice_does_not_bill_it(api, shop):  # noqa: F811
    order, total = paid_with_tip(api, shop)
    [cash] = money(api, shop, order["id"])["payments"]

    receipt = api.call(
        "POST",
        f"/v1/orders/{order['id']}/receipts",
        auth=shop["secret_key"],
        body={"payment_id": cash["id"]},
    )
    invoice = issue(api, shop, order["id"])

    assert receipt.status_code == 201, receipt.body
    assert (receipt.data["total"], receipt.data["tip"], receipt.data["tax"]) == (total, TIP, 0)
    _, text = pdf_text(api, shop, receipt.data["id"])
    assert "Tip" in text and "EUR 15.00" in text
    _, chinese = pdf_text(api, shop, receipt.data["id"], "zh-Hans")
    assert "小费" in chinese
    assert invoice.status_code == 201, invoice.body
    assert (invoice.data["total"], invoice.data["paid"]) == (total, total)
    assert all("tip" not in line["label"].lower() for line in invoice.data["lines"])
