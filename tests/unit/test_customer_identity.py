"""The customer id every capability derives from a contact (customers/domain/identity.py)."""

import pytest

from chalicelib.customers.domain.identity import ID_PREFIX, customer_id_for, normal_email


def test_two_spellings_of_one_address_name_one_customer() -> None:
    assert normal_email("  Mei.Chen@Example.COM ") == "mei.chen@example.com"
    assert customer_id_for("Mei.Chen@Example.com") == customer_id_for(" mei.chen@example.com")


def test_dots_and_plus_tags_are_kept_apart() -> None:
    assert customer_id_for("mei.chen@example.com") != customer_id_for("meichen@example.com")
    assert customer_id_for("mei+spa@example.com") != customer_id_for("mei@example.com")


def test_the_email_decides_and_the_phone_names_a_customer_without_one() -> None:
    by_email = customer_id_for("mei@example.com", "+447700900123")
    assert by_email == customer_id_for("mei@example.com")
    assert customer_id_for(None, "+447700900123") != by_email
    assert customer_id_for("", "+447700900123") == customer_id_for(None, "+447700900123")


def test_an_id_is_short_and_safe_in_a_key() -> None:
    cid = customer_id_for("mei@example.com")
    assert cid.startswith(ID_PREFIX) and len(cid) == len(ID_PREFIX) + 24
    assert cid.replace("_", "").isalnum() and "#" not in cid


def test_nobody_to_name() -> None:
    with pytest.raises(ValueError):
        customer_id_for(None, None)
    with pytest.raises(ValueError):
        customer_id_for("  ", "")
