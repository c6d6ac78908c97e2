"""The console's list of countries that may get text messages (web/console/integrations_api.ts
`countries`, run in node after esbuild compiles it) offers only codes the API takes, each
country once: an outside tester was offered "Germany (DD)", which the API refused, and saw
the United Kingdom, Serbia, Congo and others twice under old codes."""

from __future__ import annotations

from pathlib import Path

from chalicelib.tenancy.services.phones import validate_sms_countries
from tests.node_ts import NEEDS_NODE, run_ts

pytestmark = NEEDS_NODE


def test_the_console_offers_current_codes_the_api_takes_each_country_once(tmp_path: Path):
    got = run_ts(
        tmp_path,
        "web/console/integrations_api.ts",
        "api",
        {"en": 'api.countries("en")', "zh": 'api.countries("zh-Hans")'},
    )
    for listed in (got["en"], got["zh"]):
        codes = [code for code, _ in listed]
        assert not {"DD", "UK", "YU", "ZR", "SU", "FX", "AN", "CS"} & set(codes)
        assert {"DE", "GB", "RS", "CD", "CN", "US"} <= set(codes)
        assert len(codes) == len(set(codes))
        assert len({name for _, name in listed}) == len(listed)  # each country once
        refused = [code for code in codes if not _taken(code)]
        assert refused == []


def _taken(code: str) -> bool:
    try:
        validate_sms_countries([code])
    except Exception:  # noqa: BLE001 - the API's refusal, whatever its class
        return False
    return True
