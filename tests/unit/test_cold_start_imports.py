"""A cold Lambda container pays only for what its first request needs.

`import app` must not load the AWS SDK, pydantic or any request/response models: each is
imported by the code that uses it, on first use. Checked in a fresh interpreter, since this
test process has imported everything long ago.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HEAVY = (
    "pydantic",
    "pydantic_core",
    "boto3",
    "pynamodb",
    "jwt",
    "cryptography",
    "stripe",
    "jinja2",
    "icalendar",
    "phonenumbers",
)


def _modules_after(code: str) -> list[str]:
    """The module names loaded by `code` in a fresh interpreter at the repository root."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _api_models(module: str) -> bool:
    """The request and response models: the `models` modules of a capability's api package
    and the shared ones of chalicelib.web."""
    api = ".api." in module or module.startswith("chalicelib.web.")
    return module.startswith("chalicelib.") and api and "models" in module


def test_importing_the_app_loads_no_sdk_no_pydantic_and_no_models():
    loaded = _modules_after("import app")

    assert "app" in loaded
    assert [m for m in loaded if m.split(".")[0] in HEAVY] == []
    # Powertools imports the bare `botocore` package (its __init__, well under 1 ms) to
    # hook its user agent; none of botocore's own machinery may follow.
    assert [m for m in loaded if m.startswith("botocore.")] == []
    assert [m for m in loaded if _api_models(m)] == []


def test_a_request_loads_only_the_models_of_its_route():
    loaded = _modules_after(
        "from chalice.test import Client\n"
        "import app\n"
        "with Client(app.app) as client:\n"
        "    assert client.http.get('/v1/health').status_code == 200"
    )

    assert "pydantic" in loaded
    assert [m for m in loaded if _api_models(m)] == ["chalicelib.web.models"]
    assert "boto3" not in loaded


def test_every_model_a_route_names_exists():
    from pydantic import BaseModel

    import app  # noqa: F401  (registers every route)
    from chalicelib.web.route_spec import REGISTRY

    assert REGISTRY
    for spec in REGISTRY:
        for model in (spec.body, spec.query, spec.response):
            assert model is None or issubclass(model, BaseModel), (spec.method, spec.path)
