"""The platform table through PynamoDB: tenants, slugs, e-mail claims, API keys, staff users
and the work marks of the sweepers.

`DynamoPlatformRepository` is the one adapter of the PlatformRepository port; each concern is
its own module (platform_tenants, platform_keys, platform_staff) over the models of
platform_models; the timed work marks, a few lines, live here. Item shapes and access patterns
are listed in `schema.py`.
"""

from __future__ import annotations

from pynamodb.exceptions import DeleteError, PutError, QueryError

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.platform_models import PlatformModels
from chalicelib.kernel.domain.timefmt import parse as parse_stamp
from chalicelib.kernel.services.ports import WorkMark
from chalicelib.tenancy.adapters.platform_keys import PlatformKeys
from chalicelib.tenancy.adapters.platform_staff import PlatformStaff
from chalicelib.tenancy.adapters.platform_tenants import PlatformTenants
from chalicelib.tenancy.services.platform_ports import PlatformRepository


class DynamoPlatformRepository(PlatformTenants, PlatformKeys, PlatformStaff, PlatformRepository):
    def __init__(self, models: PlatformModels) -> None:
        self.m = models

    # -- timed work marks -----------------------------------------------------------------

    def mark_work(self, kind: str, tenant_id: str, until: str, part: str = "") -> None:
        w = self.m.Work
        item = w(
            pk=f"WORK#{kind}",
            sk=_work_sk(tenant_id, part),
            tenant_id=tenant_id,
            until=until,
            part=part or None,
            ttl=int(parse_stamp(until).timestamp()) + 7 * 24 * 3600,
        )
        try:
            item.save(condition=w.until.does_not_exist() | (w.until < until))
        except PutError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                reraise(exc)  # an existing later mark is already enough

    def marked(self, kind: str) -> list[WorkMark]:
        try:
            return [
                WorkMark(item.tenant_id, item.until, item.part or "")
                for item in self.m.Work.query(f"WORK#{kind}")
            ]
        except QueryError as exc:
            reraise(exc)

    def clear_work(self, kind: str, tenant_id: str, until: str, part: str = "") -> None:
        w = self.m.Work
        try:
            w(pk=f"WORK#{kind}", sk=_work_sk(tenant_id, part)).delete(condition=w.until <= until)
        except DeleteError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException":
                reraise(exc)


def _work_sk(tenant_id: str, part: str) -> str:
    """A mark's sort key: the tenant's, and its part's (marks written before parts: none)."""
    return f"TEN#{tenant_id}#{part}" if part else f"TEN#{tenant_id}"
