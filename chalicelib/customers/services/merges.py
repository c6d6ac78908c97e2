"""Merging two records of one customer, the part a request does (customers/domain/merges.py
says what a merge promises; merge_job.py does the rest).

One transaction: the loser's record gets `merged_into` (over the version read), the winner's
lists the loser in `merged_from` (over its version), the `Merge` is written under the winner,
and `CustomersMerged` is recorded (its consumer is the merge job). The same merge asked again
answers the merge it made; the audit log records it.
"""

from __future__ import annotations

from chalicelib.customers.domain.merges import CustomerMerged, Merge, check_merge
from chalicelib.customers.services.customer_ports import CustomerPut, CustomersContext, MergePut
from chalicelib.customers.services.records import REREADS, bumped, existing
from chalicelib.kernel.domain.customer_events import CustomersMerged
from chalicelib.kernel.domain.errors import Conflict, NotFound, TransientFailure
from chalicelib.kernel.services.unit_of_work import UnitOfWork


def merge_customers(
    ctx: CustomersContext, winner_id: str, loser_id: str, *, event_id: str
) -> Merge:
    for _ in range(REREADS):
        winner = existing(ctx, winner_id)
        loser = ctx.data.customers.get(loser_id)
        if loser is None:
            raise NotFound("No such customer.", code="customer_not_found", customer_id=loser_id)
        if loser.merged_into == winner.id:
            made = ctx.data.customers.merge(winner.id, loser.id)
            if made is not None:
                return made  # asked again: the merge it made
        if winner.id != winner_id and winner.id == loser.id:  # asked the other way round
            raise CustomerMerged(
                "That record was merged into this customer already: they are one now.",
                merged_into=loser.id,
            )
        check_merge(winner.id, loser.id, "")
        if loser.merged_into:
            raise CustomerMerged(
                "That record was merged into another customer already.",
                merged_into=loser.merged_into,
            )
        now = ctx.now()
        merge = Merge(winner_id=winner.id, loser_id=loser.id, at=now, by=ctx.actor.label)
        loser_after = bumped(
            loser,
            now,
            merged_into=winner.id,
            possible_duplicates=tuple(d for d in loser.possible_duplicates if d != winner.id),
        )
        winner_after = bumped(
            winner,
            now,
            # The ids the loser absorbed too: their orders not yet moved are read with ours.
            merged_from=tuple(dict.fromkeys((*winner.merged_from, loser.id, *loser.merged_from))),
            possible_duplicates=tuple(d for d in winner.possible_duplicates if d != loser.id),
        )
        try:
            with UnitOfWork(ctx) as uow:
                uow.add(
                    CustomerPut(loser_after, loser.version, allow_merged=True),
                    CustomerPut(winner_after, winner.version),
                    MergePut(merge, 0),
                )
                uow.record(
                    CustomersMerged(
                        id=event_id,
                        at=now,
                        customer_id=winner.id,
                        merged_id=loser.id,
                        actor=ctx.actor.label,
                    )
                )
                uow.commit()
        except Conflict as exc:
            if exc.code not in ("customer_changed", "merge_changed"):
                raise
            continue
        ctx.audit("customer.merged", f"customer:{winner.id}", merged=loser.id)
        return merge
    raise TransientFailure("The customers kept changing; try again.", code="customer_busy")


def merge_state(ctx: CustomersContext, winner_id: str, loser_id: str) -> Merge:
    merge = ctx.data.customers.merge(winner_id, loser_id)
    if merge is None:
        raise NotFound("No such merge.", code="merge_not_found")
    return merge
