"""Request models of the status changes that take more than nothing: check-in and check-out."""

from __future__ import annotations

from pydantic import Field

from chalicelib.web.models import Body


class CompleteIn(Body):
    leave_balance_open: bool = Field(
        default=False,
        description="Check out although the customer still owes money (409"
        " `balance_outstanding` otherwise): it stays owed, on the order.",
    )


class CheckInIn(Body):
    early: bool = Field(
        default=False,
        description="Check the guest in before the local day of the booking (staff say so).",
    )
