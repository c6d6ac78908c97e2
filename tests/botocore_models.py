"""One botocore data loader per test process, shared by every botocore session in it.

Each test that touches the real adapters builds a new app container (its settings come from
the test's environment), and with it a new boto3 session; PynamoDB's connections and the
tests' own clients make more. Every new session loaded botocore's JSON again (the endpoints,
the partitions, each service's model and rules: about 40 ms a file): in a profile of 12
integration tests, 126 clients took 12 of the 57 seconds, 7.7 of them parsing JSON. The
loader caches what it has parsed and hands the same objects to each session, as it does
within one session; sharing it changes nothing else (credentials, regions and endpoints stay
per session and per client).
"""

from __future__ import annotations

from typing import Any


class _SearchPaths(list[str]):
    """boto3 appends its own data folder to the loader's paths for each session it makes:
    once is enough."""

    def append(self, path: str) -> None:
        if path not in self:
            super().append(path)


def share_botocore_models() -> None:
    import botocore.loaders
    import botocore.session

    if getattr(botocore.session.create_loader, "shared", False):
        return
    make = botocore.loaders.create_loader
    loaders: dict[str | None, Any] = {}

    def shared_loader(search_path_string: str | None = None) -> Any:
        if search_path_string not in loaders:
            loader = make(search_path_string)
            loader._search_paths = _SearchPaths(loader.search_paths)  # noqa: SLF001
            loaders[search_path_string] = loader
        return loaders[search_path_string]

    shared_loader.shared = True  # type: ignore[attr-defined]
    botocore.session.create_loader = shared_loader  # type: ignore[assignment]
