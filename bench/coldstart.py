"""Cold start and memory: what a Lambda container pays before and while serving.

Prints the median time to `import app` in a fresh process (10 runs) next to a bare
`import boto3`, two ways: with bytecode, as the Lambda package ships it (infra/stacks/bytecode.py
compiles every module into it), and compiling every module, as a process that may write no
`.pyc` does (this machine sets PYTHONDONTWRITEBYTECODE=1). Then the peak memory (max RSS) of
one process that imports `app` and serves 1,000 requests in-process through chalice.test.Client
against the local stack (DynamoDB Local and moto server, started here and stopped at the end).
Ends with one JSON line.

    .venv/bin/python -m bench.coldstart [--runs 10] [--requests 1000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SERVE = r"""
import json, os, resource, sys, time
from chalice.test import Client
import app as application

def call(client, method, path, key=None, body=None):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = "Bearer " + key
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["body"] = json.dumps(body)
    return getattr(client.http, method)(path, **kwargs)

n = int(sys.argv[1])
with Client(application.app) as client:
    signup = json.loads(call(client, "post", "/v1/signup", body={
        "business_name": "Bench Hotel", "slug": "bench-" + os.urandom(4).hex(),
        "owner_email": "owner-" + os.urandom(4).hex() + "@bench.example",
        "timezone": "Europe/Berlin", "currency": "EUR", "locale": "en",
        "business_type": "hotel"}).body)
    from chalicelib import bootstrap
    from chalicelib.tenancy.services.provisioning import provision_tenant
    c = bootstrap.container()
    provision_tenant(signup["tenant_id"], owner_name="Owner", platform=c.platform,
                     tables=c.tables, directory=c.directory, data_factory=c.tenant_data,
                     now=c.now, stage="bench")
    sk, pk = signup["secret_key"], signup["publishable_key"]
    mix = [("get", "/v1/tenant", sk, None), ("get", "/v1/keys", sk, None),
           ("get", "/v1/public/tenant", pk, None), ("get", "/v1/staff", sk, None),
           ("get", "/v1/audit", sk, None), ("get", "/v1/keys", pk, None),
           ("post", "/v1/signup", None, {"slug": "x"}), ("get", "/v1/openapi.json", None, None)]
    statuses = {}
    started = time.perf_counter()
    for i in range(n):
        method, path, key, body = mix[i % len(mix)]
        status = call(client, method, path, key, body).status_code
        statuses[status] = statuses.get(status, 0) + 1
    elapsed = time.perf_counter() - started
print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "seconds": elapsed, "statuses": statuses}))
"""


def import_ms(statement: str, env: dict[str, str]) -> float:
    code = f"import time; t=time.perf_counter(); {statement}; print((time.perf_counter()-t)*1000)"
    out = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip().splitlines()[-1])


def median_import(statement: str, runs: int, env: dict[str, str]) -> float:
    import_ms(statement, env)  # warm the file system cache (and write the .pyc files, if any)
    return statistics.median(import_ms(statement, env) for _ in range(runs))


def with_bytecode(env: dict[str, str], cache: str) -> dict[str, str]:
    """Bytecode for every module, ours and the dependencies', kept out of the tree."""
    kept = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**kept, "PYTHONPYCACHEPREFIX": cache}


def without_bytecode(env: dict[str, str], cache: str) -> dict[str, str]:
    """Every module compiled on each import: an empty bytecode cache nothing may write to."""
    return {**env, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": cache}


def serve(requests: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from local.dynamodb_local import DynamoDBLocal
    from local.emulators import MotoServer, free_port
    from local.resources import build_stack

    with DynamoDBLocal(free_port()) as ddb, MotoServer(free_port()) as moto:
        stack = build_stack(ddb.endpoint, moto.endpoint, stage="bench")
        env = {**os.environ, **stack.env}
        out = subprocess.run(
            [PYTHON, "-c", SERVE, str(requests)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    env = {**os.environ, "POWERTOOLS_METRICS_NAMESPACE": "Reservoir"}

    with tempfile.TemporaryDirectory(prefix="coldstart-pyc-") as cache:
        compiled = with_bytecode(env, f"{cache}/compiled")
        compiling = without_bytecode(env, f"{cache}/empty")
        boto3_ms = median_import("import boto3", args.runs, compiled)
        app_ms = median_import("import app", args.runs, compiled)
        boto3_source_ms = median_import("import boto3", args.runs, compiling)
        app_source_ms = median_import("import app", args.runs, compiling)
    served = serve(args.requests)
    result = {
        "bench": "coldstart",
        "runs": args.runs,
        "import_boto3_ms": round(boto3_ms, 1),
        "import_app_ms": round(app_ms, 1),
        "ratio_app_to_boto3": round(app_ms / boto3_ms, 2),
        "import_boto3_no_bytecode_ms": round(boto3_source_ms, 1),
        "import_app_no_bytecode_ms": round(app_source_ms, 1),
        "requests": args.requests,
        "peak_rss_mb": round(float(served["peak_rss_mb"]), 1),
        "serve_seconds": round(float(served["seconds"]), 2),
        "statuses": served["statuses"],
    }
    print(f"median of {args.runs} fresh processes, with bytecode (as the Lambda package):")
    print(f"  import boto3  {result['import_boto3_ms']} ms")
    print(
        f"  import app    {result['import_app_ms']} ms "
        f"({result['ratio_app_to_boto3']}x boto3; goal <= 1.5x)"
    )
    print(f"median of {args.runs} fresh processes, compiling every module (no bytecode):")
    print(f"  import boto3  {result['import_boto3_no_bytecode_ms']} ms")
    print(f"  import app    {result['import_app_no_bytecode_ms']} ms")
    print(
        f"peak RSS after {args.requests} requests: {result['peak_rss_mb']} MB "
        f"(goal < 160 MB) in {result['serve_seconds']} s; statuses {result['statuses']}"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
