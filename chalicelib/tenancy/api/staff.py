"""Staff users and their roles; who acted, by name (for every role: records name who took a
payment by login or key, and the console shows names)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.tenancy.domain.plans import PlanLimitReached
from chalicelib.tenancy.domain.staff import MANAGE, READ
from chalicelib.tenancy.services import staff
from chalicelib.tenancy.services.actor_names import actor_names
from chalicelib.web.routing import Call, route

if TYPE_CHECKING:
    from chalicelib.tenancy.api.staff_models import ActorNamesOut, StaffListOut, StaffOut

bp = Blueprint(__name__)


@route(
    bp,
    "/v1/staff",
    "GET",
    summary="List staff users",
    tag="staff",
    roles=READ,
    response="chalicelib.tenancy.api.staff_models:StaffListOut",
)
def list_staff(call: Call) -> StaffListOut:
    from chalicelib.tenancy.api.staff_models import StaffListOut, StaffOut

    users = staff.list_staff(call.ctx, call.container.platform)
    return StaffListOut(data=[StaffOut.of(u) for u in users])


@route(
    bp,
    "/v1/actors",
    "GET",
    summary="Who acted, by name: the staff and the API keys as records name them",
    tag="staff",
    roles=READ,
    response="chalicelib.tenancy.api.staff_models:ActorNamesOut",
)
def list_actor_names(call: Call) -> ActorNamesOut:
    """Each staff user (by e-mail and `user:<id>`) and API key (`secret_key:<id>`), disabled
    and revoked ones too, with a name to show for who took a payment or made a charge."""
    from chalicelib.tenancy.api.staff_models import ActorNameOut, ActorNamesOut

    named = actor_names(call.ctx, call.container.platform)
    return ActorNamesOut(data=[ActorNameOut(who=a.who, name=a.name, kind=a.kind) for a in named])


@route(
    bp,
    "/v1/staff",
    "POST",
    summary="Invite a staff user",
    tag="staff",
    roles=MANAGE,
    body="chalicelib.tenancy.api.staff_models:StaffInviteIn",
    response="chalicelib.tenancy.api.staff_models:StaffOut",
    status=201,
    raises=(PlanLimitReached,),
)
def invite_staff(call: Call) -> StaffOut:
    """Creates the sign-in user (Cognito e-mails a temporary password on AWS). Only an
    owner can make another owner."""
    from chalicelib.tenancy.api.staff_models import StaffInviteIn, StaffOut

    body: StaffInviteIn = call.body
    c = call.container
    user = staff.invite_staff(
        call.ctx, c.platform, c.directory, email=body.email, name=body.name, role=body.role
    )
    return StaffOut.of(user)


@route(
    bp,
    "/v1/staff/{user_id}",
    "GET",
    summary="One staff user",
    tag="staff",
    roles=READ,
    response="chalicelib.tenancy.api.staff_models:StaffOut",
)
def get_staff(call: Call) -> StaffOut:
    from chalicelib.tenancy.api.staff_models import StaffOut

    return StaffOut.of(staff.get_staff(call.ctx, call.container.platform, call.path["user_id"]))


@route(
    bp,
    "/v1/staff/{user_id}",
    "PATCH",
    summary="Change a staff user's role",
    tag="staff",
    roles=MANAGE,
    body="chalicelib.tenancy.api.staff_models:StaffPatchIn",
    response="chalicelib.tenancy.api.staff_models:StaffOut",
)
def patch_staff(call: Call) -> StaffOut:
    from chalicelib.tenancy.api.staff_models import StaffOut, StaffPatchIn

    body: StaffPatchIn = call.body
    user = staff.change_role(
        call.ctx,
        call.container.platform,
        call.path["user_id"],
        body.role,
        cache=call.container.key_cache,
    )
    return StaffOut.of(user)


@route(
    bp,
    "/v1/staff/{user_id}",
    "DELETE",
    summary="Disable a staff user",
    tag="staff",
    roles=MANAGE,
    response="chalicelib.tenancy.api.staff_models:StaffOut",
)
def disable_staff(call: Call) -> StaffOut:
    from chalicelib.tenancy.api.staff_models import StaffOut

    c = call.container
    user = staff.disable_staff(
        call.ctx, c.platform, c.directory, call.path["user_id"], cache=c.key_cache
    )
    return StaffOut.of(user)
