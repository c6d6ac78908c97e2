"""Reading a customer's live record and writing a record over the version read: the two moves
every use case of the customers' core is made of.

`live` follows `merged_into` from the id a contact or an order names to the record that holds
the customer now (one GetItem per hop; a merge makes one hop, a chain of merges a few). `put`
writes one record through the unit of work over the version read; a record that changed
meanwhile answers Conflict `customer_changed` and the caller reads again (`REREADS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from chalicelib.booking.domain.orders import Order
from chalicelib.customers.domain.records import CustomerRecord, Profile
from chalicelib.customers.services.customer_ports import (
    CustomerPut,
    CustomersContext,
    FamilyNamePut,
)
from chalicelib.kernel.domain.errors import NotFound, TransientFailure
from chalicelib.kernel.services.transaction_ports import TransactionItem
from chalicelib.kernel.services.unit_of_work import UnitOfWork

MAX_HOPS = 8  # merged_into links followed before a chain is taken for a loop
REREADS = 5  # a record changed between read and write: read and decide again, this often


def follow(customer_id: str, merged_into: Callable[[str], str | None]) -> str:
    """The id at the end of the `merged_into` links from `customer_id` (at most `MAX_HOPS`;
    more is a loop: TransientFailure `merge_loop`). The one rule every reader of a customer
    follows: the core's records (`live`), and the points and coupon counts
    (loyalty.live_customer)."""
    return chain(customer_id, merged_into)[-1]


def chain(customer_id: str, merged_into: Callable[[str], str | None]) -> list[str]:
    """`customer_id` and the ids its merges lead to, the live one last (`follow`'s rule)."""
    ids, hops = [customer_id], 0
    after = merged_into(customer_id)
    while after and hops < MAX_HOPS:
        ids.append(after)
        hops += 1
        after = merged_into(after)
    if after:
        raise TransientFailure("A chain of merges loops.", code="merge_loop", id=customer_id)
    return ids


def live(ctx: CustomersContext, customer_id: str) -> tuple[str, CustomerRecord | None]:
    """The id and record that hold the customer `customer_id` names now (following merges);
    (customer_id, None) when there is no record yet."""
    store = ctx.data.customers
    read: dict[str, CustomerRecord | None] = {}

    def merged_into(of: str) -> str | None:
        read[of] = record = store.get(of)
        return record.merged_into if record is not None else None

    current = follow(customer_id, merged_into)
    return current, read[current]


def live_chain(ctx: CustomersContext, customer_id: str) -> list[tuple[str, CustomerRecord | None]]:
    """Every id `live` passes through from `customer_id`, with its record, the live one last
    (the same reads as `live`)."""
    read: dict[str, CustomerRecord | None] = {}

    def merged_into(of: str) -> str | None:
        read[of] = record = ctx.data.customers.get(of)
        return record.merged_into if record is not None else None

    return [(i, read[i]) for i in chain(customer_id, merged_into)]


def existing(ctx: CustomersContext, customer_id: str) -> CustomerRecord:
    """The live record, or 404 `customer_not_found`."""
    _, record = live(ctx, customer_id)
    if record is None:
        raise NotFound("No such customer.", code="customer_not_found", customer_id=customer_id)
    return record


def from_order(customer_id: str, order: Order, now: str) -> CustomerRecord:
    """A new record from a booking's contact (its first booking)."""
    who = order.customer
    profile = Profile(
        name=who.name, email=who.email, phone=who.phone or "", locale=who.locale or ""
    )
    return new_record(customer_id, profile, now)


def new_record(customer_id: str, profile: Profile, now: str) -> CustomerRecord:
    """A record not written yet (version 0), keeping the marks of the events it counts in
    itself from the start (`counted_since` "")."""
    return CustomerRecord(
        id=customer_id,
        profile=profile,
        created_at=now,
        updated_at=now,
        version=0,
        counted_since="",
    )


def bumped(customer: CustomerRecord, now: str, **changes: object) -> CustomerRecord:
    """The record with `changes`, its version bumped and its time updated."""
    return replace(customer, version=customer.version + 1, updated_at=now, **changes)  # type: ignore[arg-type]


def put(
    ctx: CustomersContext,
    after: CustomerRecord,
    *,
    before: CustomerRecord | None,
    also: tuple[TransactionItem, ...] = (),
    allow_merged: bool = False,
) -> None:
    """Write `after` over the version `before` was read at (None: a new record), with `also`
    in the same transaction."""
    with UnitOfWork(ctx) as uow:
        expected = before.version if before is not None else 0
        uow.add(CustomerPut(after, expected, allow_merged), *also)
        family = after.family_key
        if family != (before.family_key if before is not None else ""):
            # Only when the name's family part changes: not on every figure's write.
            uow.add(FamilyNamePut(after.id, family))
        uow.commit()


def joined_marks(winner: CustomerRecord, loser: CustomerRecord) -> dict[str, object]:
    """The winner's `counted` and `counted_since` once it holds the loser's figures: both
    records' marks, and since when both kept every one (None when either kept them apart)."""
    marks = dict(loser.counted) | dict(winner.counted)
    w, lo = winner.counted_since, loser.counted_since
    since = None if w is None or lo is None else max(w, lo)  # "" (since made): the least
    return {"counted": tuple(sorted(marks.items())), "counted_since": since}
