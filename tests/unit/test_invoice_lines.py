"""An invoice's lines say how many at what (an outside tester's concert: three tickets read as
1 x 135.00), a stay stays one line naming its nights, and a no-show's invoice bills its fee."""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.orders import BookingStatus
from chalicelib.invoices.domain.stay_lines import invoice_lines
from tests.unit.test_folio import confirmed
from tests.unit.test_order_state_machine import _line


def test_a_line_of_three_tickets_at_one_price_reads_three_at_that_price():
    tickets = replace(
        _line(), nights=0, party=3, price_items=(("booking", 4500, 3),), subtotal=13500, total=13500
    )
    order = replace(confirmed(), lines=(tickets,))
    (line,) = invoice_lines(order, "en")
    assert (line.quantity, line.unit_amount, line.total) == (3, 4500, 13500)


def test_a_line_priced_otherwise_than_by_its_one_item_stays_one_line_of_its_price():
    odd = replace(_line(), nights=0, price_items=(("booking", 4500, 3),), subtotal=13000)
    order = replace(confirmed(), lines=(odd,))
    (line,) = invoice_lines(order, "en")
    assert (line.quantity, line.unit_amount) == (1, 13000)


def test_a_stay_stays_one_line_that_names_its_nights():
    order = confirmed()
    (line,) = invoice_lines(order, "zh-Hans")
    assert line.quantity == 1 and line.label.endswith("2026-12-24 至 2026-12-25，1 晚")


def test_a_stay_of_three_rooms_reads_three_rooms_at_the_stays_price():
    """A groups tester's organiser read 3 rooms for 2 nights as one room at 594.00."""
    rooms = replace(
        _line(), quantity=3, price_items=(("2026-12-24", 9900, 3),), subtotal=29700, total=29700
    )
    order = replace(confirmed(), lines=(rooms,))
    (line,) = invoice_lines(order, "en")
    assert (line.quantity, line.unit_amount, line.total) == (3, 9900, 29700)
    assert line.label.endswith("1 night")


def test_a_no_show_bills_its_fee_and_one_without_a_fee_bills_nothing():
    line = replace(_line(), tax_bp=700, subtotal=12000, tax=785, total=12000)
    order = replace(confirmed(), lines=(line,), status=BookingStatus.NO_SHOW, no_show_fee=4000)
    (fee,) = invoice_lines(order, "zh-Hans")
    assert (fee.label, fee.total, fee.tax, fee.tax_bp) == ("未到店费用", 4000, 262, 700)
    assert invoice_lines(replace(order, no_show_fee=0), "en") == ()
