"""The Chalice app (`app.py` at the repository root) as CDK resources, and what Chalice leaves out.

`chalice.cdk.Chalice` packages the app as a SAM template (stage: the construct scope's id, so the
stack's id must be a stage in `.chalice/config.json`) and includes it; its package carries
bytecode (`bytecode.CompiledChalice`). Then, per function:

- its role: Chalice is told not to manage IAM (`manage_iam_role: false`) and every function gets
  the role `access.FUNCTION_ROLES` names for it;
- the `RESERVOIR_*` environment that `chalicelib/settings.py` reads;
- on every SQS event, `FunctionResponseTypes: [ReportBatchItemFailures]`, which Chalice cannot
  express: the handlers return Powertools partial batch responses, and without this Lambda would
  ignore them and retry (then dead-letter) the whole batch;
- a dependency on its queues and its role's policy, so the event source mapping is created after
  the queue exists and after the role may read it (Chalice refers to queues by name only);
- on the SQS event of a queue whose spec limits it (`QueueSpec.max_concurrency`: the bulk
  events'), `ScalingConfig.MaximumConcurrency`, so bulk work never takes the account's
  concurrency from the bookings' functions;
- on every SQS consumer, the timeout its queue's spec computes (`QueueSpec.function_timeout`:
  a whole batch at its slowest), overriding the stage's default.

The API handler is served by an HTTP API, not the REST API Chalice packages (http_api.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aws_cdk import CfnResource, RemovalPolicy
from aws_cdk import aws_logs as logs
from chalice.cdk import Chalice
from constructs import Construct

from chalicelib.queues import QueueSpec

from .access import FUNCTION_ROLES, Roles
from .bytecode import CompiledChalice
from .http_api import HttpApi, build_http_api
from .queues import QueuePair

# Chalice insists on a role ARN when it does not manage IAM; every function's Role property is
# overridden below (tests/integration/test_infra_template.py proves none keeps this value).
ROLE_ASSIGNED_BY_INFRA = "arn:aws:iam::000000000000:role/assigned-by-reservoir-infra"
LOG_RETENTION = logs.RetentionDays.THREE_MONTHS
# Functions that need more memory or temporary disk than the stage gives: a report export
# writes up to a million orders in one go, an XLSX through its temporary disk first
# (bench/report_exports.py measures both).
FUNCTION_SIZES: dict[str, dict[str, Any]] = {
    "RunExports": {"MemorySize": 1024, "EphemeralStorage": {"Size": 4096}},
}
SQS_EVENT = "SQS"


def build_application(
    scope: Construct,
    *,
    source_dir: Path,
    roles: Roles,
    environment: Mapping[str, str],
    queues: list[QueuePair],
    function_names: Mapping[str, str] | None = None,
) -> tuple[Chalice, HttpApi]:
    """The app's functions, and the HTTP API that serves its routes (infra/stacks/http_api.py)."""
    app = CompiledChalice(
        scope,
        "ChaliceApp",
        source_dir=str(source_dir),
        stage_config={
            "manage_iam_role": False,
            "iam_role_arn": ROLE_ASSIGNED_BY_INFRA,
            # Not Chalice's `log_retention_in_days`: in 1.34 its API handler log group refers
            # to `${ApiHandler}` while the function is `APIHandler` (the synth fails).
        },
    )
    packaged = _packaged_template(app)
    for function in chalice_functions(app):
        logical_id = function.node.id
        role_name = FUNCTION_ROLES.get(logical_id)
        if role_name is None:
            raise ValueError(
                f"Chalice function {logical_id!r} has no role: add it to "
                "infra/stacks/access.py FUNCTION_ROLES with the least privilege it needs."
            )
        role = roles.by_name(role_name)
        function.add_property_override("Role", role.role_arn)
        if function_names and logical_id in function_names:
            # A function other code names (the relay, which mappings made at run time point to).
            function.add_property_override("FunctionName", function_names[logical_id])
        # The role itself is a GetAtt away; its policy (SQS receive, for the event source
        # mapping SAM derives from this function) is not.
        function.node.add_dependency(role.node.find_child("DefaultPolicy"))
        logs.LogGroup(
            scope,
            f"{logical_id}LogGroup",
            log_group_name=f"/aws/lambda/{function.ref}",
            retention=LOG_RETENTION,
            removal_policy=RemovalPolicy.DESTROY,
        )
        for name, size in FUNCTION_SIZES.get(logical_id, {}).items():
            function.add_property_override(name, size)
        for key, value in sorted(environment.items()):
            function.add_property_override(f"Environment.Variables.{key}", value)
        sqs_events = _sqs_event_names(packaged, logical_id)
        if sqs_events:
            for name in sqs_events:
                function.add_property_override(
                    f"Events.{name}.Properties.FunctionResponseTypes", ["ReportBatchItemFailures"]
                )
                limit = _consumed_spec(packaged, logical_id, name, queues).max_concurrency
                if limit:
                    function.add_property_override(
                        f"Events.{name}.Properties.ScalingConfig", {"MaximumConcurrency": limit}
                    )
            timeout = max(
                _consumed_spec(packaged, logical_id, name, queues).function_timeout
                for name in sqs_events
            )
            function.add_property_override("Timeout", timeout)
            for pair in queues:
                function.node.add_dependency(pair.queue)
    return app, build_http_api(scope, app, packaged)


def chalice_functions(app: Chalice) -> list[CfnResource]:
    """The Lambda functions of the packaged Chalice app."""
    return [
        child
        for child in app.sam_template.node.children
        if isinstance(child, CfnResource) and child.cfn_resource_type == "AWS::Serverless::Function"
    ]


def _packaged_template(app: Chalice) -> dict[str, Any]:
    """The SAM template Chalice packaged (read as JSON: jsii cannot read SAM event unions back).

    `_sam_package_dir` is the construct's own attribute (chalice 1.34, pinned in
    infra/requirements.txt); if a Chalice upgrade renames it, this fails loudly, not silently.
    """
    path = Path(app._sam_package_dir) / "sam.json"
    return json.loads(path.read_text())


def _consumed_spec(
    template: dict[str, Any], logical_id: str, event: str, queues: list[QueuePair]
) -> QueueSpec:
    """The spec of the queue an SQS event reads (Chalice writes its ARN with the name last)."""
    arn = template["Resources"][logical_id]["Properties"]["Events"][event]["Properties"]["Queue"]
    text = arn["Fn::Sub"] if isinstance(arn, dict) else str(arn)
    name = text.rsplit(":", 1)[-1]
    for pair in queues:
        if pair.spec.name == name:
            return pair.spec
    raise ValueError(f"{logical_id} consumes {name!r}, which chalicelib/queues.py does not define")


def _sqs_event_names(template: dict[str, Any], logical_id: str) -> list[str]:
    events = template["Resources"][logical_id]["Properties"].get("Events", {})
    return [name for name, event in events.items() if event["Type"] == SQS_EVENT]
