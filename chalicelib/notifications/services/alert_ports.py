"""Staff alerts: which changes of orders a staff member is told about, and where they are
kept (the tenant's table: one item per staff member)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from enum import StrEnum

from chalicelib.kernel.domain.values import value


class AlertKind(StrEnum):
    BOOKED = "booked"  # a new booking is confirmed
    CHANGED = "changed"  # moved, a stay changed, a room given
    CANCELLED = "cancelled"
    PAYMENT = "payment"  # a balance or instalment not taken when due, a refund that failed
    OVERBOOKED = "overbooked"  # a channel partner's guest booked without a free room


class AlertScope(StrEnum):
    ALL = "all"  # every order of the business
    MINE = "mine"  # the orders on the resources that are theirs (a stylist, a guide)


@value
class AlertPrefs:
    user_id: str
    email: str  # where the e-mail goes (the login's, when it was chosen)
    kinds: frozenset[AlertKind]
    scope: AlertScope = AlertScope.ALL
    resource_ids: frozenset[str] = frozenset()  # theirs, for AlertScope.MINE


class AlertPrefStore(ABC):
    @abstractmethod
    def get(self, user_id: str) -> AlertPrefs | None: ...

    @abstractmethod
    def put(self, prefs: AlertPrefs) -> None: ...

    @abstractmethod
    def all(self) -> list[AlertPrefs]:
        """Every staff member's choice (one Query)."""
