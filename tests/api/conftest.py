"""API tier: the real Chalice app through chalice.test.Client, with the ports faked.

Staff tokens are real RS256 JWTs signed by a key made here and verified by the real
CognitoTokenVerifier against that key's JWKS, so the token checks run for real.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from chalice.test import Client
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib import bootstrap
from chalicelib.queues import PROVISIONING
from chalicelib.tenancy.adapters.cognito import CognitoTokenVerifier
from local.gateway import with_default_route
from tests.fakes import FakeContainer

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_testpool"
AUDIENCE = "test-app-client"
KID = "test-key-1"


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def jwks(signing_key: rsa.RSAPrivateKey) -> dict[str, Any]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    public.update({"kid": KID, "alg": "RS256", "use": "sig"})
    return {"keys": [public]}


@dataclass
class Api:
    client: Client
    container: FakeContainer
    signing_key: Any

    # -- requests --------------------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        *,
        auth: str | None = None,
        body: Any = None,
        raw: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if auth:
            all_headers["Authorization"] = f"Bearer {auth}"
        payload = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs: dict[str, Any] = {"headers": all_headers}
        if payload is not None:
            kwargs["body"] = payload
        response = getattr(self.client.http, method.lower())(path, **kwargs)
        kind = response.headers.get("Content-Type", "application/json")
        is_json = kind.startswith("application/json") or kind.startswith("application/problem")
        response.data = json.loads(response.body) if response.body and is_json else None
        return response

    # -- tokens ----------------------------------------------------------------------------
    def token(
        self,
        sub: str,
        *,
        aud: str = AUDIENCE,
        iss: str = ISSUER,
        exp_in: int = 3600,
        token_use: str = "id",
        key: Any = None,
    ) -> str:
        now = int(self.container.clock.moment.timestamp())
        claims = {
            "sub": sub,
            "aud": aud,
            "iss": iss,
            "token_use": token_use,
            "iat": now,
            "exp": now + exp_in,
            "email": f"{sub}@example.test",
        }
        return jwt.encode(claims, key or self.signing_key, algorithm="RS256", headers={"kid": KID})

    # -- a whole tenant --------------------------------------------------------------------
    def signup(self, slug: str, *, email: str | None = None, **overrides: Any) -> dict[str, Any]:
        body = {
            "business_name": f"{slug.title()} Ltd",
            "slug": slug,
            "owner_email": email or f"owner@{slug}.example",
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            "locale": "en",
            "business_type": "hotel",
            **overrides,
        }
        response = self.call("POST", "/v1/signup", body=body)
        assert response.status_code == 202, response.body
        self.deliver_provisioning()
        return response.data

    def deliver_provisioning(self) -> dict[str, Any]:
        """Hand queued provisioning messages to the very handler Lambda invokes."""
        bodies = [json.dumps(b) for b in self.container.bus.take(PROVISIONING.name)]
        if not bodies:
            return {}
        event = self.client.events.generate_sqs_event(
            message_bodies=bodies, queue_name=PROVISIONING.name
        )
        for i, record in enumerate(event["Records"]):
            record["messageId"] = f"msg-{i}"
        return self.client.lambda_.invoke("provision", event).payload

    def owner_token(self, tenant: dict[str, Any]) -> str:
        user = next(
            u
            for u in self.container.platform.users.values()
            if u.tenant_id == tenant["tenant_id"] and u.role.value == "owner"
        )
        return self.token(user.id)

    def staff_token(self, tenant: dict[str, Any], role: str) -> str:
        """Invite a user of this role with the tenant's secret key; a token for them."""
        email = f"{role}-{time.monotonic_ns()}@{tenant['slug']}.example"
        response = self.call(
            "POST",
            "/v1/staff",
            auth=tenant["secret_key"],
            body={"email": email, "name": role.title(), "role": role},
        )
        assert response.status_code == 201, response.body
        return self.token(response.data["id"])


@pytest.fixture
def api(signing_key: Any, jwks: dict[str, Any]) -> Iterator[Api]:
    from app import app

    container: FakeContainer
    verifier = CognitoTokenVerifier(
        issuer=ISSUER,
        audience=AUDIENCE,
        jwks_url="http://127.0.0.1:9/jwks.json",
        fetch_jwks=lambda url: jwks,
        now=lambda: container.clock.moment.timestamp(),
    )
    container = FakeContainer(verifier)
    bootstrap.use(container)
    with Client(app) as client:
        # An unknown path reaches the app, as API Gateway's `$default` route sends it there.
        with_default_route(client.http._local_gateway)
        yield Api(client=client, container=container, signing_key=signing_key)
    bootstrap.use(None)
