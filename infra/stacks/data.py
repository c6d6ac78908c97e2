"""Storage the platform owns: the KMS key, the platform table, the S3 buckets, the Stripe secret.

The platform table is built from `PLATFORM_TABLE`, the same object the local stack and the tests
create their table from, so key schemas and index names exist once. Tenant tables are not here:
the provisioning worker creates them at run time from `TENANT_TABLE`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from aws_cdk import Duration, RemovalPolicy, SecretValue
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from chalicelib.kernel.adapters.schema import PLATFORM_TABLE, TableSpec
from chalicelib.kernel.adapters.secrets import SECRET_KEY_FIELD, WEBHOOK_SECRETS_FIELD
from chalicelib.reports.domain.exports import KEEP_DAYS as REPORT_EXPORT_DAYS

# Exports are re-creatable reports: keep them long enough to download, not forever.
EXPORT_RETENTION_DAYS = 30
REPORT_EXPORTS_PREFIX = "reports/"  # chalicelib/reports/domain/exports.py file_key


@dataclass(frozen=True)
class DataResources:
    key: kms.Key
    platform_table: dynamodb.Table
    exports_bucket: s3.Bucket
    widget_bucket: s3.Bucket
    stripe_secret: secretsmanager.Secret
    documents_bucket: s3.Bucket


def _attribute(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


def table_from_spec(
    scope: Construct, construct_id: str, spec: TableSpec, *, table_name: str, key: kms.IKey
) -> dynamodb.Table:
    """An on-demand table with PITR and a customer-managed key, keyed as `spec` says."""
    table = dynamodb.Table(
        scope,
        construct_id,
        table_name=table_name,
        partition_key=_attribute(spec.hash_key),
        sort_key=_attribute(spec.range_key),
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryption_key=key,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        time_to_live_attribute=spec.ttl_attribute,
        deletion_protection=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
    for index in spec.indexes:
        # ALL projection, as `TableSpec.create_table_kwargs` does for tenant tables.
        table.add_global_secondary_index(
            index_name=index.name,
            partition_key=_attribute(index.hash_key),
            sort_key=_attribute(index.range_key),
            projection_type=dynamodb.ProjectionType.ALL,
        )
    return table


def _private_bucket(scope: Construct, construct_id: str, **kwargs: object) -> s3.Bucket:
    return s3.Bucket(
        scope,
        construct_id,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        encryption=s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        removal_policy=RemovalPolicy.RETAIN,
        **kwargs,
    )


def build_data(scope: Construct, *, platform_table_name: str) -> DataResources:
    key = kms.Key(
        scope,
        "DataKey",
        description="Reservoir: encrypts the platform table and the Stripe secret",
        enable_key_rotation=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
    platform_table = table_from_spec(
        scope, "PlatformTable", PLATFORM_TABLE, table_name=platform_table_name, key=key
    )
    exports_bucket = _private_bucket(
        scope,
        "ExportsBucket",
        lifecycle_rules=[
            s3.LifecycleRule(
                id="expire-exports",
                expiration=Duration.days(EXPORT_RETENTION_DAYS),
                abort_incomplete_multipart_upload_after=Duration.days(1),
            ),
            # Report exports (chalicelib/reports: exports) are kept a week, as their jobs are.
            s3.LifecycleRule(
                id="expire-report-exports",
                prefix=REPORT_EXPORTS_PREFIX,
                expiration=Duration.days(REPORT_EXPORT_DAYS),
                abort_incomplete_multipart_upload_after=Duration.days(1),
            ),
        ],
    )
    # Widget assets are served through CloudFront (web_hosting.py), never straight from here.
    widget_bucket = _private_bucket(scope, "WidgetAssetsBucket", versioned=True)
    stripe_secret = secretsmanager.Secret(
        scope,
        "StripeSecret",
        description=(
            f"Reservoir Stripe keys (JSON: {SECRET_KEY_FIELD}, {WEBHOOK_SECRETS_FIELD}). "
            "Empty until an operator puts the real values (docs/DEPLOY.md)."
        ),
        encryption_key=key,
        # The keys the code reads (chalicelib/kernel/adapters/secrets.py), empty: no webhook
        # verifies until real signing secrets are stored (a known placeholder would be a known
        # secret).
        secret_string_value=SecretValue.unsafe_plain_text(
            json.dumps({SECRET_KEY_FIELD: "", WEBHOOK_SECRETS_FIELD: []})
        ),
        removal_policy=RemovalPolicy.RETAIN,
    )
    # Invoices and credit notes (chalicelib/invoices): kept as the law requires, so no
    # lifecycle rule ever deletes one; versioned, so an object is never silently replaced.
    documents_bucket = _private_bucket(scope, "DocumentsBucket", versioned=True)
    return DataResources(
        key, platform_table, exports_bucket, widget_bucket, stripe_secret, documents_bucket
    )
