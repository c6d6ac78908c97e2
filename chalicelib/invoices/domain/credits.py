"""Credit notes in part, rate by rate: each part is spread over what is left of the invoice at
each tax rate (not over what the invoice first billed), and the part that brings the invoice
to zero takes exactly what is left at each rate, its total and its tax. So parts that add up to
the invoice give back exactly the tax it charged at every rate, and no part takes from a rate
more than is left of it (total or tax).

What earlier notes took is kept per rate with the order's invoicing (`OrderInvoicing`'s
`credited_bands`): figures as positive amounts, one band per rate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol

from chalicelib.booking.domain.bill import BillKind, BillLine, TaxBand


class HasBands(Protocol):
    @property
    def bands(self) -> tuple[TaxBand, ...]: ...


def left_per_rate(bands: tuple[TaxBand, ...], credited: tuple[TaxBand, ...]) -> tuple[TaxBand, ...]:
    """What is left of the invoice's `bands` once `credited` (positive, per rate) is taken."""
    taken = {b.tax_bp: b for b in credited}
    left = []
    for band in bands:
        done = taken.get(band.tax_bp, TaxBand(tax_bp=band.tax_bp, net=0, tax=0, total=0))
        tax, total = band.tax - done.tax, band.total - done.total
        left.append(TaxBand(tax_bp=band.tax_bp, net=total - tax, tax=tax, total=total))
    return tuple(left)


def credited_with(credited: tuple[TaxBand, ...], note: tuple[TaxBand, ...]) -> tuple[TaxBand, ...]:
    """What was credited per rate once a note with these bands (negative) is issued too."""
    sums = {b.tax_bp: (b.tax, b.total) for b in credited}
    for band in note:
        tax, total = sums.get(band.tax_bp, (0, 0))
        sums[band.tax_bp] = (tax - band.tax, total - band.total)
    return tuple(
        TaxBand(tax_bp=rate, net=total - tax, tax=tax, total=total)
        for rate, (tax, total) in sorted(sums.items())
    )


def credited_by(notes: Iterable[HasBands]) -> tuple[TaxBand, ...]:
    """What these credit notes took per rate (an invoicing kept before it was counted)."""
    credited: tuple[TaxBand, ...] = ()
    for note in notes:
        credited = credited_with(credited, note.bands)
    return credited


def part_lines(left: tuple[TaxBand, ...], amount: int) -> tuple[BillLine, ...]:
    """A note's lines for `amount` of what is `left`: all that is left (each rate's remainder,
    exactly), else spread over the rates with something left by their remainders (largest
    remainders take the odd cents), each share's tax the same share of the rate's tax left
    (rounded half up)."""
    if amount == sum(b.total for b in left):
        return tuple(credit_line(b.tax_bp, b.total, b.tax) for b in left if b.total or b.tax)
    bands = [b for b in left if b.total > 0]
    whole = sum(b.total for b in bands)
    shares = [amount * b.total // whole for b in bands]
    rest = amount - sum(shares)
    order = sorted(range(len(bands)), key=lambda i: -(amount * bands[i].total % whole))
    for i in order[:rest]:
        shares[i] += 1
    return tuple(
        credit_line(band.tax_bp, share, (2 * share * band.tax + band.total) // (2 * band.total))
        for band, share in zip(bands, shares, strict=True)
        if share
    )


# A part credit's line per rate, named in the document's language (PROBE 43: the API's
# document showed these lines with no label; the PDF wrote its own word).
CREDIT_WORD = {"en": "Credit", "zh-Hans": "冲减"}


def named(lines: tuple[BillLine, ...], language: str) -> tuple[BillLine, ...]:
    """The lines, a part credit's unnamed ones named in `language`."""
    word = CREDIT_WORD.get(language, CREDIT_WORD["en"])
    return tuple(
        replace(line, label=word) if line.ref.startswith("credit@") and not line.label else line
        for line in lines
    )


def credit_line(tax_bp: int, total: int, tax: int) -> BillLine:
    return BillLine(
        kind=BillKind.DISCOUNT,
        ref=f"credit@{tax_bp}",
        label="",  # named in the document's language (named())
        quantity=1,
        unit_amount=total,
        tax_bp=tax_bp,
        tax=-tax,
        total=-total,
    )
