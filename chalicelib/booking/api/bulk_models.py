"""Request and response models of bulk jobs (booking/domain/bulk.py)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Annotated

from pydantic import Field

from chalicelib.booking.api.booking_models import Id, LocalStart
from chalicelib.booking.api.search_models import OrderSearchQueryIn
from chalicelib.booking.domain.bulk import (
    MAX_BODY,
    MAX_BULK_ORDERS,
    MAX_SUBJECT,
    BulkAction,
    BulkJob,
    BulkResult,
)
from chalicelib.booking.services.bulk_choice import OrderChoice
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.web.models import Body, Day, MultiLine, OneLine, Out


class BulkJobIn(Body):
    action: BulkAction = Field(
        description="check_in, complete, no_show, cancel (by the business: no fee, a full "
        "refund; managers and owners) or message (an e-mail, and a text where the business "
        "sends them, to each order's customer)."
    )
    order_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_BULK_ORDERS)] | None = None
    search: OrderSearchQueryIn | None = Field(
        default=None, description="The orders `GET /v1/orders` finds with these filters."
    )
    resource_id: Id | None = Field(
        default=None, description="With `date`: the resource's day; with `session`: one session."
    )
    day: Day | None = Field(
        default=None,
        alias="date",
        description="Every booking of `resource_id` that day: arrivals, appointments, sessions.",
    )
    session: LocalStart | None = Field(
        default=None, description="Every booking of `resource_id`'s session starting then."
    )
    reason: Annotated[str, Field(max_length=500), OneLine] = Field(
        default="", description="Why the business cancels: told to each customer."
    )
    leave_balance_open: bool = Field(
        default=False,
        description="complete: check out also the orders that still owe (or are owed) money,"
        " leaving it on them; otherwise each is refused (`balance_outstanding`, `refund_due`).",
    )
    subject: Annotated[str, Field(max_length=MAX_SUBJECT), OneLine] = ""
    body: Annotated[str, Field(max_length=MAX_BODY), MultiLine] = ""

    def choice(self, region: str | None) -> OrderChoice:
        paging = {"limit", "cursor", "order"} & (
            self.search.model_fields_set if self.search else set()
        )
        if paging:
            raise InvalidInput(
                "A job acts on every order the search finds: leave out "
                + ", ".join(sorted(paging))
                + ".",
                code="invalid_filter",
            )
        return OrderChoice(
            order_ids=tuple(self.order_ids or ()),
            search=self.search.to_search(region) if self.search is not None else None,
            resource_id=self.resource_id,
            day=self.day,
            session=datetime.fromisoformat(self.session) if self.session else None,
        )


class BulkResultOut(Out):
    order_id: str
    outcome: str = Field(description="done, unchanged (it was so already) or failed.")
    code: str = Field(description="Why it failed: the error code one request would get.")
    message: str
    at: str


class BulkJobOut(Out):
    id: str
    action: str
    status: str = Field(description="queued, running or done.")
    chosen_by: str
    total: int
    done: int
    unchanged: int
    failed: int
    created_at: str
    created_by: str
    finished_at: str | None
    results: list[BulkResultOut] = Field(description="One per order acted on so far.")

    @classmethod
    def of(cls, job: BulkJob, results: list[BulkResult]) -> BulkJobOut:
        count = Counter(r.outcome.value for r in results)
        return cls(
            id=job.id,
            action=job.action.value,
            status=job.status.value,
            chosen_by=job.chosen_by,
            total=len(job.order_ids),
            done=count["done"],
            unchanged=count["unchanged"],
            failed=count["failed"],
            created_at=job.created_at,
            created_by=job.created_by,
            finished_at=job.finished_at,
            results=[
                BulkResultOut(
                    order_id=r.order_id,
                    outcome=r.outcome.value,
                    code=r.code,
                    message=r.message,
                    at=r.at,
                )
                for r in results
            ],
        )
