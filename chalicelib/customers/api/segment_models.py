"""Request and response models of segments (customers/api/segments.py)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.customers.domain.records import CustomerRecord
from chalicelib.customers.domain.segments import (
    MAX_DAYS,
    MAX_NAME,
    MAX_NUMBER,
    MAX_RULES,
    Op,
    Rule,
    RuleKind,
    Segment,
)
from chalicelib.customers.services.segments import SegmentCount
from chalicelib.web.models import Body, OneLine, Out

RuleText = Annotated[str, Field(min_length=1, max_length=MAX_NAME), OneLine]


class RuleIn(Body):
    kind: RuleKind = Field(
        description="days_since_last_visit, visits, bookings, cancellations, no_shows, spend "
        "(with `op` and `number`); booked_offering (`text`: the offering's id; `days`: within "
        "the last days, else ever); birthday_this_month; tag, language (`text`); consent "
        "(`flag`, default true)."
    )
    op: Op | None = Field(default=None, description="For numbers: >=, >, <=, < or =.")
    number: Annotated[int, Field(ge=0, le=MAX_NUMBER)] | None = Field(
        default=None, description="For numbers; spend in minor units of the currency."
    )
    text: RuleText | None = None
    days: Annotated[int, Field(ge=1, le=MAX_DAYS)] | None = None
    flag: bool | None = None

    def rule(self) -> Rule:
        return Rule(self.kind, self.op, self.number, self.text, self.days, self.flag)


class RulesIn(Body):
    rules: Annotated[list[RuleIn], Field(min_length=1, max_length=MAX_RULES)] = Field(
        description="All must hold (AND)."
    )

    def domain_rules(self) -> list[Rule]:
        return [r.rule() for r in self.rules]


class SegmentIn(RulesIn):
    name: RuleText = Field(description="What staff call it.")
    version: int | None = Field(
        default=None, description="On update: the version read (409 `segment_changed` if not)."
    )


class RuleOut(Out):
    kind: str
    op: str | None = None
    number: int | None = None
    text: str | None = None
    days: int | None = None
    flag: bool | None = None


class SegmentOut(Out):
    id: str
    name: str
    rules: list[RuleOut]
    created_at: str
    updated_at: str
    version: int

    @classmethod
    def of(cls, s: Segment) -> SegmentOut:
        rules = [
            RuleOut(
                kind=r.kind.value,
                op=r.op.value if r.op else None,
                number=r.number,
                text=r.text,
                days=r.days,
                flag=r.flag,
            )
            for r in s.rules
        ]
        return cls(
            id=s.id,
            name=s.name,
            rules=rules,
            created_at=s.created_at,
            updated_at=s.updated_at,
            version=s.version,
        )


class SegmentListOut(Out):
    segments: list[SegmentOut]


class MemberOut(Out):
    id: str
    name: str
    email: str
    visits: int
    last_visit: str
    consent: bool

    @classmethod
    def of(cls, c: CustomerRecord) -> MemberOut:
        return cls(
            id=c.id,
            name=c.profile.name,
            email=c.profile.email,
            visits=c.figures.visits,
            last_visit=c.figures.last_visit,
            consent=c.consent is not None and c.consent.granted,
        )


class SegmentCountOut(Out):
    matched: int = Field(description="Customers the rules hold for now.")
    read: int = Field(description="Customer records read to count them.")
    complete: bool = Field(
        description="False when the read budget ran out first: `matched` counts the "
        "customers read so far."
    )
    preview: list[MemberOut] = Field(description="The first members found (at most 10).")

    @classmethod
    def of(cls, n: SegmentCount) -> SegmentCountOut:
        return cls(
            matched=n.matched,
            read=n.read,
            complete=n.complete,
            preview=[MemberOut.of(c) for c in n.preview],
        )
