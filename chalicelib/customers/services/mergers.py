"""What each capability moves when two customers are merged: a list the merge job runs.

The customer's core moves its own parts (orders, figures, notes, tags: merge_job.py); a
capability that keeps more about a customer under the customer's id (loyalty points, coupon
uses) registers a `Merger` here, from its own module, and the job calls each once per merge,
after the core's steps, marking its name on the merge when it returns (`Merge.mergers_done`),
so a job that died half-way runs only the mergers not yet marked. A merger must itself be safe
to run twice (a crash between its writes and the mark runs it again): key its writes by the
merge (`winner`, `loser`).

The suggestions' history is moved by `MoveCoBookings` (suggestions.py: the loser's counted
orders join the winner's, the co-booking rows move to the union). The loyalty points are moved
by `MovePoints` below (loyalty.move_points: the loser's balance, after expiry, to the winner
as one lot, conditional on the points read, so a second run moves only what reached the loser
since), the loser's uses of per-customer coupons by
`MoveCouponUses` (coupons.move_coupon_uses: summed into the winner's, so a per-customer limit
counts both; a second run finds the loser's at zero).
"""

from __future__ import annotations

from typing import Protocol

from chalicelib.customers.services.coupons import move_coupon_uses
from chalicelib.customers.services.customer_ports import CustomersContext
from chalicelib.customers.services.loyalty import move_points
from chalicelib.customers.services.suggestions import MoveCoBookings


class Merger(Protocol):
    @property
    def name(self) -> str:
        """Never changed once deployed: a merge marks what ran by it."""

    def merge(self, ctx: CustomersContext, *, winner_id: str, loser_id: str) -> None: ...


class MovePoints:
    """The loyalty points of the loser, moved to the winner (loyalty.move_points)."""

    name = "loyalty_points"

    def merge(self, ctx: CustomersContext, *, winner_id: str, loser_id: str) -> None:
        move_points(ctx, ctx.data.loyalty, loser_id, winner_id)


class MoveCouponUses:
    """The loser's uses of coupons limited per customer, summed into the winner's
    (coupons.move_coupon_uses)."""

    name = "coupon_uses"

    def merge(self, ctx: CustomersContext, *, winner_id: str, loser_id: str) -> None:
        move_coupon_uses(ctx, loser_id, winner_id)


MERGERS: list[Merger] = [MovePoints(), MoveCoBookings(), MoveCouponUses()]


def register(merger: Merger) -> None:
    """Add a capability's merger (once per name)."""
    if all(m.name != merger.name for m in MERGERS):
        MERGERS.append(merger)
