"""The tour operator's owner builds a segment with the rule builder, sees its live count and
first members, saves it, creates a campaign from it and sends it after the console asks; the
worker loop sends it and the counts come back on the page. Three customers tagged for this
test alone are put in the demo tour operator's table (as an import would leave them; two agreed
to marketing e-mail), so the count and the sending do not depend on other tests' bookings."""

from __future__ import annotations

import re
import time
from email import message_from_string, policy
from typing import Any

from chalicelib.customers.adapters.customer_items import customer_item
from chalicelib.customers.domain.records import Consent, ConsentSource, CustomerRecord, Profile
from chalicelib.kernel.domain.customer_ids import customer_id_for
from chalicelib.queues import MAIL_FEEDBACK
from local.mailbox import moto_state
from tests.browser.axe import serious_violations as axe_violations
from tests.browser.test_console import TOURS, sign_in
from tests.ses_feedback import feedback_body


def seed_customers(stack: Any, tenant_id: str, tag: str) -> list[str]:
    table = f"{stack.env['RESERVOIR_TENANT_TABLE_PREFIX']}{tenant_id}"
    dynamodb = stack.client("dynamodb")
    emails = []
    for name, agreed in (("Wei Campaign", True), ("Lin Campaign", True), ("Bo Campaign", False)):
        email = f"{name.split()[0].lower()}.{tag}@example.com"
        record = CustomerRecord(
            id=customer_id_for(email),
            profile=Profile(name=name, email=email),
            created_at="2026-01-01T00:00:00.000000Z",
            updated_at="2026-01-01T00:00:00.000000Z",
            tags=(tag,),
            consent=Consent(granted=agreed, source=ConsentSource.IMPORT, at="2026-01-01"),
        )
        dynamodb.put_item(TableName=table, Item=customer_item(record))
        emails.append(email)
    return emails


def test_the_owner_builds_a_segment_sees_its_count_and_sends_a_campaign(
    browser, console, demo, live, stack
):
    tours = demo[TOURS]
    tag = f"browser{time.time_ns() % 10**9}"
    seed_customers(stack, tours.tenant_id, tag)

    page = browser.page(width=1280, zone="Asia/Shanghai")
    sign_in(page, console, "owner@great-wall-tours.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Segments").click()
    builder = page.get_by_role("form", name="New segment")
    builder.get_by_role("textbox", name="Name").fill(f"Tagged {tag}")
    rule = builder.get_by_role("group", name="Rule 1")
    rule.get_by_role("combobox", name="What").select_option(label="Has the tag")
    rule.get_by_role("textbox", name="Tag").fill(tag)
    builder.get_by_role("button", name="Add a rule").click()
    second = builder.get_by_role("group", name="Rule 2")
    second.get_by_role("combobox", name="What").select_option(label="Agreed to marketing e-mail")
    builder.get_by_text(re.compile(r"^2 of [\d,]+ customers match\.$")).wait_for()
    preview = builder.get_by_role("region", name="First members")
    assert "Wei Campaign" in preview.inner_text() and "Lin Campaign" in preview.inner_text()
    assert "Bo Campaign" not in preview.inner_text()  # did not agree
    assert axe_violations(page) == []
    builder.get_by_role("button", name="Save segment").press("Enter")  # the keyboard saves it
    page.get_by_text(f"Segment “Tagged {tag}” saved.").wait_for()
    row = page.get_by_role("row").filter(has_text=f"Tagged {tag}")
    row.get_by_role("button", name="Count").click()
    row.get_by_text(re.compile(r"^2 of [\d,]+ customers match\.$")).wait_for()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns").click()
    form = page.get_by_role("form", name="New campaign")
    form.get_by_role("textbox", name="Name").fill(f"Autumn {tag}")
    form.get_by_role("combobox", name="Segment").select_option(label=f"Tagged {tag}")
    english = form.get_by_role("group", name="In English")
    english.get_by_role("textbox", name="Subject").fill("See the Wall in autumn, {{ first_name }}")
    english.get_by_role("textbox", name="Text").fill(
        "Dear {{ first_name }}, the leaves are turning."
    )
    # The Chinese e-mail begun with its subject alone: the form asks for its text, not the API
    # (which named the field as `wordings.zh-Hans.body`); emptied again, it is not asked for.
    chinese = form.get_by_role("group", name="In Chinese (optional)")
    chinese.get_by_role("textbox", name="Subject").fill("秋天的长城")
    form.get_by_role("button", name="Create campaign").click()
    missing = chinese.get_by_role("textbox", name="Text")
    assert missing.evaluate("e => e.validity.valueMissing && e === document.activeElement")
    assert form.get_by_text("wordings").count() == 0
    # Spaces alone are no subject: the field says so, not the API.
    chinese.get_by_role("textbox", name="Subject").fill("   ")
    missing.fill("秋天来了")
    form.get_by_role("button", name="Create campaign").click()
    blank = chinese.get_by_role("textbox", name="Subject")
    assert blank.evaluate("e => e.validity.customError && e === document.activeElement")
    blank.fill("")
    missing.fill("")
    assert not missing.evaluate("e => e.required || !e.validity.valid")
    form.get_by_role("button", name="Create campaign").click()
    page.get_by_text(
        f"Campaign “Autumn {tag}” created. It is sent only when you press Send."
    ).wait_for()
    page.wait_for_function("() => document.activeElement?.id === 'campaigns-said'")  # not <body>

    campaign_row = page.get_by_role("row").filter(has_text=f"Autumn {tag}")
    campaign_row.get_by_role("button", name="Send").click()
    question = campaign_row.get_by_role("alertdialog")
    assert f"Tagged {tag}" in question.inner_text()
    yes = question.get_by_role("button", name="Yes, send it")
    # The question takes the focus once it is drawn (an effect after the render): wait for it.
    page.wait_for_function("b => b === document.activeElement", arg=yes.element_handle())
    assert axe_violations(page) == []
    page.keyboard.press("Enter")
    page.get_by_text(f"“Autumn {tag}” is being sent.", exact=False).wait_for()

    campaign_id = campaign_row.get_attribute("data-campaign")
    deadline = time.monotonic() + 60
    sent = None
    while time.monotonic() < deadline:
        found = live.call("GET", f"/v1/campaigns/{campaign_id}", key=tours.secret_key).json()
        if found["status"] == "sent":
            sent = found
            break
        time.sleep(0.5)
    assert sent is not None, "the worker loop did not send the campaign"
    assert (sent["counts"]["recipients"], sent["counts"]["sent"]) == (2, 2)
    page.get_by_role("button", name="Refresh the counts").click()
    counts = page.get_by_role("row").filter(has_text=f"Autumn {tag}")
    counts.locator("td[data-count=sent]").filter(has_text="2").wait_for()
    counts.locator("td[data-status=sent]").wait_for()

    # The e-mails as SES (moto) took them: rendered, with the unsubscribe headers.
    raw = [
        message_from_string(m["raw_data"], policy=policy.default)
        for m in moto_state(stack.aws_endpoint).get("ses", {}).get("RawMessage", [])
        if any(tag in d for d in m["destinations"])
    ]
    assert sorted(str(m["To"]).split("@")[0] for m in raw) == [f"lin.{tag}", f"wei.{tag}"]
    wei = next(m for m in raw if str(m["To"]).startswith("wei."))
    assert str(wei["Subject"]) == "See the Wall in autumn, Wei"
    assert str(wei["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    link = str(wei["List-Unsubscribe"]).strip("<>")
    path = link[link.index("/v1/unsubscribe/") :]

    # Wei follows the link: the page asks, and only its button unsubscribes.
    guest = browser.page(width=400, locale="zh-CN")
    guest.goto(f"{live.base}{path}")
    button = guest.get_by_role("button", name="Unsubscribe · 退订")
    wei_id = customer_id_for(f"wei.{tag}@example.com")
    before = live.call("GET", f"/v1/customers/{wei_id}", key=tours.secret_key).json()
    assert before["consent"]["granted"] is True
    # (No axe here: the page's CSP refuses any script, axe's included.)
    button.focus()
    guest.keyboard.press("Enter")
    guest.get_by_text("您已退订：我们不会再向您发送营销邮件。").wait_for()
    after = live.call("GET", f"/v1/customers/{wei_id}", key=tours.secret_key).json()
    assert (after["consent"]["granted"], after["consent"]["source"]) == (False, "unsubscribe_link")
    counted = live.call("GET", f"/v1/campaigns/{campaign_id}", key=tours.secret_key).json()
    assert counted["counts"]["unsubscribed"] == 1

    # The segment of a sent campaign may go: the campaign then says so, not the segment's id
    # (an outside tester read `seg_00mxat…` where the name had been).
    segment_id = sent["segment_id"]
    gone = live.call("DELETE", f"/v1/segments/{segment_id}", key=tours.secret_key)
    assert gone.status_code in (200, 204), gone.text
    page.reload()
    row = page.get_by_role("row").filter(has_text=f"Autumn {tag}")
    row.get_by_text("A deleted segment").wait_for()
    assert segment_id not in row.inner_text()


def test_deleting_a_segment_a_draft_campaign_uses_is_refused_on_the_page(
    browser, console, demo, live
):
    tours = demo[TOURS]
    tag = f"inuse{time.time_ns() % 10**9}"
    segment = live.call(
        "POST",
        "/v1/segments",
        key=tours.secret_key,
        headers={"Idempotency-Key": f"seg-{tag}"},
        json={"name": f"Held {tag}", "rules": [{"kind": "tag", "text": tag}]},
    )
    assert segment.status_code == 201, segment.text
    wording = {"en": {"subject": "Hello", "body": "Come back."}}
    campaign = live.call(
        "POST",
        "/v1/campaigns",
        key=tours.secret_key,
        headers={"Idempotency-Key": f"camp-{tag}"},
        json={"name": f"Draft {tag}", "segment_id": segment.json()["id"], "wordings": wording},
    )
    assert campaign.status_code == 201, campaign.text

    page = browser.page(width=1280, zone="Asia/Shanghai")
    sign_in(page, console, "owner@great-wall-tours.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Segments").click()
    row = page.get_by_role("row").filter(has_text=f"Held {tag}")
    row.get_by_role("button", name=f"Delete Held {tag}").click()
    refusal = page.get_by_role("alert").filter(has_text=f"Draft {tag}")
    refusal.wait_for()
    assert f"“Held {tag}” cannot be deleted" in refusal.inner_text()
    assert row.count() == 1  # still there

    # The draft nobody will send is deleted, and then the segment can go.
    page.on("dialog", lambda dialog: dialog.accept())  # "Delete the draft …? It was never sent."
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Campaigns").click()
    page.get_by_role("button", name=f"Delete draft Draft {tag}").click()
    page.get_by_text(f"The draft “Draft {tag}” is deleted.").wait_for()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Segments").click()
    row = page.get_by_role("row").filter(has_text=f"Held {tag}")
    row.get_by_role("button", name=f"Delete Held {tag}").click()
    row.wait_for(state="detached")


def test_a_bounce_on_the_feedback_queue_shows_on_the_customer_s_page(
    browser, console, demo, live, stack
):
    """SES's notification (its documented shape, tests/fixtures/ses/) put on the local feedback
    queue as SNS would deliver it: the worker loop reads it like the other queues, and the
    customer's page says their e-mail bounces."""
    tours = demo[TOURS]
    tag = f"bounce{time.time_ns() % 10**9}"
    wei = seed_customers(stack, tours.tenant_id, tag)[0]
    sqs = stack.client("sqs")
    url = sqs.get_queue_url(QueueName=MAIL_FEEDBACK.name)["QueueUrl"]
    body = feedback_body(to=wei, tenant=tours.tenant_id, message_id=f"ses-{tag}")
    sqs.send_message(QueueUrl=url, MessageBody=body)
    wei_id = customer_id_for(wei)
    record: dict[str, Any] = {}
    for _ in range(60):
        record = live.call("GET", f"/v1/customers/{wei_id}", key=tours.secret_key).json()
        if record.get("email_bounced"):
            break
        time.sleep(0.5)
    assert record.get("email_bounced", {}).get("email") == wei, record

    page = browser.page(width=1280, zone="Asia/Shanghai")
    sign_in(page, console, "owner@great-wall-tours.example")
    page.goto(f"{console.endpoint}/#/customer/{wei_id}")
    page.get_by_text(re.compile(rf"^E-mails to {re.escape(wei)} bounce")).wait_for()
    assert axe_violations(page) == []
