"""How an offering is paid for: the deposit taken at booking, when the balance after it is
collected and what happens when it never is, an instalment plan, the no-show fee, and the
refund tiers of a cancellation. Amounts in minor units, shares in basis points."""

from __future__ import annotations

from enum import StrEnum
from itertools import pairwise

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.money import MAX_AMOUNT
from chalicelib.kernel.domain.values import value

MAX_BALANCE_DAYS = 365
MAX_INSTALMENTS = 12
MAX_INSTALMENT_MONTHS = 12


class DepositKind(StrEnum):
    NONE = "none"
    PERCENT = "percent"
    FIXED = "fixed"
    FULL = "full"


class UnpaidRule(StrEnum):
    """What happens to a booking whose balance (or instalment) is still unpaid after the
    last try: `leave` it for the desk (staff are told), or `cancel` it (by the customer's
    default: the cancellation policy's fee is kept, the rest of what was paid goes back)."""

    LEAVE = "leave"
    CANCEL = "cancel"


@value
class DepositPolicy:
    kind: DepositKind = DepositKind.NONE
    value: int = 0  # basis points for percent, minor units for fixed
    # Hotels: authorise the whole amount now, capture at check-in or check-out.
    manual_capture: bool = False
    # Charged off-session to the card saved at booking when the guest does not come.
    no_show_fee: int = 0
    # The balance after the deposit is collected this many days before the start (09:00 on
    # the business's clock that day): off-session on the card saved at booking, else by a
    # payment link. None: the balance is left for the desk.
    balance_due_days_before: int | None = None
    if_unpaid: UnpaidRule = UnpaidRule.LEAVE
    # An instalment plan (2 to 12 payments, `instalment_months` apart): the first is taken
    # at booking (it is the deposit), the others when due. 1: no plan.
    instalments: int = 1
    instalment_months: int = 1

    @property
    def collects_later(self) -> bool:
        """Money is taken after the booking on a schedule (so the card is kept)."""
        return self.balance_due_days_before is not None or self.instalments > 1


@value
class RefundTier:
    hours_before: int  # this tier applies when cancelled at least this long before start
    refund_bp: int  # share refunded, in basis points (10000 = all)


@value
class CancellationPolicy:
    tiers: tuple[RefundTier, ...] = (RefundTier(0, 10000),)

    def refund_bp(self, hours_before_start: float) -> int:
        """The refund share for a cancellation this many hours before the start."""
        best = 0
        for tier in sorted(self.tiers, key=lambda t: t.hours_before):
            if hours_before_start >= tier.hours_before:
                best = tier.refund_bp
        return best


def check_deposit(d: DepositPolicy) -> None:
    if d.value < 0 or d.no_show_fee < 0:
        raise InvalidInput("A deposit is not negative.", code="invalid_deposit")
    if d.kind is DepositKind.PERCENT and not 0 < d.value <= 10000:
        raise InvalidInput("A percent deposit is 0.01 to 100 %.", code="invalid_deposit")
    if max(d.value, d.no_show_fee) > MAX_AMOUNT:
        raise InvalidInput(
            f"A deposit or fee is at most {MAX_AMOUNT} minor units.", code="invalid_deposit"
        )
    _check_schedule(d)


def _check_schedule(d: DepositPolicy) -> None:
    days = d.balance_due_days_before
    if days is not None and not 0 <= days <= MAX_BALANCE_DAYS:
        raise InvalidInput(
            f"balance_due_days_before is 0 to {MAX_BALANCE_DAYS}.", code="invalid_balance_due"
        )
    if not 1 <= d.instalments <= MAX_INSTALMENTS:
        raise InvalidInput(
            f"instalments is 1 (none) to {MAX_INSTALMENTS}.", code="invalid_instalments"
        )
    if not 1 <= d.instalment_months <= MAX_INSTALMENT_MONTHS:
        raise InvalidInput(
            f"instalment_months is 1 to {MAX_INSTALMENT_MONTHS}.", code="invalid_instalments"
        )
    if d.instalments > 1 and (days is not None or d.kind is not DepositKind.NONE):
        # The first instalment is the deposit and the last one the balance: one plan.
        raise InvalidInput(
            "An instalment plan takes the place of a deposit and its balance date.",
            code="invalid_instalments",
        )
    if d.collects_later and d.manual_capture:
        raise InvalidInput(
            "An authorisation captured at check-in has no balance to collect before it.",
            code="invalid_balance_due",
        )


def check_tiers(policy: CancellationPolicy) -> None:
    for tier in policy.tiers:
        if not 0 <= tier.refund_bp <= 10000 or tier.hours_before < 0:
            raise InvalidInput(
                "Refund tiers are 0 to 100 % at 0 or more hours.",
                code="invalid_cancellation_policy",
            )
    # Two tiers at one notice contradict each other: which refund applies would depend on
    # their order in the list.
    notices = [t.hours_before for t in policy.tiers]
    repeated = sorted({n for n in notices if notices.count(n) > 1})
    if repeated:
        raise InvalidInput(
            "Two refund tiers start at the same notice (hours before the start): give each "
            "its own.",
            code="invalid_cancellation_policy",
            hours_before=repeated,
        )
    # More notice never gives back less: a tester's "24 h: 0 %, 0 h: 100 %" refunded a late
    # cancellation in full and an early one not at all.
    ordered = sorted(policy.tiers, key=lambda t: t.hours_before)
    for later, earlier in pairwise(ordered):
        if earlier.refund_bp < later.refund_bp:
            raise InvalidInput(
                f"Cancelling {earlier.hours_before} hours before would give back less than "
                f"cancelling {later.hours_before} hours before: more notice gives back as "
                "much or more.",
                code="invalid_cancellation_policy",
                hours_before=[later.hours_before, earlier.hours_before],
            )
