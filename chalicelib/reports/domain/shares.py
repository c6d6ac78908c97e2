"""Money shared out in whole minor units: a stay's over its nights as each was priced, the
folio's charges and discounts over the order's lines, a discount over each line's service
days (reports/domain/figures.py)."""

from __future__ import annotations

from datetime import date

from chalicelib.booking.domain.orders import Line


def split_by(amount: int, weights: list[int]) -> list[int]:
    """`amount` in shares as `weights` (each night's own price) that add up to it exactly,
    the remainder of the rounding on the first; equal shares when nothing weighs."""
    whole = sum(weights)
    if whole <= 0:
        weights, whole = [1] * len(weights), len(weights)
    shares = [amount * w // whole for w in weights]
    shares[0] += amount - sum(shares)
    return shares


def night_weights(line: Line, nights: list[str]) -> list[int]:
    """Each night's price as the line was priced (its price items are labelled by night)."""
    priced = {label: 0 for label in nights}
    for label, unit, quantity in line.price_items:
        if label in priced:
            priced[label] += unit * quantity
    return [priced[night] for night in nights]


def nights_of(line: Line) -> list[str]:
    first = date.fromisoformat(line.local_date)
    return [date.fromordinal(first.toordinal() + i).isoformat() for i in range(line.nights)]


def service_days(line: Line) -> list[tuple[str, int]]:
    """The local days a line is served on, each with what it weighs: a stay's nights as each
    was priced, else its one day with its whole total."""
    if line.nights <= 0:
        return [(line.local_date, line.total)]
    nights = nights_of(line)
    return list(zip(nights, night_weights(line, nights), strict=True))
