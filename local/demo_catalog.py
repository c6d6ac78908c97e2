"""What the demo tenants sell, created through the public API by `make dev`.

Offerings name resources by a local alias (`"@double"`), replaced by the id the API gave.
"""

from __future__ import annotations

from typing import Any

import requests

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
REFUND_TIERS = [
    {"hours_before": 0, "refund_bp": 0},
    {"hours_before": 24, "refund_bp": 5000},
    {"hours_before": 72, "refund_bp": 10000},
]

HOTEL: dict[str, Any] = {
    "resources": {
        "double": {
            "name": "Double room",
            "kind": "nightly",
            "capacity": 8,
            "tags": ["room"],
            "rooms": ["101", "102", "103", "104", "201", "202", "203", "204"],
        },
        "suite": {
            "name": "Family suite",
            "kind": "nightly",
            "capacity": 2,
            "tags": ["room"],
            "rooms": ["301", "302"],
        },
        # Enough rooms for a 20-room group (a wedding, a conference) and the walk-ins beside it.
        "twin": {
            "name": "Twin room, garden wing",
            "kind": "nightly",
            "capacity": 24,
            "tags": ["room"],
            "rooms": [str(n) for n in range(401, 425)],
        },
    },
    "offerings": [
        {
            "name": "Double room, breakfast included",
            "kind": "nightly",
            "requirements": [{"resource_id": "@double"}],
            "pricing": {
                "amount": 11900,
                "basis": "night",
                "weekdays": {"fri": {"percent_bp": 2000}, "sat": {"percent_bp": 2000}},
                "seasons": [
                    {
                        "from": "2026-12-20",
                        "to": "2027-01-02",
                        "percent_bp": 3000,
                        "name": "Christmas",
                    }
                ],
                "tax_bp": 700,
                "tax_inclusive": True,
            },
            "party_max": 2,
            "deposit": {"kind": "percent", "value": 2000},
            "cancellation": REFUND_TIERS,
        },
        {
            "name": "Twin room, garden wing",
            "kind": "nightly",
            "requirements": [{"resource_id": "@twin"}],
            "pricing": {"amount": 9900, "basis": "night", "tax_bp": 700},
            "party_max": 2,
            "cancellation": REFUND_TIERS,
        },
        {
            "name": "Family suite",
            "kind": "nightly",
            "requirements": [{"resource_id": "@suite"}],
            "pricing": {"amount": 21900, "basis": "night", "tax_bp": 700},
            "party_max": 5,
            "cancellation": REFUND_TIERS,
        },
    ],
}

SALON_HOURS = {d: [["09:00", "18:00"]] for d in WEEK[:6]}
SALON: dict[str, Any] = {
    "resources": {
        "alex": {
            "name": "Alex Rivera",
            "kind": "timed",
            "capacity": 1,
            "skills": ["cut", "colour"],
            "hours": SALON_HOURS,
        },
        "sam": {
            "name": "Sam Chen",
            "kind": "timed",
            "capacity": 1,
            "skills": ["cut"],
            "hours": SALON_HOURS,
        },
        "jordan": {
            "name": "Jordan Lee",
            "kind": "timed",
            "capacity": 1,
            "skills": ["cut", "colour"],
            "hours": {d: [["12:00", "20:00"]] for d in WEEK[1:6]},
        },
        "basin": {
            "name": "Colour basin",
            "kind": "timed",
            "capacity": 1,
            "tags": ["basin"],
            "hours": {d: [["09:00", "20:00"]] for d in WEEK[:6]},
        },
    },
    "offerings": [
        {
            "name": "Haircut",
            "kind": "timed",
            "requirements": [{"skill": "cut"}],
            "pricing": {"amount": 4500, "basis": "booking", "tax_bp": 888, "tax_inclusive": False},
            "duration_minutes": 45,
            "buffer_after": 15,
            "min_notice_minutes": 60,
            "party_max": 1,
        },
        {
            "name": "Colour and cut",
            "kind": "timed",
            "requirements": [{"skill": "colour"}, {"tag": "basin"}],
            "pricing": {"amount": 12000, "basis": "booking", "tax_bp": 888, "tax_inclusive": False},
            "duration_minutes": 120,
            "buffer_after": 15,
            "party_max": 1,
            "deposit": {"kind": "fixed", "value": 3000},
        },
    ],
}

TOURS: dict[str, Any] = {
    "resources": {
        "mutianyu": {
            "name": "Mutianyu departure",
            "kind": "session",
            "capacity": 30,
            "session_times": {d: ["07:30"] for d in WEEK},
            "session_minutes": 600,
        },
        "guide_li": {
            "name": "Guide Zhang Min",
            "kind": "timed",
            "capacity": 1,
            "skills": ["guide"],
            "hours": {d: [["06:00", "20:00"]] for d in WEEK},
            # Booked by the day's tour, not by the quarter: an hourly grid keeps a tour's slots
            # (and a move's, old and new together) well inside one transaction's 100 items.
            "slot_minutes": 60,
        },
        "van": {
            "name": "Van 京A·12345",
            "kind": "timed",
            "capacity": 1,
            "tags": ["van"],
            "hours": {d: [["06:00", "20:00"]] for d in WEEK},
            "slot_minutes": 60,
        },
        "private": {
            "name": "Private departure",
            "kind": "session",
            "capacity": 6,
            "session_times": {d: ["08:00"] for d in WEEK},
            "session_minutes": 540,
        },
    },
    "offerings": [
        {
            "name": "Mutianyu Great Wall day tour",
            "kind": "session",
            "requirements": [{"resource_id": "@mutianyu", "per": "person"}],
            "pricing": {"amount": 38000, "basis": "person"},
            "party_max": 10,
            "deposit": {"kind": "percent", "value": 3000},
            "cancellation": REFUND_TIERS,
            # Optional, so every flow books it without them; the widget and the manifest show them,
            # each in the widget's (or console's) language: `label` is the business's own words.
            "questions": [
                {
                    "id": "pickup",
                    "label": "上车地点",
                    "labels": {"en": "Pickup point", "zh": "上车地点"},
                    "kind": "choice",
                    "choices": ["东直门 Dongzhimen", "酒店大堂（市中心）Hotel lobby (city centre)"],
                },
                {
                    "id": "passport_name",
                    "label": "护照姓名",
                    "labels": {"en": "Name as in the passport", "zh": "护照姓名"},
                    "kind": "text",
                    "per": "person",
                },
                {
                    "id": "diet",
                    "label": "饮食要求",
                    "labels": {"en": "Any dietary needs?", "zh": "饮食要求"},
                    "kind": "text",
                    "per": "person",
                },
            ],
        },
        {
            "name": "Private tour with guide and van",
            "kind": "session",
            "requirements": [
                {"resource_id": "@private", "per": "person"},
                {"skill": "guide"},
                {"tag": "van"},
            ],
            "pricing": {"amount": 250000, "basis": "booking"},
            "party_max": 6,
            "cancellation": REFUND_TIERS,
        },
    ],
}

# What the desk charges besides the booking (POST /v1/price-list): a price 0 is said when charged.
HOTEL["price_list"] = [
    {"name": "Minibar: sparkling water", "unit_amount": 450, "tax_rate_bp": 1900},
    {"name": "Minibar: chocolate", "unit_amount": 350, "tax_rate_bp": 700},
    {"name": "Late check-out", "category": "service", "unit_amount": 3000, "tax_rate_bp": 700},
    {"name": "Parking, per night", "category": "service", "unit_amount": 1500, "tax_rate_bp": 1900},
]
SALON["price_list"] = [
    {"name": "Shampoo, 250 ml", "unit_amount": 1800, "tax_rate_bp": 888, "tax_inclusive": False},
    {"name": "Styling wax", "unit_amount": 1400, "tax_rate_bp": 888, "tax_inclusive": False},
    {"name": "Tip", "category": "tip", "unit_amount": 0, "tax_rate_bp": 0},
]

CATALOGS: dict[str, dict[str, Any]] = {
    "harbour-view": HOTEL,
    "shear-studio": SALON,
    "great-wall-tours": TOURS,
}


def _resolve(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return ids[value[1:]]
    if isinstance(value, list):
        return [_resolve(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _resolve(v, ids) for k, v in value.items()}
    return value


def seed_catalog(http: requests.Session, api: str, auth: dict[str, str], slug: str) -> list[str]:
    """Create the demo resources, offerings and price list; the offering ids, for the banner."""
    catalog = CATALOGS.get(slug)
    if catalog is None:
        return []
    ids: dict[str, str] = {}
    for alias, body in catalog["resources"].items():
        response = http.post(f"{api}/v1/resources", json=body, headers=auth, timeout=30)
        if response.status_code != 201:
            raise RuntimeError(f"resource {alias}: HTTP {response.status_code}: {response.text}")
        ids[alias] = response.json()["id"]
    offerings = []
    for body in catalog["offerings"]:
        response = http.post(
            f"{api}/v1/offerings", json=_resolve(body, ids), headers=auth, timeout=30
        )
        if response.status_code != 201:
            raise RuntimeError(
                f"offering {body['name']}: HTTP {response.status_code}: {response.text}"
            )
        offerings.append(f"{response.json()['id']} {body['name']}")
    for body in catalog.get("price_list", []):
        response = http.post(f"{api}/v1/price-list", json=body, headers=auth, timeout=30)
        if response.status_code != 201:
            raise RuntimeError(
                f"price {body['name']}: HTTP {response.status_code}: {response.text}"
            )
    return offerings
