"""The morning summary's schedule in the platform table, through PynamoDB.

`TEN#<tenant>`/`SUMMARY`: enabled, recipients, hour and `due` (the next UTC stamp it is due,
while enabled). While it is due it also carries the sparse gsi1 entry `SUMMARYDUE` /
`<due>#<tenant>`: the run reads the tenants due by now with one Query of that partition, and a
tenant that never asked (or turned it off) has no entry to read. The model is bound to the
table of `PlatformModels` and shares its connection (kernel/adapters/platform_models.py).
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import BooleanAttribute, ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, QueryError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.platform_models import PlatformModels, get_item
from chalicelib.reports.domain.summaries import SummarySettings
from chalicelib.reports.services.summary_ports import DueSummary, SummarySchedule, SummarySchedules

SK = "SUMMARY"
DUE_PARTITION = "SUMMARYDUE"


def _model(models: PlatformModels) -> Any:
    table: Any = models.Tenant.Meta
    meta = {
        "table_name": table.table_name,
        "host": table.host,
        "region": table.region,
        "max_retry_attempts": 3,
    }

    class ByDue(GlobalSecondaryIndex):
        class Meta:
            index_name = "gsi1"
            projection = AllProjection()

        gsi1pk = UnicodeAttribute(hash_key=True)
        gsi1sk = UnicodeAttribute(range_key=True)

    class SummaryItem(Model):
        Meta = type("Meta", (), meta)  # type: ignore[assignment]
        pk = UnicodeAttribute(hash_key=True)
        sk = UnicodeAttribute(range_key=True, default=SK)
        gsi1pk = UnicodeAttribute(null=True)
        gsi1sk = UnicodeAttribute(null=True)
        by_due = ByDue()
        item_type = UnicodeAttribute(attr_name="type", default="summary")
        tenant_id = UnicodeAttribute()
        enabled = BooleanAttribute(default=False)
        recipients: ListAttribute[Any] = ListAttribute(default=list)  # of strings
        hour = NumberAttribute()
        due = UnicodeAttribute(null=True)

    SummaryItem._connection = models.Key._get_connection()
    return SummaryItem


def _entry(tenant_id: str, due: str) -> str:
    return f"{due}#{tenant_id}"


class DynamoSummarySchedules(SummarySchedules):
    def __init__(self, models: PlatformModels) -> None:
        self.item = _model(models)

    def get(self, tenant_id: str) -> SummarySchedule | None:
        found = get_item(self.item, f"TEN#{tenant_id}", SK)
        if found is None:
            return None
        settings = SummarySettings(
            enabled=bool(found.enabled),
            recipients=tuple(found.recipients or ()),
            hour=int(found.hour),
        )
        return SummarySchedule(tenant_id=tenant_id, settings=settings, due=found.due)

    def save(self, schedule: SummarySchedule) -> None:
        s, due = schedule.settings, schedule.due
        item = self.item(
            pk=f"TEN#{schedule.tenant_id}",
            sk=SK,
            tenant_id=schedule.tenant_id,
            enabled=s.enabled,
            recipients=list(s.recipients),
            hour=s.hour,
            due=due,
            gsi1pk=DUE_PARTITION if due else None,
            gsi1sk=_entry(schedule.tenant_id, due) if due else None,
        )
        try:
            item.save()
        except PutError as exc:
            reraise(exc)

    def due(self, until: str, *, limit: int) -> list[DueSummary]:
        # `#~` sorts after every tenant id: the entries due at `until` itself are read too.
        condition = self.item.gsi1sk <= f"{until}#~"
        try:
            found = self.item.by_due.query(DUE_PARTITION, condition, limit=limit)
            return [DueSummary(tenant_id=i.tenant_id, due=i.due) for i in found if i.due]
        except QueryError as exc:
            reraise(exc)

    def advance(self, tenant_id: str, *, was: str, due: str | None) -> bool:
        m = self.item
        if due:
            actions = [
                m.due.set(due),
                m.gsi1pk.set(DUE_PARTITION),
                m.gsi1sk.set(_entry(tenant_id, due)),
            ]
        else:
            actions = [m.due.remove(), m.gsi1pk.remove(), m.gsi1sk.remove()]
        try:
            m(pk=f"TEN#{tenant_id}", sk=SK).update(actions=actions, condition=m.due == was)
        except UpdateError as exc:
            if exc.cause_response_code == "ConditionalCheckFailedException":
                return False
            reraise(exc)
        return True
