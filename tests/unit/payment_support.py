"""A shop that takes payments, over the fakes (used by the payments unit tests)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from chalicelib.booking.domain.orders import Channel, Customer, Order
from chalicelib.booking.services.booking import HoldInput, hold_order
from chalicelib.booking.services.line_planning import LineInput
from chalicelib.catalog.domain.catalog import DepositKind, DepositPolicy
from chalicelib.payments.services.payment_ports import StripeLink
from tests.builders import Shop, room_type, stay_offering
from tests.fakes import FakePaymentAccounts, FakePaymentGateway

CHECK_IN = date(2026, 12, 24)


class PayingShop(Shop):
    def __init__(self, *, rooms: int = 1, deposit: DepositPolicy | None = None, **kw) -> None:
        super().__init__(**kw)
        self.gateway = FakePaymentGateway()
        self.accounts = FakePaymentAccounts()
        self.add(
            room_type(rooms=rooms),
            stay_offering(deposit=deposit or DepositPolicy(DepositKind.FULL)),
        )
        account = self.gateway.create_account(
            tenant_id=self.tenant.id, email="o", idempotency_key="k"
        )
        self.gateway.enable(account.id)
        self.account = account.id
        self.accounts.map_account(account.id, self.tenant.id)
        self.accounts.save(StripeLink(self.tenant.id, account.id, charges_enabled=True))

    def hold(self, order_id: str = "ord_1", email: str = "ada@example.test") -> Order:
        return hold_order(
            self.ctx,
            self.cache,
            HoldInput(
                Customer("Ada", email),
                [LineInput("off_stay", check_in=CHECK_IN, nights=2)],
                Channel.WIDGET,
            ),
            order_id=order_id,
        )

    def order(self, order_id: str = "ord_1") -> Order:
        return self.data.orders.orders[order_id]

    def used(self) -> int:
        return sum(self.data.orders.buckets.values())

    def with_plan(self, plan) -> None:
        self.tenant = replace(self.tenant, plan=plan)
