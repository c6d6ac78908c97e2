"""The two table schemas, defined once.

The provisioning worker creates tenant tables from `TENANT_TABLE`, the local stack and the
tests create the platform table from `PLATFORM_TABLE`, and `infra/` synthesises both from
these same objects. Pure data: no boto3 here, so the infra can import it cheaply.

Access patterns (each one GetItem or one Query; never a Scan on a request path):

Platform table
  tenant by id ............... GetItem  pk=TEN#<id>        sk=META
  slug -> tenant ............. GetItem  pk=SLUG#<slug>     sk=META     (conditional put: unique)
  API key by id .............. GetItem  pk=KEY#<key id>    sk=META
  a tenant's keys ............ Query    gsi1 gsi1pk=TEN#<id>#KEYS      gsi1sk=<created>#<key id>
  staff user (Cognito sub) ... GetItem  pk=USER#<sub>      sk=META
  staff e-mail -> user ....... GetItem  pk=EMAIL#<email>   sk=META     (conditional put: unique)
  a tenant's staff ........... Query    gsi1 gsi1pk=TEN#<id>#USERS     gsi1sk=<email>
  tenant's Stripe link ....... GetItem  pk=TEN#<id>        sk=STRIPE   (versioned: account, billing)
  Stripe account -> tenant ... GetItem  pk=STRIPE#<acct>   sk=META     (conditional put: one tenant)
  Stripe customer -> tenant .. GetItem  pk=STRIPECUS#<cus> sk=META     (billing customers)
  platform Stripe event claim  PutItem  pk=WH#stripe#<evt> sk=META     (conditional: unknown or
                               lease run out; state pending -> done; TTL 30 days)
  morning summary ............ GetItem  pk=TEN#<id>        sk=SUMMARY  (enabled, recipients, hour,
                               due; reports/adapters/summary_schedules.py)
  summaries due by now ....... Query    gsi1 gsi1pk=SUMMARYDUE  gsi1sk <= <now>#~  (sparse: the
                               entry <due>#<tenant> exists only while enabled; moved to the
                               next morning after each send, on condition of the due time read)
  sign-up budget counters .... UpdateItem ADD  pk=RL#<budget>#<address> | RL#signups_per_hour#all
                               sk=W#<window start, epoch s>  (conditional n < limit; TTL)

Tenant table (one per tenant)
  resource / offering ........ GetItem  pk=RES#<id> | OFF#<id>  sk=META
  price list item ............ GetItem  pk=PLI#<id>        sk=META     (conditional on rev)
  by kind and name ........... Query    gsi1 gsi1pk=KIND#<kind>      gsi1sk=<name>
                               (kinds: resource, offering, price_item)
  bucket window .............. Query    pk=INV#<resource>  sk BETWEEN N#.. | S#.. | X#..
                               (a sharded session: one Query per shard, pk=INV#<resource>#<i>)
  revision copy of a shard ... ConditionCheck pk=REV#<resource>#<i>  sk=REV  (hot_keys.py)
  order ...................... GetItem  pk=ORD#<id>        sk=META     (its lines, payments,
                               refunds and folio charges in one compressed document; the
                               marks of the Idempotency-Keys that held and confirmed it)
  customer's orders by start . Query    gsi7 gsi7pk=CUSORD#<customer>  gsi7sk=<start>  (keys;
                               <customer>: from the e-mail, or the winner of a merge; orders
                               written before: gsi1 CUSORD#<customer> or CUS#<email>, read too)
  a day's orders ............. Query    gsi8 gsi8pk=DAY#<local date>#<n> gsi8sk=<start>#<id>
                               (keys; n < INDEX_SHARDS, merged; before: gsi2, read too)
  table format (no gsi1/2) ... GetItem  pk=TABLE  sk=FORMAT  (table_format.py)
  open holds by expiry ....... Query    gsi3 gsi3pk=HOLD#<shard>       gsi3sk=<expires>  (sparse)
  orders by customer phone ... Query    gsi4 gsi4pk=PHONE#<e164>        gsi4sk=<start>#<id>  (keys)
  orders by name prefix ...... Query    gsi5 gsi5pk=NAME#<first char>  gsi5sk begins_with
                               <folded name> (order_search.search_name; keys only)
  orders by creation ......... Query    gsi6 gsi6pk=MADE#<utc date>#<n> gsi6sk=<created>#<id>
                               (n < INDEX_SHARDS, merged; keys only)
  a resource's order lines ... Query    pk=RESORD#<resource>[#<shard>] sk BETWEEN <start>..
                               (one entry per line and resource, `end` kept; written with the
                               order: a resource's day, a session's manifest, search by resource)
  a room's night ............. Put      pk=ROOMN#<room type>  sk=<night>#<room>  (conditional:
                               not yet there, so no room is given twice a night; written and
                               deleted with the order; booking/domain/room_nights.py)
  a type's rooms over nights . Query    pk=ROOMN#<room type>  sk BETWEEN <night>#..<night>#~
                               (the room board, the rooms free for a stay, a change of rooms)
  a type's housekeeping ...... Query    pk=RES#<room type>  sk begins_with HK#  (sk=HK#<room>)
  resources sold (allowance) . UpdateItem pk=ALLOWANCE  sk=resources  (map id -> when, size
                               conditional on the plan's resources; catalog_store.py)
  room block ................. GetItem  pk=BLOCKS  sk=BLK#<id>  (conditional on status and
                               version; booking/adapters/block_items.py)
  a tenant's room blocks ..... Query    pk=BLOCKS
  staff alert choices ........ Query    pk=ALERTS  (sk=USER#<id>: kinds, scope, resources, e-mail)
  bulk job ................... GetItem  pk=JOB#<id>  sk=META  (its order ids; TTL 90 days)
  a bulk job's results ....... Query    pk=JOB#<id>  sk begins_with R#  (sk=R#<order id>,
                               conditional: one result per order; TTL 90 days)
  import ..................... GetItem  pk=IMP#<id>  sk=META  (kind, file name and hash, mapping,
                               status, claim; TTL 30 days; customers/adapters/import_store.py)
  latest imports ............. Query    gsi1 gsi1pk=IMPORTS  gsi1sk=<created>#<id>  (newest first)
  an import's file ........... Query    pk=IMP#<id>  sk begins_with ROWS#  (the mapped cells in
                               chunks under 300 KB; deleted when the job is done)
  an import's results ........ Query    pk=IMP#<id>  sk begins_with R#  (sk=R#<row, 5 digits>,
                               conditional: one result per row, a customer row's in its
                               event's transaction; TTL 30 days)
  customer ................... GetItem  pk=CUS#<id>        sk=META     (<id>: derived from the
                               normalised e-mail, else the phone: customers/domain/identity.py;
                               every item holding a customer's personal data sits under
                               pk=CUS#<id> or another partition named by the id)
  gift card .................. GetItem  pk=GIFT#<card id>  sk=META  (`balance` in minor units:
                               a spend is an Update on condition `status = active AND balance >=
                               :n AND (no expiry OR expires_on >= :today)` in the payment's own
                               transaction; customers/adapters/gift_card_store.py)
  a gift card's ledger ....... Query    pk=GIFT#<card id>  sk begins_with L#  (sk=L#<at>#<entry
                               id>: one per movement, written with the balance it moves)
  gift cards, newest first ... Query    gsi1 gsi1pk=GIFTS  gsi1sk=<sold at>#<card id>
  gift card by its code ...... GetItem  pk=GIFTCODE#<SHA-256 of the code>  sk=META  (`card_id`;
                               the code itself is never stored)
  gift cards' validity rule .. GetItem  pk=GIFTCONF  sk=META  (`valid_months`; the online
                               sale's bounds `online_min`, `online_max`: 0 none)
  a customer's gift cards .... Query    pk=CUS#<customer id>  sk begins_with GIFT#  (sk=GIFT#<card
                               id>#<buyer|recipient>: the cards holding their name and address)
  customer's counted orders .. GetItem pk=CUS#<id>  sk=BOOKED  (`visits`: JSON, one entry per
                               confirmed, checked-in or completed order; `v`: Put over the version
                               read, in one transaction with the co-booking rows it moves;
                               customers/adapters/suggestion_store.py)
  co-booking rows ............ BatchGetItem pk=COBOOK  sk=<offering id>  (`customers`, and
                               `w_<other offering id>`: customers who booked both; counts only,
                               ADD in the customer's transaction; customers/domain/suggestions.py)
                               (`doc` JSON, `version`, `merged_into` once merged away: reads
                               follow it; customers/adapters/customer_items.py)
  customers by phone ......... Query    gsi4 gsi4pk=CUSPHONE#<e164>  gsi4sk=<id>  (keys only)
  customers by name prefix ... Query    gsi5 gsi5pk=CUSNAME#<first folded char>  gsi5sk
                               begins_with <folded name> (sk=<folded name>#<id>; keys only;
                               the record's entry, and the family name's on its own item
                               pk=CUS#<id> sk=FAMNAME, written when that part of the name
                               changes: "chen" finds "Wei Chen")
  possible duplicates ........ Query    gsi3 gsi3pk=CUSDUP  gsi3sk=<updated_at>#<id>  (sparse:
                               only records flagged and not merged away; newest first)
  customer's event mark ...... Put      pk=CUS#<id the order's e-mail names>  sk=EVT#<event id>
                               (an order event's: in its record's `counted`, apart only if a record
                               from before may hold it: customers/services/figures.py; conditional:
                               new; TTL 30 days; SES feedback's: EVT#mail_<SES message id>_<kind>)
  customer's notes ........... Query    pk=CUS#<id>  sk begins_with NOTE#  (sk=NOTE#<at>#<note
                               id>; conditional put: never overwritten; newest first)
  a merge and its job ........ GetItem  pk=CUS#<winner>  sk=MERGE#<loser>  (conditional on
                               `version`: each step of the job marked once)
  erased customer's tombstone  GetItem  pk=ERASED#<id>  sk=META  (`erased_at`; an id is a hash:
                               no personal data; written last by an erase, kept for good, for
                               each id of theirs and each phone's own id: an import refuses a
                               row of it; its mark ERASING#<id>/META stays till report exports
                               are withdrawn; customers/services/privacy_erase.py)
  coupon ..................... GetItem  pk=CPN#<code>      sk=META     (`used` counted in the
                               bookings' transactions within max_uses; customers/adapters/
                               redemption_items.py)
  coupons by code ............ Query    gsi1 gsi1pk=COUPONS          gsi1sk=<code>
  a coupon's orders .......... Query    pk=CPN#<code>  sk begins_with R#  (sk=R#<order id>: one
                               per order holding a use; deleted, on condition, when given back)
  a customer's uses of a code  GetItem / Update  pk=LOY#<customer id>  sk=CPN#<code>  (`used`,
                               within per_customer, in the booking's transaction)
  loyalty programme .......... GetItem  pk=LOYALTY  sk=PROGRAMME
  a customer's points ........ GetItem / Update  pk=LOY#<customer id>  sk=BAL  (`points`,
                               `spent`, `passed`, `checked`; a debit on condition points >= n)
  their lots expiring ........ Query    pk=LOY#<customer id>  sk BETWEEN LOT#<date>..LOT#<date>
                               (sk=LOT#<expires>#<lot id>; lazy expiry: customers/services/
                               loyalty.py)
  their ledger, newest first . Query    pk=LOY#<customer id>  sk begins_with L#  (descending;
                               sk=L#<at>#<entry id>)
  once marks of points ....... Put      pk=LOY#<customer id>  sk=M#ern_<order> | M#ret_<order>
                               (conditional: an order earns or gives points back once; under
                               an id a merge does not move: ern_ the id the order's e-mail
                               names, ret_ the id its redemption names; the points themselves
                               on the live customer, in the same transaction)
  an order's earning ......... GetItem  pk=LOY#<customer id>  sk=M#ern_<order>  (`points`,
                               `billed`: what a refund takes back its share of)
  points refunds took back ... GetItem / Update  pk=LOY#<customer id>  sk=M#tkn_<order>
                               (`points`, set on condition that it is as read), and a refund's
                               once mark Put sk=M#tkb_<order>_<refund id> (take-back:
                               customers/services/points_takeback.py)
  every live customer ........ Query    gsi6 gsi6pk=CUSALL#<n>  gsi6sk=<customer id>  (n < 8 by
                               the id's hash; keys only, records by BatchGetItem; a merged
                               loser has none: segments' counts, campaigns' sends)
  segment .................... GetItem  pk=SEG#<id>  sk=META  (conditional on version)
  a tenant's segments ........ Query    gsi1 gsi1pk=SEGS  gsi1sk=<folded name>#<id>
  campaign ................... GetItem  pk=CAMP#<id>  sk=META  (status draft -> sending -> sent,
                               conditional; cursor; counts n_* by ADD)
  a tenant's campaigns ....... Query    gsi1 gsi1pk=CAMPS  gsi1sk=<created>#<id>  (newest first)
  campaign claim of a customer Put      pk=CUS#<customer>  sk=CAMP#<campaign>  (conditional: not
                               there, with the campaign's recipient count, BEFORE the e-mail;
                               then state sent | bounced; unsubscribed_at once; a later SES
                               bounce: sent|claimed -> bounced on the state read, bounced_at,
                               n_sent -1 and n_bounced +1 in one ADD)
  a customer's claims ........ Query    pk=CUS#<customer>  sk begins_with CAMP#  (the booking
                               that followed: the latest sent within its window)
  booking that followed ...... Put      pk=CAMP#<campaign>  sk=BOOKED#<order>  (conditional: one
                               count per order, with the campaign's count)
  event ...................... GetItem  pk=EVT#<id>        sk=META     (TTL 90 days; the table's
                               stream carries each new one to the relay: pipeline/stream.py)
  what names an order or a ... Query    gsi4 (keys only) gsi4pk=EVTORD#<order id> (its events
                               that may name someone; the others through its AUDT# entries) |
  customer (privacy)           EVTCUS#<customer id> (an event about a customer, by its data's
                               `customer_id`) | IDEMFOR#<order or customer id> (idempotency records
                               whose answer names it first; gsi4sk=<key>) | DLVEVT#<event id>
                               (webhook deliveries; gsi4sk=<endpoint>#<delivery>) | AUDT#<target>
                               (audit entries, `order:<id>`, `customer:<id>`); gsi4sk=<time>#<id>
                               otherwise. Written with each item; read by an export or an erase
                               (customers/adapters/privacy_store.py)
  a customer's own items ..... Query    pk=CUS#<id> | LOY#<id>  (every sk: record, notes, figures,
                               points; exported whole, deleted whole by an erase)
  consumer ledger ............ PutItem  pk=DONE#<key>  sk=META  (conditional: one completion
                               per key; TTL 30 days; keys that span events, e.g. a refund's
                               message `refund-message#<refund id>#<email|sms>`: once per
                               refund whichever event announced it, notifications/send.py)
  event or reminder claim ... UpdateItem pk=DONE#event#<event id>[#messages|#money|#bulk] |
                               DONE#event#reminder#<id> | DONE#event#due#<schedule id>
                               (a balance's or instalment's try)  sk=META  (conditional claim with a
                               lease; `done`: the pieces marked; TTL 30 days; events_store.py)
  morning summary's claim .... UpdateItem pk=DONE#event#summary#<local date>  sk=META  (one
                               per tenant and day, each e-mail marked on it: once.run_claimed)
  notification templates ..... Query    pk=TPL             sk=<kind>#<channel>#<locale>
  audit entries of a month ... Query    pk=AUD#<yyyy-mm>   sk=<time>#<id>
  idempotency / webhook dedup  GetItem  pk=IDEM#<key> | WH#<provider>#<event>  sk=META (TTL;
                               a hold's or a confirmation's key is not here but on its order:
                               `keys` in the order's document, kernel/services/
                               idempotency_claims.py; records of theirs written before are read)
  daily figures of a range ... Query    pk=FIG#<booked|service|paid>  sk BETWEEN <local date>..
                               <local date>  (one item per day and basis: every dimension's
                               counters, top-level numbers `<dim>|<key>|<field>`, `key_of(id)`
                               for offerings and resources, ADD in the consumer's transaction;
                               `u` last changed; reports/adapters/figures_store.py)
  an order's figures ......... GetItem  pk=FIGORD#<order id>  sk=META  (what it has added: `c` JSON,
                               `f` first booking, `v`; Put over the version read in the same
                               transaction as the day items' ADDs: each event counted once)
  a rebuild of the figures ... GetItem  pk=REBUILD#<id>  sk=META  (`doc` JSON; TTL 90 days)
  Stripe (Connect) event claim PutItem  pk=WH#stripe#<evt> sk=META     (conditional: unknown or
                               lease run out; state pending -> done; TTL 30 days)
  month's booking count ...... Query    pk=BOOKED#<yyyy-mm (local)>  (a mark per hold, sk=<order>,
                               UpdateItem; `released` out, never `revived`; TTL: payments_store.py)
                               and, for months up to 2026-12, GetItem pk=USAGE#<yyyy-mm> sk=META
                               (the counter those months' holds added to before the marks)
  takings of a day ........... GetItem  pk=TAKEDAY  sk=<local date>  (entries, in_, out_ and
                               tip_<method>; ADD in a desk record's transaction if not closed;
                               the close: conditional on not closed and the count read;
                               payments/adapters/takings_store.py)
  takings of a range of days . Query    pk=TAKEDAY  sk BETWEEN <date>..<date>
  a day's takings entries .... Query    pk=TAKE#<local date>  sk=<recorded at>#<record id>
                               (one per desk payment or refund, written with its order)
  events of a UTC day ........ Query    gsi2 gsi2pk=EVTDAY#<yyyy-mm-dd>#<n> gsi2sk=<time>#<id>
                               (webhook replay of a time range: one Query per day and n, merged;
                               kept with the event)
  webhook endpoint ........... GetItem  pk=WHEP#<id>       sk=META     (conditional on version)
  a tenant's endpoints ....... Query    gsi1 gsi1pk=WHEPS             gsi1sk=<created>#<id>
  endpoint health ............ GetItem/UpdateItem  pk=WHEP#<id>  sk=HEALTH  (atomic counters)
  webhook delivery ........... GetItem  pk=WHEP#<id>  sk=DLV#<delivery id>  (conditional claim
                               of each attempt; TTL 7 days)
  delivery log, newest first . Query    pk=WHEP#<id>  sk begins_with ATT#  (descending;
                               sk=ATT#<time>#<delivery id>#<attempt>; TTL 30 days)
  channel message received ... GetItem / Put  pk=CHIN#<connection>  sk=E#<partner's event id>
                               (conditional: new, so an event id is seen once; its outcome,
                               order and reason; TTL 90 days; channels/adapters/inbound_store.py)
  a connection's messages .... Query    gsi1 gsi1pk=CHINLOG#<connection>  gsi1sk=<received at>#
                               <event id>  (newest first: GET /v1/channels/{id}/inbound)
  a partner's reservation .... GetItem / Put  pk=CHRES#<connection>  sk=<partner's reservation
                               id>  (`v`: Put on condition of the version read; a modification
                               parked as JSON, a cancellation recorded before the order, the
                               newest `sent_at` applied and its content as JSON, claimed
                               before the order is changed: channels/domain/inbound_rules.py)
  open overbooking conflicts . Query    pk=OVERBOOKED  sk=<order id>  (`at`; written before
                               the conflict's order, deleted when it is resolved; the list
                               reads the orders and skips, and deletes, a resolved one)
  calendar feed of a resource  GetItem  pk=RES#<id>   sk=CALFEED   (SHA-256 of the token only)
  invoice or credit note ..... GetItem  pk=INVC#<id>  sk=META  (the immutable snapshot as
                               JSON `doc`; Put conditional on a new id; invoice_items.py)
  a month's documents ........ Query    gsi1 gsi1pk=INVMON#<local yyyy-mm of issue>
                               gsi1sk=<issued_at>#<id>  (oldest first, paged)
  a series' last number ...... GetItem / Update  pk=SEQ#<series>#<year>  sk=META  (`n`; the
                               update conditional on the number read, in the document's own
                               transaction: no gap, no repeat)
  an order's invoicing ....... GetItem  pk=ORDINV#<order id>  sk=META  (the live invoice, what
                               credit notes took back in all and per tax rate, every document's
                               summary; Put over the version read, in the document's transaction)
  report export .............. GetItem  pk=EXP#<id>  sk=META  (kind, format, local dates, who
                               asked; `export_status` queued -> running -> done | failed |
                               withdrawn (an erase), the worker's claim conditional on status
                               and lease, `attempts`, `rows`, `reason_code`/`reason`; TTL 7
                               days, like its file under `reports/<tenant>/<id>.<csv|xlsx>` in
                               the exports' bucket; reports/adapters/export_store.py)
  latest report exports ...... Query    gsi1 gsi1pk=EXPORTS  gsi1sk=<created>#<id>  (newest first)
  public-route budget counter  UpdateItem ADD  pk=RL#<budget>#<address | key | contact hash>
                               sk=W#<window start, epoch s>  (conditional n < limit; TTL a minute
                               after the window; tenancy/domain/rate_limits.py)
  channel connection ......... GetItem  pk=CHN  sk=<connection id>  (`doc` JSON, `version`; the
                               HMAC secret apart in `secret`, projected out of the reads; Update
                               conditional on the version read; channels/adapters/
                               connection_store.py)
  a tenant's connections ..... Query    pk=CHN  (projection `doc`)
  partner's reference ........ GetItem  pk=PREF#<connection id>  sk=<partner's reference>
                               (`order_id` and the statement's figures; Put in every transaction
                               of its order: conditional attribute_not_exists(pk) for a new order,
                               else order_id = :o; booking/adapters/partner_ref_items.py)
  a partner's month .......... Query    gsi1 gsi1pk=PST#<connection id>#<yyyy-mm, tenant's zone,
                               booked>  gsi1sk=<booked_at>#<order id>  (the monthly statement)
  partner updates' window ..... UpdateItem pk=CHO#<connection id>  sk=WIN#<window, 12 digits>
                               (ADD string sets `res`, `days` on condition not `drained`; the
                               mark that opens it queues its message; `scheduled`, `drained`;
                               TTL 7 days; channels/adapters/outbound_store.py)
  partner update ............. GetItem  pk=CHO#<connection id>  sk=DLV#<update id>  (covered
                               resources and dates, status, attempts; each attempt claimed
                               conditionally with a lease: kernel/adapters/attempt_claims.py;
                               TTL 30 days)
  a partner's updates ........ Query    pk=CHO#<connection id>  sk begins_with DLV#  (descending:
                               the ids sort by time; the delivery log)
  OCTO booking's extras ...... GetItem  pk=OCTO#<connection>  sk=<booking uuid>  (the reseller's
                               reference, its unit items' uuids, the order id, the product id
                               it was booked under; the booking itself is the order, found by
                               its partner reference: channels/adapters/octo_store.py)
  OCTO bookings by reference . Query    gsi1 gsi1pk=OCTORR#<connection>#<reseller reference>
                               gsi1sk=<booking uuid>  (sparse: while it has one)
  a tenant's listener counts . GetItem  pk=LISTENERS  sk=META  (`webhook_endpoints`,
                               `channel_connections`, `templates`, `alert_prefs`: put at
                               provisioning; ADD 1 before an endpoint, a connection, a template
                               or an alert choice is created, -1 after a delete that removed
                               one (or a put that replaced one), on condition the count exists;
                               a count absent: unknown; read once per event, or with the order
                               in one BatchGetItem: kernel/adapters/listener_counts.py,
                               booking/adapters/order_reads.py)
"""

from __future__ import annotations

from typing import Any

from chalicelib.kernel.domain.timefmt import parse
from chalicelib.kernel.domain.values import value

TTL_ATTRIBUTE = "ttl"
STRIPE_EVENT_DAYS = 30  # a Stripe event id is remembered this long (Stripe retries for 3 days)


def stripe_event_expiry(now: str) -> int:
    """The TTL (epoch seconds) of a `WH#stripe#<event>` item claimed at `now`, in either table."""
    return int(parse(now).timestamp()) + STRIPE_EVENT_DAYS * 86400


@value
class Index:
    name: str
    hash_key: str
    range_key: str
    # KEYS_ONLY: an entry is written only when its keys change (a status change rewrites no
    # entry), and a search reads the orders it names with BatchGetItem.
    projection: str = "ALL"


@value
class TableSpec:
    hash_key: str
    range_key: str
    indexes: tuple[Index, ...]
    ttl_attribute: str | None = None
    # The change stream's view (None: no stream). Tenant tables stream new images: the relay
    # reads the events written in each transaction from it.
    stream_view: str | None = None

    @property
    def attributes(self) -> tuple[str, ...]:
        names = [self.hash_key, self.range_key]
        for index in self.indexes:
            names += [index.hash_key, index.range_key]
        return tuple(dict.fromkeys(names))

    def create_table_kwargs(self, table_name: str) -> dict[str, Any]:
        """Arguments for DynamoDB CreateTable (on-demand billing, all keys strings)."""
        return {
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": "S"} for name in self.attributes
            ],
            "KeySchema": [
                {"AttributeName": self.hash_key, "KeyType": "HASH"},
                {"AttributeName": self.range_key, "KeyType": "RANGE"},
            ],
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": index.name,
                    "KeySchema": [
                        {"AttributeName": index.hash_key, "KeyType": "HASH"},
                        {"AttributeName": index.range_key, "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": index.projection},
                }
                for index in self.indexes
            ],
            **({"StreamSpecification": self.stream_specification} if self.stream_view else {}),
        }

    @property
    def stream_specification(self) -> dict[str, Any]:
        return {"StreamEnabled": True, "StreamViewType": self.stream_view}


def _gsi(n: int, projection: str = "ALL") -> Index:
    return Index(name=f"gsi{n}", hash_key=f"gsi{n}pk", range_key=f"gsi{n}sk", projection=projection)


# TTL: sign-up budget counters, work marks and Stripe event claims carry `ttl`.
PLATFORM_TABLE = TableSpec(
    hash_key="pk", range_key="sk", indexes=(_gsi(1),), ttl_attribute=TTL_ATTRIBUTE
)

TENANT_TABLE = TableSpec(
    hash_key="pk",
    range_key="sk",
    indexes=(
        _gsi(1),
        _gsi(2),
        _gsi(3),
        _gsi(4, "KEYS_ONLY"),
        _gsi(5, "KEYS_ONLY"),
        _gsi(6, "KEYS_ONLY"),
        _gsi(7, "KEYS_ONLY"),  # an order's customer and day: its later writes write no entry
        _gsi(8, "KEYS_ONLY"),
    ),
    ttl_attribute=TTL_ATTRIBUTE,
    stream_view="NEW_IMAGE",
)
