"""CDK entry point: `cdk synth` (from infra/, see infra.mk) runs this.

Context (`cdk synth -c key=value`):
  stage             Chalice stage and stack id (default "prod"; must exist in .chalice/config.json)
  sesSenderDomain   the SES identity notifications are sent from (default "example.com")
  alarmEmail        an address subscribed to the alarm topic (optional)
  publicBaseUrl     the API's public address, where Stripe Connect onboarding returns
                    (default "https://api.example.com"; the API's own URL is known only after
                    the first deploy: set it then, or to a custom domain)
  stripePublishableKey  the platform's `pk_...`, handed to booking widgets (optional)
  stripePrices      plan -> the platform's Stripe price id, "pro=price_1,business=price_2"

The stack is environment-agnostic: account and region stay CloudFormation pseudo-parameters
(`AWS::AccountId`, `AWS::Region`), so the same template is synthesised offline in CI and deployed
to whichever account and region the deploying credentials name (docs/DEPLOY.md).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    # The infra reads the app's own definitions (schemas, queues, settings): import them as
    # Lambda does, from the repository root.
    sys.path.insert(0, str(ROOT))
    import aws_cdk as cdk

    from infra.stacks.reservoir import ReservoirStack

    app = cdk.App()
    stage = app.node.try_get_context("stage") or "prod"
    # chalice.cdk packages the app into ./chalice.out and never cleans it (about 21 MB a
    # synth): package in a temporary directory instead. The synthesised assets are copied
    # into the cloud assembly before it goes away.
    with tempfile.TemporaryDirectory(prefix="reservoir-chalice-") as workdir:
        os.chdir(workdir)
        ReservoirStack(
            app,
            stage,
            stack_name=f"reservoir-{stage}",
            description="Reservoir: multi-tenant booking (Chalice on Lambda, DynamoDB, SQS)",
            source_dir=ROOT,
            ses_sender_domain=app.node.try_get_context("sesSenderDomain") or "example.com",
            alarm_email=app.node.try_get_context("alarmEmail"),
            public_base_url=app.node.try_get_context("publicBaseUrl") or "https://api.example.com",
            console_origin=app.node.try_get_context("consoleOrigin") or "",
            stripe_publishable_key=app.node.try_get_context("stripePublishableKey") or "",
            stripe_prices=app.node.try_get_context("stripePrices") or "",
        )
        app.synth()


if __name__ == "__main__":
    main()
