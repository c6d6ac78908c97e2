"""The unsubscribe link of a campaign's e-mail: public, the signed token in the path is the
credential (customers/domain/campaigns.py).

`GET` answers a small page (English and Chinese) with one button; only the `POST` it sends
withdraws consent. A mail scanner that opens every link in a message therefore unsubscribes
nobody, and the same `POST` is the RFC 8058 one-click target the `List-Unsubscribe-Post`
header names (mail providers send it with the body `List-Unsubscribe=One-Click`). Withdrawing
twice changes nothing the second time.
"""

from __future__ import annotations

import html

from chalice import Blueprint, Response

from chalicelib.customers.domain.campaigns import Unsubscribe
from chalicelib.customers.services import campaigns
from chalicelib.customers.services.campaign_ports import CampaignsContext
from chalicelib.kernel.domain.errors import NotFound, TransientFailure
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, route

bp = Blueprint(__name__)
TAG = "customers"
PATH = "/v1/unsubscribe/{token}"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}}
button{{font-size:1rem;padding:.6rem 1.2rem}}</style></head>
<body><main>{content}</main></body></html>"""


def _page(title: str, content: str, status: int = 200) -> Response:
    return Response(
        body=PAGE.format(title=html.escape(title), content=content),
        status_code=status,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
            "form-action 'self'",
            "X-Robots-Tag": "noindex",
        },
    )


def _open(call: Call) -> tuple[CampaignsContext, Unsubscribe]:
    c = call.container
    return campaigns.open_unsubscribe(
        call.path["token"],
        secret=c.manage_token_secret,
        platform=c.platform,
        data_factory=c.tenant_data,
        now=c.now,
        new_id=c.new_id,
    )


def _invalid(call: Call, exc: NotFound) -> Response:
    """A link we did not sign (cut short by a mail client, mistyped): a page to a browser,
    which a person followed (a tester's mangled link answered raw JSON), the error's JSON to
    any other client."""
    if "text/html" not in call.headers.get("accept", ""):
        raise exc
    content = (
        "<h1>This link does not work</h1>"
        "<p>This unsubscribe link is not valid: it may have been cut short. Use the whole "
        "link from the e-mail, or reply to the e-mail to ask.</p>"
        '<p lang="zh-Hans">此退订链接无效，可能不完整。请使用邮件中的完整链接，或回复邮件提出。</p>'
    )
    return _page("Unsubscribe · 退订", content, 404)


@route(
    bp,
    PATH,
    "GET",
    summary="The unsubscribe page of a campaign's e-mail",
    tag=TAG,
    access=Access.NONE,
    media_type="text/html",
    raises=(NotFound, TransientFailure),
)
def unsubscribe_page(call: Call) -> Response:
    """A page asking to confirm (nothing changes until its button is pressed). 404
    `unsubscribe_link_invalid` for a token we did not sign (a page, to a browser)."""
    try:
        ctx, _ = _open(call)
    except NotFound as exc:
        return _invalid(call, exc)
    business = html.escape(ctx.tenant.name)
    content = (
        f"<h1>{business}</h1>"
        "<p>Stop receiving marketing e-mails from us?</p>"
        '<p lang="zh-Hans">不再接收我们的营销邮件？</p>'
        '<form method="post"><button type="submit">Unsubscribe · 退订</button></form>'
    )
    return _page("Unsubscribe · 退订", content)


@route(
    bp,
    PATH,
    "POST",
    summary="Unsubscribe from a business's campaigns",
    tag=TAG,
    access=Access.NONE,
    media_type="text/html",
    idempotent=False,  # no caller to key it by; withdrawing twice changes nothing anyway
    # The page's form, and the one-click POST (RFC 8058) mail providers send.
    accepts=("application/x-www-form-urlencoded", "multipart/form-data", "application/json"),
    raises=(NotFound, TransientFailure),
)
def unsubscribe(call: Call) -> Response:
    """Withdraws the customer's marketing consent (source `unsubscribe_link`, with its time)
    and counts it on the campaign, once each. 404 `unsubscribe_link_invalid` for a token we
    did not sign (a page, to a browser)."""
    try:
        ctx, who = _open(call)
    except NotFound as exc:
        return _invalid(call, exc)
    campaigns.unsubscribe(ctx, who)
    content = (
        f"<h1>{html.escape(ctx.tenant.name)}</h1>"
        "<p>You are unsubscribed: we will send you no more marketing e-mails.</p>"
        '<p lang="zh-Hans">您已退订：我们不会再向您发送营销邮件。</p>'
    )
    return _page("Unsubscribed · 已退订", content)
