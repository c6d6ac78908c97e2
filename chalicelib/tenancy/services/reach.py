"""Whether a message of a kind reaches a customer, by each channel: by e-mail at an address
mail can reach (not a placeholder under `.invalid`: an OCTO reservation made without a
contact, an erased customer), by text at a number that may be texted (phones.py), each only
as far as the tenant sends that kind so (`message_channels`), but a kind sent by text only
goes by e-mail to a customer who cannot be texted.

The sender decides by it (notifications/services/send.py), and so does a bulk message job
before it records an order as messaged: a tester's job to a departure said `done` for OCTO
reservations whose only address was `<uuid>@octo.invalid`, which were sent nothing
(booking/services/bulk_jobs.py).
"""

from __future__ import annotations

from chalicelib.kernel.domain.customer_ids import deliverable
from chalicelib.kernel.domain.tenant import Tenant
from chalicelib.tenancy.services.phones import allowed_sms_countries, sms_refusal

SMS_OFF = "sms_off"  # the tenant sends this kind of message by e-mail only


def by_email(tenant: Tenant, kind: str, email: str | None, phone: str | None = None) -> bool:
    """By e-mail as the tenant sends `kind`; or, a kind it sends by text only, to a customer
    it cannot text (no phone, a landline, a country not texted): the message still reaches
    them, as the console's Messages page says (an outside tester's SMS-only confirmations
    and reminders reached e-mail-only customers not at all)."""
    if not deliverable(email):
        return False
    chosen = tenant.settings.channels_for(kind)
    if "email" in chosen:
        return True
    return "sms" in chosen and text_refusal(tenant, kind, phone) is not None


def text_refusal(tenant: Tenant, kind: str, phone: str | None) -> str | None:
    """None when a message of `kind` goes to `phone` by text; else why not (phones.py's
    codes, or `sms_off`)."""
    if "sms" not in tenant.settings.channels_for(kind):
        return SMS_OFF
    return sms_refusal(phone, allowed_sms_countries(tenant))


def reaches(tenant: Tenant, kind: str, email: str | None, phone: str | None) -> bool:
    """Whether a message of `kind` goes to this contact by any channel."""
    return by_email(tenant, kind, email, phone) or text_refusal(tenant, kind, phone) is None
