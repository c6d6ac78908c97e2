"""The Cognito user pool for tenant staff, and the app client the API verifies tokens for."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_cognito as cognito
from constructs import Construct


@dataclass(frozen=True)
class StaffIdentity:
    user_pool: cognito.UserPool
    client: cognito.UserPoolClient

    @property
    def issuer(self) -> str:
        """The `iss` of the pool's ID tokens (what `RESERVOIR_COGNITO_ISSUER` must equal)."""
        stack = Stack.of(self.user_pool)
        return (
            f"https://cognito-idp.{stack.region}.{stack.url_suffix}/{self.user_pool.user_pool_id}"
        )


def build_identity(scope: Construct, *, ses_sender_domain: str) -> StaffIdentity:
    user_pool = cognito.UserPool(
        scope,
        "StaffUserPool",
        # Invitations and password resets through SES from the platform's verified domain
        # (docs/DEPLOY.md, step 4): Cognito's own mail sends about 50 a day, and every sign-up
        # sends one invitation.
        email=cognito.UserPoolEmail.with_ses(
            from_email=f"no-reply@{ses_sender_domain}",
            from_name="Reservoir",
            ses_verified_domain=ses_sender_domain,
            # The stack's own region (a deploy-time value: the template is region-agnostic).
            ses_region=Stack.of(scope).region,
        ),
        # Staff are invited by their tenant's owner (the API calls AdminCreateUser); nobody
        # signs themselves up to a tenant.
        self_sign_up_enabled=False,
        # The username is the e-mail address, matched case-insensitively.
        sign_in_aliases=cognito.SignInAliases(email=True, username=False),
        sign_in_case_sensitive=False,
        auto_verify=cognito.AutoVerifiedAttrs(email=True),
        standard_attributes=cognito.StandardAttributes(
            email=cognito.StandardAttribute(required=True, mutable=True),
        ),
        password_policy=cognito.PasswordPolicy(
            min_length=12,
            require_lowercase=True,
            require_uppercase=True,
            require_digits=True,
            require_symbols=False,
        ),
        account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
        removal_policy=RemovalPolicy.RETAIN,
    )
    client = user_pool.add_client(
        "StaffAppClient",
        # A public client (the staff web app and scripts): no secret to leak.
        generate_secret=False,
        auth_flows=cognito.AuthFlow(user_password=True, user_srp=True),
        prevent_user_existence_errors=True,
    )
    return StaffIdentity(user_pool, client)
