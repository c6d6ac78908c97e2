"""The domain's errors: one class per rule that can be broken.

`web/errors.py` maps each class to an HTTP status; workers decide per class whether a
message is retried. Each error carries a stable machine `code` and optional `details`.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class InvalidInput(DomainError):
    """The request is well-formed but a value breaks a business rule."""

    code = "invalid_input"


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    """The request clashes with the current state (a taken slug, a stale version)."""

    code = "conflict"


class PreconditionFailed(DomainError):
    """The request's precondition (If-Match: the revision the caller read) does not hold."""

    code = "precondition_failed"


class NotAcceptable(DomainError):
    """The caller does not accept the only form the answer comes in (a PDF file)."""

    code = "not_acceptable"


class PreconditionRequired(DomainError):
    """The request must say which revision it changes (If-Match), and did not."""

    code = "precondition_required"


class SlugTaken(Conflict):
    code = "slug_taken"


class EmailTaken(Conflict):
    code = "email_taken"


class TenantNotReady(Conflict):
    code = "tenant_not_ready"


class PolicyViolation(DomainError):
    code = "policy_violation"


class Unauthenticated(DomainError):
    code = "unauthenticated"


class Forbidden(DomainError):
    code = "forbidden"


class SlotUnavailable(DomainError):
    code = "unavailable"


class HoldExpired(DomainError):
    code = "hold_expired"


class PaymentDeclined(DomainError):
    """A card was declined for what was asked (HTTP 402): nothing was done; another card is
    needed."""


class UpstreamRefused(DomainError):
    """An outside service (the card processor) refused a request for a reason retrying will
    not fix: 502, whichever capability called it."""

    code = "upstream_refused"


class TransientFailure(DomainError):
    """An outside service failed in a way worth retrying (throttling, a timeout)."""

    code = "temporarily_unavailable"


class WorkInProgress(TransientFailure):
    """Another attempt holds this piece of work under a live lease: try again after it (a
    message redelivered later finds it done, or the lease of an attempt that died run out)."""

    code = "work_in_progress"


class StaleCatalog(Conflict):
    """A resource or offering changed between planning a booking and committing it."""

    code = "catalog_changed"


class TooLarge(InvalidInput):
    code = "transaction_too_large"


class PayloadTooLarge(DomainError):
    """More than the route takes in one request (a file past an import's limits): 413."""

    code = "payload_too_large"
