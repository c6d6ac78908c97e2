"""The API reference (Swagger UI, served by the API from its own origin): a developer names a
key under "Authorize" and sends a request against the running stack from the page."""

from __future__ import annotations

import re


def test_a_developer_tries_a_request_from_the_reference_page(browser, live, demo):
    page = browser.page(width=1200)
    page.goto(f"{live.base}/v1/docs")
    authorize = page.get_by_role("button", name=re.compile("Authorize")).first
    # Swagger UI draws the whole document first (a megabyte of script, hundreds of operations):
    # on a loaded machine that alone took more than the usual 15 s.
    authorize.wait_for(timeout=60_000)
    authorize.click()
    schemes = page.locator(".auth-container")
    assert schemes.count() == 3  # the secret key, the publishable key, the staff login
    widget = schemes.filter(has_text="publishableKey")
    widget.locator("input").fill(demo["shear-studio"].publishable_key)
    widget.locator("input").press("Enter")
    page.locator(".modal-ux .close-modal").click()
    page.locator("#operations-tag-public").click()
    operation = page.locator(".opblock").filter(has_text="/v1/public/offerings").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    body = operation.locator(
        ".live-responses-table tbody .response-col_description"
    ).first.inner_text()
    assert "Haircut" in body and "Colour and cut" in body
    assert "Bearer pk_" in operation.locator(".curl-command").inner_text()
