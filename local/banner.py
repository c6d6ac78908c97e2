"""What `make dev` prints: where everything runs, each demo business's keys, logins and booking
page; and the demo sites' pages (each business's home page with its widget)."""

from __future__ import annotations

import html

from local.demo_pages import StaticSite, business_page, widget_tag
from local.emulators import ManagedServer
from local.seeding import DEMO_PASSWORD, SeedResult


def demo_pages(
    site: StaticSite, api: str, stripe: str, results: list[SeedResult]
) -> dict[str, str]:
    """Each seeded business's home page with its widget (its publishable key is known only
    when this run seeded it), a page per offering with the widget pinned to it
    (`/demo/<slug>/<offering id>.html`, as a business links one service), and an index of
    them at `/`."""
    pages: dict[str, str] = {}
    links = []
    for result in results:
        if not result.publishable_key:
            continue
        demo = result.demo
        lang = "zh-Hans" if demo.locale.startswith("zh") else "en"
        offerings = [o.split(" ", 1) for o in result.offerings]
        for offering_id, name in [("", ""), *offerings]:
            tag = widget_tag(
                key=result.publishable_key,
                api=api,
                stripe_js=f"{stripe}/js.stripe.com/v3/",
                payment_form="card",  # localstripe's Stripe.js has the Card Element only
                offering=offering_id,
            )
            path = (
                f"/demo/{demo.slug}/{offering_id}.html"
                if offering_id
                else f"/demo/{demo.slug}.html"
            )
            pages[path] = business_page(
                name=demo.business_name, business_type=demo.business_type, lang=lang, tag=tag
            )
            label = f"{demo.business_name}: {name}" if name else demo.business_name
            links.append(f'<li><a href="{path}">{html.escape(label)}</a></li>')
    pages["/"] = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Reservoir demo sites</title>'
        f"<h1>Demo businesses</h1><ul>{''.join(links)}</ul></html>"
    )
    return pages


def banner(
    api: str,
    servers: list[ManagedServer],
    results: list[SeedResult],
    site: StaticSite | None = None,
    console: StaticSite | None = None,
) -> str:
    lines = [
        "",
        "=" * 78,
        "Reservoir is running locally",
        f"  API ............ {api}/v1/",
        f"  API docs ....... {api}/v1/docs   (OpenAPI: {api}/v1/openapi.json)",
    ]
    lines += [f"  {s.name + ' ':.<16} {s.endpoint} (pid {s.pid})" for s in servers]
    if site is not None:
        lines.append(f"  demo sites ..... {site.endpoint}/ (each business's page with its widget)")
    if console is not None:
        lines.append(f"  staff console .. {console.endpoint}/ (sign in with a login below)")
    for result in results:
        demo = result.demo
        lines += ["", f"{demo.business_name} ({demo.slug}, {demo.business_type})"]
        if result.skipped:
            lines.append("  already there (kept data): not seeded again; its keys were shown then.")
            lines.append("  Its staff logins are gone: moto (Cognito) keeps nothing between runs.")
            continue
        if result.tenant_id:
            lines += [
                f"  tenant id ........ {result.tenant_id}",
                f"  secret key ....... {result.secret_key}",
                f"  publishable key .. {result.publishable_key}",
            ]
        if site is not None and f"/demo/{demo.slug}.html" in site.pages:
            lines.append(f"  booking page ..... {site.endpoint}/demo/{demo.slug}.html")
        lines += [f"  offering ......... {offering}" for offering in result.offerings]
        for line in result.connections:  # a partner, then its credentials, shown once
            label = " " * 18 if line.startswith(" ") else "channel partner .."
            lines.append(f"  {label} {line.strip()}")
        lines += [f"  login ............ {login}" for login in result.logins]
        lines += [f"  PROBLEM .......... {problem}" for problem in result.problems]
    if results and any(r.logins for r in results):
        lines += ["", f"Staff password (local only): {DEMO_PASSWORD}"]
    sample = next((r for r in results if r.secret_key), None)
    key = sample.secret_key if sample else "sk_..."
    moto = next((s.endpoint for s in servers if s.name == "moto-server"), "<moto endpoint>")
    lines += [
        "",
        "E-mails and text messages the stack sent (moto keeps them; nothing leaves the machine):",
        f"  .venv/bin/python -m local.mailbox --endpoint {moto} --body",
        "",
        "Try:",
        f"  curl -s {api}/v1/tenant -H 'Authorization: Bearer {key}'",
        f"  curl -s '{api}/v1/availability?offering=<offering id>&from=<date>&to=<date>'"
        f" -H 'Authorization: Bearer {key}'",
        "",
        "Ctrl-C stops everything.",
        "=" * 78,
    ]
    return "\n".join(lines)
