"""Who acted, by name: the business's records name who took a payment, made a charge or a
refund as its actor was then (a login by its e-mail, a key as `secret_key:<id>`); the console
shows the staff member's name, or the key's, instead of those."""

from __future__ import annotations

from typing import Literal

from chalicelib.kernel.domain.values import value
from chalicelib.tenancy.services.counter_ports import TenancyContext
from chalicelib.tenancy.services.keys import list_keys
from chalicelib.tenancy.services.platform_ports import PlatformRepository
from chalicelib.tenancy.services.staff import list_staff


@value
class ActorName:
    who: str  # as records name the actor: an e-mail, `user:<id>`, `secret_key:<id>`
    name: str  # the staff member's name, or the key's
    kind: Literal["staff", "key"]


def actor_names(ctx: TenancyContext, platform: PlatformRepository) -> list[ActorName]:
    """Every staff user (by e-mail and by `user:<id>`) and every key of the tenant, revoked
    and disabled ones too: their records stay."""
    named = []
    for user in list_staff(ctx, platform):
        named += [
            ActorName(user.email, user.name, "staff"),
            ActorName(f"user:{user.id}", user.name, "staff"),
        ]
    for key in list_keys(ctx, platform):
        named.append(ActorName(f"{key.kind.value}_key:{key.id}", key.name, "key"))
    return named
