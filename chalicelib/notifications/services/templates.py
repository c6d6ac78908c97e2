"""The built-in templates (files beside this module) and which one a message uses.

One template per kind x channel x locale, in parts: e-mail has subject, text and html; SMS has
text. A file holds its parts as sections (`== subject ==` on a line of its own, then the part).
A tenant's override (TemplateStore) has the same parts and wins over the file. Reading them is
here (no template engine loaded); saving one, which renders it in the sandbox, is manage.py.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from chalicelib.kernel.domain.errors import NotFound
from chalicelib.kernel.domain.tenant import MESSAGE_KINDS
from chalicelib.notifications.services.template_ports import NotificationsContext

KINDS = MESSAGE_KINDS
# What a text message may be as sent: three concatenated segments of GSM text (fewer for
# Chinese, 70 a segment). A tenant's template longer than this with sample data is refused
# when saved, and one that renders longer with real data gives way to the built-in one: a text
# cut there lost its end, the manage link (an outside tester's).
MAX_SMS = 480

CHANNELS = {"email": ("subject", "text", "html"), "sms": ("text",)}
CHANNEL_NAMES = {"email": "e-mail", "sms": "SMS"}  # as messages to people name them
LOCALES = ("en", "zh-Hans")
DEFAULT_LOCALE = "en"
_DIR = Path(__file__).parent / "templates"


def pick_locale(*tags: str | None) -> str:
    """The first supported locale among the tags (customer's, then tenant's); else English.
    zh, zh-CN, zh-Hans-CN and zh-SG are Simplified Chinese; zh-Hant and zh-TW are not."""
    for tag in tags:
        if not tag:
            continue
        if tag in LOCALES:
            return tag
        parts = tag.replace("_", "-").split("-")
        language = parts[0].lower()
        if language == "zh":
            rest = {p.upper() for p in parts[1:]}
            if not rest & {"HANT", "TW", "HK", "MO"}:
                return "zh-Hans"
            continue
        if language in LOCALES:
            return language
    return DEFAULT_LOCALE


def check_key(kind: str, channel: str, locale: str) -> None:
    if kind not in KINDS or channel not in CHANNELS or locale not in LOCALES:
        raise NotFound(
            "No such template.",
            code="template_not_found",
            kinds=list(KINDS),
            channels=sorted(CHANNELS),
            locales=list(LOCALES),
        )


def overridden(ctx: NotificationsContext) -> list[tuple[str, str, str]]:
    """(kind, channel, locale) of every template the tenant replaced (one Query)."""
    return list(ctx.data.templates.list())


def in_use(
    ctx: NotificationsContext, kind: str, channel: str, locale: str
) -> tuple[dict[str, str], bool]:
    """The parts a message of this kind uses, and whether they are the tenant's own (else the
    built-in template's)."""
    check_key(kind, channel, locale)
    own = ctx.data.templates.get(kind, channel, locale)
    return (own, True) if own else (builtin(kind, channel, locale), False)


@lru_cache(maxsize=64)
def builtin(kind: str, channel: str, locale: str) -> dict[str, str]:
    check_key(kind, channel, locale)
    source = (_DIR / locale / f"{kind}.{channel}.txt").read_text(encoding="utf-8")
    return parse_sections(source)


def parse_sections(source: str) -> dict[str, str]:
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("== ") and stripped.endswith(" ==") and len(stripped) > 6:
            current = parts.setdefault(stripped[3:-3].strip(), [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip("\n") for name, lines in parts.items()}
