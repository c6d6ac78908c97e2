"""A customer's record: who they are (contact, profile, preferences, tags, marketing consent),
their figures (figures.py), and where a merge left them.

The record is `CUS#<id>`/`META` (the id derived from the contact: identity.py). Staff change
the profile, tags and consent over the version they read (412 otherwise); notes are items of
their own, never overwritten. A merged loser keeps its record with `merged_into` (reads follow
it); the winner lists what it absorbed in `merged_from`.

The phone rule (`phone_conflicts`): a booking belongs to the customer its e-mail names; when
its phone already belongs to another record (a record made from the phone alone, or another
customer's phone), the e-mail's record still takes the booking and both are flagged
`possible_duplicates`, for staff to merge or leave.

Pure: no storage here.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from chalicelib.booking.domain.order_search import name_key, name_partition, search_name
from chalicelib.customers.domain.figures import CustomerFigures
from chalicelib.kernel.domain.business import Address
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value

MAX_TAGS = 30
MAX_PREFERENCES = 30
MAX_DUPLICATES = 20  # flags kept per record (a phone shared by a whole family stops there)


class ConsentSource(StrEnum):
    BOOKING_FORM = "booking_form"
    STAFF = "staff"
    IMPORT = "import"
    UNSUBSCRIBE_LINK = "unsubscribe_link"
    COMPLAINT = "complaint"  # they marked a campaign's e-mail as spam (mail_feedback.py)


@value
class Consent:
    """Whether the customer agreed to marketing e-mail, how that was said, and when."""

    granted: bool
    source: ConsentSource
    at: str
    by: str = ""  # the staff member (actor label) who recorded it, for `staff`


@value
class EmailBounce:
    """The mail service said this address cannot be delivered to (a permanent bounce): later
    campaigns skip it while it is the record's e-mail (staff changing the e-mail ends it)."""

    email: str
    at: str
    message_id: str = ""  # the SES message that bounced


@value
class Profile:
    name: str
    email: str = ""
    phone: str = ""  # E.164
    locale: str = ""  # of their bookings (the widget's language)
    language: str = ""  # what staff recorded they prefer (BCP 47), over `locale`
    birthday: str = ""  # yyyy-mm-dd, or --mm-dd when the year is not known
    address: Address = Address()


@value
class CustomerRecord:
    id: str
    profile: Profile
    created_at: str
    updated_at: str
    version: int = 1
    figures: CustomerFigures = CustomerFigures()
    preferences: tuple[tuple[str, str], ...] = ()  # key -> free text, sorted
    tags: tuple[str, ...] = ()  # sorted, unique
    consent: Consent | None = None
    merged_into: str = ""  # the winner's id, once merged away
    merged_from: tuple[str, ...] = ()  # the ids it absorbed
    possible_duplicates: tuple[str, ...] = ()
    email_bounce: EmailBounce | None = None
    # The events counted in its figures (event id, epoch seconds it may be forgotten at),
    # kept in the record itself so a count is one conditional put (customers/services/
    # figures.py), and since when it keeps every one it counts (None: a record from before
    # it kept them; "": since it was made).
    counted: tuple[tuple[str, int], ...] = ()
    counted_since: str | None = None

    @property
    def email_bouncing(self) -> bool:
        """Whether the record's e-mail is the one that bounced."""
        bounce = self.email_bounce
        return bounce is not None and bounce.email.casefold() == self.profile.email.casefold()

    @property
    def name_key(self) -> str:
        """Its entry in the name search (folded, as orders' names are: order_search.py)."""
        return name_key(search_name(self.profile.name))

    @property
    def name_partition(self) -> str:
        return name_partition(search_name(self.profile.name))

    @property
    def family_key(self) -> str:
        """Its second entry in the name search: the folded name's last word (the family name
        of "Wei Chen"), so "chen" finds them too; "" for a one-word name, or when the whole
        name starts with it (its whole-name entry finds them by it already)."""
        folded = search_name(self.profile.name)
        words = folded.split()
        family = words[-1] if len(words) > 1 else ""
        return "" if not family or folded.startswith(family) else name_key(family)


@value
class Note:
    id: str
    customer_id: str
    text: str
    at: str
    by: str  # the actor's label (`user:<id>`) of who wrote it
    by_name: str = ""


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as kept: trimmed, case kept, unique case-insensitively, sorted; at most MAX_TAGS."""
    seen: dict[str, str] = {}
    for tag in tags:
        text = " ".join(tag.split())
        if not text:
            raise InvalidInput("A tag needs a letter.", code="invalid_tag")
        seen.setdefault(text.casefold(), text)
    if len(seen) > MAX_TAGS:
        raise InvalidInput(f"At most {MAX_TAGS} tags.", code="too_many_tags", limit=MAX_TAGS)
    return tuple(sorted(seen.values(), key=str.casefold))


def clean_preferences(prefs: dict[str, str]) -> tuple[tuple[str, str], ...]:
    if len(prefs) > MAX_PREFERENCES:
        raise InvalidInput(
            f"At most {MAX_PREFERENCES} preferences.",
            code="too_many_preferences",
            limit=MAX_PREFERENCES,
        )
    return tuple(sorted((k.strip(), v.strip()) for k, v in prefs.items() if k.strip()))


def phone_conflicts(customer_id: str, phone_owners: Iterable[str]) -> tuple[str, ...]:
    """The other records a booking's phone belongs to (the phone rule, module docstring):
    every owner but the e-mail's own customer, once each, sorted."""
    return tuple(sorted({owner for owner in phone_owners if owner != customer_id}))


def flag_duplicates(customer: CustomerRecord, others: Iterable[str]) -> tuple[str, ...]:
    """The record's possible duplicates with `others` added (never itself, never one it
    absorbed), at most MAX_DUPLICATES."""
    known = dict.fromkeys(customer.possible_duplicates)
    for other in others:
        if other != customer.id and other not in customer.merged_from:
            known.setdefault(other, None)
    return tuple(known)[:MAX_DUPLICATES]


def joined_tags(kept: Iterable[str], given: Iterable[str]) -> tuple[str, ...]:
    """`kept` with as many of `given` as fit (MAX_TAGS): an import's or a merge's tags join a
    record's without refusing the import or stopping the merge job at the limit."""
    out = clean_tags(kept)
    for tag in given:
        try:
            out = clean_tags((*out, tag))
        except InvalidInput:
            continue
    return out


def merged_consent(first: Consent | None, second: Consent | None) -> Consent | None:
    """The consent two records of one person hold together: a withdrawal on either wins (the
    newest one: whoever asked not to be e-mailed is not e-mailed because of a merge), else the
    newest grant, else none."""
    said = [c for c in (first, second) if c is not None]
    refused = [c for c in said if not c.granted]
    pick = refused or said
    return max(pick, key=lambda c: c.at) if pick else None
