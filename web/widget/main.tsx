/**
 * `<reservoir-booking key="pk_..." offering="off_..."></reservoir-booking>`: the booking widget
 * a business adds to any page with one tag and one script. It renders in a shadow root, keeps
 * its state in itself (no cookies), and opens the manage page when the page's address carries
 * a manage link (`#reservoir_order=...&reservoir_token=...`).
 *
 * Attributes: `key` (the publishable key, required), `offering` (book this one only), `api`
 * (the API's base address), `lang` (else a manage link's `reservoir_lang`, else the business's
 * chosen widget language, else the page's, else the browser's), `stripe-js` and
 * `payment-form` (`payment`: Stripe's Payment Element; `card`: the Card Element, for
 * localstripe's stand-in), `order` and `token` (open the manage page for that order).
 */
import { render } from "preact";
import type { Offering, PublicTenant } from "./api";
import { Api, ApiError } from "./api";
import type { Order } from "./api";
import type { Context, ManageLink } from "./app";
import { App, describe } from "./app";
import type { Seat } from "./claim";
import { claimOf } from "./claim";
import { Formats } from "../shared/format";
import { resolveLocale, translator } from "./i18n";
import { forgetHold, keptHold } from "./resume";
import { css } from "./styles";

declare const __RESERVOIR_API__: string;
const DEFAULT_API = typeof __RESERVOIR_API__ === "string" ? __RESERVOIR_API__ : "";
const STRIPE_JS = "https://js.stripe.com/v3/";

/** The locale dates, times and money are written in: the visitor's own when the widget speaks
 * its language (an en-GB browser reads "Wed 2 Dec 2026, 18:00", an en-US one "Wed, Dec 2,
 * 2026, 6:00 PM"; Simplified Chinese only from a Simplified tag), else the widget's. */
function formatLocale(locale: "en" | "zh-Hans"): string {
  const ours = locale === "en" ? /^en(-|$)/i : /^zh-(hans|cn|sg)(-|$)/i;
  const own = (navigator.languages ?? [navigator.language]).find((tag) => tag && ours.test(tag));
  try {
    return own && Intl.DateTimeFormat.supportedLocalesOf([own]).length ? own : locale;
  } catch {
    return locale; // a tag Intl refuses
  }
}

// The card form's mount point as the widget draws it, whatever the page's style sheet says.
const SLOT_STYLE = [
  ["display", "block"],
  ["box-sizing", "border-box"],
  ["min-width", "0"],
  ["max-width", "100%"],
  ["width", "auto"],
  ["margin", "0"],
  ["padding", "0"],
  ["float", "none"],
  ["position", "static"],
  ["font-size", "16px"],
  ["line-height", "1.45"],
] as const;

/** The manage link's parameters: in the fragment, else the query string. */
function linkParams(): URLSearchParams {
  return new URLSearchParams(location.hash.slice(1) || location.search);
}

/** The API a widget's element calls: its `api` attribute's, else the build's, else the page's. */
function apiOf(element: Element): Api {
  return new Api(element.getAttribute("api") || DEFAULT_API || location.origin, element.getAttribute("key") ?? "");
}

/** The page's widgets a manage link in the address may open, in document order: not one that
 * shows an order of its own (`order`). */
function linkSeats(): Seat[] {
  return [...document.querySelectorAll("reservoir-booking")]
    .filter((w) => !w.hasAttribute("order"))
    .map((w) => {
      const api = apiOf(w);
      return { element: w, api, group: `${api.base}\n${api.key}`, offering: w.getAttribute("offering") };
    });
}

const warned = new Set<string>();

/** Tells the page's developer, once per key, which origin the API refused (403
 * `origin_not_allowed`) and how the business allows it: "This booking form is not enabled for
 * this website." under a "Try again" that could never succeed told a web designer nothing. */
function refusedOrigin(error: ApiError, key: string): void {
  const origin = typeof error.details.origin === "string" ? error.details.origin : location.origin;
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(
    `Reservoir booking widget: the API refused this page's origin ${origin} for the key ${key} ` +
      "(403 origin_not_allowed). The business adds it under the origins the widget may run on, " +
      "on the console's Website page, or by PATCH /v1/tenant " +
      `{"widget_origins": [..., "${origin}"]} (the list sent replaces the list).`,
  );
}

/** What a widget shows while it loads, or while the page's widgets decide which opens a link:
 * as tall as the embed snippet's placeholder (../shared/embed.ts), so the page does not jump
 * when the widget takes its place. */
function loadingLine(locale: string, text: string) {
  return (
    <div class="rsv loading" lang={locale}>
      <p class="muted">{text}</p>
    </div>
  );
}

class ReservoirBooking extends HTMLElement {
  static observedAttributes = ["key", "offering", "lang", "order", "token"];
  private root: ShadowRoot | null = null;
  private started = false;
  private acted = { current: false };
  private loaded: { api: Api; tenant: PublicTenant; offerings: Offering[] } | null = null;
  private starts = 0; // only the latest start() may show what it loaded
  private orderLanguage: string | null = null;

  private linkShown = false; // what is shown is the order a fragment's manage link names
  // Whether this widget opens the address's manage link, once the page's widgets decided
  // (claim.ts): one widget of several, the one whose business owns the order.
  private claimed: { link: string; mine: boolean } | null = null;
  // The hold this tab was paying for when the page was left or reloaded (resume.ts): shown
  // once, by the first booking form drawn after the start that read it.
  private resumed: { order: Order; token: string } | null = null;

  /** Another manage link in the fragment shows its order; a fragment that drops the link (Back
   * after one was opened on this page) shows the booking again; the page's own anchors change
   * nothing. */
  private onHash = (): void => {
    if (!this.loaded) return;
    if (!/reservoir_order=/.test(location.hash) && !this.linkShown) return;
    this.orderLanguage = null; // another order's customer may speak another language
    this.claimed = null; // decided again (claim.ts), for this link
    this.show();
  };

  connectedCallback(): void {
    window.addEventListener("hashchange", this.onHash);
    if (!this.root) {
      // The snippet's "Loading the booking form…" (what a slow phone shows while this script
      // loads: an outside tester's saw 20 s of empty space) is replaced by the widget's own.
      for (const child of Array.from(this.childNodes)) {
        if (!(child instanceof Element && child.getAttribute("slot") === "payment")) child.remove();
      }
      this.root = this.attachShadow({ mode: "open" });
      const style = document.createElement("style");
      style.textContent = css;
      this.root.appendChild(style);
      this.root.appendChild(document.createElement("div"));
      // A key or a press inside the widget is the customer acting: from then on what appears
      // (a step's heading, a refusal) may take the focus (app.tsx Heading, Alert).
      const acting = (): void => {
        this.acted.current = true;
      };
      this.root.addEventListener("keydown", acting);
      this.root.addEventListener("pointerdown", acting);
    }
    this.started = true;
    void this.start();
  }

  attributeChangedCallback(name: string, before: string | null, after: string | null): void {
    if (name === "key" || name === "offering") this.keptUnder = undefined; // another hold's
    if (!this.started || before === after) return;
    // A new language keeps where the customer is; anything else starts over.
    if (name === "lang" && this.loaded) this.show();
    else void this.start();
  }

  disconnectedCallback(): void {
    window.removeEventListener("hashchange", this.onHash);
    const mount = this.root?.lastElementChild;
    if (mount) render(null, mount);
    this.started = false;
    this.keptUnder = undefined; // put elsewhere on the page: its place there
  }

  private paymentSlot(): HTMLElement {
    let slot = this.querySelector<HTMLElement>(':scope > [slot="payment"]');
    if (!slot) {
      slot = document.createElement("div");
      slot.setAttribute("slot", "payment");
      this.appendChild(slot);
    }
    // A light-DOM child, so the host page's rules reach it: `div { display: flex }` and
    // `* { font-size: 22px }` made a 280 px column's widget 640 px wide, over its neighbour
    // (an outside designer's page). Inline and important, the widget's own look wins.
    for (const [name, value] of SLOT_STYLE) slot.style.setProperty(name, value, "important");
    return slot;
  }

  /** The tag's own `lang` says what this page wants; else the language the business chose for
   * its widget (known once its tenant is read: the loading line may use the page's); else the
   * page's `<html lang>`, often a template's default; else the browser's. */
  private locale(): "en" | "zh-Hans" {
    return resolveLocale([
      this.getAttribute("lang"),
      // A manage link's language: the customer's, as their e-mails are (never above the tag's
      // own, which a page's language switch sets).
      linkParams().get("reservoir_lang"),
      this.orderLanguage, // the managed order's customer's, for a link that does not say it
      this.loaded?.tenant.branding?.widget_language,
      document.documentElement.lang,
      ...(navigator.languages ?? [navigator.language]),
    ]);
  }

  private async start(): Promise<void> {
    const mount = this.root!.lastElementChild!;
    const locale = this.locale();
    const t = translator(locale);
    const api = apiOf(this);
    this.loaded = null;
    this.claimed = null; // another key may not be the one that opens the link
    const mine = ++this.starts;
    render(loadingLine(locale, t("loading")), mount);
    try {
      const [tenant, offerings] = await Promise.all([api.tenant(), api.offerings()]);
      const resumed = await this.heldBefore(api, offerings);
      if (mine !== this.starts) return;
      this.loaded = { api, tenant, offerings };
      this.resumed = resumed;
      this.show();
    } catch (e) {
      if (mine !== this.starts) return;
      // A page the business did not list is refused until it lists it: no "Try again" that
      // cannot succeed, and the page's developer is told what to do (refusedOrigin).
      const refused = e instanceof ApiError && e.code === "origin_not_allowed";
      if (refused) refusedOrigin(e, api.key);
      render(
        <div class="rsv" lang={locale}>
          <p class="alert" role="alert">
            {describe(t, e)}
          </p>
          {refused ? null : (
            <button type="button" onClick={() => void this.start()}>
              {t("try_again")}
            </button>
          )}
        </div>,
        mount,
      );
    }
  }

  /** The hold kept for this tab (resume.ts), read again: still held, it is shown; booked,
   * released or expired meanwhile (another tab paid it, it ran out), forgotten. Not when the
   * page opens a manage link, which says what to show. */
  private async heldBefore(api: Api, offerings: Offering[]): Promise<{ order: Order; token: string } | null> {
    const widgetKey = this.holdKey();
    if (this.getAttribute("order") || linkParams().get("reservoir_order")) return null;
    const kept = keptHold(widgetKey, api.now());
    if (!kept) return null;
    let order: Order;
    try {
      order = await api.order(kept.orderId, kept.token);
    } catch (e) {
      // Gone (404: another business's, revoked): forgotten. The network, a 5xx or a 429: kept
      // for the next load, and the form shown meanwhile.
      if (e instanceof ApiError && e.status === 404) forgetHold(widgetKey);
      return null;
    }
    // Only a hold of what this widget sells (a page pinned to another offering keeps its own).
    const sold = order.lines.every((line) => offerings.some((o) => o.id === line.offering_id));
    if (order.status === "held" && sold) return { order, token: kept.token };
    if (order.status !== "held") forgetHold(widgetKey);
    return null;
  }

  /** Where this widget keeps its hold (resume.ts): its key and the offering it is pinned to,
   * so a page pinned to one offering never shows another's hold; and, after the first, its
   * place among the page's widgets of that key and offering, so two of them on one page keep
   * a hold each (the same place again after a reload). */
  private holdKey(): string {
    // Once: a widget added to the page later must not move this one's hold under another key.
    this.keptUnder ??= this.placedKey();
    return this.keptUnder;
  }

  private keptUnder: string | undefined;

  private placedKey(): string {
    const key = this.getAttribute("key") ?? "";
    const offering = this.getAttribute("offering") ?? "";
    const alike = [...document.querySelectorAll("reservoir-booking")].filter(
      (w) => (w.getAttribute("key") ?? "") === key && (w.getAttribute("offering") ?? "") === offering,
    );
    const place = alike.indexOf(this);
    return `${key}|${offering}${place > 0 ? `|${place}` : ""}`;
  }

  private shows = 0; // only the latest show() may draw what the page's widgets decided

  /** The booking form, or the manage page of the order the tag or the address names. */
  private show(): void {
    // The manage link carries the order and its token in the fragment, which no request sends
    // (not to the page's server, not in a Referer); the query string is read too.
    const params = linkParams();
    const own = this.getAttribute("order");
    const orderId = own ?? params.get("reservoir_order");
    const token = this.getAttribute("token") ?? params.get("reservoir_token");
    this.linkShown = !own && /reservoir_order=/.test(location.hash);
    const shown = ++this.shows;
    if (!orderId || !token) return this.draw(null);
    // An e-mail's link also carries the e-mail proof, which shows the customer's points.
    const manage: ManageLink = { orderId, token, proof: this.getAttribute("proof") ?? params.get("reservoir_proof") ?? "" };
    // Its own order (the tag's), or the page's only widget: it opens the link, as it always did.
    const seats = own ? [] : linkSeats();
    if (seats.length < 2 || !seats.some((s) => s.element === this)) return this.draw(manage);
    // One of several: the one the page's widgets decide on opens it (claim.ts), the others
    // keep their booking forms.
    const link = `${orderId}\n${token}`;
    if (this.claimed?.link === link) return this.draw(this.claimed.mine ? manage : null);
    const locale = this.locale();
    render(loadingLine(locale, translator(locale)("loading")), this.root!.lastElementChild!);
    void claimOf(orderId, token, seats).then((claim) => {
      // Another link, or started again (another key): drawn by a later show().
      if (shown !== this.shows || !this.loaded) return;
      const mine = claim.element === this;
      this.claimed = { link, mine };
      this.draw(mine ? { ...manage, first: claim.take() } : null);
    });
  }

  private draw(manage: ManageLink | null): void {
    const { api, tenant, offerings } = this.loaded!;
    const locale = this.locale();
    const ctx: Context = {
      api,
      t: translator(locale),
      fmt: new Formats(formatLocale(locale), tenant.timezone, tenant.currency, tenant.currency_decimals),
      tenant,
      locale,
      manageUrl: (order, manageToken) => {
        const url = new URL(location.href);
        const link = new URLSearchParams({ reservoir_order: order.id, reservoir_token: manageToken });
        // Back from a card's page to the manage page opened from the e-mail: its proof still.
        if (manage?.proof && order.id === manage.orderId) link.set("reservoir_proof", manage.proof);
        url.hash = link.toString();
        return url.toString();
      },
      stripeJs: this.getAttribute("stripe-js") || STRIPE_JS,
      paymentMounting: this.getAttribute("payment-form") === "card" ? "card" : "payment",
      paymentSlot: () => this.paymentSlot(),
      acted: this.acted,
      customerLanguage: (language) => {
        if (!language || language === this.orderLanguage) return;
        this.orderLanguage = language;
        if (this.locale() !== locale) this.show();
      },
    };
    render(
      <App
        key={manage?.orderId ?? "book"}
        ctx={ctx}
        offerings={offerings}
        pinned={this.getAttribute("offering")}
        manage={manage}
        resumed={manage ? null : this.resumed}
        widgetKey={this.holdKey()}
      />,
      this.root!.lastElementChild!,
    );
    if (!manage) this.resumed = null; // drawn: a later form starts afresh
  }
}

if (!customElements.get("reservoir-booking")) {
  customElements.define("reservoir-booking", ReservoirBooking);
}
