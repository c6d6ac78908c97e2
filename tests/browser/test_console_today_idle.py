"""A busy spa's Today (an outside tester's 100 therapists): the resources with nothing on
today are one line, opened on demand, rather than a card each reading "Nothing." (a day list
9,000 px tall, mostly empty on paper too); what is on today is shown as before."""

from __future__ import annotations

from tests.browser.test_console import set_demo_password, sign_in

ZONE = "Europe/Berlin"


def test_a_spas_idle_therapists_fold_into_one_line_and_open_on_demand(
    browser, console, live, stack
):
    spa = live.signup("idle-spa", business_type="appointments", timezone=ZONE, currency="EUR")
    key = spa["secret_key"]
    set_demo_password(stack, f"o@{spa['slug']}.example")
    everyday = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    for n in range(7):
        staff = {"name": f"Therapist {n:03}", "kind": "timed", "capacity": 1, "hours": everyday}
        made = live.call("POST", "/v1/resources", key=key, json=staff)
        assert made.status_code == 201, made.text
    page = browser.page(width=1024, zone=ZONE)
    sign_in(page, console, f"o@{spa['slug']}.example")
    fold = page.get_by_text("Nothing on today for 7 more: Therapist 000, Therapist 001,")
    fold.wait_for(timeout=30_000)
    assert page.get_by_role("heading", name="Therapist 003").is_hidden()
    fold.click()  # a <summary>: the keyboard opens it too
    page.get_by_role("heading", name="Therapist 003").wait_for()
