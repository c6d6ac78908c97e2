"""Staff users on the platform table: one item per user (`USER#<id>`), listed per tenant on the
by-tenant index; an e-mail address is claimed once across the platform, and a change that could
take away the last active owner is conditional on another owner staying.
"""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.platform_models import (
    META,
    PlatformModels,
    get_item,
    tenant_users_pk,
)
from chalicelib.kernel.domain.errors import Conflict, EmailTaken
from chalicelib.tenancy.domain.staff import Role, StaffStatus, StaffUser


class PlatformStaff:
    m: PlatformModels

    def get_staff(self, user_id: str) -> StaffUser | None:
        item = get_item(self.m.User, f"USER#{user_id}")
        return None if item is None else _user(item)

    def email_owner(self, email: str) -> str | None:
        """The tenant that claimed this e-mail address, if any."""
        item = get_item(self.m.Claim, f"EMAIL#{email}")
        return None if item is None else item.tenant_id

    def add_staff(self, user: StaffUser) -> None:
        m = self.m
        claim = m.Claim(pk=f"EMAIL#{user.email}", tenant_id=user.tenant_id, user_id=user.id)
        try:
            with TransactWrite(connection=m.connection) as tx:
                # The e-mail is free, or claimed by this tenant for this very user (a retry,
                # or the owner whose address was claimed at sign-up).
                tx.save(
                    claim,
                    condition=m.Claim.pk.does_not_exist()
                    | (
                        (m.Claim.tenant_id == user.tenant_id)
                        & (m.Claim.user_id.does_not_exist() | (m.Claim.user_id == user.id))
                    ),
                )
                tx.save(user_item(self.m, user))
        except TransactWriteError as exc:
            if exc.cancellation_reasons[:1] and exc.cancellation_reasons[0]:
                raise EmailTaken(
                    "This e-mail address already belongs to a Reservoir user.", field="email"
                ) from exc
            reraise(exc)

    def save_staff(self, user: StaffUser, *, while_owner: str | None = None) -> None:
        m = self.m
        # An active record is never written over a disabled one: a role change read before a
        # disable landed would enable the login again (an outside tester's stale tab).
        kept = m.User.pk.exists()
        if user.status is StaffStatus.ACTIVE:
            kept = kept & (m.User.status == StaffStatus.ACTIVE.value)
        if while_owner is None:
            try:
                user_item(self.m, user).save(condition=kept)
            except PutError as exc:
                if exc.cause_response_code == "ConditionalCheckFailedException":
                    raise _disabled() from exc
                reraise(exc)
            return
        try:
            with TransactWrite(connection=m.connection) as tx:
                tx.save(user_item(self.m, user), condition=kept)
                tx.condition_check(
                    m.User,
                    f"USER#{while_owner}",
                    META,
                    condition=(m.User.role == Role.OWNER.value)
                    & (m.User.status == StaffStatus.ACTIVE.value)
                    & (m.User.tenant_id == user.tenant_id),
                )
        except TransactWriteError as exc:
            # PynamoDB sends condition checks first: reason 0 is the owner's check.
            if exc.cancellation_reasons[:1] and exc.cancellation_reasons[0]:
                raise Conflict(
                    "A tenant keeps at least one active owner.", code="last_owner"
                ) from exc
            if any(r and r.code == "ConditionalCheckFailed" for r in exc.cancellation_reasons):
                raise _disabled() from exc
            reraise(exc)

    def list_staff(self, tenant_id: str) -> list[StaffUser]:
        return [_user(item) for item in self.m.User.by_tenant.query(tenant_users_pk(tenant_id))]


def user_item(m: PlatformModels, user: StaffUser) -> Any:
    return m.User(
        pk=f"USER#{user.id}",
        gsi1pk=tenant_users_pk(user.tenant_id),
        gsi1sk=user.email,
        id=user.id,
        tenant_id=user.tenant_id,
        email=user.email,
        name=user.name,
        role=user.role.value,
        status=user.status.value,
        created_at=user.created_at,
    )


def _user(item: Any) -> StaffUser:
    return StaffUser(
        id=item.id,
        tenant_id=item.tenant_id,
        email=item.email,
        name=item.name,
        role=Role(item.role),
        status=StaffStatus(item.status),
        created_at=item.created_at,
    )


def _disabled() -> Conflict:
    return Conflict("That login was disabled: it cannot be changed.", code="staff_disabled")
