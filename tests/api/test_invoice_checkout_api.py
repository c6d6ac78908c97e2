"""The invoice a check-out e-mails (`invoice_at_completion`) states the bill and what was paid
as they are at check-out: an invoice staff issued earlier that no longer does (a minibar charge
since, the payment at the desk since) is credited in full, "reissued at check-out", and a new
one is issued and sent; one still right is sent as it is. Delivered twice, or retried after a
failure between the credit note and the new invoice: one note, one invoice, one e-mail."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest

from chalicelib.catalog.domain.catalog import DepositKind
from chalicelib.invoices.services import completion
from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.queues import EVENTS, MESSAGE_EVENTS
from tests.api.support import forbid_server_errors, patch_tenant
from tests.api.test_desk_payments_api import booked, take
from tests.api.test_folio_api import charge, minibar
from tests.api.test_invoices_api import BUSINESS, issue
from tests.api.test_notifications_api import invoke
from tests.api.test_payments_api import setup_shop


@pytest.fixture
def shop(api) -> dict[str, Any]:
    """A hotel in Berlin paid at the venue that invoices at check-out: 2 nights at 120.00 (7 %);
    no request answers a 500."""
    forbid_server_errors(api)
    tenant = setup_shop(api, "checkout-inn", connected=False, deposit=DepositKind.NONE)
    settings = {"business": BUSINESS, "invoice_at_completion": True}
    assert patch_tenant(api, tenant, settings).status_code == 200
    return tenant


def step(api, shop, order_id: str, name: str, **body) -> None:
    r = api.call("POST", f"/v1/orders/{order_id}/{name}", auth=shop["secret_key"], body=body)
    assert r.status_code == 200, r.body


def deliver(api, times: int = 2) -> list[dict[str, Any]]:
    """The message events since the last call, delivered `times` times; each answer."""
    relayed = api.container.relayed_events(MESSAGE_EVENTS.name)
    return [
        invoke(api, "dispatch_message_events", MESSAGE_EVENTS.name, relayed) for _ in range(times)
    ]


def documents(api, shop, order_id: str) -> dict[str, Any]:
    r = api.call("GET", f"/v1/orders/{order_id}/invoices", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def get(api, shop, doc_id: str) -> dict[str, Any]:
    r = api.call("GET", f"/v1/invoices/{doc_id}", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    return r.data


def mailed_pdfs(api) -> list[tuple[str, str]]:
    """Each PDF e-mailed to the customer: its file name and its text."""
    return [
        (a.filename, "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(a.data)).pages))
        for m in api.container.mailer.to("ada@example.com")
        for a in m.attachments
        if a.content_type == "application/pdf"
    ]


def checked_in_and_invoiced(api, shop) -> tuple[dict[str, Any], dict[str, Any]]:
    """Checked in and invoiced at check-in, nothing paid yet (the messages so far taken)."""
    order = booked(api, shop)
    step(api, shop, order["id"], "check-in", early=True)
    first = issue(api, shop, order["id"])
    assert first.status_code == 201, first.body
    assert (first.data["total"], first.data["paid"]) == (24000, 0)
    deliver(api, times=1)
    return order, first.data


def test_checkout_credits_an_invoice_the_minibar_and_the_payment_outdated_and_mails_a_new_one(
    api, shop
):
    order, first = checked_in_and_invoiced(api, shop)
    item = minibar(api, shop)
    assert charge(api, shop, order["id"], item_id=item["id"]).status_code == 201
    assert take(api, shop, order["id"], amount=24450, method="cash").status_code == 201
    step(api, shop, order["id"], "complete")

    assert deliver(api) == [{"batchItemFailures": []}] * 2  # delivered twice

    listed = documents(api, shop, order["id"])
    kinds = [(d["kind"], d["number"], d["total"]) for d in listed["documents"]]
    assert kinds == [
        ("invoice", "INV-2026-000001", 24000),
        ("credit_note", "CN-2026-000001", -24000),
        ("invoice", "INV-2026-000002", 24450),
    ]
    note = get(api, shop, listed["documents"][1]["id"])
    assert (note["credits"], note["reason"]) == (first["id"], "reissued at check-out")
    new = get(api, shop, listed["documents"][2]["id"])
    assert (new["total"], new["paid"], listed["live_invoice"]) == (24450, 24450, new["id"])
    [(filename, text)] = mailed_pdfs(api)  # one e-mail, the new invoice
    assert filename == "INV-2026-000002.pdf"
    for words in ("Minibar", "Total EUR 244.50", "Paid EUR 244.50", "Balance due EUR 0.00"):
        assert words in text, words


def test_checkout_reissues_an_invoice_when_only_what_was_paid_changed(api, shop):
    order, first = checked_in_and_invoiced(api, shop)
    assert take(api, shop, order["id"], amount=24000, method="cash").status_code == 201
    step(api, shop, order["id"], "complete")

    deliver(api)

    listed = documents(api, shop, order["id"])
    assert [d["number"] for d in listed["documents"]] == [
        "INV-2026-000001",
        "CN-2026-000001",
        "INV-2026-000002",
    ]
    new = get(api, shop, listed["live_invoice"])
    assert (new["total"], new["paid"]) == (24000, 24000)  # nothing asked that was paid
    [(filename, text)] = mailed_pdfs(api)
    assert filename == "INV-2026-000002.pdf"
    assert "Balance due EUR 0.00" in text


def test_checkout_sends_an_invoice_that_still_states_the_bill_and_the_payment_as_it_is(api, shop):
    order = booked(api, shop)
    step(api, shop, order["id"], "check-in", early=True)
    assert take(api, shop, order["id"], amount=24000, method="cash").status_code == 201
    first = issue(api, shop, order["id"]).data
    step(api, shop, order["id"], "complete")

    deliver(api)

    listed = documents(api, shop, order["id"])
    assert [d["id"] for d in listed["documents"]] == [first["id"]]
    [(filename, _)] = mailed_pdfs(api)
    assert filename == f"{first['number']}.pdf"


def test_a_failure_between_the_credit_note_and_the_new_invoice_is_retried_into_one_of_each(
    api, shop, monkeypatch
):
    order, first = checked_in_and_invoiced(api, shop)
    assert take(api, shop, order["id"], amount=24000, method="cash").status_code == 201
    step(api, shop, order["id"], "complete")
    real = completion.issue_invoice
    calls: list[str] = []

    def fails_once(ctx, order_id, **kw):
        calls.append(order_id)
        if len(calls) == 1:
            raise TransientFailure("The table was busy.", code="busy")
        return real(ctx, order_id, **kw)

    monkeypatch.setattr(completion, "issue_invoice", fails_once)
    relayed = api.container.relayed_events(MESSAGE_EVENTS.name)

    failed = invoke(api, "dispatch_message_events", MESSAGE_EVENTS.name, relayed)
    assert failed["batchItemFailures"]  # the message comes back
    assert [d["kind"] for d in documents(api, shop, order["id"])["documents"]] == [
        "invoice",
        "credit_note",
    ]
    assert mailed_pdfs(api) == []
    for _ in range(2):
        again = invoke(api, "dispatch_message_events", MESSAGE_EVENTS.name, relayed)
        assert again == {"batchItemFailures": []}

    listed = documents(api, shop, order["id"])
    assert [d["number"] for d in listed["documents"]] == [
        "INV-2026-000001",
        "CN-2026-000001",
        "INV-2026-000002",
    ]
    assert [name for name, _ in mailed_pdfs(api)] == ["INV-2026-000002.pdf"]


def test_a_bill_that_fell_after_its_invoice_and_rose_again_is_invoiced_anew_at_checkout(api, shop):
    """A minibar charge voided after the invoice (a credit note follows the bill down) and
    charged again: the invoice's total equals the bill again, but with its note it states
    less. A second invoice is refused as out of date (`order_changed`), and the check-out
    credits what is left of it and sends a new one that states the bill."""
    order = booked(api, shop)
    step(api, shop, order["id"], "check-in", early=True)
    charge(api, shop, order["id"], label="Minibar", unit_amount=900, tax_rate_bp=2000)
    first = issue(api, shop, order["id"]).data
    assert first["total"] == 24900
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    minibar_id = next(c["id"] for c in money["charges"] if c["label"] == "Minibar")
    void = f"/v1/orders/{order['id']}/charges/{minibar_id}/void"
    r = api.call("POST", void, auth=shop["secret_key"], body={"reason": "Not taken"})
    assert r.status_code == 200, r.body
    relayed = api.container.relayed_events(EVENTS.name)
    assert invoke(api, "dispatch_events", EVENTS.name, relayed) == {"batchItemFailures": []}
    assert [d["total"] for d in documents(api, shop, order["id"])["documents"]] == [24900, -900]
    charge(api, shop, order["id"], label="Minibar", unit_amount=900, tax_rate_bp=2000)

    again = issue(api, shop, order["id"])
    assert again.status_code == 409, again.body
    assert again.data["error"]["details"]["order_changed"] is True
    assert documents(api, shop, order["id"])["creditable"] == 24000  # what it states now

    assert take(api, shop, order["id"], amount=24900, method="cash").status_code == 201
    step(api, shop, order["id"], "complete")
    deliver(api)

    listed = documents(api, shop, order["id"])
    assert [(d["kind"], d["total"]) for d in listed["documents"]] == [
        ("invoice", 24900),
        ("credit_note", -900),
        ("credit_note", -24000),
        ("invoice", 24900),
    ]
    new = get(api, shop, listed["live_invoice"])
    assert (new["total"], new["paid"]) == (24900, 24900)
    [(filename, text)] = mailed_pdfs(api)
    assert filename == f"{new['number']}.pdf"
    assert "Balance due EUR 0.00" in text
