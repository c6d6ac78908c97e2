"""The report use cases: the report API's answer from the daily figures (ONE Query of one
basis's day items over the range, the previous range included when compared), and the rows
other slices read (exports' figures rows, the morning summary's day): `figures_rows`,
`figures_of_day`. Dates are local dates in the tenant's zone."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalicelib.catalog.services.catalog_view import CatalogCache, CatalogSnapshot
from chalicelib.customers.services.figures import is_staff
from chalicelib.reports.domain.figures_report import Catalogue, ReportQuery, report
from chalicelib.reports.services.figures_ports import ReportsContext


def staff_of(catalog: CatalogSnapshot) -> frozenset[str]:
    """The resources a report by staff lists: those the catalogue says are staff now."""
    return frozenset(r for r in catalog.resources if is_staff(catalog, r))


def catalogue(ctx: ReportsContext, cache: CatalogCache) -> Catalogue:
    snapshot = cache.get(ctx.tenant.id, ctx.data.catalog)
    labels = {o.id: o.name for o in snapshot.offerings.values()}
    labels.update({r.id: r.name for r in snapshot.resources.values()})
    resources = sorted(snapshot.resources.values(), key=lambda r: r.id)
    return Catalogue(
        resources=tuple(resources),
        labels=labels,
        staff=staff_of(snapshot),
        zone=ctx.tenant.timezone,
    )


def figures_report(ctx: ReportsContext, q: ReportQuery, cache: CatalogCache) -> dict[str, Any]:
    """The report API's answer (README "Reports"); BadReport/RangeTooLong for a bad query."""
    q = q.checked()
    items = ctx.data.figures.days(q.basis, q.read_from.isoformat(), q.last.isoformat())
    return report(q, items, catalogue(ctx, cache), ctx.tenant.timezone)


def figures_rows(
    ctx: ReportsContext,
    cache: CatalogCache,
    *,
    basis: str,
    first: date,
    last: date,
    by: str | None = None,
) -> list[dict[str, Any]]:
    """The report's rows of one basis, per day (and key when `by`), for an export: each
    `{"period", "key", "label", "figures": F}`."""
    rows: list[dict[str, Any]] = figures_report(
        ctx, ReportQuery(basis, first, last, "day", by), cache
    )["rows"]
    return rows


def figures_of_day(
    ctx: ReportsContext, cache: CatalogCache, day: date, basis: str
) -> dict[str, Any]:
    """`F` of one local date on one basis (the morning summary's yesterday)."""
    totals: dict[str, Any] = figures_report(ctx, ReportQuery(basis, day, day), cache)["totals"]
    return totals
