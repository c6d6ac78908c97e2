"""The widget on a web designer's own pages (an outside designer's findings): several widgets
on one page, of one business and of another, where a manage link is opened by one widget only;
a host style sheet that styles every `div` and every element, which must not reach the card
form's mount point nor make the widget grow past its column; and a narrow column on a wide
screen, where the booking's summary stacks by the widget's own width, not the screen's."""

from __future__ import annotations

from typing import Any

from local.demo_pages import business_page, widget_tag
from tests.browser.test_widget_booking import (
    HOTEL,
    SALON,
    TOURS,
    fill_details,
    offering_id,
    open_day,
    widget_hold,
)
from tests.browser.test_widget_manage_layout import SUMMARY_VALUES
from tests.browser.test_widget_manage_policy import twin_hold
from tests.browser.test_widget_payments import choose_double_room
from tests.browser.test_widget_summary_shown import tour_hold

NOT_FOUND = "We could not find this booking."


def host_page(site: Any, path: str, body: str, head: str = "") -> str:
    """A designer's page at `path` carrying `body` (the widgets' tags in their layout)."""
    site.pages[path] = business_page(
        name="Host", business_type="appointments", lang="en", tag=body, head=head
    )
    return f"{site.endpoint}{path}"


def tag(demo: dict[str, Any], live: Any, slug: str, offering: str = "", stripe: str = "") -> str:
    """A widget of `slug` (pinned to the offering named `offering`); with `stripe` (the local
    Connect stand-in's address) it pays by localstripe's Card Element, as the demo pages' do."""
    return widget_tag(
        key=demo[slug].publishable_key,
        api=live.base,
        offering=offering_id(demo, slug, offering) if offering else "",
        stripe_js=f"{stripe}/js.stripe.com/v3/" if stripe else "",
        payment_form="card" if stripe else "",
    )


def three_widgets(site: Any, demo: dict[str, Any], live: Any) -> str:
    """Two of the salon's widgets (colour first, then haircut: the same key) and the hotel's."""
    body = (
        f"{tag(demo, live, SALON, 'Colour and cut')}"
        f"{tag(demo, live, SALON, 'Haircut')}"
        f"{tag(demo, live, HOTEL)}"
    )
    return host_page(site, "/designer/three.html", body)


def widget(page: Any, n: int) -> Any:
    return page.locator("reservoir-booking").nth(n)


def link(url: str, order_id: str, token: str) -> str:
    return f"{url}#reservoir_order={order_id}&reservoir_token={token}"


def test_a_manage_link_is_opened_by_one_widget_of_the_business_that_owns_it(
    browser, site, demo, live
):
    url = three_widgets(site, demo, live)
    page = browser.page(width=1280)

    # A haircut: the salon's widget pinned to haircuts opens it, no other.
    haircut = widget_hold(live, demo, open_day("America/New_York", ahead=17), "12:00")
    page.goto(link(url, haircut["id"], haircut["manage_token"]))
    widget(page, 1).get_by_role("heading", name="Your booking").wait_for()
    widget(page, 0).get_by_label("Date").wait_for()  # its own form: colour and cut
    widget(page, 2).get_by_label("Check-in").wait_for()  # the hotel's form
    assert haircut["id"] in widget(page, 1).locator("dl").inner_text()
    assert page.get_by_role("heading", name="Your booking").count() == 1
    assert page.get_by_text(NOT_FOUND).count() == 0

    # A stay at the hotel: the salon's key does not find it, the hotel's widget opens it and
    # the salon's say nothing of it.
    stay = twin_hold(live, demo, open_day("Europe/Berlin", ahead=45, closed=()).isoformat())
    page.goto(link(url, stay["id"], stay["manage_token"]))
    widget(page, 2).get_by_role("heading", name="Your booking").wait_for()
    widget(page, 0).get_by_label("Date").wait_for()
    widget(page, 1).get_by_label("Date").wait_for()
    assert page.get_by_role("heading", name="Your booking").count() == 1
    assert page.get_by_text(NOT_FOUND).count() == 0

    # A link no business on the page knows: said once, by the first widget.
    page.goto(link(url, haircut["id"], "not-its-token"))
    widget(page, 0).get_by_text(NOT_FOUND).wait_for()
    widget(page, 1).get_by_label("Date").wait_for()
    widget(page, 2).get_by_label("Check-in").wait_for()
    assert page.get_by_text(NOT_FOUND).count() == 1


# A host style sheet that styles every element: a flex `div`, a big font.
AGGRESSIVE = """<style>
  div { display: flex; }
  * { font-size: 22px; }
  .columns { gap: 20px; }
  .column { width: 280px; flex: none; }
</style>"""

# Where each box is: the widget's, its card form's mount point's (with its display and font
# size) and the neighbouring column's.
BOXES = """() => {
  const host = document.querySelector('reservoir-booking');
  const slot = host.querySelector(':scope > [slot=payment]');
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.right]; };
  const style = getComputedStyle(slot);
  return { widget: box(host), slot: box(slot), neighbour: box(document.querySelector('.side')),
    display: style.display, font: style.fontSize };
}"""


def test_the_card_form_keeps_the_widgets_look_in_a_narrow_column_of_an_aggressive_page(
    browser, site, demo, live, connect
):
    body = (
        '<div class="columns"><div class="column">'
        f"{tag(demo, live, HOTEL, 'Double room', connect.endpoint)}"
        '</div><div class="column side"><p>The neighbour column.</p></div></div>'
    )
    url = host_page(site, "/designer/aggressive.html", body, head=AGGRESSIVE)
    page = browser.page(width=1280)
    page.goto(url)
    choose_double_room(page, open_day("Europe/Berlin", ahead=33, closed=()).isoformat())
    fill_details(page, "Narrow Column", "narrow@example.com")
    page.get_by_role("button", name="Book", exact=True).click()
    page.locator('reservoir-booking > [slot="payment"] input').first.wait_for()
    boxes = page.evaluate(BOXES)
    widget_box, slot_box, neighbour = boxes["widget"], boxes["slot"], boxes["neighbour"]
    assert widget_box[1] - widget_box[0] <= 280.5, boxes  # never past its column
    assert widget_box[1] <= neighbour[0], boxes  # never over the neighbour
    assert widget_box[0] <= slot_box[0] and slot_box[1] <= widget_box[1], boxes
    assert (boxes["display"], boxes["font"]) == ("block", "16px"), boxes


def test_the_summary_stacks_by_the_widgets_width_in_a_narrow_column(browser, site, demo, live):
    order = tour_hold(live, demo, ahead=19)
    body = f'<div style="width: 280px">{tag(demo, live, TOURS)}</div>'
    url = host_page(site, "/designer/narrow.html", body)
    page = browser.page(width=1280)
    page.goto(link(url, order["id"], order["manage_token"]))
    page.locator("reservoir-booking dl").first.wait_for()
    reference, when = page.evaluate(SUMMARY_VALUES)[:2]
    assert reference["text"] == order["id"]
    assert reference["lines"] == 1, reference  # not broken into three
    assert when["lines"] <= 2 and when["share"] > 0.9, when  # the whole width, not a word a line
