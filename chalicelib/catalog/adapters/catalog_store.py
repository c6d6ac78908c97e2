"""Resources and offerings in the tenant table: one item each, the definition as JSON."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.catalog.adapters.catalog_codec import (
    offering_doc,
    offering_from,
    resource_doc,
    resource_from,
)
from chalicelib.catalog.domain.catalog import Offering, Resource
from chalicelib.catalog.services.catalog_ports import CatalogStore
from chalicelib.kernel.adapters.dynamo_errors import reraise
from chalicelib.kernel.domain.errors import Conflict


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _n(value: int) -> dict[str, str]:
    return {"N": str(value)}


class DynamoCatalogStore(CatalogStore):
    def __init__(self, client: Any, table: str) -> None:
        self._client = client
        self._table = table

    # -- resources ---------------------------------------------------------------------------

    def list_resources(self) -> list[Resource]:
        return [resource_from(doc) for doc in self._list("resource")]

    def get_resource(self, resource_id: str) -> Resource | None:
        doc = self._get(f"RES#{resource_id}")
        return None if doc is None else resource_from(doc)

    def put_resource(self, resource: Resource, *, expected_rev: int | None) -> None:
        self._put(
            f"RES#{resource.id}",
            "resource",
            resource.name,
            resource.id,
            resource_doc(resource),
            resource.rev,
            expected_rev,
        )

    # -- offerings ---------------------------------------------------------------------------

    def list_offerings(self) -> list[Offering]:
        return [offering_from(doc) for doc in self._list("offering")]

    def get_offering(self, offering_id: str) -> Offering | None:
        doc = self._get(f"OFF#{offering_id}")
        return None if doc is None else offering_from(doc)

    def put_offering(self, offering: Offering, *, expected_rev: int | None) -> None:
        self._put(
            f"OFF#{offering.id}",
            "offering",
            offering.name,
            offering.id,
            offering_doc(offering),
            offering.rev,
            expected_rev,
        )

    # -- shared ------------------------------------------------------------------------------

    def _put(
        self,
        pk: str,
        kind: str,
        name: str,
        item_id: str,
        doc: dict[str, Any],
        rev: int,
        expected_rev: int | None,
    ) -> None:
        item = {
            "pk": _s(pk),
            "sk": _s("META"),
            "gsi1pk": _s(f"KIND#{kind}"),
            "gsi1sk": _s(f"{name.lower()}#{item_id}"),
            "type": _s(kind),
            "rev": _n(rev),
            "doc": _s(json.dumps(doc, separators=(",", ":"))),
        }
        if expected_rev is None:
            condition, values = "attribute_not_exists(pk)", {}
        else:
            condition, values = "rev = :rev", {":rev": _n(expected_rev)}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "Item": item,
            "ConditionExpression": condition,
        }
        if values:
            kwargs["ExpressionAttributeValues"] = values
        try:
            self._client.put_item(**kwargs)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                if expected_rev is None:
                    raise Conflict(
                        f"{kind.title()} {item_id} exists.", code=f"{kind}_exists"
                    ) from exc
                raise Conflict(
                    f"The {kind} was changed since you read it; reload and try again.",
                    code="version_mismatch",
                ) from exc
            reraise(exc)

    def _get(self, pk: str) -> dict[str, Any] | None:
        try:
            item = self._client.get_item(
                TableName=self._table, Key={"pk": _s(pk), "sk": _s("META")}, ConsistentRead=True
            ).get("Item")
        except ClientError as exc:
            reraise(exc)
        return None if item is None else json.loads(item["doc"]["S"])

    def _list(self, kind: str) -> list[dict[str, Any]]:
        docs, start = [], None
        while True:
            kwargs: dict[str, Any] = {
                "TableName": self._table,
                "IndexName": "gsi1",
                "KeyConditionExpression": "gsi1pk = :k",
                "ExpressionAttributeValues": {":k": _s(f"KIND#{kind}")},
            }
            if start:
                kwargs["ExclusiveStartKey"] = start
            try:
                page = self._client.query(**kwargs)
            except ClientError as exc:
                reraise(exc)
            docs += [json.loads(item["doc"]["S"]) for item in page["Items"]]
            start = page.get("LastEvaluatedKey")
            if not start:
                return docs
