"""The synthesised CloudFormation template keeps the deployment's promises.

One `cdk synth` per session (offline, into a temporary directory), then plain reads of the
template. The template is pre-SAM-transform: Chalice's functions are `AWS::Serverless::Function`
resources whose SQS and schedule triggers are `Events` entries (SAM turns those into
`AWS::Lambda::EventSourceMapping` and `AWS::Events::Rule` at deploy time), so the tests read both
forms where either could appear.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib.kernel.adapters.schema import PLATFORM_TABLE
from chalicelib.kernel.adapters.secrets import StripeSecretSource
from chalicelib.queues import (
    ALL_QUEUES,
    BULK_EVENTS,
    EVENTS,
    MAIL_FEEDBACK,
    MESSAGE_EVENTS,
    PAYMENT_EVENTS,
    PROVISIONING,
    RELAY_FAILURES,
    WEBHOOK_DELIVERIES,
)
from chalicelib.settings import DEPLOYED, Settings, env_name
from chalicelib.tenant_data import TENANT_DATA_ACTIONS
from infra.stacks.bytecode import OWN_CODE, UNCHECKED_HASH_FLAGS, pyc_path, pyc_source
from tests.unit.test_deployment_names import names_the_code_reads

# The cloud assembly is synthesised once: every test of it on one worker.
pytestmark = pytest.mark.xdist_group("cdk")

ROOT = Path(__file__).resolve().parents[2]
CACHE_TAG = sys.implementation.cache_tag
CDK = ROOT / "node_modules" / ".bin" / "cdk"
STACK = "prod"
TENANT_PREFIX = Settings().tenant_table_prefix
SYNTH_TIMEOUT_SECONDS = 240
# Actions that read or write items (the data plane); none may ever be granted on "*".
DATA_PLANE = {
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:PartiQLSelect",
    "dynamodb:PartiQLInsert",
    "dynamodb:PartiQLUpdate",
    "dynamodb:PartiQLDelete",
}

Template = dict[str, Any]


def _toolchain_problem() -> str | None:
    missing = []
    if not CDK.exists():
        missing.append(f"the CDK CLI ({CDK.relative_to(ROOT)})")
    for module in ("aws_cdk", "chalice.cdk"):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            missing.append(f"the Python module {module}")
    if shutil.which("node") is None:
        missing.append("node")
    if not missing:
        return None
    return f"CDK toolchain missing ({', '.join(missing)}): run `make synth-deps`."


@pytest.fixture(scope="session")
def cloud_assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthesised cloud assembly: the templates and the assets (the Lambda package).

    `make test` synthesises the app in its synth stage (and lints that template) a minute
    before this tier runs, and names that assembly in RESERVOIR_CDK_OUT: it is read instead of
    synthesising the same code again (half a minute of one worker). Run alone, the tests
    synthesise their own."""
    made = os.environ.get("RESERVOIR_CDK_OUT")
    if made and (Path(made) / f"{STACK}.template.json").is_file():
        return Path(made)
    problem = _toolchain_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    out = tmp_path_factory.mktemp("cdk.out")
    env = {
        k: v
        for k, v in os.environ.items()
        # Offline and account-agnostic: no credentials, so the CLI looks nothing up.
        if not k.startswith(("AWS_ACCESS_KEY", "AWS_SECRET", "AWS_SESSION", "AWS_PROFILE"))
    }
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    env["CDK_DISABLE_CLI_TELEMETRY"] = "true"
    node_major = subprocess.run(
        ["node", "-p", "process.versions.node.split('.')[0]"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = node_major
    result = subprocess.run(
        [str(CDK), "synth", "--quiet", "--output", str(out)],
        cwd=ROOT / "infra",
        env=env,
        capture_output=True,
        text=True,
        timeout=SYNTH_TIMEOUT_SECONDS,
    )
    if result.returncode != 0:
        pytest.fail(f"cdk synth failed:\n{result.stderr[-4000:]}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def template(cloud_assembly: Path) -> Template:
    return json.loads((cloud_assembly / f"{STACK}.template.json").read_text())


def resources(template: Template, type_: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def logical_id_of(ref: Any) -> str:
    """The logical id a `Ref` or `Fn::GetAtt` points at."""
    if "Ref" in ref:
        return ref["Ref"]
    return ref["Fn::GetAtt"][0]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def render(value: Any) -> str:
    """An ARN expression as text, for matching: `Fn::Join` flattened, `Fn::Sub` as written,
    references as `{logical id}`, pseudo-parameters as `${Region}` (no colons to split on)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        return value["Fn::Sub"].replace("${AWS::", "${")
    if isinstance(value, dict) and str(value.get("Ref", "")).startswith("AWS::"):
        return "${" + value["Ref"].removeprefix("AWS::") + "}"
    if isinstance(value, dict) and "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(render(p) for p in parts)
    if isinstance(value, dict) and ("Ref" in value or "Fn::GetAtt" in value):
        return "{" + logical_id_of(value) + "}"
    return json.dumps(value, sort_keys=True)


def statements(template: Template) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every identity policy statement: (policy logical id, statement)."""
    for kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        for name, policy in resources(template, kind).items():
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
                yield name, statement
    for name, role in resources(template, "AWS::IAM::Role").items():
        for inline in role["Properties"].get("Policies", []):
            for statement in inline["PolicyDocument"]["Statement"]:
                yield name, statement


def roles_of_policy(template: Template, policy_id: str) -> set[str]:
    props = template["Resources"][policy_id]["Properties"]
    if template["Resources"][policy_id]["Type"] == "AWS::IAM::Role":
        return {policy_id}
    return {logical_id_of(r) for r in props.get("Roles", [])}


def functions(template: Template) -> dict[str, dict[str, Any]]:
    return resources(template, "AWS::Serverless::Function")


def sqs_events(template: Template) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for name, fn in functions(template).items():
        for event in fn["Properties"].get("Events", {}).values():
            if event["Type"] == "SQS":
                found.append((name, event["Properties"]))
    return found


def queue_by_name(template: Template, name: str) -> tuple[str, dict[str, Any]]:
    for logical_id, queue in resources(template, "AWS::SQS::Queue").items():
        if queue["Properties"].get("QueueName") == name:
            return logical_id, queue
    raise AssertionError(f"no queue named {name}")


def provisioning_function(template: Template) -> str:
    consumers = [
        name
        for name, props in sqs_events(template)
        if render(props["Queue"]).endswith(f":{PROVISIONING.name}")
    ]
    assert len(consumers) == 1, consumers
    return consumers[0]


def role_of(template: Template, function: str) -> str:
    return logical_id_of(template["Resources"][function]["Properties"]["Role"])


# --- queues ---------------------------------------------------------------------------------


def test_every_queue_has_a_dead_letter_queue_with_a_redrive_policy(template: Template) -> None:
    for spec in ALL_QUEUES:
        _, queue = queue_by_name(template, spec.name)
        dlq_id, _ = queue_by_name(template, spec.dlq_name)
        redrive = queue["Properties"].get("RedrivePolicy")
        assert redrive, f"{spec.name} has no redrive policy"
        assert logical_id_of(redrive["deadLetterTargetArn"]) == dlq_id
        assert redrive["maxReceiveCount"] == spec.max_receive_count
        assert queue["Properties"]["VisibilityTimeout"] == spec.visibility_timeout
    dlq_names = {spec.dlq_name for spec in ALL_QUEUES} | {RELAY_FAILURES}
    for name, queue in resources(template, "AWS::SQS::Queue").items():
        if queue["Properties"]["QueueName"] not in dlq_names:
            assert "RedrivePolicy" in queue["Properties"], f"{name} has no dead-letter queue"


def test_every_queue_and_dead_letter_queue_is_kept_when_the_stack_would_delete_it(
    template: Template,
) -> None:
    """Review rv8, item 8: the queues were synthesised with DeletionPolicy Delete, so an
    automatic rollback of a failed upgrade deleted the bulk queue with an import's rows on it
    (the file is then refused as already imported). Every queue is kept, as the tables are."""
    names = {q for spec in ALL_QUEUES for q in (spec.name, spec.dlq_name)} | {RELAY_FAILURES}
    queues = resources(template, "AWS::SQS::Queue")
    assert {q["Properties"]["QueueName"] for q in queues.values()} >= names
    for logical_id, queue in queues.items():
        kept = (queue.get("DeletionPolicy"), queue.get("UpdateReplacePolicy"))
        assert kept == ("Retain", "Retain"), (logical_id, kept)
    _, bulk = queue_by_name(template, BULK_EVENTS.dlq_name)
    assert bulk["DeletionPolicy"] == "Retain"


def test_every_queue_has_a_consumer_and_every_consumer_a_queue(template: Template) -> None:
    consumed = {render(props["Queue"]).rsplit(":", 1)[1] for _, props in sqs_events(template)}
    declared = {spec.name for spec in ALL_QUEUES}
    assert not declared - consumed, f"queues nothing consumes: {sorted(declared - consumed)}"
    assert not consumed - declared, f"consumed but not in ALL_QUEUES: {consumed - declared}"


def test_every_sqs_event_source_reports_batch_item_failures(template: Template) -> None:
    events = sqs_events(template)
    assert events
    partial = ["ReportBatchItemFailures"]
    for name, props in events:
        assert props.get("FunctionResponseTypes") == partial, name
    for name, mapping in resources(template, "AWS::Lambda::EventSourceMapping").items():
        assert mapping["Properties"].get("FunctionResponseTypes") == partial, name


def test_every_sqs_function_fits_its_batch_in_its_timeout_and_its_queue_waits_six_timeouts(
    template: Template,
) -> None:
    specs = {spec.name: spec for spec in ALL_QUEUES}
    events = sqs_events(template)
    assert {name for name, _ in events} >= {"DeliverWebhooks", "Provision"}
    for name, props in events:
        spec = specs[render(props["Queue"]).rsplit(":", 1)[1]]
        timeout = functions(template)[name]["Properties"]["Timeout"]
        assert props["BatchSize"] == spec.batch_size, name
        worst = props["BatchSize"] * spec.record_seconds
        assert worst <= timeout, f"{name}: a batch may take {worst} s, the function {timeout} s"
        _, queue = queue_by_name(template, spec.name)
        visibility = queue["Properties"]["VisibilityTimeout"]
        assert visibility >= 6 * timeout, f"{spec.name}: visible again after {visibility} s"


def test_queue_consumers_wait_for_their_queue_and_their_role_policy(template: Template) -> None:
    # Chalice names queues, it does not reference them: without these the event source mapping
    # can be created before the queue exists or before the role may receive from it.
    function = provisioning_function(template)
    depends_on = set(template["Resources"][function].get("DependsOn", []))
    queue_id, _ = queue_by_name(template, PROVISIONING.name)
    assert queue_id in depends_on
    role = role_of(template, function)
    assert any(
        template["Resources"][d]["Type"] == "AWS::IAM::Policy"
        and roles_of_policy(template, d) == {role}
        for d in depends_on
    )


def test_every_dead_letter_queue_has_a_depth_alarm(template: Template) -> None:
    alarmed = set()
    for alarm in resources(template, "AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("MetricName") == "ApproximateNumberOfMessagesVisible":
            assert props["Namespace"] == "AWS/SQS"
            assert props["AlarmActions"], "an alarm nobody hears"
            for dimension in props["Dimensions"]:
                if dimension["Name"] == "QueueName":
                    alarmed.add(logical_id_of(dimension["Value"]))
    for name in [spec.dlq_name for spec in ALL_QUEUES] + [RELAY_FAILURES]:
        dlq_id, _ = queue_by_name(template, name)
        assert dlq_id in alarmed, name


def test_every_function_has_error_and_throttle_alarms(template: Template) -> None:
    alarmed = set()
    for alarm in resources(template, "AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("Namespace") == "AWS/Lambda" and props["MetricName"] != "IteratorAge":
            for dimension in props["Dimensions"]:
                alarmed.add((logical_id_of(dimension["Value"]), props["MetricName"]))
    for function in functions(template):
        assert (function, "Errors") in alarmed
        assert (function, "Throttles") in alarmed


def test_the_relay_falling_behind_its_streams_raises_an_alarm(template: Template) -> None:
    name = functions(template)["RelayEvents"]["Properties"]["FunctionName"]
    ages = [
        a["Properties"]
        for a in resources(template, "AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("MetricName") == "IteratorAge"
    ]
    assert [a["Dimensions"] for a in ages] == [[{"Name": "FunctionName", "Value": name}]]
    assert ages[0]["AlarmActions"] and ages[0]["Threshold"] <= 15 * 60 * 1000


def test_the_api_s_5xx_answers_raise_an_alarm(template: Template) -> None:
    # The app answers 500 itself (the Lambda function succeeds), so Lambda's Errors never
    # count it: the HTTP API's `5xx` does, for the API and its stage (ApiId, Stage).
    [api_id] = resources(template, "AWS::ApiGatewayV2::Api")
    [stage] = resources(template, "AWS::ApiGatewayV2::Stage").values()
    alarms = [
        a["Properties"]
        for a in resources(template, "AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("Namespace") == "AWS/ApiGateway"
    ]
    assert len(alarms) == 1
    (alarm,) = alarms
    assert alarm["MetricName"] == "5xx"  # an HTTP API's name; a REST API's is 5XXError
    dimensions = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
    assert dimensions == {"ApiId": {"Ref": api_id}, "Stage": stage["Properties"]["StageName"]}
    assert alarm["Statistic"] == "Sum" and alarm["Threshold"] == 1
    assert alarm["AlarmActions"]


def test_every_queue_has_an_age_of_oldest_message_alarm(template: Template) -> None:
    alarmed = {}
    for alarm in resources(template, "AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props.get("MetricName") == "ApproximateAgeOfOldestMessage":
            assert props["AlarmActions"], "an alarm nobody hears"
            (dimension,) = props["Dimensions"]
            alarmed[logical_id_of(dimension["Value"])] = props["Threshold"]
    for spec in ALL_QUEUES:
        queue_id, _ = queue_by_name(template, spec.name)
        assert queue_id in alarmed, spec.name
        # One redelivery is normal; a message older than two visibility timeouts is stuck.
        assert spec.visibility_timeout < alarmed[queue_id] <= 2 * spec.visibility_timeout + 600


# --- tables ---------------------------------------------------------------------------------


def platform_table(template: Template) -> dict[str, Any]:
    (table,) = resources(template, "AWS::DynamoDB::Table").values()
    return table["Properties"]


def test_platform_table_is_keyed_as_the_schema_says(template: Template) -> None:
    props = platform_table(template)
    assert props["TableName"] == Settings().platform_table
    assert props["KeySchema"] == [
        {"AttributeName": PLATFORM_TABLE.hash_key, "KeyType": "HASH"},
        {"AttributeName": PLATFORM_TABLE.range_key, "KeyType": "RANGE"},
    ]
    assert sorted(i["IndexName"] for i in props["GlobalSecondaryIndexes"]) == sorted(
        i.name for i in PLATFORM_TABLE.indexes
    )
    assert {a["AttributeName"] for a in props["AttributeDefinitions"]} == set(
        PLATFORM_TABLE.attributes
    )


def test_platform_table_has_pitr_and_a_customer_managed_key(template: Template) -> None:
    props = platform_table(template)
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    sse = props["SSESpecification"]
    assert sse["SSEEnabled"] is True and sse["SSEType"] == "KMS"
    key_id = logical_id_of(sse["KMSMasterKeyId"])
    key = template["Resources"][key_id]
    assert key["Type"] == "AWS::KMS::Key"
    assert key["Properties"]["EnableKeyRotation"] is True


def test_tenant_tables_are_created_with_the_same_customer_managed_key(template: Template) -> None:
    key_id = logical_id_of(platform_table(template)["SSESpecification"]["KMSMasterKeyId"])
    for name, fn in functions(template).items():
        value = fn["Properties"]["Environment"]["Variables"]["RESERVOIR_TENANT_TABLE_KMS_KEY"]
        assert logical_id_of(value) == key_id, name


# --- IAM ------------------------------------------------------------------------------------


def test_no_statement_grants_dynamodb_star_or_data_plane_actions_on_star(
    template: Template,
) -> None:
    for policy, statement in statements(template):
        actions = set(as_list(statement["Action"]))
        assert not any(a in {"*", "dynamodb:*"} for a in actions), policy
        if actions & DATA_PLANE or any(a.startswith("dynamodb:") and "*" in a for a in actions):
            for resource in as_list(statement["Resource"]):
                assert render(resource) != "*", f"{policy} grants {sorted(actions)} on *"


def test_no_statement_publishes_to_sns_on_every_resource(template: Template) -> None:
    # A text message has no ARN, so SMS cannot be granted on a resource; the grant names every
    # SNS ARN as what it does NOT cover, which leaves phone numbers only.
    sms = []
    for policy, statement in statements(template):
        if "sns:Publish" not in as_list(statement["Action"]):
            continue
        assert statement["Effect"] == "Allow"
        if "NotResource" in statement:
            sms.append(policy)
            assert [render(r) for r in as_list(statement["NotResource"])] == [
                "arn:${Partition}:sns:*:*:*"
            ]
        else:
            for resource in as_list(statement["Resource"]):
                assert render(resource) != "*", f"{policy} publishes to any topic"
    assert sms, "nothing may send a text message"


def test_creating_grants_on_the_data_key_is_for_dynamodb_only(template: Template) -> None:
    granting = [s for _, s in statements(template) if "kms:CreateGrant" in as_list(s["Action"])]
    assert granting
    for statement in granting:
        conditions = statement["Condition"]
        via = conditions["StringEquals"]["kms:ViaService"]
        assert render(via) == "dynamodb.${Region}.${URLSuffix}"
        assert conditions["Bool"]["kms:GrantIsForAWSResource"] == "true"


def test_only_the_provisioning_function_creates_tables_and_only_tenant_ones(
    template: Template,
) -> None:
    provisioning_role = role_of(template, provisioning_function(template))
    granted = []
    for policy, statement in statements(template):
        if "dynamodb:CreateTable" in as_list(statement["Action"]):
            granted.append(policy)
            assert roles_of_policy(template, policy) == {provisioning_role}
            for resource in as_list(statement["Resource"]):
                assert render(resource).endswith(f":table/{TENANT_PREFIX}*"), render(resource)
    assert granted, "the provisioning function cannot create tenant tables"
    others = {role_of(template, f) for f in functions(template)} - {provisioning_role}
    assert provisioning_role not in others, "the provisioning role is shared with another function"


def test_every_function_has_its_own_infra_managed_role(template: Template) -> None:
    roles = {name: role_of(template, name) for name in functions(template)}
    for name, role in roles.items():
        assert template["Resources"][role]["Type"] == "AWS::IAM::Role", name
    assert len(set(roles.values())) == len(roles), roles
    # Chalice's own autogenerated role must not exist alongside.
    assert "DefaultRole" not in template["Resources"]


def tenant_access_role(template: Template) -> str:
    (arn,) = {
        json.dumps(fn["Properties"]["Environment"]["Variables"]["RESERVOIR_TENANT_ACCESS_ROLE_ARN"])
        for fn in functions(template).values()
    }
    return logical_id_of(json.loads(arn))


def test_tenant_access_role_reaches_only_tenant_tables_with_the_code_s_actions(
    template: Template,
) -> None:
    role = tenant_access_role(template)
    granted = [s for p, s in statements(template) if role in roles_of_policy(template, p)]
    data = [s for s in granted if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))]
    assert data
    for statement in data:
        assert set(as_list(statement["Action"])) == set(TENANT_DATA_ACTIONS)
        rendered = sorted(render(r) for r in as_list(statement["Resource"]))
        assert [r.split(":", 5)[-1] for r in rendered] == [
            f"table/{TENANT_PREFIX}*",
            f"table/{TENANT_PREFIX}*/index/*",
        ]
    # Besides the data actions: only the tables' KMS key, for DynamoDB to use on its behalf.
    key_id = logical_id_of(platform_table(template)["SSESpecification"]["KMSMasterKeyId"])
    for statement in granted:
        if statement not in data:
            assert all(a.startswith("kms:") for a in as_list(statement["Action"]))
            assert [logical_id_of(r) for r in as_list(statement["Resource"])] == [key_id]


def test_tenant_access_role_trusts_exactly_the_functions_that_reach_tenant_data(
    template: Template,
) -> None:
    role = template["Resources"][tenant_access_role(template)]
    trusted = set()
    for statement in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
        assert set(as_list(statement["Action"])) <= {"sts:AssumeRole", "sts:TagSession"}
        trusted |= {logical_id_of(p) for p in as_list(statement["Principal"]["AWS"])}
    reaching = (
        "APIHandler",
        provisioning_function(template),
        "ExpireHolds",
        "SweepExpiredHolds",
        "DispatchEvents",
        "DispatchMessageEvents",
        "DispatchPaymentEvents",
        "DispatchBulkEvents",
        "SendReminders",
        "DeliverWebhooks",
        "SettlePayments",
        "RunBulkJobs",
        "RunImports",
        "SendCampaigns",
        "SendSummaries",
        "RunRebuilds",
        "ReadMailFeedback",
        "RunExports",
        "DeliverChannelUpdates",
    )
    assert trusted == {role_of(template, name) for name in reaching}


def test_only_the_notifying_functions_may_send_email_and_schedule_reminders(
    template: Template,
) -> None:
    sending = {
        role_of(template, name)
        for name, _ in functions(template).items()
        for p, s in statements(template)
        if "ses:SendRawEmail" in as_list(s["Action"])
        and role_of(template, name) in roles_of_policy(template, p)
    }
    assert sending == {
        role_of(template, "DispatchMessageEvents"),
        role_of(template, "SendReminders"),
        role_of(template, "DeliverWebhooks"),  # e-mails the owner of an endpoint it disabled
        role_of(template, "SendCampaigns"),  # a campaign's e-mails (SES only)
        role_of(template, "SendSummaries"),  # the morning summaries (SES only)
    }
    texting = {
        role_of(template, name)
        for name, _ in functions(template).items()
        for p, s in statements(template)
        if "sns:Publish" in as_list(s["Action"])
        and role_of(template, name) in roles_of_policy(template, p)
    }
    assert texting == {
        role_of(template, "DispatchMessageEvents"),
        role_of(template, "SendReminders"),
    }
    schedulers = {
        r
        for p, s in statements(template)
        if "scheduler:CreateSchedule" in as_list(s["Action"])
        for r in roles_of_policy(template, p)
    }
    # Reminders and dues from the bookkeeping consumers; a room block's cut-off from the API; a
    # due's next try from the reminders worker.
    assert schedulers == {
        role_of(template, "DispatchEvents"),
        role_of(template, "APIHandler"),
        role_of(template, "SendReminders"),
    }
    passed = [s for _, s in statements(template) if "iam:PassRole" in as_list(s["Action"])]
    assert passed and all(
        [logical_id_of(r).rstrip("0123456789ABCDEF") for r in as_list(s["Resource"])]
        == ["SchedulerTargetRole"]
        for s in passed
    )
    target_role = logical_id_of(as_list(passed[0]["Resource"])[0])
    target = [s for p, s in statements(template) if target_role in roles_of_policy(template, p)]
    assert [as_list(s["Action"]) for s in target] == [["sqs:SendMessage"]]


def test_functions_get_the_settings_environment(template: Template) -> None:
    fields = {
        "PLATFORM_TABLE",
        "TENANT_TABLE_PREFIX",
        "QUEUE_PREFIX",
        "DYNAMODB_SUPPORTS_PITR_AND_TAGS",
        "TENANT_ACCESS_ROLE_ARN",
        "ACCOUNT_ID",
        "COGNITO_USER_POOL_ID",
        "COGNITO_CLIENT_ID",
        "COGNITO_ISSUER",
    }
    for name, fn in functions(template).items():
        variables = fn["Properties"]["Environment"]["Variables"]
        assert {f"RESERVOIR_{f}" for f in fields} <= set(variables), name
        assert variables["RESERVOIR_STAGE"] == STACK
        assert variables["RESERVOIR_TENANT_TABLE_PREFIX"] == TENANT_PREFIX
        assert variables["RESERVOIR_DYNAMODB_SUPPORTS_PITR_AND_TAGS"] == "true"
        assert variables["RESERVOIR_ACCOUNT_ID"] == {"Ref": "AWS::AccountId"}


def test_every_variable_infra_writes_is_one_the_code_reads_and_every_needed_one_is_written(
    template: Template,
) -> None:
    read = names_the_code_reads()
    needed = {env_name(name) for name in DEPLOYED}
    for name, fn in functions(template).items():
        written = set(fn["Properties"]["Environment"]["Variables"])
        ours = {v for v in written if not v.startswith("POWERTOOLS_")}  # Powertools reads those
        assert ours <= read, f"{name} sets variables nothing reads: {sorted(ours - read)}"
        assert needed <= written, f"{name} lacks {sorted(needed - written)}"


def test_the_stripe_secret_is_created_with_the_keys_the_code_reads(template: Template) -> None:
    (secret,) = [
        r["Properties"]
        for name, r in template["Resources"].items()
        if r["Type"] == "AWS::SecretsManager::Secret" and name.startswith("StripeSecret")
    ]
    created = json.loads(secret["SecretString"])
    # What an operator fills in: the same keys, real values.
    filled = {
        key: ["whsec_1", "whsec_2"] if isinstance(value, list) else "sk_live_1"
        for key, value in created.items()
    }
    source = StripeSecretSource(
        Settings(stripe_secret_arn="arn:stripe"), get_secret=lambda arn: json.dumps(filled)
    )
    assert source.get().secret_key == "sk_live_1"
    assert source.get().webhook_secrets == ("whsec_1", "whsec_2")
    # Created empty: no known placeholder may ever verify a webhook.
    created_secrets = StripeSecretSource(
        Settings(stripe_secret_arn="arn:stripe"), get_secret=lambda arn: secret["SecretString"]
    ).get()
    assert created_secrets.webhook_secrets == ()


def test_the_webhook_worker_sends_only_to_its_queue_and_its_dead_letter_queue(
    template: Template,
) -> None:
    role = role_of(template, "DeliverWebhooks")
    queue_id, _ = queue_by_name(template, WEBHOOK_DELIVERIES.name)
    dlq_id, _ = queue_by_name(template, WEBHOOK_DELIVERIES.dlq_name)
    sent_to, dynamodb = set(), set()
    for policy, statement in statements(template):
        if role not in roles_of_policy(template, policy):
            continue
        actions = set(as_list(statement["Action"]))
        if "sqs:SendMessage" in actions:
            sent_to |= {logical_id_of(r) for r in as_list(statement["Resource"])}
        dynamodb |= {a for a in actions if a.startswith("dynamodb:")}
    assert sent_to == {queue_id, dlq_id}
    assert dynamodb == {"dynamodb:GetItem"}  # the tenant; its table through tenant access


def test_ses_publishes_bounces_and_complaints_to_a_topic_the_feedback_queue_reads(
    template: Template,
) -> None:
    (set_id, config_set), *others = resources(template, "AWS::SES::ConfigurationSet").items()
    assert others == []
    name = config_set["Properties"]["Name"]
    variable = env_name("mail_configuration_set")
    for fn in functions(template).values():  # every send names it
        assert fn["Properties"]["Environment"]["Variables"][variable] == name
    (_, destination), *others = resources(
        template, "AWS::SES::ConfigurationSetEventDestination"
    ).items()
    assert others == []
    props = destination["Properties"]
    assert props["ConfigurationSetName"] in (name, {"Ref": set_id})
    published = props["EventDestination"]
    assert sorted(published["MatchingEventTypes"]) == ["bounce", "complaint"]
    topic_id = logical_id_of(published["SnsDestination"]["TopicARN"])
    queue_id, _ = queue_by_name(template, MAIL_FEEDBACK.name)
    subscriptions = [
        s["Properties"]
        for s in resources(template, "AWS::SNS::Subscription").values()
        if logical_id_of(s["Properties"]["TopicArn"]) == topic_id
    ]
    assert len(subscriptions) == 1 and subscriptions[0]["Protocol"] == "sqs"
    assert logical_id_of(subscriptions[0]["Endpoint"]) == queue_id
    assert not subscriptions[0].get("RawMessageDelivery", False)  # the SNS envelope is read
    role = role_of(template, "ReadMailFeedback")
    dlq_id, _ = queue_by_name(template, MAIL_FEEDBACK.dlq_name)
    sent_to = {
        logical_id_of(r)
        for policy, statement in statements(template)
        if role in roles_of_policy(template, policy)
        and "sqs:SendMessage" in as_list(statement["Action"])
        for r in as_list(statement["Resource"])
    }
    assert sent_to == {dlq_id}  # an unreadable notification, dead-lettered


def test_the_payments_worker_sends_nothing_and_reads_the_stripe_secret(
    template: Template,
) -> None:
    role = role_of(template, "SettlePayments")
    sent_to, dynamodb, secrets = set(), set(), set()
    for policy, statement in statements(template):
        if role not in roles_of_policy(template, policy):
            continue
        actions = set(as_list(statement["Action"]))
        if "sqs:SendMessage" in actions:
            sent_to |= {logical_id_of(r) for r in as_list(statement["Resource"])}
        dynamodb |= {a for a in actions if a.startswith("dynamodb:")}
        if "secretsmanager:GetSecretValue" in actions:
            secrets |= {logical_id_of(r) for r in as_list(statement["Resource"])}
    assert sent_to == set()  # its order changes' events leave through the table's stream
    assert "dynamodb:Query" not in dynamodb and "dynamodb:Scan" not in dynamodb
    assert len(secrets) == 1  # the Stripe secret, and no other


def test_only_the_relay_puts_events_on_the_consumer_groups_queues(template: Template) -> None:
    """A group's consumers trust what an event says (a refund's amount): only the relay sends
    there, and the bookkeeping dispatcher, which hands an event relayed before the fan-out to
    the other groups."""
    group_queues = (EVENTS, MESSAGE_EVENTS, PAYMENT_EVENTS, BULK_EVENTS)
    groups = {queue_by_name(template, q.name)[0] for q in group_queues}
    senders: dict[str, set[str]] = {}
    for policy, statement in statements(template):
        if "sqs:SendMessage" not in as_list(statement["Action"]):
            continue
        reached = {logical_id_of(r) for r in as_list(statement["Resource"])} & groups
        for role in roles_of_policy(template, policy) if reached else ():
            senders.setdefault(role, set()).update(reached)
    messages_id, _ = queue_by_name(template, MESSAGE_EVENTS.name)
    payments_id, _ = queue_by_name(template, PAYMENT_EVENTS.name)
    assert senders == {
        role_of(template, "RelayEvents"): groups,
        role_of(template, "DispatchEvents"): {messages_id, payments_id},
    }


def test_the_bulk_events_dispatcher_reads_its_queue_and_sends_only_webhook_deliveries(
    template: Template,
) -> None:
    """The bulk group (an import's rows): its own queue and function, and of the outside world
    only what its consumers use (the tenant by GetItem, the webhook-delivery queue)."""
    role = role_of(template, "DispatchBulkEvents")
    assert role not in {role_of(template, n) for n in ("DispatchEvents", "RunImports")}
    bulk_id, _ = queue_by_name(template, BULK_EVENTS.name)
    webhooks_id, _ = queue_by_name(template, WEBHOOK_DELIVERIES.name)
    granted: dict[str, list[Any]] = {}
    for policy, statement in statements(template):
        if role in roles_of_policy(template, policy):
            for action in as_list(statement["Action"]):
                granted.setdefault(action, []).extend(as_list(statement["Resource"]))
    assert {logical_id_of(r) for r in granted["sqs:ReceiveMessage"]} == {bulk_id}
    assert {logical_id_of(r) for r in granted["sqs:SendMessage"]} == {webhooks_id}
    assert {a for a in granted if a.startswith("dynamodb:")} == {"dynamodb:GetItem"}


def test_only_the_bulk_events_mapping_limits_its_concurrency(template: Template) -> None:
    """A 100,000-row import may not take the account's Lambda concurrency from bookings."""
    limited = {
        render(props["Queue"]).rsplit(":", 1)[-1]: props["ScalingConfig"]["MaximumConcurrency"]
        for _, props in sqs_events(template)
        if "ScalingConfig" in props
    }
    assert limited == {BULK_EVENTS.name: BULK_EVENTS.max_concurrency}
    assert 2 <= BULK_EVENTS.max_concurrency <= 1000  # what Lambda accepts


# --- the rest -------------------------------------------------------------------------------


def test_exports_bucket_expires_its_objects(template: Template) -> None:
    (bucket,) = [
        b
        for name, b in resources(template, "AWS::S3::Bucket").items()
        if name.startswith("ExportsBucket")
    ]
    rules = bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    assert any(r["Status"] == "Enabled" and r.get("ExpirationInDays") for r in rules)


def test_the_documents_bucket_is_private_encrypted_and_keeps_everything(template: Template) -> None:
    (bucket,) = [
        b
        for name, b in resources(template, "AWS::S3::Bucket").items()
        if name.startswith("DocumentsBucket")
    ]
    props = bucket["Properties"]
    assert "LifecycleConfiguration" not in props  # invoices are kept as the law requires
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
    assert bucket["DeletionPolicy"] == "Retain"
    deletes = [
        (name, statement)
        for name, statement in statements(template)
        if statement.get("Effect") == "Allow"
        and any(a.startswith("s3:DeleteObject") for a in as_list(statement["Action"]))
        and "DocumentsBucket" in json.dumps(statement.get("Resource"))
    ]
    assert deletes == []  # no function may delete an invoice's file


def test_an_erase_may_delete_a_customers_exports_and_no_old_version_stays(
    template: Template,
) -> None:
    (bucket,) = [
        b
        for name, b in resources(template, "AWS::S3::Bucket").items()
        if name.startswith("ExportsBucket")
    ]
    # Not versioned: a deleted export (chalicelib/customers: privacy) leaves no copy behind.
    assert "VersioningConfiguration" not in bucket["Properties"]
    deletes = [
        statement
        for _, statement in statements(template)
        if statement.get("Effect") == "Allow"
        and any(a.startswith("s3:DeleteObject") for a in as_list(statement["Action"]))
        and "ExportsBucket" in json.dumps(statement.get("Resource"))
    ]
    assert deletes


def test_stalled_provisioning_sweeper_runs_on_a_schedule(template: Template) -> None:
    fn = template["Resources"]["RequeueStalledProvisioning"]
    schedules = [
        e["Properties"]["Schedule"]
        for e in fn["Properties"]["Events"].values()
        if e["Type"] == "Schedule"
    ]
    assert schedules == ["rate(5 minutes)"]


def test_the_morning_summaries_run_every_quarter_hour_reading_only_the_due_index(
    template: Template,
) -> None:
    fn = template["Resources"]["QueueDueSummaries"]
    schedules = [
        e["Properties"]["Schedule"]
        for e in fn["Properties"]["Events"].values()
        if e["Type"] == "Schedule"
    ]
    assert schedules == ["cron(0/15 * * * ? *)"]  # :00, :15, :30, :45: every zone's offsets
    run = role_of(template, "QueueDueSummaries")
    granted = [
        (set(as_list(s["Action"])), [render(r) for r in as_list(s["Resource"])])
        for p, s in statements(template)
        if run in roles_of_policy(template, p)
    ]
    dynamo = [(a, r) for a, r in granted if any(x.startswith("dynamodb:") for x in a)]
    assert len(dynamo) == 1 and dynamo[0][0] == {"dynamodb:Query"}, dynamo
    assert all(r.endswith("/index/gsi1") for r in dynamo[0][1]), dynamo
    assert not any(x.startswith(("ses:", "sts:")) for a, _ in granted for x in a)


def test_staff_user_pool_signs_in_by_email_case_insensitively(template: Template) -> None:
    (pool,) = resources(template, "AWS::Cognito::UserPool").values()
    assert pool["Properties"]["UsernameAttributes"] == ["email"]
    assert pool["Properties"]["UsernameConfiguration"] == {"CaseSensitive": False}
    (client,) = resources(template, "AWS::Cognito::UserPoolClient").values()
    flows = set(client["Properties"]["ExplicitAuthFlows"])
    assert {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"} <= flows


def test_staff_invitations_are_sent_through_ses_from_the_sender_domain(template: Template) -> None:
    (pool,) = resources(template, "AWS::Cognito::UserPool").values()
    email = pool["Properties"]["EmailConfiguration"]
    assert email["EmailSendingAccount"] == "DEVELOPER"  # SES, not Cognito's ~50 a day
    assert render(email["SourceArn"]).endswith(":identity/example.com")  # sesSenderDomain
    assert email["From"].endswith("@example.com>")


def test_the_manage_link_key_is_a_generated_secret_the_api_and_message_senders_read(
    template: Template,
) -> None:
    secrets = {
        name: r
        for name, r in template["Resources"].items()
        if r["Type"] == "AWS::SecretsManager::Secret" and name.startswith("ManageTokenSecret")
    }
    [(name, secret)] = secrets.items()
    # A plain string, as `PlainSecretSource` reads it (a template would make it JSON).
    assert "SecretStringTemplate" not in secret["Properties"]["GenerateSecretString"]
    for fn_name, fn in functions(template).items():
        value = fn["Properties"]["Environment"]["Variables"]["RESERVOIR_MANAGE_TOKEN_SECRET_ARN"]
        assert logical_id_of(value) == name, fn_name
    readers = {
        r
        for p, s in statements(template)
        if "secretsmanager:GetSecretValue" in as_list(s["Action"])
        and any(logical_id_of(x) == name for x in as_list(s["Resource"]))
        for r in roles_of_policy(template, p)
    }
    # The API checks tokens; the message and reminder workers put links in messages; the
    # campaigns' worker signs unsubscribe links with it.
    senders = ("APIHandler", "DispatchMessageEvents", "SendReminders", "SendCampaigns")
    assert readers == {role_of(template, fn) for fn in senders}


# --- the HTTP API ---------------------------------------------------------------------------


def http_api(template: Template) -> dict[str, Any]:
    [api] = resources(template, "AWS::ApiGatewayV2::Api").values()
    return api["Properties"]


def route_keys_of(body: dict[str, Any]) -> set[str]:
    """The routes an OpenAPI body imports as: `ANY path`, `METHOD path`, `$default`."""
    keys = set()
    for path, item in body["paths"].items():
        for operation, spec in item.items():
            if spec.get("isDefaultRoute"):
                keys.add("$default")
            elif operation == "x-amazon-apigateway-any-method":
                keys.add(f"ANY {path}")
            else:
                keys.add(f"{operation.upper()} {path}")
    return keys


def test_the_template_has_one_api_an_http_api_and_no_rest_api(template: Template) -> None:
    types = {r["Type"] for r in template["Resources"].values()}
    assert "AWS::Serverless::Api" not in types and "AWS::Serverless::HttpApi" not in types
    assert not {t for t in types if t.startswith("AWS::ApiGateway::")}, types
    assert len(resources(template, "AWS::ApiGatewayV2::Api")) == 1
    assert "RestAPI" not in json.dumps(template)  # nothing refers to Chalice's REST API
    assert not {"RestAPIId"} & set(template["Outputs"])
    # Gateway responses are a REST API's; an HTTP API has none.
    assert not resources(template, "AWS::ApiGateway::GatewayResponse")


def test_the_http_api_routes_every_route_of_the_app_and_a_default_route(
    template: Template,
) -> None:
    from app import app

    api = http_api(template)
    assert api["FailOnWarnings"] is True  # a route the import would skip fails the deploy
    body = api["Body"]
    # The importer warns on a path that does not start with "/" (and warnings fail it): the
    # catch-all is the path "/$default" whose ANY operation says it is the default route.
    assert all(path.startswith("/") for path in body["paths"]), sorted(body["paths"])
    defaults = [
        (path, op)
        for path, item in body["paths"].items()
        for op, spec in item.items()
        if spec.get("isDefaultRoute")
    ]
    assert defaults == [("/$default", "x-amazon-apigateway-any-method")]
    keys = route_keys_of(body)
    # A route per path of the app (each method of it, its preflight, and a method it does not
    # take, which the app answers 405), the throttled routes on their own, and $default.
    assert {k for k in keys if k.startswith("ANY ")} == {f"ANY {p}" for p in app.routes}
    for path, methods in app.routes.items():
        for method in methods:
            assert f"ANY {path}" in keys or f"{method} {path}" in keys, (method, path)
    assert "$default" in keys  # an unknown path reaches the app (404 not_found)
    assert keys - {f"ANY {p}" for p in app.routes} == {
        "POST /v1/signup",
        "POST /v1/public/orders",
        "$default",
    }
    assert len(keys) <= 300  # an HTTP API's routes per API (raised per API by request)


def test_every_route_is_the_api_handler_at_payload_format_1_0(template: Template) -> None:
    body = http_api(template)["Body"]
    integrations = body["components"]["x-amazon-apigateway-integrations"]
    assert len(integrations) == 1  # one integration for all routes (300 at most, fixed)
    [(name, integration)] = integrations.items()
    assert integration["type"] == "aws_proxy" and integration["httpMethod"] == "POST"
    # Chalice reads the REST event shape: resource, resourcePath, multi-value headers.
    assert integration["payloadFormatVersion"] == "1.0"
    uri = json.dumps(integration["uri"])
    assert '"APIHandler", "Arn"' in uri and uri.endswith('"/invocations"]]}')
    ref = {"$ref": f"#/components/x-amazon-apigateway-integrations/{name}"}
    for path, item in body["paths"].items():
        for operation, spec in item.items():
            assert spec["x-amazon-apigateway-integration"] == ref, (path, operation)
            assert spec["responses"] == {}, (path, operation)  # none: an import warning


def test_the_app_answers_cors_itself_and_the_api_adds_none(template: Template) -> None:
    api = http_api(template)
    assert "CorsConfiguration" not in api
    # Preflights reach the app: OPTIONS has no route of its own, each path's ANY carries it.
    assert not {k for k in route_keys_of(api["Body"]) if k.startswith("OPTIONS ")}


def test_the_http_api_may_invoke_the_api_handler_and_nothing_else_may(template: Template) -> None:
    permissions = resources(template, "AWS::Lambda::Permission").values()
    by_gateway = [
        p["Properties"]
        for p in permissions
        if p["Properties"]["Principal"] == "apigateway.amazonaws.com"
    ]
    assert len(by_gateway) == 1
    [permission] = by_gateway
    assert permission["FunctionName"] == {"Ref": "APIHandler"}
    source = render(permission["SourceArn"])
    assert ":execute-api:" in source and "{HttpApi}/*" in source, source


def test_the_api_stage_throttles_every_route_and_sign_up_and_holds_more(template: Template) -> None:
    """Rate and burst on the stage (a ceiling for everyone), lower on sign-up (a table each)
    and widget holds; the app's own budgets per address and key sit under these."""
    [stage] = resources(template, "AWS::ApiGatewayV2::Stage").values()
    props = stage["Properties"]
    assert props["ApiId"] == {"Ref": next(iter(resources(template, "AWS::ApiGatewayV2::Api")))}
    assert props["AutoDeploy"] is True
    default = props["DefaultRouteSettings"]
    stage_rate, stage_burst = default["ThrottlingRateLimit"], default["ThrottlingBurstLimit"]
    assert 0 < stage_rate <= 10_000 and 0 < stage_burst <= 5_000  # under the account's default
    settings = {
        key: (s["ThrottlingRateLimit"], s["ThrottlingBurstLimit"])
        for key, s in props["RouteSettings"].items()
    }
    signup_rate, signup_burst = settings["POST /v1/signup"]
    assert signup_rate <= 5 and signup_burst <= 10
    holds_rate, _ = settings["POST /v1/public/orders"]
    assert holds_rate < stage_rate
    # Unknown paths (scanners) invoke the function through $default: kept low.
    unknown_rate, unknown_burst = settings["$default"]
    assert unknown_rate <= 20 and unknown_burst <= 50
    # A route setting names a route the API has.
    assert set(settings) <= route_keys_of(http_api(template)["Body"])


def test_the_api_s_address_is_an_output(template: Template) -> None:
    [api_id] = resources(template, "AWS::ApiGatewayV2::Api")
    [stage] = resources(template, "AWS::ApiGatewayV2::Stage").values()
    url = render(template["Outputs"]["EndpointURL"]["Value"])
    assert url.startswith("https://{" + api_id + "}.execute-api.")
    # The $default stage: no stage in the path, so the app's root-relative Location headers
    # and links resolve against the address as they are.
    assert stage["Properties"]["StageName"] == "$default"
    assert url.endswith(".amazonaws.com/") or url.endswith("}/"), url


def test_the_platform_table_expires_counters_and_marks_by_ttl(template: Template) -> None:
    ttl = platform_table(template)["TimeToLiveSpecification"]
    assert ttl == {"AttributeName": PLATFORM_TABLE.ttl_attribute, "Enabled": True}


# --- the event relay -----------------------------------------------------------------------


def test_the_relay_is_named_as_the_provisioning_worker_is_told(template: Template) -> None:
    relay = functions(template)["RelayEvents"]["Properties"]
    name = relay["FunctionName"]
    for fn in functions(template).values():
        assert (
            fn["Properties"]["Environment"]["Variables"][env_name("event_relay_function")] == name
        )


def test_the_relay_reads_only_tenant_tables_streams_and_sends_only_events_and_failures(
    template: Template,
) -> None:
    role = role_of(template, "RelayEvents")
    granted: dict[str, set[str]] = {}
    for policy, statement in statements(template):
        if role in roles_of_policy(template, policy):
            for action in as_list(statement["Action"]):
                granted.setdefault(action, set()).update(
                    render(r) for r in as_list(statement["Resource"])
                )
    streams = {
        f"arn:${{Partition}}:dynamodb:${{Region}}:${{AccountId}}:table/{TENANT_PREFIX}*/stream/*"
    }
    for action in ("dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"):
        assert granted.pop(action) == streams, action
    assert granted.pop("dynamodb:ListStreams") == {"*"}
    assert len(granted.pop("kms:Decrypt")) == 1
    groups = (
        EVENTS.name,
        MESSAGE_EVENTS.name,
        PAYMENT_EVENTS.name,
        BULK_EVENTS.name,
        RELAY_FAILURES,
    )
    queues = {queue_by_name(template, name)[0] for name in groups}
    assert granted.pop("sqs:SendMessage") == {"{" + q + "}" for q in queues}
    granted.pop("sqs:GetQueueUrl", None)
    granted.pop("sqs:GetQueueAttributes", None)
    assert not any(a.startswith("dynamodb:") for a in granted), granted
    assert not any(a.startswith("sts:") for a in granted), granted


def test_only_the_provisioning_worker_maps_streams_and_only_to_the_relay(
    template: Template,
) -> None:
    relay_name = functions(template)["RelayEvents"]["Properties"]["FunctionName"]
    creators = set()
    for policy, statement in statements(template):
        if "lambda:CreateEventSourceMapping" in as_list(statement["Action"]):
            creators |= roles_of_policy(template, policy)
            condition = statement["Condition"]["StringEquals"]["lambda:FunctionArn"]
            assert render(condition).endswith(f":function:{relay_name}")
    assert creators == {role_of(template, provisioning_function(template))}


# --- the Lambda package ---------------------------------------------------------------------


def lambda_package(cloud_assembly: Path, template: Template) -> Path:
    """The one zip every function runs (Chalice packages the app once)."""
    uris = {json.dumps(fn["Properties"]["CodeUri"]) for fn in functions(template).values()}
    assert len(uris) == 1, uris
    key = json.loads(uris.pop())["Key"]  # <asset hash>.zip; other zips are the CDK's own
    return cloud_assembly / f"asset.{key}"


def test_the_package_is_built_for_the_runtime_it_runs_on(template: Template) -> None:
    """Bytecode is only read by the interpreter whose tag it carries (`cpython-311`)."""
    runtimes = {fn["Properties"]["Runtime"] for fn in functions(template).values()}
    assert runtimes == {f"python{sys.version_info.major}.{sys.version_info.minor}"}


def test_every_source_in_the_package_has_unchecked_bytecode_and_no_bytecode_is_stray(
    cloud_assembly: Path, template: Template
) -> None:
    with zipfile.ZipFile(lambda_package(cloud_assembly, template)) as package:
        names = set(package.namelist())
        own = sorted(n for n in names if n.endswith(".py") and n.startswith(OWN_CODE))
        assert "app.py" in own and len(own) > 100
        for source in own:
            pyc = package.read(pyc_path(source))
            assert pyc[:4] == importlib.util.MAGIC_NUMBER, source
            assert pyc[4:8] == UNCHECKED_HASH_FLAGS, source
            assert pyc[8:16] == importlib.util.source_hash(package.read(source)), source
        strays = [
            n for n in names if n.endswith(".pyc") and not n.endswith(f".{CACHE_TAG}.pyc")
        ] + [n for n in names if n.endswith(f".{CACHE_TAG}.pyc") and pyc_source(n) not in names]
        assert not strays, strays[:10]


PROBE = """
import sys
compiled = []
sys.addaudithook(lambda event, args: event == "compile" and args[1] != "<string>"
                 and compiled.append(args[1]))
import app
print(repr(compiled))
"""


def test_importing_the_packaged_app_compiles_no_module(
    cloud_assembly: Path, template: Template, tmp_path: Path
) -> None:
    """What a cold start does: import app from the unpacked package on a read-only disk (no
    site-packages, no bytecode written), and compile nothing: every module comes as bytecode."""
    with zipfile.ZipFile(lambda_package(cloud_assembly, template)) as package:
        package.extractall(tmp_path)
    result = subprocess.run(
        [sys.executable, "-S", "-c", PROBE],
        cwd=tmp_path,
        env={
            "PATH": os.environ["PATH"],
            "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_DEFAULT_REGION": "us-east-1",
        },
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout[-2000:]


# --- the front ends' files on CloudFront ------------------------------------------------------


def test_the_widget_is_served_by_cloudfront_from_a_private_bucket(template: Template) -> None:
    [distribution] = resources(template, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https" and behavior["Compress"]
    assert behavior["AllowedMethods"] == ["GET", "HEAD"]
    [origin] = config["Origins"]
    assert origin["OriginAccessControlId"]  # the bucket is read by CloudFront, not the world
    bucket = logical_id_of(origin["DomainName"])
    assert "WidgetAssetsBucket" in bucket
    access = template["Resources"][bucket]["Properties"]["PublicAccessBlockConfiguration"]
    assert all(access.values())
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources(template, "AWS::S3::BucketPolicy").values()
        if logical_id_of(p["Properties"]["Bucket"]) == bucket
    ]
    readers = [
        s for statements in policies for s in statements if s.get("Principal", {}).get("Service")
    ]
    assert readers and all(s["Principal"]["Service"] == "cloudfront.amazonaws.com" for s in readers)


@pytest.mark.parametrize(
    ("prefix", "fresh_paths"),
    [
        ("widget/", ["/widget/manifest.json", "/widget/reservoir-widget.js"]),
        ("console/", ["/console/config.json", "/console/index.html"]),
    ],
)
def test_hashed_files_are_cached_for_a_year_and_the_names_that_point_at_them_briefly(
    template: Template, prefix: str, fresh_paths: list[str]
) -> None:
    deployments = {
        k: d
        for k, d in resources(template, "Custom::CDKBucketDeployment").items()
        if d["Properties"]["DestinationBucketKeyPrefix"] == prefix
    }
    controls = {
        tuple(d["Properties"]["SystemMetadata"].values()): (k, d) for k, d in deployments.items()
    }
    versioned_id, versioned = controls[("public, max-age=31536000, immutable",)]
    fresh_id, fresh = controls[("public, max-age=300",)]
    assert versioned["Properties"]["Prune"] is False
    assert fresh["Properties"]["Prune"] is False  # the other front end's files stay
    assert "DistributionId" not in versioned["Properties"]  # a hashed name never changes
    assert sorted(fresh["Properties"]["DistributionPaths"]) == fresh_paths
    # What names the hashed files must not go up before they are there.
    assert versioned_id in fresh.get("DependsOn", []), fresh_id


def test_the_consoles_config_names_the_api_and_the_staff_app_client(template: Template) -> None:
    [config] = [
        d
        for k, d in resources(template, "Custom::CDKBucketDeployment").items()
        if "ConsoleStableFiles" in k
    ]
    markers = json.dumps(config["Properties"]["SourceMarkers"])
    [client] = resources(template, "AWS::Cognito::UserPoolClient")
    assert client in markers
    assert "cognito-idp." in markers
    assert "HttpApi" in markers and "execute-api" in markers  # the API's stage address


def test_the_console_origin_is_the_front_ends_distribution(template: Template) -> None:
    [distribution] = resources(template, "AWS::CloudFront::Distribution")
    for name, fn in functions(template).items():
        origin = json.dumps(
            fn["Properties"]["Environment"]["Variables"]["RESERVOIR_CONSOLE_ORIGIN"]
        )
        assert distribution in origin and "https://" in origin, name


def test_the_report_export_worker_has_a_gigabyte_15_minutes_and_room_on_its_disk(
    template: Template,
) -> None:
    props = functions(template)["RunExports"]["Properties"]
    assert props["MemorySize"] == 1024  # bench/report_exports.py: a million orders inside it
    assert props["Timeout"] == 900
    assert props["EphemeralStorage"]["Size"] >= 2048  # an XLSX of a million orders, on disk
    role = role_of(template, "RunExports")
    puts = [
        s
        for p, s in statements(template)
        if role in roles_of_policy(template, p) and "s3:PutObject" in as_list(s["Action"])
    ]
    assert puts and all(
        any("ExportsBucket" in json.dumps(r) for r in as_list(s["Resource"])) for s in puts
    )


def test_report_exports_expire_after_their_week(template: Template) -> None:
    (bucket,) = [
        b
        for name, b in resources(template, "AWS::S3::Bucket").items()
        if name.startswith("ExportsBucket")
    ]
    rules = bucket["Properties"]["LifecycleConfiguration"]["Rules"]
    (reports,) = [r for r in rules if r.get("Prefix") == "reports/"]
    assert reports["Status"] == "Enabled" and reports["ExpirationInDays"] == 7
    assert reports["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 1
