"""A 422's field messages in words that say what to send (web/errors.py `plain`): an outside
tester was answered an e-mail's regular expression, `datetime.date(2000, 1, 1)` and "Value
error, day is out of range for month"."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import pytest
from pydantic import AwareDatetime, BaseModel, Field, ValidationError

from chalicelib.booking.api.search_models import _list_of
from chalicelib.web.errors import NO_SUCH_DAY, validation_details
from chalicelib.web.models import Day, Email, Phone


class Probe(BaseModel, extra="forbid"):
    email: Email | None = None
    channel: Annotated[str, Field(pattern=_list_of(["widget", "api"]))] | None = None
    slug: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] | None = None
    phone_number: Phone | None = None
    since_when: AwareDatetime | None = None
    status: Literal["enabled", "disabled"] | None = None
    units: list[str] | None = None
    day: date | None = None
    early: bool | None = None
    amount: Annotated[int, Field(gt=0)] | None = None
    since: Annotated[date, Field(ge=date(2000, 1, 1))] | None = None
    nights: Annotated[int, Field(le=30)] | None = None
    first: Day | None = None  # the routes' dates: a bound Pydantic says as Python's repr


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"email": "not-an-email"}, "Enter an e-mail address, such as name@example.com."),
        ({"since": "1999-01-31"}, "Should be on or after 2000-01-01."),
        ({"first": "1999-01-31"}, "Should be on or after 2000-01-01."),
        ({"nights": 31}, "Should be at most 30."),
        ({"phone": "+44"}, "This request takes no field by that name."),
        # an outside integrator's: the parser's words, or "see /docs" (which is /v1/docs)
        (
            {"channel": "bogus"},
            "Give one or more of widget, api, separated by commas, such as widget,api.",
        ),
        (
            {"slug": "Tester-Spa"},
            "Use small letters a-z, digits and hyphens only, such as harbour-view.",
        ),
        (
            {"phone_number": "+49\u0661\u0665\u066112345678"},
            "Enter a phone number in digits, with its country code: +4915112345678.",
        ),
        (
            {"since_when": "2026-12-05T00:00:00"},
            "Give the time with its offset, such as 2026-12-05T00:00:00Z.",
        ),
        ({"status": "bogus"}, "Should be 'enabled' or 'disabled'."),
        ({"units": "adult"}, 'Should be a list in brackets, such as ["a", "b"].'),
        ({"day": "2027-02-29"}, NO_SUCH_DAY),
        ({"early": "maybe"}, "Should be true or false."),
        ({"amount": 0}, "Should be more than 0."),
    ],
)
def test_a_field_refusal_says_what_to_send(body, said):
    with pytest.raises(ValidationError) as refused:
        Probe.model_validate(body)
    errors = refused.value.errors(include_url=False, include_input=False)
    [field] = validation_details([dict(e) for e in errors])["fields"]
    assert field["message"] == said


def test_a_value_error_drops_pydantic_s_prefix():
    details = validation_details(
        [
            {
                "loc": ("valid_until",),
                "type": "value_error",
                "msg": "Value error, valid_until is before valid_from",
            }
        ]
    )
    assert details["fields"][0]["message"] == "Valid_until is before valid_from"


@pytest.mark.parametrize(
    "said", ["Value error, day is out of range for month", "Value error, month must be in 1..12"]
)
def test_a_day_the_calendar_has_not_is_said_so(said):
    details = validation_details([{"loc": ("date",), "type": "value_error", "msg": said}])
    assert details["fields"][0]["message"] == NO_SUCH_DAY
