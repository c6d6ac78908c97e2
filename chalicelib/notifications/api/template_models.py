"""Request and response models of the notification templates (notifications/api/templates.py)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, GetJsonSchemaHandler, model_validator

from chalicelib.web.models import Body, MultiLine, OneLine, Out

Part = Annotated[str, Field(min_length=1, max_length=20_000), MultiLine]
# A header: no control characters in the source (web/models.py one_line); what it renders is
# made one line again at send time (notifications/services/send.py).
SubjectPart = Annotated[str, Field(min_length=1, max_length=20_000), OneLine]


class TemplateIn(Body):
    subject: SubjectPart | None = Field(
        default=None, description="E-mail only: one line, without control characters."
    )
    text: Part = Field(description="Plain text (e-mail) or the text message (SMS).")
    html: Part | None = Field(default=None, description="E-mail only: escaped automatically.")

    @model_validator(mode="before")
    @classmethod
    def _as_read(cls, data: Any) -> Any:
        """GET answers the parts under `parts`: a read-edit-write sends them back so, which
        is taken as the parts at the top level (either shape, not both)."""
        if isinstance(data, dict) and set(data) == {"parts"} and isinstance(data["parts"], dict):
            return data["parts"]
        if isinstance(data, dict) and "parts" in data:
            # Said as the rule it breaks (an outside tester read "text: Field required; parts:
            # This request takes no field by that name" for both shapes at once).
            raise ValueError("send the parts at the top level or under `parts`, not both")
        return data

    @classmethod
    def __get_pydantic_json_schema__(cls, core: Any, handler: GetJsonSchemaHandler) -> Any:
        schema = handler.resolve_ref_schema(handler(core))
        flat = {k: schema[k] for k in ("type", "properties", "required", "additionalProperties")}
        schema["properties"] = {**schema["properties"], "parts": flat}
        schema.pop("required")
        schema["oneOf"] = [
            {"required": ["text"], "not": {"required": ["parts"]}},
            {"required": ["parts"], "maxProperties": 1},
        ]
        schema["description"] = (
            "The parts at the top level, or under `parts` as GET answers them (not both)."
        )
        return schema


class TemplateOut(Out):
    kind: str
    channel: str
    locale: str
    source: Literal["tenant", "builtin"]
    parts: dict[str, str]
    placeholders: list[str] = Field(
        description="What this kind's template may print, as `{{ order.when }}`; a list is "
        "named with `[]`: `{% for line in order.lines %}{{ line.name }}{% endfor %}`. Any "
        "other name is refused when the template is saved (422 `template_refused`)."
    )


class TemplateListOut(Out):
    kinds: list[str]
    channels: dict[str, list[str]]
    locales: list[str]
    overridden: list[str] = Field(description="kind/channel/locale of the tenant's own.")
