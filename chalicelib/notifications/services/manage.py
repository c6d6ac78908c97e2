"""Saving and removing a tenant's own templates (the checks happen here, not at send time)."""

from __future__ import annotations

from chalicelib.kernel.domain.errors import InvalidInput, NotFound
from chalicelib.kernel.domain.text import one_line, with_article
from chalicelib.notifications.services import sandbox, template_check
from chalicelib.notifications.services.content import sample_contexts
from chalicelib.notifications.services.template_ports import NotificationsContext
from chalicelib.notifications.services.templates import (
    CHANNEL_NAMES,
    CHANNELS,
    MAX_SMS,
    check_key,
)


def save_template(
    ctx: NotificationsContext, kind: str, channel: str, locale: str, parts: dict[str, str]
) -> dict[str, str]:
    """Check the size and every part statically, then render every part against several
    sample messages in the sandbox; store it only if all of that passes."""
    check_key(kind, channel, locale)
    wanted = set(CHANNELS[channel])
    if set(parts) != wanted:
        raise InvalidInput(
            f"{with_article(CHANNEL_NAMES[channel], start=True)} template has exactly these parts: "
            f"{', '.join(CHANNELS[channel])}.",
            code="template_parts",
            expected=list(CHANNELS[channel]),
            got=sorted(parts),
        )
    template_check.check_size(parts)
    for sample in sample_contexts(kind, locale):
        for part, source in parts.items():
            said = sandbox.render_part(part, source, sample)
            if channel == "sms" and len(one_line(said)) > MAX_SMS:
                raise InvalidInput(
                    f"A text message is at most {MAX_SMS} characters as sent; this one comes "
                    f"to {len(one_line(said))} with a sample booking (a longer one would be "
                    "cut, and a link at its end broken).",
                    code="sms_too_long",
                    limit=MAX_SMS,
                    size=len(one_line(said)),
                )
    ctx.data.templates.put(kind, channel, locale, parts, ctx.now())
    ctx.audit("template.saved", f"template:{kind}/{channel}/{locale}")
    return parts


def reset_template(ctx: NotificationsContext, kind: str, channel: str, locale: str) -> None:
    check_key(kind, channel, locale)
    if not ctx.data.templates.delete(kind, channel, locale):
        raise NotFound("The tenant has no template of its own here.", code="template_not_found")
    ctx.audit("template.reset", f"template:{kind}/{channel}/{locale}")
