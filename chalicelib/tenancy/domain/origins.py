"""The web origins a tenant's booking widget may run on.

A browser names the page a request comes from in `Origin` (`scheme://host[:port]`, nothing
else). A tenant lists the origins of its own website; the API answers its publishable key's
requests from those origins and refuses them from any other (web/cors.py). The list is kept
in the canonical form a browser sends, so a check is a string comparison: lower-case scheme
and host, no default port, no path, no trailing slash.

An origin is https, or http on a loopback host (a developer trying the widget on their own
machine). A publishable key is public: the list does not protect the key (a server can send
any `Origin`), it keeps other websites from embedding the tenant's widget in a browser.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from chalicelib.kernel.domain.errors import InvalidInput

MAX_ORIGINS = 20
MAX_PAGE_CHARS = 200  # the link rides in text messages too
# What a link may carry as it is (RFC 3986's path and query characters): a space or a quote
# would break it in a plain-text e-mail or a text message.
_URL_SAFE = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$")
_DEFAULT_PORTS = {"https": "443", "http": "80"}
_LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
# A host name (letters, digits, hyphens, dots; IDNs in their xn-- form) or an IPv4 address;
# [::1] is the one IPv6 literal taken (loopback, for developers).
_ORIGIN = re.compile(
    r"^(?P<scheme>[a-z]+)://"
    r"(?P<host>\[::1\]|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)"
    r"(?::(?P<port>[0-9]{1,5}))?$"
)


def normalise_origin(text: str) -> str:
    """`text` in the form a browser sends it; InvalidInput (`invalid_origin`) when it is not
    an origin a widget may run on."""
    candidate = text.strip().lower().removesuffix("/")
    match = _ORIGIN.match(candidate) if len(candidate) <= 300 else None
    if match is None or match["scheme"] not in _DEFAULT_PORTS:
        raise InvalidInput(
            f"{text!r} is no web origin: write scheme, host and port only, "
            "such as https://www.example.com.",
            code="invalid_origin",
            field="widget_origins",
        )
    scheme, host, port = match["scheme"], match["host"], match["port"]
    if scheme == "http" and host not in _LOOPBACK:
        raise InvalidInput(
            f"{text!r} is not https: a widget takes payments and personal details, so it "
            "runs on https pages only (http on localhost for testing).",
            code="invalid_origin",
            field="widget_origins",
        )
    if port is not None and not 1 <= int(port) <= 65535:
        raise InvalidInput(
            f"{text!r} has no valid port.", code="invalid_origin", field="widget_origins"
        )
    if port is None or port.lstrip("0") == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{int(port)}"


def validate_origins(texts: list[str]) -> tuple[str, ...]:
    """The canonical, de-duplicated, sorted list; at most MAX_ORIGINS."""
    origins = tuple(sorted({normalise_origin(t) for t in texts}))
    if len(origins) > MAX_ORIGINS:
        raise InvalidInput(
            f"List at most {MAX_ORIGINS} origins.", code="invalid_origin", field="widget_origins"
        )
    return origins


def validate_booking_page(url: str, origins: tuple[str, ...]) -> str:
    """The page of the tenant's website that has the widget, where the manage links in its
    customers' messages lead ("" for none): https (or http on localhost), on one of the
    widget's origins, with no fragment (the link puts the order and its token there)."""
    text = url.strip()
    if not text:
        return ""
    parts = urlsplit(text) if len(text) <= MAX_PAGE_CHARS else None
    origin = f"{parts.scheme}://{parts.netloc}" if parts and parts.netloc else ""
    try:
        canonical = normalise_origin(origin)
    except InvalidInput:
        canonical = ""
    rest = f"{parts.path}?{parts.query}" if parts else ""
    if parts is None or not canonical or parts.fragment or not _URL_SAFE.match(rest):
        raise InvalidInput(
            "booking_page is the address of your page with the booking widget, such as "
            "https://www.example.com/book (no #fragment).",
            code="invalid_booking_page",
            field="booking_page",
        )
    if canonical not in origins:
        raise InvalidInput(
            f"The booking page is on {canonical}, which is not one of widget_origins: the "
            "widget would refuse to run there.",
            code="booking_page_not_on_widget_origin",
            field="booking_page",
        )
    query = f"?{parts.query}" if parts.query else ""
    return f"{canonical}{parts.path or '/'}{query}"
