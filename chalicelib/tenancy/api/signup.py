"""POST /v1/signup: a business signs up and gets its keys; its table is made in the background."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.kernel.domain.errors import Conflict, TransientFailure
from chalicelib.tenancy.domain.rate_limits import Action
from chalicelib.tenancy.services.signup import SignUp, sign_up
from chalicelib.web.route_spec import Access
from chalicelib.web.routing import Call, Reply, route

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/signup",
    "POST",
    summary="Sign up a business",
    tag="tenant",
    access=Access.NONE,
    body="chalicelib.tenancy.api.tenant_models:SignupIn",
    response="chalicelib.tenancy.api.tenant_models:SignupOut",
    status=202,
    rate_limit=Action.SIGNUP,
    raises=(Conflict, TransientFailure),
)
def signup(call: Call) -> Reply:
    """Records the tenant as `provisioning` and answers at once; a worker creates the
    tenant's own table and owner login. Poll `GET /v1/tenant` with the secret key until
    `status` is `active`. The keys in the answer are shown this once."""
    from chalicelib.tenancy.api.tenant_models import SignupIn, SignupOut

    body: SignupIn = call.body
    c = call.container
    result = sign_up(
        SignUp(
            business_name=body.business_name,
            slug=body.slug,
            owner_email=body.owner_email,
            owner_name=body.owner_name or body.owner_email.split("@")[0],
            timezone=body.timezone,
            currency=body.currency,
            locale=body.locale,
            business_type=body.business_type,
        ),
        platform=c.platform,
        bus=c.bus,
        settings=c.settings,
        now=c.now,
        new_id=c.new_id,
    )
    out = SignupOut(
        tenant_id=result.tenant.id,
        slug=result.tenant.slug,
        status=result.tenant.status,
        owner_email=result.tenant.owner_email,
        secret_key=result.secret_key,
        publishable_key=result.publishable_key,
    )
    return Reply(out, headers={"Location": "/v1/tenant", "Cache-Control": "no-store"})
