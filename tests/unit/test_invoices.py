"""Invoices' rules without I/O: an invoice is the order's bill (lines, tax per rate, totals)
and never more than one live per order; credit notes in full turn the signs, in part spread
the amount over the rates to the last cent; the numbers' format; the embedded-font writer's
subset keeps the glyphs a composite hanzi is built of and its text comes back out."""

from __future__ import annotations

import io
from dataclasses import replace

import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.booking.domain.bill import bill_lines, tax_bands
from chalicelib.booking.domain.folio import ChargeKind
from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.invoices.domain.invoices import (
    AlreadyInvoiced,
    CreditTooLarge,
    NothingToCredit,
    NotInvoiceable,
    OrderInvoicing,
    Party,
    after_issue,
    draw_credit_note,
    draw_invoice,
    language_of,
    number,
)
from chalicelib.web.pdf_font import EmbeddedDocument, TrueType, font, printable
from tests.unit.test_folio import NOW, confirmed, extra
from tests.unit.test_order_state_machine import _held

SELLER = Party(name="Harbour View Hotel GmbH", tax_id="DE1")


def invoice_of(order, invoicing=None, **kw):
    return draw_invoice(
        order,
        invoicing or OrderInvoicing(order_id=order.id),
        invoice_id=kw.pop("invoice_id", "inv_1"),
        seller=SELLER,
        buyer=Party(name=order.customer.name, email=order.customer.email),
        issued_at=NOW,
        issue_date="2026-11-24",
        language="en",
        by="staff@x",
    )


def with_charges(*charges):
    order = confirmed()
    return replace(order, charges=tuple(charges))


def test_an_invoice_is_the_bill_with_its_tax_per_rate_and_totals():
    order = with_charges(
        extra(1, 900, rate=2000), extra(2, 500, kind=ChargeKind.DISCOUNT, rate=700)
    )
    inv = invoice_of(order)

    # The bill's lines, a stay's label naming its dates and nights (stay_lines.py).
    stay, *folio = inv.lines
    assert stay == replace(bill_lines(order)[0], label="Stay · 2026-12-24 – 2026-12-25, 1 night")
    assert tuple(folio) == bill_lines(order)[1:]
    assert inv.bands == tax_bands(bill_lines(order))
    assert (inv.total, inv.tax) == (order.total, order.tax)
    assert sum(b.total for b in inv.bands) == inv.total
    assert inv.number == "INV-2026-000000"  # numbered when written
    assert replace(inv, sequence=42).number == "INV-2026-000042" == number("INV", 2026, 42)


def test_an_order_with_a_live_invoice_is_refused_another_and_a_hold_is_not_invoiced():
    order = confirmed()
    first = replace(invoice_of(order), sequence=1)
    invoicing = after_issue(OrderInvoicing(order_id=order.id), first)
    changed = with_charges(extra(1, 900))

    with pytest.raises(AlreadyInvoiced) as refused:
        invoice_of(changed, invoicing, invoice_id="inv_2")
    with pytest.raises(NotInvoiceable):
        invoice_of(_held())
    assert refused.value.details["order_changed"] is True
    assert replace(order, status=BookingStatus.COMPLETED).status.value == "completed"


def test_a_full_credit_note_turns_every_sign_and_frees_the_order():
    order = with_charges(extra(1, 900, rate=2000))
    inv = replace(invoice_of(order), sequence=1)
    invoicing = after_issue(OrderInvoicing(order_id=order.id), inv)

    note = draw_credit_note(
        inv,
        invoicing,
        note_id="cn_1",
        amount=None,
        reason="r",
        issued_at=NOW,
        issue_date="2026-11-25",
        by="m@x",
    )

    assert [line.total for line in note.lines] == [-line.total for line in inv.lines]
    assert (note.total, note.tax, note.credits) == (-inv.total, -inv.tax, inv.id)
    after = after_issue(invoicing, replace(note, sequence=1))
    assert after.live == "" and after.creditable == 0
    with pytest.raises(NothingToCredit):
        draw_credit_note(
            inv,
            after,
            note_id="cn_2",
            amount=None,
            reason="r",
            issued_at=NOW,
            issue_date="2026-11-25",
            by="m@x",
        )


@given(
    st.lists(
        st.tuples(st.integers(1, 50_000), st.sampled_from([0, 500, 700, 1900, 2000])),
        min_size=1,
        max_size=6,
    ),
    st.data(),
)
def test_part_credits_add_up_to_the_amount_and_never_pass_the_invoice(charges, data):
    order = with_charges(*(extra(n, amount, rate=rate) for n, (amount, rate) in enumerate(charges)))
    inv = replace(invoice_of(order), sequence=1)
    invoicing = after_issue(OrderInvoicing(order_id=order.id), inv)
    credited = 0
    for step in range(3):
        left = inv.total - credited
        if left == 0:
            break
        amount = data.draw(st.integers(1, left))
        note = draw_credit_note(
            inv,
            invoicing,
            note_id=f"cn_{step}",
            amount=amount,
            reason="r",
            issued_at=NOW,
            issue_date="2026-11-25",
            by="m@x",
        )
        assert note.total == -amount == sum(line.total for line in note.lines)
        for line in note.lines:  # each part's tax is its rate's share of it, never more
            assert -line.tax <= -line.total
        invoicing = after_issue(invoicing, replace(note, sequence=step + 1))
        credited += amount
        assert invoicing.creditable == inv.total - credited
    with pytest.raises((CreditTooLarge, NothingToCredit)):
        draw_credit_note(
            inv,
            invoicing,
            note_id="cn_x",
            amount=inv.total - credited + 1,
            reason="r",
            issued_at=NOW,
            issue_date="2026-11-25",
            by="m@x",
        )


def test_the_language_is_the_one_asked_else_the_customers_else_the_business():
    assert language_of(None, "zh-CN", "en") == "zh-Hans"
    assert language_of("en", "zh-CN", "zh") == "en"
    assert language_of(None, None, "zh-Hans") == "zh-Hans"
    assert language_of(None, None, "de") == "en"


def test_the_subset_keeps_a_composite_glyphs_components_and_the_text_comes_back():
    f = font()
    composite = next(c for c in "北京饭店有限公司增值税发票" if f.components(f.cmap[ord(c)]))
    gid = f.cmap[ord(composite)]
    subset = TrueType(f.subset({gid}))
    for kept in (gid, *f.components(gid)):  # padded to 4 bytes in the subset
        assert subset.outline(kept).startswith(f.outline(kept)) and f.outline(kept)
    other = f.cmap[ord("A")]
    assert subset.outline(other) == b""  # not drawn: not carried

    doc = EmbeddedDocument("t")
    doc.text(48, 48, "发票 Dvořák 🙂 Łódź\u200b")
    text = pypdf.PdfReader(io.BytesIO(doc.render())).pages[0].extract_text()
    assert text == "发票 Dvořák ? Łódź"
    assert printable("\u0007x") == "x"


def test_an_invoice_of_nothing_is_credited_in_full_so_the_order_can_be_invoiced_again():
    order = confirmed()
    free = replace(invoice_of(order), sequence=1, lines=(), bands=(), total=0, tax=0)
    invoicing = after_issue(OrderInvoicing(order_id=order.id), free)
    assert invoicing.live == free.id

    note = draw_credit_note(
        free,
        invoicing,
        note_id="cn_1",
        amount=None,
        reason="r",
        issued_at=NOW,
        issue_date="2026-11-25",
        by="m@x",
    )

    assert after_issue(invoicing, replace(note, sequence=1)).live == ""


def test_a_forged_cursor_of_the_invoice_list_is_refused_before_dynamodb_sees_it():
    """An empty key attribute is a DynamoDB ValidationException (a 500): refused as 422."""
    import base64
    import json

    import pytest

    from chalicelib.invoices.adapters.invoice_store import _cursor, _cursor_key
    from chalicelib.kernel.domain.errors import InvalidInput

    def text(key: dict[str, str]) -> str:
        return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")

    good = {"pk": "INVC#inv_1", "sk": "META", "gsi1pk": "INVMON#2026-12", "gsi1sk": "t#inv_1"}
    assert _cursor_key(_cursor({k: {"S": v} for k, v in good.items()}), "2026-12")
    for forged in (
        {**good, "pk": "", "gsi1sk": ""},
        {**good, "pk": "ORD#ord_1"},
        {**good, "sk": "X"},
        {**good, "gsi1sk": "x" * 500},
    ):
        with pytest.raises(InvalidInput):
            _cursor_key(text(forged), "2026-12")
