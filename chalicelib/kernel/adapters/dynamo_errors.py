"""AWS errors from DynamoDB, re-raised as domain errors where the domain has a word for them."""

from __future__ import annotations

from typing import NoReturn

from chalicelib.kernel.domain.errors import TenantNotReady, TransientFailure

RETRYABLE = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
    }
)


def error_code(exc: BaseException) -> str | None:
    """The AWS error code of a botocore ClientError or a PynamoDB exception wrapping one."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    code = getattr(exc, "cause_response_code", None)
    if code:
        return code
    cause = getattr(exc, "cause", None)
    return error_code(cause) if cause is not None and cause is not exc else None


def reraise(exc: BaseException) -> NoReturn:
    code = error_code(exc)
    if code in RETRYABLE:
        raise TransientFailure("The database is busy; try again shortly.", aws_code=code) from exc
    if code == "ResourceNotFoundException":
        raise TenantNotReady("The tenant's data store is not ready.") from exc
    raise exc
