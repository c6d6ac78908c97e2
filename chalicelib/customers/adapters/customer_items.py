"""The customers' items on DynamoDB: the transaction items' writes (handed to the unit of
work's writer by the composition root, tenant_data.py) and their keys.

Keys (kernel/adapters/schema.py lists them with the access patterns):
- record ...... pk=CUS#<id>  sk=META: `doc` (JSON), `version`, `merged_into` (when merged);
                gsi4pk=CUSPHONE#<e164> gsi4sk=<id> (the phone search; keys only);
                gsi5pk=CUSNAME#<first folded character> gsi5sk=<folded name>#<id> (the name
                prefix search; keys only); gsi3pk=CUSDUP gsi3sk=<updated_at>#<id> while it has
                possible duplicates and is not merged away (the staff's list);
                gsi6pk=CUSALL#<n, of 8 by the id's hash> gsi6sk=<id> while not merged away
                (every live customer, keys only: segments' counts and campaigns);
- family name . pk=CUS#<id>  sk=FAMNAME: gsi5pk=CUSNAME#<its first character>
                gsi5sk=<folded family name>#<id> (the name search by family name: "chen"
                finds "Wei Chen"; written with the record only when that part of the name
                changes);
- event mark .. pk=CUS#<id the order's e-mail names>  sk=EVT#<event id>  (TTL): apart
                from the record only for an event a record from before `counted` may have
                counted (customers/services/figures.py), for an import row and a mail
                feedback; an order event's mark is otherwise in the record's `doc` (`counted`);
- note ........ pk=CUS#<id>  sk=NOTE#<at>#<note id>;
- merge ....... pk=CUS#<winner>  sk=MERGE#<loser>: `doc` (JSON), `version`.
The orders' own index entry is gsi7 `CUSORD#<id>`, keys only (booking/adapters/
order_indexes.py): apart from these partitions, so no Query of one reads the other.
"""

from __future__ import annotations

import hashlib
from typing import Any

from chalicelib.booking.domain.order_search import name_partition
from chalicelib.customers.adapters.customer_codec import customer_json, merge_json
from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.customers.services.campaign_ports import SHARDS
from chalicelib.customers.services.customer_ports import (
    CustomerPut,
    EventMark,
    FamilyNamePut,
    MergePut,
    NotePut,
)
from chalicelib.kernel.domain.errors import Conflict, DomainError
from chalicelib.kernel.services.transaction_ports import TransactionItem

DUPLICATES_PK = "CUSDUP"
FAMILY_SK = "FAMNAME"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


def customer_key(customer_id: str) -> dict[str, Any]:
    return {"pk": _s(f"CUS#{customer_id}"), "sk": _s("META")}


def erased_key(customer_id: str) -> dict[str, Any]:
    """The tombstone of an erased customer (privacy_erase.py): no personal data."""
    return {"pk": _s(f"ERASED#{customer_id}"), "sk": _s("META")}


def merge_key(winner_id: str, loser_id: str) -> dict[str, Any]:
    return {"pk": _s(f"CUS#{winner_id}"), "sk": _s(f"MERGE#{loser_id}")}


def phone_pk(phone: str) -> str:
    return f"CUSPHONE#{phone}"


def all_customers_pk(customer_id: str) -> str:
    """The shard of the keys-only listing of every live customer (gsi6 `CUSALL#<n>`)."""
    return f"CUSALL#{int(hashlib.sha256(customer_id.encode()).hexdigest()[:8], 16) % SHARDS}"


def name_pk(partition: str) -> str:
    return f"CUSNAME#{partition}"


def customer_item(c: CustomerRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        **customer_key(c.id),
        "type": _s("customer"),
        "doc": _s(customer_json(c)),
        "version": _n(c.version),
    }
    if c.merged_into:
        item["merged_into"] = _s(c.merged_into)
    if c.profile.phone:
        item |= {"gsi4pk": _s(phone_pk(c.profile.phone)), "gsi4sk": _s(c.id)}
    if c.name_key:
        item |= {"gsi5pk": _s(name_pk(c.name_partition)), "gsi5sk": _s(f"{c.name_key}#{c.id}")}
    if c.possible_duplicates and not c.merged_into:
        item |= {"gsi3pk": _s(DUPLICATES_PK), "gsi3sk": _s(f"{c.updated_at}#{c.id}")}
    if not c.merged_into:  # every live customer, for segments and campaigns (campaign_store.py)
        item |= {"gsi6pk": _s(all_customers_pk(c.id)), "gsi6sk": _s(c.id)}
    return item


class CustomerItems:
    """The customers' items for the unit of work's writer (its `ItemCodec`)."""

    def write(self, table: str, item: TransactionItem) -> dict[str, Any] | None:
        return customer_write(table, item)

    def refusal(self, item: TransactionItem) -> DomainError | None:
        return customer_refusal(item)


CUSTOMER_ITEMS = CustomerItems()


def customer_write(table: str, item: TransactionItem) -> dict[str, Any] | None:
    if isinstance(item, CustomerPut):
        return {"Put": _customer_put(table, item)}
    if isinstance(item, EventMark):
        key = {"pk": _s(f"CUS#{item.customer_id}"), "sk": _s(f"EVT#{item.event_id}")}
        return {
            "Put": {
                "TableName": table,
                "Item": {**key, "type": _s("customer_mark"), "ttl": _n(item.expires)},
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }
    if isinstance(item, FamilyNamePut):
        return _family_write(table, item)
    if isinstance(item, NotePut):
        return {"Put": _note_put(table, item)}
    if isinstance(item, MergePut):
        return {"Put": _merge_put(table, item)}
    return None


def _family_write(table: str, item: FamilyNamePut) -> dict[str, Any]:
    key = {"pk": _s(f"CUS#{item.customer_id}"), "sk": _s(FAMILY_SK)}
    if not item.key:
        return {"Delete": {"TableName": table, "Key": key}}
    entry = {
        "gsi5pk": _s(name_pk(name_partition(item.key))),
        "gsi5sk": _s(f"{item.key}#{item.customer_id}"),
    }
    item_doc = {**key, "type": _s("customer_family_name"), **entry}
    return {"Put": {"TableName": table, "Item": item_doc}}


def _customer_put(table: str, item: CustomerPut) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table, "Item": customer_item(item.customer)}
    also = "" if item.allow_merged else " AND attribute_not_exists(merged_into)"
    return _over_version(put, item.expected_version, also)


def _over_version(put: dict[str, Any], expected: int, also: str = "") -> dict[str, Any]:
    """The Put on condition of a new item (`expected` 0) or of the version read (and `also`)."""
    if expected == 0:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        put["ConditionExpression"] = "version = :v" + also
        put["ExpressionAttributeValues"] = {":v": _n(expected)}
    return put


def _note_put(table: str, item: NotePut) -> dict[str, Any]:
    n = item.note
    put: dict[str, Any] = {
        "TableName": table,
        "Item": {
            "pk": _s(f"CUS#{n.customer_id}"),
            "sk": _s(f"NOTE#{n.at}#{n.id}"),
            "type": _s("customer_note"),
            "id": _s(n.id),
            "customer_id": _s(n.customer_id),
            "text": _s(n.text),
            "at": _s(n.at),
            "by": _s(n.by),
            **({"by_name": _s(n.by_name)} if n.by_name else {}),
        },
    }
    if not item.copy:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    return put


def _merge_put(table: str, item: MergePut) -> dict[str, Any]:
    m = item.merge
    put: dict[str, Any] = {
        "TableName": table,
        "Item": {
            **merge_key(m.winner_id, m.loser_id),
            "type": _s("customer_merge"),
            "doc": _s(merge_json(m)),
            "version": _n(m.version),
        },
    }
    return _over_version(put, item.expected_version)


def customer_refusal(item: TransactionItem) -> DomainError | None:
    """The domain's error for a customer item whose condition refused the transaction."""
    if isinstance(item, CustomerPut):
        return Conflict(
            "The customer changed.", code="customer_changed", customer_id=item.customer.id
        )
    if isinstance(item, EventMark):
        return Conflict("The event was counted.", code="event_counted", event_id=item.event_id)
    if isinstance(item, NotePut):
        return Conflict("The note exists.", code="note_exists", note_id=item.note.id)
    if isinstance(item, MergePut):
        return Conflict("The merge changed.", code="merge_changed")
    return None
