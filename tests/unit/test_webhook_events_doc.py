"""docs/WEBHOOKS.md's list of events is generated from the event classes (kernel/domain/events.py),
and this test fails when the two differ: a new event, field or schema version cannot reach
receivers undocumented. Rewrite the section:
`.venv/bin/python -m tests.unit.test_webhook_events_doc`.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from chalicelib.kernel.domain.event_registry import EVENTS
from chalicelib.kernel.domain.events import DomainEvent, OrderEvent

DOC = Path(__file__).resolve().parents[2] / "docs" / "WEBHOOKS.md"
BEGIN = (
    "<!-- events: generated from chalicelib/kernel/domain/events.py"
    " by tests/unit/test_webhook_events_doc.py -->"
)
END = "<!-- /events -->"
COMMON = {f.name for f in fields(OrderEvent)}


def _field(f) -> str:  # noqa: ANN001 - a dataclass field
    kind = str(f.type).replace(" | None", " or null")
    if f.metadata.get("omitted_when"):
        return f"`{f.name}` ({kind}; left out when {json.dumps(f.default)})"
    return f"`{f.name}` ({kind})"


def _own_fields(cls: type[DomainEvent]) -> str:
    own = [f for f in fields(cls) if f.name not in COMMON and f.name not in ("id", "at")]
    return ", ".join(_field(f) for f in own) or "none"


def section() -> str:
    common = [f for f in fields(OrderEvent) if f.name not in ("id", "at")]
    lines = [
        BEGIN,
        "Every event's `data` has the fields of an order event: "
        + ", ".join(_field(f) for f in common)
        + ". Then its own:",
        "",
        "| `type` | Schema version | Its own fields in `data` | What happened |",
        "|---|---|---|---|",
    ]
    for name, cls in EVENTS.items():
        lines.append(f"| `{name}` | {cls.schema_version} | {_own_fields(cls)} | {cls.summary} |")
    lines.append(END)
    return "\n".join(lines)


def _current(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]


def test_the_documented_events_are_the_event_classes() -> None:
    assert _current(DOC.read_text()) == section()


if __name__ == "__main__":
    text = DOC.read_text()
    DOC.write_text(text.replace(_current(text), section()))
