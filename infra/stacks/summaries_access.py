"""IAM for the morning summaries (issue 16, chalicelib/reports/*/summar*.py).

- the run (`QueueDueSummaries`, every quarter of an hour): Query on the platform table's gsi1
  (the sparse `SUMMARYDUE` partition of the tenants due) and nothing else of it, the platform
  key to decrypt what it reads, and send on the summaries queue. No tenant table: it reads none.
- the sender (`SendSummaries`): the platform table (GetItem: the tenant and its summary item;
  UpdateItem: the next due time, on condition), the summaries queue (consume), SES from the
  platform's sending identity (e-mail only, no SMS), and the tenant-access role (the day's claim
  in the ledger, the day's figures): access.py adds it to that role's trust.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .data import DataResources
from .grants import QUEUE_SEND_ACTIONS, allow, grant_platform_table, lambda_role


@dataclass(frozen=True)
class SummaryRoles:
    run: iam.Role
    send: iam.Role


def build_summary_roles(
    scope: Construct, *, data: DataResources, queue: sqs.IQueue, ses_identity_arn: str
) -> SummaryRoles:
    run = lambda_role(scope, "SummariesRunRole", "Reservoir morning summaries: the due run")
    allow(run, ["dynamodb:Query"], [f"{data.platform_table.table_arn}/index/gsi1"])
    data.key.grant_decrypt(run)
    allow(run, QUEUE_SEND_ACTIONS, [queue.queue_arn])
    send = lambda_role(scope, "SummariesSendRole", "Reservoir morning summaries: the sender")
    grant_platform_table(send, data, ("dynamodb:GetItem", "dynamodb:UpdateItem"))
    queue.grant_consume_messages(send)
    allow(send, ("ses:SendEmail", "ses:SendRawEmail"), [ses_identity_arn])
    return SummaryRoles(run=run, send=send)
