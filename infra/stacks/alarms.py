"""Alarms that page someone: a message in a dead-letter queue, a message waiting too long in
any queue, a Lambda error or throttle, and any 5xx answer of the API.

The API answers 500 itself for an unexpected error (the Lambda invocation succeeds), so Lambda's
Errors never count it; API Gateway's `5xx` (an HTTP API's metric) does, and counts its own
500/503/504 too. Since no input
may cause a 5xx, one is worth a look. A queue's oldest message older than two visibility
timeouts (one redelivery is normal) means its consumer is failing or not keeping up, long
before the dead-letter queue hears of it."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .queues import QueuePair

PERIOD = Duration.minutes(5)
# An event waiting this long on its stream (the relay failing, or throttled) is an incident:
# customers are not told, reminders not scheduled (and records expire after 24 h).
STREAM_LAG_MS = 5 * 60 * 1000


def _alarm(
    scope: Construct,
    construct_id: str,
    metric: cloudwatch.Metric,
    description: str,
    topic: sns.ITopic,
    threshold: float = 1,
) -> cloudwatch.Alarm:
    alarm = metric.create_alarm(
        scope,
        construct_id,
        alarm_description=description,
        threshold=threshold,
        evaluation_periods=1,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        # No data means no messages, no invocations: not a problem.
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )
    alarm.add_alarm_action(actions.SnsAction(topic))
    return alarm


def build_alarms(
    scope: Construct,
    *,
    topic: sns.ITopic,
    queues: list[QueuePair],
    functions: dict[str, str],
    api: tuple[str, str],
    dead_letters: dict[str, sqs.IQueue] | None = None,
    stream_consumers: dict[str, str] | None = None,
) -> list[cloudwatch.Alarm]:
    """`functions`: logical id -> function name (a token) for every Lambda function; `api`:
    the HTTP API's id and stage (its metrics' dimensions, `ApiId` and `Stage`); `dead_letters`:
    queues outside `queues` where failures rest (the relay's failure queue), by construct id;
    `stream_consumers`: logical id -> name of the functions stream mappings invoke (the relay),
    whose iterator age says how far behind the streams they are."""
    alarms = []
    api_id, stage = api
    server_errors = cloudwatch.Metric(
        namespace="AWS/ApiGateway",
        metric_name="5xx",
        dimensions_map={"ApiId": api_id, "Stage": stage},
        period=PERIOD,
        statistic="Sum",
    )
    alarms.append(_alarm(scope, "Api5xxAlarm", server_errors, "5xx answers from the API", topic))
    for pair in queues:
        age = pair.queue.metric_approximate_age_of_oldest_message(
            period=PERIOD, statistic="Maximum"
        )
        alarms.append(
            _alarm(
                scope,
                f"{pair.queue.node.id}AgeAlarm",
                age,
                f"A message waited over {2 * pair.spec.visibility_timeout} s in {pair.spec.name}",
                topic,
                threshold=2 * pair.spec.visibility_timeout,
            )
        )
    for pair in queues:
        # Any dead letter is a failure nobody retried to success: look at it.
        metric = pair.dlq.metric_approximate_number_of_messages_visible(
            period=PERIOD, statistic="Maximum"
        )
        alarms.append(
            _alarm(
                scope,
                f"{pair.dlq.node.id}DepthAlarm",
                metric,
                f"Messages in the dead-letter queue {pair.spec.dlq_name}",
                topic,
            )
        )
    for name, queue in sorted((dead_letters or {}).items()):
        metric = queue.metric_approximate_number_of_messages_visible(
            period=PERIOD, statistic="Maximum"
        )
        alarms.append(_alarm(scope, f"{name}DepthAlarm", metric, f"Messages in {name}", topic))
    for logical_id, function_name in sorted((stream_consumers or {}).items()):
        age = cloudwatch.Metric(
            namespace="AWS/Lambda",
            metric_name="IteratorAge",
            dimensions_map={"FunctionName": function_name},
            period=PERIOD,
            statistic="Maximum",
        )
        alarms.append(
            _alarm(
                scope,
                f"{logical_id}IteratorAgeAlarm",
                age,
                f"{logical_id} is over {STREAM_LAG_MS // 1000} s behind its streams",
                topic,
                threshold=STREAM_LAG_MS,
            )
        )
    for logical_id, function_name in sorted(functions.items()):
        for metric_name in ("Errors", "Throttles"):
            metric = cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name=metric_name,
                dimensions_map={"FunctionName": function_name},
                period=PERIOD,
                statistic="Sum",
            )
            alarms.append(
                _alarm(
                    scope,
                    f"{logical_id}{metric_name}Alarm",
                    metric,
                    f"Lambda {metric_name.lower()} in {logical_id}",
                    topic,
                )
            )
    return alarms
