"""Booking questions: an offering asks once per booking and of every person; every booking
route (staff, server, widget) checks the answers before holding anything; the order keeps
them, a move keeps them, and a departure's manifest lists every person with theirs."""

from __future__ import annotations

import pytest

from tests.api.support import assert_error, forbid_server_errors
from tests.builders import departure

QUESTIONS = [
    {
        "id": "pickup",
        "label": "Pickup point",
        "kind": "choice",
        "required": True,
        "choices": ["Hotel lobby", "Dongzhimen"],
    },
    {"id": "name", "label": "Full name", "kind": "text", "required": True, "per": "person"},
    {"id": "age", "label": "Age", "kind": "number", "per": "person", "minimum": 0, "maximum": 120},
    {"id": "born", "label": "Date of birth", "kind": "date", "per": "person"},
    {"id": "diet", "label": "Dietary needs", "kind": "text", "per": "person", "max_length": 80},
]


@pytest.fixture
def tours(api):
    forbid_server_errors(api)
    tenant = api.signup("asking")
    data = api.container.tenant_data.for_tenant(
        api.container.platform.get_tenant(tenant["tenant_id"])
    )
    data.catalog.put_resource(departure(seats=20), expected_rev=None)
    offering = {
        "name": "Wall walk",
        "kind": "session",
        "requirements": [{"resource_id": "res_wall", "per": "person"}],
        "pricing": {"amount": 38000, "basis": "person"},
        "questions": QUESTIONS,
    }
    r = api.call("POST", "/v1/offerings", auth=tenant["secret_key"], body=offering)
    assert r.status_code == 201, r.body
    return tenant, r.data["id"]


def hold(api, tenant, offering, answers, *, party=2, route="/v1/orders", key=None):
    line = {"offering_id": offering, "start": "2026-12-10T08:00", "party": party}
    if answers is not None:
        line["answers"] = answers
    body = {"customer": {"name": "Li Lei", "email": "li@example.com"}, "lines": [line]}
    return api.call("POST", route, auth=key or tenant["secret_key"], body=body)


def move(api, tenant, order, offering, start, party):
    return api.call(
        "POST",
        f"/v1/orders/{order['id']}/reschedule",
        auth=tenant["secret_key"],
        headers={"If-Match": '"1"'},
        body={"lines": [{"offering_id": offering, "start": start, "party": party}]},
    )


GOOD = {
    "booking": {"pickup": "Dongzhimen"},
    "people": [
        {"name": "Li Lei", "age": 34, "born": "1992-03-01", "diet": " vegetarian "},
        {"name": "Han Meimei", "age": 9},
    ],
}


def seats(api, tenant):
    buckets = api.container.tenant_data.data[tenant["tenant_id"]].orders.buckets
    return sum(units for (rid, _), units in buckets.items() if rid == "res_wall")


def test_the_offering_shows_its_questions_to_staff_and_to_the_widget(api, tours):
    tenant, offering = tours
    staff = api.call("GET", f"/v1/offerings/{offering}", auth=tenant["secret_key"]).data
    assert [q["id"] for q in staff["questions"]] == ["pickup", "name", "age", "born", "diet"]
    public = api.call("GET", "/v1/public/offerings", auth=tenant["publishable_key"]).data
    [shown] = [o for o in public["data"] if o["id"] == offering]
    assert shown["questions"][0]["choices"] == ["Hotel lobby", "Dongzhimen"]
    assert shown["questions"][1]["per"] == "person" and shown["questions"][1]["required"]


def test_good_answers_are_kept_on_the_order_and_shown_in_the_manifest(api, tours):
    tenant, offering = tours
    r = hold(api, tenant, offering, GOOD)
    assert r.status_code == 201, r.body
    answers = r.data["lines"][0]["answers"]
    assert answers["booking"] == {"pickup": "Dongzhimen"}
    assert answers["people"][0]["diet"] == "vegetarian"  # trimmed
    assert answers["people"][1] == {"name": "Han Meimei", "age": 9}
    sheet = api.call(
        "GET", "/v1/resources/res_wall/day?date=2026-12-10", auth=tenant["secret_key"]
    ).data
    [session] = [s for s in sheet["sessions"] if s["lines"]]
    assert [p["name"] for p in session["lines"][0]["answers"]["people"]] == [
        "Li Lei",
        "Han Meimei",
    ]


def test_a_line_of_several_parties_answers_for_each_of_its_people(api, tours):
    """A groups tester's class of 30 (three parties of 10) could record 10 pupils' names: a
    line of `quantity` parties answers for party x quantity people; more is still refused."""
    tenant, offering = tours
    pupils = [{"name": f"Pupil {n}"} for n in range(6)]
    line = {"offering_id": offering, "start": "2026-12-10T08:00", "party": 3, "quantity": 2}
    answers = {"booking": GOOD["booking"], "people": pupils}
    body = {"customer": {"name": "Ms Wu", "email": "wu@example.com"}, "lines": [line]}
    r = api.call(
        "POST",
        "/v1/orders",
        auth=tenant["secret_key"],
        body={**body, "lines": [{**line, "answers": answers}]},
    )
    assert r.status_code == 201, r.body
    assert [p["name"] for p in r.data["lines"][0]["answers"]["people"]] == [
        f"Pupil {n}" for n in range(6)
    ]
    seven = {**answers, "people": [*pupils, {"name": "Pupil 6"}]}
    r = api.call(
        "POST",
        "/v1/orders",
        auth=tenant["secret_key"],
        body={**body, "lines": [{**line, "answers": seven}]},
    )
    assert_error(r, 422, "invalid_answer")


@pytest.mark.parametrize(
    ("answers", "code", "question", "person"),
    [
        (None, "invalid_answer", "pickup", None),
        (
            {"booking": {"pickup": "Airport"}, "people": GOOD["people"]},
            "invalid_answer",
            "pickup",
            None,
        ),
        ({"booking": GOOD["booking"], "people": [GOOD["people"][0]]}, "invalid_answer", "name", 1),
        (
            {"booking": GOOD["booking"], "people": [GOOD["people"][0], {"name": "X", "age": 130}]},
            "invalid_answer",
            "age",
            1,
        ),
        (
            {
                "booking": GOOD["booking"],
                "people": [{"name": "X", "born": "1990-02-30"}, {"name": "Y"}],
            },
            "invalid_answer",
            "born",
            0,
        ),
        (
            {"booking": GOOD["booking"], "people": [{"name": "X", "diet": "a\nb"}, {"name": "Y"}]},
            "invalid_answer",
            "diet",
            0,
        ),
        (
            {"booking": GOOD["booking"], "people": [{"name": "\u3000 "}, {"name": "Y"}]},
            "invalid_answer",
            "name",
            0,
        ),
        (
            {"booking": GOOD["booking"], "people": [{"name": "X" * 201}, {"name": "Y"}]},
            "invalid_answer",
            "name",
            0,
        ),
        (
            {"booking": {**GOOD["booking"], "shoe": "42"}, "people": GOOD["people"]},
            "unknown_question",
            "shoe",
            None,
        ),
        (
            {"booking": GOOD["booking"], "people": [*GOOD["people"], {"name": "Z"}]},
            "invalid_answer",
            None,
            None,
        ),
    ],
)
def test_bad_answers_are_a_422_naming_the_question_and_hold_nothing(
    api, tours, answers, code, question, person
):
    tenant, offering = tours
    error = assert_error(hold(api, tenant, offering, answers), 422, code)
    if question is not None:
        assert error["details"]["question"] == question
    if person is not None:
        assert error["details"]["person"] == person
    assert seats(api, tenant) == 0


def test_the_widgets_route_checks_the_answers_too(api, tours):
    tenant, offering = tours
    bad = hold(
        api, tenant, offering, None, route="/v1/public/orders", key=tenant["publishable_key"]
    )
    assert_error(bad, 422, "invalid_answer")
    good = hold(
        api, tenant, offering, GOOD, route="/v1/public/orders", key=tenant["publishable_key"]
    )
    assert good.status_code == 201, good.body


def test_a_move_to_a_smaller_party_keeps_the_answers_of_those_still_coming(api, tours):
    tenant, offering = tours
    order = hold(api, tenant, offering, GOOD).data
    r = move(api, tenant, order, offering, "2026-12-10T08:00", 1)
    assert r.status_code == 200, r.body
    assert r.data["lines"][0]["answers"]["people"] == [order["lines"][0]["answers"]["people"][0]]


def test_a_move_to_a_larger_party_asks_the_new_people(api, tours):
    tenant, offering = tours
    order = hold(api, tenant, offering, GOOD).data
    error = assert_error(
        move(api, tenant, order, offering, "2026-12-10T08:00", 3), 422, "invalid_answer"
    )
    assert error["details"] == {"question": "name", "person": 2}


def test_a_question_removed_later_does_not_stop_a_move(api, tours):
    tenant, offering = tours
    order = hold(api, tenant, offering, GOOD).data
    current = api.call("GET", f"/v1/offerings/{offering}", auth=tenant["secret_key"])
    body = {
        "name": "Wall walk",
        "kind": "session",
        "requirements": [{"resource_id": "res_wall", "per": "person"}],
        "pricing": {"amount": 38000, "basis": "person"},
        "questions": [
            *QUESTIONS[:4],
            {"id": "shoe", "label": "Shoe", "kind": "text", "required": True},
        ],
    }
    changed = api.call(
        "PUT",
        f"/v1/offerings/{offering}",
        auth=tenant["secret_key"],
        body=body,
        headers={"If-Match": current.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.body
    r = move(api, tenant, order, offering, "2026-12-11T08:00", 2)
    assert r.status_code == 200, r.body
    assert "diet" not in r.data["lines"][0]["answers"]["people"][0]


def test_answers_too_large_for_one_line_are_refused(api, tours):
    tenant, offering = tours
    many = {
        "booking": GOOD["booking"],
        "people": [{"name": "N" * 190, "diet": "D" * 80} for _ in range(40)],
    }
    r = hold(api, tenant, offering, many, party=40)
    assert_error(r, 422, "answers_too_large")


def test_a_move_keeps_the_answers(api, tours):
    tenant, offering = tours
    order = hold(api, tenant, offering, GOOD).data
    r = move(api, tenant, order, offering, "2026-12-11T08:00", 2)
    assert r.status_code == 200, r.body
    assert r.data["lines"][0]["answers"] == order["lines"][0]["answers"]


@pytest.mark.parametrize(
    ("questions", "status", "code"),
    [
        ([QUESTIONS[1], QUESTIONS[1]], 422, "duplicate_question"),
        ([{"id": "x", "label": "X", "kind": "choice"}], 422, "validation_failed"),
        (
            [{"id": "x", "label": "X", "kind": "text", "choices": ["a", "b"]}],
            422,
            "validation_failed",
        ),
        ([{"id": "X", "label": "X", "kind": "text"}], 422, "validation_failed"),
        (
            [{"id": "c", "label": "C", "kind": "choice", "choices": ["a", "   "]}],
            422,
            "validation_failed",
        ),
        (
            [{"id": f"q{n}", "label": "Q", "kind": "text"} for n in range(21)],
            422,
            "validation_failed",
        ),
        (
            [{"id": "n", "label": "N", "kind": "number", "minimum": 5, "maximum": 1}],
            422,
            "invalid_question",
        ),
        (
            [{"id": "p", "label": "P", "kind": "text", "labels": {"English": "Pickup"}}],
            422,
            "validation_failed",
        ),
        (
            [{"id": "p", "label": "P", "kind": "text", "labels": {"en": "a\nb"}}],
            422,
            "validation_failed",
        ),
        (
            [
                {
                    "id": "p",
                    "label": "P",
                    "kind": "text",
                    "labels": {f"e{chr(97 + n)}": "x" for n in range(9)},
                }
            ],
            422,
            "validation_failed",
        ),
    ],
)
def test_questions_that_make_no_sense_are_refused(api, tours, questions, status, code):
    tenant, _ = tours
    body = {
        "name": "Odd",
        "kind": "session",
        "requirements": [{"resource_id": "res_wall"}],
        "pricing": {"amount": 100, "basis": "person"},
        "questions": questions,
    }
    assert_error(
        api.call("POST", "/v1/offerings", auth=tenant["secret_key"], body=body), status, code
    )


def test_a_question_is_worded_in_other_languages_for_staff_and_the_widget(api, tours):
    tenant, offering = tours
    staff = api.call("GET", f"/v1/offerings/{offering}", auth=tenant["secret_key"])
    assert staff.data["questions"][0]["labels"] == {}  # none given: the label is all there is
    body = {k: v for k, v in staff.data.items() if k in ("name", "kind", "requirements")}
    worded = {"en": "Pickup point", "zh": "上车地点"}
    body["pricing"] = staff.data["pricing"]
    body["questions"] = [{**QUESTIONS[0], "labels": worded}, *QUESTIONS[1:]]
    r = api.call(
        "PUT",
        f"/v1/offerings/{offering}",
        auth=tenant["secret_key"],
        headers={"If-Match": staff.headers["ETag"]},
        body=body,
    )
    assert r.status_code == 200, r.body
    assert r.data["questions"][0]["labels"] == worded
    public = api.call("GET", "/v1/public/offerings", auth=tenant["publishable_key"]).data
    [shown] = [o for o in public["data"] if o["id"] == offering]
    assert shown["questions"][0]["labels"] == worded
    assert shown["questions"][0]["label"] == "Pickup point"
