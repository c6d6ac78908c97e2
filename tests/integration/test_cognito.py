"""The Cognito adapter against moto in server mode: real users, real tokens, real JWKS over HTTP.

moto facts these tests rely on (checked against moto 5.2.5, see LOCAL-STACK.md): ID tokens are
RS256 with kid "dummy"; the JWKS is served at http://HOST:PORT/{pool_id}/.well-known/jwks.json;
the token's `iss` is the AWS form https://cognito-idp.{region}.amazonaws.com/{pool_id}; a
disabled user's initiate_auth fails with NotAuthorizedException "User is disabled.".
"""

from __future__ import annotations

import json
import socket
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import jwt
import pytest
from botocore.exceptions import ClientError
from moto.server import ThreadedMotoServer

from chalicelib.kernel.domain.errors import (
    InvalidInput,
    NotFound,
    TransientFailure,
    Unauthenticated,
)
from chalicelib.tenancy.adapters.cognito import CognitoStaffDirectory, CognitoTokenVerifier
from local.resources import create_user_pool

REGION = "us-east-1"
PASSWORD = "Correct-Horse-9-Battery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@dataclass(frozen=True)
class Pool:
    endpoint: str
    cognito: Any
    pool_id: str
    client_id: str

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{REGION}.amazonaws.com/{self.pool_id}"

    @property
    def jwks_url(self) -> str:
        return f"{self.endpoint}/{self.pool_id}/.well-known/jwks.json"

    def verifier(self, **overrides: Any) -> CognitoTokenVerifier:
        options: dict[str, Any] = {
            "issuer": self.issuer,
            "audience": self.client_id,
            "jwks_url": self.jwks_url,
        }
        return CognitoTokenVerifier(**(options | overrides))

    def sign_in(self, email: str, *, client_id: str | None = None) -> dict[str, str]:
        response = self.cognito.initiate_auth(
            ClientId=client_id or self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": PASSWORD},
        )
        return response["AuthenticationResult"]


@pytest.fixture(scope="module")
def pool(moto_endpoint: str) -> Pool:
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=moto_endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    # The pool exactly as the local stack makes it (e-mail as user name, no client secret).
    pool_id, client_id = create_user_pool(cognito)
    return Pool(moto_endpoint, cognito, pool_id, client_id)


@pytest.fixture
def directory(pool: Pool) -> CognitoStaffDirectory:
    return CognitoStaffDirectory(pool.cognito, pool.pool_id)


@dataclass(frozen=True)
class Staff:
    email: str
    sub: str


@pytest.fixture
def staff(directory: CognitoStaffDirectory) -> Staff:
    email = f"staff-{uuid.uuid4().hex[:12]}@example.com"
    sub = directory.create_user(email=email, name="Ada Staff", tenant_id="t_demo")
    directory.set_password(email, PASSWORD)
    return Staff(email, sub)


def test_creating_the_same_user_twice_returns_the_same_sub(
    directory: CognitoStaffDirectory, pool: Pool
) -> None:
    email = f"owner-{uuid.uuid4().hex[:12]}@example.com"
    first = directory.create_user(email=email, name="Olu Owner", tenant_id="t_demo")
    second = directory.create_user(email=email, name="Olu Owner", tenant_id="t_demo")
    assert first == second
    user = pool.cognito.admin_get_user(UserPoolId=pool.pool_id, Username=email)
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes == {
        "sub": first,
        "email": email,
        "name": "Olu Owner",
        "email_verified": "true",
    }


def test_moto_signs_with_kid_dummy_and_serves_the_jwks_at_the_pool_address(
    pool: Pool, staff: Staff
) -> None:
    id_token = pool.sign_in(staff.email)["IdToken"]
    assert jwt.get_unverified_header(id_token) == {"typ": "JWT", "kid": "dummy", "alg": "RS256"}
    assert jwt.decode(id_token, options={"verify_signature": False})["iss"] == pool.issuer
    with urllib.request.urlopen(pool.jwks_url, timeout=5) as response:
        kids = [key["kid"] for key in json.load(response)["keys"]]
    assert kids == ["dummy"]


def test_a_real_id_token_is_accepted(pool: Pool, staff: Staff) -> None:
    claims = pool.verifier().verify(pool.sign_in(staff.email)["IdToken"])
    assert claims["sub"] == staff.sub
    assert claims["email"] == staff.email
    assert claims["aud"] == pool.client_id
    assert claims["token_use"] == "id"


def test_an_access_token_is_refused(pool: Pool, staff: Staff) -> None:
    with pytest.raises(Unauthenticated) as caught:
        pool.verifier().verify(pool.sign_in(staff.email)["AccessToken"])
    assert caught.value.code == "invalid_token"


def test_a_token_from_another_app_client_is_refused(pool: Pool, staff: Staff) -> None:
    other_client = pool.cognito.create_user_pool_client(
        UserPoolId=pool.pool_id,
        ClientName=f"other-{uuid.uuid4().hex[:8]}",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    id_token = pool.sign_in(staff.email, client_id=other_client)["IdToken"]
    with pytest.raises(Unauthenticated) as caught:
        pool.verifier().verify(id_token)
    assert caught.value.code == "invalid_audience"


def test_the_same_token_two_hours_later_is_expired(pool: Pool, staff: Staff) -> None:
    id_token = pool.sign_in(staff.email)["IdToken"]
    later = pool.verifier(now=lambda: time.time() + 2 * 3600)
    with pytest.raises(Unauthenticated) as caught:
        later.verify(id_token)
    assert caught.value.code == "token_expired"


def test_a_disabled_user_cannot_sign_in_until_enabled_again(
    directory: CognitoStaffDirectory, pool: Pool, staff: Staff
) -> None:
    directory.disable_user(staff.email)
    with pytest.raises(ClientError) as caught:
        pool.sign_in(staff.email)
    assert caught.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert caught.value.response["Error"]["Message"] == "User is disabled."

    directory.enable_user(staff.email)
    assert pool.verifier().verify(pool.sign_in(staff.email)["IdToken"])["sub"] == staff.sub


def test_disabling_an_unknown_user_is_not_found(directory: CognitoStaffDirectory) -> None:
    with pytest.raises(NotFound) as caught:
        directory.disable_user("nobody@example.com")
    assert caught.value.code == "user_not_found"
    assert isinstance(caught.value.__cause__, ClientError)


def test_a_password_that_breaks_the_policy_is_invalid_input(
    directory: CognitoStaffDirectory, staff: Staff
) -> None:
    with pytest.raises(InvalidInput) as caught:
        directory.set_password(staff.email, "short")
    assert caught.value.code == "invalid_password"


def test_a_user_name_that_is_not_an_email_is_invalid_input(
    directory: CognitoStaffDirectory,
) -> None:
    # The pool signs in by e-mail, so Cognito (and moto) refuse other user names.
    with pytest.raises(InvalidInput):
        directory.create_user(email="not-an-email", name="Nobody", tenant_id="t_demo")


def test_an_unreachable_jwks_address_is_a_transient_failure(pool: Pool, staff: Staff) -> None:
    id_token = pool.sign_in(staff.email)["IdToken"]
    closed = f"http://127.0.0.1:{_free_port()}/{pool.pool_id}/.well-known/jwks.json"
    with pytest.raises(TransientFailure) as caught:
        pool.verifier(jwks_url=closed).verify(id_token)
    assert caught.value.code == "jwks_unavailable"
