"""`python -m local.dev --port 8100`: the app is told where it answers, so the links its
e-mails carry (a campaign's unsubscribe link, built on `public_base_url`) point at this stack
and not at the default port 8000 of another."""

from __future__ import annotations

from chalicelib.settings import from_environ
from local.dev import addresses_environment, parse_args


def test_the_public_base_url_follows_the_port_the_api_is_started_on():
    args = parse_args(["--port", "8100", "--console-port", "8105"])
    env = addresses_environment(args.port, args.console_port)
    settings = from_environ(env)
    assert settings.public_base_url == "http://127.0.0.1:8100"
    assert settings.console_origin == "http://127.0.0.1:8105"
    assert parse_args([]).port == 8000  # the default, whose links the default URL names
    assert from_environ(addresses_environment(8000, 8005)).public_base_url == (
        from_environ({}).public_base_url
    )
