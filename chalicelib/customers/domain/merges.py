"""A merge of two records of one customer: what it promises and how far its job has got.

Staff merge a loser into a winner. At once (one transaction): the loser's record gets
`merged_into` (every read that derives the loser's id follows it to the winner), the winner
lists it in `merged_from`, this `Merge` is written under the winner, and `CustomersMerged` is
recorded. Then the merge job (customers/services/merge_job.py, a consumer of that event) moves
the rest, each step marked here so a job that died half-way resumes where it stopped and a
step done is never done twice: the figures (added once: `figures_moved`), the tags and
preferences (with the figures), the notes (copied, `notes_moved`), the orders (each its own
write, so no transaction limit applies; `orders_moved` counts them), the other capabilities'
parts (points: `mergers.py`), then `done`.

Pure: no storage here.
"""

from __future__ import annotations

from enum import StrEnum

from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.values import value


class MergeStatus(StrEnum):
    MOVING = "moving"
    DONE = "done"


@value
class Merge:
    winner_id: str
    loser_id: str
    at: str
    by: str  # the actor's label
    status: MergeStatus = MergeStatus.MOVING
    figures_moved: bool = False
    notes_moved: bool = False
    orders_moved: int = 0
    mergers_done: tuple[str, ...] = ()  # names of the capabilities' mergers that ran
    finished_at: str = ""
    version: int = 1


class CustomerMerged(Conflict):
    """A record merged away takes no merge of its own (merge into the winner it points at)."""

    code = "customer_merged"


def check_merge(winner_id: str, loser_id: str, winner_merged_into: str) -> None:
    if winner_id == loser_id:
        raise InvalidInput("A customer cannot be merged into itself.", code="same_customer")
    if winner_merged_into:
        raise CustomerMerged(
            "The winner was itself merged into another customer: merge into that one.",
            merged_into=winner_merged_into,
        )
