"""`chalice local` as the local stack runs it (local/emulators.py `ChaliceLocal`): the same
server `chalice local --no-autoreload` starts, with the `$default` route API Gateway has
(local/gateway.py), so an unknown path is the app's 404 here as on AWS.

    python -m local.chalice_local --host 127.0.0.1 --port 8000 --stage local
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from chalice import local
from chalice.cli.factory import CLIFactory
from chalice.deploy.validate import validate_routes

from local.gateway import DefaultRouteHandler

PROJECT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stage", default="local")
    args = parser.parse_args(argv)
    factory = CLIFactory(project_dir=str(PROJECT), environ=os.environ)
    config = factory.create_config_obj(chalice_stage_name=args.stage)
    app = config.chalice_app
    validate_routes(app.routes)  # as `chalice local` does
    # As chalice.local.create_local_server, with the handler that knows `$default`.
    local.CustomLocalChalice.__bases__ = (local.LocalChalice, app.__class__)
    app.__class__ = local.CustomLocalChalice
    server = local.LocalDevServer(
        app, config, args.host, args.port, handler_cls=DefaultRouteHandler
    )
    # `chalice local` logs to stdout, as Lambda does.
    logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(message)s")
    server.serve_forever()


if __name__ == "__main__":
    main()
