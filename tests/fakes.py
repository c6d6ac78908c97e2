"""In-memory fakes of every port, in one place, used by the unit and API tiers.

They keep the same rules the real adapters enforce (unique slugs and e-mails, conditional
version checks, idempotent audit ids), so a test that passes against them means something.
tests/unit/test_every_port_has_a_fake.py fails naming any port (an abstract class or Protocol
in a ports module) that no class here fits, method by method and parameter by parameter.
"""

from __future__ import annotations

import copy
import itertools
import json
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any, Literal

from chalicelib.booking.adapters.orders_store import HOLD_SHARDS
from chalicelib.booking.domain.blocks import BlockStatus, RoomBlock
from chalicelib.booking.domain.bulk import BulkJob, BulkResult, JobStatus
from chalicelib.booking.domain.order_search import (
    ByCreated,
    ByCustomer,
    ByEmail,
    ByName,
    ByPhone,
    ByReference,
    ByResource,
    ByStartDay,
    IndexEntry,
    IndexPage,
    OrderIndex,
    name_key,
    search_name,
    start_day,
)
from chalicelib.booking.domain.orders import BookingStatus, Order
from chalicelib.booking.domain.partner_refs import PartnerEntry, PartnerReferenceTaken
from chalicelib.booking.domain.redemptions import RedemptionAsk
from chalicelib.booking.domain.resource_entries import ResourceEntry
from chalicelib.booking.services.block_ports import BlockStore
from chalicelib.booking.services.bulk_ports import BulkJobStore
from chalicelib.booking.services.order_ports import CalendarFeedStore, OrderStore
from chalicelib.booking.services.partner_ref_ports import PartnerRefIndex
from chalicelib.booking.services.redemption_ports import Priced
from chalicelib.booking.services.transaction_items import (
    BlockCount,
    BlockCreate,
    BlockRelease,
    BucketRelease,
    BucketTake,
    OrderPut,
    PartnerEntryPut,
    ResourceEntryDelete,
    ResourceEntryPut,
    RevisionCheck,
    RoomNightDelete,
    RoomNightPut,
)
from chalicelib.catalog.domain.catalog import Offering, Resource
from chalicelib.catalog.domain.inventory import split_shard
from chalicelib.catalog.domain.price_list import PriceListItem
from chalicelib.catalog.domain.rooms import RoomNight, RoomStatus
from chalicelib.catalog.services.catalog_ports import CatalogStore
from chalicelib.catalog.services.catalog_view import CatalogCache
from chalicelib.catalog.services.zone_change import CatalogZoneGuard
from chalicelib.channels.domain.connections import Connection
from chalicelib.channels.domain.inbound import parse_event, to_doc
from chalicelib.channels.domain.inbound_rules import ReservationState
from chalicelib.channels.domain.octo_bookings import OctoExtras
from chalicelib.channels.domain.outbound import (
    MarkResult,
    Marks,
    OutboundDelivery,
    UpdateStatus,
    UpdateWindow,
)
from chalicelib.channels.services.connection_ports import ConnectionStore
from chalicelib.channels.services.inbound_ports import InboundStore, ReceivedEvent
from chalicelib.channels.services.octo_ports import OctoStore
from chalicelib.channels.services.outbound_marks import catalog_watcher, closed_dates_watcher
from chalicelib.channels.services.outbound_ports import OutboundStore
from chalicelib.customers.adapters.customer_codec import customer_json
from chalicelib.customers.adapters.customer_items import all_customers_pk
from chalicelib.customers.adapters.redemption_items import redemption_refusal
from chalicelib.customers.domain.campaigns import Campaign, CampaignCounts, CampaignStatus
from chalicelib.customers.domain.coupons import Coupon
from chalicelib.customers.domain.gift_cards import (
    CardMovement,
    CardStatus,
    GiftCard,
    GiftCardBalanceLow,
    GiftCardSettings,
    Person,
)
from chalicelib.customers.domain.imports import ImportJob, ImportStatus, RowResult, StoredRow
from chalicelib.customers.domain.loyalty import Balance, Earning, LedgerEntry, Programme
from chalicelib.customers.domain.merges import Merge
from chalicelib.customers.domain.privacy import ERASED_NAME
from chalicelib.customers.domain.records import CustomerRecord, Note
from chalicelib.customers.domain.segments import Segment
from chalicelib.customers.domain.suggestions import CoBooking
from chalicelib.customers.services.campaign_ports import (
    CAMPAIGN_KINDS,
    BookingMark,
    CampaignCount,
    CampaignStore,
    ClaimBounced,
    ClaimPut,
    ClaimRelease,
    ClaimSettle,
    ClaimUnsubscribed,
    IdPage,
    SendClaim,
)
from chalicelib.customers.services.customer_ports import (
    CustomerPage,
    CustomerPut,
    CustomerStore,
    EventMark,
    FamilyNamePut,
    MergePut,
    NotePut,
)
from chalicelib.customers.services.gift_card_ports import (
    CardCredit,
    CardDebit,
    CardDisable,
    CardLink,
    CardMovementPut,
    CardPut,
    CodePut,
    GiftCardStore,
)
from chalicelib.customers.services.gift_card_tender import GiftCardTenders
from chalicelib.customers.services.import_ports import ImportStore, ResultPut
from chalicelib.customers.services.privacy_ports import (
    JOB_WORDS,
    ExportFiles,
    PrivacyContext,
    PrivacyStore,
    StoredAnswer,
    StoredPayload,
)
from chalicelib.customers.services.redeeming import CustomerRedeemer
from chalicelib.customers.services.redemption_ports import (
    CouponCount,
    CouponRedemptionDelete,
    CouponRedemptionPut,
    CouponStore,
    CouponUseHeld,
    CustomerCouponCount,
    LedgerPut,
    LotPut,
    LoyaltyMark,
    LoyaltyMarkCheck,
    LoyaltyMarkDelete,
    LoyaltyStore,
    PointsExpire,
    PointsMove,
    TakenBackCount,
)
from chalicelib.customers.services.suggestion_ports import (
    Booked,
    BookedPut,
    CoBookingAdd,
    SuggestionStore,
)
from chalicelib.invoices.domain.invoices import Invoice, OrderInvoicing
from chalicelib.invoices.services.invoice_items import (
    DocumentPut,
    InvoicingPut,
    NumberTake,
    OrderUnchanged,
)
from chalicelib.invoices.services.invoice_ports import DocumentFiles, InvoiceStore
from chalicelib.kernel.adapters.event_items import event_item
from chalicelib.kernel.adapters.hot_keys import index_shard
from chalicelib.kernel.adapters.secrets import PlainSecretSource
from chalicelib.kernel.domain.audit import AuditEntry
from chalicelib.kernel.domain.errors import (
    Conflict,
    DomainError,
    EmailTaken,
    InvalidInput,
    NotFound,
    SlotUnavailable,
    SlugTaken,
    StaleCatalog,
    TransientFailure,
    Unauthenticated,
    WorkInProgress,
)
from chalicelib.kernel.domain.events import Record
from chalicelib.kernel.domain.listeners import Listeners
from chalicelib.kernel.domain.tenant import Tenant, TenantStatus
from chalicelib.kernel.domain.timefmt import parse as parse_time
from chalicelib.kernel.services.context import KernelContext, TenantContext
from chalicelib.kernel.services.messaging_ports import (
    Email,
    Mailer,
    MessageBus,
    ReminderScheduler,
    SmsSender,
)
from chalicelib.kernel.services.ports import WorkMark
from chalicelib.kernel.services.tenant_data_ports import (
    AuditLog,
    ConsumerLedger,
    EventLog,
    IdempotencyStore,
    ListenerCounts,
    TableFormat,
)
from chalicelib.kernel.services.transaction_ports import (
    EventPut,
    TenantTransactions,
    TransactionItem,
)
from chalicelib.kernel.services.work_marks import WorkMarks
from chalicelib.notifications.services.alert_ports import AlertPrefs, AlertPrefStore
from chalicelib.notifications.services.template_ports import TemplateStore
from chalicelib.payments.domain.takings import Close, Day, DayClosed, Direction, Entry
from chalicelib.payments.services.gift_card_ports import GiftCardCharge, GiftCardTender
from chalicelib.payments.services.payment_ports import (
    Card,
    ConnectedAccount,
    Intent,
    PaymentAccounts,
    PaymentGateway,
    PaymentsContext,
    ProviderRefund,
    StripeClaim,
    StripeDeliveries,
    StripeLink,
    Subscription,
    TenantPaymentRecords,
)
from chalicelib.payments.services.takings_ports import DayCount, EntryPut, TakingsStore
from chalicelib.pipeline.stream import relay
from chalicelib.queues import EVENTS
from chalicelib.reports.adapters.export_formats import csv_chunks, write_xlsx
from chalicelib.reports.domain.export_cells import Row
from chalicelib.reports.domain.exports import ExportFormat, ExportJob, ExportStatus
from chalicelib.reports.domain.figures_report import DayFigures
from chalicelib.reports.domain.rebuilds import Rebuild
from chalicelib.reports.services.export_ports import ExportsContext, ExportStore, ReportFiles
from chalicelib.reports.services.export_withdrawals import ReportWithdrawals
from chalicelib.reports.services.figures_ports import (
    Counted,
    CountedPut,
    FigureAdd,
    FiguresStore,
)
from chalicelib.reports.services.summaries import follow_zone
from chalicelib.reports.services.summary_ports import DueSummary, SummarySchedule, SummarySchedules
from chalicelib.settings import Settings
from chalicelib.tenancy.domain.keys import ApiKey, KeyStatus
from chalicelib.tenancy.domain.staff import Role, StaffStatus, StaffUser
from chalicelib.tenancy.services.auth import KeyCache
from chalicelib.tenancy.services.counter_ports import BookingCounts, RateCounters
from chalicelib.tenancy.services.platform_ports import (
    PlatformRepository,
    StaffDirectory,
    TenantTables,
    TokenVerifier,
)
from chalicelib.tenancy.services.tenant_ports import TimeZoneGuard
from chalicelib.tenant_stores_ports import TenantData, TenantDataFactory
from chalicelib.web.idempotency_store import subject_of
from chalicelib.webhooks.domain.webhooks import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    EndpointHealth,
    PostResult,
    WebhookEndpoint,
)
from chalicelib.webhooks.services.webhook_ports import HostResolver, WebhookSender, WebhookStore


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: str = "2026-11-24T09:00:00.000000Z") -> None:
        from chalicelib.kernel.domain.timefmt import parse

        self.moment = parse(start)

    def __call__(self) -> str:
        from chalicelib.kernel.domain.timefmt import format_utc

        return format_utc(self.moment)

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self.moment += timedelta(seconds=seconds)


class SequentialIds:
    def __init__(self, prefix: str = "id") -> None:
        self._counter = itertools.count(1)
        self.prefix = prefix

    def __call__(self) -> str:
        return f"{self.prefix}{next(self._counter):08d}"


class FakePlatform(PlatformRepository):
    def __init__(self) -> None:
        self.tenants: dict[str, Tenant] = {}
        self.slugs: dict[str, str] = {}
        self.emails: dict[str, tuple[str, str | None]] = {}  # email -> (tenant, user)
        self.keys: dict[str, ApiKey] = {}
        self.users: dict[str, StaffUser] = {}
        self.work: dict[tuple[str, str, str], str] = {}  # (kind, tenant, part) -> until
        self.fail_next_save_tenant = 0  # simulate a crash just before a tenant is saved

    def create_tenant(self, tenant: Tenant, keys: Iterable[ApiKey]) -> None:
        if tenant.slug in self.slugs:
            raise SlugTaken(f"The slug {tenant.slug!r} is taken.", field="slug")
        if tenant.owner_email in self.emails:
            raise EmailTaken("This e-mail address already belongs to a Reservoir user.")
        self.slugs[tenant.slug] = tenant.id
        self.emails[tenant.owner_email] = (tenant.id, None)
        self.tenants[tenant.id] = tenant
        for key in keys:
            self.keys[key.id] = key

    def get_tenant(self, tenant_id: str) -> Tenant | None:
        return self.tenants.get(tenant_id)

    def save_tenant(self, tenant: Tenant) -> None:
        if self.fail_next_save_tenant:
            self.fail_next_save_tenant -= 1
            raise TimeoutError("simulated crash while saving the tenant")
        current = self.tenants.get(tenant.id)
        if current is None or current.version != tenant.version - 1:
            raise Conflict("The tenant was changed by someone else.", code="version_conflict")
        self.tenants[tenant.id] = tenant

    def stalled_signups(self, older_than: str) -> list[Tenant]:
        return [
            t
            for t in self.tenants.values()
            if t.status is TenantStatus.PROVISIONING and t.created_at < older_than
        ]

    def mark_work(self, kind: str, tenant_id: str, until: str, part: str = "") -> None:
        current = self.work.get((kind, tenant_id, part))
        if current is None or current < until:
            self.work[(kind, tenant_id, part)] = until

    def marked(self, kind: str) -> list[WorkMark]:
        return [WorkMark(t, u, p) for (k, t, p), u in sorted(self.work.items()) if k == kind]

    def clear_work(self, kind: str, tenant_id: str, until: str, part: str = "") -> None:
        if self.work.get((kind, tenant_id, part), "") <= until:
            self.work.pop((kind, tenant_id, part), None)

    def get_key(self, key_id: str) -> ApiKey | None:
        return self.keys.get(key_id)

    def put_key(self, key: ApiKey) -> None:
        self.keys[key.id] = key

    def change_key(self, read: ApiKey, new: ApiKey) -> None:
        stored = self.keys.get(read.id)
        if stored is None or (stored.status, stored.role, stored.replaced_by) != (
            read.status,
            read.role,
            read.replaced_by,
        ):
            raise Conflict("The key changed meanwhile.", code="key_changed")
        self.keys[read.id] = new

    def rotate_key(self, old: ApiKey, new: ApiKey) -> None:
        stored = self.keys[old.id]
        if (
            stored.status is not KeyStatus.ACTIVE
            or stored.replaced_by
            or stored.role != old.role
            or new.id in self.keys
        ):
            raise Conflict(
                "Only an active key that was not rotated can be rotated.",
                code="key_not_active",
                key_id=old.id,
            )
        self.keys[old.id] = old
        self.keys[new.id] = new

    def list_keys(self, tenant_id: str) -> list[ApiKey]:
        mine = [k for k in self.keys.values() if k.tenant_id == tenant_id]
        return sorted(mine, key=lambda k: (k.created_at, k.id), reverse=True)

    def get_staff(self, user_id: str) -> StaffUser | None:
        return self.users.get(user_id)

    def email_owner(self, email: str) -> str | None:
        claim = self.emails.get(email)
        return claim[0] if claim else None

    def add_staff(self, user: StaffUser) -> None:
        claim = self.emails.get(user.email)
        if claim is not None and (claim[0] != user.tenant_id or claim[1] not in (None, user.id)):
            raise EmailTaken("This e-mail address already belongs to a Reservoir user.")
        self.emails[user.email] = (user.tenant_id, user.id)
        self.users[user.id] = user

    def save_staff(self, user: StaffUser, *, while_owner: str | None = None) -> None:
        if user.id not in self.users:
            raise NotFound("No such staff user.")
        if while_owner is not None:
            other = self.users.get(while_owner)
            if other is None or (other.role, other.status) != (Role.OWNER, StaffStatus.ACTIVE):
                raise Conflict("A tenant keeps at least one active owner.", code="last_owner")
        if user.status is StaffStatus.ACTIVE and self.users[user.id].status is not user.status:
            raise Conflict("That login was disabled: it cannot be changed.", code="staff_disabled")
        self.users[user.id] = user

    def list_staff(self, tenant_id: str) -> list[StaffUser]:
        mine = [u for u in self.users.values() if u.tenant_id == tenant_id]
        return sorted(mine, key=lambda u: u.email)


class FakeAuditLog(AuditLog):
    def __init__(self) -> None:
        self.entries: dict[str, AuditEntry] = {}

    def record(self, entry: AuditEntry) -> None:
        self.entries.setdefault(f"{entry.at}#{entry.id}", entry)

    def list_month(
        self, month: str, *, limit: int = 100, after: str | None = None
    ) -> list[AuditEntry]:
        keys = sorted((k for k in self.entries if k.startswith(month)), reverse=True)
        if after:
            keys = [k for k in keys if k < after]
        return [self.entries[k] for k in keys[:limit]]


class FakeCatalogStore(CatalogStore):
    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.offerings: dict[str, Offering] = {}
        self.rooms: dict[tuple[str, str], RoomStatus] = {}
        self.claims: dict[str, int] | None = None  # the allowance item, None before its first
        self.price_items: dict[str, PriceListItem] = {}

    def claim_active(
        self, resource_id: str, limit: int, active: frozenset[str], at: int
    ) -> Literal["new", "held"] | None:
        if self.claims is None:
            seed = active | {resource_id}
            if len(seed) > limit:
                return None
            self.claims = {rid: 0 for rid in seed} | {resource_id: at}
            return "new"
        if resource_id in self.claims:
            return "held"
        if len(self.claims) < limit:
            self.claims[resource_id] = at
            return "new"
        return None

    def release_active(self, resource_id: str) -> None:
        if self.claims is not None:
            self.claims.pop(resource_id, None)

    def active_claims(self) -> dict[str, int]:
        return dict(self.claims or {})

    def list_resources(self) -> list[Resource]:
        return sorted(self.resources.values(), key=lambda r: (r.name.lower(), r.id))

    def get_resource(self, resource_id: str) -> Resource | None:
        return self.resources.get(resource_id)

    def put_resource(
        self, resource: Resource, *, expected_rev: int | None, replicas: int = 1
    ) -> None:
        # The copies of the revision are the resource's own rev here (FakeTransactions checks it).
        _check_rev(self.resources.get(resource.id), expected_rev, "resource")
        self.resources[resource.id] = resource

    def list_offerings(self) -> list[Offering]:
        return sorted(self.offerings.values(), key=lambda o: (o.name.lower(), o.id))

    def get_offering(self, offering_id: str) -> Offering | None:
        return self.offerings.get(offering_id)

    def put_offering(self, offering: Offering, *, expected_rev: int | None) -> None:
        _check_rev(self.offerings.get(offering.id), expected_rev, "offering")
        self.offerings[offering.id] = offering

    def list_price_items(self) -> list[PriceListItem]:
        return sorted(self.price_items.values(), key=lambda i: (i.name.lower(), i.id))

    def get_price_item(self, item_id: str) -> PriceListItem | None:
        return self.price_items.get(item_id)

    def put_price_item(self, item: PriceListItem, *, expected_rev: int | None) -> None:
        _check_rev(self.price_items.get(item.id), expected_rev, "price_item")
        self.price_items[item.id] = item

    def delete_price_item(self, item_id: str) -> None:
        self.price_items.pop(item_id, None)

    def housekeeping(self, resource_id: str) -> dict[str, RoomStatus]:
        return {room: s for (rid, room), s in self.rooms.items() if rid == resource_id}

    def set_housekeeping(self, resource_id: str, status: RoomStatus) -> None:
        self.rooms[(resource_id, status.room)] = status


def _check_rev(current: Any, expected_rev: int | None, kind: str) -> None:
    if expected_rev is None and current is not None:
        raise Conflict(f"{kind.title()} exists.", code=f"{kind}_exists")
    if expected_rev is not None and (current is None or current.rev != expected_rev):
        raise Conflict(f"The {kind} was changed.", code="version_mismatch")


class FakeOrderStore(OrderStore):
    """Orders, buckets and the events written with them; `FakeTransactions` changes them."""

    def __init__(self, catalog: FakeCatalogStore) -> None:
        self.catalog = catalog
        self.orders: dict[str, Order] = {}
        self.buckets: dict[tuple[str, str], int] = {}
        self.events: list[Record] = []
        self.entries: dict[tuple[str, int, str, str], ResourceEntry] = {}
        self.room_night_items: dict[tuple[str, str, str], RoomNight] = {}
        self.blocks: dict[str, RoomBlock] = {}
        self.commits = 0
        self.entered = True  # False: a table from before the resource entries

    def get(self, order_id: str, *, consistent: bool = True) -> Order | None:
        return self.orders.get(order_id)

    def used(
        self,
        resource_id: str,
        first_key: str,
        last_key: str,
        *,
        consistent: bool = False,
        shards: int = 1,
    ) -> dict[str, int]:
        # As the table answers: each shard's partition by its bucket's key without the shard.
        out = {}
        for (rid, key), units in sorted(self.buckets.items()):
            base, shard = split_shard(key)
            if rid == resource_id and shard < shards and first_key <= base <= last_key:
                out[key] = units
        return out

    def used_at(
        self, resource_id: str, keys: Sequence[str], *, consistent: bool = False
    ) -> dict[str, int]:
        return {k: self.buckets[(resource_id, k)] for k in keys if (resource_id, k) in self.buckets}

    @property
    def lines_all_entered(self) -> bool:
        return self.entered

    def on_day(self, local_date: str) -> list[Order]:
        mine = [o for o in self.orders.values() if o.lines[0].local_date == local_date]
        return sorted(mine, key=lambda o: (o.start, o.id))

    def of_customer(self, email: str) -> list[Order]:
        mine = [o for o in self.orders.values() if o.customer.email.lower() == email.lower()]
        return sorted(mine, key=lambda o: (o.start, o.id))

    def get_many(self, order_ids: Sequence[str], *, consistent: bool = False) -> dict[str, Order]:
        return {i: self.orders[i] for i in order_ids if i in self.orders}

    def release_room_nights(self, nights: Sequence[RoomNight]) -> None:
        for night in nights:
            held = self.room_night_items.get(night.key)
            if held is not None and held.order_id == night.order_id:
                del self.room_night_items[night.key]

    def room_nights(
        self, resource_id: str, first_night: str, last_night: str, *, consistent: bool = False
    ) -> list[RoomNight]:
        return [
            n
            for key, n in sorted(self.room_night_items.items())
            if key[0] == resource_id and first_night <= key[1] <= last_night
        ]

    def index_page(
        self, index: OrderIndex, *, after: str | None, descending: bool, limit: int
    ) -> IndexPage:
        """The index as a sorted list of (position, order id), computed from the orders (and
        the resource entries the transactions wrote), read as the store's contract says."""
        keyed = sorted(self._index_keys(index), reverse=descending)
        if after is not None:
            keyed = [k for k in keyed if (k[0] < after if descending else k[0] > after)]
        page = keyed[:limit]
        per_line = isinstance(index, ByResource)
        entries = tuple(
            IndexEntry(order_id, position, position.rsplit("#", 1)[0] if per_line else None)
            for position, order_id in page
        )
        return IndexPage(entries, page[-1][0] if len(keyed) > limit else None)

    def resource_lines(
        self,
        resource_id: str,
        shards: int,
        *,
        low: str,
        high: str,
        ends_after: str,
        limit: int,
        consistent: bool = False,
    ) -> tuple[list[ResourceEntry], bool]:
        found = sorted(
            (
                e
                for e in self.entries.values()
                if e.resource_id == resource_id
                and e.shard < shards
                and low <= e.start < high
                and e.end > ends_after
            ),
            key=lambda e: (e.start, e.order_id),
        )
        return found[:limit], len(found) <= limit

    def _index_keys(self, index: OrderIndex) -> list[tuple[str, str]]:
        orders = list(self.orders.values())

        def within(start: str, low: str | None, high: str | None) -> bool:
            return (low is None or start >= low) and (high is None or start < high)

        if isinstance(index, ByReference):
            return [("~", index.order_id)]
        if isinstance(index, ByCustomer) and not index.current:
            return []  # no order here was written before the keys-only customer index
        if isinstance(index, ByEmail | ByCustomer):
            return [
                (f"{o.start}#{o.id}", o.id)
                for o in orders
                if o.customer.id in index.customer_ids and within(o.start, index.low, index.high)
            ]
        if isinstance(index, ByPhone):
            return [
                (f"{o.start}#{o.id}", o.id)
                for o in orders
                if o.customer.phone == index.phone and within(o.start, index.low, index.high)
            ]
        if isinstance(index, ByResource):
            return [
                (f"{e.start}#{e.order_id}", e.order_id)
                for e in self.entries.values()
                if e.resource_id == index.resource_id and within(e.start, index.low, index.high)
            ]
        if isinstance(index, ByName):
            return [
                (f"{name_key(search_name(o.customer.name))}#{o.id}", o.id)
                for o in orders
                if name_key(search_name(o.customer.name)).startswith(index.prefix)
            ]
        if isinstance(index, ByCreated):
            return [
                (f"{o.created_at}#{o.id}", o.id)
                for o in orders
                if index.low <= o.created_at < index.high
            ]
        assert isinstance(index, ByStartDay)
        first, last = index.first.isoformat(), index.last.isoformat()
        return [
            (f"{start_day(o)}|{o.start}#{o.id}", o.id)
            for o in orders
            if first <= start_day(o) <= last
        ]

    def hold_part(self, order_id: str) -> str:
        return str(index_shard(order_id, HOLD_SHARDS))

    def expired_holds(self, now: str, *, part: str = "", limit: int = 100) -> list[str]:
        held = [
            o
            for o in self.orders.values()
            if o.status is BookingStatus.HELD and o.hold_expires_at and o.hold_expires_at < now
            if not part or self.hold_part(o.id) == part
        ]
        return [o.id for o in sorted(held, key=lambda o: o.hold_expires_at or "")][:limit]


def _rank(kinds: tuple[type, ...], item: TransactionItem) -> int:
    """Where an item is checked: booking's kinds in their order, others (takings) before the
    events."""
    return kinds.index(type(item)) if type(item) in kinds else len(kinds) - 1


class FakeTransactions(TenantTransactions):
    """The unit of work's writer in memory, with the rules of the real transaction: all or
    nothing, capacity ceilings, resource revisions, order versions."""

    def __init__(self, orders: FakeOrderStore, takings: FakeTakings | None = None) -> None:
        self._orders = orders
        self._takings = takings or FakeTakings()  # payments' items (FakeTakings below)
        self.invoices = FakeInvoiceStore()  # the invoices' items (FakeInvoiceStore below)
        self.gift_cards = FakeGiftCards()  # the gift cards' items (FakeGiftCards below)
        self.customers = FakeCustomerStore()  # the customers' items (FakeCustomerStore below)
        self.suggestions = FakeSuggestionStore(self.customers)  # the suggestions' (at the end)
        self.imports = FakeImports(orders)  # an import's row results (FakeImports below)
        self.coupons = FakeCoupons()  # the redemptions' items (at the end)
        self.loyalty = FakeLoyalty(self.customers)
        self.campaigns = FakeCampaignStore(self.customers)  # campaigns' (FakeCampaignStore)
        self.figures = FakeFigures()  # the daily figures' items (FakeFigures, at the end)
        self.partner_refs = FakePartnerRefs()  # partners' reference entries (at the end)
        self.idempotency = FakeIdempotencyStore()  # the tenant data's own, once it is made

    def write(self, items: Sequence[TransactionItem]) -> None:
        store = self._orders
        # Checked as the fake always has: the order, the revisions, then the buckets.
        kinds = (
            PartnerEntryPut,  # first, as the writer explains it first (a retry learns its order)
            OrderPut,
            RevisionCheck,
            BucketTake,
            BucketRelease,
            ResourceEntryPut,
            ResourceEntryDelete,
            RoomNightPut,
            RoomNightDelete,
            BlockCreate,
            BlockCount,
            BlockRelease,
            NumberTake,
            DocumentPut,
            InvoicingPut,
            OrderUnchanged,
            *CUSTOMER_KINDS,
            ResultPut,
            *CAMPAIGN_KINDS,
            EventPut,
        )
        for item in sorted(items, key=lambda i: _rank(kinds, i)):
            self._check(item)
        for item in items:
            owner = self._owner(item)
            if owner is not None:
                owner.apply(item)
            else:
                self._apply(item)
        store.commits += 1

    def _apply(self, item: TransactionItem) -> None:
        store = self._orders
        if isinstance(item, OrderPut):
            store.orders[item.order.id] = item.order
        elif isinstance(item, BucketTake):
            key = (item.take.bucket.resource_id, item.take.bucket.key)
            store.buckets[key] = store.buckets.get(key, 0) + item.take.units
        elif isinstance(item, BucketRelease):
            key = (item.take.bucket.resource_id, item.take.bucket.key)
            store.buckets[key] -= item.take.units
        elif isinstance(item, ResourceEntryPut):
            store.entries[item.entry.key] = item.entry
        elif isinstance(item, ResourceEntryDelete):
            store.entries.pop(item.entry.key, None)
        elif isinstance(item, RoomNightPut):
            store.room_night_items[item.night.key] = item.night
        elif isinstance(item, RoomNightDelete):
            store.room_night_items.pop(item.night.key)
        elif isinstance(item, EventPut):
            store.events.append(item.event)
        elif isinstance(item, NumberTake | DocumentPut | InvoicingPut | OrderUnchanged):
            self.invoices.apply(item)
        else:
            self._apply_block(item)

    def _apply_block(self, item: TransactionItem) -> None:
        blocks = self._orders.blocks
        if isinstance(item, BlockCreate):
            blocks[item.block.id] = item.block
        elif isinstance(item, BlockCount):
            block = blocks[item.block_id]
            picked = dict(block.picked)
            for night, units in item.counts:
                picked[night] = picked.get(night, 0) + units
            blocks[item.block_id] = replace(block, picked=picked, version=block.version + 1)
        elif isinstance(item, BlockRelease):
            blocks[item.block.id] = replace(
                item.block,
                status=BlockStatus.RELEASED,
                released_at=item.at,
                version=item.block.version + 1,
            )

    def _check(self, item: TransactionItem) -> None:
        store = self._orders
        if isinstance(item, OrderPut):
            self._check_order(item)
        elif isinstance(item, RevisionCheck):
            resource = store.catalog.resources.get(item.resource_id)
            if resource is None or resource.rev != item.rev:
                raise StaleCatalog("A resource changed.", resource_id=item.resource_id)
        elif isinstance(item, BucketTake):
            key = (item.take.bucket.resource_id, item.take.bucket.key)
            if store.buckets.get(key, 0) + item.take.units > item.take.capacity:
                raise SlotUnavailable("Not enough left.", resource_id=key[0], bucket=key[1])
        elif isinstance(item, BucketRelease):
            key = (item.take.bucket.resource_id, item.take.bucket.key)
            if store.buckets.get(key, 0) < item.take.units:
                raise Conflict("Inventory is out of step.", code="release_failed")
        else:
            self._check_other(item)

    def _owner(self, item: TransactionItem) -> Any:
        """The fake store of another capability that owns the item (its `check`, `apply`)."""
        stores = (
            self.customers,
            self._takings,
            self.suggestions,
            self.imports,
            self.coupons,
            self.loyalty,
            self.campaigns,
            self.gift_cards,
            self.figures,
            self.partner_refs,
        )
        return next((store for store in stores if store.owns(item)), None)

    def _check_other(self, item: TransactionItem) -> None:
        owner = self._owner(item)
        if owner is not None:
            owner.check(item)
        elif isinstance(item, OrderUnchanged):
            order = self._orders.orders.get(item.order_id)
            if order is None or order.version != item.version:
                raise Conflict("The order changed.", code="version_mismatch")
        elif isinstance(item, NumberTake | DocumentPut | InvoicingPut):
            self.invoices.check(item)
        elif isinstance(item, RoomNightPut | RoomNightDelete):
            self._check_room(item)
        elif isinstance(item, BlockCreate | BlockCount | BlockRelease):
            self._check_block(item)
        elif isinstance(item, EventPut) and any(e.id == item.event.id for e in self._orders.events):
            raise Conflict("The event is written already.", code="event_exists")

    def _check_block(self, item: BlockCreate | BlockCount | BlockRelease) -> None:
        """The conditions booking/adapters/block_items.py writes."""
        blocks = self._orders.blocks
        if isinstance(item, BlockCreate):
            if item.block.id in blocks:
                raise Conflict("The block exists.", code="block_exists")
            return
        block = blocks.get(item.block.id if isinstance(item, BlockRelease) else item.block_id)
        status = item.status if isinstance(item, BlockCount) else BlockStatus.HELD
        if block is None or block.status is not status:
            raise Conflict("The block changed.", code="block_changed")
        if isinstance(item, BlockRelease) and block.version != item.block.version:
            raise Conflict("The block changed.", code="block_changed")
        if isinstance(item, BlockCount):
            after = [block.picked.get(n, 0) + c for n, c in item.counts]
            if any(p > item.rooms for p in after):
                raise Conflict("The block is full.", code="block_full")
            if any(p < 0 for p in after):
                raise Conflict("The block changed.", code="block_full")

    def _check_room(self, item: RoomNightPut | RoomNightDelete) -> None:
        held = self._orders.room_night_items.get(item.night.key)
        if isinstance(item, RoomNightPut) and held is not None:
            n = item.night
            raise Conflict("Taken.", code="room_taken", room=n.room, night=n.night)
        if isinstance(item, RoomNightDelete) and (
            held is None or held.order_id != item.night.order_id
        ):
            raise Conflict("Out of step.", code="room_out_of_step")

    def _check_order(self, item: OrderPut) -> None:
        """The order's condition, as the DynamoDB transaction puts it."""
        current = self._orders.orders.get(item.order.id)
        if item.expected_version is None:
            if current is not None:
                raise Conflict("The order exists.", code="order_exists")
        elif (
            current is None
            or current.version != item.expected_version
            or current.status is not (item.expected_status or item.order.status)
        ):
            raise Conflict("The order was changed.", code="version_mismatch")


class FakeInvoiceStore(InvoiceStore):
    """Issued documents, invoicings and series counters, with the conditions of
    invoices/adapters/invoice_items.py (checked and applied by FakeTransactions)."""

    def __init__(self) -> None:
        self.docs: dict[str, Invoice] = {}
        self.invoicings: dict[str, OrderInvoicing] = {}
        self.counters: dict[tuple[str, int], int] = {}

    def get(self, invoice_id: str) -> Invoice | None:
        return self.docs.get(invoice_id)

    def invoicing(self, order_id: str) -> OrderInvoicing:
        return self.invoicings.get(order_id, OrderInvoicing(order_id=order_id))

    def last_sequence(self, series: str, year: int) -> int:
        return self.counters.get((series, year), 0)

    def month(
        self, month: str, *, limit: int, after: str | None
    ) -> tuple[list[Invoice], str | None]:
        docs = sorted(
            (d for d in self.docs.values() if d.issue_date[:7] == month),
            key=lambda d: (d.issued_at, d.id),
        )
        try:
            start = int(after) if after else 0
        except ValueError as exc:  # as the real store: a cursor it never gave is refused
            raise InvalidInput("Not a cursor of this list.", code="invalid_cursor") from exc
        page = docs[start : start + limit]
        return page, str(start + limit) if start + limit < len(docs) else None

    def check(self, item: NumberTake | DocumentPut | InvoicingPut) -> None:
        if isinstance(item, NumberTake):
            if self.counters.get((item.series, item.year), 0) != item.sequence - 1:
                raise Conflict("Another document took that number.", code="number_taken")
        elif isinstance(item, DocumentPut):
            if item.doc.id in self.docs:
                raise Conflict("The document exists.", code="document_exists")
        elif self.invoicing(item.invoicing.order_id).version != item.expected_version:
            raise Conflict("The order's invoicing changed.", code="invoicing_changed")

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, NumberTake):
            self.counters[(item.series, item.year)] = item.sequence
        elif isinstance(item, DocumentPut):
            self.docs[item.doc.id] = item.doc
        elif isinstance(item, InvoicingPut):
            self.invoicings[item.invoicing.order_id] = item.invoicing


class FakeDocumentFiles(DocumentFiles):
    """The documents' files in memory; a link names its key and when it stops working."""

    def __init__(self, now: Callable[[], str]) -> None:
        self.files: dict[str, tuple[bytes, str]] = {}
        self.puts = 0
        self._now = now

    def exists(self, key: str) -> bool:
        return key in self.files

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.puts += 1
        self.files[key] = (body, content_type)

    def link(self, key: str, filename: str, seconds: int) -> str:
        query = urllib.parse.urlencode({"expires": seconds, "at": self._now(), "name": filename})
        return f"https://files.test/{urllib.parse.quote(key)}?{query}"

    def fetch(self, url: str) -> bytes:
        """What a GET of a link gives (a test reads the file through the link it was given)."""
        parts = urllib.parse.urlsplit(url)
        return self.files[urllib.parse.unquote(parts.path.lstrip("/"))][0]


class FakeIdempotencyStore(IdempotencyStore):
    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}

    def claim(self, key: str, request_hash: str, now: str) -> dict[str, Any] | None:
        if key in self.records:
            return copy.deepcopy(self.records[key])
        self.records[key] = {
            "state": "in_progress",
            "request_hash": request_hash,
            "started_at": now,
            "started_epoch": int(parse_time(now).timestamp()),
        }
        return None

    def finish(self, key: str, response: dict[str, Any]) -> None:
        self.records[key].update(state="done", response=copy.deepcopy(response))

    def release(self, key: str) -> None:
        self.records.pop(key, None)

    def find(self, key: str) -> dict[str, Any] | None:
        record = self.records.get(key)
        return None if record is None else copy.deepcopy(record)


class FakeEventStream:
    """The change streams of the fake tenant tables: one INSERT record per event committed,
    as DynamoDB Streams shows it and Lambda hands it on (the item from `event_item`)."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        # tenant id -> the ids of the events already read (by id, not by count: an erase
        # deletes events, privacy_erase.py, and a count would then skip the next ones)
        self._read: dict[str, set[str]] = {}
        self._sequence = 0

    def records(self) -> list[dict[str, Any]]:
        records = []
        for tenant_id, data in self._factory().data.items():
            seen = self._read.setdefault(tenant_id, set())
            for event in [e for e in data.orders.events if e.id not in seen]:
                seen.add(event.id)
                self._sequence += 1
                item = event_item(event)
                records.append(
                    {
                        "eventID": f"fake-{self._sequence}",
                        "eventName": "INSERT",
                        "eventSource": "aws:dynamodb",
                        "awsRegion": "us-east-1",
                        "eventSourceARN": (
                            "arn:aws:dynamodb:us-east-1:123456789012:table/"
                            f"{data.table_name}/stream/2026-01-01T00:00:00.000"
                        ),
                        "dynamodb": {
                            "Keys": {"pk": item["pk"], "sk": item["sk"]},
                            "NewImage": item,
                            "SequenceNumber": f"{self._sequence:021d}",
                            "StreamViewType": "NEW_IMAGE",
                        },
                    }
                )
        return records


class FakeLedger(ConsumerLedger):
    def __init__(self) -> None:
        self.entries: dict[str, dict[str, str]] = {}
        self.events: dict[str, dict[str, Any]] = {}  # event id -> state, lease_until, done
        self.writes = 0  # event ledger writes, as DynamoDB would bill them

    def claim_event(self, event_id: str, *, now: str, lease_until: str) -> frozenset[str] | None:
        self.writes += 1
        entry = self.events.get(event_id)
        if entry is not None and entry["state"] == "done":
            return None
        if entry is not None and entry["state"] == "pending" and entry["lease_until"] >= now:
            raise WorkInProgress("Another attempt is doing this now.", key=event_id)
        entry = self.events.setdefault(event_id, {"done": set()})
        entry.update(state="pending", lease_until=lease_until)
        return frozenset(entry["done"])

    def mark(self, event_id: str, key: str) -> None:
        self.writes += 1
        self.events.setdefault(event_id, {"state": "pending", "done": set()})["done"].add(key)

    def finish_event(self, event_id: str, *, now: str, marks: frozenset[str] = frozenset()) -> None:
        self.writes += 1
        self.events[event_id].update(state="done", lease_until="")
        self.events[event_id]["done"] |= marks

    def release_event(
        self, event_id: str, *, lease_until: str, marks: frozenset[str] = frozenset()
    ) -> None:
        self.writes += 1
        entry = self.events.get(event_id, {})
        if entry.get("state") == "pending" and entry.get("lease_until") == lease_until:
            self.events[event_id].update(state="released", lease_until="")
            self.events[event_id]["done"] |= marks
        else:
            for key in sorted(marks):
                self.mark(event_id, key)

    def claim(self, key: str, *, now: str, lease_until: str) -> bool:
        entry = self.entries.get(key)
        if entry is not None and entry["state"] == "done":
            return False
        if entry is not None and entry["lease_until"] >= now:
            raise WorkInProgress("Another attempt is doing this now.", key=key)
        self.entries[key] = {"state": "pending", "lease_until": lease_until}
        return True

    def complete(self, key: str, *, now: str) -> None:
        self.entries[key] = {"state": "done", "done_at": now}

    def release(self, key: str) -> None:
        if self.entries.get(key, {}).get("state") == "pending":
            del self.entries[key]

    def done(self, prefix: str = "") -> list[str]:
        return sorted(
            k for k, v in self.entries.items() if v["state"] == "done" and k.startswith(prefix)
        )


class FakeTemplateStore(TemplateStore):
    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str], dict[str, str]] = {}

    def get(self, kind: str, channel: str, locale: str) -> dict[str, str] | None:
        found = self.items.get((kind, channel, locale))
        return None if found is None else dict(found)

    def of_kind(self, kind: str, locale: str) -> dict[str, dict[str, str]]:
        return {c: dict(v) for (k, c, lo), v in self.items.items() if (k, lo) == (kind, locale)}

    def put(self, kind: str, channel: str, locale: str, parts: dict[str, str], at: str) -> None:
        self.items[(kind, channel, locale)] = dict(parts)

    def delete(self, kind: str, channel: str, locale: str) -> bool:
        return self.items.pop((kind, channel, locale), None) is not None

    def list(self) -> dict[tuple[str, str, str], dict[str, str]]:
        return {k: dict(v) for k, v in self.items.items()}


class FakeListenerCounts(ListenerCounts):
    """The counts as the real ones keep them (moved with each endpoint or connection created or
    deleted): read off the fake stores themselves. `known` False: a table from before them."""

    def __init__(self, data: FakeTenantData, *, known: bool = True) -> None:
        self._data = data
        self.known = known
        self.reads = 0

    def get(self) -> Listeners | None:
        self.reads += 1
        if not self.known:
            return None
        data = self._data
        return Listeners(
            len(data.webhooks.endpoints),
            len(data.connections.items),
            len(data.templates.items),
            len(data.alert_prefs.prefs),
        )

    def start(self) -> None:
        self.known = True


class FakeTableFormat(TableFormat):
    """The table's format mark: `marked` once the provisioning has put it."""

    def __init__(self) -> None:
        self.marked = False

    def mark_new(self) -> None:
        self.marked = True


class FakeWebhookStore(WebhookStore):
    """Endpoints, health, deliveries and the log, with the real store's claim rule; events
    are the order store's (as the real store reads the `EVT#` items the commits write)."""

    def __init__(self, orders: FakeOrderStore) -> None:
        self._orders = orders
        self.endpoints: dict[str, WebhookEndpoint] = {}
        self.healths: dict[str, EndpointHealth] = {}
        self.deliveries: dict[tuple[str, str], Delivery] = {}
        self.log: dict[str, DeliveryAttempt] = {}  # sort key -> attempt

    def list_endpoints(self) -> list[WebhookEndpoint]:
        return sorted(self.endpoints.values(), key=lambda e: (e.created_at, e.id))

    def get_endpoint(self, endpoint_id: str) -> WebhookEndpoint | None:
        return self.endpoints.get(endpoint_id)

    def put_endpoint(self, endpoint: WebhookEndpoint, *, expected_version: int | None) -> None:
        current = self.endpoints.get(endpoint.id)
        if (expected_version is None and current is not None) or (
            expected_version is not None
            and (current is None or current.version != expected_version)
        ):
            raise Conflict("The endpoint was changed.", code="version_mismatch")
        self.endpoints[endpoint.id] = endpoint

    def delete_endpoint(self, endpoint_id: str) -> None:
        self.endpoints.pop(endpoint_id, None)
        self.healths.pop(endpoint_id, None)

    def health(self, endpoint_id: str) -> EndpointHealth:
        return self.healths.get(endpoint_id, EndpointHealth())

    def note_success(self, endpoint_id: str, at: str) -> None:
        self.healths[endpoint_id] = EndpointHealth(last_success_at=at)

    def forget_failures(self, endpoint_id: str) -> None:
        h = self.health(endpoint_id)
        self.healths[endpoint_id] = replace(h, consecutive_failures=0, failing_since=None)

    def note_failure(self, endpoint_id: str, at: str) -> EndpointHealth:
        h = self.health(endpoint_id)
        self.healths[endpoint_id] = EndpointHealth(
            consecutive_failures=h.consecutive_failures + 1,
            failing_since=h.failing_since or at,
            last_success_at=h.last_success_at,
            last_failure_at=at,
        )
        return self.healths[endpoint_id]

    def create_delivery(self, delivery: Delivery) -> Delivery:
        return self.deliveries.setdefault((delivery.endpoint_id, delivery.id), delivery)

    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None:
        return self.deliveries.get((endpoint_id, delivery_id))

    def claim_attempt(
        self, endpoint_id: str, delivery_id: str, attempt: int, *, now: str, lease_until: str
    ) -> bool:
        d = self.deliveries.get((endpoint_id, delivery_id))
        if d is None or d.status is not DeliveryStatus.PENDING:
            return False
        after_previous = d.attempts == attempt - 1 and d.lease_until is None
        lease_ran_out = d.attempts == attempt and d.lease_until is not None and d.lease_until < now
        if not (after_previous or lease_ran_out):
            return False
        self.deliveries[(endpoint_id, delivery_id)] = replace(
            d, attempts=attempt, lease_until=lease_until
        )
        return True

    def finish_attempt(self, delivery: Delivery) -> None:
        self.deliveries[(delivery.endpoint_id, delivery.id)] = replace(delivery, lease_until=None)

    def record_attempt(self, attempt: DeliveryAttempt) -> None:
        sk = f"ATT#{attempt.at}#{attempt.delivery_id}#{attempt.attempt:04d}"
        self.log[f"{attempt.endpoint_id}|{sk}"] = attempt

    def attempts(
        self, endpoint_id: str, *, limit: int = 50, after: str | None = None
    ) -> list[tuple[str, DeliveryAttempt]]:
        mine = sorted(
            ((k.split("|", 1)[1], a) for k, a in self.log.items() if a.endpoint_id == endpoint_id),
            key=lambda pair: pair[0],
            reverse=True,
        )
        if after:
            mine = [(k, a) for k, a in mine if k < after]
        return mine[:limit]

    def event(self, event_id: str) -> Record | None:
        return next((e for e in self._orders.events if e.id == event_id), None)

    def events_between(
        self, start: str, end: str, *, after: str | None = None, limit: int = 100
    ) -> list[tuple[str, Record]]:
        keyed = sorted((f"{e.at}#{e.id}", e) for e in self._orders.events)
        low = max(start, after or "")
        parse_time(low.split("#")[0])  # as the store reads the day it starts on
        return [(k, e) for k, e in keyed if low <= k <= end and k != after][:limit]


class FakeCalendarFeedStore(CalendarFeedStore):
    def __init__(self) -> None:
        self.feeds: dict[str, dict[str, str]] = {}

    def get(self, resource_id: str) -> dict[str, str] | None:
        return self.feeds.get(resource_id)

    def put(self, resource_id: str, token_hash: str, *, at: str, by: str) -> None:
        self.feeds[resource_id] = {"token_hash": token_hash, "created_at": at, "created_by": by}

    def delete(self, resource_id: str) -> bool:
        return self.feeds.pop(resource_id, None) is not None


class FakeResolver(HostResolver):
    """Host names -> addresses; unknown names resolve to one public address."""

    def __init__(self) -> None:
        self.hosts: dict[str, list[str]] = {"localhost": ["127.0.0.1"]}

    def addresses(self, host: str) -> list[str]:
        try:
            import ipaddress

            return [str(ipaddress.ip_address(host))]
        except ValueError:
            return self.hosts.get(host, ["93.184.216.34"])


@dataclass
class Posted:
    url: str
    body: bytes
    headers: dict[str, str]


class FakeWebhookSender(WebhookSender):
    """Records every POST; answers from `script` (status codes, None for no answer), then
    `default`."""

    def __init__(self) -> None:
        self.posted: list[Posted] = []
        self.script: list[int | None] = []
        self.default: int | None = 200

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> PostResult:
        self.posted.append(Posted(url, body, dict(headers)))
        status = self.script.pop(0) if self.script else self.default
        error = None if status is not None else "URLError: connection refused"
        return PostResult(status=status, latency_ms=12, error=error)


class FakeRateCounters(RateCounters):
    """Window counters in memory, with the adapter's rule: a full window counts nothing."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, int], int] = {}
        self.expiry: dict[tuple[str, int], int] = {}

    def take(self, key: str, window_start: int, *, limit: int, expires_at: int) -> bool:
        used = self.counts.get((key, window_start), 0)
        if used >= limit:
            return False
        self.counts[(key, window_start)] = used + 1
        self.expiry.setdefault((key, window_start), expires_at)
        return True


@dataclass
class FakeTenantData(TenantData):
    tenant_id: str
    table_name: str
    _audit: FakeAuditLog = field(default_factory=FakeAuditLog)
    _catalog: FakeCatalogStore = field(default_factory=FakeCatalogStore)
    _idempotency: FakeIdempotencyStore = field(default_factory=FakeIdempotencyStore)
    _orders: FakeOrderStore | None = None
    _transactions: FakeTransactions | None = None
    _ledger: FakeLedger = field(default_factory=FakeLedger)
    _templates: FakeTemplateStore = field(default_factory=FakeTemplateStore)
    _webhooks: FakeWebhookStore | None = None
    _calendar_feeds: FakeCalendarFeedStore = field(default_factory=FakeCalendarFeedStore)
    _bulk_jobs: FakeBulkJobs = field(default_factory=lambda: FakeBulkJobs())
    _alert_prefs: FakeAlertPrefs = field(default_factory=lambda: FakeAlertPrefs())
    _payments: FakeTenantPaymentRecords = field(default_factory=lambda: FakeTenantPaymentRecords())
    _counters: FakeRateCounters = field(default_factory=FakeRateCounters)
    _takings: FakeTakings = field(default_factory=lambda: FakeTakings())
    _exports: FakeExports = field(default_factory=lambda: FakeExports())
    _channel_outbound: FakeOutboundStore = field(default_factory=lambda: FakeOutboundStore())
    _connections: FakeConnectionStore = field(default_factory=lambda: FakeConnectionStore())
    _inbound: FakeInboundStore = field(default_factory=lambda: FakeInboundStore())
    _octo: FakeOctoStore = field(default_factory=lambda: FakeOctoStore())
    _table_format: FakeTableFormat = field(default_factory=lambda: FakeTableFormat())
    # A customer's own partitions (`CUS#<id>`, `LOY#<id>`): pk -> sk -> item.
    customer_items: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    erasing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ERASING#<id>: its ids

    def __post_init__(self) -> None:
        self._orders = FakeOrderStore(self._catalog)
        self._transactions = FakeTransactions(self._orders, self._takings)
        self._transactions.idempotency = self._idempotency
        self._webhooks = FakeWebhookStore(self._orders)
        self._listeners = FakeListenerCounts(self)

    @property
    def listeners(self) -> FakeListenerCounts:
        return self._listeners

    @property
    def table_format(self) -> FakeTableFormat:
        return self._table_format

    def order_and_listeners(self, order_id: str) -> tuple[Order | None, Listeners | None]:
        self.order_and_listeners_reads = getattr(self, "order_and_listeners_reads", 0) + 1
        return self.orders.get(order_id), self._listeners.get()

    @property
    def audit(self) -> FakeAuditLog:
        return self._audit

    @property
    def catalog(self) -> FakeCatalogStore:
        return self._catalog

    @property
    def orders(self) -> FakeOrderStore:
        assert self._orders is not None
        return self._orders

    @property
    def transactions(self) -> FakeTransactions:
        assert self._transactions is not None
        return self._transactions

    @property
    def idempotency(self) -> FakeIdempotencyStore:
        return self._idempotency

    @property
    def takings(self) -> FakeTakings:
        return self._takings

    @property
    def payments(self) -> FakeTenantPaymentRecords:
        return self._payments

    @property
    def bookings(self) -> FakeTenantPaymentRecords:
        return self._payments

    @property
    def ledger(self) -> FakeLedger:
        return self._ledger

    @property
    def templates(self) -> FakeTemplateStore:
        return self._templates

    @property
    def webhooks(self) -> FakeWebhookStore:
        assert self._webhooks is not None
        return self._webhooks

    @property
    def calendar_feeds(self) -> FakeCalendarFeedStore:
        return self._calendar_feeds

    @property
    def counters(self) -> FakeRateCounters:
        return self._counters

    @property
    def bulk_jobs(self) -> FakeBulkJobs:
        return self._bulk_jobs

    @property
    def blocks(self) -> FakeBlocks:
        return FakeBlocks(self.orders)

    @property
    def alert_prefs(self) -> FakeAlertPrefs:
        return self._alert_prefs

    @property
    def invoices(self) -> FakeInvoiceStore:
        return self.transactions.invoices

    @property
    def gift_cards(self) -> FakeGiftCards:
        return self.transactions.gift_cards

    @property
    def suggestions(self) -> FakeSuggestionStore:
        return self.transactions.suggestions

    @property
    def customers(self) -> FakeCustomerStore:
        return self.transactions.customers

    @property
    def imports(self) -> FakeImports:
        return self.transactions.imports

    @property
    def campaigns(self) -> FakeCampaignStore:
        return self.transactions.campaigns

    @property
    def figures(self) -> FakeFigures:
        return self.transactions.figures

    @property
    def exports(self) -> FakeExports:
        return self._exports

    @property
    def channel_outbound(self) -> FakeOutboundStore:
        return self._channel_outbound

    @property
    def event_log(self) -> FakeEventLog:
        return FakeEventLog(self.webhooks)

    @property
    def privacy(self) -> FakePrivacyStore:
        return FakePrivacyStore(self, self.customer_items, self.erasing)

    @property
    def coupons(self) -> FakeCoupons:
        return self.transactions.coupons

    @property
    def loyalty(self) -> FakeLoyalty:
        return self.transactions.loyalty

    @property
    def connections(self) -> FakeConnectionStore:
        return self._connections

    @property
    def partner_refs(self) -> FakePartnerRefs:
        return self.transactions.partner_refs

    @property
    def inbound(self) -> FakeInboundStore:
        return self._inbound

    @property
    def octo(self) -> FakeOctoStore:
        return self._octo

    @property
    def merges(self) -> FakeLoyalty:
        return self.loyalty

    @property
    def redeemer(self) -> FakeRedeemer:
        return FakeRedeemer(CustomerRedeemer(self.coupons, self.loyalty))


class FakeEventLog(EventLog):
    def __init__(self, webhooks: FakeWebhookStore) -> None:
        self._webhooks = webhooks

    def between(
        self, start: str, end: str, *, after: str | None, limit: int
    ) -> list[tuple[str, Record]]:
        return self._webhooks.events_between(start, end, after=after, limit=limit)


class FakeAlertPrefs(AlertPrefStore):
    def __init__(self) -> None:
        self.prefs: dict[str, AlertPrefs] = {}

    def get(self, user_id: str) -> AlertPrefs | None:
        return self.prefs.get(user_id)

    def put(self, prefs: AlertPrefs) -> None:
        self.prefs[prefs.user_id] = prefs

    def all(self) -> list[AlertPrefs]:
        return [p for _, p in sorted(self.prefs.items())]


class FakeBlocks(BlockStore):
    def __init__(self, orders: FakeOrderStore) -> None:
        self._orders = orders

    def get(self, block_id: str) -> RoomBlock | None:
        return self._orders.blocks.get(block_id)

    def list(self) -> list[RoomBlock]:
        return [b for _, b in sorted(self._orders.blocks.items())]


class FakeBulkJobs(BulkJobStore):
    def __init__(self) -> None:
        self.jobs: dict[str, BulkJob] = {}
        self.job_results: dict[str, dict[str, BulkResult]] = {}

    def create(self, job: BulkJob) -> None:
        if job.id in self.jobs:
            raise Conflict("The job exists.", code="job_exists")
        self.jobs[job.id] = job

    def get(self, job_id: str) -> BulkJob | None:
        return self.jobs.get(job_id)

    def set_status(self, job_id: str, status: JobStatus, *, at: str | None = None) -> None:
        job = self.jobs[job_id]
        self.jobs[job_id] = replace(job, status=status, finished_at=at or job.finished_at)

    def claim(self, job_id: str, *, now: str, until: str) -> bool:
        job = self.jobs[job_id]
        if job.lease_until is not None and job.lease_until >= now:
            return False
        self.jobs[job_id] = replace(job, lease_until=until, started_at=job.started_at or now)
        return True

    def let_go(self, job_id: str, *, now: str) -> None:
        self.jobs[job_id] = replace(self.jobs[job_id], lease_until=None)

    def nudge(self, job_id: str, *, now: str, seen: str | None) -> bool:
        job = self.jobs[job_id]
        if job.nudged_at != seen:
            return False
        self.jobs[job_id] = replace(job, nudged_at=now)
        return True

    def put_result(self, job_id: str, result: BulkResult) -> bool:
        mine = self.job_results.setdefault(job_id, {})
        if result.order_id in mine:
            return False
        mine[result.order_id] = result
        return True

    def results(self, job_id: str) -> list[BulkResult]:
        return [r for _, r in sorted(self.job_results.get(job_id, {}).items())]


class FakeImports(ImportStore):
    """Imports in memory (customers/adapters/import_store.py); `crash_after` results makes the
    next result's write fail as a worker dying would (a test of resuming)."""

    def __init__(self, orders: FakeOrderStore | None = None) -> None:
        self.jobs: dict[str, ImportJob] = {}
        self.stored_rows: dict[str, list[StoredRow]] = {}
        self.row_results: dict[str, dict[int, RowResult]] = {}
        self.crash_after: int | None = None
        self._orders = orders  # where the unit of work keeps the events written

    def events_made(self, event_ids: Sequence[str]) -> set[str]:
        written = {e.id for e in self._orders.events} if self._orders is not None else set()
        return written & set(event_ids)

    def create(self, job: ImportJob, rows: Sequence[StoredRow]) -> None:
        self.stored_rows[job.id] = list(rows)
        if job.id in self.jobs:
            raise Conflict("The import exists.", code="import_exists")
        self.jobs[job.id] = job

    def get(self, import_id: str) -> ImportJob | None:
        return self.jobs.get(import_id)

    def recent(self, limit: int) -> list[ImportJob]:
        jobs = sorted(self.jobs.values(), key=lambda j: (j.created_at, j.id), reverse=True)
        return jobs[:limit]

    def rows(self, import_id: str) -> list[StoredRow]:
        return list(self.stored_rows.get(import_id, []))

    def drop_rows(self, import_id: str) -> None:
        self.stored_rows.pop(import_id, None)

    def set_status(self, import_id: str, status: ImportStatus, *, at: str | None = None) -> None:
        job = self.jobs[import_id]
        self.jobs[import_id] = replace(job, status=status, finished_at=at or job.finished_at)

    def claim(self, import_id: str, *, now: str, until: str) -> bool:
        job = self.jobs[import_id]
        if job.lease_until is not None and job.lease_until >= now:
            return False
        self.jobs[import_id] = replace(job, lease_until=until)
        return True

    def let_go(self, import_id: str, *, now: str) -> None:
        self.jobs[import_id] = replace(self.jobs[import_id], lease_until=None)

    def nudge(self, import_id: str, *, now: str, seen: str | None) -> bool:
        job = self.jobs[import_id]
        if job.nudged_at != seen:
            return False
        self.jobs[import_id] = replace(job, nudged_at=now)
        return True

    @staticmethod
    def owns(item: TransactionItem) -> bool:
        return isinstance(item, ResultPut)

    def check(self, item: TransactionItem) -> None:
        """The condition customers/adapters/import_store.py writes: one result per row."""
        if isinstance(item, ResultPut) and item.result.row in self.row_results.get(
            item.import_id, {}
        ):
            raise Conflict("The row has its result.", code="row_done")

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, ResultPut):
            self.put_result(item.import_id, item.result)

    def put_result(self, import_id: str, result: RowResult) -> bool:
        mine = self.row_results.setdefault(import_id, {})
        if result.row in mine:
            return False
        if self.crash_after is not None and len(mine) >= self.crash_after:
            self.crash_after = None
            raise SystemExit("simulated crash before the row's result")
        mine[result.row] = result
        return True

    def results(self, import_id: str) -> list[RowResult]:
        return [r for _, r in sorted(self.row_results.get(import_id, {}).items())]


class FakeTenantTables(TenantTables):
    def __init__(self) -> None:
        self.tables: dict[str, dict[str, str]] = {}
        self.calls = 0
        self.fail_next = 0  # simulate a crash half-way

    def ensure_table(self, table_name: str, tags: dict[str, str]) -> None:
        self.calls += 1
        if self.fail_next:
            self.fail_next -= 1
            raise TimeoutError("simulated crash while creating the table")
        self.tables.setdefault(table_name, dict(tags))


class FakeTenantDataFactory(TenantDataFactory):
    def __init__(self, tables: FakeTenantTables) -> None:
        self.tables = tables
        self.data: dict[str, FakeTenantData] = {}

    def for_tenant(self, tenant: Tenant) -> FakeTenantData:
        if tenant.table_name not in self.tables.tables:
            from chalicelib.kernel.domain.errors import TenantNotReady

            raise TenantNotReady("The tenant's data store is not ready.")
        return self.data.setdefault(tenant.id, FakeTenantData(tenant.id, tenant.table_name))

    def for_tenant_id(self, tenant_id: str) -> FakeTenantData:
        from chalicelib.kernel.domain.errors import TenantNotReady
        from chalicelib.settings import Settings

        table_name = Settings().tenant_table_name(tenant_id)
        if table_name not in self.tables.tables:
            raise TenantNotReady("The tenant's data store is not ready.")
        return self.data.setdefault(tenant_id, FakeTenantData(tenant_id, table_name))


class FakeDirectory(StaffDirectory):
    def __init__(self) -> None:
        self.users: dict[str, dict[str, Any]] = {}

    def create_user(self, *, email: str, name: str, tenant_id: str) -> str:
        user = self.users.setdefault(
            email, {"sub": f"sub-{len(self.users) + 1:04d}", "name": name, "enabled": True}
        )
        return user["sub"]

    def disable_user(self, email: str) -> None:
        self.users[email]["enabled"] = False

    def enable_user(self, email: str) -> None:
        self.users[email]["enabled"] = True


class FakeBus(MessageBus):
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.fail_batch_positions: set[int] = set()
        self.fail_queue: str | None = None  # fail_batch_positions: of this queue's next batch
        self.delays: dict[str, list[int]] = {}  # queue -> each message's delay, in order sent

    def send(self, queue_name: str, body: dict[str, Any], *, delay_seconds: int = 0) -> None:
        self.sent.append((queue_name, copy.deepcopy(body)))
        self.delays.setdefault(queue_name, []).append(delay_seconds)

    def send_batch(self, queue_name: str, bodies: list[dict[str, Any]]) -> list[int]:
        """Sends all, except the positions `fail_batch_positions` names (then forgets them; only
        in a batch for `fail_queue`, when it names one)."""
        if self.fail_queue not in (None, queue_name):
            failed: list[int] = []
        else:
            failed, self.fail_batch_positions = sorted(self.fail_batch_positions), set()
        for position, body in enumerate(bodies):
            if position not in failed:
                self.send(queue_name, body)
        return [p for p in failed if p < len(bodies)]

    def take(self, queue_name: str) -> list[dict[str, Any]]:
        mine = [body for name, body in self.sent if name == queue_name]
        self.sent = [(name, body) for name, body in self.sent if name != queue_name]
        return mine


class FakeMailer(Mailer):
    def __init__(self) -> None:
        self.sent: list[Email] = []
        self.fail_next = 0
        self.refuse: set[str] = set()  # addresses SES refuses (MessageRejected)

    def send(self, email: Email) -> str:
        if self.fail_next:
            self.fail_next -= 1
            raise TransientFailure("simulated mail outage")
        if email.to in self.refuse:
            raise InvalidInput("The e-mail was refused.", code="message_refused")
        self.sent.append(email)
        return f"mail-{len(self.sent)}"

    def to(self, address: str) -> list[Email]:
        return [e for e in self.sent if e.to == address]


class FakeSms(SmsSender):
    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str, *, sender_id: str | None = None) -> str:
        self.sent.append((phone, text))
        return f"sms-{len(self.sent)}"


class FakeReminderScheduler(ReminderScheduler):
    """One-time schedules by name; `due(now)` takes those whose time has come."""

    def __init__(self) -> None:
        self.schedules: dict[str, tuple[str, dict[str, Any]]] = {}
        self.cancelled: list[str] = []

    def schedule(self, name: str, at: str, payload: dict[str, Any]) -> None:
        self.schedules.setdefault(name, (at, copy.deepcopy(payload)))

    def cancel(self, name: str) -> None:
        self.cancelled.append(name)
        self.schedules.pop(name, None)

    def due(self, now: str) -> list[dict[str, Any]]:
        names = sorted(
            (n for n, (at, _) in self.schedules.items() if at <= now),
            key=lambda n: self.schedules[n][0],
        )
        return [self.schedules.pop(n)[1] for n in names]


RAISED_RATE_LIMIT_SCALE = 1000


class FakeTokenVerifier(TokenVerifier):
    """Tokens it issued itself, each standing for its claims; anything else is refused as
    the real verifier refuses it. (The API tier uses the real Cognito verifier against a
    key made in tests/api/conftest.py, so the JWT checks run for real there.)"""

    def __init__(self) -> None:
        self.claims: dict[str, dict[str, Any]] = {}

    def issue(self, sub: str, **claims: Any) -> str:
        token = f"fake-token-{len(self.claims) + 1}"
        self.claims[token] = {"sub": sub, "token_use": "id", **claims}
        return token

    def verify(self, token: str) -> dict[str, Any]:
        if token not in self.claims:
            raise Unauthenticated("The token is not valid.", code="invalid_token")
        return dict(self.claims[token])


class FakeTimeZoneGuard(TimeZoneGuard):
    """The catalog's own check (`CatalogZoneGuard`), held rather than inherited: it reads
    nothing but the tenant's stores in `ctx`, which are fakes here, so the API tier refuses a
    zone exactly as deployed. It also notes each zone it was asked about."""

    def __init__(self) -> None:
        self.catalog = CatalogZoneGuard()
        self.asked: list[tuple[str, str]] = []  # (tenant id, new zone)

    def check_change(self, ctx: TenantContext, new_tz: str) -> None:
        self.asked.append((ctx.tenant.id, new_tz))
        self.catalog.check_change(ctx, new_tz)


class FakeContainer:
    """Every member of `Dependencies` (chalicelib/dependencies.py), each a fake or
    an in-memory service built from fakes. Deliberately no subclass of the real
    `bootstrap.Container`: a port nobody faked here is an AttributeError in the test that
    reaches for it, never a real adapter quietly built with boto3.
    tests/unit/test_fake_container.py checks it provides every member."""

    def __init__(
        self, verifier: TokenVerifier | None = None, settings: Settings | None = None
    ) -> None:
        self.settings = settings or Settings(
            stage="test",
            manage_token_secret="test-manage-secret-not-real",
            # Every request here comes from one address in one frozen minute: raised
            # budgets, still spent (tests/api/test_rate_limits_api.py uses the real ones).
            rate_limit_scale=RAISED_RATE_LIMIT_SCALE,
        )
        self.clock = FakeClock()
        self.now = self.clock
        self.new_id = SequentialIds()
        self.platform = FakePlatform()
        self.tables = FakeTenantTables()
        self.tenant_data = FakeTenantDataFactory(self.tables)
        self.time_zone_guard = FakeTimeZoneGuard()
        self.platform_counters = FakeRateCounters()
        self.bus = FakeBus()
        self.mailer = FakeMailer()
        self.sms = FakeSms()
        self.reminders = FakeReminderScheduler()
        self.directory = FakeDirectory()
        self.verifier = verifier or FakeTokenVerifier()
        self.host_resolver = FakeResolver()
        self.webhook_sender = FakeWebhookSender()
        self.catalog_cache = CatalogCache(ttl=0, watchers=(catalog_watcher(lambda: self.bus),))
        self.closed_dates_watcher = closed_dates_watcher(lambda: self.bus)
        self.manage_token_secret = PlainSecretSource(self.settings.manage_token_secret, "")
        self.key_cache = KeyCache(ttl=0)  # API tests change the fakes directly; see test_key_cache
        self.gateway = FakePaymentGateway()
        self.payment_accounts = FakePaymentAccounts()
        self.stripe_secrets = FakeStripeSecrets(TEST_WEBHOOK_SECRET)
        self.document_files = FakeDocumentFiles(self.clock)
        self.gift_cards = InMemoryGiftCards(self)
        self.export_files = FakeExportFiles(self.clock)
        self.summary_schedules = FakeSummarySchedules()
        self.zone_watcher = lambda tenant, now: follow_zone(self.summary_schedules, tenant, now)
        self.summary_figures = FakeSummaryFigures()
        self.report_files = FakeReportFiles(self.clock)
        self.report_exports = InMemoryReportWithdrawals(self)

    @cached_property
    def stream(self) -> FakeEventStream:
        """The tenant tables' change streams (the fake tenant data of whatever factory is set)."""
        return FakeEventStream(lambda: self.tenant_data)

    def relayed_events(self, queue: str = EVENTS.name) -> list[dict[str, Any]]:
        """What the relay sends for the events committed since the last call (through the real
        relay, from stream records shaped as Lambda hands them), taken off one group's queue
        (the bookkeeping group's takes every event); the other groups' stay on theirs."""
        relay(self.stream.records(), self.bus, self.settings.tenant_of_table)
        return self.bus.take(queue)

    @cached_property
    def work_marks(self) -> WorkMarks:
        return WorkMarks(self.platform)


# -- payments (issue 4) ----------------------------------------------------------------------

TEST_WEBHOOK_SECRET = "whsec_test_local_not_a_real_secret"
DECLINED_CARD = "4000000000000341"  # attaches, then every charge is declined
AUTH_CARD = "4000002500003155"  # needs 3-D Secure


class FakePaymentGateway(PaymentGateway):
    """Stripe in memory, with its rules that matter here: idempotency keys return the first
    answer, intents live on one account each (another account gets a not-found), test cards
    behave as Stripe's do. `pay()` stands in for the customer's Stripe.js confirmation."""

    def __init__(self) -> None:
        self.accounts: dict[str, ConnectedAccount] = {}
        self.intents: dict[tuple[str | None, str], dict[str, Any]] = {}
        self.refunds: dict[tuple[str, str], list[ProviderRefund]] = {}
        self.subscriptions: dict[str, Subscription] = {}
        self.cards: dict[str, str] = {}  # payment method -> card number
        self.default_cards: dict[str, str] = {}  # platform customer -> payment method
        self.keys: dict[tuple[str | None, str], Any] = {}
        self.calls: list[tuple[str, str | None, dict[str, Any]]] = []
        self._ids = itertools.count(1)

    def _id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):06d}"

    def _once(self, account: str | None, key: str, make: Any) -> Any:
        if (account, key) not in self.keys:
            self.keys[(account, key)] = make()
        return self.keys[(account, key)]

    def _get(self, account: str | None, intent_id: str) -> dict[str, Any]:
        state = self.intents.get((account, intent_id))
        if state is None:
            from chalicelib.payments.domain.payments import ProviderError

            raise ProviderError("No such intent.", provider_status=404)
        return state

    @staticmethod
    def _as_intent(s: dict[str, Any]) -> Intent:
        return Intent(**{k: v for k, v in s.items() if not k.startswith("_")})

    # accounts
    def create_account(
        self, *, tenant_id: str, email: str, idempotency_key: str
    ) -> ConnectedAccount:
        def make() -> ConnectedAccount:
            account = ConnectedAccount(self._id("acct"))
            self.accounts[account.id] = account
            return account

        return self._once(None, idempotency_key, make)

    def account_link(self, account_id: str, *, refresh_url: str, return_url: str) -> str:
        query = urllib.parse.urlencode({"refresh_url": refresh_url, "return_url": return_url})
        return f"https://connect.stripe.test/setup/{account_id}?{query}"

    def get_account(self, account_id: str) -> ConnectedAccount:
        return self.accounts[account_id]

    def enable(self, account_id: str) -> None:
        self.accounts[account_id] = ConnectedAccount(account_id, True, True)

    def create_customer(self, *, account, email, name, metadata, idempotency_key) -> str:
        return self._once(account, idempotency_key, lambda: self._id("cus"))

    # intents
    def create_payment_intent(
        self,
        *,
        account,
        amount,
        currency,
        application_fee,
        manual_capture,
        save_card,
        customer,
        metadata,
        idempotency_key,
    ) -> Intent:
        def make() -> Intent:
            pid = self._id("pi")
            self.calls.append(
                (
                    "payment_intent",
                    account,
                    {
                        "amount": amount,
                        "application_fee_amount": application_fee,
                        "manual": manual_capture,
                        "save_card": save_card,
                        "key": idempotency_key,
                    },
                )
            )
            self.intents[(account, pid)] = {
                "id": pid,
                "status": "requires_payment_method",
                "amount": amount,
                "amount_received": 0,
                "currency": currency,
                "client_secret": f"{pid}_secret_x",
                "capture_method": "manual" if manual_capture else "automatic",
                "customer": customer,
                "payment_method": None,
                "error_code": None,
                "metadata": dict(metadata),
            }
            return self._as_intent(self.intents[(account, pid)])

        return self._once(account, idempotency_key, make)

    def create_setup_intent(self, *, account, customer, metadata, idempotency_key) -> Intent:
        def make() -> Intent:
            sid = self._id("seti")
            self.intents[(account, sid)] = {
                "id": sid,
                "status": "requires_payment_method",
                "amount": 0,
                "amount_received": 0,
                "currency": "",
                "client_secret": f"{sid}_secret_x",
                "capture_method": "automatic",
                "customer": customer,
                "payment_method": None,
                "error_code": None,
                "metadata": dict(metadata),
            }
            return self._as_intent(self.intents[(account, sid)])

        return self._once(account, idempotency_key, make)

    def pay(self, account: str, intent_id: str, card: str = "4242424242424242") -> Intent:
        """The customer confirms with a test card (what Stripe.js does in the widget)."""
        s = self._get(account, intent_id)
        pm = self._id("pm")
        self.cards[pm] = card
        s["payment_method"] = pm
        s["customer"] = s["customer"] or self._id("cus")
        if card == AUTH_CARD:
            s.update(status="requires_action", error_code=None)
        elif card == DECLINED_CARD and not intent_id.startswith("seti_"):
            s.update(status="requires_payment_method", error_code="card_declined")
        elif intent_id.startswith("seti_"):
            s.update(status="succeeded", error_code=None)
        elif s["capture_method"] == "manual":
            s.update(status="requires_capture", error_code=None)
        else:
            s.update(status="succeeded", amount_received=s["amount"], error_code=None)
        return self._as_intent(s)

    def get_payment_intent(self, account: str, intent_id: str) -> Intent:
        return self._as_intent(self._get(account, intent_id))

    def get_setup_intent(self, account: str, intent_id: str) -> Intent:
        return self._as_intent(self._get(account, intent_id))

    def capture(self, account, intent_id, *, amount, idempotency_key) -> Intent:
        def make() -> Intent:
            s = self._get(account, intent_id)
            if s["status"] == "canceled":  # Stripe: released, it can no longer be captured
                from chalicelib.payments.domain.payments import ProviderError

                raise ProviderError("The intent was canceled.", provider_status=400)
            s.update(status="succeeded", amount_received=amount)
            return self._as_intent(s)

        return self._once(account, idempotency_key, make)

    def cancel(self, account, intent_id, *, idempotency_key) -> Intent:
        s = self._get(account, intent_id)
        if s["status"] != "succeeded":
            s["status"] = "canceled"
        return self._as_intent(s)

    def charge_saved_card(
        self,
        *,
        account,
        customer,
        payment_method,
        amount,
        currency,
        application_fee,
        metadata,
        idempotency_key,
    ) -> Intent:
        def make() -> Intent:
            pid = self._id("pi")
            declined = self.cards.get(payment_method) == DECLINED_CARD
            # A card that wants 3-D Secure every time cannot be charged off-session: the
            # intent waits for its holder (Stripe: requires_action).
            authenticate = self.cards.get(payment_method) == AUTH_CARD
            self.calls.append(("off_session", account, {"amount": amount, "key": idempotency_key}))
            status = "requires_payment_method" if declined else "succeeded"
            self.intents[(account, pid)] = {
                "id": pid,
                "amount": amount,
                "currency": currency,
                "client_secret": f"{pid}_secret" if authenticate else None,
                "capture_method": "automatic",
                "customer": customer,
                "payment_method": payment_method,
                "metadata": dict(metadata),
                "status": "requires_action" if authenticate else status,
                "amount_received": 0 if declined or authenticate else amount,
                "error_code": "card_declined" if declined else None,
            }
            return self._as_intent(self.intents[(account, pid)])

        return self._once(account, idempotency_key, make)

    def refund(
        self, *, account, intent_id, amount, reason, idempotency_key, record=""
    ) -> ProviderRefund:
        from chalicelib.payments.domain.payments import ProviderError

        prior = self.keys.get((account, idempotency_key))
        if prior is not None and prior.amount != amount:  # Stripe: idempotency_error
            raise ProviderError("Key reused with other parameters.", provider_status=400)

        def make() -> ProviderRefund:
            s = self._get(account, intent_id)
            done = sum(r.amount for r in self.refunds.get((account, intent_id), []))
            if amount + done > s["amount_received"]:
                raise ProviderError("Refund exceeds the charge.", provider_status=400)
            r = ProviderRefund(self._id("re"), intent_id, amount, "succeeded", reason, record)
            self.refunds.setdefault((account, intent_id), []).append(r)
            return r

        return self._once(account, idempotency_key, make)

    def refunds_of(self, account: str, intent_id: str) -> list[ProviderRefund]:
        return list(self.refunds.get((account, intent_id), []))

    def use_card(self, *, customer: str, payment_method: str) -> Card:
        if payment_method not in self.cards:
            from chalicelib.payments.domain.payments import ProviderError

            raise ProviderError("No such payment method.", provider_status=404)
        self.default_cards[customer] = payment_method
        self.calls.append(("use_card", None, {"customer": customer, "pm": payment_method}))
        return Card("visa", self.cards[payment_method][-4:], 12, 2034)

    def create_subscription(
        self, *, customer, price_id, metadata, idempotency_key, charge_now
    ) -> Subscription:
        def make() -> Subscription:
            # A default card pays the first invoice at once, as Stripe does; one that is
            # declined refuses the subscription when asked to charge now (Stripe's
            # error_if_incomplete); without a card it waits for its client secret.
            card = self.cards.get(self.default_cards.get(customer, ""))
            if charge_now and card == DECLINED_CARD:
                from chalicelib.payments.domain.payments import ProviderError

                raise ProviderError("Your card was declined.", provider_status=402)
            status = "active" if card and card != DECLINED_CARD else "incomplete"
            secret = None if status == "active" else "pi_sub_secret_x"
            sub = Subscription(self._id("sub"), status, customer, price_id, secret, dict(metadata))
            self.subscriptions[sub.id] = sub
            return sub

        return self._once(None, idempotency_key, make)

    def get_subscription(self, subscription_id: str) -> Subscription:
        if subscription_id not in self.subscriptions:
            from chalicelib.payments.domain.payments import ProviderError

            raise ProviderError("No such subscription.", provider_status=404)
        return self.subscriptions[subscription_id]

    def cancel_subscription(self, subscription_id: str, *, idempotency_key: str) -> Subscription:
        def cancel() -> Subscription:
            sub = self.get_subscription(subscription_id)
            if sub.status == "canceled":
                from chalicelib.payments.domain.payments import ProviderError

                raise ProviderError("Already canceled.", provider_status=400)
            self.set_subscription(subscription_id, "canceled")
            return self.subscriptions[subscription_id]

        return self._once(None, idempotency_key, cancel)

    def set_subscription(self, subscription_id: str, status: str) -> None:
        self.subscriptions[subscription_id] = replace(
            self.subscriptions[subscription_id], status=status
        )


class FakeStripeDeliveries(StripeDeliveries):
    """The claims on Stripe events as the adapters keep them: event id -> (state, lease
    until, in epoch seconds)."""

    def __init__(self) -> None:
        self.claims: dict[str, tuple[str, int]] = {}

    @property
    def seen(self) -> set[str]:
        return set(self.claims)

    def claim_delivery(self, event_id: str, now: str, lease_seconds: int) -> StripeClaim:
        at = int(parse_time(now).timestamp())
        state, lease_until = self.claims.get(event_id, ("", 0))
        if state == "done":
            return StripeClaim.DONE
        if state == "pending" and lease_until >= at:
            return StripeClaim.PENDING
        self.claims[event_id] = ("pending", at + lease_seconds)
        return StripeClaim.CLAIMED

    def finish_delivery(self, event_id: str, now: str) -> None:
        self.claims[event_id] = ("done", 0)

    def forget_delivery(self, event_id: str) -> None:
        if self.claims.get(event_id, ("", 0))[0] == "pending":
            del self.claims[event_id]


class FakePaymentAccounts(FakeStripeDeliveries, PaymentAccounts):
    def __init__(self) -> None:
        super().__init__()
        self.links: dict[str, StripeLink] = {}
        self.maps: dict[str, str] = {}

    def get(self, tenant_id: str) -> StripeLink:
        return self.links.get(tenant_id, StripeLink(tenant_id))

    def save(self, link: StripeLink) -> StripeLink:
        if self.get(link.tenant_id).version != link.version:
            raise Conflict("changed", code="stripe_link_changed")
        saved = replace(link, version=link.version + 1)
        self.links[link.tenant_id] = saved
        return saved

    def _map(self, key: str, tenant_id: str) -> None:
        if self.maps.setdefault(key, tenant_id) != tenant_id:
            raise Conflict("taken", code="stripe_taken")

    def map_account(self, account_id: str, tenant_id: str) -> None:
        self._map(f"STRIPE#{account_id}", tenant_id)

    def tenant_of_account(self, account_id: str) -> str | None:
        return self.maps.get(f"STRIPE#{account_id}")

    def map_customer(self, customer_id: str, tenant_id: str) -> None:
        self._map(f"STRIPECUS#{customer_id}", tenant_id)

    def tenant_of_customer(self, customer_id: str) -> str | None:
        return self.maps.get(f"STRIPECUS#{customer_id}")


class FakeTenantPaymentRecords(FakeStripeDeliveries, TenantPaymentRecords, BookingCounts):
    def __init__(self) -> None:
        super().__init__()
        self.usage: dict[str, set[str]] = {}
        self.released: dict[str, set[str]] = {}
        self.revived: dict[str, set[str]] = {}  # marks counted again, which no release takes
        self.until: dict[tuple[str, str], int] = {}  # a widget hold's mark: its hold's end

    def count_booking(self, month: str, order_id: str, *, until: int | None = None) -> bool:
        marks = self.usage.setdefault(month, set())
        new = order_id not in marks and order_id not in self.released.get(month, ())
        marks.add(order_id)
        if until is not None:
            self.until[month, order_id] = until
        return new

    def release_booking(self, month: str, order_id: str) -> None:
        if order_id not in self.revived.get(month, ()):
            self.released.setdefault(month, set()).add(order_id)

    def count_revived(self, month: str, order_id: str) -> None:
        self.revived.setdefault(month, set()).add(order_id)
        self.usage.setdefault(month, set()).add(order_id)
        self.released.get(month, set()).discard(order_id)

    def drop_booking(self, month: str, order_id: str) -> None:
        self.usage.get(month, set()).discard(order_id)
        self.released.get(month, set()).discard(order_id)
        self.revived.get(month, set()).discard(order_id)

    def bookings_in(
        self, month: str, *, consistent: bool = False, widget_holds_after: int | None = None
    ) -> int:
        counted = self.usage.get(month, set()) - self.released.get(month, set())
        if widget_holds_after is not None:
            live = {o for o in counted if self.until.get((month, o), 0) > widget_holds_after}
            counted -= live
        return len(counted)


class FakeStripeSecrets:
    def __init__(self, *webhook_secrets: str) -> None:
        from chalicelib.kernel.adapters.secrets import StripeSecrets

        self.value = StripeSecrets("sk_test_local_not_a_real_key", tuple(webhook_secrets))

    def get(self) -> Any:
        return self.value


class FakeTakings(TakingsStore):
    """The takings store in memory, and the conditions of its transaction items as
    payments/adapters/takings_store.py writes them (FakeTransactions asks it about its items)."""

    def __init__(self) -> None:
        self.day_items: dict[str, Day] = {}
        self.entry_items: dict[tuple[str, str], Entry] = {}  # (day, at#id) -> entry
        self.before_close: list[object] = []  # callables run between a close's read and write

    # -- the store -----------------------------------------------------------------------
    def day(self, day: str) -> Day:
        return self.day_items.get(day, Day(day=day))

    def days(self, first: str, last: str) -> list[Day]:
        return [d for k, d in sorted(self.day_items.items()) if first <= k <= last]

    def entries(self, day: str, *, limit: int) -> tuple[list[Entry], bool]:
        mine = [e for (d, _), e in sorted(self.entry_items.items()) if d == day]
        return mine[:limit], len(mine) <= limit

    def close(self, day: str, close: Close) -> None:
        while self.before_close:
            self.before_close.pop(0)()  # type: ignore[operator]
        current = self.day(day)
        if current.close is not None or current.entries != close.entries:
            raise Conflict("Changed.", code="takings_changed")
        self.day_items[day] = replace(current, close=close)

    # -- the transaction items -----------------------------------------------------------
    @staticmethod
    def owns(item: TransactionItem) -> bool:
        return isinstance(item, EntryPut | DayCount)

    def check(self, item: TransactionItem) -> None:
        if isinstance(item, EntryPut):
            e = item.entry
            if (e.day, f"{e.at}#{e.id}") in self.entry_items:
                raise Conflict("The takings entry is written already.")
        elif isinstance(item, DayCount) and self.day(item.entry.day).closed:
            raise DayClosed("The day is closed.", day=item.entry.day)

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, EntryPut):
            e = item.entry
            self.entry_items[(e.day, f"{e.at}#{e.id}")] = e
        elif isinstance(item, DayCount):
            e = item.entry
            day = self.day(e.day)
            side = "taken" if e.direction is Direction.IN else "given_back"
            totals = dict(getattr(day, side))
            totals[e.method] = totals.get(e.method, 0) + e.amount
            tips = {**day.tips, e.method: day.tips.get(e.method, 0) + e.tip} if e.tip else day.tips
            self.day_items[e.day] = replace(
                day, entries=day.entries + 1, tips=tips, **{side: totals}
            )


# -- gift cards (issue 15) -------------------------------------------------------------------


class FakeGiftCards(GiftCardStore):
    """Gift cards in memory, with the conditions of customers/adapters/gift_card_store.py's
    transaction items (FakeTransactions asks it about its items)."""

    def __init__(self) -> None:
        self.card_items: dict[str, GiftCard] = {}
        self.codes: dict[str, str] = {}  # code hash -> card id
        self.entries: dict[tuple[str, str], CardMovement] = {}  # (card, at#id) -> entry
        self.links: set[tuple[str, str, str]] = set()  # (customer, card, role)
        self.conf = GiftCardSettings()

    # -- the store -----------------------------------------------------------------------
    def get(self, card_id: str) -> GiftCard | None:
        return self.card_items.get(card_id)

    def card_of_code(self, code_hash: str) -> str | None:
        return self.codes.get(code_hash)

    def ledger(self, card_id: str, *, limit: int) -> list[CardMovement]:
        return [e for (c, _), e in sorted(self.entries.items()) if c == card_id][:limit]

    def cards_sorted(self) -> list[GiftCard]:
        return sorted(self.card_items.values(), key=lambda c: f"{c.sold_at}#{c.id}", reverse=True)

    def cards_page(self, limit: int, after: str | None) -> tuple[list[GiftCard], str | None]:
        rest = [c for c in self.cards_sorted() if after is None or f"{c.sold_at}~{c.id}" < after]
        page = rest[:limit]
        more = len(rest) > limit
        return page, (f"{page[-1].sold_at}~{page[-1].id}" if more else None)

    def cards(self, *, limit: int, after: str | None) -> tuple[list[GiftCard], str | None]:
        return self.cards_page(limit, after)

    def cards_of(self, customer_id: str) -> list[tuple[str, str]]:
        return sorted((card, role) for c, card, role in self.links if c == customer_id)

    def forget(self, card_id: str, role: str, at: str) -> None:
        card = self.card_items.get(card_id)
        if card is None:
            return
        gone = Person(ERASED_NAME, "")
        changes = {"buyer": gone} if role == "buyer" else {"recipient": gone}
        self.card_items[card_id] = replace(card, message="", **changes)

    def settings(self) -> GiftCardSettings:
        return self.conf

    def save_settings(self, settings: GiftCardSettings, at: str) -> None:
        self.conf = settings

    # -- the transaction items -----------------------------------------------------------
    @staticmethod
    def owns(item: TransactionItem) -> bool:
        return isinstance(
            item,
            CardPut | CodePut | CardDebit | CardCredit | CardDisable | CardMovementPut | CardLink,
        )

    def check(self, item: TransactionItem) -> None:
        if isinstance(item, CardPut) and item.card.id in self.card_items:
            raise Conflict("The gift card exists.", code="gift_card_exists")
        if isinstance(item, CodePut) and item.code_hash in self.codes:
            raise Conflict("The gift card exists.", code="gift_card_exists")
        if isinstance(item, CardDebit):
            card = self.card_items.get(item.card_id)
            if (
                card is None
                or card.status is not CardStatus.ACTIVE
                or card.balance < item.amount
                or (card.expires_on is not None and card.expires_on < item.today)
            ):
                raise GiftCardBalanceLow("Spent meanwhile.", asked=item.amount)
        if isinstance(item, CardCredit):
            self._check_credit(item)
        if isinstance(item, CardDisable):
            card = self.card_items.get(item.card_id)
            if card is None or card.status is not CardStatus.ACTIVE:
                raise Conflict("The gift card changed.", code="gift_card_changed")
        if isinstance(item, CardMovementPut):
            e = item.entry
            if (e.card_id, f"{e.at}#{e.id}") in self.entries:
                raise Conflict("Recorded already.", code="gift_card_changed")

    def _check_credit(self, item: CardCredit) -> None:
        card = self.card_items.get(item.card_id)
        if card is None or card.status is not CardStatus.ACTIVE:  # as DynamoDB's condition
            raise Conflict("The gift card was disabled just now.", code="gift_card_is_disabled")

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, CardPut):
            self.card_items[item.card.id] = item.card
        elif isinstance(item, CodePut):
            self.codes[item.code_hash] = item.card_id
        elif isinstance(item, CardDebit | CardCredit):
            card = self.card_items[item.card_id]
            sign = -1 if isinstance(item, CardDebit) else 1
            self.card_items[card.id] = replace(card, balance=card.balance + sign * item.amount)
        elif isinstance(item, CardDisable):
            card = self.card_items[item.card_id]
            self.card_items[card.id] = replace(
                card, status=CardStatus.DISABLED, disabled_at=item.at, disabled_by=item.by
            )
        elif isinstance(item, CardMovementPut):
            e = item.entry
            self.entries[(e.card_id, f"{e.at}#{e.id}")] = e
        elif isinstance(item, CardLink):
            self.links.add((item.customer_id, item.card_id, item.role))


class InMemoryGiftCards(GiftCardTender):
    """The customers' gift cards as payments' tender, over whatever fake tenant data the
    container holds now (tests swap it): the real use cases (customers/services/
    gift_card_tender.py), whose only stores are the fakes above. No adapter is involved, so
    this is the container's port, not a real client."""

    def __init__(self, container: FakeContainer) -> None:
        self._c = container

    def _real(self) -> GiftCardTenders:
        return GiftCardTenders(self._c.tenant_data, self._c.manage_token_secret)

    def charge(
        self,
        ctx: PaymentsContext,
        *,
        card_code: str,
        amount: int | None,
        most: int,
        currency: str,
        order_id: str,
        record_id: str,
    ) -> GiftCardCharge:
        return self._real().charge(
            ctx,
            card_code=card_code,
            amount=amount,
            most=most,
            currency=currency,
            order_id=order_id,
            record_id=record_id,
        )

    def credit(
        self,
        ctx: PaymentsContext,
        *,
        card_id: str,
        amount: int,
        order_id: str,
        record_id: str,
        note: str,
        by: str = "",
    ) -> tuple[TransactionItem, ...] | None:
        return self._real().credit(
            ctx,
            card_id=card_id,
            amount=amount,
            order_id=order_id,
            record_id=record_id,
            note=note,
            by=by,
        )

    def refused(self, ctx: PaymentsContext, charge: GiftCardCharge, currency: str) -> DomainError:
        return self._real().refused(ctx, charge, currency)

    def settle_sale(self, ctx: PaymentsContext, intent: Intent) -> str:
        return self._real().settle_sale(ctx, intent)


class NoGiftCards(GiftCardTender):
    """payments' gift-card tender for a business that sells none: every code is unknown (for
    payments' own tests, without the customers capability)."""

    def charge(
        self,
        ctx: PaymentsContext,
        *,
        card_code: str,
        amount: int | None,
        most: int,
        currency: str,
        order_id: str,
        record_id: str,
    ) -> GiftCardCharge:
        raise NotFound("No gift card has this code.", code="gift_card_not_found")

    def credit(
        self,
        ctx: PaymentsContext,
        *,
        card_id: str,
        amount: int,
        order_id: str,
        record_id: str,
        note: str,
        by: str = "",
    ) -> tuple[TransactionItem, ...] | None:
        return None

    def refused(self, ctx: PaymentsContext, charge: GiftCardCharge, currency: str) -> DomainError:
        return NotFound("No gift card has this code.", code="gift_card_not_found")  # never sold

    def settle_sale(self, ctx: PaymentsContext, intent: Intent) -> str:
        return "ignored"


# -- customers: privacy (customers/services/privacy_ports.py) ---------------------------------


class FakePrivacyStore(PrivacyStore):
    def __init__(
        self,
        data: FakeTenantData,
        partitions: dict[str, dict[str, dict[str, Any]]],
        erasing: dict[str, tuple[str, ...]],
    ) -> None:
        self._data: FakeTenantData = data
        self.partitions = partitions  # pk -> sk -> item (plain values)
        self.erasing = erasing  # ERASING#<id>: the ids it lists

    def partition(self, pk: str) -> list[dict[str, Any]]:
        """The partition's raw items, and what the other fake stores keep under it, as their
        items: on DynamoDB they are one partition (`CUS#<id>`: the customers' record and
        notes, the suggestions' `BOOKED`, the campaigns' claims `CAMP#<id>`; `LOY#<id>`: the
        loyalty balance, lots, ledger and marks, the coupons' per-customer uses `CPN#<code>`)."""
        items = dict(self.partitions.get(pk, {}))
        items |= self._data.customers.items_of(pk.removeprefix("CUS#")) if pk[:4] == "CUS#" else {}
        items |= self._held_elsewhere(pk)
        return [copy.deepcopy(items[sk]) for sk in sorted(items)]

    def delete_partition(self, pk: str) -> int:
        own = self._data.customers.drop(pk.removeprefix("CUS#")) if pk[:4] == "CUS#" else 0
        own += len(self._held_elsewhere(pk))
        kind, _, cid = pk.partition("#")
        if kind == "LOY":
            loyalty, coupons = self._data.loyalty, self._data.coupons
            for held in (loyalty.balances, loyalty.lots, loyalty.entries):
                held.pop(cid, None)
            loyalty.marks = {m for m in loyalty.marks if m[0] != cid}
            loyalty.taken = {k: n for k, n in loyalty.taken.items() if k[0] != cid}
            coupons.per_customer = {k: n for k, n in coupons.per_customer.items() if k[0] != cid}
        elif kind == "CUS":
            gift_cards = self._data.gift_cards
            gift_cards.links = {link for link in gift_cards.links if link[0] != cid}
            self._data.suggestions.customers.pop(cid, None)
            claims = self._data.campaigns.claims
            self._data.campaigns.claims = {k: c for k, c in claims.items() if k[0] != cid}
        return own + len(self.partitions.pop(pk, {}))

    def _held_elsewhere(self, pk: str) -> dict[str, dict[str, Any]]:
        kind, _, cid = pk.partition("#")
        found = self._loyalty_items(cid) if kind == "LOY" else {}
        found |= self._customer_items(cid) if kind == "CUS" else {}
        return {sk: {"pk": pk, "sk": sk, **item} for sk, item in found.items()}

    def _loyalty_items(self, cid: str) -> dict[str, dict[str, Any]]:
        loyalty, coupons = self._data.loyalty, self._data.coupons
        found: dict[str, dict[str, Any]] = {}
        if cid in loyalty.balances:
            found["BAL"] = asdict(loyalty.balances[cid])
        found |= {sk: {"points": n} for sk, n in loyalty.lots.get(cid, {}).items()}
        found |= {sk: asdict(e) for sk, e in loyalty.entries.get(cid, {}).items()}
        found |= {f"M#{key}": {} for c, key in loyalty.marks if c == cid}
        found |= {f"M#tkn_{o}": {"points": n} for (c, o), n in loyalty.taken.items() if c == cid}
        found |= {
            f"CPN#{code}": {"uses": n} for (c, code), n in coupons.per_customer.items() if c == cid
        }
        return found

    def _customer_items(self, cid: str) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        if cid in self._data.suggestions.customers:
            found["BOOKED"] = asdict(self._data.suggestions.customers[cid])
        claims = self._data.campaigns.claims.items()
        found |= {f"CAMP#{camp}": asdict(claim) for (c, camp), claim in claims if c == cid}
        # The gift cards' links to the customer (gift_card_store.py `_link`): only the card's
        # id, as DynamoDB's partition holds them.
        links = self._data.gift_cards.links
        found |= {
            f"GIFT#{card}#{role}": {"type": "gift_card_link", "card_id": card}
            for c, card, role in links
            if c == cid
        }
        return found

    def order_events(self, order_id: str) -> list[Record]:
        return sorted(
            (e for e in self._data.orders.events if e.order_id == order_id),
            key=lambda e: (e.at, e.id),
        )

    def customer_events(self, customer_id: str) -> list[Record]:
        return [
            e
            for e in self._data.orders.events
            if not e.order_id and e.data.get("customer_id") == customer_id
        ]

    def delete_events(self, event_ids: Sequence[str]) -> None:
        gone = set(event_ids)
        self._data.orders.events[:] = [e for e in self._data.orders.events if e.id not in gone]

    def answers_about(self, subject_id: str) -> list[StoredAnswer]:
        return [
            StoredAnswer(key, copy.deepcopy(record["response"]))
            for key, record in self._data.idempotency.records.items()
            if "response" in record and subject_of(record["response"]) == subject_id
        ]

    def replace_answer(self, key: str, response: dict[str, Any]) -> None:
        if key in self._data.idempotency.records:
            self._data.idempotency.records[key]["response"] = copy.deepcopy(response)

    def payloads_of(self, event_id: str) -> list[StoredPayload]:
        return [
            StoredPayload(d.endpoint_id, d.id, d.payload)
            for d in self._data.webhooks.deliveries.values()
            if d.event_id == event_id
        ]

    def takings_of(self, order_id: str, day: str) -> list[tuple[str, str]]:
        entries = self._data.takings.entry_items
        return [
            (sk, e.reference)
            for (d, sk), e in sorted(entries.items())
            if d == day and e.order_id == order_id
        ]

    def replace_takings_reference(self, day: str, sk: str, reference: str) -> None:
        entries = self._data.takings.entry_items
        if (day, sk) in entries:
            entries[(day, sk)] = replace(entries[(day, sk)], reference=reference)

    def replace_payload(self, endpoint_id: str, delivery_id: str, payload: str) -> None:
        key = (endpoint_id, delivery_id)
        deliveries = self._data.webhooks.deliveries
        if key in deliveries:
            deliveries[key] = replace(deliveries[key], payload=payload)

    def channel_messages(self, connection_id: str, external_id: str) -> dict[str, str]:
        state = self._data.inbound.states.get((connection_id, external_id))
        kept = (("applied", state.applied), ("parked", state.parked)) if state else ()
        return {k: json.dumps(to_doc(event)) for k, event in kept if event is not None}

    def replace_channel_messages(
        self, connection_id: str, external_id: str, texts: dict[str, str]
    ) -> None:
        key = (connection_id, external_id)
        state = self._data.inbound.states.get(key)
        if state is None or not texts:
            return
        read = {k: parse_event(v.encode()) for k, v in texts.items()}
        self._data.inbound.states[key] = replace(state, **read)  # type: ignore[arg-type]

    def job_words(self, job_id: str) -> dict[str, str]:
        job = self._data.bulk_jobs.jobs.get(job_id)
        return {k: getattr(job, k) for k in JOB_WORDS} if job else {}

    def replace_job_words(self, job_id: str, words: dict[str, str]) -> None:
        jobs = self._data.bulk_jobs.jobs
        if job_id in jobs:
            jobs[job_id] = replace(jobs[job_id], **{k: words[k] for k in JOB_WORDS if k in words})

    def audit_about(self, target: str) -> list[AuditEntry]:
        entries = self._data.audit.entries
        return [entries[k] for k in sorted(entries) if entries[k].target == target]

    def replace_audit_details(self, entry: AuditEntry, details: dict[str, Any]) -> None:
        key = f"{entry.at}#{entry.id}"
        if key in self._data.audit.entries:
            self._data.audit.entries[key] = replace(entry, details=copy.deepcopy(details))

    def owe_withdrawal(self, customer_ids: Sequence[str], at: str) -> None:
        self.erasing.update({i: tuple(customer_ids) for i in customer_ids})

    def withdrawals_owed(self, customer_ids: Sequence[str]) -> list[str]:
        held = [i for i in customer_ids if i in self.erasing]
        return list(dict.fromkeys([*held, *(j for i in held for j in self.erasing[i])]))

    def settle_withdrawal(self, customer_ids: Sequence[str]) -> None:
        for customer_id in customer_ids:
            self.erasing.pop(customer_id, None)


class FakeExportFiles(ExportFiles):
    """Export files in memory; a link names its key, and a test reads the file through it."""

    def __init__(self, now: Callable[[], str]) -> None:
        self.files: dict[str, bytes] = {}
        self._now = now

    def exists(self, key: str) -> bool:
        return key in self.files

    def put(self, key: str, body: bytes) -> None:
        self.files[key] = body

    def link(self, key: str, filename: str, seconds: int) -> str:
        query = urllib.parse.urlencode({"expires": seconds, "at": self._now(), "name": filename})
        return f"https://exports.test/{urllib.parse.quote(key)}?{query}"

    def delete_under(self, prefix: str) -> int:
        gone = [k for k in self.files if k.startswith(prefix)]
        for key in gone:
            del self.files[key]
        return len(gone)

    def fetch(self, url: str) -> bytes:
        parts = urllib.parse.urlsplit(url)
        return self.files[urllib.parse.unquote(parts.path.lstrip("/"))]


class FakeSuggestionStore(SuggestionStore):
    """Customers' counted orders and the co-booking rows, with the conditions of
    customers/adapters/suggestion_store.py (the customer's put over the version read)."""

    def __init__(self, records: FakeCustomerStore | None = None) -> None:
        self.customers: dict[str, Booked] = {}
        self.rows: dict[str, CoBooking] = {}
        self.merged: dict[str, str] = {}  # loser -> winner, set by a test directly
        self._records = records  # the customers' records: `merged_into`, as on DynamoDB

    def merged_into(self, customer_id: str) -> str | None:
        record = self._records.records.get(customer_id) if self._records else None
        return (record.merged_into if record else None) or self.merged.get(customer_id)

    def booked(self, customer_id: str) -> Booked:
        return self.customers.get(customer_id, Booked())

    def booked_with_records(
        self, customer_id: str, record_ids: Sequence[str]
    ) -> tuple[Booked, dict[str, CustomerRecord]]:
        records = self._records.records if self._records else {}
        return self.booked(customer_id), {i: records[i] for i in record_ids if i in records}

    def co_bookings(self, offering_ids: Sequence[str]) -> dict[str, CoBooking]:
        return {o: self.rows[o] for o in offering_ids if o in self.rows}

    @staticmethod
    def owns(item: TransactionItem) -> bool:
        return isinstance(item, BookedPut | CoBookingAdd)

    def check(self, item: TransactionItem) -> None:
        if isinstance(item, BookedPut) and self.booked(item.customer_id).version != (
            item.expected_version
        ):
            raise Conflict("The customer's bookings changed meanwhile.", code="booked_changed")

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, BookedPut):
            self.customers[item.customer_id] = Booked(item.visits, item.expected_version + 1)
        elif isinstance(item, CoBookingAdd):
            offering = item.change.offering_id
            self.rows[offering] = self.rows.get(offering, CoBooking(offering)).applied(item.change)


# -- customers (customers/adapters/customer_items.py's conditions) -------------------------

CUSTOMER_KINDS = (CustomerPut, EventMark, NotePut, MergePut, FamilyNamePut)


class FakeCustomerStore(CustomerStore):
    """The customers' store in memory, with the conditions of customers/adapters/
    customer_items.py (FakeTransactions checks and applies its items)."""

    def __init__(self) -> None:
        self.records: dict[str, CustomerRecord] = {}
        self.marks: set[tuple[str, str]] = set()
        self.note_items: dict[tuple[str, str], Note] = {}  # (customer, NOTE#<at>#<id>)
        self.merges: dict[tuple[str, str], Merge] = {}
        self.erased: dict[str, str] = {}  # tombstones: customer id -> when erased
        self.family: dict[str, str] = {}  # CUS#<id>/FAMNAME: customer id -> family key

    def items_of(self, customer_id: str) -> dict[str, dict[str, Any]]:
        """The customer's items as the privacy store reads them (FakePrivacyStore)."""
        pk = f"CUS#{customer_id}"
        out: dict[str, dict[str, Any]] = {}
        if customer_id in self.records:
            record = self.records[customer_id]
            doc = customer_json(record)  # JSON text, as DynamoDB holds it
            out["META"] = {"pk": pk, "sk": "META", "type": "customer", "doc": doc}
            out["META"] |= {"version": record.version, "gsi6sk": customer_id}
        for (cid, sk), note in self.note_items.items():
            if cid == customer_id:
                kept = {"type": "customer_note", "id": note.id, "text": note.text, "at": note.at}
                out[sk] = {"pk": pk, "sk": sk, **kept, "by": note.by}
        if customer_id in self.family:
            entry = f"{self.family[customer_id]}#{customer_id}"
            out["FAMNAME"] = {"pk": pk, "sk": "FAMNAME", "gsi5sk": entry}
        return out

    def drop(self, customer_id: str) -> int:
        """Delete every item of the customer's partition (an erase)."""
        gone = len(self.items_of(customer_id))
        self.records.pop(customer_id, None)
        self.family.pop(customer_id, None)
        self.note_items = {k: v for k, v in self.note_items.items() if k[0] != customer_id}
        self.marks = {m for m in self.marks if m[0] != customer_id}
        self.merges = {k: v for k, v in self.merges.items() if k[0] != customer_id}
        return gone

    # -- the transaction's items ----------------------------------------------------------

    def owns(self, item: TransactionItem) -> bool:
        return isinstance(item, CUSTOMER_KINDS)

    def check(self, item: TransactionItem) -> None:
        if isinstance(item, CustomerPut):
            current = self.records.get(item.customer.id)
            if item.expected_version == 0:
                ok = current is None
            else:
                ok = (
                    current is not None
                    and current.version == item.expected_version
                    and (item.allow_merged or not current.merged_into)
                )
            if not ok:
                raise Conflict("The customer changed.", code="customer_changed")
        elif isinstance(item, EventMark):
            if (item.customer_id, item.event_id) in self.marks:
                raise Conflict("The event was counted.", code="event_counted")
        elif isinstance(item, NotePut):
            if not item.copy and self._note_key(item.note) in self.note_items:
                raise Conflict("The note exists.", code="note_exists")
        elif isinstance(item, MergePut):
            m = item.merge
            current_merge = self.merges.get((m.winner_id, m.loser_id))
            expected = 0 if current_merge is None else current_merge.version
            if expected != item.expected_version:
                raise Conflict("The merge changed.", code="merge_changed")

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, CustomerPut):
            self.records[item.customer.id] = item.customer
        elif isinstance(item, EventMark):
            self.marks.add((item.customer_id, item.event_id))
        elif isinstance(item, NotePut):
            self.note_items[self._note_key(item.note)] = item.note
        elif isinstance(item, MergePut):
            self.merges[(item.merge.winner_id, item.merge.loser_id)] = item.merge
        elif isinstance(item, FamilyNamePut):
            if item.key:
                self.family[item.customer_id] = item.key
            else:
                self.family.pop(item.customer_id, None)

    @staticmethod
    def _note_key(note: Note) -> tuple[str, str]:
        return (note.customer_id, f"NOTE#{note.at}#{note.id}")

    # -- reads ----------------------------------------------------------------------------

    def get(self, customer_id: str) -> CustomerRecord | None:
        return self.records.get(customer_id)

    def get_many(
        self, customer_ids: Sequence[str], *, consistent: bool = False
    ) -> dict[str, CustomerRecord]:
        return {i: self.records[i] for i in customer_ids if i in self.records}

    def with_phone(self, phone: str) -> list[str]:
        return sorted(c.id for c in self.records.values() if c.profile.phone == phone)

    def by_name(self, prefix: str, *, after: str | None, limit: int) -> CustomerPage:
        # The index's two kinds of entry: the whole name (the record) and the family name
        # (CUS#<id>/FAMNAME), the latter passed over when the whole name matches too.
        whole = [
            (f"{c.name_key}#{c.id}", c)
            for c in self.records.values()
            if c.name_key.startswith(prefix) and c.name_key
        ]
        family = [
            (f"{key}#{cid}", self.records[cid])
            for cid, key in self.family.items()
            if key.startswith(prefix) and cid in self.records
        ]
        keyed = sorted(whole + family)
        if after is not None:
            keyed = [(k, c) for k, c in keyed if k > after]
        page = keyed[:limit]
        more = len(keyed) > limit
        shown = {
            c.id: c
            for k, c in page
            if k.startswith(f"{c.name_key}#") or not c.name_key.startswith(prefix)
        }
        return CustomerPage(tuple(shown.values()), page[-1][0] if more else None)

    def duplicates(self, *, after: str | None, limit: int) -> CustomerPage:
        keyed = sorted(
            (
                (f"{c.updated_at}#{c.id}", c)
                for c in self.records.values()
                if c.possible_duplicates and not c.merged_into
            ),
            reverse=True,
        )
        if after is not None:
            keyed = [(k, c) for k, c in keyed if k < after]
        page = keyed[:limit]
        more = len(keyed) > limit
        return CustomerPage(tuple(c for _, c in page), page[-1][0] if more else None)

    def notes(self, customer_id: str, *, limit: int) -> list[Note]:
        mine = sorted(
            ((key, n) for (cid, key), n in self.note_items.items() if cid == customer_id),
            reverse=True,
        )
        return [n for _, n in mine[:limit]]

    def merge(self, winner_id: str, loser_id: str) -> Merge | None:
        return self.merges.get((winner_id, loser_id))

    def erased_at(self, customer_id: str) -> str | None:
        return self.erased.get(customer_id)

    def mark_erased(self, customer_id: str, at: str) -> None:
        self.erased.setdefault(customer_id, at)


class FakeRedeemer:
    """Booking's redeemer as the composition root builds it: the customers' own, over the
    fake stores (so booking's tests price real coupons and points)."""

    def __init__(self, inner: CustomerRedeemer) -> None:
        self._inner = inner

    def price(self, ctx: KernelContext, order: Order, ask: RedemptionAsk) -> Priced:
        return self._inner.price(ctx, order, ask)

    def retake(self, ctx: KernelContext, order: Order) -> tuple[TransactionItem, ...]:
        return self._inner.retake(ctx, order)

    def reprice(self, ctx: KernelContext, order: Order) -> Priced:
        return self._inner.reprice(ctx, order)


class FakeCoupons(CouponStore):
    """The coupon store in memory, and the conditions of its transaction items as
    customers/adapters/redemption_items.py writes them."""

    def __init__(self) -> None:
        self.items: dict[str, Coupon] = {}
        self.uses: dict[tuple[str, str], tuple[int, str]] = {}  # (code, order) -> amount, at
        self.per_customer: dict[tuple[str, str], int] = {}  # (customer, code) -> uses

    def get(self, code: str) -> Coupon | None:
        return self.items.get(code)

    def create(self, coupon: Coupon) -> None:
        if coupon.code in self.items:
            raise Conflict("A coupon with this code exists.", code="coupon_exists")
        self.items[coupon.code] = replace(coupon, used=0)

    def update(self, coupon: Coupon, *, expected_version: int) -> None:
        current = self.items[coupon.code]
        if current.version != expected_version:
            raise Conflict("Changed.", code="version_mismatch")
        if coupon.max_uses and current.used > coupon.max_uses:  # as DynamoDB's condition
            raise Conflict("Used meanwhile.", code="version_mismatch")
        self.items[coupon.code] = replace(coupon, used=current.used)

    def page(self, *, after: str | None, limit: int) -> tuple[list[Coupon], str | None]:
        codes = [c for c in sorted(self.items) if after is None or c > after]
        page = [self.items[c] for c in codes[:limit]]
        return page, page[-1].code if len(codes) > limit else None

    def redemptions(self, code: str, *, limit: int) -> list[tuple[str, int, str]]:
        return [(o, a, at) for (c, o), (a, at) in sorted(self.uses.items()) if c == code][:limit]

    def customer_uses(self, customer_id: str, code: str) -> int:
        return self.per_customer.get((customer_id, code), 0)

    def customer_counts(self, customer_id: str) -> dict[str, int]:
        return {c: n for (who, c), n in sorted(self.per_customer.items()) if who == customer_id}

    def holds(self, code: str, order_id: str) -> bool:
        return (code, order_id) in self.uses

    @staticmethod
    def owns(item: TransactionItem) -> bool:
        return isinstance(
            item,
            CouponCount
            | CouponRedemptionPut
            | CouponRedemptionDelete
            | CustomerCouponCount
            | CouponUseHeld,
        )

    def check(self, item: TransactionItem) -> None:
        refused = False
        if isinstance(item, CouponCount):
            coupon = self.items.get(item.code)
            used = coupon.used if coupon else 0
            if item.change > 0:
                refused = coupon is None or bool(coupon.disabled_at)
                refused = refused or bool(item.max_uses and used >= item.max_uses)
            else:
                refused = used < 1
        elif isinstance(item, CustomerCouponCount):
            used = self.per_customer.get((item.customer_id, item.code), 0)
            limit = item.per_customer
            refused = (
                bool(limit and used + item.change > limit)
                if item.change > 0
                else used < -item.change
            )
        elif isinstance(item, CouponRedemptionPut):
            refused = (item.code, item.order_id) in self.uses
        elif isinstance(item, CouponRedemptionDelete | CouponUseHeld):
            refused = (item.code, item.order_id) not in self.uses
        if refused:
            raise redemption_refusal(item) or AssertionError(item)

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, CouponCount):
            coupon = self.items[item.code]
            self.items[item.code] = replace(coupon, used=coupon.used + item.change)
        elif isinstance(item, CustomerCouponCount):
            key = (item.customer_id, item.code)
            self.per_customer[key] = self.per_customer.get(key, 0) + item.change
        elif isinstance(item, CouponRedemptionPut):
            self.uses[(item.code, item.order_id)] = (item.amount, item.at)
        elif isinstance(item, CouponRedemptionDelete):
            del self.uses[(item.code, item.order_id)]


class FakeLoyalty(LoyaltyStore):
    """The loyalty store in memory, with the conditions of its transaction items."""

    def __init__(self, customers: FakeCustomerStore | None = None) -> None:
        self._customers = customers  # CUS#<id>/META, whose merged_into a merge writes
        self.saved = Programme()
        self.balances: dict[str, Balance] = {}
        self.lots: dict[str, dict[str, int]] = {}  # customer -> LOT#<expires>#<id> -> points
        self.entries: dict[str, dict[str, LedgerEntry]] = {}  # customer -> L#<at>#<id>
        self.marks: set[tuple[str, str]] = set()
        self.earnings: dict[tuple[str, str], Earning] = {}  # an ern_ mark's points and billed
        self.taken: dict[tuple[str, str], int] = {}  # (customer, order) -> tkn_<order>'s points
        self.merged: dict[str, str] = {}  # CUS#<id>/META's merged_into, as a merge writes it

    def programme(self) -> Programme:
        return self.saved

    def set_programme(self, programme: Programme) -> None:
        self.saved = programme

    def balance(self, customer_id: str) -> Balance:
        return self.balances.get(customer_id, Balance())

    def lots_expiring(self, customer_id: str, first: str, last_exclusive: str) -> int:
        lots = self.lots.get(customer_id, {})
        return sum(p for k, p in lots.items() if f"LOT#{first}" <= k <= f"LOT#{last_exclusive}")

    def ledger(self, customer_id: str, *, limit: int) -> list[LedgerEntry]:
        mine = self.entries.get(customer_id, {})
        return [mine[k] for k in sorted(mine, reverse=True)][:limit]

    def has_mark(self, customer_id: str, key: str) -> bool:
        return (customer_id, key) in self.marks

    def earning(self, customer_id: str, order_id: str) -> Earning | None:
        key = (customer_id, f"ern_{order_id}")
        return self.earnings.get(key) if key in self.marks else None  # gone with an erase

    def taken_back(self, customer_id: str, order_id: str) -> int:
        return self.taken.get((customer_id, order_id), 0)

    def merged_into(self, customer_id: str) -> str | None:
        """As the table answers it: the record's merged_into (or one a test set here)."""
        record = self._customers.records.get(customer_id) if self._customers else None
        return self.merged.get(customer_id) or (record.merged_into if record else None)

    @staticmethod
    def owns(item: TransactionItem) -> bool:
        kinds = (PointsMove, PointsExpire, LotPut, LedgerPut, LoyaltyMark, LoyaltyMarkCheck)
        return isinstance(item, (*kinds, LoyaltyMarkDelete, TakenBackCount))

    def check(self, item: TransactionItem) -> None:
        refused = False
        if isinstance(item, PointsMove):
            refused = item.change < 0 and self.balance(item.customer_id).points < -item.change
        elif isinstance(item, PointsExpire):
            now = self.balance(item.customer_id)
            refused = (now.spent, now.checked) != (item.read.spent, item.read.checked)
            refused = refused or now.points < item.points
        elif isinstance(item, LedgerPut):
            e = item.entry
            refused = f"L#{e.at}#{e.id}" in self.entries.get(item.customer_id, {})
        elif isinstance(item, LoyaltyMark | LoyaltyMarkCheck):
            refused = (item.customer_id, item.key) in self.marks
        elif isinstance(item, LoyaltyMarkDelete):
            refused = (item.customer_id, item.key) not in self.marks
        elif isinstance(item, TakenBackCount):
            refused = self.taken_back(item.customer_id, item.order_id) != item.read
        if refused:
            raise redemption_refusal(item) or AssertionError(item)

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, PointsMove | PointsExpire):
            b = self.balance(item.customer_id)
            if isinstance(item, PointsMove):
                spent = b.spent - min(item.change, 0)
                b = replace(b, points=b.points + item.change, spent=spent)
            else:
                b = replace(
                    b,
                    points=b.points - item.points,
                    spent=b.spent + item.points,
                    passed=b.passed + item.newly_passed,
                    checked=item.checked,
                )
            self.balances[item.customer_id] = b
        elif isinstance(item, LotPut):
            key = f"LOT#{item.expires}#{item.lot_id}"
            self.lots.setdefault(item.customer_id, {})[key] = item.points
        elif isinstance(item, LedgerPut):
            e = item.entry
            self.entries.setdefault(item.customer_id, {})[f"L#{e.at}#{e.id}"] = e
        elif isinstance(item, LoyaltyMark):
            self.marks.add((item.customer_id, item.key))
            if item.earning is not None:
                self.earnings[(item.customer_id, item.key)] = item.earning
        elif isinstance(item, LoyaltyMarkDelete):
            self.marks.discard((item.customer_id, item.key))
        elif isinstance(item, TakenBackCount):
            self.taken[(item.customer_id, item.order_id)] = item.to


# -- segments and campaigns (customers/adapters/campaign_store.py's conditions) ------------


class FakeCampaignStore(CampaignStore):
    def __init__(self, customers: CustomerStore) -> None:
        self._customers = customers
        self.segment_items: dict[str, Segment] = {}
        self.campaign_items: dict[str, Campaign] = {}
        self.claims: dict[tuple[str, str], SendClaim] = {}
        self.booked: set[tuple[str, str]] = set()

    # -- segments -------------------------------------------------------------------------
    def segment(self, segment_id: str) -> Segment | None:
        return self.segment_items.get(segment_id)

    def segments(self) -> list[Segment]:
        return sorted(self.segment_items.values(), key=lambda s: (s.name.casefold(), s.id))

    def put_segment(self, segment: Segment, *, expected_version: int) -> None:
        current = self.segment_items.get(segment.id)
        if expected_version == 0 and current is not None:
            raise Conflict("The segment changed.", code="segment_exists")
        if expected_version and (current is None or current.version != expected_version):
            raise Conflict("The segment changed.", code="segment_changed")
        self.segment_items[segment.id] = segment

    def delete_segment(self, segment_id: str) -> bool:
        return self.segment_items.pop(segment_id, None) is not None

    def customer_ids(self, shard: int, *, after: str | None, limit: int) -> IdPage:
        records = getattr(self._customers, "records", {})
        ids = sorted(
            c.id
            for c in records.values()
            if not c.merged_into and all_customers_pk(c.id) == f"CUSALL#{shard}"
        )
        if after is not None:
            ids = [i for i in ids if i > after]
        page = tuple(ids[:limit])
        return IdPage(page, page[-1] if len(ids) > limit else None)

    # -- campaigns ------------------------------------------------------------------------
    def campaign(self, campaign_id: str) -> Campaign | None:
        return self.campaign_items.get(campaign_id)

    def campaigns(self) -> list[Campaign]:
        return sorted(
            self.campaign_items.values(), key=lambda c: (c.created_at, c.id), reverse=True
        )

    def create_campaign(self, campaign: Campaign) -> None:
        if campaign.id in self.campaign_items:
            raise Conflict("The campaign exists.", code="campaign_exists")
        self.campaign_items[campaign.id] = campaign

    def _set(self, campaign_id: str, **changes: object) -> None:
        c = self.campaign_items[campaign_id]
        self.campaign_items[campaign_id] = replace(c, **changes)  # type: ignore[arg-type]

    def delete_draft(self, campaign_id: str) -> bool:
        c = self.campaign_items.get(campaign_id)
        if c is None or c.status is not CampaignStatus.DRAFT:
            return False
        del self.campaign_items[campaign_id]
        return True

    def start_sending(self, campaign_id: str, *, at: str) -> bool:
        c = self.campaign_items.get(campaign_id)
        if c is None or c.status is not CampaignStatus.DRAFT:
            return False
        self._set(
            campaign_id,
            status=CampaignStatus.SENDING,
            send_started_at=at,
            touched_at=at,
            version=c.version + 1,
        )
        return True

    def save_cursor(self, campaign_id: str, cursor: str, *, at: str) -> None:
        if campaign_id in self.campaign_items:
            self._set(campaign_id, cursor=cursor, touched_at=at)

    def nudge(self, campaign_id: str, *, at: str, stale_before: str) -> bool:
        c = self.campaign_items.get(campaign_id)
        if c is None or c.status is not CampaignStatus.SENDING or c.touched_at >= stale_before:
            return False
        self._set(campaign_id, touched_at=at)
        return True

    def finish(self, campaign_id: str, *, at: str) -> None:
        c = self.campaign_items[campaign_id]
        if c.status is CampaignStatus.SENDING:
            self._set(campaign_id, status=CampaignStatus.SENT, sent_at=at, version=c.version + 1)

    def _count(self, campaign_id: str, name: str, n: int = 1) -> None:
        c = self.campaign_items.get(campaign_id)
        if c is None:  # DynamoDB's ADD would make a bare item; no campaign reads it
            return
        counts: CampaignCounts = c.counts
        self._set(campaign_id, counts=replace(counts, **{name: getattr(counts, name) + n}))

    # -- the transaction's items (campaign_items.py's conditions) -------------------------
    def owns(self, item: TransactionItem) -> bool:
        return isinstance(item, CAMPAIGN_KINDS)

    def check(self, item: TransactionItem) -> None:
        if isinstance(item, ClaimPut):
            if (item.claim.customer_id, item.claim.campaign_id) in self.claims:
                raise Conflict("The customer was claimed.", code="campaign_claimed")
        elif isinstance(item, ClaimSettle | ClaimRelease):
            found = self.claims.get((item.customer_id, item.campaign_id))
            if found is None or found.state != "claimed":
                raise Conflict("The claim was settled.", code="claim_settled")
        elif isinstance(item, ClaimBounced):
            found = self.claims.get((item.customer_id, item.campaign_id))
            if found is None or found.state != item.was:
                raise Conflict("The claim was settled.", code="claim_settled")
        elif isinstance(item, ClaimUnsubscribed):
            found = self.claims.get((item.customer_id, item.campaign_id))
            if found is None or found.unsubscribed_at:
                raise Conflict("The unsubscribe was counted.", code="unsubscribe_counted")
        elif isinstance(item, BookingMark) and (item.campaign_id, item.order_id) in self.booked:
            raise Conflict("The booking was counted.", code="booking_counted")

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, ClaimPut):
            self.claims[(item.claim.customer_id, item.claim.campaign_id)] = item.claim
        elif isinstance(item, ClaimSettle):
            key = (item.customer_id, item.campaign_id)
            self.claims[key] = replace(self.claims[key], state=item.state, sent_at=item.at)
        elif isinstance(item, ClaimBounced):
            key = (item.customer_id, item.campaign_id)
            self.claims[key] = replace(self.claims[key], state="bounced")
        elif isinstance(item, ClaimRelease):
            del self.claims[(item.customer_id, item.campaign_id)]
        elif isinstance(item, ClaimUnsubscribed):
            key = (item.customer_id, item.campaign_id)
            self.claims[key] = replace(self.claims[key], unsubscribed_at=item.at)
        elif isinstance(item, BookingMark):
            self.booked.add((item.campaign_id, item.order_id))
        elif isinstance(item, CampaignCount):
            self._count(item.campaign_id, item.name, item.n)
            if item.moved_from:
                self._count(item.campaign_id, item.moved_from, -item.n)

    def claims_of(self, customer_id: str) -> list[SendClaim]:
        return [c for (cid, _), c in sorted(self.claims.items()) if cid == customer_id]


# -- reports: the morning summary (issue 16) ---------------------------------------------------


class FakeSummarySchedules(SummarySchedules):
    """The platform table's `TEN#<id>`/`SUMMARY` items and their due index, in memory, with the
    adapter's rule that an advance holds only over the due time read."""

    def __init__(self) -> None:
        self.items: dict[str, SummarySchedule] = {}
        self.queries = 0

    def get(self, tenant_id: str) -> SummarySchedule | None:
        return self.items.get(tenant_id)

    def save(self, schedule: SummarySchedule) -> None:
        self.items[schedule.tenant_id] = schedule

    def due(self, until: str, *, limit: int) -> list[DueSummary]:
        self.queries += 1
        found = sorted((s.due, t) for t, s in self.items.items() if s.due and s.due <= until)
        return [DueSummary(tenant_id=t, due=d) for d, t in found[:limit]]

    def advance(self, tenant_id: str, *, was: str, due: str | None) -> bool:
        current = self.items.get(tenant_id)
        if current is None or current.due != was:
            return False
        self.items[tenant_id] = replace(current, due=due)
        return True


def day_figures(**fields: Any) -> dict[str, Any]:
    """A report's `F` for one day: every field there (0 or None), `fields` over them."""
    figures: dict[str, Any] = {
        "bookings": 0,
        "cancellations": 0,
        "no_shows": 0,
        "guests": 0,
        "party_size_average": None,
        "lead_days_average": None,
        "new_customers": 0,
        "returning_customers": 0,
        "units_sold": 0,
        "units_available": 0,
        "occupancy_bp": None,
        "money": {},
    }
    return {**figures, **fields}


class FakeSummaryFigures:
    """The report service's day totals as a test sets them (`figures[(tenant, basis, day)]`),
    an empty day otherwise; `read` lists every (tenant, basis, day) asked for."""

    def __init__(self) -> None:
        self.figures: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.read: list[tuple[str, str, str]] = []

    def totals(self, ctx: TenantContext[Any], basis: str, day: date) -> Mapping[str, Any]:
        key = (ctx.tenant.id, basis, day.isoformat())
        self.read.append(key)
        return self.figures.get(key, day_figures())


# -- the daily figures (reports/adapters/figures_store.py's conditions) -------------------


class FakeFigures(FiguresStore):
    """The daily figures in memory: day items per (basis, date) ADDed to, each order's
    contribution over its version (FakeTransactions checks and applies the items)."""

    def __init__(self) -> None:
        self.day_items: dict[tuple[str, str], DayFigures] = {}
        self.orders: dict[str, Counted] = {}
        self.rebuilds: dict[str, Rebuild] = {}
        self.queries = 0  # how many range reads (the report's one Query)

    def counted(self, order_id: str) -> Counted:
        return self.orders.get(order_id, Counted({}))

    def days(self, basis: str, first: str, last: str) -> list[DayFigures]:
        self.queries += 1
        return [
            d
            for (b, day), d in sorted(self.day_items.items())
            if b == basis and first <= day <= last
        ]

    def replace_days(self, basis: str, first: str, last: str, days: Sequence[DayFigures]) -> None:
        for key in [k for k in self.day_items if k[0] == basis and first <= k[1] <= last]:
            del self.day_items[key]
        for d in days:
            self.day_items[(basis, d.day)] = d

    def put_counted(self, order_id: str, counted: Counted) -> None:
        self.orders[order_id] = counted

    def get_rebuild(self, rebuild_id: str) -> Rebuild | None:
        return self.rebuilds.get(rebuild_id)

    def put_rebuild(self, rebuild: Rebuild) -> None:
        self.rebuilds[rebuild.id] = rebuild

    @staticmethod
    def owns(item: TransactionItem) -> bool:
        return isinstance(item, FigureAdd | CountedPut)

    def check(self, item: TransactionItem) -> None:
        if isinstance(item, CountedPut) and self.counted(item.order_id).version != (
            item.expected_version
        ):
            raise Conflict("The order's figures changed meanwhile.", code="figures_changed")

    def apply(self, item: TransactionItem) -> None:
        if isinstance(item, CountedPut):
            self.orders[item.order_id] = item.counted
        elif isinstance(item, FigureAdd):
            old = self.day_items.get((item.basis, item.day))
            counters = dict(old.counters) if old else {}
            for name, n in item.adds:
                counters[name] = counters.get(name, 0) + n
            self.day_items[(item.basis, item.day)] = DayFigures(item.day, counters, item.at)


# -- reports: exports ------------------------------------------------------------------------


class FakeExports(ExportStore):
    """Export jobs with the conditions of reports/adapters/export_store.py."""

    def __init__(self) -> None:
        self.jobs: dict[str, ExportJob] = {}

    def create(self, job: ExportJob) -> bool:
        if job.id in self.jobs:
            return False
        self.jobs[job.id] = job
        return True

    def get(self, export_id: str) -> ExportJob | None:
        return self.jobs.get(export_id)

    def recent(self, limit: int) -> list[ExportJob]:
        ordered = sorted(self.jobs.values(), key=lambda j: (j.created_at, j.id), reverse=True)
        return ordered[:limit]

    def claim(self, export_id: str, *, now: str, until: str) -> bool:
        job = self.jobs.get(export_id)
        if job is None or job.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
            return False
        if job.lease_until is not None and job.lease_until >= now:
            return False
        self.jobs[export_id] = replace(
            job, status=ExportStatus.RUNNING, lease_until=until, attempts=job.attempts + 1
        )
        return True

    def finish(self, export_id: str, *, rows: int, at: str) -> bool:
        job = self.jobs[export_id]
        if job.status is not ExportStatus.RUNNING:
            return False
        self.jobs[export_id] = replace(
            job, status=ExportStatus.DONE, rows=rows, finished_at=at, lease_until=None
        )
        return True

    def made_until(self, at: str) -> list[ExportJob]:
        kept = [j for j in self.jobs.values() if f"{j.created_at}#{j.id}" <= f"{at}#~"]
        return sorted(kept, key=lambda j: (j.created_at, j.id))

    def withdraw(self, export_id: str, *, code: str, reason: str, at: str) -> bool:
        job = self.jobs.get(export_id)
        if job is None or job.status not in (ExportStatus.RUNNING, ExportStatus.DONE):
            return False
        self._end(job, ExportStatus.WITHDRAWN, code, reason)
        return True

    def fail(self, export_id: str, *, code: str, reason: str, at: str) -> None:
        self._end(self.jobs[export_id], ExportStatus.FAILED, code, reason, finished_at=at)

    def _end(
        self, job: ExportJob, status: ExportStatus, code: str, reason: str, **more: Any
    ) -> None:
        """Failed or withdrawn, with why; the claim let go."""
        self.jobs[job.id] = replace(
            job, status=status, reason_code=code, reason=reason[:500], lease_until=None, **more
        )

    def let_go(self, export_id: str) -> None:
        if export_id in self.jobs:
            self.jobs[export_id] = replace(self.jobs[export_id], lease_until=None)

    def nudge(self, export_id: str, *, now: str, seen: str | None) -> bool:
        job = self.jobs.get(export_id)
        if job is None or job.nudged_at != seen:
            return False
        self.jobs[export_id] = replace(job, nudged_at=now)
        return True


class FakeReportFiles(ReportFiles):
    """Report files in memory, written by the real formats (CSV bytes, an XLSX workbook), so a
    test reads back what a tenant would download; `writes` counts every file written, and
    `fail_after` rows makes the next write raise midway (nothing is kept, as on S3)."""

    def __init__(self, now: Callable[[], str]) -> None:
        self.files: dict[str, bytes] = {}
        self.writes = 0
        self.fail_after: int | None = None
        self.failure: Exception = RuntimeError("disk full")
        self._now = now

    def write(
        self,
        key: str,
        format: ExportFormat,
        title: str,
        header: tuple[str, ...],
        rows: Iterable[Row],
    ) -> int:
        import os
        import tempfile

        counted: list[Row] = []
        for row in rows:
            if self.fail_after is not None and len(counted) >= self.fail_after:
                raise self.failure
            counted.append(row)
        if format is ExportFormat.CSV:
            body = b"".join(csv_chunks(header, counted))
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "out.xlsx")
                write_xlsx(path, title, header, counted, tmpdir=folder)
                with open(path, "rb") as file:
                    body = file.read()
        self.files[key] = body
        self.writes += 1
        return len(counted)

    def link(self, key: str, filename: str, format: ExportFormat, seconds: int) -> str:
        query = urllib.parse.urlencode({"expires": seconds, "at": self._now(), "name": filename})
        return f"https://reports.test/{urllib.parse.quote(key)}?{query}"

    def delete(self, key: str) -> None:
        self.files.pop(key, None)

    def fetch(self, url: str) -> bytes:
        parts = urllib.parse.urlsplit(url)
        return self.files[urllib.parse.unquote(parts.path.lstrip("/"))]


class InMemoryReportWithdrawals:
    """customers' `ReportExports` over whatever fake tenant data and report files the
    container holds now (tests swap them): the real use case (reports/services/
    export_withdrawals.py), whose only stores are the fakes above."""

    def __init__(self, container: FakeContainer) -> None:
        self._c = container

    def withdraw_made_until(self, ctx: PrivacyContext, at: str) -> int:
        real = ReportWithdrawals(self._c.tenant_data, self._c.report_files)
        return real.withdraw_made_until(ctx, at)


class FakeRowSource:
    """A kind's rows given by the test (the figures kind's stand-in until it is wired)."""

    def __init__(self, columns: tuple[str, ...], rows: Sequence[Row]) -> None:
        self._columns = columns
        self._rows = list(rows)

    @property
    def columns(self) -> tuple[str, ...]:
        return self._columns

    def rows(self, ctx: ExportsContext, first: str | None, last: str | None) -> Iterator[Row]:
        yield from self._rows


class FakeOutboundStore(OutboundStore):
    """The outbound updates' windows and updates in memory, with the adapter's conditions: a
    drained window takes no marks (they go to the next), an attempt is claimed once."""

    def __init__(self) -> None:
        self.windows: dict[tuple[str, int], dict[str, Any]] = {}
        self.updates: dict[tuple[str, str], OutboundDelivery] = {}

    def mark(self, connection_id: str, window: int, marks: Marks, *, now: str) -> MarkResult:
        for number in range(window, window + 3):
            item = self.windows.get((connection_id, number))
            if item is not None and item.get("drained"):
                continue
            opened = item is None
            if item is None:
                item = self.windows[(connection_id, number)] = {
                    "res": set(),
                    "days": set(),
                    "opened": now,
                    "scheduled": False,
                }
            before = dict(item)
            item["res"] |= set(marks.resources)
            item["days"] |= {marks.first.isoformat(), marks.last.isoformat()}
            return MarkResult(
                window=number,
                opened=opened,
                scheduled=bool(before["scheduled"]) and not opened,
                opened_at=str(before["opened"]),
            )
        raise RuntimeError("every window ahead is drained")

    def note_scheduled(self, connection_id: str, window: int) -> None:
        self.windows[(connection_id, window)]["scheduled"] = True

    def drain(self, connection_id: str, window: int, *, now: str) -> UpdateWindow | None:
        item = self.windows.get((connection_id, window))
        if item is None:
            return None
        item.setdefault("drained", now)
        return UpdateWindow(connection_id, window, frozenset(item["res"]), frozenset(item["days"]))

    def create_delivery(self, delivery: OutboundDelivery) -> OutboundDelivery:
        return self.updates.setdefault((delivery.connection_id, delivery.id), delivery)

    def get_delivery(self, connection_id: str, delivery_id: str) -> OutboundDelivery | None:
        return self.updates.get((connection_id, delivery_id))

    def claim_attempt(
        self, connection_id: str, delivery_id: str, attempt: int, *, now: str, lease_until: str
    ) -> bool:
        found = self.updates.get((connection_id, delivery_id))
        if found is None or found.status not in (UpdateStatus.PENDING, UpdateStatus.FAILED):
            return False
        fresh = found.attempts == attempt - 1 and found.lease_until is None
        lapsed = found.attempts == attempt and (found.lease_until or "") < now
        if not (fresh or lapsed):
            return False
        self.updates[(connection_id, delivery_id)] = replace(
            found, attempts=attempt, lease_until=lease_until
        )
        return True

    def finish_attempt(self, delivery: OutboundDelivery) -> None:
        self.updates[(delivery.connection_id, delivery.id)] = delivery

    def deliveries(self, connection_id: str, *, limit: int = 50) -> list[OutboundDelivery]:
        mine = [d for (c, _), d in self.updates.items() if c == connection_id]
        return sorted(mine, key=lambda d: d.id, reverse=True)[:limit]


# -- channels: connections and partners' reference entries (issue 17, core) -------------------


class FakeConnectionStore(ConnectionStore):
    """Connections by id, with their secrets apart, and the store's version condition."""

    def __init__(self) -> None:
        self.items: dict[str, Connection] = {}
        self.secrets: dict[str, str] = {}

    def get(self, connection_id: str) -> Connection | None:
        return self.items.get(connection_id)

    def list(self) -> list[Connection]:
        return [self.items[k] for k in sorted(self.items)]

    def put(
        self, connection: Connection, *, expected_version: int | None, secret: str | None = None
    ) -> None:
        current = self.items.get(connection.id)
        if (expected_version is None and current is not None) or (
            expected_version is not None
            and (current is None or current.version != expected_version)
        ):
            raise Conflict("The connection was changed.", code="version_mismatch")
        self.items[connection.id] = connection
        if secret is not None:
            self.secrets[connection.id] = secret

    def secret(self, connection_id: str) -> str | None:
        return self.secrets.get(connection_id)


class FakePartnerRefs(PartnerRefIndex):
    """Partners' reference entries (`PREF#<connection>`/<reference>), written by the unit of
    work's `PartnerEntryPut` on the conditions booking/adapters/partner_ref_items.py writes."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], PartnerEntry] = {}

    @staticmethod
    def owns(item: TransactionItem) -> bool:
        return isinstance(item, PartnerEntryPut)

    def check(self, item: TransactionItem) -> None:
        assert isinstance(item, PartnerEntryPut)
        e = item.entry
        held = self.entries.get((e.connection_id, e.reference))
        if held is not None and (item.new or held.order_id != e.order_id):
            raise PartnerReferenceTaken(
                "Taken.", existing_order_id=held.order_id, reference=e.reference
            )

    def apply(self, item: TransactionItem) -> None:
        assert isinstance(item, PartnerEntryPut)
        self.entries[(item.entry.connection_id, item.entry.reference)] = item.entry

    def order_id_for(self, connection_id: str, reference: str) -> str | None:
        held = self.entries.get((connection_id, reference))
        return None if held is None else held.order_id

    def month_entries(self, connection_id: str, month: str) -> list[PartnerEntry]:
        mine = [
            e
            for e in self.entries.values()
            if e.connection_id == connection_id and e.month == month
        ]
        return sorted(mine, key=lambda e: (e.booked_at, e.order_id))


# -- channels: the channel managers' webhooks (issue 17, inbound) ---------------------------


class FakeInboundStore(InboundStore):
    """Messages received, reservations' states and the open conflicts' list, with the
    conditions channels/adapters/inbound_store.py writes them on."""

    def __init__(self) -> None:
        self.received: dict[tuple[str, str], ReceivedEvent] = {}
        self.states: dict[tuple[str, str], ReservationState] = {}
        self.conflict_ids: dict[str, str] = {}  # order id -> listed at

    def seen(self, connection_id: str, event_id: str) -> ReceivedEvent | None:
        return self.received.get((connection_id, event_id))

    def remember(self, received: ReceivedEvent) -> bool:
        key = (received.connection_id, received.event_id)
        if key in self.received:
            return False
        self.received[key] = received
        return True

    def recent(self, connection_id: str, limit: int) -> list[ReceivedEvent]:
        mine = [r for (c, _), r in self.received.items() if c == connection_id]
        return sorted(mine, key=lambda r: (r.received_at, r.event_id), reverse=True)[:limit]

    def state(self, connection_id: str, external_id: str) -> ReservationState | None:
        return self.states.get((connection_id, external_id))

    def save_state(self, state: ReservationState) -> bool:
        key = (state.connection_id, state.external_id)
        current = self.states.get(key)
        if (current.version if current else 0) != state.version:
            return False
        self.states[key] = replace(state, version=state.version + 1)
        return True

    def add_conflict(self, order_id: str, at: str) -> None:
        self.conflict_ids[order_id] = at

    def drop_conflict(self, order_id: str) -> None:
        self.conflict_ids.pop(order_id, None)

    def conflicts(self) -> list[str]:
        return [o for o, _ in sorted(self.conflict_ids.items(), key=lambda kv: (kv[1], kv[0]))]


# -- channels: the OCTO API's extras of a booking (issue 17, octo) ---------------------------


class FakeOctoStore(OctoStore):
    """`OCTO#<connection>`/<uuid>, and the reseller-reference index, in memory."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], OctoExtras] = {}

    def get(self, connection_id: str, uuid: str) -> OctoExtras | None:
        return self.items.get((connection_id, uuid))

    def put(self, connection_id: str, extras: OctoExtras) -> None:
        self.items[(connection_id, extras.uuid)] = extras

    def by_reseller_reference(self, connection_id: str, reference: str) -> list[OctoExtras]:
        mine = [
            e
            for (conn, _), e in self.items.items()
            if conn == connection_id and e.reseller_reference == reference
        ]
        return sorted(mine, key=lambda e: e.uuid)


def reads_outside_fakes(store: Any, method: str) -> list[str]:
    """Wrap `store.<method>(key)` to list the keys the code under test reads with it, not the
    reads a fake's own condition check makes (a put over the version read); the list fills
    as the code reads."""
    import sys

    original = getattr(store, method)
    reads: list[str] = []

    def reading(key: str) -> Any:
        if not sys._getframe(1).f_code.co_filename.endswith("fakes.py"):
            reads.append(key)
        return original(key)

    setattr(store, method, reading)
    return reads
