"""Reading another system's export (customers/domain/import_csv.py, import_cells.py,
import_rows.py): what real files do (a byte-order mark, Excel's semicolons, quoted cells with
separators, quotes and line breaks, short rows, blank lines), cells that are not what their
column holds, and duplicates inside one file."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from chalicelib.customers.domain.identity import customer_id_for
from chalicelib.customers.domain.import_cells import (
    CellRefused,
    DateOrder,
    read_consent,
    read_date,
    read_start,
    read_tags,
    read_time,
)
from chalicelib.customers.domain.import_csv import (
    MAX_ROWS,
    FileTooLarge,
    file_hash,
    parse_csv,
    separator_of,
)
from chalicelib.customers.domain.import_rows import (
    BookingRow,
    CustomerRow,
    ImportKind,
    Refusal,
    cells_of,
    check_mapping,
    read_rows,
)
from chalicelib.kernel.domain.errors import InvalidInput


def phones(text: str) -> str | None:
    """A stand-in for the business's phone reader: +49 numbers, or 0-led German ones."""
    digits = "".join(c for c in text if c in "0123456789")
    if text.strip().startswith("+") and len(digits) >= 8:
        return "+" + digits
    if digits.startswith("0") and len(digits) >= 8:
        return "+49" + digits[1:]
    return None


def test_excel_semicolons_a_bom_and_windows_line_ends_are_read():
    text = '\ufeffName;E-Mail\r\n"Schmidt; Anna";anna@example.de\r\n'
    table = parse_csv(text)
    assert table.separator == ";"
    assert table.header == ("Name", "E-Mail")
    assert table.rows == ((2, ("Schmidt; Anna", "anna@example.de")),)


def test_quoted_cells_keep_commas_quotes_and_line_breaks_and_rows_keep_their_numbers():
    text = 'name,notes\n"Chen, Wei","says ""hi""\nthen leaves"\n\nBo,\nCy\n'
    table = parse_csv(text)
    # The quoted line break is one record (row 2); the blank line is row 3, not a row.
    assert table.rows == (
        (2, ("Chen, Wei", 'says "hi"\nthen leaves')),
        (4, ("Bo", "")),
        (5, ("Cy", "")),  # a short row is padded
    )


def test_tabs_and_a_trailing_separator_on_the_header():
    assert separator_of("a\tb\tc") == "\t"
    assert separator_of('"a;b",c') == ","  # the semicolon is inside quotes
    assert parse_csv("a,b,\n1,2,\n").header == ("a", "b")


def test_cells_past_the_header_are_kept_only_when_they_hold_something():
    table = parse_csv("a,b\n1,2,,\n1,2,3\n")
    assert table.rows[0][1] == ("1", "2")
    assert table.rows[1][1] == ("1", "2", "3")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty_file"),
        ("\ufeff\r\n \r\n", "empty_file"),
        ("a,,b\n", "unnamed_column"),
        ("Email,EMAIL\n", "duplicate_column"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(text, code):
    with pytest.raises(InvalidInput) as refused:
        parse_csv(text)
    assert refused.value.code == code


def test_the_limits_are_refused_as_too_large():
    with pytest.raises(FileTooLarge):
        parse_csv("a\n" + "x\n" * (MAX_ROWS + 1))
    with pytest.raises(FileTooLarge):
        parse_csv("a\n" + "é" * 1_000_001)  # two bytes each: over 2 MB, under 2 M characters
    assert len(parse_csv("a\n" + "x\n" * MAX_ROWS).rows) == MAX_ROWS


def test_the_same_file_hashes_the_same_however_it_travelled():
    assert file_hash("\ufeffa;b\r\n1;2\r\n") == file_hash("a;b\n1;2") != file_hash("a;b\n1;3")


@pytest.mark.parametrize(
    ("text", "order", "day"),
    [
        ("2026-12-24", DateOrder.DMY, date(2026, 12, 24)),
        ("2026/12/24", DateOrder.MDY, date(2026, 12, 24)),
        ("24/12/2026", DateOrder.DMY, date(2026, 12, 24)),
        ("12/24/2026", DateOrder.MDY, date(2026, 12, 24)),
        ("03.04.2026", DateOrder.DMY, date(2026, 4, 3)),
        ("03.04.2026", DateOrder.MDY, date(2026, 3, 4)),
        ("3/4/26", DateOrder.DMY, date(2026, 4, 3)),
    ],
)
def test_dates_read_the_way_the_import_says(text, order, day):
    assert read_date(text, order) == day


@pytest.mark.parametrize("text", ["31.02.1990", "24/12/2026", "tomorrow", "2026-13-01", "²/1/2026"])
def test_a_bad_date_is_refused(text):
    with pytest.raises(CellRefused) as refused:
        read_date(text, DateOrder.MDY)
    assert refused.value.code == "invalid_date"


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("14:30", time(14, 30)),
        ("9.05", time(9, 5)),
        ("2:30 PM", time(14, 30)),
        ("12am", time(0, 0)),
        ("12:15 pm", time(12, 15)),
        ("08:00:00", time(8, 0)),
    ],
)
def test_times_of_day(text, clock):
    assert read_time(text) == clock


@pytest.mark.parametrize("text", ["25:00", "14", "13pm", "noon", "14:60"])
def test_a_bad_time_is_refused(text):
    with pytest.raises(CellRefused):
        read_time(text)


def test_a_start_in_one_cell():
    assert read_start("2026-12-24T14:30:00", DateOrder.DMY) == datetime(2026, 12, 24, 14, 30)
    assert read_start("24/12/2026 2:30 pm", DateOrder.DMY) == datetime(2026, 12, 24, 14, 30)
    with pytest.raises(CellRefused):
        read_start("2026-12-24", DateOrder.DMY)


def test_consent_and_tags():
    assert [read_consent(t) for t in ("Yes", " ja ", "0", "", "是")] == [
        True,
        True,
        False,
        None,
        True,
    ]
    with pytest.raises(CellRefused):
        read_consent("maybe")
    assert read_tags("VIP; vip, Color | ") == ["VIP", "Color"]


MAPPING = {"Name": "name", "Email": "email", "Phone": "phone", "Birthday": "birthday"}
HEADER = ("Name", "Email", "Phone", "Birthday", "Ignored")


def rows(kind, lines, mapping=MAPPING, header=HEADER):
    return read_rows(
        kind,
        [(n, cells_of(header, mapping, cells)) for n, cells in enumerate(lines, start=2)],
        phones,
        DateOrder.DMY,
    )


def test_a_customer_row_is_named_by_its_email_else_its_phone():
    got = rows(
        ImportKind.CUSTOMERS,
        [
            ("Ada", "Ada@Example.com", "0151 2345678", "", "x"),
            ("Bo", "", "0151 9999999", "01.02.1990", ""),
        ],
    )
    assert isinstance(got[0], CustomerRow) and isinstance(got[1], CustomerRow)
    assert got[0].customer_id == customer_id_for("ada@example.com")
    assert got[0].email == "ada@example.com" and got[0].phone == "+491512345678"
    assert got[1].customer_id == customer_id_for(None, "+491519999999")
    assert got[1].birthday == "1990-02-01"


def test_a_birthday_without_its_year_is_read_as_the_api_keeps_it():
    got = rows(
        ImportKind.CUSTOMERS,
        [
            ("Ada", "ada@example.com", "", "--02-29", ""),
            ("Bo", "bo@example.com", "", " --12-24 ", ""),
            ("Cy", "cy@example.com", "", "--02-30", ""),
            ("Di", "di@example.com", "", "--13-01", ""),
        ],
    )
    assert [g.birthday for g in got if isinstance(g, CustomerRow)] == ["--02-29", "--12-24"]
    assert [(g.row, g.code) for g in got if isinstance(g, Refusal)] == [
        (4, "invalid_date"),
        (5, "invalid_date"),
    ]


def test_bad_rows_are_refused_each_with_its_reason_and_the_rest_are_read():
    got = rows(
        ImportKind.CUSTOMERS,
        [
            ("Ada", "not-an-address", "", "", ""),
            ("Bo", "", "12", "", ""),
            ("Cy", "", "", "", ""),
            ("Di", "di@example.com", "", "30/02/1990", ""),
            ("Ed", "ed@example.com", "", "", ""),
        ],
    )
    assert [(g.row, g.code) for g in got if isinstance(g, Refusal)] == [
        (2, "invalid_email"),
        (3, "invalid_phone"),
        (4, "no_contact"),
        (5, "invalid_date"),
    ]
    assert isinstance(got[-1], CustomerRow) and got[-1].name == "Ed"


def test_a_phone_is_taken_as_the_api_takes_it_never_rewritten_unsaid():
    """An outside tester's import stored "+49١٥١23456789" (Arabic-Indic digits) as +4915123456789
    where the booking API says 422, and "+61 2 9999 9999 ext 5" without its extension."""
    got = rows(
        ImportKind.CUSTOMERS,
        [
            ("Ada", "ada@example.com", "+49١٥١23456789", "", ""),
            ("Bo", "bo@example.com", "+61 2 9999 9999 ext 5", "", ""),
            ("Cy", "cy@example.com", "+49 (151) 234-567.89", "", ""),
        ],
    )
    assert [(g.row, g.code) for g in got if isinstance(g, Refusal)] == [
        (2, "invalid_phone"),
        (3, "invalid_phone"),
    ]
    assert isinstance(got[-1], CustomerRow) and got[-1].phone is not None


def test_the_same_customer_twice_in_one_file_is_refused_naming_the_first():
    got = rows(
        ImportKind.CUSTOMERS,
        [("Ada", "ada@example.com", "", "", ""), ("Ada L.", "ADA@example.com ", "", "", "")],
    )
    assert isinstance(got[1], Refusal) and got[1].code == "duplicate_in_file"
    assert "row 2" in got[1].message


def test_a_booking_row_and_duplicate_references():
    header = ("Ref", "Guest", "Mail", "Tour", "When", "Pax")
    mapping = {
        "Ref": "reference",
        "Guest": "name",
        "Mail": "email",
        "Tour": "offering",
        "When": "start",
        "Pax": "party",
    }
    got = rows(
        ImportKind.BOOKINGS,
        [
            ("A1", "Ada", "ada@example.com", "Wall", "2026-12-24 08:00", "2"),
            ("A1", "Ada", "ada@example.com", "Wall", "2026-12-24 08:00", "2"),
            ("", "Bo", "bo@example.com", "Wall", "2026-12-24 08:00", "0"),
            ("", "", "cy@example.com", "Wall", "2026-12-24 08:00", ""),
        ],
        mapping,
        header,
    )
    first = got[0]
    assert isinstance(first, BookingRow)
    assert (first.start, first.party, first.has_time) == (datetime(2026, 12, 24, 8), 2, True)
    assert [(g.row, g.code) for g in got[1:] if isinstance(g, Refusal)] == [
        (3, "duplicate_in_file"),
        (4, "invalid_number"),
        (5, "missing_name"),
    ]


@pytest.mark.parametrize(
    ("kind", "mapping", "code"),
    [
        (ImportKind.CUSTOMERS, {"Name": "name"}, "missing_field"),
        (ImportKind.BOOKINGS, {"Name": "name", "Email": "email"}, "missing_field"),
        (ImportKind.CUSTOMERS, {"Nope": "email"}, "unknown_column"),
        (ImportKind.CUSTOMERS, {"Email": "offering"}, "unknown_field"),
        (ImportKind.CUSTOMERS, {"Email": "email", "Phone": "email"}, "field_mapped_twice"),
    ],
)
def test_a_mapping_names_the_files_columns_and_the_fields_a_kind_needs(kind, mapping, code):
    with pytest.raises(InvalidInput) as refused:
        check_mapping(kind, HEADER, mapping)
    assert refused.value.code == code


@pytest.mark.parametrize(
    ("name", "email", "code"),
    [
        ("Ada", "mailto:ada@example.com", "invalid_email"),
        ("Ada", "<ada@example.com>", "invalid_email"),
        ("Ada", 'a"b@example.com', "invalid_email"),
        ("Ada", "ada@[127.0.0.1]", "invalid_email"),
        ("Ada", "\u200bada@example.com", "invalid_email"),  # a zero-width space before it
        ("Ada\x00", "ada@example.com", "invalid_name"),
        ("Ada\x1b[31m", "ada@example.com", "invalid_name"),
        ("\u202eadA", "ada@example.com", "invalid_name"),
        ("A" * 121, "ada@example.com", "invalid_name"),
    ],
)
def test_an_import_takes_names_and_addresses_as_the_desk_does(name, email, code):
    # Each of these was taken by an import, where the desk and the widget refuse it: an
    # address that is no address became a customer of its own (an erased one came back).
    [got] = rows(ImportKind.CUSTOMERS, [(name, email, "", "", "")])
    assert isinstance(got, Refusal) and got.code == code, got


def test_an_address_with_a_domain_of_any_script_is_one_and_a_local_part_outside_ascii_none():
    """Mail carries an internationalised domain in its ASCII form; a local part outside ASCII
    no mail service the product sends through delivers to (SES: 7-bit local parts)."""
    [got] = rows(ImportKind.CUSTOMERS, [("李雷", "lilei@例子.中国", "", "", "")])
    assert isinstance(got, CustomerRow) and got.email == "lilei@例子.中国"
    [refused] = rows(ImportKind.CUSTOMERS, [("李雷", "李@例子.中国", "", "", "")])
    assert isinstance(refused, Refusal) and refused.code == "invalid_email"


def test_an_imports_notes_keep_their_line_breaks_and_refuse_other_control_characters():
    mapping, header = (
        {"Name": "name", "Email": "email", "Notes": "notes"},
        ("Name", "Email", "Notes"),
    )
    kept, refused = rows(
        ImportKind.CUSTOMERS,
        [
            ("Ada", "ada@example.com", "first line\nsecond\tline"),
            ("Bo", "bo@example.com", "a\x07b"),
        ],
        mapping,
        header,
    )
    assert isinstance(kept, CustomerRow) and kept.notes == "first line\nsecond\tline"
    assert isinstance(refused, Refusal) and refused.code == "invalid_notes"


def test_a_phone_too_short_to_be_one_is_said_to_be_no_number_not_other_characters():
    """A tester's "12" was told the column holds only digits and + ( ) . / -, which it did."""
    got = rows(
        ImportKind.CUSTOMERS,
        [("Ada", "ada@example.com", "12", "", ""), ("Bo", "bo@example.com", "1x", "", "")],
    )
    said = [(g.code, "no valid phone number" in g.message) for g in got if isinstance(g, Refusal)]
    assert said == [("invalid_phone", True), ("invalid_phone", False)]


@pytest.mark.parametrize(
    ("text", "row"),
    [
        ('Name,Email\nAnna,a@x\n"Broken Quote,b@x,\nLost One,l@x\n', 3),
        ('Name,Notes\n"Ann","say ""hi"""\n"Bo","a,\nb"\n', None),  # "" and a line break inside
        ('Name,Notes\nAnn,12" pizza\n', None),  # a quote inside an unquoted cell is a quote
        ('a;b\n"x;y";"z""q"\n', None),
        ('a,b\r\n"x",""\r\n', None),
        ('a,b\n1,"two\nthree\n', 2),
    ],
)
def test_a_quote_the_file_never_closes_is_found_with_its_row(text, row):
    from chalicelib.customers.domain.import_csv import separator_of, unclosed_quote

    assert unclosed_quote(text, separator_of(text.split("\n", 1)[0])) == row
