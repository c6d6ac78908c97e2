"""A fixed order history with answers worked out by hand (tests/unit/test_suggestions_domain.py
and test_suggestions_consumer.py read it).

A salon in Europe/Berlin sells four offerings (off_cut, off_colour, off_beard, off_nails);
two stylists (res_alex, res_bea) serve them. One row per order; only confirmed, checked-in and
completed orders count.
"""

from __future__ import annotations

from chalicelib.booking.domain.orders import (
    Allocation,
    BookingStatus,
    Channel,
    Customer,
    Line,
    Order,
    PaymentStatus,
)
from chalicelib.customers.domain.identity import customer_id_for

C, K, D = BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED
X, E, N, H = (
    BookingStatus.CANCELLED,
    BookingStatus.EXPIRED,
    BookingStatus.NO_SHOW,
    BookingStatus.HELD,
)

# order  customer  status  offering    stylist   start (UTC)          note
HISTORY = [
    ("o01", "ann", D, "off_cut", "res_alex", "2026-01-10T09:00Z"),  # 10:00 CET
    ("o02", "ann", D, "off_colour", "res_alex", "2026-03-29T08:00Z"),  # DST day: 10:00 CEST
    ("o03", "ann", D, "off_cut", "res_bea", "2026-06-15T08:00Z"),  # 10:00 CEST
    ("o04", "ann", C, "off_cut", "res_alex", "2026-10-25T13:00Z"),  # DST back: 14:00 CET
    ("o05", "ann", X, "off_cut", "res_bea", "2026-11-01T09:00Z"),  # cancelled: not counted
    ("o06", "ben", D, "off_cut", "res_bea", "2026-02-01T10:00Z"),
    ("o07", "ben", D, "off_colour", "res_bea", "2026-02-08T10:00Z"),
    ("o08", "cat", D, "off_cut", "res_alex", "2026-02-02T10:00Z"),
    ("o09", "cat", K, "off_colour", "res_alex", "2026-02-09T10:00Z"),
    ("o10", "cat", C, "off_nails", "res_bea", "2026-02-16T10:00Z"),
    ("o11", "dan", D, "off_cut", "res_alex", "2026-02-03T10:00Z"),
    ("o12", "dan", D, "off_beard", "res_alex", "2026-02-10T10:00Z"),
    ("o13", "eve", D, "off_cut", "res_bea", "2026-02-04T10:00Z"),
    ("o14", "eve", D, "off_beard", "res_bea", "2026-02-11T10:00Z"),
    ("o15", "fay", D, "off_cut", "res_alex", "2026-02-05T10:00Z"),
    ("o16", "fay", D, "off_beard", "res_alex", "2026-02-12T10:00Z"),
    ("o17", "fay", D, "off_nails", "res_alex", "2026-02-19T10:00Z"),
    ("o18", "gus", D, "off_cut", "res_bea", "2026-02-06T10:00Z"),
    ("o19", "gus", D, "off_nails", "res_bea", "2026-02-13T10:00Z"),
    ("o20", "hal", D, "off_colour", "res_alex", "2026-02-07T10:00Z"),
    ("o21", "hal", D, "off_nails", "res_alex", "2026-02-14T10:00Z"),
    ("o22", "ida", D, "off_cut", "res_bea", "2026-02-07T11:00Z"),
    ("o23", "ida", X, "off_beard", "res_bea", "2026-02-21T11:00Z"),  # cancelled
    ("o24", "jon", D, "off_cut", "res_alex", "2026-02-08T11:00Z"),
    ("o25", "jon", E, "off_colour", "res_alex", "2026-02-22T11:00Z"),  # expired hold
    ("o26", "jon", N, "off_nails", "res_alex", "2026-02-23T11:00Z"),  # no-show
    ("o27", "kim", H, "off_cut", "res_bea", "2026-02-09T11:00Z"),  # still a hold
    ("o28", "lea", D, "off_cut", "res_bea", "2026-02-10T11:00Z"),
    ("o29", "lea", D, "off_colour", "res_bea", "2026-02-17T11:00Z"),
]

# What the counted orders make, by hand:
#   customers of:   cut 10 (ann ben cat dan eve fay gus ida jon lea), colour 5 (ann ben cat hal
#                   lea), beard 3 (dan eve fay), nails 4 (cat fay gus hal); kim none (a hold)
#   both:           cut+colour 4 (ann ben cat lea), cut+beard 3 (dan eve fay),
#                   cut+nails 3 (cat fay gus), colour+nails 2 (cat hal), beard+nails 1 (fay)
CUSTOMERS = {"off_cut": 10, "off_colour": 5, "off_beard": 3, "off_nails": 4}
BOTH = {
    ("off_cut", "off_colour"): 4,
    ("off_cut", "off_beard"): 3,
    ("off_cut", "off_nails"): 3,
    ("off_colour", "off_nails"): 2,
    ("off_beard", "off_nails"): 1,
}


def email(who: str) -> str:
    return f"{who}@example.com"


def cid(who: str) -> str:
    return customer_id_for(email(who))


def order_of(row: tuple, version: int = 3) -> Order:
    order_id, who, status, offering, stylist, start = row
    line = Line(
        offering_id=offering,
        offering_name=offering.removeprefix("off_").title(),
        start=start,
        end=start,
        local_start=start,
        local_date=start[:10],
        party=1,
        quantity=1,
        allocations=(Allocation(0, stylist, stylist.removeprefix("res_").title(), ()),),
        price_items=(("booking", 3000, 1),),
        subtotal=3000,
        tax=0,
        total=3000,
        deposit=0,
    )
    at = "2026-01-01T09:00:00.000000Z"
    return Order(
        id=order_id,
        status=status,
        payment_status=PaymentStatus.UNPAID,
        customer=Customer(name=who.title(), email=email(who)),
        channel=Channel.STAFF,
        currency="EUR",
        lines=(line,),
        created_at=at,
        updated_at=at,
        hold_expires_at=None,
        version=version,
    )
