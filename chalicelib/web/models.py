"""The shared ground of the request and response models: the base classes (Body, Query, Out),
the field types every area uses (Email, Name, Day, Instant, ...), the error body and the health
answer. Each area's models live in its own module (tenant_models, key_models, staff_models,
audit_models, catalog_*, booking_models, ...), imported only by the routes that name them."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from chalicelib.kernel.adapters.mail_domains import ascii_domain
from chalicelib.kernel.domain.calendar import FIRST_DAY, LAST_DAY
from chalicelib.kernel.domain.text import (
    body_control_characters,
    control_characters,
    hidden_characters,
)
from chalicelib.kernel.domain.untrusted import LOOKUP_EMAIL, TYPED_EMAIL


def _mailable(address: str) -> str:
    """An address whose domain mail can name (kernel/adapters/mail_domains.py): a label past
    63 characters, or characters IDNA 2008 does not take, is no address."""
    try:
        ascii_domain(address.rpartition("@")[2])
    except UnicodeError:
        raise ValueError("must be an e-mail address whose domain mail can reach") from None
    return address


Email = Annotated[
    str, Field(min_length=3, max_length=254, pattern=TYPED_EMAIL), AfterValidator(_mailable)
]
# An address a request looks up by: also one stored before local parts were ASCII only.
EmailLookup = Annotated[str, Field(min_length=3, max_length=254, pattern=LOOKUP_EMAIL)]
# A phone as people type it, ASCII digits only (Python's `[0-9]`; an Arabic-Indic or a
# full-width digit is no digit of a phone number), read then in the business's country: one
# shape for booking, finding orders and finding customers.
Phone = Annotated[str, Field(pattern=r"^[0-9+()./ -]{3,40}$", examples=["+4915112345678"])]


def one_line(value: str) -> str:
    """A name or label is one line: no control characters (kernel/domain/text.py says which)."""
    refused = control_characters(value)
    if refused:
        raise ValueError(f"must be one line of text without control characters ({refused[0]})")
    return value


def not_blank(value: str) -> str:
    """A name says something: only spaces (any script's, no-break ones too) or invisible
    format characters (a zero-width space, a word joiner) is no name; nor does it hide another
    name behind invisible characters (kernel/domain/text.py `hidden_characters`)."""
    if all(c.isspace() or unicodedata.category(c) == "Cf" for c in value):
        raise ValueError("must not be blank (only spaces or invisible characters)")
    hidden = hidden_characters(value)
    if hidden:
        raise ValueError(f"must not hide characters ({hidden[0]})")
    return value


def multiline(value: str) -> str:
    """A body of text (a message template): line breaks and tabs, but no other control
    character (a NUL or a bell would stop a mail server or an SMS gateway at send time)."""
    refused = body_control_characters(value)
    if refused:
        raise ValueError(
            f"must be text without control characters other than line breaks ({refused[0]})"
        )
    return value


OneLine = AfterValidator(one_line)
MultiLine = AfterValidator(multiline)
Name = Annotated[str, Field(min_length=1, max_length=120), OneLine, AfterValidator(not_blank)]
# The dates a request may name, everywhere (bookings, the catalog, the audit month, replays).
# Python's calendar ends at years 1 and 9999, and a stay's last night or a zone's offset past
# either end is an OverflowError, not a 422: requests stay well inside it. Written as
# YYYY-MM-DD only ([0-9], not \d, which takes any script's digits): not the ISO week or
# ordinal forms, not a timestamp, not a datetime.
DAY_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _day_text(value: object) -> object:
    # Parsed here: after a before-validator, strict validation takes a date, not text.
    if isinstance(value, date):
        return value
    if not (isinstance(value, str) and DAY_TEXT.fullmatch(value)):
        raise ValueError("a date is written YYYY-MM-DD")
    return date.fromisoformat(value)  # ValueError for 2026-02-30: a 422 naming the field


Day = Annotated[
    date,
    BeforeValidator(_day_text),
    Field(ge=FIRST_DAY, le=LAST_DAY),
    # The document says it in JSON Schema's words (pydantic would write `ge`/`le`, which
    # are no JSON Schema keywords, so validators and fuzzers would ignore them).
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": f"YYYY-MM-DD, {FIRST_DAY} to {LAST_DAY}.",
        }
    ),
]


def day_of(text: str) -> date | None:
    """A date in a path, by the same rule as `Day`; None when it is not one."""
    if not DAY_TEXT.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


FIRST_INSTANT = datetime.combine(FIRST_DAY, time.min, UTC)
LAST_INSTANT = datetime.combine(LAST_DAY, time.max, UTC)


def _within_days(value: datetime) -> datetime:
    # Compared as instants (offsets apply): 2999-12-31T23:00-05:00 is in the year 3000.
    if not FIRST_INSTANT <= value <= LAST_INSTANT:
        raise ValueError(f"an instant from {FIRST_DAY} to {LAST_DAY} (UTC)")
    return value


# An instant with its offset, inside the same years as `Day`.
Instant = Annotated[AwareDatetime, AfterValidator(_within_days)]


# defer_build: a model's validator is built on its first use, not at import, so a cold
# Lambda container pays only for the models of the routes it actually serves.
class Body(BaseModel):
    """A request body: unknown fields are errors (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Out(BaseModel):
    model_config = ConfigDict(defer_build=True)


class ErrorDetail(Out):
    code: str = Field(description="Stable machine-readable code, e.g. slug_taken.")
    message: str
    details: dict = Field(default_factory=dict)


class ErrorOut(Out):
    error: ErrorDetail


class HealthOut(Out):
    status: str
