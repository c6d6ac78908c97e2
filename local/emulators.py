"""The local servers (moto server, chalice local, localstripe; DynamoDB Local in
local/dynamodb_local.py) as managed child processes.

Used by `make dev` (local/dev.py) and by the test fixtures (tests/conftest.py). Every server is
reached at 127.0.0.1 only, and is stopped by whoever started it, by its process id.

Each child runs in its own session (so its own process group): a Ctrl-C in the terminal reaches
only our process, which then stops the children in order instead of racing them. On Linux the
children also get a parent-death signal, so a crashed or SIGKILLed parent leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = REPO_ROOT / ".venv" / "bin"
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port that was free a moment ago on 127.0.0.1 (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def venv_executable(name: str) -> str:
    """A console script of the project's virtualenv, or of the running interpreter's."""
    for folder in (VENV_BIN, Path(sys.executable).parent):
        candidate = folder / name
        if candidate.exists():
            return str(candidate)
    raise FileNotFoundError(f"{name} not found in {VENV_BIN}: run `make venv`")


def _die_with_parent() -> None:
    """preexec_fn: new session, and SIGTERM when the parent dies (Linux prctl PR_SET_PDEATHSIG).

    PR_SET_PDEATHSIG fires when the *thread* that forked exits, so start servers from a thread
    that outlives them (the main thread, in dev.py and in pytest fixtures).
    """
    os.setsid()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # 1 == PR_SET_PDEATHSIG


class EmulatorError(RuntimeError):
    """A local server failed to start or to stop."""


class ManagedServer:
    """A child process serving HTTP on 127.0.0.1:port; subclasses say how to run and probe it."""

    name = "server"
    start_timeout = 30.0
    stop_grace = 5.0

    def __init__(self, port: int, *, echo: bool = False) -> None:
        self.port = port
        # echo: the server prints to our terminal (make dev) instead of a private log file.
        self.echo = echo
        self._process: subprocess.Popen[bytes] | None = None
        self._log: tempfile._TemporaryFileWrapper[bytes] | None = None

    # What subclasses provide.
    def command(self) -> list[str]:
        raise NotImplementedError

    def cwd(self) -> Path:
        return REPO_ROOT

    def environment(self) -> dict[str, str]:
        return dict(os.environ)

    def is_ready(self) -> bool:
        """True once the server answers HTTP (any status) on its port."""
        return http_answers(self.endpoint + "/")

    # The shared life cycle.
    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> Self:
        if self._process is not None:
            raise EmulatorError(f"{self.name} already started (pid {self.pid})")
        if port_in_use(self.port):
            # Otherwise the readiness probe could be answered by whatever holds the port (say a
            # server left over from an earlier run) while ours fails to bind and exits.
            raise EmulatorError(f"{self.name}: port {self.port} on {HOST} is already in use")
        # Output goes to a file, not a pipe: nobody reads a pipe while the server runs, and a
        # full pipe buffer would block the server. The file is shown if the server dies.
        if not self.echo:
            self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - lives as long as the server
                prefix=f"reservoir-{self.name}-", suffix=".log"
            )
        self._process = subprocess.Popen(
            self.command(),
            cwd=self.cwd(),
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,  # None when echoing: the child shares our stdout
            stderr=subprocess.STDOUT if self._log else None,
            preexec_fn=_die_with_parent,  # only setsid and prctl: safe between fork and exec
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if not self.running:
                code = self._process.returncode if self._process else None
                raise EmulatorError(
                    f"{self.name} exited with code {code} while starting on port {self.port}.\n"
                    f"command: {' '.join(self.command())}\n{self.output()}"
                )
            if self.is_ready():
                return
            time.sleep(0.1)
        raise EmulatorError(
            f"{self.name} did not answer on {self.endpoint} within {self.start_timeout:.0f} s.\n"
            f"{self.output()}"
        )

    def output(self, limit: int = 4000) -> str:
        """The last `limit` characters the server printed."""
        if self._log is None:
            return "(output above)" if self.echo else ""
        with open(self._log.name, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
        return text[-limit:]

    def stop(self) -> None:
        """SIGTERM the server's process group, SIGKILL after a grace period, and reap it."""
        process, self._process = self._process, None
        if process is not None:
            # The group id is the child's pid (setsid in _die_with_parent): this reaches the
            # server and anything it spawned, and nothing else.
            _signal_group(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=self.stop_grace)
            except subprocess.TimeoutExpired:
                _signal_group(process.pid, signal.SIGKILL)
                process.wait(timeout=self.stop_grace)
            # The leader is reaped; make sure no helper it forked outlives it.
            _signal_group(process.pid, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.endpoint} pid={self.pid}>"


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def port_in_use(port: int) -> bool:
    """True if something accepts TCP connections on 127.0.0.1:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


# Loopback never goes through an HTTP proxy, whatever HTTP_PROXY says.
_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_answers(url: str, timeout: float = 1.0) -> bool:
    """True if anything answers HTTP at `url`, whatever the status."""
    try:
        with _NO_PROXY_OPENER.open(url, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


class MotoServer(ManagedServer):
    """moto in server mode (SQS, S3, SES, SNS, STS, IAM, Cognito) as its own process.

    A separate process rather than moto's in-process ThreadedMotoServer: unit tests that use
    `mock_aws` in the same pytest process reset moto's global backends, which would wipe the
    queues and user pools of an in-process server under the integration tests' feet.
    """

    name = "moto-server"

    def command(self) -> list[str]:
        # moto's own server, through local/moto_server.py (one fix to its SQS: see there).
        launcher = str(Path(__file__).resolve().parent / "moto_server.py")
        return [venv_executable("python"), launcher, "-H", HOST, "-p", str(self.port)]

    def is_ready(self) -> bool:
        return http_answers(self.endpoint + "/moto-api/")

    def reset(self) -> None:
        """Forget every resource moto holds (queues, pools, buckets...)."""
        request = urllib.request.Request(self.endpoint + "/moto-api/reset", method="POST")
        with _NO_PROXY_OPENER.open(request, timeout=10):
            pass


class ChaliceLocal(ManagedServer):
    """`chalice local` serving the app's HTTP routes (no queues or schedules: see worker_loop)."""

    name = "chalice-local"
    start_timeout = 60.0

    def __init__(
        self, port: int, env: Mapping[str, str], stage: str = "local", *, echo: bool = False
    ) -> None:
        super().__init__(port, echo=echo)
        self.env = dict(env)
        self.stage = stage

    def command(self) -> list[str]:
        # `chalice local --no-autoreload`, with API Gateway's `$default` route (local/gateway.py).
        return [
            sys.executable,
            "-m",
            "local.chalice_local",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--stage",
            self.stage,
        ]

    def environment(self) -> dict[str, str]:
        return {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}

    def is_ready(self) -> bool:
        return http_answers(self.endpoint + "/v1/health")


LOCALSTRIPE_VENV = REPO_ROOT / ".venv-localstripe"
# localstripe 1.15 pickles its state to this fixed path on every write (not to $TMPDIR) and
# loads it at start unless --from-scratch: we always start from scratch and remove it on stop.
LOCALSTRIPE_STATE = Path("/tmp/localstripe.pickle")


class LocalStripe(ManagedServer):
    """localstripe (GPL-3.0+), run from its own virtualenv as a separate server: the project
    never imports it. It has no host option and listens on every interface; clients use
    127.0.0.1 only. `make localstripe` installs it."""

    name = "localstripe"

    def __init__(self, port: int, *, echo: bool = False) -> None:
        super().__init__(port, echo=echo)
        self._tmp = tempfile.TemporaryDirectory(prefix="reservoir-localstripe-")

    def command(self) -> list[str]:
        executable = LOCALSTRIPE_VENV / "bin" / "localstripe"
        if not executable.exists():
            raise EmulatorError(f"{executable} not found: run `make localstripe`")
        return [str(executable), "--port", str(self.port), "--from-scratch"]

    def environment(self) -> dict[str, str]:
        return {**os.environ, "TMPDIR": self._tmp.name, "PYTHONUNBUFFERED": "1"}

    def is_ready(self) -> bool:
        request = urllib.request.Request(
            self.endpoint + "/v1/customers?limit=1",
            headers={"Authorization": "Bearer sk_test_local_not_a_real_key"},
        )
        try:
            with _NO_PROXY_OPENER.open(request, timeout=1.0) as response:
                return response.status == 200
        except (OSError, ValueError):
            return False

    def configure_webhook(self, webhook_id: str, url: str, secret: str) -> None:
        """Have localstripe deliver its (signed) events to `url`."""
        import urllib.parse

        data = urllib.parse.urlencode({"url": url, "secret": secret}).encode()
        request = urllib.request.Request(
            f"{self.endpoint}/_config/webhooks/{webhook_id}", data=data, method="POST"
        )
        with _NO_PROXY_OPENER.open(request, timeout=10):
            pass

    def stop(self) -> None:
        super().stop()
        with contextlib.suppress(OSError):
            LOCALSTRIPE_STATE.unlink()
        self._tmp.cleanup()
