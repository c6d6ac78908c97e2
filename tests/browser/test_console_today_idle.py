"""A busy spa's Today (an outside tester's 100 therapists): the resources with nothing on
today are one line, opened on demand, rather than a card each reading "Nothing." (a day list
9,000 px tall, mostly empty on paper too); what is on today is shown as before."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.browser.test_console import set_demo_password, sign_in

ZONE = "Europe/Berlin"


EVERYDAY = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def with_idle_staff(live, stack, slug: str, zone: str, name: str, n: int) -> dict:  # noqa: ANN001
    """A new appointments business with `n` staff open all day and nothing booked, and its
    owner's console login."""
    business = live.signup(slug, business_type="appointments", timezone=zone, currency="EUR")
    set_demo_password(stack, f"o@{business['slug']}.example")
    for i in range(n):
        staff = {"name": f"{name} {i:03}", "kind": "timed", "capacity": 1, "hours": EVERYDAY}
        made = live.call("POST", "/v1/resources", key=business["secret_key"], json=staff)
        assert made.status_code == 201, made.text
    return business


def test_a_spas_idle_therapists_fold_into_one_line_and_open_on_demand(
    browser, console, live, stack
):
    spa = with_idle_staff(live, stack, "idle-spa", ZONE, "Therapist", 7)
    page = browser.page(width=1024, zone=ZONE)
    sign_in(page, console, f"o@{spa['slug']}.example")
    fold = page.get_by_text("Nothing on today for 7 more: Therapist 000, Therapist 001,")
    fold.wait_for(timeout=30_000)
    assert page.get_by_role("heading", name="Therapist 003").is_hidden()
    fold.click()  # a <summary>: the keyboard opens it too
    page.get_by_role("heading", name="Therapist 003").wait_for()


def zone_at_daytime() -> str:
    """A zone where it is now between 06:00 and 19:00, so a booking later today exists."""
    for zone in (
        "Europe/Berlin",
        "Asia/Tokyo",
        "America/New_York",
        "Asia/Kolkata",
        "Pacific/Auckland",
        "America/Los_Angeles",
    ):
        if 6 <= datetime.now(ZoneInfo(zone)).hour < 19:
            return zone
    raise AssertionError("no zone at daytime")  # the six cover every hour of the day


def test_a_sheet_emptied_by_a_refused_step_keeps_its_sentence_and_the_keyboard(
    browser, console, live, stack
):
    """A late reviewer's: the chair's only booking cancelled meanwhile, Check in is refused
    and the sheet says why; the sheet, now with nothing on, moved into the fold and was drawn
    anew, its sentence lost and the keyboard on <body>. The fold is decided on the day's
    first read, so the sheet stays where it was."""
    zone = zone_at_daytime()
    salon = with_idle_staff(live, stack, "fold-salon", zone, "Idle", 6)
    key = salon["secret_key"]
    chair = live.call(
        "POST",
        "/v1/resources",
        key=key,
        json={"name": "Chair", "kind": "timed", "capacity": 1, "hours": EVERYDAY},
    ).json()
    cut = {
        "name": "Cut",
        "kind": "timed",
        "requirements": [{"resource_id": chair["id"]}],
        "pricing": {"amount": 3000, "basis": "booking"},
        "duration_minutes": 60,
    }
    offered = live.call("POST", "/v1/offerings", key=key, json=cut)
    assert offered.status_code == 201, offered.text
    later = datetime.now(ZoneInfo(zone)).replace(minute=0, second=0, microsecond=0)
    start = (later + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    body = {
        "customer": {"name": "Fold Guest", "email": "fold.guest@example.com"},
        "lines": [{"offering_id": offered.json()["id"], "start": start}],
    }
    held = live.call("POST", "/v1/orders", key=key, json=body)
    assert held.status_code == 201, held.text
    order_id = held.json()["id"]
    assert live.call("POST", f"/v1/orders/{order_id}/confirm", key=key).status_code == 200
    page = browser.page(width=1024, zone=zone)
    sign_in(page, console, f"o@{salon['slug']}.example")
    sheet = page.get_by_role("article", name="Chair")
    check_in = sheet.get_by_role("button", name="Check in")
    check_in.wait_for(timeout=30_000)
    page.get_by_text("Nothing on today for 6 more").wait_for()
    gone = live.call("POST", f"/v1/orders/{order_id}/cancel", key=key, json={"reason": "x"})
    assert gone.status_code == 200, gone.text
    check_in.click()
    said = sheet.get_by_role("alert").filter(has_text="Fold Guest's booking was cancelled")
    said.wait_for()
    sheet.get_by_text("Nothing.").first.wait_for()  # read again, with nothing on, in place
    assert said.is_visible()
    page.wait_for_function("document.activeElement.getAttribute('role') === 'alert'")
