"""An order event whose words may name someone, handled by the audit consumer after its
customer was erased (an erase made seconds after a staff message): its entry keeps who did
what and when, not the words (booking/services/order_audit.py)."""

from __future__ import annotations

from chalicelib.booking.services.booking import order_facts
from chalicelib.booking.services.order_audit import AuditOrderEvents
from chalicelib.booking.services.order_unit_of_work import OrderUnitOfWork
from chalicelib.customers.domain.privacy import anonymised
from chalicelib.kernel.domain.events import OrderMessaged
from tests.stage import Stage


def _messaged(stage: Stage, order_id: str, n: int) -> OrderMessaged:
    facts = order_facts(stage.ctx, stage.ctx.data.orders.get(order_id))
    facts["id"] = f"bj_{n}.{order_id}"
    return OrderMessaged(**facts, subject="Hello Ada", body="Dear Ada Lovelace", job_id="bj_1")


def test_a_message_audited_after_the_erase_keeps_no_words_and_one_before_keeps_them():
    stage = Stage()
    order = stage.book()
    ctx = stage.ctx
    before = _messaged(stage, order.id, 1)
    AuditOrderEvents().handle(ctx, before, None)
    with OrderUnitOfWork(ctx) as uow:
        uow.put_order(anonymised(order, ("Ada Lovelace",), ctx.now()), before=order)
        uow.commit()
    after = _messaged(stage, order.id, 2)
    AuditOrderEvents().handle(ctx, after, None)
    entries = {e.id: e for e in ctx.data.audit.list_month(ctx.now()[:7], limit=50)}
    assert entries[before.id].details["body"] == "Dear Ada Lovelace"  # the erase scrubs it
    assert entries[after.id].details == {}
    assert entries[after.id].action == "order.messaged" and entries[after.id].actor is not None
