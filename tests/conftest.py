"""Shared test set-up: tier markers by folder, and the local stack as lazy session fixtures.

Tiers: tests/unit -> `unit` (no I/O), tests/integration -> `integration` (DynamoDB Local and
moto server), tests/api -> `api` (chalice.test.Client), tests/e2e -> `e2e` (HTTP, browser).
So `pytest -m unit` runs the fast tier alone.

The servers start only when a test asks for them (none is autouse), once per session (per
xdist worker), on free ports at 127.0.0.1, and are stopped by pid at the end.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import settings

from local.dynamodb_local import DynamoDBLocal
from local.emulators import EmulatorError, LocalStripe, ManagedServer, MotoServer, free_port
from local.resources import FAKE_CREDENTIALS, REGION, Stack, build_stack
from tests.botocore_models import share_botocore_models

# Hypothesis's per-example deadline (200 ms) is a timing assertion: on a loaded 2-core machine
# a first call that loads a time zone can take longer and fail a correct property. Off.
settings.register_profile("reservoir", deadline=None)
settings.load_profile("reservoir")

TESTS_DIR = Path(__file__).resolve().parent
TIERS = ("unit", "integration", "api", "e2e", "browser")
# Fixtures that start a server; unit tests must not use them.
SERVER_FIXTURES = frozenset(
    {"dynamodb_local", "moto", "moto_server", "stack", "stack_env", "localstripe", "stripe_api"}
)

Server = TypeVar("Server", bound=ManagedServer)


def pytest_configure(config: pytest.Config) -> None:
    # Whatever the shell holds, no test may ever reach a real AWS account: fake keys, fixed region.
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        os.environ.pop(name, None)
    os.environ["AWS_ACCESS_KEY_ID"] = FAKE_CREDENTIALS["aws_access_key_id"]
    os.environ["AWS_SECRET_ACCESS_KEY"] = FAKE_CREDENTIALS["aws_secret_access_key"]
    os.environ["AWS_DEFAULT_REGION"] = REGION
    share_botocore_models()
    # The operation-coverage gate (tests/api/operation_coverage.py) records API-tier requests;
    # registered here so that an xdist controller, which loads no tests/api/conftest.py, has it.
    from tests.api.operation_coverage import NAME, OperationCoverage

    if not config.pluginmanager.has_plugin(NAME):
        config.pluginmanager.register(OperationCoverage(), NAME)


def _tier(item: pytest.Item) -> str | None:
    try:
        first = Path(item.path).resolve().relative_to(TESTS_DIR).parts[0]
    except (ValueError, IndexError):
        return None
    return first if first in TIERS else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        tier = _tier(item)
        if tier is None:
            continue
        item.add_marker(getattr(pytest.mark, tier))
        servers = SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if tier == "unit" and servers:
            raise pytest.UsageError(
                f"{item.nodeid} is a unit test but uses {sorted(servers)}: "
                "unit tests do no I/O; move it to tests/integration."
            )


def reset_app_state() -> None:
    """Forget everything the app cached from the environment (settings, adapters)."""
    from chalicelib.settings import get_settings

    get_settings.cache_clear()
    try:
        bootstrap = importlib.import_module("chalicelib.bootstrap")
    except ModuleNotFoundError as exc:
        if exc.name != "chalicelib.bootstrap":
            raise
        return
    # `use(None)` drops the process's adapter container; it is rebuilt from the environment.
    bootstrap.use(None)


def _start(factory: Callable[[int], Server], attempts: int = 3) -> Server:
    """Start a server on a free port, trying another port if one was taken in between."""
    for attempt in range(1, attempts + 1):
        server = factory(free_port())
        try:
            return server.start()
        except EmulatorError:
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def dynamodb_local() -> Iterator[DynamoDBLocal]:
    """DynamoDB Local, in memory, for the whole session; `.endpoint` is its address."""
    server = _start(DynamoDBLocal)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def moto() -> Iterator[MotoServer]:
    """moto server in its own process (see MotoServer for why not in-process)."""
    server = _start(MotoServer)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def moto_server(moto: MotoServer) -> str:
    """moto server's endpoint, http://127.0.0.1:PORT."""
    return moto.endpoint


@pytest.fixture(scope="session")
def stack(dynamodb_local: DynamoDBLocal, moto_server: str) -> Stack:
    """The platform table, queues, user pool and role on the emulators, and their environment
    (a hold's "held" message after a second, not a minute: tests wait for it)."""
    built = build_stack(dynamodb_local.endpoint, moto_server)
    built.env["RESERVOIR_HELD_NOTICE_SECONDS"] = "1"
    return built


@pytest.fixture
def stack_env(stack: Stack) -> Iterator[Stack]:
    """The stack's RESERVOIR_* environment applied for one test, with app caches cleared."""
    with stack_environment_applied(stack):
        yield stack


@contextmanager
def stack_environment_applied(stack: Stack) -> Iterator[None]:
    """The stack's environment set and the app's caches cleared inside, both undone after."""
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in stack.env.items():
                patch.setenv(name, value)
            reset_app_state()
            yield
    finally:
        reset_app_state()


@pytest.fixture(scope="session")
def localstripe() -> Iterator[LocalStripe]:
    """localstripe from its own virtualenv (`make localstripe`), a separate server."""
    server = _start(LocalStripe)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def stripe_api(localstripe: LocalStripe) -> Iterator[object]:
    """Stripe's API as the tests reach it: the Connect fake (local/stripe_connect.py)
    answering accounts and account links, in front of localstripe for everything else."""
    from local.stripe_connect import StripeConnect

    fake = StripeConnect(localstripe.endpoint).start()
    try:
        yield fake
    finally:
        fake.stop()
