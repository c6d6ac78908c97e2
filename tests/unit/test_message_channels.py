"""A tenant's choice of channels per message: the notifier sends by those only, and the lists
the API's schema spells are the domain's."""

from __future__ import annotations

from dataclasses import replace
from typing import get_args

from chalicelib.booking.services import orders as order_service
from chalicelib.kernel.domain.tenant import MESSAGE_CHANNELS, MESSAGE_KINDS
from chalicelib.notifications.services.templates import KINDS
from chalicelib.tenancy.api.tenant_models import Channel, MessageKind
from chalicelib.tenancy.services.tenants import chosen_channels
from tests.stage import Stage


def test_the_api_schema_and_the_templates_name_the_domains_messages_and_channels():
    assert get_args(MessageKind) == MESSAGE_KINDS == KINDS
    assert get_args(Channel) == MESSAGE_CHANNELS


def test_a_message_goes_only_by_the_channels_the_tenant_chose():
    stage = Stage()
    tenant = stage.tenant
    settings = replace(
        tenant.settings, message_channels=chosen_channels((), {"confirmed": ["sms"]})
    )
    stage.c.platform.tenants[tenant.id] = replace(tenant, settings=settings)
    order = stage.book()
    stage.drain()  # held: both channels
    order_service.confirm(stage.ctx, order.id)
    stage.drain()  # confirmed: SMS only
    subjects = [e.subject for e in stage.emails()]
    assert len(subjects) == 1  # the held message's
    assert not any(s.startswith("Confirmed") for s in subjects)
    texts = [text for _, text in stage.c.sms.sent]
    assert len(texts) == 2 and "confirmed" in texts[1]


def test_every_channel_again_is_the_default_and_not_stored():
    assert chosen_channels((("reminder", ("sms",)),), {"reminder": ["sms", "email"]}) == ()
