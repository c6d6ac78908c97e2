"""A report from the daily figures: the days of a range summed per period (day, ISO week from
Monday, month; a period is named by its first day) and, when asked, per key of a dimension,
into the figures `F` the report API answers (README "Reports").

Input: the day items of one basis (what reports/domain/figures.py counts, one item per local
date) and the resources (for units available: figures_units.py). Averages and rates are
derived here, never stored: party size and lead time over bookings, occupancy in basis points
of units sold over units available, ADR (room revenue over nights sold) and RevPAR (room
revenue over nights available) per currency on the service basis. Net is gross less
discounts less refunds (booked and service have no refunds; paid has no discounts). A field
that does not apply to a basis is 0 or null. Pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from datetime import date, timedelta
from typing import Any

from chalicelib.catalog.domain.catalog import Resource
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value
from chalicelib.reports.domain.figures import (
    BASES,
    BOOKINGS,
    CANCELLATIONS,
    CHANNEL,
    DISCOUNTS,
    GROSS,
    GUESTS,
    LEAD_DAYS,
    LEGACY_OFFERING,
    LEGACY_RESOURCE,
    NEW,
    NIGHTS,
    NO_SHOWS,
    OFFERING,
    PAID,
    REFUNDS,
    RESOURCE,
    RETURNING,
    ROOMS,
    TAX,
    TOTAL,
    UNITS,
    key_of,
    split_attr,
)
from chalicelib.reports.domain.figures_units import nightly, units_available

MAX_DAYS = 366
SOLD_OF, AVAILABLE_OF = "_sold:", "_avail:"  # units per kind of resource (no "." : a currency)
GROUPS = ("day", "week", "month")
# A report's `by` -> the counters' dimension it reads (staff: the resources that are staff).
BY = {"channel": CHANNEL, "offering": OFFERING, "resource": RESOURCE, "staff": RESOURCE}


class BadReport(InvalidInput):
    code = "report_invalid"


class RangeTooLong(InvalidInput):
    code = "report_range_too_long"


@value
class DayFigures:
    """One basis's figures of one local date, as stored."""

    day: str
    counters: Mapping[str, int]
    updated_at: str = ""


@value
class ReportQuery:
    basis: str
    first: date
    last: date
    group: str = "day"
    by: str | None = None
    compare: bool = False

    def checked(self) -> ReportQuery:
        if self.basis not in BASES:
            raise BadReport("basis is booked, service or paid.", field="basis")
        if self.group not in GROUPS:
            raise BadReport("group is day, week or month.", field="group")
        if self.by is not None and self.by not in BY:
            raise BadReport("by is channel, offering, resource or staff.", field="by")
        if self.first > self.last:
            raise BadReport("from is after to.", field="from")
        if (self.last - self.first).days + 1 > MAX_DAYS:
            raise RangeTooLong(f"A report covers at most {MAX_DAYS} days.", field="to")
        return self

    @property
    def previous(self) -> tuple[date, date]:
        """The range of the same length just before (compare=previous)."""
        length = (self.last - self.first).days + 1
        return self.first - timedelta(days=length), self.first - timedelta(days=1)

    @property
    def read_from(self) -> date:
        """The first day to read: the previous range too, in the same one Query."""
        return self.previous[0] if self.compare else self.first


def period_of(day: date, group: str) -> date:
    if group == "week":
        return day - timedelta(days=day.weekday())
    if group == "month":
        return day.replace(day=1)
    return day


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


class _Sums:
    """Counters summed per (period, dim, key), with the units available alongside. A day
    item written before the short keys (reports/domain/figures.py) is read as if written
    after: `o|<id>` and `r|<id>` under `key_of(id)`, `s|<id>` (a copy of `r`) left out;
    `ids` remembers those ids, so a row of an offering since deleted still names it."""

    def __init__(
        self, keep: frozenset[str] | None = None, kinds: Mapping[str, str] | None = None
    ) -> None:
        self.c: defaultdict[tuple[date, str, str], defaultdict[str, int]] = defaultdict(
            lambda: defaultdict(int)
        )
        self.keep = keep
        self.kinds = kinds or {}  # a resource's key -> its kind: units sold per kind
        self.ids: dict[str, str] = {}

    def add_day(self, period: date, counters: Mapping[str, int], dims: set[str]) -> None:
        for name, n in counters.items():
            dim, key, field = split_attr(name)
            if dim in (LEGACY_OFFERING, LEGACY_RESOURCE):
                dim, key = (OFFERING if dim == LEGACY_OFFERING else RESOURCE), self._legacy(key)
            if dim == RESOURCE and field == UNITS and key in self.kinds:
                self.c[(period, TOTAL, "")][f"{SOLD_OF}{self.kinds[key]}"] += n
            # A counter back at zero (its orders all taken back) makes no row: a rebuild from
            # the orders never meets it, and both must answer alike.
            if dim in dims and n and (dim == TOTAL or self.keep is None or key in self.keep):
                self.c[(period, dim, key)][field] += n

    def _legacy(self, entity_id: str) -> str:
        key = key_of(entity_id)
        self.ids[key] = entity_id
        return key

    def add_units(
        self, period: date, dim: str, key: str, units: int, nights: int, kind: str = ""
    ) -> None:
        counters = self.c[(period, dim, key)]
        counters["_avail"] += units
        counters["_navail"] += nights
        if kind:
            counters[f"{AVAILABLE_OF}{kind}"] += units


def _money(counters: Mapping[str, int], basis: str) -> dict[str, Any]:
    per: defaultdict[str, dict[str, int]] = defaultdict(dict)
    for name, n in counters.items():
        if "." in name:
            cur, code = name.split(".", 1)
            per[cur][code] = per[cur].get(code, 0) + n
    out: dict[str, Any] = {}
    for cur in sorted(per):
        m = per[cur]
        gross, discounts, refunds = m.get(GROSS, 0), m.get(DISCOUNTS, 0), m.get(REFUNDS, 0)
        rooms, nights = m.get(ROOMS, 0), counters.get(NIGHTS, 0)
        navail = counters.get("_navail", 0)
        service = basis == "service"
        out[cur] = {
            "gross": gross,
            "discounts": discounts,
            "refunds": refunds,
            "net": gross - discounts - refunds,
            "tax": m.get(TAX, 0),
            "payments": {
                code.removeprefix(PAID): n
                for code, n in sorted(m.items())
                if code.startswith(PAID) and n
            },
            "adr": average_minor(rooms, nights) if service and nights else None,
            "revpar": average_minor(rooms, navail) if service and navail else None,
            "room_revenue": rooms if service else 0,
        }
    return out


def _by_kind(counters: Mapping[str, int]) -> dict[str, int]:
    """Occupancy per kind of resource with units available: seats, rooms and staff time are
    not one measure (a tour operator's total mixed its departures' seats with its guides' and
    vans' hours). Known for a total (of the range, or of a period), not for a channel's or an
    offering's row, whose units are not counted per resource."""
    out: dict[str, int] = {}
    for name, avail in sorted(counters.items()):
        if name.startswith(AVAILABLE_OF) and avail:
            kind = name.removeprefix(AVAILABLE_OF)
            out[kind] = average_minor(counters.get(f"{SOLD_OF}{kind}", 0) * 10_000, avail)
    return out


def average_minor(amount: int, count: int) -> int:
    """`amount` over `count` in minor units, rounded half away from zero as money is shown:
    an average daily rate of 4,579.60 over 28 nights is 163.56, not the 163.55 that floor
    division gave (an outside tester's report)."""
    whole = (abs(amount) * 2 + count) // (2 * count)
    return whole if amount >= 0 else -whole


def figures(counters: Mapping[str, int], basis: str) -> dict[str, Any]:
    """`F` from summed counters (see the module's docstring)."""
    bookings = counters.get(BOOKINGS, 0)
    sold, avail = counters.get(UNITS, 0), counters.get("_avail", 0)
    service = basis == "service"
    return {
        "bookings": bookings,
        "cancellations": counters.get(CANCELLATIONS, 0),
        "no_shows": counters.get(NO_SHOWS, 0),
        "guests": counters.get(GUESTS, 0),
        "party_size_average": _party_size(counters),
        "lead_days_average": round(counters.get(LEAD_DAYS, 0) / bookings, 2) if bookings else None,
        "new_customers": counters.get(NEW, 0),
        "returning_customers": counters.get(RETURNING, 0),
        "units_sold": sold if service else 0,
        "units_available": avail if service else 0,
        # Rounded as the money is (3 seats of 64 are 469 bp, not the 468 floor division gave:
        # an outside bookkeeper's finding).
        "occupancy_bp": average_minor(sold * 10_000, avail) if service and avail else None,
        "occupancy_by_kind": _by_kind(counters) if service else {},
        "nights_sold": counters.get(NIGHTS, 0) if service else 0,
        "money": _money(counters, basis),
    }


@value
class Catalogue:
    """What a report names and measures its keys by: resources (schedules) and labels."""

    resources: Sequence[Resource] = ()
    labels: Mapping[str, str] = field(default_factory=dict)
    staff: frozenset[str] = frozenset()
    zone: str = "UTC"  # the tenant's: where a timed resource's hours are


def _availability(
    sums: _Sums,
    days: Iterable[date],
    basis: str,
    dim: str,
    period: Callable[[date], date],
    cat: Catalogue,
) -> None:
    if basis != "service":
        return
    for day in days:
        at = period(day)
        for r in cat.resources:
            units = units_available(r, day, cat.zone)
            nights = units if nightly(r) else 0
            sums.add_units(at, TOTAL, "", units, nights, r.kind.value)
            key = key_of(r.id)
            if dim == RESOURCE and (sums.keep is None or key in sums.keep):
                sums.add_units(at, dim, key, units, nights)


def report(
    q: ReportQuery, items: Sequence[DayFigures], cat: Catalogue, zone: str
) -> dict[str, Any]:
    """The report API's answer (README "Reports") from the day items read (they may cover
    the previous range too when `q.compare`)."""
    dim = BY.get(q.by or "", "")
    dims = {TOTAL, dim} if dim else {TOTAL}
    keep = frozenset(key_of(r) for r in cat.staff) if q.by == "staff" else None
    kinds = {key_of(r.id): r.kind.value for r in cat.resources}
    current, before = _Sums(keep, kinds), _Sums(kinds=kinds)
    prev_first, prev_last = q.previous
    for item in items:
        day = date.fromisoformat(item.day)
        if q.first <= day <= q.last:
            current.add_day(period_of(day, q.group), item.counters, dims)
        elif q.compare and prev_first <= day <= prev_last:
            before.add_day(prev_first, item.counters, {TOTAL})
    _availability(
        current, _days(q.first, q.last), q.basis, dim, lambda d: period_of(d, q.group), cat
    )
    rows = _rows(current, q, cat)
    totals: defaultdict[str, int] = defaultdict(int)
    for (_, d, _k), counters in current.c.items():
        if d == TOTAL:
            for f, n in counters.items():
                totals[f] += n
    answer: dict[str, Any] = {
        "basis": q.basis,
        "from": q.first.isoformat(),
        "to": q.last.isoformat(),
        "group": q.group,
        "by": q.by,
        "zone": zone,
        "updated_at": max((i.updated_at for i in items if i.updated_at), default=None),
        "rows": rows,
        "totals": figures(totals, q.basis),
    }
    if q.compare:
        _availability(before, _days(prev_first, prev_last), q.basis, "", lambda d: prev_first, cat)
        answer["previous"] = {
            "from": prev_first.isoformat(),
            "to": prev_last.isoformat(),
            "totals": figures(before.c.get((prev_first, TOTAL, ""), {}), q.basis),
        }
    return answer


def _rows(sums: _Sums, q: ReportQuery, cat: Catalogue) -> list[dict[str, Any]]:
    """The rows; an offering's or resource's row is keyed by its id (the catalogue's, or the
    one an old day item named), or by its short key when neither knows it."""
    dim = BY.get(q.by or "", "")
    periods = sorted({period_of(d, q.group) for d in _days(q.first, q.last)})
    labels = cat.labels
    ids = {key_of(i): i for i in (*labels, *(r.id for r in cat.resources))} | sums.ids
    out = []
    for period in periods:
        if not dim:
            counters: Mapping[str, int] = sums.c.get((period, TOTAL, ""), {})
            out.append(_row(period, None, None, counters, q.basis))
            continue
        keys = [k for (p, d, k) in sums.c if p == period and d == dim]
        named = sorted((k if dim == CHANNEL else ids.get(k, k), k) for k in keys)
        for name, key in named:
            label = key if dim == CHANNEL else labels.get(name)
            out.append(_row(period, name, label, sums.c[(period, dim, key)], q.basis))
    return out


def _row(
    period: date, key: str | None, label: str | None, counters: Mapping[str, int], basis: str
) -> dict[str, Any]:
    return {
        "period": period.isoformat(),
        "key": key,
        "label": label,
        "figures": figures(counters, basis),
    }


def _party_size(counters: Mapping[str, int]) -> float | None:
    """Guests per booking that brought them: cancelled and no-show bookings bring none
    (figures.py), so they are not in the divisor either."""
    live = counters.get(BOOKINGS, 0) - counters.get(CANCELLATIONS, 0) - counters.get(NO_SHOWS, 0)
    return round(counters.get(GUESTS, 0) / live, 2) if live > 0 else None
