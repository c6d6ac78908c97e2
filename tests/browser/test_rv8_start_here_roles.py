"""Review rv8, finding 7 (fixp6b, web/console/start_here.tsx:19-25): Today's "Start here" for a
business that sells nothing yet links everyone, a viewer too, to the Catalog's "new resource"
and "new offering" forms, which only managers and owners may use (the API refuses the others'
writes, and the Catalog page itself gives its "New" links to managers and owners alone,
catalog.tsx:34 and :68). A viewer who follows "What is booked" gets an editor whose fields are
all disabled and that has no button, with nothing said; the panel hides only Website and
Payments by role."""

from __future__ import annotations

from types import SimpleNamespace

from tests.browser.test_console import invite_viewer, sign_in
from tests.browser.test_console_first_day import new_business


def test_start_here_offers_a_viewer_no_form_they_may_not_use(browser, console, live, stack):
    tenant, _, _ = new_business(browser, console, live, stack, "viewer-start", "Vera Owner")
    viewer = f"viewer@{tenant['slug']}.example"
    invite_viewer(live, stack, SimpleNamespace(secret_key=tenant["secret_key"]), viewer, "Vic")
    page = browser.page(width=1280)
    sign_in(page, console, viewer)
    panel = page.get_by_role("region", name="Start here")
    panel.wait_for()
    hrefs = [a.get_attribute("href") for a in panel.get_by_role("link").all()]
    assert "#/catalog" in hrefs  # reading the catalog is everyone's
    assert [h for h in hrefs if h and h.endswith("/new")] == [], hrefs
