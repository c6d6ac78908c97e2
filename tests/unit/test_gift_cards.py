"""Gift cards' rules without I/O: the code (derived, unguessable, typed as people type it),
the last day a card can be spent (month ends, the business's own date), the spend's checks,
and the use cases over the fakes (a sale, a spend, a credit, a disabled card)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.customers.domain.gift_cards import (
    ALPHABET,
    MAX_AMOUNT,
    CardStatus,
    GiftCard,
    GiftCardBalanceLow,
    GiftCardCurrency,
    GiftCardExpired,
    GiftCardIsDisabled,
    GiftCardSettings,
    Person,
    card_code,
    check_settings,
    check_spend,
    expiry,
    grouped,
    normal_code,
)
from chalicelib.customers.services import gift_cards as cards
from chalicelib.kernel.domain.errors import InvalidInput
from tests.builders import Shop
from tests.fakes import FakeContainer

SECRET = b"test-secret"


def _card(**changes) -> GiftCard:
    base = dict(
        id="gc_1",
        currency="EUR",
        initial=5000,
        balance=5000,
        status=CardStatus.ACTIVE,
        code_last4="ABCD",
        buyer=Person("B", "b@example.com"),
        recipient=Person("R", "r@example.com"),
        message="",
        sold_at="2026-11-30T10:00:00Z",
        sold_by="desk",
        paid_with="cash",
    )
    return GiftCard(**{**base, **changes})


def test_a_code_is_sixteen_characters_of_the_alphabet_the_same_each_time():
    code = card_code(SECRET, "t1", "gc_1")
    assert len(code) == 16 and set(code) <= set(ALPHABET)
    assert card_code(SECRET, "t1", "gc_1") == code
    assert card_code(SECRET, "t2", "gc_1") != code  # another business's card
    assert card_code(b"other", "t1", "gc_1") != code  # the secret is needed to know it


@given(st.text(alphabet=ALPHABET, min_size=16, max_size=16))
def test_a_code_typed_in_groups_lower_case_or_with_look_alikes_is_the_same_code(code):
    typed = grouped(code).lower().replace("0", "o").replace("1", "l")
    assert normal_code(typed) == code
    assert normal_code(" ".join(code[i : i + 4] for i in range(0, 16, 4))) == code


@pytest.mark.parametrize("text", ["", "ABC", "A" * 17, "UUUU-UUUU-UUUU-UUUU", "€" * 16])
def test_what_cannot_be_a_code_is_none(text):
    assert normal_code(text) is None


@pytest.mark.parametrize(
    ("sold", "months", "last"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-11-30", 12, "2027-11-30"),
        ("2026-12-15", 3, "2027-03-15"),
    ],
)
def test_a_card_is_valid_to_the_same_day_months_later_or_the_months_last(sold, months, last):
    assert expiry(date.fromisoformat(sold), GiftCardSettings(months)) == last


def test_no_validity_rule_means_the_card_never_expires():
    assert expiry(date(2026, 1, 1), GiftCardSettings(0)) is None
    with pytest.raises(InvalidInput):
        check_settings(121)


def test_a_spend_is_checked_for_status_expiry_currency_and_balance():
    today = date(2026, 12, 1)
    assert check_spend(_card(), 5000, "EUR", today) == 5000
    with pytest.raises(GiftCardIsDisabled):
        check_spend(_card(status=CardStatus.DISABLED), 1, "EUR", today)
    with pytest.raises(GiftCardExpired):
        check_spend(_card(expires_on="2026-11-30"), 1, "EUR", today)
    assert check_spend(_card(expires_on="2026-12-01"), 1, "EUR", today) == 1  # its last day
    with pytest.raises(GiftCardCurrency):
        check_spend(_card(), 1, "USD", today)
    with pytest.raises(GiftCardBalanceLow) as low:
        check_spend(_card(), 5001, "EUR", today)
    # As money a person reads, not minor units ("holds 5000; 5001 was asked").
    assert str(low.value) == "The gift card holds 50.00 EUR; 50.01 EUR was asked."
    assert (low.value.details["balance"], low.value.details["asked"]) == (5000, 5001)


def test_the_last_day_is_the_business_s_date_not_utc():
    """Sold at 23:30 UTC on 30 November is 1 December in Shanghai: a 1-month card bought then
    is valid to 1 January, and it is expired on 2 January there while still 1 January in UTC."""
    shop = Shop(tz="Asia/Shanghai", now="2026-11-30T23:30:00.000000Z", currency="CNY")
    ctx = shop.ctx
    ctx.data.gift_cards.save_settings(GiftCardSettings(1), ctx.now())
    issued = cards.sell_at_desk(
        ctx,
        "gc_sh",
        cards.Sale(10000, Person("B", "b@example.com"), Person("R", "r@example.com")),
        tender="cash",
        secrets=FakeContainer().manage_token_secret,
    )
    assert issued.card.expires_on == "2027-01-01"
    assert issued.card.currency == "CNY"
    assert ctx.data.gift_cards.get("gc_sh") == issued.card
    shop.clock.moment = datetime(2027, 1, 1, 16, 30, tzinfo=UTC)  # 00:30 on 2 January there
    assert cards.today(ctx) == date(2027, 1, 2)
    assert issued.card.expired(cards.today(ctx))


def test_the_online_sale_keeps_to_the_business_s_bounds_and_none_means_one_to_the_most():
    assert GiftCardSettings().check_online(1) == 1
    assert GiftCardSettings().check_online(MAX_AMOUNT) == MAX_AMOUNT
    bounded = check_settings(0, 500, 20000)
    assert (bounded.check_online(500), bounded.check_online(20000)) == (500, 20000)
    for amount in (499, 20001):
        with pytest.raises(InvalidInput) as refused:
            bounded.check_online(amount)
        assert refused.value.code == "gift_card_amount_out_of_range"
        assert (refused.value.details["min_amount"], refused.value.details["max_amount"]) == (
            500,
            20000,
        )
    assert check_settings(0, 500, 0).check_online(MAX_AMOUNT) == MAX_AMOUNT  # no maximum
    with pytest.raises(InvalidInput) as upside_down:
        check_settings(0, 900, 100)
    assert upside_down.value.code == "invalid_online_range"
    with pytest.raises(InvalidInput):
        check_settings(0, -1, 0)
    with pytest.raises(InvalidInput):
        check_settings(0, 0, MAX_AMOUNT + 1)
