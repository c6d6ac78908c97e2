"""A brute-force reading of the order search's rules (README "Finding orders"), shared by
the API tier (fakes) and the integration tier (DynamoDB Local): every order read one by one,
filtered and sorted here, against the pages `GET /v1/orders` answers."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Europe/Berlin")
# names with accents, in another script, and one that differs only in case; some phones
PEOPLE = [
    ("Élodie Durand", "elodie@example.com", "+33612345678"),
    ("elodie martin", "martin@example.com", None),
    ("Ada Lovelace", "ada@example.com", "+447700900123"),
    ("Ådne Berg", "adne@example.com", "+4791234567"),
    ("王小明", "wang@example.com", "+8613800138000"),
    ("Bob Stone", "bob@example.com", None),
]


def fold(text: str) -> str:
    bare = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return " ".join("".join(c for c in bare if not unicodedata.combining(c)).split())


def start_of(o: dict) -> str:
    return min(line["start_utc"] for line in o["lines"])


def start_day(o: dict) -> str:
    return min(o["lines"], key=lambda line: line["start_utc"])["date"]


def made_day(o: dict) -> str:
    at = datetime.strptime(o["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=ZoneInfo("UTC"))
    return at.astimezone(TZ).date().isoformat()


def brute(orders: list[dict], today: str, **f: str) -> list[str]:
    """The answer, from every order, by this module's own reading of the rules."""
    if "date" in f:
        f = {**f, "from": f["date"], "to": f["date"]}

    given = f.get("from") or f.get("to")
    first = f.get("from") or (
        (date.fromisoformat(f["to"]) - timedelta(days=30)).isoformat() if f.get("to") else today
    )
    last = f.get("to") or (date.fromisoformat(first) + timedelta(days=30)).isoformat()

    def resource_start(o: dict) -> str | None:
        """With `resource`: the first of the order's lines on it (in the dates, if given)."""
        starts = [
            ln["start_utc"]
            for ln in o["lines"]
            if any(s["resource_id"] == f["resource"] for s in ln["resources"])
            and (not given or first <= ln["date"] <= last)
        ]
        return min(starts, default=None)

    def keep(o: dict) -> bool:
        c = o["customer"]
        checks = [
            "reference" not in f or o["id"] == f["reference"],
            "email" not in f or c["email"].lower() == f["email"].lower(),
            "phone" not in f or c.get("phone") == f["phone"],
            "name" not in f or fold(c["name"]).startswith(fold(f["name"])),
            "resource" not in f or resource_start(o) is not None,
            "offering" not in f or any(ln["offering_id"] == f["offering"] for ln in o["lines"]),
            "status" not in f or o["status"] in f["status"].split(","),
            "payment_status" not in f or o["payment_status"] in f["payment_status"].split(","),
            "channel" not in f or o["channel"] in f["channel"].split(","),
            "created_from" not in f or made_day(o) >= f["created_from"],
            "created_to" not in f or made_day(o) <= f["created_to"],
        ]
        drivers = {"reference", "email", "phone", "resource", "name", "created_from", "created_to"}
        if "resource" not in f and (given or not drivers & set(f)):
            checks.append(first <= start_day(o) <= last)
        return all(checks)

    kept = [o for o in orders if keep(o)]
    if "resource" in f and not {"reference", "email", "phone"} & set(f):
        kept.sort(key=lambda o: (resource_start(o), o["id"]))
    elif "name" in f and not {"reference", "email", "phone", "resource"} & set(f):
        kept.sort(key=lambda o: (fold(o["customer"]["name"]), o["id"]))
    elif ("created_from" in f or "created_to" in f) and not {
        "reference",
        "email",
        "phone",
        "resource",
    } & set(f):
        kept.sort(key=lambda o: (o["created_at"], o["id"]))
    else:
        kept.sort(key=lambda o: (start_of(o), o["id"]))
    if f.get("order") == "desc":
        kept.reverse()
    return [o["id"] for o in kept]


def walk(api: Any, shop: dict, query: dict[str, str], limit: int = 3) -> list[str]:
    """Every page of a search, following next_cursor; no order twice."""
    found: list[str] = []
    cursor = None
    for _ in range(200):
        params = {**query, "limit": str(limit), **({"cursor": cursor} if cursor else {})}
        text = urlencode(params)
        r = api.call("GET", f"/v1/orders?{text}", auth=shop["secret_key"])
        assert r.status_code == 200, (query, r.body)
        assert len(r.data["data"]) <= limit
        found += [o["id"] for o in r.data["data"]]
        cursor = r.data["next_cursor"]
        if cursor is None:
            assert len(found) == len(set(found)), query
            return found
    raise AssertionError(f"no end to {query}")
