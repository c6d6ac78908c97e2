"""A campaign's e-mail to one customer: the tenant's wording rendered in the notifications'
sandbox (notifications/services/sandbox.py: no code, a budget per rendering), the HTML made
from the rendered text (escaped: the wording is text), and the unsubscribe link in the body
and in the `List-Unsubscribe` headers (RFC 2369 and RFC 8058's one-click POST).

Placeholders a wording may use: `first_name`, `name`, `business` (the tenant's name) and
`unsubscribe_url`.
"""

from __future__ import annotations

import html
from typing import Any

from chalicelib.customers.domain.campaigns import Wording, first_name
from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.kernel.services.messaging_ports import Email

MAX_SUBJECT = 200
SAMPLE = {
    "first_name": "Ada",
    "name": "Ada Lovelace",
    "business": "Sample business",
    "unsubscribe_url": "https://example.com/v1/unsubscribe/sample",
}
FOOTER = {
    "en": "Unsubscribe from these e-mails: {url}",
    "zh-Hans": "退订此类邮件：{url}",
}
FOOTER_LINK = {"en": "Unsubscribe", "zh-Hans": "退订"}


def context_for(customer: CustomerRecord, business: str, url: str) -> dict[str, Any]:
    name = customer.profile.name
    return {
        "first_name": first_name(name),
        "name": name,
        "business": business,
        "unsubscribe_url": url,
    }


def render_wording(
    wording: Wording, language: str, *, sample: bool = False, data: dict[str, Any] | None = None
) -> tuple[str, str]:
    """(subject, text) rendered in the sandbox; InvalidInput `template_refused` otherwise."""
    # The sandbox loads Jinja2: only a campaign's creation and its job pay for it.
    from chalicelib.notifications.services.sandbox import render_part

    context = SAMPLE if sample or data is None else data
    subject = " ".join(render_part("subject", wording.subject, context).split())[:MAX_SUBJECT]
    return subject, render_part("text", wording.body, context)


def email_for(
    wording: Wording,
    language: str,
    customer: CustomerRecord,
    *,
    business: str,
    sender: str,
    reply_to: str | None,
    unsubscribe_url: str,
    tags: dict[str, str],
) -> Email:
    subject, text = render_wording(
        wording, language, data=context_for(customer, business, unsubscribe_url)
    )
    footer = FOOTER.get(language, FOOTER["en"]).format(url=unsubscribe_url)
    link = FOOTER_LINK.get(language, FOOTER_LINK["en"])
    paragraphs = "".join(
        f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n") if p
    )
    body_html = (
        f"<!doctype html><html><body>{paragraphs}"
        f'<p style="font-size:small"><a href="{html.escape(unsubscribe_url)}">'
        f"{html.escape(link)}</a></p></body></html>"
    )
    return Email(
        to=customer.profile.email,
        subject=subject,
        text=f"{text}\n\n--\n{footer}\n",
        html=body_html,
        sender=sender,
        sender_name=business,
        reply_to=reply_to,
        tags=tags,
        headers=(
            ("List-Unsubscribe", f"<{unsubscribe_url}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ),
    )
