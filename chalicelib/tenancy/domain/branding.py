"""The branding of the booking widget: its primary colour, the business's logo and the
language it speaks when the page does not say.

The widget writes its buttons' labels in white on the primary colour, so a colour is taken
only when white text on it reaches WCAG 2's contrast for normal text, 4.5:1 (a pale yellow
would make "Book" unreadable to many customers); the focus ring is drawn apart from it, so
the colour never hides where the keyboard is. The logo is an https address (the widget runs on
https pages: an http image would be blocked as mixed content) of at most 500 characters.
"""

from __future__ import annotations

import math
import re

from chalicelib.kernel.domain.business import Branding
from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.tenancy.domain.business import public_url

MIN_CONTRAST = 4.5  # WCAG 2.x, 1.4.3: normal text
MAX_LOGO_CHARS = 500
WIDGET_LANGUAGES = ("en", "zh-Hans")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of "#rrggbb" (0 black, 1 white)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


def validate_colour(text: str) -> str:
    """ "#rrggbb" in lower case, dark enough for white text; "" (the widget's own) stays."""
    colour = text.strip().lower()
    if not colour:
        return ""
    if not _COLOUR.match(colour):
        raise InvalidInput(
            f"{text!r} is no colour: write it as # and six hexadecimal digits, such as #1f6feb.",
            code="invalid_brand_colour",
            field="branding.primary_colour",
        )
    ratio = contrast_with_white(colour)
    if ratio < MIN_CONTRAST:
        shown = math.floor(ratio * 100) / 100  # 4.4996 is below 4.5: never said as 4.50
        raise InvalidInput(
            f"White text on {colour} has a contrast of {shown:.2f}:1, below the "
            f"{MIN_CONTRAST}:1 that makes the widget's buttons readable: choose a darker colour.",
            code="brand_colour_low_contrast",
            field="branding.primary_colour",
            contrast=shown,
            minimum=MIN_CONTRAST,
        )
    return colour


def validate_language(text: str) -> str:
    if text and text not in WIDGET_LANGUAGES:
        raise InvalidInput(
            f"The widget speaks {' and '.join(WIDGET_LANGUAGES)}.",
            code="invalid_widget_language",
            field="branding.widget_language",
        )
    return text


def validate_branding(branding: Branding) -> Branding:
    return Branding(
        primary_colour=validate_colour(branding.primary_colour),
        logo_url=public_url(
            branding.logo_url,
            schemes=("https",),
            limit=MAX_LOGO_CHARS,
            field="branding.logo_url",
            code="invalid_logo_url",
        ),
        widget_language=validate_language(branding.widget_language),
    )
