"""CognitoTokenVerifier: which tokens pass and which are refused, with which code.

No I/O: the key pair is made here, the JWKS is handed in through `fetch_jwks`, and the clock is
injected, so expiry and the refetch interval are exact.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from chalicelib.kernel.domain.errors import TransientFailure, Unauthenticated
from chalicelib.tenancy.adapters.cognito import CognitoTokenVerifier

POOL = "us-east-1_TestPool"
ISSUER = f"https://cognito-idp.us-east-1.amazonaws.com/{POOL}"
CLIENT_ID = "app-client-1"
JWKS_URL = f"{ISSUER}/.well-known/jwks.json"
KID = "key-1"
NOW = 1_800_000_000.0


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _new_key()
OTHER_KEY = _new_key()


def _jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "alg": "RS256", "use": "sig"}


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class JwksEndpoint:
    """Stands in for the pool's JWKS address; counts how often it is asked."""

    def __init__(self, *jwks: dict[str, Any]) -> None:
        self.keys = list(jwks)
        self.calls: list[str] = []

    def __call__(self, url: str) -> dict[str, Any]:
        self.calls.append(url)
        return {"keys": list(self.keys)}


def _claims(**changes: Any) -> dict[str, Any]:
    claims = {
        "sub": "6f613a42-c46e-46dd-a896-03ee2c9660e6",
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "token_use": "id",
        "email": "owner@example.com",
        "iat": int(NOW),
        "auth_time": int(NOW),
        "exp": int(NOW) + 3600,
    }
    claims.update(changes)
    return claims


def _token(
    claims: dict[str, Any] | None = None,
    *,
    key: rsa.RSAPrivateKey = SIGNING_KEY,
    kid: str = KID,
) -> str:
    return jwt.encode(claims or _claims(), key, algorithm="RS256", headers={"kid": kid})


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned_token(header: dict[str, Any], claims: dict[str, Any]) -> str:
    parts = (json.dumps(header).encode(), json.dumps(claims).encode())
    return ".".join(_b64(part) for part in parts) + "."


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def endpoint() -> JwksEndpoint:
    return JwksEndpoint(_jwk(SIGNING_KEY, KID))


@pytest.fixture
def verifier(clock: Clock, endpoint: JwksEndpoint) -> CognitoTokenVerifier:
    return CognitoTokenVerifier(
        issuer=ISSUER, audience=CLIENT_ID, jwks_url=JWKS_URL, fetch_jwks=endpoint, now=clock
    )


def _refused(verifier: CognitoTokenVerifier, token: Any) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as caught:
        verifier.verify(token)
    return caught.value


def test_valid_id_token_passes_and_returns_its_claims(verifier: CognitoTokenVerifier) -> None:
    assert verifier.verify(_token()) == _claims()


def test_jwks_is_fetched_lazily_once_and_cached(
    verifier: CognitoTokenVerifier, endpoint: JwksEndpoint
) -> None:
    assert endpoint.calls == []
    verifier.verify(_token())
    verifier.verify(_token())
    assert endpoint.calls == [JWKS_URL]


def test_expired_token_is_refused_as_expired(verifier: CognitoTokenVerifier, clock: Clock) -> None:
    clock.now = NOW + 3600 + 31
    error = _refused(verifier, _token())
    assert error.code == "token_expired"
    assert "expired" in error.message


def test_expiry_allows_the_leeway_for_clock_skew(
    verifier: CognitoTokenVerifier, clock: Clock
) -> None:
    clock.now = NOW + 3600 + 30
    assert verifier.verify(_token())["sub"]


def test_token_for_another_app_client_is_refused(verifier: CognitoTokenVerifier) -> None:
    assert _refused(verifier, _token(_claims(aud="other-client"))).code == "invalid_audience"


def test_audience_list_is_not_a_cognito_id_token(verifier: CognitoTokenVerifier) -> None:
    token = _token(_claims(aud=[CLIENT_ID, "other-client"]))
    assert _refused(verifier, token).code == "invalid_audience"


def test_token_from_another_user_pool_is_refused(verifier: CognitoTokenVerifier) -> None:
    other_pool = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"
    assert _refused(verifier, _token(_claims(iss=other_pool))).code == "invalid_issuer"


def test_token_forged_with_another_key_under_our_kid_is_refused(
    verifier: CognitoTokenVerifier,
) -> None:
    error = _refused(verifier, _token(key=OTHER_KEY, kid=KID))
    assert error.code == "invalid_token"
    assert "signature" in error.message


def test_tampered_claims_break_the_signature(verifier: CognitoTokenVerifier) -> None:
    header, _, signature = _token().split(".")
    forged_claims = _b64(json.dumps(_claims(sub="someone-else")).encode())
    assert _refused(verifier, f"{header}.{forged_claims}.{signature}").code == "invalid_token"


def test_unsigned_alg_none_token_is_refused(verifier: CognitoTokenVerifier) -> None:
    token = _unsigned_token({"alg": "none", "typ": "JWT", "kid": KID}, _claims())
    assert _refused(verifier, token).code == "invalid_token"


def test_hs256_keyed_with_the_public_key_is_refused(verifier: CognitoTokenVerifier) -> None:
    public_pem = SIGNING_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # PyJWT refuses to HMAC with a PEM key, so build the token by hand, as an attacker would.
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KID}).encode())
    payload = _b64(json.dumps(_claims()).encode())
    mac = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert _refused(verifier, f"{header}.{payload}.{_b64(mac)}").code == "invalid_token"


def test_other_rsa_algorithms_are_refused(verifier: CognitoTokenVerifier) -> None:
    token = jwt.encode(_claims(), SIGNING_KEY, algorithm="RS512", headers={"kid": KID})
    assert _refused(verifier, token).code == "invalid_token"


def test_access_token_is_not_accepted_as_an_id_token(verifier: CognitoTokenVerifier) -> None:
    claims = _claims(token_use="access", client_id=CLIENT_ID)
    del claims["aud"]  # Cognito access tokens carry client_id, not aud
    error = _refused(verifier, _token(claims))
    assert error.code == "invalid_token"
    assert "ID token" in error.message


def test_token_without_expiry_is_refused(verifier: CognitoTokenVerifier) -> None:
    claims = _claims()
    del claims["exp"]
    assert _refused(verifier, _token(claims)).code == "invalid_token"


def test_token_issued_in_the_future_is_refused(verifier: CognitoTokenVerifier) -> None:
    token = _token(_claims(iat=int(NOW) + 600, exp=int(NOW) + 4200))
    assert _refused(verifier, token).code == "invalid_token"


def test_token_without_kid_is_refused(verifier: CognitoTokenVerifier) -> None:
    token = jwt.encode(_claims(), SIGNING_KEY, algorithm="RS256")
    assert _refused(verifier, token).code == "invalid_token"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "not-a-token",
        "a.b.c",
        "....",
        "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln",  # header ok, payload not JSON
        _b64(b"[1, 2]") + ".e30.c2ln",  # header is not an object
        "x" * 20_000,
        None,
        b"bytes.are.not.tokens",
    ],
)
def test_garbage_is_refused_as_invalid_token(verifier: CognitoTokenVerifier, garbage: Any) -> None:
    assert _refused(verifier, garbage).code == "invalid_token"


def test_error_messages_never_echo_the_token(verifier: CognitoTokenVerifier, clock: Clock) -> None:
    token = _token()
    clock.now = NOW + 86_400
    error = _refused(verifier, token)
    assert token not in str(error)
    assert token.split(".")[1] not in str(error)
    assert error.details == {}


def test_unknown_kid_refetches_once_then_is_refused(
    verifier: CognitoTokenVerifier, endpoint: JwksEndpoint, clock: Clock
) -> None:
    verifier.verify(_token())  # first fetch
    clock.now += 61
    error = _refused(verifier, _token(key=OTHER_KEY, kid="made-up"))
    assert error.code == "invalid_token"
    assert len(endpoint.calls) == 2


def test_second_unknown_kid_within_a_minute_does_not_refetch(
    verifier: CognitoTokenVerifier, endpoint: JwksEndpoint, clock: Clock
) -> None:
    verifier.verify(_token())
    clock.now += 61
    _refused(verifier, _token(key=OTHER_KEY, kid="made-up-1"))
    clock.now += 59
    _refused(verifier, _token(key=OTHER_KEY, kid="made-up-2"))
    assert len(endpoint.calls) == 2


def test_unknown_kid_right_after_the_first_fetch_does_not_refetch(
    verifier: CognitoTokenVerifier, endpoint: JwksEndpoint
) -> None:
    assert _refused(verifier, _token(key=OTHER_KEY, kid="made-up")).code == "invalid_token"
    assert len(endpoint.calls) == 1


def test_rotated_key_is_picked_up_by_the_refetch(
    verifier: CognitoTokenVerifier, endpoint: JwksEndpoint, clock: Clock
) -> None:
    verifier.verify(_token())
    endpoint.keys.append(_jwk(OTHER_KEY, "key-2"))
    clock.now += 300
    assert verifier.verify(_token(key=OTHER_KEY, kid="key-2"))["token_use"] == "id"
    assert len(endpoint.calls) == 2


def test_jwks_entries_that_are_not_rs256_signing_keys_are_ignored(clock: Clock) -> None:
    bad_entries = [
        {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
        {**_jwk(OTHER_KEY, "enc"), "use": "enc"},
        {"kty": "RSA", "kid": "broken", "n": "!!!", "e": "AQAB"},
        "not-a-key",
    ]
    endpoint = JwksEndpoint(*bad_entries, _jwk(SIGNING_KEY, KID))
    verifier = CognitoTokenVerifier(
        issuer=ISSUER, audience=CLIENT_ID, jwks_url=JWKS_URL, fetch_jwks=endpoint, now=clock
    )
    assert verifier.verify(_token())["sub"]
    assert _refused(verifier, _token(key=OTHER_KEY, kid="enc")).code == "invalid_token"


def test_jwks_fetch_failure_is_transient_and_retried_on_the_next_request(clock: Clock) -> None:
    calls: list[str] = []

    def failing_then_working(url: str) -> dict[str, Any]:
        calls.append(url)
        if len(calls) == 1:
            raise TransientFailure("down", code="jwks_unavailable")
        return {"keys": [_jwk(SIGNING_KEY, KID)]}

    verifier = CognitoTokenVerifier(
        issuer=ISSUER,
        audience=CLIENT_ID,
        jwks_url=JWKS_URL,
        fetch_jwks=failing_then_working,
        now=clock,
    )
    with pytest.raises(TransientFailure):
        verifier.verify(_token())
    assert verifier.verify(_token())["sub"]


def test_malformed_jwks_document_is_a_transient_failure(clock: Clock) -> None:
    verifier = CognitoTokenVerifier(
        issuer=ISSUER,
        audience=CLIENT_ID,
        jwks_url=JWKS_URL,
        fetch_jwks=lambda url: {"no": "keys"},
        now=clock,
    )
    with pytest.raises(TransientFailure) as caught:
        verifier.verify(_token())
    assert caught.value.code == "jwks_unavailable"


def test_jwks_address_must_be_http() -> None:
    with pytest.raises(ValueError):
        CognitoTokenVerifier(issuer=ISSUER, audience=CLIENT_ID, jwks_url="file:///etc/passwd")
