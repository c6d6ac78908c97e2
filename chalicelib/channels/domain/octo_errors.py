"""The refusals OCTO names (its `error` values), as domain errors: the OCTO routes answer
them in OCTO's shape, `{"error": "INVALID_PRODUCT_ID", "errorMessage": ..., "productId": ...}`
(channels/api/octo_dialect.py maps every code, these and the engine's, to OCTO's)."""

from __future__ import annotations

from chalicelib.kernel.domain.errors import InvalidInput, NotFound, PolicyViolation


class InvalidProductId(InvalidInput):
    code = "invalid_product_id"


class InvalidOptionId(InvalidInput):
    code = "invalid_option_id"


class InvalidUnitId(InvalidInput):
    code = "invalid_unit_id"


class InvalidAvailabilityId(InvalidInput):
    code = "invalid_availability_id"


class InvalidBookingUuid(NotFound):
    """No booking of this partner has this uuid (or, confirming, its hold ran out)."""

    code = "invalid_booking_uuid"


class OctoBadRequest(InvalidInput):
    """A request OCTO calls malformed: a combination of fields it does not allow."""

    code = "octo_bad_request"


class OctoUnprocessable(PolicyViolation):
    """Well formed, but not possible now (no unit items; a payment the customer must make)."""

    code = "octo_unprocessable"
