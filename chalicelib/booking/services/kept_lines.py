"""What a moved line keeps of the line it replaces (booking/services/orders.reschedule): its
answers, who the guest chose, a group's block, a stay's rooms."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from chalicelib.booking.domain.orders import Line
from chalicelib.booking.domain.room_nights import rooms_until
from chalicelib.booking.services.chosen import chosen_after_move
from chalicelib.booking.services.line_planning import LineInput


def kept_line(new: LineInput, old: Line, by_booker: bool) -> LineInput:
    """A line sent without answers keeps those of the line it replaces (same place, same
    offering), trimmed to a smaller party, answers to questions no longer asked dropped
    (catalog/domain/questions.keep_answers). A stay keeping offering and check-in keeps its room
    type and rooms (gained nights: its last room); a block's guest stays the block's; `chosen`
    stays through the desk's move, the booker's own move chooses again (chosen_after_move)."""
    if new.offering_id != old.offering_id:
        return new
    answers, kept = (old.answers, True) if new.answers is None else (new.answers, new.answers_kept)
    named = chosen_after_move(old, new.resource_ids) if new.chosen is None else new.chosen
    chosen = named if by_booker else old.chosen
    new = replace(new, chosen=chosen, answers=answers, answers_kept=kept)
    if old.block_id:  # a group's guest stays the group's (nights outside its block: on sale)
        new = replace(new, block_id=old.block_id)
    if old.rooms and new.check_in is not None and new.check_in.isoformat() == old.local_date:
        end = (new.check_in + timedelta(days=new.nights)).isoformat()
        pinned = new.resource_ids or {a.requirement: a.resource_id for a in old.allocations}
        new = replace(new, rooms=rooms_until(old.rooms, end), resource_ids=pinned)
    return new
