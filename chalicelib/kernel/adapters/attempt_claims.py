"""The claim of one attempt of a retried outside call (a tenant webhook's delivery, a partner's
availability update): one conditional UpdateItem on the item that records the attempts.

Attempt n is taken when the item is still open (its `status` one of `open_statuses`) and either
attempt n - 1 is finished (`attempts` = n - 1, no lease) or attempt n's own lease ran out (its
process died). A message delivered twice for the same attempt finds it taken: the outside
party is called once per attempt.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from botocore.exceptions import ClientError

from chalicelib.kernel.adapters.dynamo_errors import reraise


def claim_attempt(
    client: Any,
    table: str,
    key: dict[str, Any],
    attempt: int,
    *,
    now: str,
    lease_until: str,
    open_statuses: Iterable[str],
) -> bool:
    statuses = {f":open{i}": {"S": s} for i, s in enumerate(open_statuses)}
    try:
        client.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="SET attempts = :n, lease_until = :lease",
            ConditionExpression=(
                f"#st IN ({', '.join(statuses)}) AND ((attempts = :prev AND "
                "attribute_not_exists(lease_until)) OR (attempts = :n AND lease_until < :now))"
            ),
            ExpressionAttributeNames={"#st": "status"},
            ExpressionAttributeValues={
                ":n": {"N": str(attempt)},
                ":prev": {"N": str(attempt - 1)},
                ":lease": {"S": lease_until},
                ":now": {"S": now},
                **statuses,
            },
        )
        return True
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        reraise(exc)
