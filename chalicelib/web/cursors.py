"""A list's page position (`cursor`, `after`), as a query field type: one of any other shape
than the list gives is 422 `invalid_cursor`, the code a well-shaped one that decodes to
nothing gets too, never `validation_failed` nor the first page as if none were sent."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.values import value

# `<stored instant><separator><id>`: the audit log's and the takings' entries (`#`), the gift
# cards' pages (`~`). The `#id` may be missing: a client that sends it unescaped in a URL
# has it taken for a fragment, and the instant alone is a place in the list all the same.
INSTANT = r"2[0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z"
INSTANT_AND_ID = rf"^{INSTANT}(#[!-~]{{1,100}})?$"
INSTANT_TILDE_ID = rf"^{INSTANT}~[!-~]{{1,100}}$"


def _real_instant(text: str, pattern: str) -> bool:
    """A position with an instant names a real one: the shape alone let
    `2026-19-99T99:99:99Z` through, which gave an arbitrary page (an outside tester's)."""
    found = re.search(INSTANT, text) if INSTANT in pattern else None
    if found is None:
        return True
    try:
        datetime.strptime(found.group(0)[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return True


@value
class CursorShape:
    """Metadata for `Annotated[str, CursorShape(...)]`: raises a domain error (which pydantic
    lets through, unlike a ValueError) and documents the shape in the OpenAPI document."""

    pattern: str
    max_length: int

    def check(self, text: str, info: ValidationInfo) -> str:
        if (
            len(text) > self.max_length
            or not re.fullmatch(self.pattern, text)
            or not _real_instant(text, self.pattern)
        ):
            raise InvalidInput(
                "That cursor is not one this list gave.",
                code="invalid_cursor",
                field=info.field_name,
            )
        return text

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> Any:
        from pydantic_core import core_schema

        return core_schema.with_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: GetJsonSchemaHandler) -> Any:
        shown = handler(schema)
        return {**shown, "minLength": 1, "maxLength": self.max_length, "pattern": self.pattern}
