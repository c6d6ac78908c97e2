"""Sign-up budgets' counters in the platform table (there is no tenant yet), through the
PynamoDB model of platform_models: the same item and the same one conditional UpdateItem as
the tenant tables' counters (rate_counters.py says why: `ADD n :one`, the TTL set once, on the
condition `attribute_not_exists(n) OR n < :limit`, so concurrent requests never count past
the limit and a refused request counts nothing).
"""

from __future__ import annotations

from pynamodb.exceptions import UpdateError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.platform_models import PlatformModels
from chalicelib.tenancy.services.counter_ports import RateCounters


class PlatformRateCounters(RateCounters):
    def __init__(self, models: PlatformModels) -> None:
        self.m = models

    def take(self, key: str, window_start: int, *, limit: int, expires_at: int) -> bool:
        c = self.m.Counter
        try:
            c(pk=key, sk=f"W#{window_start}").update(
                actions=[c.n.add(1), c.ttl.set(c.ttl | expires_at)],
                condition=c.n.does_not_exist() | (c.n < limit),
            )
        except UpdateError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            reraise(exc)
        return True
