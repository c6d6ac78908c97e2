/**
 * The console's frame: sign-in, then the staff member's business (its zone, currency and
 * their role), a navigation bar, and the page the address names (`#/today`, `#/orders`,
 * `#/rooms`, `#/order/<id>`, `#/new`, `#/takings`, `#/privacy`, `#/imports`, `#/coupons`, `#/loyalty`, `#/gift-cards`, the reports' `#/dashboard`, `#/reports`, `#/exports`, `#/report-summary`, the channels' `#/channels`, `#/channel/<id>`, `#/overbookings`). Pages get one `Desk` with everything they need; what a role may
 * not do is not offered (the API refuses it anyway).
 */

import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import { Formats } from "../shared/format";
import { Api, ApiError, ENDS_SIGN_IN, MAY, type PublicTenant, type Staff } from "./api";
import { Auth, AuthError } from "./auth";
import type { Config } from "./config";
import { chooseLang, keepLang, type Key, type Lang, regionalLocale, type T, translator } from "./i18n";
import { refusalInChinese } from "./words/refusals";
import { fieldMessage, fieldWords } from "./field_words";
import { Groups } from "./groups";
import { CatalogPage } from "./catalog";
import { OfferingEditor } from "./offering_editor";
import { ResourceEditor } from "./resource_editor";
import { AlertChoices, AlertsBell } from "./alerts";
import { NewBooking } from "./new_booking";
import { OrderPage } from "./order";
import { InvoicesPage } from "./invoices";
import { PrivacyPage } from "./privacy";
import { SignIn } from "./signin";
import { SignUp } from "./signup";
import { Orders } from "./orders";
import { Customers } from "./customers";
import { CustomerPage } from "./customer";
import { PrintSheet } from "./print";
import { Rooms } from "./rooms";
import { Today } from "./today";
import { KeysPage } from "./keys";
import { MessagesPage } from "./messages";
import { PaymentsPage } from "./payments";
import { PriceListPage } from "./price_list";
import { WebhooksPage } from "./webhooks";
import { StaffPage } from "./staff";
import { Website } from "./website";
import { BusinessPage } from "./business";
import { Week } from "./week";
import { Timeline } from "./timeline";
import { Takings } from "./takings";
import { ImportsPage } from "./imports";
import { CouponsPage } from "./coupons";
import { LoyaltyPage } from "./loyalty";
import { GiftCardsPage } from "./gift_cards";
import { SegmentsPage } from "./segments";
import { CampaignsPage } from "./campaigns";
import { Dashboard } from "./dashboard";
import { ReportTables } from "./report_tables";
import { ExportsPage } from "./exports";
import { ReportSummaryPage } from "./report_summary";
import { REPORT_PATHS } from "./report_controls";
import { ChannelsPage } from "./channels";
import { ChannelPage } from "./channel";
import { OverbookingsPage } from "./channel_overbookings";

/** The business's settings, each a page of its own under one "Settings" in the bar (managers
 * and owners): the bar stays one row on a tablet. */
const SETTINGS: [string, Key][] = [
  ["#/settings", "nav_business"],
  ["#/website", "nav_website"],
  ["#/messages", "nav_messages"],
  ["#/webhooks", "nav_webhooks"],
  ["#/payments", "nav_payments"],
  ["#/price-list", "nav_price_list"],
  ["#/staff", "nav_staff"],
  ["#/keys", "nav_keys"],
];

export interface Desk {
  api: Api;
  t: T;
  fmt: Formats;
  tenant: PublicTenant;
  me: Staff;
  rooms: boolean; // the business sells nights: the Rooms and Groups pages are in its bar
  go: (hash: string) => void;
}

const DeskContext = createContext<Desk | null>(null);

export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error("no desk");
  return desk;
}

export function message(t: T, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === "network") return t("network");
    // A role's refusal in the desk's words; the others (a suspended business, a disabled
    // login, a token run out) say what they are below.
    if (error.status === 403 && ["forbidden", "forbidden_role", "role_forbidden"].includes(error.code)) return t("forbidden");
    if (error.code === "version_mismatch") return t("changed_elsewhere");
    if (error.code === "invalid_phone") return t("invalid_phone");
    if (error.code === "validation_failed") {
      // Each field in words (field_words.ts) with what the API said of it (in English: the
      // API's messages are), so the desk knows what to change, not only where.
      const found = (error.details?.fields as { field: string; message?: string }[] | undefined) ?? [];
      const said = (f: { field: string; message?: string }) => {
        const name = fieldWords(f.field, t.lang);
        if (t.lang === "zh-Hans" || !f.message) return name;
        const words = fieldMessage(f.field, f.message, t.lang, t.money).replace(/\.$/, "");
        // "Should be…" in the sentence, not "URL…" as "uRL…".
        const lower = /^[A-Z][a-z]/.test(words) ? words.charAt(0).toLowerCase() + words.slice(1) : words;
        return `${name} (${lower})`;
      };
      return t("invalid_fields", { fields: found.map(said).join(t.lang === "zh-Hans" ? "、" : "; ") || "?" });
    }
    const amount = amountSaid(t, error);
    if (amount) return amount;
    // Chinese: the code's general sentence, then the API's own message, which names the
    // specifics (an order, a date, a field); English readers get that message alone. A
    // refusal (4xx) is the request's, said as it is; a failure (5xx) is the server's.
    const said = t.lang === "zh-Hans" ? refusalInChinese(error.code) : undefined;
    if (said) return error.message ? `${said}（${error.message}）` : said;
    if (error.status >= 400 && error.status < 500 && error.message) return error.message;
    return t("error", { message: error.message });
  }
  return t("error", { message: String((error as Error)?.message ?? error) });
}

/** The refusals whose details carry an amount (minor units), and the console's words for each. */
const AMOUNTS: Readonly<Record<string, [string, Key]>> = {
  payment_too_large: ["owed", "refusal_owed"],
  refund_too_large: ["refundable", "refusal_refundable"],
  credit_too_large: ["creditable", "refusal_creditable"],
};

/** A refusal that names an amount, in the console's words with the amount as money; null
 * when the currency is not known yet or the details carry no amount. */
function amountSaid(t: T, error: ApiError): string | null {
  const [field, key] = AMOUNTS[error.code] ?? [];
  const amount = field ? error.details?.[field] : undefined;
  if (!key || !t.money || typeof amount !== "number") return null;
  return t(key, { amount: t.money(amount) });
}

/** The pages only managers and owners have in their bar (the report pages: REPORT_PAGES). */
const MANAGERS_PAGES = [
  "/segments",
  "/campaigns",
  "/imports",
  "/privacy",
  "/channels",
  "/report-summary",
  ...SETTINGS.map(([to]) => to.slice(1)),
];

/** The report pages a viewer reads too (MAY.report): not staff's. */
const REPORT_PAGES = ["/dashboard", "/reports", "/exports"];

/** Why a page the address names is not in this desk's bar (its role, or a business that sells
 * no nights), or null when it is: typing an address reaches no more than the bar offers. */
function notYours(path: string, desk: Desk): "not_for_role" | "not_for_business" | null {
  const role = desk.me.role;
  // A manager's page typed without its plural's "s" (`#/import`, `#/export`) is still a page
  // this role may not open: saying "No such page" told staff to look for it elsewhere.
  const managers = MANAGERS_PAGES.some((page) => page === path || page === `${path}s`);
  if (!MAY.manage(role) && (managers || path.startsWith("/channel/"))) return "not_for_role";
  if (!MAY.report(role) && REPORT_PAGES.some((page) => page === path || page === `${path}s`)) return "not_for_role";
  if (!MAY.operate(role) && (path === "/new" || path === "/overbookings")) return "not_for_role";
  if (!desk.rooms && ["/rooms", "/groups", "/overbookings"].includes(path)) return "not_for_business";
  return null;
}

function NotYours({ why }: { why: "not_for_role" | "not_for_business" }) {
  const { t } = useDesk();
  return (
    <section>
      <h1>{t(why)}</h1>
      <p>{t(`${why}_text`)}</p>
      <p>
        <a href="#/today">{t("not_yours_today")}</a>
      </p>
    </section>
  );
}

/** An address the console has no page for (a typo, an old link): said, not Today instead. */
function NoSuchPage({ address }: { address: string }) {
  const { t } = useDesk();
  return (
    <section aria-labelledby="no-such-page">
      <h1 id="no-such-page">{t("no_such_page")}</h1>
      <p>{t("no_such_page_text", { address })}</p>
      <p>
        <a href="#/today">{t("not_yours_today")}</a>
      </p>
    </section>
  );
}

/** The browser tab says the page: its heading, then the business ("Orders · Harbour View
 * Hotel"), in the console's language, following the page as it is drawn (an outside tester's
 * tabs all read "Reservoir console", WCAG 2.4.2). */
function usePageTitle(business: string | undefined): void {
  useEffect(() => {
    const main = document.getElementById("main");
    if (!main) return;
    const name = () => {
      const heading = main.querySelector("h1, h2")?.textContent?.trim();
      const title = [heading, business].filter(Boolean).join(" · ") || "Reservoir";
      if (document.title !== title) document.title = title;
    };
    name();
    const watching = new MutationObserver(name);
    watching.observe(main, { childList: true, subtree: true, characterData: true });
    return () => watching.disconnect();
  }, [business]);
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash.startsWith("#/") ? location.hash : "#/today");
  useEffect(() => {
    // Only "#/..." is a page: the skip link's "#main" moves the focus, not the page.
    // Back to the bare address (no hash) is Today again, not the page before it.
    const changed = () => {
      if (location.hash.startsWith("#/")) setHash(location.hash);
      else if (!location.hash) setHash("#/today");
    };
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return hash;
}

export function App({ config }: { config: Config }) {
  const [auth] = useState(() => new Auth(config));
  const [lang, setLang] = useState<Lang>(chooseLang());
  const [signedIn, setSignedIn] = useState(() => auth.current() !== null);
  const [desk, setDesk] = useState<Desk | null>(null);
  const [problem, setProblem] = useState("");
  const t = translator(lang);
  const hash = useHash();

  useEffect(() => {
    document.documentElement.lang = lang;
    const skip = document.querySelector(".skip"); // index.html's, before any script ran
    if (skip) skip.textContent = t("skip_to_content");
  }, [lang]);

  useEffect(() => {
    if (!signedIn) return;
    const session = auth.current();
    if (!session) return;
    const refused = (code: string) => {
      if (code === "role_forbidden" || code === "forbidden_role") {
        // The role may have changed since sign-in (a demotion): the page is drawn again for
        // the role the API says now (an outside tester's demoted stylist kept the desk's
        // buttons, each refused, until a reload).
        api.me(session.sub).then(
          (me) => setDesk((d) => (d && d.me.role !== me.role ? { ...d, me } : d)),
          () => undefined,
        );
        return;
      }
      auth.signOut();
      setDesk(null);
      setSignedIn(false);
      // A login with no staff record (or business) is told so, not to sign in again, which
      // would only loop (a reviewer's).
      const said = ["unknown_user", "unknown_tenant"].includes(code) ? "not_staff" : code === "user_disabled" ? "login_disabled" : "session_ended";
      setProblem(t(said));
    };
    const api = new Api(config.api, auth, refused);
    Promise.all([api.tenant(), api.me(session.sub), api.resources().catch(() => null)])
      .then(([tenant, me, resources]) => {
        const fmt = new Formats(regionalLocale(lang), tenant.timezone, tenant.currency, tenant.currency_decimals);
        const t = translator(lang, (minor) => fmt.money(minor)); // refusals say amounts as money
        // Rooms and groups are a hotel's: a salon's or a tour operator's bar leaves them out.
        const rooms = tenant.business_type === "hotel" || !resources || resources.some((r) => r.kind === "nightly");
        setDesk({ api, t, fmt, tenant, me, rooms, go: (h) => (location.hash = h) });
        setProblem("");
      })
      .catch((error) => {
        // Said by `refused` (a refusal of the login, or of its token's refresh).
        if (error instanceof ApiError && (error.status === 401 || error.code === "user_disabled")) return;
        if (error instanceof AuthError && ENDS_SIGN_IN.has(error.code)) return;
        if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
          auth.signOut();
          setSignedIn(false);
          setProblem(t("not_staff"));
        } else setProblem(message(t, error));
      });
  }, [signedIn, lang]);

  usePageTitle(desk?.tenant.name);

  const switchLang = (next: Lang) => {
    keepLang(next);
    setLang(next);
  };

  if (!signedIn) {
    if (hash.startsWith("#/signup")) {
      return <SignUp config={config} t={t} onDone={(email) => (location.hash = `#/password?email=${encodeURIComponent(email)}`)} />;
    }
    const reset = hash.startsWith("#/password") ? (new URLSearchParams(hash.split("?")[1] ?? "").get("email") ?? "") : null;
    return (
      <SignIn
        // Drawn again when the address asks for a password (an owner's link, typed or opened
        // in a tab showing the sign-in: a tester's stayed on the sign-in until a reload).
        key={reset === null ? "sign-in" : `password:${reset}`}
        auth={auth}
        t={t}
        problem={problem}
        onSignedIn={() => {
          if (!hash.startsWith("#/") || /^#\/(signup|password)/.test(hash)) location.hash = "#/today";
          setSignedIn(true);
        }}
        lang={lang}
        setLang={switchLang}
        LangSwitch={LangSwitch}
        reset={reset}
      />
    );
  }
  if (!desk) return <main class="page"><p role="status">{problem || t("loading")}</p></main>;
  const path = hash.slice(1).split("?")[0] ?? "";
  const query = new URLSearchParams(hash.split("?")[1] ?? "");
  let page;
  const refused = notYours(path, desk);
  if (refused) page = <NotYours why={refused} />;
  else if (path.startsWith("/order/")) page = <OrderPage id={decodeURIComponent(path.slice(7))} />;
  else if (path === "/orders") page = <Orders query={query} />;
  else if (path === "/customers") page = <Customers q={query.get("q") ?? ""} />;
  else if (path.startsWith("/customer/")) page = <CustomerPage id={decodeURIComponent(path.slice(10))} />;
  else if (path === "/invoices") page = <InvoicesPage month={query.get("month") ?? ""} />;
  else if (path === "/new") page = <NewBooking customerId={query.get("customer") ?? ""} />;
  else if (path === "/rooms") page = <Rooms date={query.get("date") ?? ""} />;
  else if (path === "/print") page = <PrintSheet query={query} />;
  else if (path === "/groups") page = <Groups />;
  else if (path === "/alerts") page = <AlertChoices />;
  else if (path === "/week") page = <Week date={query.get("date") ?? ""} />;
  else if (path === "/timeline") page = <Timeline date={query.get("date") ?? ""} />;
  else if (path === "/takings") page = <Takings date={query.get("date") ?? ""} />;
  else if (path === "/gift-cards") page = <GiftCardsPage />;
  else if (path === "/segments" && MAY.manage(desk.me.role)) page = <SegmentsPage />;
  else if (path === "/campaigns" && MAY.manage(desk.me.role)) page = <CampaignsPage />;
  else if (path === "/catalog") page = <CatalogPage />;
  else if (path === "/coupons") page = <CouponsPage />;
  else if (path === "/loyalty") page = <LoyaltyPage />;
  else if (path.startsWith("/catalog/resource/")) page = <ResourceEditor id={decodeURIComponent(path.slice(18))} />;
  else if (path.startsWith("/catalog/offering/")) page = <OfferingEditor id={decodeURIComponent(path.slice(18))} />;
  else if (path === "/staff" && MAY.manage(desk.me.role)) page = <StaffPage />;
  else if (path === "/keys" && MAY.manage(desk.me.role)) page = <KeysPage />;
  else if (path === "/website" && MAY.manage(desk.me.role)) page = <Website widgetScript={config.widget} stripe={config.stripe} />;
  else if (path === "/messages" && MAY.manage(desk.me.role)) page = <MessagesPage />;
  else if (path === "/webhooks" && MAY.manage(desk.me.role)) page = <WebhooksPage />;
  else if (path === "/payments" && MAY.manage(desk.me.role)) page = <PaymentsPage stripe={config.stripe} />;
  else if (path === "/settings" && MAY.manage(desk.me.role)) page = <BusinessPage />;
  else if (path === "/price-list" && MAY.manage(desk.me.role)) page = <PriceListPage />;
  else if (path === "/privacy" && MAY.manage(desk.me.role)) page = <PrivacyPage customer={query.get("customer") ?? ""} />;
  else if (path === "/imports" && MAY.manage(desk.me.role)) page = <ImportsPage />;
  else if (path === "/dashboard" && MAY.report(desk.me.role)) page = <Dashboard query={query} />;
  else if (path === "/reports" && MAY.report(desk.me.role)) page = <ReportTables query={query} />;
  else if (path === "/exports" && MAY.report(desk.me.role)) page = <ExportsPage />;
  else if (path === "/report-summary" && MAY.manage(desk.me.role)) page = <ReportSummaryPage />;
  else if (path === "/channels" && MAY.manage(desk.me.role)) page = <ChannelsPage />;
  else if (path.startsWith("/channel/") && MAY.manage(desk.me.role)) page = <ChannelPage id={decodeURIComponent(path.slice(9))} query={query} />;
  else if (path === "/overbookings") page = <OverbookingsPage />;
  else if (path === "/today" || path === "/") page = <Today date={query.get("date") ?? ""} />;
  else page = <NoSuchPage address={hash} />;
  const inSettings = MAY.manage(desk.me.role) && SETTINGS.some(([to]) => path === to.slice(1));
  const signOut = () => {
    auth.signOut();
    setDesk(null);
    setSignedIn(false);
  };
  const link = (to: string, label: string) => (
    <a href={to} aria-current={path === to.slice(1) ? "page" : undefined}>
      {label}
    </a>
  );
  return (
    <DeskContext.Provider value={desk}>
      <header class="bar">
        <strong class="brand">{desk.tenant.name}</strong>
        <nav aria-label={t("nav_main")}>
          {link("#/today", t("nav_today"))}
          {link("#/timeline", t("nav_timeline"))}
          {link("#/week", t("nav_week"))}
          {link("#/orders", t("nav_orders"))}
          {link("#/customers", t("nav_customers"))}
          {link("#/invoices", t("nav_invoices"))}
          {desk.rooms && link("#/rooms", t("nav_rooms"))}
          {desk.rooms && link("#/groups", t("nav_groups"))}
          {link("#/takings", t("nav_takings"))}
          {link("#/gift-cards", t("nav_gift_cards"))}
          {link("#/catalog", t("nav_catalog"))}
          {MAY.manage(desk.me.role) && link("#/imports", t("nav_imports"))}
          {link("#/coupons", t("nav_coupons"))}
          {link("#/loyalty", t("nav_loyalty"))}
          {MAY.manage(desk.me.role) && link("#/segments", t("nav_segments"))}
          {MAY.manage(desk.me.role) && link("#/campaigns", t("nav_campaigns"))}
          {desk.me.role !== "viewer" && link("#/new", t("nav_new"))}
          {MAY.manage(desk.me.role) && link("#/privacy", t("nav_privacy"))}
          {MAY.manage(desk.me.role) && (
            <a href="#/channels" aria-current={path === "/channels" || path.startsWith("/channel/") ? "page" : undefined}>
              {t("nav_channels")}
            </a>
          )}
          {desk.rooms && MAY.operate(desk.me.role) && link("#/overbookings", t("nav_overbookings"))}
          {MAY.report(desk.me.role) && (
            <a href="#/dashboard" aria-current={REPORT_PATHS.includes(path) ? "page" : undefined}>
              {t("nav_reports")}
            </a>
          )}
          {MAY.manage(desk.me.role) && (
            <a href="#/settings" aria-current={inSettings ? "page" : undefined}>
              {t("nav_settings")}
            </a>
          )}
        </nav>
        <AlertsBell />
        <span class="who">{t("signed_in_as", { name: desk.me.name, role: t(`role_${desk.me.role}`) })}</span>
        <LangSwitch lang={lang} setLang={switchLang} t={t} />
        <button type="button" onClick={signOut}>
          {t("sign_out")}
        </button>
      </header>
      <main class="page" id="main" tabIndex={-1}>
        {inSettings && (
          <nav aria-label={t("nav_settings")} class="subnav">
            {SETTINGS.map(([to, key]) => link(to, t(key)))}
          </nav>
        )}
        {page}
      </main>
    </DeskContext.Provider>
  );
}

export function LangSwitch({ lang, setLang, t }: { lang: Lang; setLang: (l: Lang) => void; t: T }) {
  return (
    <label class="lang">
      <span class="sr-only">{t("language")}</span>
      <select value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
        <option value="en">English</option>
        <option value="zh-Hans">简体中文</option>
      </select>
    </label>
  );
}
