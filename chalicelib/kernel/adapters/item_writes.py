"""Two shapes of transaction write that several stores' codecs send (the unit of work's writer
asks each codec for its items): a Put over the version read, and an Update that ADDs numbers.

- `versioned_put`: the item as given, on condition that it is new (`expected_version` 0) or
  that its version attribute is still the one read: a concurrent change refuses it and the use
  case reads again.
- `add_numbers`: top-level numbers ADDed (DynamoDB's ADD works on top-level numbers only; names
  through placeholders, since a counter's name may hold any character) and plain values SET,
  with no condition of its own: the versioned put beside it decides for the whole change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def versioned_put(
    table: str, item: dict[str, Any], expected_version: int, attribute: str = "v"
) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table, "Item": item}
    if expected_version == 0:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    else:
        put["ConditionExpression"] = "#ver = :ver"
        put["ExpressionAttributeNames"] = {"#ver": attribute}
        put["ExpressionAttributeValues"] = {":ver": {"N": str(expected_version)}}
    return {"Put": put}


def add_numbers(
    table: str,
    key: dict[str, Any],
    adds: Sequence[tuple[str, int]],
    sets: Mapping[str, dict[str, Any]],
) -> dict[str, Any]:
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    assigned = []
    for n, (name, value) in enumerate(sets.items()):
        names[f"#s{n}"] = name
        values[f":s{n}"] = value
        assigned.append(f"#s{n} = :s{n}")
    added = []
    for n, (name, delta) in enumerate(adds):
        names[f"#a{n}"] = name
        values[f":a{n}"] = {"N": str(delta)}
        added.append(f"#a{n} :a{n}")
    expression = " ".join(
        part
        for part in (
            "SET " + ", ".join(assigned) if assigned else "",
            "ADD " + ", ".join(added) if added else "",
        )
        if part
    )
    return {
        "Update": {
            "TableName": table,
            "Key": key,
            "UpdateExpression": expression,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }
