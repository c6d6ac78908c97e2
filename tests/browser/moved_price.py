"""A route handler for a page's move (`**/reschedule`) that makes the total the page agreed
another on the move's first sending, as a price changed while its question was open would:
the page must be refused (409 `price_changed`), say so and ask again. Quotes pass as they are."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def price_moved_once(sent: list[dict[str, Any]], wrong: int) -> Callable[[Any], None]:
    """Records each move's body in `sent`; the first goes with `expected_total` = `wrong`."""

    def handle(route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        if body.get("quote"):
            return route.continue_()
        sent.append(body)
        if len(sent) > 1:
            return route.continue_()
        return route.continue_(post_data=json.dumps({**body, "expected_total": wrong}))

    return handle
