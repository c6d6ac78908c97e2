"""Alerts of money owed back, which reach the business whatever its alert choices.

A refund that failed at Stripe (`RefundFailed`) after the customer heard of it is corrected with
"<business> will contact you to give it back" (send.py `tell_refund_failed`). So that promise
is backed, its staff alert (staff_alerts.py) is e-mailed to every active owner and manager (who
may give refunds) whether or not they chose alerts, except one who saved a choice without
payment alerts: that is "payment alerts off", said explicitly (the console's alerts form saved
with "payment" unticked). A business with no owner or manager login (run by its keys) has it at
its owner address. The feed (`/v1/alerts`) shows it to every owner and manager always, so an
e-mail turned off still leaves it in sight.
"""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.kernel.domain.events import DomainEvent, RefundFailed
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.notifications.services.alert_ports import AlertKind, AlertPrefs
from chalicelib.tenancy.domain.staff import MANAGE, Role, StaffStatus
from chalicelib.tenancy.services.platform_ports import PlatformRepository

OWED: frozenset[type[DomainEvent]] = frozenset({RefundFailed})
OWED_NAMES = frozenset(cls.name for cls in OWED)
OWED_WHY = (
    "The customer was told the business will contact them, so owners and managers get this "
    "even without choosing alerts; turn payment alerts off in the console (your alerts) to "
    "stop these e-mails."
)


def owed_to(
    tenant: Tenant, choices: Sequence[AlertPrefs], platform: PlatformRepository
) -> list[str]:
    """The active owners' and managers' addresses (the one their choice keeps, else their
    login's), but those whose saved choice leaves payment alerts out; with no owner or
    manager login at all, the owner address. One Query of the business's logins, for a rare
    event."""
    chosen = {p.user_id: p for p in choices}
    managers = [
        u
        for u in platform.list_staff(tenant.id)
        if u.status is StaffStatus.ACTIVE and u.role in MANAGE
    ]
    if not managers:
        return [tenant.owner_email]
    out = []
    for user in managers:
        prefs = chosen.get(user.id)
        if prefs is None:
            out.append(user.email)
        elif AlertKind.PAYMENT in prefs.kinds:
            out.append(prefs.email)
    return out


def always_shown(role: Role) -> frozenset[str]:
    """The event names shown in a login's feed whatever it chose: money owed back, to the
    roles that may give it (owners and managers)."""
    return OWED_NAMES if role in MANAGE else frozenset()
