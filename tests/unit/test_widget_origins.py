"""Widget origins are kept in the form a browser sends in `Origin`, so a check compares
strings (tenancy/domain/origins.py)."""

from __future__ import annotations

import pytest

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.tenancy.domain.origins import MAX_ORIGINS, normalise_origin, validate_origins


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        ("https://www.example.com", "https://www.example.com"),
        ("  HTTPS://WWW.Example.COM/ ", "https://www.example.com"),
        ("https://shop.example.com:443", "https://shop.example.com"),
        ("https://shop.example.com:8443", "https://shop.example.com:8443"),
        ("https://xn--bcher-kva.example", "https://xn--bcher-kva.example"),
        ("http://localhost:5173", "http://localhost:5173"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("http://[::1]:3000", "http://[::1]:3000"),
        ("https://example.com:0443", "https://example.com"),
    ],
)
def test_an_origin_is_kept_as_a_browser_sends_it(text, origin):
    assert normalise_origin(text) == origin


@pytest.mark.parametrize(
    "text",
    [
        "http://www.example.com",  # plain http off the developer's own machine
        "https://www.example.com/shop",
        "https://www.example.com?x=1",
        "https://user@www.example.com",
        "https://*.example.com",
        "https://-bad.example.com",
        "https://bücher.example",  # IDNs in their xn-- form, as browsers send them
        "https://example.com:0",
        "https://example.com:70000",
        "file:///etc/passwd",
        "null",
        "",
        "https://" + "a" * 300 + ".com",
    ],
)
def test_anything_else_is_invalid_origin(text):
    with pytest.raises(InvalidInput) as raised:
        normalise_origin(text)
    assert raised.value.code == "invalid_origin"


def test_a_list_is_deduplicated_sorted_and_bounded():
    assert validate_origins(["https://b.example", "https://A.example/", "https://b.example"]) == (
        "https://a.example",
        "https://b.example",
    )
    with pytest.raises(InvalidInput):
        validate_origins([f"https://s{i}.example" for i in range(MAX_ORIGINS + 1)])
