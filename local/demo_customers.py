"""A returning customer of the demo salon: two haircuts booked under one e-mail and phone,
the first checked in, so the console's Customers page has someone to find by phone with a
history (the customers' figures come from the events, through the worker loop)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import requests

RETURNING_AT = "shear-studio"
RETURNING = {"name": "Rosa Returning", "email": "rosa@example.com", "phone": "+12125550143"}


def seed_returning_customer(
    http: requests.Session, api: str, auth: dict[str, str], offerings: list[str]
) -> list[str]:
    """Book the returning customer twice (the first visit checked in); the problems met."""
    haircut = next((o.split()[0] for o in offerings if "Haircut" in o), None)
    if haircut is None:
        return ["no haircut to book the returning customer on"]
    first = date.today() + timedelta(days=3)
    options = (
        http.get(
            f"{api}/v1/availability",
            params={
                "offering": haircut,
                "from": first.isoformat(),
                "to": (first + timedelta(days=10)).isoformat(),
            },
            headers=auth,
            timeout=30,
        )
        .json()
        .get("options", [])
    )
    # The day's last free time, one a day: the browser tests book mornings and afternoons.
    days = {o["start"][:10]: o for o in options}
    picked = list(days.values())[:2]
    if len(picked) < 2:
        return ["no free time for the returning customer's two haircuts"]
    problems: list[str] = []
    for n, option in enumerate(picked):
        body: dict[str, Any] = {
            "customer": RETURNING,
            "lines": [{"offering_id": haircut, "start": option["start"][:16]}],
        }
        held = http.post(f"{api}/v1/orders", json=body, headers=auth, timeout=30)
        if held.status_code != 201:
            problems.append(f"the returning customer's booking: {held.status_code}")
            continue
        order: dict[str, Any] = held.json()
        steps: list[tuple[str, dict[str, Any]]] = [("confirm", {})] + (
            [("check-in", {"early": True})] if n == 0 else []
        )
        for action, step in steps:
            done = http.post(
                f"{api}/v1/orders/{order['id']}/{action}", json=step, headers=auth, timeout=30
            )
            if done.status_code != 200:
                problems.append(f"{action} of the returning customer's booking: {done.status_code}")
    return problems
