"""The platform's paid plans in localstripe, so that an owner can subscribe on `make dev` and in
the browser tests as on AWS, where the platform's operator makes the prices in its own Stripe
account and names them in `RESERVOIR_STRIPE_PRICES`.

Fixed ids: making them again (a restart over the same localstripe) replaces them, and the
environment can name them before they exist.
"""

from __future__ import annotations

import urllib.parse
import urllib.request

from local.resources import LOCAL_STRIPE_SECRET_KEY

PRODUCT = "prod_reservoir_local"
# plan -> (price id, EUR cents a month)
PLANS = {"pro": ("plan_reservoir_pro", 2900), "business": ("plan_reservoir_business", 9900)}


def prices_environment() -> dict[str, str]:
    """`RESERVOIR_STRIPE_PRICES` naming the plans `create_plans` makes."""
    prices = ",".join(f"{plan}={price}" for plan, (price, _) in PLANS.items())
    return {"RESERVOIR_STRIPE_PRICES": prices}


def create_plans(api_base: str) -> None:
    """The product and its monthly plans, straight in localstripe (not through the Connect
    stand-in: they are the platform's own)."""
    _post(api_base, "/v1/products", {"id": PRODUCT, "name": "Reservoir", "type": "service"})
    for price, amount in PLANS.values():
        _post(
            api_base,
            "/v1/plans",
            {
                "id": price,
                "amount": str(amount),
                "currency": "eur",
                "interval": "month",
                "product": PRODUCT,
            },
        )


def _post(api_base: str, path: str, form: dict[str, str]) -> None:
    request = urllib.request.Request(
        f"{api_base}{path}",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Authorization": f"Bearer {LOCAL_STRIPE_SECRET_KEY}"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        response.read()
