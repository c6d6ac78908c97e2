"""Booking questions in requests and answers: an offering's questions, and a line's answers
(catalog/domain/questions.py holds the rules)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from chalicelib.catalog.domain.questions import (
    MAX_LABELS,
    Answers,
    AskedOf,
    Question,
    QuestionKind,
)
from chalicelib.kernel.domain.tenant import LOCALE_RE
from chalicelib.web.models import Body, Name, OneLine, Out, not_blank

# Trimmed as answers are (an answer " A " is "A"), so every choice can be chosen.
Choice = Annotated[
    str,
    Field(min_length=1, max_length=100),
    OneLine,
    AfterValidator(not_blank),
    AfterValidator(str.strip),
]
LocaleTag = Annotated[str, Field(min_length=2, max_length=16, pattern=LOCALE_RE.pattern)]
Bound = Annotated[int, Field(ge=-1_000_000_000, le=1_000_000_000)]
AnswerValue = Annotated[str, Field(max_length=1000)] | Bound
AnswerMap = Annotated[
    dict[Annotated[str, Field(min_length=1, max_length=32)], AnswerValue],
    Field(max_length=20),
]


class QuestionIn(Body):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")] = Field(
        description="Names the answer in bookings (e.g. `pickup`, `passport`)."
    )
    label: Name = Field(description="What the customer is asked, in the business's words.")
    labels: Annotated[dict[LocaleTag, Name], Field(max_length=MAX_LABELS)] = Field(
        default_factory=dict,
        description="The label in other languages, by locale tag (`en`, `zh`, `zh-Hans-CN`): "
        "the widget asks in its language's words, else in `label`.",
        examples=[{"en": "Pickup point", "zh": "上车地点"}],
    )
    kind: QuestionKind
    required: bool = False
    per: AskedOf = Field(
        default=AskedOf.BOOKING, description="`person`: asked of every person in the party."
    )
    choices: Annotated[list[Choice], Field(max_length=20)] = Field(
        default_factory=list, description="`choice`: the choices (2 to 20)."
    )
    minimum: Bound | None = None
    maximum: Bound | None = None
    max_length: Annotated[int, Field(ge=1, le=1000)] = 200

    @model_validator(mode="after")
    def _choices_for_a_choice(self) -> QuestionIn:
        if (self.kind is QuestionKind.CHOICE) != bool(self.choices):
            raise ValueError("choices belong to a question of kind `choice`, and it needs them")
        return self

    def to_domain(self) -> Question:
        return Question(
            self.id,
            self.label,
            self.kind,
            self.required,
            self.per,
            tuple(self.choices),
            self.minimum,
            self.maximum,
            self.max_length,
            tuple(sorted(self.labels.items())),
        )


class QuestionOut(Out):
    id: str
    label: str
    labels: dict[str, str] = Field(description="The label in other languages, by locale tag.")
    kind: QuestionKind
    required: bool
    per: AskedOf
    choices: list[str]
    minimum: int | None
    maximum: int | None
    max_length: int

    @classmethod
    def of(cls, q: Question) -> QuestionOut:
        return cls(
            id=q.id,
            label=q.label,
            labels=dict(q.labels),
            kind=q.kind,
            required=q.required,
            per=q.per,
            choices=list(q.choices),
            minimum=q.minimum,
            maximum=q.maximum,
            max_length=q.max_length,
        )


class AnswersIn(Body):
    booking: AnswerMap = Field(default_factory=dict, description="Answers asked once.")
    people: Annotated[list[AnswerMap], Field(max_length=1000)] = Field(
        default_factory=list, description="One set of answers per person, in party order."
    )

    def to_domain(self) -> Answers:
        return Answers(dict(self.booking), tuple(dict(p) for p in self.people))


class AnswersOut(Out):
    booking: dict[str, str | int]
    people: list[dict[str, str | int]]

    @classmethod
    def of(cls, a: Answers) -> AnswersOut:
        return cls(booking=dict(a.booking), people=[dict(p) for p in a.people])
