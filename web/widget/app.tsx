/**
 * The widget's flow: what to book -> when -> who is booking -> held (pay, or confirm to pay
 * at the venue) -> booked; and the manage page a customer's link opens. One state value says
 * where the customer is; each step's heading takes the focus when it appears, so a keyboard or
 * screen-reader user lands on it.
 */
import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { Api, CustomerIn, LineIn, Offering, Option, Order, PointsOffer, PublicTenant, Answers } from "./api";
import { ApiError } from "./api";
import { StripeUnavailable } from "./payment";
import { Details } from "./details";
import type { Formats } from "../shared/format";
import { About } from "./about";
import { useFocusWhenShown } from "./focus";
import type { Translate } from "./i18n";
import { BuyGiftCard } from "./gift_card";
import { HoldAttempts } from "./attempts";
import { HeldOrder, ManageOrder, paramsOf } from "./order";
import { forgetHold, keepHold } from "./resume";
import { guardTaps } from "./taps";
import type { Params } from "./when";
import { When } from "./when";

export interface Context {
  api: Api;
  t: Translate;
  fmt: Formats;
  tenant: PublicTenant;
  locale: string;
  /** The address of this page with the manage link's parameters, for the confirmation. */
  manageUrl: (order: Order, token: string) => string;
  /** Where Stripe.js comes from, and which of its forms takes the card (payment.ts). */
  stripeJs: string;
  paymentMounting: "payment" | "card";
  /** The light-DOM element the card form is mounted into (shown through a slot). */
  paymentSlot: (() => HTMLElement) | null;
  /** False until the customer first acts: a widget must not take the page's focus on load. */
  acted: { current: boolean };
  /** Told the language of the customer whose order the manage page shows: the page speaks it
   * unless the tag's `lang` or the link says another. */
  customerLanguage?: (language: string | null | undefined) => void;
}

export interface Choice {
  offering: Offering;
  option: Option;
  line: LineIn;
  params: Params;
}

/** The order a manage link (or the tag's `order` and `token`) opens; `first`: its answer,
 * already asked while the page's widgets decided which one opens it (claim.ts). */
export interface ManageLink {
  orderId: string;
  token: string;
  proof: string;
  first?: Promise<Order> | null;
}

type Step =
  | { name: "offerings" }
  | { name: "when"; offering: Offering; initial?: Params }
  | { name: "details"; choice: Choice }
  | { name: "held"; order: Order; token: string; choice?: Choice }
  | ({ name: "manage" } & ManageLink)
  | { name: "gift" };

const Acted = createContext<{ current: boolean }>({ current: false });

/** Refusals said in the widget's own words (the API's message is English); `no_longer_held`:
 * "Choose another time" pressed as the hold's payment confirmed it. */
const OWN_WORDS = ["business_closed", "order_not_held", "session_called_off", "no_longer_held"] as const;

/** An error in the visitor's words: a refusal (4xx) as the API says it, an amount it names
 * as money when `fmt` knows the currency; "Something went wrong" only for a failure (5xx). */
export function describe(t: Translate, error: unknown, fmt?: Formats): string {
  if (error instanceof StripeUnavailable) return t("card_unavailable");
  if (error instanceof ApiError) {
    if (error.code === "network") return t("error_network");
    if (error.code === "rate_limited") return t("error_rate");
    if (error.code === "origin_not_allowed") return t("error_origin");
    const own = OWN_WORDS.find((code) => code === error.code);
    if (own) return t(own);
    // A hold confirmed after it was released or ran out (another tab, staff): its state, said.
    if (error.code === "hold_expired") return t("hold_expired");
    // Points from a proof no longer good, or spent elsewhere since they were shown.
    if (error.code === "points_need_proof") return t("points_need_proof");
    if (error.code === "points_insufficient") return t("points_changed");
    if (error.code === "illegal_transition") return t("order_not_held");
    const most = error.details?.most;
    if (error.code === "more_than_capacity" && typeof most === "number") return t("more_than_capacity", { most: String(most) });
    const partner = error.details?.partner;
    if (error.code === "booked_through_partner" && typeof partner === "string") return t("booked_through_partner", { partner });
    if (error.status === 404 && error.code.startsWith("order")) return t("not_found");
    const owed = error.details?.owed;
    if (error.code === "payment_too_large" && fmt && typeof owed === "number")
      return t("error_owed", { amount: fmt.money(owed) });
    const more = error.details?.amount;
    if (error.code === "move_needs_payment" && fmt && typeof more === "number")
      return t("move_needs_payment", { amount: fmt.money(more) });
    if (error.status >= 400 && error.status < 500 && error.message) return t("error_refused", { message: error.message });
    return wentWrong(t, error.message);
  }
  return wentWrong(t, String(error ?? ""));
}

/** "Something went wrong: <what>", or a whole sentence when nothing says what: a lost card
 * payment's answer has no message, and the manage page said "Something went wrong:" with
 * nothing after the colon (an outside tester's phone). */
export function wentWrong(t: Translate, message: string | undefined): string {
  return message?.trim() ? t("error_generic", { message: message.trim() }) : t("error_unknown");
}

/** A heading that takes the focus when its step appears (once the customer has acted). */
export function Heading({ children }: { children: preact.ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const acted = useContext(Acted);
  useEffect(() => {
    if (acted.current) ref.current?.focus();
  }, []);
  return (
    <h2 ref={ref} tabIndex={-1}>
      {children}
    </h2>
  );
}

export function Alert({ message }: { message: string | null }) {
  // A refusal after the button pressed was disabled (a declined card) takes the focus; never
  // before the customer acted in the widget (the host page is not scrolled to it on load).
  const said = useRef<HTMLParagraphElement>(null);
  const acted = useContext(Acted);
  useFocusWhenShown(said, acted.current ? message : null);
  return (
    <div role="alert" aria-live="assertive">
      {message ? (
        <p class="alert" tabIndex={-1} ref={said}>
          {message}
        </p>
      ) : null}
    </div>
  );
}

/** The business's colour on the widget's buttons and accents (styles.ts says how). */
export function brandStyle(tenant: PublicTenant): Record<string, string> {
  const colour = tenant.branding?.primary_colour;
  return colour ? { "--rsv-primary": colour, "--rsv-accent": colour } : {};
}

/** The business's logo (its name as the alt text), or its name when it has none or the logo
 * does not load. */
function BusinessHead({ tenant }: { tenant: PublicTenant }) {
  const logo = tenant.branding?.logo_url ?? "";
  const [failed, setFailed] = useState("");
  if (logo && failed !== logo) {
    return <img class="logo" src={logo} alt={tenant.name} onError={() => setFailed(logo)} />;
  }
  return <div class="business">{tenant.name}</div>;
}

export function App(props: {
  ctx: Context;
  offerings: Offering[];
  pinned: string | null;
  manage: ManageLink | null;
  /** The hold this tab was paying for before a reload or Back and Forward (resume.ts). */
  resumed?: { order: Order; token: string } | null;
  widgetKey?: string;
}) {
  const { ctx, offerings } = props;
  const { t, fmt } = ctx;
  const pinned = offerings.find((o) => o.id === props.pinned) ?? null;
  // A business that sells only stays asks for dates first and then shows its room types.
  const staysOnly = offerings.length > 0 && offerings.every((o) => o.kind === "nightly");
  const direct = pinned ?? (offerings.length === 1 || staysOnly ? offerings[0]! : null);
  const first: Step = props.manage
    ? { name: "manage", ...props.manage }
    : props.resumed
      ? { name: "held", ...props.resumed }
      : direct
      ? { name: "when", offering: direct }
      : { name: "offerings" };
  const [step, go] = useState<Step>(first);
  // Every step's buttons, and what a step's action draws in its place (the manage page's
  // "Book again" after "Yes, cancel it"), ignore a tap in their first moment (taps.ts).
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => (root.current ? guardTaps(root.current) : undefined), []);
  const setStep = (next: Step) => {
    ctx.acted.current = true;
    go(next);
  };
  // A hold shown again after a reload brings back the details it was made with.
  const held = props.resumed?.order.customer;
  const [customer, setCustomer] = useState<CustomerIn & { note: string }>({
    name: held?.name ?? "",
    email: held?.email ?? "",
    phone: held?.phone ?? "",
    note: "",
  });

  // The points the customer chose to book with from their manage page (opened from an e-mail's
  // link): the details step offers to spend them while the e-mail is still theirs.
  const [spend, setSpend] = useState<PointsOffer | null>(null);

  // The answers to an offering's questions, kept across Back and a new time like the details
  // (by offering: another offering asks other questions).
  const [answers, setAnswers] = useState<{ offering: string; answers: Answers } | null>(null);

  // The day the times on screen are on: the zone's name is the one that day runs on.
  const [day, setDay] = useState<string | undefined>(undefined);
  const shownDay =
    step.name === "details" ? step.choice.option.date : step.name === "held" ? step.order.lines[0]?.date : day;

  // Kept across Back and a new time: a lost answer's hold is found, not made twice.
  const [attempts] = useState(() => new HoldAttempts());

  const widgetKey = props.widgetKey ?? "";
  const restart = () => {
    forgetHold(widgetKey);
    setStep(direct ? { name: "when", offering: direct } : { name: "offerings" });
  };

  let body: preact.ComponentChildren;
  switch (step.name) {
    case "offerings":
      body = (
        <section>
          <Heading>{t("choose_offering")}</Heading>
          <ul class="list">
            {offerings.map((o) => (
              <li key={o.id}>
                <button type="button" class="choice" onClick={() => setStep({ name: "when", offering: o })}>
                  <span>
                    {o.name}
                    {o.description ? <small>{o.description}</small> : null}
                  </span>
                  <span class="price">
                    {t("from_price", { price: fmt.money(o.price_from) })}
                    {o.price_basis === "night" ? <small>{t("per_night")}</small> : null}
                    {o.price_basis === "person" ? <small>{t("per_person")}</small> : null}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      );
      break;
    case "when":
      body = (
        <When
          ctx={ctx}
          offering={step.offering}
          offerings={pinned ? [pinned] : offerings}
          initial={step.initial}
          onDay={setDay}
          onBack={direct ? null : () => setStep({ name: "offerings" })}
          onChoose={(choice) => setStep({ name: "details", choice })}
        />
      );
      break;
    case "details":
      body = (
        <Details
          key={step.choice.option.start + step.choice.offering.id}
          ctx={ctx}
          choice={step.choice}
          customer={customer}
          onCustomer={setCustomer}
          answers={answers?.offering === step.choice.offering.id ? answers.answers : null}
          onAnswers={(a) => setAnswers({ offering: step.choice.offering.id, answers: a })}
          spend={spend}
          attempts={attempts}
          onBack={() => setStep({ name: "when", offering: step.choice.offering, initial: step.choice.params })}
          onChoose={(choice) => setStep({ name: "details", choice })}
          onHeld={(order) => {
            setSpend(null); // offered once: the balance the offer said has changed
            const token = order.manage_token ?? "";
            if (order.status === "held" && order.hold_expires_at) {
              keepHold(widgetKey, { orderId: order.id, token, until: order.hold_expires_at });
            }
            setStep({ name: "held", order, token, choice: step.choice });
          }}
        />
      );
      break;
    case "held":
      body = (
        <HeldOrder
          ctx={ctx}
          order={step.order}
          token={step.token}
          onAgain={restart}
          onSettled={() => forgetHold(widgetKey)}
          onOther={() => {
            forgetHold(widgetKey);
            // Back to the times it was chosen from (a resumed hold: its offering's form).
            const chosen = step.choice;
            const offering = chosen?.offering ?? offerings.find((o) => o.id === step.order.lines[0]?.offering_id);
            // A hold shown again after a reload: its own date, nights, party and stylist.
            if (offering) setStep({ name: "when", offering, initial: chosen?.params ?? paramsOf(step.order, offering) });
            else restart();
          }}
          onward={{
            // A widget pinned to one offering sells only that one: it suggests nothing else.
            offerings: pinned ? [pinned] : offerings,
            onBook: (offering) => setStep({ name: "when", offering }),
          }}
        />
      );
      break;
    case "gift":
      body = <BuyGiftCard ctx={ctx} onBack={restart} />;
      break;
    case "manage":
      body = (
        <ManageOrder
          ctx={ctx}
          orderId={step.orderId}
          token={step.token}
          proof={step.proof}
          first={step.first ?? null}
          offerings={offerings}
          onAgain={restart}
          onDay={setDay}
          onSpendPoints={(offer) => {
            setSpend(offer);
            // Booked under the same e-mail as the points' order: its details, to change freely.
            setCustomer({ name: offer.name, email: offer.email, phone: offer.phone ?? "", note: "" });
            restart();
          }}
        />
      );
      break;
  }
  return (
    <Acted.Provider value={ctx.acted}>
      <div class="rsv" lang={ctx.locale} style={brandStyle(ctx.tenant)} ref={root}>
        <BusinessHead tenant={ctx.tenant} />
        {body}
        {step.name === "offerings" || step.name === "when" ? (
          <div class="actions">
            <button type="button" class="link" onClick={() => setStep({ name: "gift" })}>
              {t("gift_buy")}
            </button>
          </div>
        ) : null}
        {/* Only below times: not under the list of services or the gift card's form, which
            show none (an outside tester read "The times above are in …" there). */}
        {fmt.differentZone && !staysOnly && step.name !== "offerings" && step.name !== "gift" ? (
          <p class="muted">{t("times_in", { zone: fmt.zoneName(fmt.zone, shownDay) })}</p>
        ) : null}
        <About tenant={ctx.tenant} t={t} fmt={fmt} />
      </div>
    </Acted.Provider>
  );
}
