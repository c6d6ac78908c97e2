"""The merge job: everything a merge moves after the request (customers/domain/merges.py),
run by the consumer of `CustomersMerged` (pipeline/consumers.py, bookkeeping group).

Resumable and idempotent, step by step, each step marked on the `Merge` when it is done:
1. figures, tags and preferences: the loser's figures (frozen since `merged_into`: a figure
   write is conditional on the record not being merged away, so a late event is counted on
   the winner instead) are added to the winner's in one transaction with the mark
   `figures_moved`, so they are never added twice;
2. notes: copied to the winner in batches of `NOTE_BATCH` (a copy is the same item under the
   same id: copying twice is one copy), then `notes_moved`;
3. orders: the loser's index partition (`CUSORD#<loser>`) is read a page at a time and each
   order moved to the winner in its own write (order_moves.py), until a read finds none left:
   a booking made under the loser's e-mail while the job runs is moved too, and one made after
   is moved by the figures consumer. No transaction limit applies to a customer with
   thousands of orders, and an order moved before a crash is skipped after it;
4. the other capabilities' mergers (mergers.py), each marked by name once it returned;
5. `done`.
A step that raises leaves its mark unwritten; the event is delivered again and the job goes on
from the first step not marked.
"""

from __future__ import annotations

from dataclasses import replace

from chalicelib.booking.domain.order_search import ByCustomer
from chalicelib.customers.domain.figures import combine
from chalicelib.customers.domain.merges import Merge, MergeStatus
from chalicelib.customers.domain.records import joined_tags, merged_consent
from chalicelib.customers.services.customer_ports import (
    CustomerPut,
    CustomersContext,
    MergePut,
    NotePut,
)
from chalicelib.customers.services.mergers import MERGERS
from chalicelib.customers.services.order_moves import move_order
from chalicelib.customers.services.records import REREADS, bumped, joined_marks
from chalicelib.kernel.domain.customer_events import CustomersMerged
from chalicelib.kernel.domain.errors import Conflict, TransientFailure
from chalicelib.kernel.services.unit_of_work import UnitOfWork

NOTE_BATCH = 90  # notes copied per transaction (100 items at most, the mark among them)
ORDER_PAGE = 50
MAX_NOTES = 1000


class MergeCustomers:
    """The consumer of `CustomersMerged`: runs the merge job."""

    name = "customer_merge"
    events = (CustomersMerged,)
    # Every step is marked on the merge in the step's own write; a retry resumes.
    repeatable = True

    def handle(self, ctx: CustomersContext, event: CustomersMerged, deps: object) -> None:
        run_merge(ctx, event.customer_id, event.merged_id)


def run_merge(ctx: CustomersContext, winner_id: str, loser_id: str) -> Merge | None:
    """Run the merge's steps not yet done; the merge as it ends (None: no such merge)."""
    merge = ctx.data.customers.merge(winner_id, loser_id)
    if merge is None or merge.status is MergeStatus.DONE:
        return merge
    if not merge.figures_moved:
        merge = _move_figures(ctx, merge)
    if not merge.notes_moved:
        merge = _move_notes(ctx, merge)
    moved = _move_orders(ctx, merge)
    for merger in MERGERS:
        if merger.name not in merge.mergers_done:
            merger.merge(ctx, winner_id=winner_id, loser_id=loser_id)
            merge = _mark(ctx, merge, mergers_done=(*merge.mergers_done, merger.name))
    return _mark(
        ctx,
        merge,
        orders_moved=merge.orders_moved + moved,
        status=MergeStatus.DONE,
        finished_at=ctx.now(),
    )


def _mark(ctx: CustomersContext, merge: Merge, **changes: object) -> Merge:
    after = replace(merge, version=merge.version + 1, **changes)  # type: ignore[arg-type]
    with UnitOfWork(ctx) as uow:
        uow.add(MergePut(after, merge.version))
        uow.commit()
    return after


def _move_figures(ctx: CustomersContext, merge: Merge) -> Merge:
    store = ctx.data.customers
    for _ in range(REREADS):
        winner, loser = store.get(merge.winner_id), store.get(merge.loser_id)
        if winner is None or loser is None:
            raise TransientFailure("A merged record is missing.", code="merge_broken")
        after = bumped(
            winner,
            ctx.now(),
            figures=combine(winner.figures, loser.figures),
            tags=joined_tags(winner.tags, loser.tags),
            preferences=tuple(
                sorted({**dict(loser.preferences), **dict(winner.preferences)}.items())
            ),
            consent=merged_consent(winner.consent, loser.consent),
            # The loser's marks of the events counted in the figures it hands over: an event
            # delivered again after its order moved to the winner is found counted there.
            **joined_marks(winner, loser),
        )
        done = replace(merge, figures_moved=True, version=merge.version + 1)
        try:
            with UnitOfWork(ctx) as uow:
                # The winner may itself have been merged since: allowed, its figures still
                # travel on with it (its own merge's job reads them after this write).
                uow.add(CustomerPut(after, winner.version, allow_merged=True))
                uow.add(MergePut(done, merge.version))
                uow.commit()
            return done
        except Conflict as exc:
            if exc.code != "customer_changed":
                raise
    raise TransientFailure("The winner kept changing.", code="customer_busy")


def _move_notes(ctx: CustomersContext, merge: Merge) -> Merge:
    notes = ctx.data.customers.notes(merge.loser_id, limit=MAX_NOTES)
    for start in range(0, len(notes), NOTE_BATCH):
        batch = notes[start : start + NOTE_BATCH]
        with UnitOfWork(ctx) as uow:
            uow.add(*(NotePut(replace(n, customer_id=merge.winner_id), copy=True) for n in batch))
            uow.commit()
    return _mark(ctx, merge, notes_moved=True)


def _move_orders(ctx: CustomersContext, merge: Merge) -> int:
    """Move every order still under the loser's id; how many moved. Passes over the loser's
    partition until one moves nothing (an index entry may lag behind a move: such an order
    is skipped, and a booking made meanwhile is found by the next pass)."""
    moved = 0
    while True:
        before, after = moved, None
        while True:
            page = ctx.data.orders.index_page(
                ByCustomer((merge.loser_id,)), after=after, descending=False, limit=ORDER_PAGE
            )
            moved += sum(move_order(ctx, e.order_id, merge.winner_id) for e in page.entries)
            after = page.next
            if after is None:
                break
        if moved == before:
            return moved
