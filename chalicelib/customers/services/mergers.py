"""What each capability moves when two customers are merged: a list the merge job runs.

The customer's core moves its own parts (orders, figures, notes, tags: merge_job.py); a
capability that keeps more about a customer under the customer's id (loyalty points, coupon
uses) registers a `Merger` here, from its own module, and the job calls each once per merge,
after the core's steps, marking its name on the merge when it returns (`Merge.mergers_done`),
so a job that died half-way runs only the mergers not yet marked. A merger must itself be safe
to run twice (a crash between its writes and the mark runs it again): key its writes by the
merge (`winner`, `loser`).

Points are moved by the loyalty capability's own merger, registered here when it is built.
"""

from __future__ import annotations

from typing import Protocol

from chalicelib.customers.services.customer_ports import CustomersContext


class Merger(Protocol):
    @property
    def name(self) -> str:
        """Never changed once deployed: a merge marks what ran by it."""

    def merge(self, ctx: CustomersContext, *, winner_id: str, loser_id: str) -> None: ...


MERGERS: list[Merger] = []


def register(merger: Merger) -> None:
    """Add a capability's merger (once per name)."""
    if all(m.name != merger.name for m in MERGERS):
        MERGERS.append(merger)
