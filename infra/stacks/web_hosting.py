"""The front ends' files on S3 behind CloudFront: the booking widget today (the console later).

The bucket stays private (data.py): CloudFront reads it through an origin access control, and
serves over HTTPS only, compressed, with its security headers (on its default domain the TLS
policy is CloudFront's; a custom domain brings its certificate and TLS 1.2). The widget's
content-hashed file (`widget/reservoir-widget.<hash>.js`, named in `widget/manifest.json`) is
cached for a year and never changes, and the versions before it are kept, so a page still
holding an older name keeps working; the stable name (`widget/reservoir-widget.js`) and the
manifest are cached for five minutes, and a deploy invalidates them. `make synth` builds
web/dist/widget first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aws_cdk import CfnResource, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

WIDGET_PREFIX = "widget/"
STABLE_FILES = ("reservoir-widget.js", "manifest.json")
FOREVER = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"


@dataclass(frozen=True)
class WebHosting:
    distribution: cloudfront.Distribution

    @property
    def origin(self) -> str:
        """The distribution's web origin (the console's, and where the widget loads from)."""
        return f"https://{self.distribution.distribution_domain_name}"


def build_web_hosting(scope: Construct, *, bucket: s3.IBucket, widget_dir: Path) -> WebHosting:
    if not (widget_dir / "manifest.json").is_file():
        raise FileNotFoundError(f"{widget_dir} has no built widget: run `make web` first")
    distribution = cloudfront.Distribution(
        scope,
        "WebDistribution",
        comment="Reservoir: the booking widget's files",
        default_behavior=cloudfront.BehaviorOptions(
            origin=origins.S3BucketOrigin.with_origin_access_control(bucket),
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            response_headers_policy=cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
            compress=True,
        ),
        http_version=cloudfront.HttpVersion.HTTP2_AND_3,
        price_class=cloudfront.PriceClass.PRICE_CLASS_100,
    )
    # The hashed file never changes: cached for a year, and earlier versions are kept (no
    # prune), so a page that still names one keeps its widget.
    versioned = s3deploy.BucketDeployment(
        scope,
        "WidgetVersionedFiles",
        sources=[s3deploy.Source.asset(str(widget_dir), exclude=list(STABLE_FILES))],
        destination_bucket=bucket,
        destination_key_prefix=WIDGET_PREFIX,
        cache_control=[s3deploy.CacheControl.from_string(FOREVER)],
        prune=False,
    )
    # The stable name and the manifest: short-lived, and invalidated by each deploy.
    stable = s3deploy.BucketDeployment(
        scope,
        "WidgetStableFiles",
        sources=[s3deploy.Source.asset(str(widget_dir), exclude=["reservoir-widget.*.js"])],
        destination_bucket=bucket,
        destination_key_prefix=WIDGET_PREFIX,
        cache_control=[s3deploy.CacheControl.from_string(SHORT)],
        prune=False,
        distribution=distribution,
        distribution_paths=[f"/{WIDGET_PREFIX}{name}" for name in STABLE_FILES],
    )
    # The manifest names the hashed file: it goes up (and is invalidated) only after that file.
    stable.node.add_dependency(versioned)
    _quiet_cdk_deployment_handler(scope)
    return WebHosting(distribution)


def _quiet_cdk_deployment_handler(scope: Construct) -> None:
    """The CDK's own deployment function names its role both in DependsOn and by GetAtt;
    cfn-lint warns (W3005) about the redundant half, in code that is not ours to change."""
    for child in Stack.of(scope).node.find_all():
        if (
            isinstance(child, CfnResource)
            and child.cfn_resource_type == "AWS::Lambda::Function"
            and "CDKBucketDeployment" in child.node.path
        ):
            child.add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})
