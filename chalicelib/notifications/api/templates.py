"""A tenant's notification templates: read the one in use, replace it, go back to the default.

Each template is one kind (held, confirmed, changed, cancelled, payment_received,
payment_failed, payment_due, reminder, no_show, message, refund_issued, refund_failed) x
channel (email: subject, text, html; sms: text) x locale (en, zh-Hans). A saved template is
checked first: at most 20,000 characters in all (422 `template_too_large`), then parsed and
rendered against several sample messages in the sandbox (notifications/services/sandbox.py);
one that reaches for Python internals, calls what it may not, overruns the rendering budget or
fails to render is refused with 422 `template_refused` and nothing is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.notifications.services import templates as tpl
from chalicelib.tenancy.domain.staff import MANAGE
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.notifications.api.template_models import TemplateListOut, TemplateOut

bp = Blueprint(__name__)
PATH = "/v1/templates/{kind}/{channel}/{locale}"
TAG = "notifications"


def _key(call: Call) -> tuple[str, str, str]:
    """The template named in the path (each use case checks that it exists: 404 otherwise)."""
    kind, channel, locale = (call.path[k] for k in ("kind", "channel", "locale"))
    return kind, channel, locale


@route(
    bp,
    "/v1/templates",
    "GET",
    summary="Which notification templates exist and which the tenant replaced",
    tag=TAG,
    roles=MANAGE,
    response="chalicelib.notifications.api.template_models:TemplateListOut",
)
def list_templates(call: Call) -> TemplateListOut:
    from chalicelib.notifications.api.template_models import TemplateListOut

    mine = tpl.overridden(call.ctx)
    return TemplateListOut(
        kinds=list(tpl.KINDS),
        channels={name: list(parts) for name, parts in tpl.CHANNELS.items()},
        locales=list(tpl.LOCALES),
        overridden=sorted("/".join(key) for key in mine),
    )


@route(
    bp,
    PATH,
    "GET",
    summary="The template in use (the tenant's own, else the built-in)",
    tag=TAG,
    roles=MANAGE,
    response="chalicelib.notifications.api.template_models:TemplateOut",
)
def get_template(call: Call) -> TemplateOut:
    from chalicelib.notifications.api.template_models import TemplateOut
    from chalicelib.notifications.services.content import placeholders

    kind, channel, locale = _key(call)
    parts, own = tpl.in_use(call.ctx, kind, channel, locale)
    return TemplateOut(
        kind=kind,
        channel=channel,
        locale=locale,
        source="tenant" if own else "builtin",
        parts=dict(parts),
        placeholders=placeholders(kind),
    )


@route(
    bp,
    PATH,
    "PUT",
    summary="Replace a notification template (checked in the sandbox first)",
    tag=TAG,
    roles=MANAGE,
    body="chalicelib.notifications.api.template_models:TemplateIn",
    response="chalicelib.notifications.api.template_models:TemplateOut",
    description=(
        "422 `template_too_large` past 20,000 characters (all parts together); "
        "422 `template_refused` (with the part and line) when the sandbox refuses it."
    ),
)
def put_template(call: Call) -> TemplateOut:
    from chalicelib.notifications.api.template_models import TemplateIn, TemplateOut
    from chalicelib.notifications.services.content import placeholders
    from chalicelib.notifications.services.manage import save_template

    kind, channel, locale = _key(call)
    body: TemplateIn = call.body
    parts = save_template(call.ctx, kind, channel, locale, body.model_dump(exclude_none=True))
    return TemplateOut(
        kind=kind,
        channel=channel,
        locale=locale,
        source="tenant",
        parts=parts,
        placeholders=placeholders(kind),
    )


@route(
    bp,
    PATH,
    "DELETE",
    summary="Go back to the built-in template",
    tag=TAG,
    roles=MANAGE,
    status=204,
)
def delete_template(call: Call) -> None:
    from chalicelib.notifications.services.manage import reset_template

    reset_template(call.ctx, *_key(call))
