"""A message's words from its template: the tenant's own, or the built-in one when the
tenant's fails, overruns its budget, or makes a text message longer than is sent (and the
tenant is told, `template.fallback`). Rendering runs in the sandbox (sandbox.py).
"""

from __future__ import annotations

from typing import Any

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.text import one_line
from chalicelib.kernel.services.once import run_once
from chalicelib.notifications.services import sandbox
from chalicelib.notifications.services.template_ports import NotificationsContext
from chalicelib.notifications.services.templates import MAX_SMS, builtin


def render_message(
    ctx: NotificationsContext,
    kind: str,
    channel: str,
    locale: str,
    data: dict[str, Any],
    own: dict[str, str] | None,
) -> dict[str, str]:
    """Render the tenant's own template (`own`, read with the kind's others: `of_kind`) if it
    has one, else the built-in, in the sandbox. A tenant template that fails or overruns its
    budget now (it passed when saved, but the data differ) gives way to the built-in one, so
    the customer still hears from us, and the tenant is told (tell_fallback)."""
    from chalicelib.observability import logger

    if not own:
        return sandbox.render(builtin(kind, channel, locale), data)
    try:
        return sandbox.render(own, data)
    except InvalidInput as exc:
        logger.warning(
            "tenant template failed; using the built-in one",
            extra={
                "tenant_id": ctx.tenant.id,
                "kind": kind,
                "channel": channel,
                "why": exc.message,
            },
        )
        tell_fallback(ctx, kind, channel, locale, exc.message)
        return sandbox.render(builtin(kind, channel, locale), data)


def tell_fallback(
    ctx: NotificationsContext, kind: str, channel: str, locale: str, reason: str
) -> None:
    """An audit entry `template.fallback` (GET /v1/audit) naming the template and why, at
    most once a day per template however many messages it spoils."""
    target = f"template:{kind}/{channel}/{locale}"
    run_once(
        ctx,
        f"template-fallback#{kind}/{channel}/{locale}#{ctx.now()[:10]}",
        lambda: ctx.audit("template.fallback", target, reason=reason[:500], used="builtin"),
        ledger=ctx.data.ledger,  # once a day across events, not once per event
    )


def clipped(text: str, limit: int) -> str:
    """What a template rendered, as one line: a subject header or a text message. Control
    characters a template can render from escapes (`{{ "\\n" }}`) become spaces too."""
    return one_line(text)[:limit]


def sms_text(
    ctx: NotificationsContext,
    kind: str,
    locale: str,
    data: dict[str, Any],
    own: dict[str, str] | None,
) -> str:
    """The text message, never cut: a tenant's template that renders longer than MAX_SMS
    with this booking's data gives way to the built-in one, and the tenant is told
    (`template.fallback`), as for one that fails (templates.py says why)."""
    text = one_line(render_message(ctx, kind, "sms", locale, data, own)["text"])
    if len(text) <= MAX_SMS or not own:
        return text[:MAX_SMS]
    why = f"the text message came to {len(text)} characters, more than the {MAX_SMS} sent"
    tell_fallback(ctx, kind, "sms", locale, why)
    return clipped(sandbox.render(builtin(kind, "sms", locale), data)["text"], MAX_SMS)
