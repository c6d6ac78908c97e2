"""A customer's right to their data: what is theirs, how an order forgets them, and what must
not be erased yet.

- Whose: a customer is named by a derived id (identity.py) and known by their contacts (the
  e-mails and phones their record and the request give). A phone is not an id (every booking
  has an e-mail, which wins): it names the customers whose records hold it
  (services/privacy.py `phone_owner`), and when it names several the request is refused
  (409 `phone_names_several_customers`, their ids listed) for staff to choose one. An order
  is theirs when its e-mail is one of theirs, or when it has no e-mail and its phone is one
  of theirs (when the e-mail names another customer, the order is that one's: the e-mail
  wins, as identity.py says).
- Forgetting an order (`anonymised`): the books keep it (lines, amounts, payments, refunds,
  charges, dates, ids: what issued invoices and takings refer to); the customer's name, e-mail,
  phone and locale, the answers to booking questions, the staff's note and any free text that
  names them go; its manage links stop working (a new generation) and it keeps an address at
  `ERASED_DOMAIN`, so nothing is ever sent for it (notifications' `notify`).
- Scrubbing (`scrub`): the items that carry a copy of an order's data as JSON (an idempotency
  record's stored answer, a webhook delivery's payload, an audit entry's details) keep their
  shape; every string loses the customer's name, contacts and answers, and free text fields
  (a message's subject and body, a note, a reason) go whole.
- In flight (`in_flight`): an order held, checked in, or confirmed and not yet over is a stay
  or a visit still to come: the erase is refused (409) until staff cancel it or it is past,
  rather than cancelling a booking (and its money) as a side effect of a privacy request.
- Owed money back (`refuse_money_owed`): an order `refund_due` is refused too (409) until the
  business gives it back, for nobody can be reached to return it once they are erased. What
  they owe the business does not stop it: the books keep the amounts.
- Phones in free text (`_pattern`): found however people write them, anything between the
  digits, never inside a longer number; the caller gives each phone's forms (with its country
  code, and as written at home: customers/services/privacy.py `known`).

Pure: the clock is passed in; no storage here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from chalicelib.booking.domain.order_money import payment_status_of
from chalicelib.booking.domain.orders import (
    ERASED_DOMAIN,
    BookingStatus,
    Customer,
    Order,
    PaymentStatus,
)
from chalicelib.catalog.domain.questions import NO_ANSWERS
from chalicelib.customers.domain.identity import normal_email
from chalicelib.kernel.domain.calendar import parse_iso_utc
from chalicelib.kernel.domain.errors import Conflict, InvalidInput
from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value

ERASED = "[erased]"
ERASED_NAME = "Erased customer"
MIN_NEEDLE = 3  # shorter strings (an answer "no", an initial) would scrub every word
# Keys whose string values are free text about the person: dropped whole wherever found.
FREE_TEXT = frozenset({"subject", "body", "note", "notes", "message", "text", "comment"})


class CustomerHasOpenBookings(Conflict):
    code = "customer_has_open_bookings"


class CustomerOwedMoney(Conflict):
    """Money the business owes back to the customer: given back first, for once they are
    erased nobody can be reached to return it (an outside tester's erased guest was still
    "owed $49.00" with no name or address left)."""

    code = "customer_owed_money"


class PhoneNamesSeveral(Conflict):
    """A phone several customers' records hold: staff choose one by id (never a guess)."""

    code = "phone_names_several_customers"


class EraseNotConfirmed(InvalidInput):
    code = "erase_not_confirmed"


class InvalidCustomer(InvalidInput):
    code = "invalid_customer"


@value
class Contacts:
    """Who a customer is, as far as their orders can tell: lower-cased e-mails, E.164 phones."""

    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()

    def owns(self, order: Order) -> bool:
        email = normal_email(order.customer.email)
        if email:
            return email in self.emails
        return bool(order.customer.phone) and order.customer.phone in self.phones

    def with_(self, emails: Iterable[str] = (), phones: Iterable[str] = ()) -> Contacts:
        return Contacts(
            self.emails | {normal_email(e) for e in emails if e and e.strip()},
            self.phones | {p.strip() for p in phones if p and p.strip()},
        )


def contact_kind(ref: str) -> str:
    """What a caller named a customer by: `id` (cus_...), `email` or `phone` (E.164)."""
    text = ref.strip()
    if re.fullmatch(r"cus_[a-z2-7]{1,60}", text):
        return "id"
    if "@" in text and 3 <= len(text) <= 254 and " " not in text:
        return "email"
    if re.fullmatch(r"\+[1-9][0-9]{6,14}", text):
        return "phone"
    raise InvalidCustomer(
        "Name the customer by their id (cus_...), e-mail or phone in E.164 (+44...).",
        customer=ref[:64],
    )


def in_flight(order: Order, now: str) -> bool:
    """Still to come or under way: held, checked in, or confirmed and not yet over."""
    if order.status in (BookingStatus.HELD, BookingStatus.CHECKED_IN):
        return True
    # Lines end on the minute (`2026-12-24T10:00Z`); `now` is a stored timestamp.
    return order.status is BookingStatus.CONFIRMED and parse_iso_utc(order.end) > parse(now)


def refuse_in_flight(orders: Iterable[Order], now: str) -> None:
    open_ids = sorted(o.id for o in orders if in_flight(o, now))
    if open_ids:
        raise CustomerHasOpenBookings(
            "This customer has bookings still to come or under way: cancel them, or wait "
            "until they are over, then erase.",
            order_ids=open_ids[:20],
            open=len(open_ids),
        )


def refuse_money_owed(orders: Iterable[Order]) -> None:
    owed = sorted(o.id for o in orders if payment_status_of(o) is PaymentStatus.REFUND_DUE)
    if owed:
        raise CustomerOwedMoney(
            "This customer is owed money back: give it back (or record how it was given back) "
            "on these orders, then erase. Once erased they cannot be reached to return it.",
            order_ids=owed[:20],
            owed=len(owed),
        )


# Chinese, Japanese and Korean: a name of two characters is a whole name ("李明").
_CJK = re.compile(
    r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # Hangul
    r"\u3040-\u30ff\u3100-\u312f"  # kana, bopomofo
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"  # Han
)


def needles(
    customer: Customer | None, extra: Iterable[str] = (), names: Iterable[str] = ()
) -> tuple[str, ...]:
    """The strings that identify the customer in free text: their names and each word of
    them, their e-mail and phone (with and without the +), and the extras given (answers,
    the contacts of their record); the longest first, so a name goes before its words."""
    named = [*names, *([customer.name] if customer is not None else [])]
    words = {n.strip() for n in (*named, *(w for name in named for w in name.split()))}
    found = {*extra, *words}
    if customer is not None:
        found.add(customer.email)
        if customer.phone:
            found |= {customer.phone, customer.phone.lstrip("+")}
    kept = {n.strip() for n in found if isinstance(n, str) and len(n.strip()) >= MIN_NEEDLE}
    # A name of two Chinese, Japanese or Korean characters is whole ("李明": an erased
    # customer's name once stayed in every text that named them); an answer of two ("没有",
    # "none") is not theirs, and would blank it in every other customer's words.
    kept |= {w for w in words if len(w) == MIN_NEEDLE - 1 and all(_CJK.match(c) for c in w)}
    return tuple(sorted(kept, key=lambda n: (-len(n), n)))


_PHONE = re.compile(r"\+?[0-9]{7,15}")
# What people put between a phone's digits: "+1 212-555-0188", "(212) 555.0188", "212/5550188".
_BETWEEN = r"[ ()./\-]{0,3}"
# Not inside a longer run of digits, nor a time's ("2026-12-25 10:00"); beside other numbers
# ("room 12 07700 900123", "07700900123/07700900124") it is still found (a reviewer's: a
# guard against numbers written in groups left phones in ordinary texts).
_BEFORE = r"(?<![0-9])(?<![0-9]:)"
_AFTER = r"(?![0-9]|:[0-9])"


def _pattern(needle: str) -> str:
    """A phone (the caller gives its forms: E.164, and as written at home) matches whatever is
    written between its digits, a leading ( or +/00 too, and never inside a longer number
    (an outside tester's "+1 212-555-0188" and "212.555.0188" stayed in an erased customer's
    cancellation reason: only the stored "+12125550188" was found); any other needle, as it
    is. Linear: what is between two digits holds no digit, so nothing backtracks far."""
    if not _PHONE.fullmatch(needle):
        return re.escape(needle)
    body = _BETWEEN.join(needle.lstrip("+"))
    return rf"{_BEFORE}(?:\+|00)?\(?{body}{_AFTER}"


def answer_texts(order: Order) -> list[str]:
    """Every answer to a booking question, as text (a number or a choice too)."""
    out: list[str] = []
    for line in order.lines:
        for answers in (line.answers.booking, *line.answers.people):
            out += [str(a) for a in answers.values() if not isinstance(a, bool)]
    return out


def scrub_text(text: str, found: tuple[str, ...]) -> str:
    """`text` with each needle, wherever it is, replaced by ERASED, in one pass (longest
    needle first, as `needles` orders them), so a needle never matches inside a marker put
    in before (an outside tester's "Erin Erase" left "[[erased]d] receipt": "Erase" found in
    the "[erased]" put in for "Erin"), nor inside one already there. Inside words too: a
    name with a case ending ("Петрова"), a particle ("ومحمد"), a digit or an underscore
    ("Smith_1980") is still theirs; a word that merely holds a name ("accepted" for "Ted")
    loses that much, which a privacy erase prefers to a name left behind."""
    if not found:
        return text
    pattern = re.compile("|".join(_pattern(n) for n in found), re.IGNORECASE)
    return ERASED.join(pattern.sub(ERASED, part) for part in text.split(ERASED))


def scrub(data: Any, found: tuple[str, ...], key: str = "") -> Any:
    """`data` (JSON values) without the needles, and without free text (module docstring)."""
    if isinstance(data, dict):
        return {k: scrub(v, found, k) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [scrub(v, found) for v in data]
    if isinstance(data, str):
        if key in FREE_TEXT and data:
            return ERASED
        return scrub_text(data, found)
    return data


def anonymised(order: Order, found: tuple[str, ...], now: str) -> Order:
    """The order as the books keep it once its customer is erased (module docstring)."""
    if order.customer.erased:
        return order
    gone = Customer(name=ERASED_NAME, email=f"{order.id}@{ERASED_DOMAIN}")
    return replace(
        order,
        customer=gone,
        note="",
        lines=tuple(replace(line, answers=NO_ANSWERS) for line in order.lines),
        cancellation=scrub(order.cancellation, found) if order.cancellation else None,
        history=tuple((at, s, scrub_text(actor, found)) for at, s, actor in order.history),
        payments=tuple(
            replace(p, reference=scrub_text(p.reference, found)) for p in order.payments
        ),
        refunds=tuple(replace(r, reason=scrub_text(r.reason, found)) for r in order.refunds),
        charges=tuple(
            replace(
                c,
                label=scrub_text(c.label, found),
                reason=scrub_text(c.reason, found),
                void_reason=scrub_text(c.void_reason, found),
            )
            for c in order.charges
        ),
        card_on_file=None,  # the processor's customer and card stay with the processor
        # The requests' marks digest bodies that named the customer (a guess could be checked
        # against them): gone, so a retry of those requests is refused (`order_exists`).
        request_keys=(),
        manage_gen=order.manage_gen + 1,  # every link the customer holds stops working
        version=order.version + 1,
        updated_at=now,
    )
