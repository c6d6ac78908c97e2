"""The morning summary's figures (`SummaryFigures`, summary_ports.py) from the report service:
a local day's totals on one basis, as the report API answers them for that day alone, so the
e-mail and the dashboard never disagree."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.kernel.services.context import TenantContext
from chalicelib.reports.services.report import figures_of_day


class ReportFigures:
    def __init__(self, cache: CatalogCache) -> None:
        self._cache = cache

    def totals(self, ctx: TenantContext[Any], basis: str, day: date) -> Mapping[str, Any]:
        return figures_of_day(ctx, self._cache, day, basis)
