"""What an import's rows mean: the columns mapped to fields, and each row read into a customer
or a booking, or refused with a code and a reason of its own (one row's refusal stops nothing
else).

A customer row names the customer by e-mail, else phone (customers/domain/identity.py derives
the id); a booking row needs a name, an e-mail, an offering and its start (or, for a stay, its
check-in date). Two rows of one file naming the same customer, or the same booking reference,
are a duplicate: the later one is refused and names the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import StrEnum

from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.import_cells import (
    CellRefused,
    DateOrder,
    read_birthday,
    read_consent,
    read_count,
    read_date,
    read_email,
    read_start,
    read_tags,
    read_time,
)
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.text import body_control_characters, control_characters
from chalicelib.kernel.domain.values import value

PhoneReader = Callable[[str], str | None]  # E.164, or None when it is no number
MAX_NAME = 120  # as the desk and the widget take a name
MAX_NOTES = 2000
PHONE_TEXT = re.compile(r"[0-9+()./ -]{3,40}")
PHONE_CHARS = re.compile(r"[0-9+()./ -]+")


class ImportKind(StrEnum):
    CUSTOMERS = "customers"
    BOOKINGS = "bookings"


_PERSON = ("name", "first_name", "last_name", "email", "phone", "notes")
FIELDS: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.CUSTOMERS: (*_PERSON, "tags", "birthday", "marketing_consent"),
    ImportKind.BOOKINGS: (
        *_PERSON,
        "offering",
        "start",
        "date",
        "time",
        "nights",
        "party",
        "quantity",
        "reference",
    ),
}


@value
class CustomerRow:
    row: int
    customer_id: str
    name: str
    email: str | None
    phone: str | None
    tags: tuple[str, ...] = ()
    notes: str = ""
    birthday: str | None = None  # yyyy-mm-dd, or --mm-dd when the year is not known
    consent: bool | None = None


@value
class BookingRow:
    row: int
    name: str
    email: str
    phone: str | None
    offering: str  # its id or its name, as the file wrote it
    start: datetime  # local wall clock (a stay: its check-in date at midnight)
    has_time: bool  # the file gave a time of day (a stay needs none)
    nights: int = 1
    party: int = 1
    quantity: int = 1
    reference: str = ""  # the other system's own booking number, if mapped
    notes: str = ""


@value
class Refusal:
    row: int
    code: str
    message: str


Parsed = CustomerRow | BookingRow | Refusal


def check_mapping(kind: ImportKind, header: Iterable[str], mapping: Mapping[str, str]) -> None:
    """The mapping (a header's column -> a field) names columns of the file and fields of the
    kind, each field once, and the fields the kind cannot do without."""
    columns = set(header)
    known = FIELDS[kind]
    used: dict[str, str] = {}
    for column, field in mapping.items():
        if column not in columns:
            raise InvalidInput(
                f"The file has no column {column!r}.", code="unknown_column", column=column
            )
        if field not in known:
            raise InvalidInput(
                f"{field!r} is not a field of a {kind.value} import: {', '.join(known)}.",
                code="unknown_field",
                field=field,
            )
        if field in used:
            raise InvalidInput(
                f"{used[field]!r} and {column!r} are both mapped to {field}.",
                code="field_mapped_twice",
                field=field,
            )
        used[field] = column
    _check_required(kind, set(used))


def _check_required(kind: ImportKind, fields: set[str]) -> None:
    if kind is ImportKind.CUSTOMERS:
        needs = [] if fields & {"email", "phone"} else ["email or phone"]
    else:
        needs = [f for f in ("email", "offering") if f not in fields]
        if not fields & {"start", "date"}:
            needs.append("start or date")
    if not fields & {"name", "first_name", "last_name"} and kind is ImportKind.BOOKINGS:
        needs.append("name")
    if needs:
        raise InvalidInput(
            f"Map a column to: {', '.join(needs)}.", code="missing_field", fields=needs
        )


def cells_of(
    header: tuple[str, ...], mapping: Mapping[str, str], cells: tuple[str, ...]
) -> dict[str, str]:
    """The row's mapped cells by field (unmapped columns are left out)."""
    at = {column: i for i, column in enumerate(header)}
    return {field: cells[at[column]] for column, field in mapping.items()}


def _name(cells: Mapping[str, str]) -> str:
    """The name as the desk and the widget take one: one line, no control or bidirectional
    override characters (a NUL, an ESC, U+202E came in by file where a form refused them)."""
    name = " ".join(cells.get("name", "").split())
    if not name:
        parts = (cells.get("first_name", ""), cells.get("last_name", ""))
        name = " ".join(" ".join(parts).split())
    if len(name) > MAX_NAME:
        raise CellRefused(f"A name is at most {MAX_NAME} characters.", code="invalid_name")
    if refused := control_characters(name):
        raise CellRefused(
            f"A name is one line of text without control characters ({refused[0]}).",
            code="invalid_name",
        )
    return name


def _phone(cells: Mapping[str, str], phone: PhoneReader) -> str | None:
    """As the API takes a phone (web/models.py `Phone`): digits 0-9 and + ( ) . / - and
    spaces, no more. The parser would read other scripts' digits as these and drop an
    extension ("ext 5") unsaid, so an outside tester's import stored numbers the booking
    form refuses, and lost their extensions."""
    text = cells.get("phone", "").strip()
    if not text:
        return None
    # Only characters it may hold, but too short or too long, is no valid number (a tester's
    # "12" was told it held other characters).
    if not PHONE_CHARS.fullmatch(text):
        raise CellRefused(
            "The phone column holds only the digits 0-9, +, spaces and ( ) . / - (no "
            "extension, no other script's digits): write it as +447700900123.",
            code="invalid_phone",
        )
    e164 = phone(text) if PHONE_TEXT.fullmatch(text) else None
    if e164 is None:
        raise CellRefused(
            "The phone column holds no valid phone number (write it with its country code, "
            "such as +447700900123, or as a number of the business's own country).",
            code="invalid_phone",
        )
    return e164


def _notes(cells: Mapping[str, str]) -> str:
    notes = cells.get("notes", "").strip()
    if len(notes) > MAX_NOTES:
        raise CellRefused(f"Notes are at most {MAX_NOTES} characters.", code="invalid_notes")
    refused = body_control_characters(notes)
    if refused:
        raise CellRefused(
            f"Notes are text without control characters other than line breaks ({refused[0]}).",
            code="invalid_notes",
        )
    return notes


def customer_row(
    row: int, cells: Mapping[str, str], phone: PhoneReader, order: DateOrder
) -> CustomerRow:
    email = read_email(cells.get("email", ""))
    number = _phone(cells, phone)
    if email is None and number is None:
        raise CellRefused("The row has neither an e-mail nor a phone.", code="no_contact")
    birthday = cells.get("birthday", "").strip()
    return CustomerRow(
        row=row,
        customer_id=customer_id_for(email, number),
        name=_name(cells),
        email=email,
        phone=number,
        tags=tuple(read_tags(cells.get("tags", ""))),
        notes=_notes(cells),
        birthday=read_birthday(birthday, order) if birthday else None,
        consent=read_consent(cells.get("marketing_consent", "")),
    )


def booking_row(
    row: int, cells: Mapping[str, str], phone: PhoneReader, order: DateOrder
) -> BookingRow:
    name, email = _name(cells), read_email(cells.get("email", ""))
    if not name:
        raise CellRefused("A booking needs the customer's name.", code="missing_name")
    if email is None:
        raise CellRefused("A booking needs the customer's e-mail.", code="missing_email")
    offering = cells.get("offering", "").strip()
    if not offering:
        raise CellRefused("The row names no offering.", code="missing_offering")
    start, has_time = _start(cells, order)
    return BookingRow(
        row=row,
        name=name,
        email=email,
        phone=_phone(cells, phone),
        offering=offering,
        start=start,
        has_time=has_time,
        nights=_count(cells, "nights", 1, 60),
        party=_count(cells, "party", 1, 500),
        quantity=_count(cells, "quantity", 1, 100),
        reference=cells.get("reference", "").strip()[:100],
        notes=_notes(cells),
    )


def _count(cells: Mapping[str, str], column: str, low: int, high: int) -> int:
    text = cells.get(column, "").strip()
    return read_count(text, column=column, low=low, high=high) if text else low


def _start(cells: Mapping[str, str], order: DateOrder) -> tuple[datetime, bool]:
    if cells.get("start", "").strip():
        return read_start(cells["start"], order), True
    day = cells.get("date", "").strip()
    if not day:
        raise CellRefused("The row has no date.", code="missing_start")
    clock = cells.get("time", "").strip()
    if clock:
        return datetime.combine(read_date(day, order), read_time(clock)), True
    return datetime.combine(read_date(day, order), datetime.min.time()), False


def read_rows(
    kind: ImportKind,
    rows: Iterable[tuple[int, Mapping[str, str]]],
    phone: PhoneReader,
    order: DateOrder,
) -> list[Parsed]:
    """Every row read, or refused; a later duplicate of an earlier row refused by name."""
    read = customer_row if kind is ImportKind.CUSTOMERS else booking_row
    out: list[Parsed] = []
    first: dict[str, int] = {}
    for row, cells in rows:
        try:
            parsed: CustomerRow | BookingRow = read(row, cells, phone, order)
        except CellRefused as refused:
            out.append(Refusal(row, refused.code, refused.message))
            continue
        key = _identity(parsed)
        if key and key in first:
            message = f"The same {_what(parsed)} as row {first[key]}."
            out.append(Refusal(row, code="duplicate_in_file", message=message))
            continue
        if key:
            first[key] = row
        out.append(parsed)
    return out


def _identity(parsed: CustomerRow | BookingRow) -> str:
    if isinstance(parsed, CustomerRow):
        return parsed.customer_id
    return f"ref:{parsed.reference}" if parsed.reference else ""


def _what(parsed: CustomerRow | BookingRow) -> str:
    return "customer" if isinstance(parsed, CustomerRow) else "booking reference"
