"""Invoices and credit notes: issued from the order's bill (booked lines and the folio, tax per
rate), the business's legal details as they stood, numbered per series and year without a gap,
never changed after; one live invoice an order, credited in full before another; PDFs in
English and Chinese (the text read back from the file) behind a link that expires."""

from __future__ import annotations

import base64
import io
import json
import urllib.parse
from datetime import date, timedelta
from typing import Any

import pypdf
import pytest

from chalicelib.catalog.domain.catalog import DepositKind, DepositPolicy
from chalicelib.catalog.domain.payment_policy import CancellationPolicy, RefundTier
from chalicelib.queues import EVENTS, MESSAGE_EVENTS
from tests.api.support import assert_error, forbid_server_errors, patch_tenant
from tests.api.test_desk_payments_api import booked, take
from tests.api.test_folio_api import charge, minibar
from tests.api.test_key_roles_api import make_key
from tests.api.test_notifications_api import invoke
from tests.api.test_payments_api import setup_shop
from tests.builders import room_type, stay_offering

BUSINESS = {
    "legal_name": "Harbour View Hotel GmbH",
    "address": {"lines": ["Hafenstraße 1"], "city": "Berlin", "postcode": "10115", "country": "de"},
    "tax_id": "DE123456789",
}


@pytest.fixture(autouse=True)
def _no_server_errors(api):
    forbid_server_errors(api)


@pytest.fixture
def shop(api) -> dict[str, Any]:
    """A hotel in Berlin paid at the venue: 2 nights at 120.00 with 7 % tax included."""
    tenant = setup_shop(api, "invoice-inn", connected=False, deposit=DepositKind.NONE)
    r = patch_tenant(api, tenant, {"business": BUSINESS})
    assert r.status_code == 200, r.body
    return tenant


def issue(api, shop, order_id: str, key: str | None = None, auth: str | None = None, **body):
    headers = {"Idempotency-Key": key} if key else {}
    return api.call(
        "POST",
        f"/v1/orders/{order_id}/invoices",
        auth=auth or shop["secret_key"],
        body=body,
        headers=headers,
    )


def credit(api, shop, invoice_id: str, auth: str | None = None, **body):
    return api.call(
        "POST",
        f"/v1/invoices/{invoice_id}/credit-note",
        auth=auth or shop["secret_key"],
        body={"reason": "Wrong room rate", **body},
    )


def pdf_text(api, shop, invoice_id: str, lang: str | None = None) -> tuple[dict[str, Any], str]:
    query = f"?lang={lang}" if lang else ""
    r = api.call("GET", f"/v1/invoices/{invoice_id}/pdf{query}", auth=shop["secret_key"])
    assert r.status_code == 200, r.body
    body = api.container.document_files.fetch(r.data["url"])
    reader = pypdf.PdfReader(io.BytesIO(body))
    return r.data, "\n".join(page.extract_text() for page in reader.pages)


def booked_on(api, shop, n: int) -> dict[str, Any]:
    """A confirmed stay of 2 nights, the n-th of a row of them (the hotel has one room)."""
    check_in = (date(2026, 12, 1) + timedelta(days=3 * n)).isoformat()
    body = {
        "customer": {"name": "Ada", "email": "ada@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": check_in, "nights": 2}],
    }
    r = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body)
    assert r.status_code == 201, r.body
    confirmed = api.call("POST", f"/v1/orders/{r.data['id']}/confirm", auth=shop["secret_key"])
    assert confirmed.status_code == 200, confirmed.body
    return confirmed.data


def stay_with_minibar(api, shop) -> dict[str, Any]:
    order = booked(api, shop)
    item = minibar(api, shop)
    r = charge(api, shop, order["id"], item_id=item["id"], quantity=2)
    assert r.status_code == 201, r.body
    return api.call("GET", f"/v1/orders/{order['id']}", auth=shop["secret_key"]).data


def test_an_invoice_is_the_bill_with_tax_per_rate_the_business_and_what_was_paid(api, shop):
    order = stay_with_minibar(api, shop)
    total = order["totals"]["total"]
    assert take(api, shop, order["id"], amount=10000, method="cash").status_code == 201

    r = issue(api, shop, order["id"])

    assert r.status_code == 201, r.body
    inv = r.data
    assert (inv["kind"], inv["number"], inv["order_id"]) == (
        "invoice",
        "INV-2026-000001",
        order["id"],
    )
    assert inv["seller"]["name"] == "Harbour View Hotel GmbH"
    assert inv["seller"]["tax_id"] == "DE123456789"
    assert inv["seller"]["address"] == ["Hafenstraße 1", "10115 Berlin", "DE"]
    assert (inv["buyer"]["name"], inv["buyer"]["email"]) == ("Ada", "ada@example.com")
    stay, water = inv["lines"]
    assert (stay["kind"], stay["tax_rate_bp"], stay["total"]) == ("booking", 700, 24000)
    assert (water["kind"], water["quantity"], water["unit_amount"]) == ("charge", 2, 450)
    assert (water["tax_rate_bp"], water["total"], water["tax"]) == (2000, 900, 150)
    bands = {b["tax_rate_bp"]: b for b in inv["tax_bands"]}
    assert (bands[700]["total"], bands[2000]["total"]) == (24000, 900)
    assert bands[700]["tax"] + bands[2000]["tax"] == inv["tax"] == order["totals"]["tax"]
    assert inv["total"] == total == 24900
    assert inv["paid"] == 10000
    assert (inv["issue_date"], inv["currency"], inv["language"]) == ("2026-11-24", "EUR", "en")
    assert api.call("GET", f"/v1/invoices/{inv['id']}", auth=shop["secret_key"]).data == inv


def test_numbers_follow_each_other_per_series_and_credit_notes_have_their_own(api, shop):
    numbers = []
    for n in range(3):
        numbers.append(issue(api, shop, booked_on(api, shop, n)["id"]).data["number"])
    first = issue(api, shop, booked_on(api, shop, 3)["id"]).data
    note = credit(api, shop, first["id"])

    assert numbers == ["INV-2026-000001", "INV-2026-000002", "INV-2026-000003"]
    assert note.status_code == 201, note.body
    assert (note.data["number"], note.data["credits_number"]) == ("CN-2026-000001", first["number"])


def test_a_second_invoice_waits_for_a_full_credit_note_then_bills_the_new_total(api, shop):
    order = booked(api, shop)
    first = issue(api, shop, order["id"]).data
    item = minibar(api, shop)
    charge(api, shop, order["id"], item_id=item["id"])

    refused = assert_error(issue(api, shop, order["id"]), 409, "already_invoiced")
    assert refused["details"]["invoice_id"] == first["id"]
    assert refused["details"]["order_changed"] is True
    note = credit(api, shop, first["id"]).data
    again = issue(api, shop, order["id"])

    assert [line["total"] for line in note["lines"]] == [-24000]
    assert (note["total"], note["tax"]) == (-first["total"], -first["tax"])
    assert again.status_code == 201, again.body
    assert (again.data["number"], again.data["total"]) == ("INV-2026-000002", 24450)
    listed = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data
    assert [d["number"] for d in listed["documents"]] == [
        "INV-2026-000001",
        "CN-2026-000001",
        "INV-2026-000002",
    ]
    assert (listed["live_invoice"], listed["creditable"]) == (again.data["id"], 24450)


def test_an_issued_invoice_keeps_the_business_details_it_was_issued_with(api, shop):
    inv = issue(api, shop, booked(api, shop)["id"]).data
    renamed = {**BUSINESS, "legal_name": "Harbour View Hotels AG", "tax_id": "DE999"}
    assert patch_tenant(api, shop, {"business": renamed}).status_code == 200

    got = api.call("GET", f"/v1/invoices/{inv['id']}", auth=shop["secret_key"]).data

    assert (got["seller"]["name"], got["seller"]["tax_id"]) == (
        "Harbour View Hotel GmbH",
        "DE123456789",
    )


def test_a_retried_request_issues_one_invoice_and_takes_one_number(api, shop):
    order = booked(api, shop)

    answers = [issue(api, shop, order["id"], key="desk-7").data for _ in range(3)]
    other = issue(api, shop, booked_on(api, shop, 1)["id"]).data

    assert answers[0] == answers[1] == answers[2]
    assert other["number"] == "INV-2026-000002"


def test_a_company_invoice_names_the_company_and_its_tax_number(api, shop):
    buyer = {"company": "Acme Travel Ltd", "address": ["1 Main St", "London"], "tax_id": "GB1"}

    inv = issue(api, shop, booked(api, shop)["id"], buyer=buyer).data

    assert inv["buyer"] == {
        "name": "Ada",
        "email": "ada@example.com",
        "company": "Acme Travel Ltd",
        "address": ["1 Main St", "London"],
        "tax_id": "GB1",
        "phone": "",
    }


def test_the_pdf_link_lasts_five_minutes_and_the_english_file_says_the_invoice(api, shop):
    order = stay_with_minibar(api, shop)
    inv = issue(api, shop, order["id"]).data

    link, text = pdf_text(api, shop, inv["id"])

    assert link["expires_at"] == "2026-11-24T09:05:00.000000Z"  # the clock's now + 300 s
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(link["url"]).query)
    assert query["expires"] == ["300"]
    assert (link["language"], link["filename"]) == ("en", "INV-2026-000001.pdf")
    for words in (
        "Invoice",
        "INV-2026-000001",
        "Harbour View Hotel GmbH",
        "DE123456789",
        "Hafenstraße 1",
        "Minibar: sparkling water",
        "EUR 249.00",
        "20%",
        "7%",
    ):
        assert words in text, words


def test_the_chinese_file_is_text_in_an_embedded_font(api, shop):
    order = booked(api, shop)
    patch_tenant(api, shop, {"business": {**BUSINESS, "legal_name": "北京港景酒店有限公司"}})
    inv = issue(api, shop, order["id"], lang="zh-Hans").data

    link, text = pdf_text(api, shop, inv["id"])

    assert link["language"] == "zh-Hans"
    for words in ("发票", "北京港景酒店有限公司", "税率", "合计", "按税率汇总", "INV-2026-000001"):
        assert words in text, words
    body = api.container.document_files.fetch(link["url"])
    fonts = [
        f.get_object()
        for page in pypdf.PdfReader(io.BytesIO(body)).pages
        for f in page["/Resources"]["/Font"].values()
    ]
    descendant = fonts[0]["/DescendantFonts"][0].get_object()
    assert descendant["/Subtype"] == "/CIDFontType2"
    assert (
        "/FontFile2" in descendant["/FontDescriptor"]
    )  # embedded, not a font the reader must have


def test_names_in_traditional_chinese_korean_and_vietnamese_come_out_as_written(api, shop):
    """Found by an outside review: a font cut to GB 2312 printed 陳 and 喆 and every Korean
    name as "?". What the font has not (Arabic) is "?", never a box or a wrong letter."""
    order = booked(api, shop)
    buyer = "陳志強 王喆 김민준 Nguyễn Thị Ánh Ελένη"
    inv = issue(api, shop, order["id"], lang="zh-Hans", buyer={"company": buyer}).data
    _, text = pdf_text(api, shop, inv["id"])
    for name in buyer.split():
        assert name in text, (name, text)
    inv2 = issue(api, shop, booked_on(api, shop, 5)["id"], buyer={"company": "محمد"}).data
    assert "????" in pdf_text(api, shop, inv2["id"])[1]


def test_each_language_is_drawn_once_and_kept(api, shop):
    inv = issue(api, shop, booked(api, shop)["id"]).data
    files = api.container.document_files

    pdf_text(api, shop, inv["id"], "en")
    pdf_text(api, shop, inv["id"], "en")
    _, chinese = pdf_text(api, shop, inv["id"], "zh-Hans")

    assert files.puts == 2
    assert "发票" in chinese and "INV-2026-000001" in chinese


def test_a_part_credit_takes_the_amount_off_each_rate_in_proportion(api, shop):
    order = stay_with_minibar(api, shop)  # 240.00 at 7 %, 9.00 at 20 %
    inv = issue(api, shop, order["id"]).data

    note = credit(api, shop, inv["id"], amount=2490).data
    too_much = credit(api, shop, inv["id"], amount=24900 - 2490 + 1)

    assert {line["tax_rate_bp"]: line["total"] for line in note["lines"]} == {700: -2400, 2000: -90}
    assert note["total"] == -2490
    assert_error(too_much, 422, "credit_too_large")
    listed = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data
    assert (listed["live_invoice"], listed["creditable"]) == (inv["id"], 24900 - 2490)
    assert_error(issue(api, shop, order["id"]), 409, "already_invoiced")


def test_only_a_live_invoice_is_credited_and_a_held_order_is_not_invoiced(api, shop):
    order = booked(api, shop)
    inv = issue(api, shop, order["id"]).data
    assert credit(api, shop, inv["id"]).status_code == 201
    note_id = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data[
        "documents"
    ][1]["id"]
    body = {
        "customer": {"name": "Bo", "email": "bo@example.com"},
        "lines": [{"offering_id": "off_stay", "check_in": "2027-01-10", "nights": 1}],
    }
    held = api.call("POST", "/v1/orders", auth=shop["secret_key"], body=body).data

    assert_error(credit(api, shop, inv["id"]), 409, "nothing_to_credit")
    assert_error(credit(api, shop, note_id), 409, "nothing_to_credit")
    assert_error(issue(api, shop, held["id"]), 409, "order_not_invoiceable")
    assert_error(issue(api, shop, "ord_nope"), 404, "order_not_found")
    assert_error(api.call("GET", "/v1/invoices/inv_nope", auth=shop["secret_key"]), 404)


def test_staff_issue_managers_credit_viewers_read(api, shop):
    order = booked(api, shop)
    viewer = make_key(api, shop["secret_key"], role="viewer")["key"]
    staff = make_key(api, shop["secret_key"], role="staff")["key"]

    assert_error(issue(api, shop, order["id"], auth=viewer), 403)
    inv = issue(api, shop, order["id"], auth=staff)
    assert inv.status_code == 201, inv.body
    assert_error(credit(api, shop, inv.data["id"], auth=staff), 403)
    read = api.call("GET", f"/v1/invoices/{inv.data['id']}/pdf", auth=viewer)
    assert read.status_code == 200, read.body


def test_the_month_lists_the_documents_of_the_business_local_month_in_pages(api, shop):
    api.container.clock.advance(6 * 86400 + 14 * 3600 + 30 * 60)  # 2026-11-30 23:30 UTC
    late = issue(api, shop, booked_on(api, shop, 0)["id"]).data  # 1 December, 00:30 in Berlin
    firsts = [issue(api, shop, booked_on(api, shop, n)["id"]).data for n in (1, 2)]

    november = api.call("GET", "/v1/invoices?month=2026-11", auth=shop["secret_key"]).data
    page = api.call("GET", "/v1/invoices?month=2026-12&limit=2", auth=shop["secret_key"]).data
    rest = api.call(
        "GET",
        f"/v1/invoices?month=2026-12&limit=2&cursor={page['next_cursor']}",
        auth=shop["secret_key"],
    ).data

    assert late["issue_date"] == "2026-12-01"
    assert late["number"] == "INV-2026-000001"  # the year is Berlin's too
    assert november["invoices"] == []
    ids = [d["id"] for d in page["invoices"] + rest["invoices"]]
    assert ids == [late["id"], *[f["id"] for f in firsts]]
    assert rest["next_cursor"] is None
    bad = api.call("GET", "/v1/invoices?month=2026-12&cursor=zzz", auth=shop["secret_key"])
    assert_error(bad, 422, "invalid_cursor")
    for forged in (  # the right shape with empty keys (DynamoDB's 500), or another item
        {"pk": "", "sk": "", "gsi1pk": "INVMON#2026-12", "gsi1sk": ""},
        {"pk": "ORD#x", "sk": "META", "gsi1pk": "INVMON#2026-12", "gsi1sk": "a"},
    ):
        text = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
        r = api.call("GET", f"/v1/invoices?month=2026-12&cursor={text}", auth=shop["secret_key"])
        assert_error(r, 422, "invalid_cursor")


def test_a_refund_of_an_invoiced_order_issues_a_credit_note_once(api, shop):
    """Broken heating: 40.00 off the stay as a discount, then handed back. The invoice
    follows the bill down (one credit note of 40.00 at 7 %, tax to the cent), however often
    the events are delivered; the refund itself, which changes no bill, credits nothing more,
    and the order's balance and the invoice agree (an outside review found them disagreeing
    when a refund alone was credited)."""
    order = booked(api, shop)
    assert take(api, shop, order["id"], amount=24000, method="cash").status_code == 201
    inv = issue(api, shop, order["id"]).data
    off = {"amount": 4000, "reason": "Broken heating"}
    made = api.call(
        "POST", f"/v1/orders/{order['id']}/discounts", auth=shop["secret_key"], body=off
    )
    assert made.status_code == 201, made.body
    back = {"amount": 4000, "reason": "Broken heating", "method": "cash"}
    r = api.call("POST", f"/v1/orders/{order['id']}/refunds", auth=shop["secret_key"], body=back)
    assert r.status_code == 201 and r.data["balance"] == 0, r.body
    relayed = api.container.relayed_events(EVENTS.name)

    for _ in range(2):  # delivered twice: one note
        assert invoke(api, "dispatch_events", EVENTS.name, relayed) == {"batchItemFailures": []}

    listed = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data
    kinds = [(d["kind"], d["number"], d["total"]) for d in listed["documents"]]
    assert kinds == [("invoice", inv["number"], 24000), ("credit_note", "CN-2026-000001", -4000)]
    note = api.call("GET", f"/v1/invoices/{listed['documents'][1]['id']}", auth=shop["secret_key"])
    assert note.data["credits"] == inv["id"] and "Broken heating" in note.data["reason"]
    assert [(b["tax_rate_bp"], b["tax"]) for b in note.data["tax_bands"]] == [(700, -262)]
    assert listed["creditable"] == 20000 == r.data["total"]


def test_a_cancelled_or_shortened_invoiced_order_is_credited_down_to_its_bill(api, shop):
    """A cancellation (no fee) credits the whole invoice; a void at one rate credits that
    rate alone, to the cent of its tax."""
    key = shop["secret_key"]
    order = booked(api, shop)
    charge(api, shop, order["id"], label="Minibar", unit_amount=900, tax_rate_bp=2000)
    take(api, shop, order["id"], amount=24900, method="cash")
    inv = issue(api, shop, order["id"]).data
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    minibar_id = next(c["id"] for c in money["charges"] if c["label"] == "Minibar")
    path = f"/v1/orders/{order['id']}/charges/{minibar_id}/void"
    assert (
        api.call("POST", path, auth=shop["secret_key"], body={"reason": "Not taken"}).status_code
        == 200
    )
    relayed = api.container.relayed_events(EVENTS.name)
    assert invoke(api, "dispatch_events", EVENTS.name, relayed) == {"batchItemFailures": []}
    listed = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data
    note_id = listed["documents"][1]["id"]
    note = api.call("GET", f"/v1/invoices/{note_id}", auth=shop["secret_key"]).data
    assert [(b["tax_rate_bp"], b["total"], b["tax"]) for b in note["tax_bands"]] == [
        (2000, -900, -150)
    ]

    cancelled = api.call(
        "POST", f"/v1/orders/{order['id']}/cancel", auth=shop["secret_key"], body={}
    )
    assert cancelled.status_code == 200, cancelled.body
    relayed = api.container.relayed_events(EVENTS.name)
    assert invoke(api, "dispatch_events", EVENTS.name, relayed) == {"batchItemFailures": []}
    listed = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data
    assert [d["total"] for d in listed["documents"]] == [inv["total"], -900, -24000]
    assert listed["live_invoice"] is None or listed["creditable"] == 0
    # Its reason for the customer: an outside tester's note printed the event's summary, a
    # sentence for developers ("... its units given back; the fee is by its policy ...").
    docs = listed["documents"]
    notes = [api.call("GET", f"/v1/invoices/{d['id']}", auth=key).data for d in docs[1:]]
    assert [n["reason"] for n in notes] == ["Not taken", "Booking cancelled"]
    # The Chinese file says the system's reason in Chinese (it printed it in English), and
    # the one staff typed as typed.
    _, chinese = pdf_text(api, shop, docs[2]["id"], "zh-Hans")
    assert "预订已取消" in chinese and "Booking cancelled" not in chinese
    _, typed = pdf_text(api, shop, docs[1]["id"], "zh-Hans")
    assert "Not taken" in typed


def test_a_refund_of_an_order_without_an_invoice_issues_nothing(api, shop):
    order = booked(api, shop)
    take(api, shop, order["id"], amount=24000, method="cash")
    back = {"amount": 4000, "reason": "Broken heating", "method": "cash"}
    api.call("POST", f"/v1/orders/{order['id']}/refunds", auth=shop["secret_key"], body=back)

    relayed = api.container.relayed_events(EVENTS.name)
    assert invoke(api, "dispatch_events", EVENTS.name, relayed) == {"batchItemFailures": []}

    listed = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data
    assert listed["documents"] == [] and listed["live_invoice"] is None


def test_an_invoice_is_emailed_with_its_pdf_once_per_request(api, shop):
    order = booked(api, shop)
    inv = issue(api, shop, order["id"]).data

    for _ in range(2):  # a retried request sends nothing twice
        r = api.call(
            "POST",
            f"/v1/invoices/{inv['id']}/email",
            auth=shop["secret_key"],
            body={"lang": "zh-Hans"},
            headers={"Idempotency-Key": "mail-1"},
        )
        assert r.status_code == 200, r.body
    other = api.call(
        "POST",
        f"/v1/invoices/{inv['id']}/email",
        auth=shop["secret_key"],
        body={"to": "books@acme.example"},
    )

    assert r.data == {"invoice_id": inv["id"], "sent_to": "ada@example.com"}
    [mail] = api.container.mailer.to("ada@example.com")
    assert mail.subject == f"Harbour View Hotel GmbH 的发票 {inv['number']}"
    [pdf] = mail.attachments
    assert (pdf.filename, pdf.content_type) == (f"{inv['number']}.pdf", "application/pdf")
    assert "发票" in pypdf.PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert other.data["sent_to"] == "books@acme.example"
    [english] = api.container.mailer.to("books@acme.example")
    assert english.subject == f"Your invoice {inv['number']} from Harbour View Hotel GmbH"


def complete(api, shop, order_id: str) -> None:
    for step, body in (("check-in", {"early": True}), ("complete", {})):
        r = api.call("POST", f"/v1/orders/{order_id}/{step}", auth=shop["secret_key"], body=body)
        assert r.status_code == 200, r.body


def test_a_business_that_asks_for_it_invoices_and_emails_at_completion(api, shop):
    r = patch_tenant(api, shop, {"invoice_at_completion": True})
    assert (r.status_code, r.data["settings"]["invoice_at_completion"]) == (200, True)
    order = booked(api, shop)
    assert take(api, shop, order["id"], amount=24000, method="cash").status_code == 201
    complete(api, shop, order["id"])
    relayed = api.container.relayed_events(MESSAGE_EVENTS.name)

    for _ in range(2):  # delivered twice: one invoice, one e-mail
        result = invoke(api, "dispatch_message_events", MESSAGE_EVENTS.name, relayed)
        assert result == {"batchItemFailures": []}

    listed = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data
    [doc] = listed["documents"]
    assert (doc["number"], doc["total"]) == ("INV-2026-000001", 24000)
    mails = api.container.mailer.to("ada@example.com")
    [pdf] = [a for m in mails for a in m.attachments if a.content_type == "application/pdf"]
    assert pdf.filename == "INV-2026-000001.pdf"


def test_completion_issues_nothing_for_a_business_that_did_not_ask(api, shop):
    order = booked(api, shop)
    take(api, shop, order["id"], amount=24000, method="cash")
    complete(api, shop, order["id"])

    relayed = api.container.relayed_events(MESSAGE_EVENTS.name)
    assert invoke(api, "dispatch_message_events", MESSAGE_EVENTS.name, relayed) == {
        "batchItemFailures": []
    }

    listed = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data
    assert listed["documents"] == []


def test_a_receipt_acknowledges_one_payment_once_in_its_own_series(api, shop):
    order = booked(api, shop)
    paid = take(api, shop, order["id"], amount=5000, method="cash", reference="R-9").data
    [cash] = paid["payments"]
    path = f"/v1/orders/{order['id']}/receipts"

    first = api.call("POST", path, auth=shop["secret_key"], body={"payment_id": cash["id"]})
    again = api.call("POST", path, auth=shop["secret_key"], body={"payment_id": cash["id"]})
    unknown = api.call("POST", path, auth=shop["secret_key"], body={"payment_id": "dpay_nope"})
    inv = issue(api, shop, order["id"]).data

    assert first.status_code == 201, first.body
    receipt = first.data
    assert again.data == receipt
    assert (receipt["kind"], receipt["number"]) == ("receipt", "RC-2026-000001")
    assert (receipt["total"], receipt["method"], receipt["reference"]) == (5000, "cash", "R-9")
    assert (receipt["payment_id"], receipt["paid_on"], receipt["tax"]) == (
        cash["id"],
        "2026-11-24",
        0,
    )
    assert_error(unknown, 409, "payment_not_received")
    assert inv["number"] == "INV-2026-000001"  # a receipt is no invoice: the order is invoiced
    _, text = pdf_text(api, shop, receipt["id"])
    for words in ("Receipt", "RC-2026-000001", "Received with thanks: EUR 50.00", "cash", "R-9"):
        assert words in text, words
    _, chinese = pdf_text(api, shop, receipt["id"], "zh-Hans")
    assert "收据" in chinese and "现金" in chinese
    assert_error(credit(api, shop, receipt["id"]), 409, "nothing_to_credit")
    mailed = api.call(
        "POST", f"/v1/invoices/{receipt['id']}/email", auth=shop["secret_key"], body={}
    )
    assert mailed.status_code == 200, mailed.body
    [mail] = [m for m in api.container.mailer.to("ada@example.com") if "receipt" in m.subject]
    assert mail.subject == "Your receipt RC-2026-000001 from Harbour View Hotel GmbH"


def test_a_receipt_for_another_orders_payment_is_refused_as_not_received(api, shop):
    """Found by an outside tester: once order A had the receipt of its payment, asking order B
    for a receipt of that payment answered 409 `idempotency_key_reused`, though no key was
    sent; before A's receipt it was `payment_not_received`, as it should be both times."""
    a, b = booked_on(api, shop, 0), booked_on(api, shop, 1)
    [cash] = take(api, shop, a["id"], amount=5000, method="cash").data["payments"]
    body = {"payment_id": cash["id"]}
    before = api.call("POST", f"/v1/orders/{b['id']}/receipts", auth=shop["secret_key"], body=body)
    own = api.call("POST", f"/v1/orders/{a['id']}/receipts", auth=shop["secret_key"], body=body)
    after = api.call(
        "POST",
        f"/v1/orders/{b['id']}/receipts",
        auth=shop["secret_key"],
        body=body,
        headers={"Idempotency-Key": "a-new-key"},
    )
    assert own.status_code == 201, own.body
    assert_error(before, 409, "payment_not_received")
    assert_error(after, 409, "payment_not_received")
    listed = api.call("GET", f"/v1/orders/{b['id']}/invoices", auth=shop["secret_key"]).data
    assert listed["documents"] == []


def test_change_given_back_on_an_overpayment_credits_nothing(api, shop):
    """Found by an outside review: paid 240.00, then 40.00 off, invoiced at 200.00 (paid
    240.00); the 40.00 handed back was never billed, so no credit note lowers the invoice."""
    order = booked(api, shop)
    take(api, shop, order["id"], amount=24000, method="cash")
    off = {"amount": 4000, "reason": "Noisy room"}
    made = api.call(
        "POST", f"/v1/orders/{order['id']}/discounts", auth=shop["secret_key"], body=off
    )
    assert made.status_code == 201, made.body
    inv = issue(api, shop, order["id"]).data
    assert inv["total"] == 20000
    assert "Discount: Noisy room" in pdf_text(api, shop, inv["id"])[1]  # not "Credit"
    back = {"amount": 4000, "reason": "Change", "method": "cash"}
    r = api.call("POST", f"/v1/orders/{order['id']}/refunds", auth=shop["secret_key"], body=back)
    assert r.status_code == 201, r.body
    relayed = api.container.relayed_events(EVENTS.name)
    assert invoke(api, "dispatch_events", EVENTS.name, relayed) == {"batchItemFailures": []}
    listed = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data
    assert [d["kind"] for d in listed["documents"]] == ["invoice"]
    assert listed["creditable"] == 20000


def test_a_refund_past_what_a_cancellation_owed_back_waives_the_fee_and_credits_it(api):
    """Paid 240.00 in cash and invoiced; cancelled under "a third back", keeping 160.00; the
    manager then gives everything back. The order owes nothing (not the 160.00 again, which
    the desk was let take a second time: an outside tester's finding), says `refunded`, and
    its invoice is credited down to nothing."""
    shop = api.signup("goodwill-inn")
    assert patch_tenant(api, shop, {"business": BUSINESS}).status_code == 200
    c = api.container
    data = c.tenant_data.for_tenant(c.platform.get_tenant(shop["tenant_id"]))
    data.catalog.put_resource(room_type(rooms=1), expected_rev=None)
    third = CancellationPolicy(tiers=(RefundTier(0, 3333),))
    stay = stay_offering(deposit=DepositPolicy(DepositKind.NONE), cancellation=third)
    data.catalog.put_offering(stay, expected_rev=None)
    order = booked(api, shop)
    assert take(api, shop, order["id"], amount=24000, method="cash").status_code == 201
    issue(api, shop, order["id"])
    cancelled = api.call(
        "POST", f"/v1/orders/{order['id']}/cancel", auth=shop["secret_key"], body={}
    )
    assert cancelled.data["cancellation"]["fee"] == 16001, cancelled.body
    back = {"amount": 24000, "reason": "Goodwill", "method": "cash"}
    r = api.call("POST", f"/v1/orders/{order['id']}/refunds", auth=shop["secret_key"], body=back)
    assert r.status_code == 201, r.body
    money = api.call("GET", f"/v1/orders/{order['id']}/payments", auth=shop["secret_key"]).data
    assert (money["balance"], money["payment_status"]) == (0, "refunded")
    again = take(api, shop, order["id"], amount=16001, method="cash")
    assert_error(again, 422, "payment_too_large")
    relayed = api.container.relayed_events(EVENTS.name)
    assert invoke(api, "dispatch_events", EVENTS.name, relayed) == {"batchItemFailures": []}
    listed = api.call("GET", f"/v1/orders/{order['id']}/invoices", auth=shop["secret_key"]).data
    assert [d["total"] for d in listed["documents"]] == [24000, -24000]
    # And the report's sales say it as the invoice does: nothing kept.
    report = api.call(
        "GET",
        "/v1/reports/figures?basis=service&from=2026-12-01&to=2026-12-31&group=month",
        auth=shop["secret_key"],
    ).data
    money = report["totals"]["money"]
    assert money.get("EUR", {}).get("gross", 0) == 0 and report["totals"]["cancellations"] == 1
