"""Campaigns: one e-mail from a tenant's template to the consenting customers of a segment.

A campaign names its segment, its template (a subject and a body per language, English and
Simplified Chinese, with placeholders such as `{{ first_name }}`, rendered in the
notifications' sandbox) and the window after the e-mail within which a booking is counted as
having followed it (`follow_days`). It is sent once: `draft` -> `sending` -> `sent`.

Who receives it (`reachable`): a customer of the segment at send time who agreed to marketing
e-mail (consent granted and never withdrawn: an unsubscribe or a complaint withdraws it), has
an e-mail that did not bounce for good (mail_feedback.py), was not merged into another record
and was not erased (an erased customer has no record left).

The unsubscribe link carries a token signed for one customer and one campaign
(`unsubscribe_token`): it names them and nothing else, and cannot be made for another.

Pure: no storage here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from enum import StrEnum

from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.untrusted import same_secret
from chalicelib.kernel.domain.values import value

LANGUAGES = ("en", "zh-Hans")
MAX_FOLLOW_DAYS = 90
MAX_SUBJECT = 200
MAX_BODY = 20_000
MAX_NAME = 100


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    SENDING = "sending"
    SENT = "sent"


@value
class Wording:
    """The template in one language: the subject and the plain-text body (its HTML is made
    from the text, escaped, with the unsubscribe link)."""

    subject: str
    body: str


@value
class CampaignCounts:
    recipients: int = 0  # claimed: at most one e-mail each (a crash after a claim loses one)
    sent: int = 0  # the mailer took it
    bounced: int = 0  # the mailer refused it (locally: SES's MessageRejected)
    unsubscribed: int = 0  # withdrew consent through this campaign's link
    bookings: int = 0  # orders confirmed within `follow_days` after it was sent to them


@value
class Campaign:
    id: str
    name: str
    segment_id: str
    wordings: tuple[tuple[str, Wording], ...]  # language -> wording, in LANGUAGES' order
    follow_days: int
    created_at: str
    created_by: str = ""
    status: CampaignStatus = CampaignStatus.DRAFT
    send_started_at: str = ""
    sent_at: str = ""  # when the job finished
    counts: CampaignCounts = CampaignCounts()
    cursor: str = ""  # where the sending job stopped (its resumption point)
    touched_at: str = ""  # the job's last sign of life (its start, each saved cursor)
    version: int = 1

    def wording(self, language: str) -> Wording:
        """The wording in `language`, else the first the campaign has."""
        found = dict(self.wordings)
        return found.get(language) or self.wordings[0][1]


def check_campaign(
    name: str, wordings: dict[str, Wording], follow_days: int
) -> tuple[str, tuple[tuple[str, Wording], ...]]:
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_NAME:
        raise InvalidInput(
            f"A campaign needs a name of 1 to {MAX_NAME} characters.", code="invalid_name"
        )
    if not 1 <= follow_days <= MAX_FOLLOW_DAYS:
        raise InvalidInput(f"`follow_days` is 1 to {MAX_FOLLOW_DAYS}.", code="invalid_follow_days")
    unknown = sorted(set(wordings) - set(LANGUAGES))
    if not wordings or unknown:
        raise InvalidInput(
            "Give the wording in English (`en`) and/or Chinese (`zh-Hans`).",
            code="invalid_wording",
            languages=list(LANGUAGES),
        )
    kept: list[tuple[str, Wording]] = []
    for language in LANGUAGES:
        w = wordings.get(language)
        if w is None:
            continue
        subject, body = " ".join(w.subject.split()), w.body.strip()
        if not subject or len(subject) > MAX_SUBJECT or not body or len(body) > MAX_BODY:
            raise InvalidInput(
                f"The {language} wording needs a subject (up to {MAX_SUBJECT} characters) "
                f"and a body (up to {MAX_BODY}).",
                code="invalid_wording",
                language=language,
            )
        kept.append((language, Wording(subject, body)))
    return clean, tuple(kept)


def reachable(customer: CustomerRecord) -> bool:
    """Whether a campaign may e-mail this customer (module docstring)."""
    consent = customer.consent
    return (
        consent is not None
        and consent.granted
        and bool(customer.profile.email)
        and not customer.email_bouncing
        and not customer.merged_into
    )


def first_name(name: str) -> str:
    """The first word of the name (a Chinese name kept whole: it has no spaces)."""
    words = name.split()
    return words[0] if words else ""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _digest(secret: str, payload: str) -> bytes:
    return hmac.new(secret.encode(), b"unsubscribe:" + payload.encode(), hashlib.sha256).digest()


@value
class Unsubscribe:
    tenant_id: str
    campaign_id: str
    customer_id: str


def unsubscribe_token(secret: str, who: Unsubscribe) -> str:
    payload = f"{who.tenant_id}.{who.campaign_id}.{who.customer_id}"
    return f"{_b64(payload.encode())}.{_b64(_digest(secret, payload)[:20])}"


def read_unsubscribe_token(secret: str, token: str) -> Unsubscribe | None:
    """Who the token was signed for; None for anything not signed with `secret`."""
    head, _, mac = token.partition(".")
    try:
        payload = _unb64(head).decode()
        given = _unb64(mac)
    except (ValueError, UnicodeDecodeError):
        return None
    if not same_secret(given, _digest(secret, payload)[:20]):
        return None
    parts = payload.split(".")
    if len(parts) != 3 or not all(parts):
        return None
    return Unsubscribe(*parts)
