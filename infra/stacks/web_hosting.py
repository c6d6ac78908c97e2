"""The front ends' files on S3 behind CloudFront: the booking widget and the staff console.

The bucket stays private (data.py): CloudFront reads it through an origin access control, and
serves over HTTPS only, compressed, with its security headers (on its default domain the TLS
policy is CloudFront's; a custom domain brings its certificate and TLS 1.2). The widget's
content-hashed file (`widget/reservoir-widget.<hash>.js`, named in `widget/manifest.json`) is
cached for a year and never changes, and the versions before it are kept, so a page still
holding an older name keeps working; the stable name (`widget/reservoir-widget.js`) and the
manifest are cached for five minutes, and a deploy invalidates them. The console lives under
`console/` the same way: its content-hashed script and style sheet for a year, its
`index.html` and `config.json` (the API's address and the staff user pool's public client,
written by the deploy) for five minutes, invalidated by each deploy. `make synth` builds
web/dist first.
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
CONSOLE_PREFIX = "console/"
CONSOLE_FRESH = ("index.html", "config.json")
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
        comment="Reservoir: the booking widget and the staff console",
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
    # prune), so a page that still names one keeps its widget. The stable name and the
    # manifest: short-lived, invalidated by each deploy.
    web = WebHosting(distribution)
    _hashed_and_fresh(
        scope,
        "Widget",
        web,
        bucket=bucket,
        prefix=WIDGET_PREFIX,
        hashed=s3deploy.Source.asset(str(widget_dir), exclude=list(STABLE_FILES)),
        fresh=[s3deploy.Source.asset(str(widget_dir), exclude=["reservoir-widget.*.js"])],
        fresh_names=STABLE_FILES,
    )
    return web


def build_console_hosting(
    scope: Construct,
    *,
    bucket: s3.IBucket,
    web: WebHosting,
    console_dir: Path,
    config: dict[str, object],
) -> str:
    """The console's files and its config.json on the distribution; answers its address."""
    if not (console_dir / "index.html").is_file():
        raise FileNotFoundError(f"{console_dir} has no built console: run `make web` first")
    _hashed_and_fresh(
        scope,
        "Console",
        web,
        bucket=bucket,
        prefix=CONSOLE_PREFIX,
        hashed=s3deploy.Source.asset(str(console_dir), exclude=["index.html"]),
        fresh=[
            s3deploy.Source.asset(str(console_dir), exclude=["console.*"]),
            s3deploy.Source.json_data("config.json", config),
        ],
        fresh_names=CONSOLE_FRESH,
    )
    return f"{web.origin}/{CONSOLE_PREFIX}index.html"


def _hashed_and_fresh(
    scope: Construct,
    name: str,
    web: WebHosting,
    *,
    bucket: s3.IBucket,
    prefix: str,
    hashed: s3deploy.ISource,
    fresh: list[s3deploy.ISource],
    fresh_names: tuple[str, ...],
) -> None:
    """Content-hashed files cached for a year and never pruned (a page naming an older one
    keeps working); the files that name them cached briefly, invalidated on each deploy, and
    put up only after the hashed files they name."""
    versioned = s3deploy.BucketDeployment(
        scope,
        f"{name}VersionedFiles",
        sources=[hashed],
        destination_bucket=bucket,
        destination_key_prefix=prefix,
        cache_control=[s3deploy.CacheControl.from_string(FOREVER)],
        prune=False,
    )
    stable = s3deploy.BucketDeployment(
        scope,
        f"{name}StableFiles",
        sources=fresh,
        destination_bucket=bucket,
        destination_key_prefix=prefix,
        cache_control=[s3deploy.CacheControl.from_string(SHORT)],
        prune=False,
        distribution=web.distribution,
        distribution_paths=[f"/{prefix}{n}" for n in fresh_names],
    )
    stable.node.add_dependency(versioned)
    _quiet_cdk_deployment_handler(scope)


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
