"""What the booking widget reads of the catalog: the offerings on sale, and whom a customer may
choose to serve them."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chalicelib.catalog.api.question_models import QuestionOut
from chalicelib.web.models import Out


class ResourceNameOut(Out):
    resource_id: str
    name: str


class ResourceChoiceOut(Out):
    requirement: int
    resources: list[ResourceNameOut]


class PublicOfferingOut(Out):
    id: str
    name: str
    kind: str
    description: str
    duration_minutes: int | None
    party_min: int
    party_max: int
    max_nights: int | None
    price_from: int = Field(
        description="What the customer pays for one unit (`price_basis`) at the base price, "
        "tax included as each time's price is (weekday and season rates may differ)."
    )
    price_basis: str
    currency: str
    deposit: dict[str, Any]
    cancellation: list[dict[str, int]]
    resource_choices: list[ResourceChoiceOut] = Field(
        default_factory=list,
        description="The requirements a customer may choose a resource for (the first, such "
        "as the staff member), each with the resources that can serve it.",
    )
    questions: list[QuestionOut] = Field(
        default_factory=list, description="What the booking asks (answers go in each line)."
    )


class PublicOfferingListOut(Out):
    data: list[PublicOfferingOut]
