"""The rules of booking questions and their answers (catalog/domain/questions.py)."""

from __future__ import annotations

import pytest

from chalicelib.catalog.domain.questions import (
    Answers,
    AskedOf,
    Question,
    QuestionKind,
    check_answers,
    check_questions,
    question_doc,
    question_from,
)
from chalicelib.kernel.domain.errors import InvalidInput

PICKUP = Question("pickup", "Pickup", QuestionKind.CHOICE, True, choices=("A", "B"))
NAME = Question("name", "Name", QuestionKind.TEXT, True, AskedOf.PERSON, max_length=20)
AGE = Question("age", "Age", QuestionKind.NUMBER, per=AskedOf.PERSON, minimum=0, maximum=120)
BORN = Question("born", "Born", QuestionKind.DATE, per=AskedOf.PERSON)
ALL = (PICKUP, NAME, AGE, BORN)


def refused(answers: Answers, party: int = 2, questions=ALL) -> dict:
    with pytest.raises(InvalidInput) as caught:
        check_answers(questions, answers, party)
    return {"code": caught.value.code, **caught.value.details}


def test_answers_are_kept_trimmed_and_blanks_left_out():
    kept = check_answers(
        ALL,
        Answers({"pickup": " B "}, ({"name": " Ann ", "age": 7, "born": ""}, {"name": "Bo"})),
        2,
    )
    assert kept == Answers({"pickup": "B"}, ({"name": "Ann", "age": 7}, {"name": "Bo"}))


def test_a_person_left_out_of_a_required_question_is_named():
    assert refused(Answers({"pickup": "A"}, ({"name": "Ann"},))) == {
        "code": "invalid_answer",
        "question": "name",
        "person": 1,
    }


@pytest.mark.parametrize(
    ("person", "question"),
    [
        ({"name": "Ann", "age": True}, "age"),  # a boolean is no number
        ({"name": "Ann", "age": "7"}, "age"),
        ({"name": "Ann", "age": 121}, "age"),
        ({"name": "Ann", "born": "1899-12-31"}, "born"),
        ({"name": "Ann", "born": "2026-02-29"}, "born"),
        ({"name": "Ann", "born": "26-01-01"}, "born"),
        ({"name": "Ann\u2028Lee"}, "name"),
        ({"name": "A" * 21}, "name"),
        ({"name": 5}, "name"),
    ],
)
def test_each_kind_refuses_what_it_cannot_take(person, question):
    got = refused(Answers({"pickup": "A"}, (person, {"name": "Bo"})))
    assert got["question"] == question and got["person"] == 0


def test_answers_to_no_question_and_too_many_people_are_refused():
    assert refused(Answers({"pickup": "A", "shoe": 9}))["code"] == "unknown_question"
    three = ({"name": "A"}, {"name": "B"}, {"name": "C"})
    assert refused(Answers({"pickup": "A"}, three))["code"] == "invalid_answer"
    one = Answers({"pickup": "A"}, ({"x": 1},))
    assert refused(one, questions=(PICKUP,))["code"] == "unknown_question"


def test_an_offering_without_questions_takes_no_answers_and_needs_none():
    assert check_answers((), Answers({}), 3) == Answers({}, ())


@pytest.mark.parametrize(
    "questions",
    [
        (PICKUP, PICKUP),
        (Question("Bad", "x", QuestionKind.TEXT),),
        (Question("c", "x", QuestionKind.CHOICE, choices=("only",)),),
        (Question("c", "x", QuestionKind.CHOICE, choices=("a", "a")),),
        (Question("n", "x", QuestionKind.NUMBER, minimum=3, maximum=1),),
        tuple(Question(f"q{n}", "x", QuestionKind.TEXT) for n in range(21)),
    ],
)
def test_questions_that_make_no_sense_are_refused(questions):
    with pytest.raises(InvalidInput):
        check_questions(questions)


def test_a_question_round_trips_through_its_stored_form():
    for q in ALL:
        assert question_from(question_doc(q)) == q


WORDED = Question(
    "pickup",
    "上车地点",
    QuestionKind.TEXT,
    labels=(("en", "Pickup point"), ("zh-Hant", "上車地點")),
)


def test_a_question_is_asked_in_the_words_of_the_visitors_language_else_its_label():
    assert WORDED.label_in("en") == "Pickup point"
    assert WORDED.label_in("en-GB") == "Pickup point"  # a tag of the same language
    assert WORDED.label_in("zh-Hant") == "上車地點"
    assert WORDED.label_in("zh") == "上車地點"  # the only Chinese wording there is
    assert WORDED.label_in("fr") == "上车地点"
    assert PICKUP.label_in("en") == "Pickup"


def test_labels_in_other_languages_round_trip_and_a_question_stored_before_them_reads_none():
    assert question_from(question_doc(WORDED)) == WORDED
    before = question_doc(PICKUP)
    assert len(before) == 9  # nothing added to a question without them
    assert question_from(before).labels == ()


@pytest.mark.parametrize(
    "labels",
    [
        (("english", "Pickup"),),  # not a locale tag
        (("en", "Pickup"), ("en", "Pick-up")),  # a language twice
        (("en", " "),),
        (("en", "x" * 121),),
        (("en", "two\nlines"),),
        tuple((f"e{chr(97 + n)}", "x") for n in range(9)),
    ],
)
def test_labels_that_make_no_sense_are_refused_naming_the_question(labels):
    with pytest.raises(InvalidInput) as refused:
        check_questions((Question("pickup", "x", QuestionKind.TEXT, labels=labels),))
    assert refused.value.code == "invalid_question"
    assert refused.value.details["question"] == "pickup"
