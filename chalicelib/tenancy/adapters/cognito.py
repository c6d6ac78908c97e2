"""Amazon Cognito: verifying staff ID tokens, and managing the staff sign-in users.

The verifier checks tokens itself (signature, issuer, audience, expiry, token use) instead of
trusting an API Gateway authorizer, so `chalice local`, the tests and Lambda behave the same.

Cold start matters: importing this module loads neither PyJWT, cryptography nor boto3. PyJWT is
imported on the first `verify`, botocore only when a Cognito call has failed.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any, NoReturn

from chalicelib.kernel.domain.errors import (
    InvalidInput,
    NotFound,
    TransientFailure,
    Unauthenticated,
)
from chalicelib.tenancy.services.platform_ports import StaffDirectory, TokenVerifier

JwksFetcher = Callable[[str], dict[str, Any]]

# Cognito signs with RS256 only. Naming the one algorithm we accept closes the classic holes:
# `alg: none`, and HS256 keyed with the (public) RSA key as the HMAC secret.
_ALGORITHM = "RS256"
# A kid we do not know may mean Cognito rotated its keys, so we refetch the JWKS, but at most
# this often: otherwise anyone could make us hit the endpoint on every request with made-up kids.
_REFETCH_INTERVAL_SECONDS = 60.0
_FETCH_TIMEOUT_SECONDS = 5.0
_MAX_JWKS_BYTES = 1_000_000
# Cognito ID tokens are a few KB; refuse to base64-decode anything much larger.
_MAX_TOKEN_LENGTH = 16_384


def _invalid(message: str) -> Unauthenticated:
    return Unauthenticated(message, code="invalid_token")


class CognitoTokenVerifier(TokenVerifier):
    """Verifies Cognito ID tokens against the user pool's published keys (JWKS)."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_url: str,
        fetch_jwks: JwksFetcher | None = None,
        now: Callable[[], float] = time.time,
        leeway_seconds: int = 30,
    ) -> None:
        if not jwks_url.startswith(("https://", "http://")):
            # urlopen would also read file:// and ftp:// addresses; a JWKS is never there.
            raise ValueError("jwks_url must be an http(s) address")
        self._issuer = issuer
        self._audience = audience
        self._jwks_url = jwks_url
        self._fetch_jwks = fetch_jwks or _fetch_jwks_over_http
        self._now = now
        self._leeway = leeway_seconds
        self._keys: dict[str, Any] | None = None  # kid -> RSA public key, None until first use
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def verify(self, token: str) -> dict[str, Any]:
        kid = self._checked_header_kid(token)
        claims = self._decode(token, self._key_for(kid))
        self._check_claims(claims)
        return claims

    # The header: well-formed, RS256, names a key.

    def _checked_header_kid(self, token: str) -> str:
        import jwt

        if not isinstance(token, str) or not token or len(token) > _MAX_TOKEN_LENGTH:
            raise _invalid("The token is missing or malformed.")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise _invalid("The token is malformed.") from exc
        if header.get("alg") != _ALGORITHM:
            raise _invalid("The token is not signed with RS256.")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise _invalid("The token does not name its signing key.")
        return kid

    # The keys: fetched lazily, cached, refetched (rarely) for an unknown kid.

    def _key_for(self, kid: str) -> Any:
        with self._lock:
            keys = self._keys if self._keys is not None else self._refresh_keys()
            if kid not in keys and self._may_refetch():
                keys = self._refresh_keys()
        key = keys.get(kid)
        if key is None:
            raise _invalid("The token is signed by a key the user pool does not publish.")
        return key

    def _may_refetch(self) -> bool:
        return self._now() - self._fetched_at >= _REFETCH_INTERVAL_SECONDS

    def _refresh_keys(self) -> dict[str, Any]:
        # Stamp the attempt before fetching, so a failing endpoint is not retried on every
        # request either (while no keys are cached at all, each request still tries).
        self._fetched_at = self._now()
        self._keys = _rsa_keys_by_kid(self._fetch_jwks(self._jwks_url))
        return self._keys

    # The token: signature first, then the claims.

    def _decode(self, token: str, key: Any) -> dict[str, Any]:
        import jwt

        # PyJWT checks the signature only; the claims are checked below, against our clock
        # (PyJWT would read time.time() itself) and in an order that gives precise codes.
        options = {
            "verify_signature": True,
            "verify_exp": False,
            "verify_nbf": False,
            "verify_iat": False,
            "verify_aud": False,
            "verify_iss": False,
            "verify_sub": False,
            "verify_jti": False,
        }
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[_ALGORITHM],
                options=options,  # type: ignore[arg-type]
            )
        except jwt.InvalidSignatureError as exc:
            raise _invalid("The token's signature is not valid.") from exc
        except jwt.PyJWTError as exc:
            raise _invalid("The token is malformed.") from exc
        return claims

    def _check_claims(self, claims: dict[str, Any]) -> None:
        if claims.get("token_use") != "id":
            raise _invalid("The token is not an ID token.")
        if claims.get("iss") != self._issuer:
            raise Unauthenticated(
                "The token was issued by another user pool.", code="invalid_issuer"
            )
        # Cognito's `aud` is one string, the app client id; a list is not a Cognito ID token.
        if claims.get("aud") != self._audience:
            raise Unauthenticated(
                "The token was issued for another app client.", code="invalid_audience"
            )
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise _invalid("The token names no user.")
        self._check_times(claims)

    def _check_times(self, claims: dict[str, Any]) -> None:
        now = self._now()
        exp = _number(claims.get("exp"))
        if exp is None:
            raise _invalid("The token has no valid expiry.")
        if now > exp + self._leeway:
            raise Unauthenticated("The token has expired.", code="token_expired")
        for name in ("nbf", "iat"):
            if name not in claims:
                continue
            value = _number(claims[name])
            if value is None or value > now + self._leeway:
                raise _invalid("The token is not valid yet.")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _rsa_keys_by_kid(jwks: Any) -> dict[str, Any]:
    """The RS256 signing keys of a JWKS document; other and malformed entries are skipped."""
    from jwt import PyJWTError
    from jwt.algorithms import RSAAlgorithm

    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise TransientFailure("The user pool's key set is malformed.", code="jwks_unavailable")
    keys: dict[str, Any] = {}
    for jwk in jwks["keys"]:
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or not jwk.get("kid"):
            continue
        if jwk.get("alg", _ALGORITHM) != _ALGORITHM or jwk.get("use", "sig") != "sig":
            continue
        try:
            # Only the public parts, so a JWKS that leaks `d` still yields a public key.
            public = {"kty": "RSA", "n": jwk["n"], "e": jwk["e"]}
            keys[jwk["kid"]] = RSAAlgorithm.from_jwk(public)
        except (PyJWTError, KeyError, ValueError, TypeError):
            continue  # one bad entry must not take the good keys down with it
    return keys


def _fetch_jwks_over_http(url: str) -> dict[str, Any]:
    """GET the JWKS document; any failure is a TransientFailure (worth retrying)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        # The scheme was checked to be http(s) in CognitoTokenVerifier.__init__.
        with urllib.request.urlopen(request, timeout=_FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(_MAX_JWKS_BYTES + 1)
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        raise TransientFailure(
            "The user pool's key set could not be fetched.", code="jwks_unavailable"
        ) from exc
    if len(body) > _MAX_JWKS_BYTES:
        raise TransientFailure("The user pool's key set is too large.", code="jwks_unavailable")
    try:
        return json.loads(body)
    except ValueError as exc:
        raise TransientFailure(
            "The user pool's key set is not JSON.", code="jwks_unavailable"
        ) from exc


# Staff sign-in users.

_NOT_FOUND_CODES = frozenset({"UserNotFoundException"})
# Cognito's error code -> ours; Cognito's message names the broken rule, so it is passed on.
_INVALID_CODES = {
    "InvalidParameterException": "invalid_user_attributes",
    "InvalidPasswordException": "invalid_password",
}
_TRANSIENT_CODES = frozenset(
    {
        "TooManyRequestsException",
        "ThrottlingException",
        "LimitExceededException",
        "InternalErrorException",
        "ServiceUnavailable",
        "RequestTimeout",
    }
)


class CognitoStaffDirectory(StaffDirectory):
    """Staff sign-in users in one Cognito user pool; the username is the e-mail address.

    The tenant is not stored on the Cognito user: the platform table maps `sub` -> tenant, and
    a `custom:` attribute would need the pool's schema to declare it (real Cognito rejects
    undeclared ones; moto accepts anything, so a test here would not notice).
    """

    def __init__(self, client: Any, user_pool_id: str) -> None:
        self._client = client  # a boto3 "cognito-idp" client
        self._pool = user_pool_id

    def create_user(self, *, email: str, name: str, tenant_id: str) -> str:
        """Create the user (Cognito e-mails the invitation); if it exists, return its sub."""
        attributes = [
            {"Name": "email", "Value": email},
            {"Name": "name", "Value": name},
            # The invitation goes to this address; the owner vouches for it.
            {"Name": "email_verified", "Value": "true"},
        ]
        try:
            response = self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                UserAttributes=attributes,
                DesiredDeliveryMediums=["EMAIL"],  # Cognito's default is SMS
            )
        except _aws_errors() as exc:
            if _error_code(exc) != "UsernameExistsException":
                _reraise_as_domain_error(exc)
            # Idempotent: a retried sign-up or invitation finds the user it made before.
            return self._sub_of(email)
        return _sub_from(response["User"]["Attributes"])

    def disable_user(self, email: str) -> None:
        self._call("admin_disable_user", UserPoolId=self._pool, Username=email)

    def enable_user(self, email: str) -> None:
        self._call("admin_enable_user", UserPoolId=self._pool, Username=email)

    def set_password(self, email: str, password: str) -> None:
        """Give the user a permanent password. Local demo seeding and tests only."""
        self._call(
            "admin_set_user_password",
            UserPoolId=self._pool,
            Username=email,
            Password=password,
            Permanent=True,
        )

    def _sub_of(self, email: str) -> str:
        response = self._call("admin_get_user", UserPoolId=self._pool, Username=email)
        return _sub_from(response["UserAttributes"])

    def _call(self, operation: str, **params: Any) -> Any:
        try:
            return getattr(self._client, operation)(**params)
        except _aws_errors() as exc:
            _reraise_as_domain_error(exc)


def _sub_from(attributes: list[dict[str, str]]) -> str:
    for attribute in attributes:
        if attribute["Name"] == "sub":
            return attribute["Value"]
    raise TransientFailure("Cognito returned a user without a sub.", code="cognito_failed")


def _aws_errors() -> tuple[type[Exception], ...]:
    # Evaluated only when something was raised, so botocore is not imported just to call
    # Cognito successfully (it is loaded by then anyway, through the client).
    from botocore.exceptions import BotoCoreError, ClientError

    return (ClientError, BotoCoreError)


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def _reraise_as_domain_error(exc: Exception) -> NoReturn:
    """Raise the domain error for a failed Cognito call. Anything else (AccessDenied, an
    unknown pool: configuration faults that should fail loudly) is re-raised unchanged."""
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import ParamValidationError, ReadTimeoutError

    code = _error_code(exc)
    if code in _NOT_FOUND_CODES:
        raise NotFound("No sign-in user has this e-mail address.", code="user_not_found") from exc
    if code in _INVALID_CODES:
        message = exc.response["Error"].get("Message") or "Cognito rejected a value."  # type: ignore[attr-defined]
        raise InvalidInput(message, code=_INVALID_CODES[code]) from exc
    if isinstance(exc, ParamValidationError):
        # botocore refused the request before sending it (an empty e-mail, say): bad input.
        raise InvalidInput(str(exc), code="invalid_user_attributes") from exc
    if code in _TRANSIENT_CODES or isinstance(exc, BotoConnectionError | ReadTimeoutError):
        raise TransientFailure(
            "Cognito is unavailable, try again.", code="cognito_unavailable"
        ) from exc
    raise exc
