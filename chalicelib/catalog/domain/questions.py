"""Booking questions: what an offering asks when it is booked, once per booking (the pickup
point) or once per person (names, ages, passport numbers, dietary needs), and the answers'
rules. Every booking route checks the answers against the offering's questions before
anything is held, and the order keeps them with its line (booking/domain/orders.py).
"""

from __future__ import annotations

import json
import re
from datetime import date
from enum import StrEnum

from chalicelib.kernel.domain.errors import InvalidInput
from chalicelib.kernel.domain.tenant import LOCALE_RE
from chalicelib.kernel.domain.values import value

MAX_QUESTIONS = 20
MAX_CHOICES = 20
MAX_LABELS = 8  # a question's wordings in other languages (its `label` is the fallback)
MAX_LABEL_LENGTH = 120
MAX_ANSWER_BYTES = 8 * 1024  # a line's answers, as stored: an order item stays far below 400 KB
QUESTION_ID = re.compile(r"[a-z][a-z0-9_]{0,31}")
DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2999, 12, 31)  # birth dates are asked too
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

Answer = str | int


class QuestionKind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    NUMBER = "number"
    DATE = "date"


class AskedOf(StrEnum):
    BOOKING = "booking"
    PERSON = "person"


@value
class Question:
    id: str
    label: str
    kind: QuestionKind
    required: bool = False
    per: AskedOf = AskedOf.BOOKING
    choices: tuple[str, ...] = ()  # choice
    minimum: int | None = None  # number
    maximum: int | None = None
    max_length: int = 200  # text
    # The label in other languages, as (locale tag, words) pairs sorted by tag: an English
    # widget on a Chinese business's page asks in English (`label` where none fits).
    labels: tuple[tuple[str, str], ...] = ()

    def label_in(self, lang: str) -> str:
        """The words for `lang` (`en`, `zh-Hans-CN`): its own tag, else one of its language
        (`zh` for `zh-Hans-CN`, `zh-Hans` for `zh`), else `label`."""
        own = dict(self.labels)
        if lang in own:
            return own[lang]
        base = lang.split("-")[0]
        near = [words for tag, words in self.labels if tag.split("-")[0] == base]
        return near[0] if near else self.label


@value
class Answers:
    """The answers of one booking line: its own, and one set per person."""

    booking: dict[str, Answer]
    people: tuple[dict[str, Answer], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.booking and not any(self.people)


NO_ANSWERS = Answers({})


def check_questions(questions: tuple[Question, ...]) -> None:
    """An offering's questions make sense: a few, each named once, a choice with choices."""
    if len(questions) > MAX_QUESTIONS:
        raise InvalidInput(f"At most {MAX_QUESTIONS} questions.", code="too_many_questions")
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise InvalidInput("Each question needs its own id.", code="duplicate_question")
    for q in questions:
        if not QUESTION_ID.fullmatch(q.id):
            raise InvalidInput(
                "A question id is a lower-case letter, then letters, digits or _ (32 at most).",
                code="invalid_question",
                question=q.id,
            )
        if q.kind is QuestionKind.CHOICE and not 2 <= len(q.choices) <= MAX_CHOICES:
            raise InvalidInput(
                f"A choice offers 2 to {MAX_CHOICES} choices.",
                code="invalid_question",
                question=q.id,
            )
        if len(set(q.choices)) != len(q.choices):
            raise InvalidInput("Each choice once.", code="invalid_question", question=q.id)
        if q.minimum is not None and q.maximum is not None and q.minimum > q.maximum:
            raise InvalidInput("minimum is above maximum.", code="invalid_question", question=q.id)
        _check_labels(q)


def _check_labels(q: Question) -> None:
    """A question's labels in other languages: a few, each under a locale tag such as `en`,
    `zh` or `zh-Hans-CN` (once), each one line of words."""
    tags = [tag for tag, _ in q.labels]
    if len(tags) > MAX_LABELS or len(set(tags)) != len(tags):
        why = f"At most {MAX_LABELS} labels in other languages, each language once."
        raise InvalidInput(why, code="invalid_question", question=q.id)
    for tag, words in q.labels:
        if not LOCALE_RE.fullmatch(tag):
            why = f"{tag!r} is not a locale tag such as en or zh-Hans-CN."
        elif not words.strip() or len(words) > MAX_LABEL_LENGTH or CONTROL.search(words):
            why = f"A label is 1 to {MAX_LABEL_LENGTH} characters on one line."
        else:
            continue
        raise InvalidInput(why, code="invalid_question", question=q.id, language=tag)


def check_answers(
    questions: tuple[Question, ...], answers: Answers, party: int, quantity: int = 1
) -> Answers:
    """The answers as kept: each checked against its question (kind, choices, bounds,
    length), every required one given, per person for each of `party` people when the
    offering asks anything of every person. InvalidInput (`invalid_answer`) names the
    question and the person; an answer to no question is `unknown_question`. A line of
    `quantity` parties (a class of 30 as three parties of 10) may answer for every one of
    its people (a groups tester could record 10 pupils' passport names of 30); the first
    party's are required, as before."""
    for_booking = {q.id: q for q in questions if q.per is AskedOf.BOOKING}
    for_person = {q.id: q for q in questions if q.per is AskedOf.PERSON}
    kept = _checked(for_booking, answers.booking, person=None)
    people = answers.people
    seats = party * max(1, quantity)
    if len(people) > seats:
        raise InvalidInput(
            f"Answers for {len(people)} people; the booking is for {seats}.",
            code="invalid_answer",
            person=seats,
        )
    if any(q.required for q in for_person.values()) and len(people) < party:
        people = (*people, *({} for _ in range(party - len(people))))
    checked = Answers(
        kept, tuple(_checked(for_person, given, person=n) for n, given in enumerate(people))
    )
    size = len(json.dumps([checked.booking, checked.people], ensure_ascii=False).encode())
    if size > MAX_ANSWER_BYTES:
        raise InvalidInput(
            f"The answers of one booking line take at most {MAX_ANSWER_BYTES // 1024} KB.",
            code="answers_too_large",
        )
    return checked


def keep_answers(
    questions: tuple[Question, ...], answers: Answers, party: int, quantity: int = 1
) -> Answers:
    """Answers given before, on a line planned again (a move, a stay change): those to
    questions the offering no longer asks dropped, no more sets than people; nothing is asked
    again of those who answered (a customer moving a booking is not made to answer new
    questions), but a required per-person question is asked of people added (a 422 naming
    the first of them)."""
    for_booking = {q.id for q in questions if q.per is AskedOf.BOOKING}
    asked = {q.id: q for q in questions if q.per is AskedOf.PERSON}
    seats = party * max(1, quantity)
    kept = [{k: v for k, v in p.items() if k in asked} for p in answers.people[:seats]]
    if any(q.required for q in asked.values()):
        # A larger party: the new people are asked what everyone is (a 422 naming them).
        for n in range(len(kept), party):
            kept.append(_checked(asked, {}, person=n))
    return Answers({k: v for k, v in answers.booking.items() if k in for_booking}, tuple(kept))


def _checked(
    asked: dict[str, Question], given: dict[str, Answer], *, person: int | None
) -> dict[str, Answer]:
    where = {} if person is None else {"person": person}
    unknown = sorted(set(given) - set(asked))
    if unknown:
        raise InvalidInput(
            "An answer to a question the offering does not ask.",
            code="unknown_question",
            question=unknown[0],
            **where,
        )
    kept: dict[str, Answer] = {}
    for qid, question in asked.items():
        raw = given.get(qid)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if question.required:
                raise InvalidInput(
                    f"{question.label}: an answer is needed.",
                    code="invalid_answer",
                    question=qid,
                    **where,
                )
            continue
        kept[qid] = _answer(question, raw, where)
    return kept


def _answer(q: Question, raw: Answer, where: dict[str, int]) -> Answer:
    """The answer as kept, or InvalidInput saying what this question needs."""
    if q.kind is QuestionKind.NUMBER:
        kept, why = _number(q, raw)
    elif not isinstance(raw, str):
        kept, why = raw, "text is needed."
    else:
        kept, why = _READERS[q.kind](q, raw.strip())
    if why:
        raise InvalidInput(f"{q.label}: {why}", code="invalid_answer", question=q.id, **where)
    return kept


def _number(q: Question, raw: Answer) -> tuple[Answer, str]:
    if not isinstance(raw, int) or isinstance(raw, bool):
        return raw, "a whole number is needed."
    low, high = q.minimum, q.maximum
    if (low is not None and raw < low) or (high is not None and raw > high):
        bounds = (
            f"from {low} to {high}"
            if low is not None and high is not None
            else f"of at least {low}"
            if low is not None
            else f"of at most {high}"
        )
        return raw, f"a number {bounds} is needed."
    return raw, ""


def _choice(q: Question, text: str) -> tuple[Answer, str]:
    return text, "" if text in q.choices else "one of the choices is needed."


def _date(q: Question, text: str) -> tuple[Answer, str]:
    if not DATE_TEXT.fullmatch(text):
        return text, "a date written YYYY-MM-DD is needed."
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text, "that date does not exist."
    if not FIRST_DATE <= day <= LAST_DATE:
        return text, f"a date from {FIRST_DATE} to {LAST_DATE} is needed."
    return text, ""


def _text(q: Question, text: str) -> tuple[Answer, str]:
    if len(text) > q.max_length or CONTROL.search(text):
        return text, f"one line of at most {q.max_length} characters is needed."
    return text, ""


_READERS = {QuestionKind.CHOICE: _choice, QuestionKind.DATE: _date, QuestionKind.TEXT: _text}


def question_doc(q: Question) -> list[object]:
    """A question as stored (compact: an offering item stays small)."""
    return [
        q.id,
        q.label,
        q.kind.value,
        q.required,
        q.per.value,
        list(q.choices),
        q.minimum,
        q.maximum,
        q.max_length,
        *([dict(q.labels)] if q.labels else []),
    ]


def question_from(doc: list[object]) -> Question:
    """A question as stored; one stored before labels in other languages has nine fields."""
    qid, label, kind, required, per, choices, low, high, length, *rest = doc
    labels = rest[0] if rest else {}
    return Question(
        str(qid),
        str(label),
        QuestionKind(str(kind)),
        bool(required),
        AskedOf(str(per)),
        tuple(str(c) for c in choices),  # type: ignore[attr-defined]
        None if low is None else int(low),  # type: ignore[call-overload]
        None if high is None else int(high),  # type: ignore[call-overload]
        int(length),  # type: ignore[call-overload]
        tuple(sorted((str(k), str(v)) for k, v in labels.items())),  # type: ignore[attr-defined]
    )
