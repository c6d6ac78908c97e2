"""A 422's field messages in words that say what to send (web/errors.py `plain`): an outside
tester was answered an e-mail's regular expression, `datetime.date(2000, 1, 1)` and "Value
error, day is out of range for month"."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import pytest
from pydantic import BaseModel, Field, ValidationError

from chalicelib.web.errors import validation_details
from chalicelib.web.models import Day, Email


class Probe(BaseModel, extra="forbid"):
    email: Email | None = None
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
                "msg": "Value error, day is out of range",
            }
        ]
    )
    assert details["fields"][0]["message"] == "Day is out of range"
