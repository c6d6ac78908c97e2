"""Where the morning summary's figures come from until the composition root connects the
report service (the figures slice of issue 16) at merge: nowhere. A summary due meanwhile
fails as a passing failure (its record comes back, its schedule stays due, nothing is sent
and no figure is made up), and the run after the connection sends it if it is not stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from chalicelib.kernel.domain.errors import TransientFailure
from chalicelib.kernel.services.context import TenantContext


class FiguresNotConnected:
    def totals(self, ctx: TenantContext[Any], basis: str, day: date) -> Mapping[str, Any]:
        raise TransientFailure("The daily figures are not connected to the morning summary yet.")
