"""Channel connections in the tenant's table: `pk=CHN`, `sk=<connection id>`, the connection
as JSON (`doc`), its `version`, and its HMAC secret apart (`secret`, written only when set,
read only by `secret`: the listing and the reads project `doc` alone). A tenant's connections
are one Query on `CHN`; each write is an UpdateItem on condition of the version read (or that
the connection is new), so two editors never overwrite each other silently; a new one is
counted in the tenant's count of connections first (kernel/adapters/listener_counts.py: the
events' consumers skip the Query while it is 0). The secret sits
in the tenant's own table, as the tenant webhooks' signing secrets do
(webhooks/adapters/webhook_store.py): readable with the tenant's credentials alone.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.channels.domain.connections import (
    ChannelMapping,
    Connection,
    ConnectionKind,
    ConnectionStatus,
    Settlement,
)
from chalicelib.channels.services.connection_ports import ConnectionStore
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.adapters.listener_counts import counted_put, written
from chalicelib.kernel.adapters.paged_reads import query_up_to
from chalicelib.kernel.domain.errors import Conflict
from chalicelib.kernel.domain.listeners import CHANNEL_CONNECTIONS

PK = "CHN"


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def connection_doc(c: Connection) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "kind": c.kind.value,
        "status": c.status.value,
        "settlement": c.settlement.value,
        "outbound_url": c.outbound_url,
        "events": sorted(c.events),
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "commission_bp": c.commission_bp,
        "offering_commissions": [list(pair) for pair in c.offering_commissions],
        "mappings": [[m.partner_id, m.offering_id, m.resource_id, m.rate_id] for m in c.mappings],
        "key_id": c.key_id,
        "key_prefix": c.key_prefix,
        "secret_set": c.secret_set,
        "version": c.version,
    }


def connection_from(doc: dict[str, Any]) -> Connection:
    return Connection(
        id=doc["id"],
        name=doc["name"],
        kind=ConnectionKind(doc["kind"]),
        status=ConnectionStatus(doc["status"]),
        settlement=Settlement(doc["settlement"]),
        outbound_url=doc.get("outbound_url"),
        events=frozenset(doc.get("events", ())),
        created_at=doc["created_at"],
        updated_at=doc["updated_at"],
        commission_bp=int(doc.get("commission_bp", 0)),
        offering_commissions=tuple(
            (str(o), int(bp)) for o, bp in doc.get("offering_commissions", ())
        ),
        mappings=tuple(
            ChannelMapping(str(p), str(o), None if r is None else str(r), str(rate))
            for p, o, r, rate in doc.get("mappings", ())
        ),
        key_id=doc.get("key_id"),
        key_prefix=doc.get("key_prefix"),
        secret_set=bool(doc.get("secret_set", False)),
        version=int(doc["version"]),
    )


class DynamoConnectionStore(ConnectionStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    def _key(self, connection_id: str) -> dict[str, Any]:
        return {"pk": _s(PK), "sk": _s(connection_id)}

    def get(self, connection_id: str) -> Connection | None:
        item = self._get(connection_id, "doc")
        return None if item is None else connection_from(json.loads(item["doc"]["S"]))

    def list(self) -> list[Connection]:
        items, _ = query_up_to(
            self._client,
            self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": _s(PK)},
            ProjectionExpression="#doc",
            ExpressionAttributeNames={"#doc": "doc"},
        )
        return [connection_from(json.loads(item["doc"]["S"])) for item in items]

    def put(
        self, connection: Connection, *, expected_version: int | None, secret: str | None = None
    ) -> None:
        values: dict[str, Any] = {
            ":d": _s(json.dumps(connection_doc(connection), separators=(",", ":"))),
            ":v": {"N": str(connection.version)},
            ":t": _s("channel_connection"),
        }
        update = "SET doc = :d, version = :v, #type = :t"
        if secret is not None:
            update += ", #secret = :s"
            values[":s"] = _s(secret)
        if expected_version is None:
            condition = "attribute_not_exists(pk)"
        else:
            condition = "version = :old"
            values[":old"] = {"N": str(expected_version)}
        write = partial(
            self._client.update_item,
            TableName=self._table,
            Key=self._key(connection.id),
            UpdateExpression=update,
            ConditionExpression=condition,
            ExpressionAttributeNames={
                "#type": "type",
                **({"#secret": "secret"} if secret is not None else {}),
            },
            ExpressionAttributeValues=values,
        )
        # A new connection is counted first (kernel/adapters/listener_counts.py).
        new = expected_version is None
        if not (
            counted_put(self._client, self._table, CHANNEL_CONNECTIONS, write)
            if new
            else written(write)
        ):
            raise Conflict(
                "The connection was changed since it was read; reload and try again.",
                code="version_mismatch",
            )

    def secret(self, connection_id: str) -> str | None:
        item = self._get(connection_id, "secret")
        if item is None or "secret" not in item:
            return None
        return str(item["secret"]["S"])

    def _get(self, connection_id: str, projection: str) -> dict[str, Any] | None:
        try:
            item: dict[str, Any] | None = self._client.get_item(
                TableName=self._table,
                Key=self._key(connection_id),
                ProjectionExpression="#p",
                ExpressionAttributeNames={"#p": projection},
                ConsistentRead=True,
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return item
