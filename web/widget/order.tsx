/**
 * After the hold: the countdown while it waits, payment as the booking asks (a card) or a
 * confirmation to pay at the venue, the booked page with the reference and the manage link;
 * and the manage page, where the customer views, pays, cancels or moves the booking.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Formats } from "../shared/format";
import type { LineIn, Offering, Option, Order, PaymentStart, PointsOffer } from "./api";
import { ApiError } from "./api";
import type { Choice, Context } from "./app";
import { Alert, Heading, describe } from "./app";
import { Balance } from "./balance";
import { LoyaltyPoints } from "./points";
import { OrderSummary } from "./summary";
import { GiftCardPay } from "./gift_card";
import { useCardForm } from "./card_form";
import { CardPayButton } from "./card_button";
import { Suggestions } from "./suggestions";
import { MoveAsk } from "./move_ask";
import { CancelAsk, cancelledText } from "./cancel_terms";
import { cancellingCostsNow, sameAsBooked } from "./moving";
import { useFocusBack, useFocusWhenShown } from "./focus";
import { CheckAgain, foundWithin, useReadingWhile } from "./recheck";
import type { Moving, Params } from "./when";
import { OptionLabel, When, lineFor, nearest } from "./when";

/** When the hold runs out, on the visitor's clock; their zone named when the page's times are
 * the business's (a New York salon's page read in Shanghai), so the two are not confused. */
function heldUntil(fmt: Formats, expiresAt: string): string {
  const time = fmt.time(expiresAt, fmt.visitorZone);
  return fmt.differentZone ? `${time}${fmt.aside(fmt.zoneName(fmt.visitorZone))}` : time;
}

function useCountdown(expiresAt: string | null, now: () => number): number | null {
  const [left, setLeft] = useState<number | null>(expiresAt ? Date.parse(expiresAt) - now() : null);
  useEffect(() => {
    if (!expiresAt) return;
    const tick = () => setLeft(Date.parse(expiresAt) - now());
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  return left;
}

/** Pay or confirm a held order; `onDone` gets it confirmed. */
function Settle(props: {
  ctx: Context;
  order: Order;
  token: string;
  onDone: (order: Order) => void;
  onAgain: () => void;
  /** "Choose another time": the hold given back (HeldOrder). Offered only while nothing is
   * being paid: a hold given back as its card payment lands is paid and refunded. */
  onGiveBack?: () => Promise<void>;
  /** Told whether the payment asked is an instalment plan's first part. */
  onPlan?: (planned: boolean) => void;
}) {
  const { ctx, order, token } = props;
  const { t, fmt } = ctx;
  const [mode, setMode] = useState<"deciding" | "venue" | "card">("deciding");
  const [payment, setPayment] = useState<PaymentStart | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useCardForm(ctx, mode === "card" ? payment : null, (e) => setError(describe(t, e)));
  const left = useCountdown(order.hold_expires_at, () => ctx.api.now());
  const expired = left !== null && left <= 0;

  // Asks how the booking is settled before asking for either: a pay-at-venue booking is
  // offered its confirmation without first being refused a payment.
  useEffect(() => {
    let live = true;
    const settle = async () => {
      const how = (await ctx.api.settling(order.id, token)).how;
      if (!live) return;
      if (how === "venue") setMode("venue");
      if (how === "unavailable") setError(t("pay_unavailable"));
      if (how !== "card") return;
      const start = await ctx.api.pay(order.id, token);
      if (!live) return;
      setPayment(start);
      props.onPlan?.((start.plan ?? []).length > 1);
      setMode("card");
    };
    settle().catch((e: unknown) => {
      if (live) setError(describe(t, e));
    });
    return () => {
      live = false;
    };
  }, [order.id]);


  const confirmAtVenue = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onDone(await ctx.api.confirmAtVenue(order.id, token));
    } catch (e) {
      setError(describe(t, e));
      // Released, run out or booked elsewhere meanwhile (another tab, the manage link, staff):
      // shown as it now is, not left on "Almost done" with its countdown.
      if (e instanceof ApiError && e.status === 409) {
        const now = await ctx.api.order(order.id, token).catch(() => null);
        if (now && now.status !== "held") props.onDone(now);
      }
    } finally {
      setBusy(false);
    }
  };

  // A gift card paid all the hold asked (confirmed), or part of it: the card form asks the rest.
  const afterGiftCard = (after: Order) => {
    // Shown as it now is either way: confirmed, or held with the card's part paid (the
    // summary and what is left after the deposit count it).
    props.onDone(after);
    if (after.status !== "held") return;
    ctx.api
      .pay(after.id, token)
      .then(setPayment)
      .catch((e: unknown) => setError(describe(t, e)));
  };

  /** Whether the order left "held" (then shown as it is). */
  const confirmed = async (live = () => true): Promise<boolean> => {
    const now = await ctx.api.order(order.id, token).catch(() => null);
    if (!now || now.status === "held") return false;
    if (live()) props.onDone(now);
    return true;
  };
  const confirmedWithin = (tries: number) => foundWithin(tries, confirmed);
  const [pending, setPending] = useState(false);
  useReadingWhile(pending, confirmed);

  // The card payment's answer was lost (a phone's dropped connection): the card may have been
  // charged, so the order is read again, as the manage page reads it, and the hold is not
  // offered back ("Choose another time") until it is known. An outside tester's widget stayed
  // on "Almost done" saying "TypeError: Failed to fetch", and its "Choose another time" then
  // cancelled the booking the payment had confirmed.
  const [unsure, setUnsure] = useState(false);

  const payByCard = async () => {
    if (!form.current) return;
    setBusy(true);
    setError(null);
    try {
      const result = await form.current.pay(ctx.manageUrl(order, token));
      if (!result.ok && result.unsure) {
        setUnsure(true);
        setError(t("pay_unsure"));
        if (!(await confirmedWithin(3))) setPending(true);
        return;
      }
      if (!result.ok) {
        setError(result.message || t("pay_failed"));
        return;
      }
      // Stripe tells the API by webhook; wait for the booking to be confirmed, then say it is
      // not yet and keep checking (a slow webhook, a bank's check that failed without a word).
      if (!(await confirmedWithin(10))) setPending(true);
    } catch (e) {
      setError(describe(t, e));
    } finally {
      setBusy(false);
    }
  };

  const giveBack = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onGiveBack?.();
    } catch (e) {
      setError(describe(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      {expired ? (
        // A new element, announced as it appears (a screen reader hears the hold run out).
        <p class="alert" role="alert" key="expired">
          {t("hold_expired")}
        </p>
      ) : left !== null ? (
        <p class="notice" key="left">
          {/* no space after a full-width colon ("剩余时间：14:58") */}
          {t("held_for")}
          {/^zh/i.test(fmt.locale) ? "" : " "}
          <span class="countdown" aria-hidden="true">
            {fmt.countdown(left)}
          </span>
          <span class="sr-only">{t("held_until", { time: heldUntil(fmt, order.hold_expires_at!) })}</span>
        </p>
      ) : null}
      <Alert message={error} />
      {unsure && !expired ? <CheckAgain t={t} busy={busy} onCheck={confirmed} /> : null}
      {pending && !unsure && !expired ? (
        <p class="notice" role="status">
          {t("pay_pending")}
        </p>
      ) : null}
      {expired ? <BookAgain ctx={ctx} onAgain={props.onAgain} /> : null}
      {mode === "venue" && !expired ? (
        <div class="actions">
          <button type="button" disabled={busy} onClick={confirmAtVenue}>
            {t("pay_at_venue")}
          </button>
        </div>
      ) : null}
      {mode === "card" && payment && !expired ? (
        <div>
          <label id="rsv-card-label">{t("card")}</label>
          <div class="pay-mount" role="group" aria-labelledby="rsv-card-label">
            <slot name="payment" />
          </div>
          {/* What is left after this payment: money already on the hold (a gift card's part)
              counts, as the API's balance counts it. */}
          {/* An instalment plan's first part is no deposit: said as the first of N, with the
              dates and amounts the card is charged later (an outside tester read "This is the
              deposit" with no dates). */}
          {(payment.plan ?? []).length > 1 ? (
            <div class="muted">
              <p>{t("instalment_now", { n: payment.plan!.length })}</p>
              <ul class="plan">
                {payment.plan!.slice(1).map((i) => (
                  <li key={i.due}>
                    {fmt.day(i.due)} · {fmt.money(i.amount)}
                  </li>
                ))}
              </ul>
            </div>
          ) : payment.amount < order.totals.total - order.totals.paid ? (
            <p class="muted">
              {t("deposit_now", { rest: fmt.money(order.totals.total - order.totals.paid - payment.amount) })}
            </p>
          ) : null}
          <CardPayButton
            t={t}
            form={form}
            busy={busy}
            label={t("pay_by_card", { amount: fmt.money(payment.amount) })}
            onPay={payByCard}
            onRetry={() => setError(null)}
          />
          <GiftCardPay ctx={ctx} order={order} token={token} onPaid={afterGiftCard} />
        </div>
      ) : null}
      {props.onGiveBack && !expired && !pending && !unsure ? (
        <div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={() => void giveBack()}>
            {t("other_choice")}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** What a booked order may lead to: the widget's offerings, and starting to book one. */
export interface Onward {
  offerings: Offering[];
  onBook: (offering: Offering) => void;
}

/** "Book again": where an order's page would otherwise end the customer's visit (a hold run
 * out, a cancelled booking, a manage link that finds nothing). */
function BookAgain({ ctx, onAgain }: { ctx: Context; onAgain: () => void }) {
  return (
    <div class="actions">
      <button type="button" onClick={onAgain}>
        {ctx.t("book_again")}
      </button>
    </div>
  );
}

export function HeldOrder(props: {
  ctx: Context;
  order: Order;
  token: string;
  onAgain: () => void;
  /** The order left "held" (booked, released, run out): nothing is left to resume. */
  onSettled?: () => void;
  /** The hold is given back: the customer chooses another time. */
  onOther?: () => void;
  onward?: Onward;
}) {
  const { ctx, token, onOther } = props;
  const { t } = ctx;
  const [order, setOrder] = useState(props.order);
  const [planned, setPlanned] = useState(false);
  useEffect(() => {
    if (order.status !== "held") props.onSettled?.();
  }, [order.status]);
  // The summary says the hold ran out when its countdown does, not "Held" above "The hold has
  // run out" (an outside tester's); the API says "expired" once its sweep has run.
  const left = useCountdown(order.status === "held" ? order.hold_expires_at : null, () => ctx.api.now());
  if (order.status === "expired" || order.status === "cancelled") {
    // Run out, or given back elsewhere: said, with "Book again"; never "Booked".
    return (
      <section>
        <Heading>{t("held_title")}</Heading>
        <OrderSummary ctx={ctx} order={order} />
        <p class="alert" role="alert">
          {t(order.status === "expired" ? "hold_expired" : "hold_given_back")}
        </p>
        <BookAgain ctx={ctx} onAgain={props.onAgain} />
      </section>
    );
  }
  if (order.status !== "held") {
    return <Booked ctx={ctx} order={order} token={token} onAgain={props.onAgain} onward={props.onward} planned={planned} />;
  }
  // The customer's own hold given back at once, so the time they leave is free again (for
  // them too) rather than taken until the hold runs out.
  const giveBack = async () => {
    try {
      // A release, never a cancel: a hold paid meanwhile is refused (409 `no_longer_held`)
      // and shown booked, not cancelled and refunded.
      const after = await ctx.api.release(order.id, token);
      if (after.status === "cancelled" || after.status === "expired") onOther?.();
      else setOrder(after);
    } catch (e) {
      // Booked (its payment landed) or over meanwhile: shown as it is now, and said.
      if (e instanceof ApiError && e.status === 409) {
        ctx.api.order(order.id, token).then(setOrder, () => undefined);
      }
      throw e;
    }
  };
  return (
    <section>
      <Heading>{t("held_title")}</Heading>
      <OrderSummary ctx={ctx} order={order} ranOut={left !== null && left <= 0} />
      <Settle
        ctx={ctx}
        order={order}
        token={token}
        onDone={setOrder}
        onAgain={props.onAgain}
        onGiveBack={onOther ? giveBack : undefined}
        onPlan={setPlanned}
      />
    </section>
  );
}

function Booked(props: {
  ctx: Context;
  order: Order;
  token: string;
  onAgain: () => void;
  onward?: Onward;
  planned?: boolean;
}) {
  const { ctx, order, token, onward } = props;
  const { t } = ctx;
  return (
    <section>
      <Heading>{t("confirmed_title")}</Heading>
      <p class="notice success">{t("confirmed_text", { email: order.customer.email })}</p>
      <OrderSummary ctx={ctx} order={order} planned={props.planned} />
      <div class="actions">
        {/* Dressed as the widget's buttons, a thumb's height: a 23 px link in the browser's
            own blue was the page's one unstyled control (an outside tester's phone). */}
        <a class="button secondary" href={ctx.manageUrl(order, token)}>
          {t("manage")}
        </a>
      </div>
      {onward ? (
        <Suggestions ctx={ctx} orderId={order.id} token={token} offerings={onward.offerings} onBook={onward.onBook} />
      ) : null}
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onAgain}>
          {t("new_booking")}
        </button>
      </div>
    </section>
  );
}

/** The choices that made `order`'s line: a move starts from them (the same nights, party and
 * stylist), so only what the customer changes changes. */
export function paramsOf(order: Order, offering: Offering): Params {
  const line = order.lines[0]!;
  const staff = offering.resource_choices.find((c) => c.requirement === 0)?.resources ?? [];
  const serving = line.resources.find((r) => r.requirement === 0)?.resource_id ?? null;
  return {
    date: line.date,
    nights: Math.max(1, line.nights),
    party: line.party,
    staff: staff.some((s) => s.resource_id === serving) ? serving : null,
  };
}

/** A change sent from the manage page: whether an order read after its answer was lost shows
 * it made, and what is then said. */
interface Lost {
  landed: (now: Order) => boolean;
  done: (now: Order) => string;
}

export function ManageOrder(props: {
  ctx: Context;
  orderId: string;
  token: string;
  proof: string; // the e-mail proof, when opened from an e-mail's link
  /** The order already asked for (claim.ts: while the page's widgets decided which opens the
   * link): shown without asking again. */
  first?: Promise<Order> | null;
  offerings: Offering[];
  onAgain: () => void;
  onDay?: (day: string) => void;
  /** "Book with my points" on the points shown: a new booking that may spend them. */
  onSpendPoints?: (offer: PointsOffer) => void;
}) {
  const { ctx, orderId, token } = props;
  const { t } = ctx;
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [mode, setMode] = useState<"view" | "cancel" | "move">("view");
  const [busy, setBusy] = useState(false);
  // A time taken while the customer chose it: the nearest free ones, to move to instead.
  const [taken, setTaken] = useState<{ choice: Choice; options: Option[] } | null>(null);
  // The time tapped, asked about before the booking moves to it.
  const [asking, setAsking] = useState<Choice | null>(null);
  // Counts the moves refused for a time just taken: the grid below asks its times again.
  const [stale, setStale] = useState(0);
  // "Cancel booking" gets the focus back when its question is dismissed; what an action did
  // (cancelled, moved) takes it when the button pressed is gone (focus.ts).
  const [cancelButton, focusCancel] = useFocusBack<HTMLButtonElement>();
  const said = useRef<HTMLParagraphElement>(null);
  useFocusWhenShown(said, notice);
  // A change whose answer was lost and whose order could not be read since: nothing is
  // offered until it is (`landed`: whether the order read shows the change made, and `done`
  // what is then said).
  const [unsure, setUnsure] = useState<Lost | null>(null);
  // The order as shown, for answers that come after it was read again.
  const shown = useRef<Order | null>(null);
  shown.current = order;

  /** The order as read now, shown. When it changed under the page (a change whose answer was
   * lost, another tab, staff), what was said or asked about it as it was goes: an outside
   * tester's page showed "Status: Cancelled" under "We could not reach the booking service",
   * the cancel question still open and "This was already paid". A cancelled one says so. */
  const show = (now: Order) => {
    const before = shown.current;
    shown.current = now;
    setOrder(now);
    if (!before || (now.version === before.version && now.status === before.status)) return;
    setError(null);
    setTaken(null);
    setAsking(null);
    setMode("view");
    setNotice(now.status === "cancelled" ? cancelledText(ctx, now) : null);
  };
  const reread = () => ctx.api.order(orderId, token).then(show, () => undefined);

  useEffect(() => {
    (props.first ?? ctx.api.order(orderId, token)).then(show, (e: unknown) => setError(describe(t, e)));
  }, [orderId, token]);

  /** After a change's answer was lost: the order read (a few tries) before anything is offered
   * again; shown changed when the change was made (the server cancelled and refunded while
   * the page kept "Confirmed", "Pay now" and the open question). */
  const recovered = async (lost: Lost, live = () => true): Promise<boolean> => {
    const now = await ctx.api.order(orderId, token).catch(() => null);
    if (!now || !live()) return false;
    const before = shown.current;
    show(now);
    setUnsure(null);
    if (lost.landed(now)) {
      setNotice(lost.done(now));
      setMode("view");
    } else if (now.version === before?.version) setError(t("error_network")); // not made: try again
    return true;
  };
  useReadingWhile(unsure !== null, (live) => (unsure ? recovered(unsure, live) : Promise.resolve(true)));
  // A hold that ran out while the page was open is over: nothing to change, "Book again".
  const left = useCountdown(order?.status === "held" ? order.hold_expires_at : null, () => ctx.api.now());
  useEffect(() => ctx.customerLanguage?.(order?.customer.locale), [order?.customer.locale]);
  const day = order?.lines[0]?.start.slice(0, 10);
  useEffect(() => {
    if (day && mode !== "move") props.onDay?.(day);
  }, [day, mode]);

  if (!order) {
    return (
      <section>
        <Heading>{t("manage_title")}</Heading>
        {error ? <Alert message={error} /> : <p class="muted">{t("loading")}</p>}
        {/* A link that finds no booking (old, mistyped) is no dead end on the business's
            booking page (an outside tester's finding): booking is one press away. */}
        {error ? <BookAgain ctx={ctx} onAgain={props.onAgain} /> : null}
      </section>
    );
  }
  // Asked as the booking's own: the units it holds count as free for it (a 2-night stay
  // moved by one night keeps the night it holds, however full the rest of the house is).
  const moving: Moving = { order: orderId, token, same: (o, p) => sameAsBooked(order.lines[0]!, o, p) };
  const act = async (lost: Lost, action: () => Promise<Order>, choice?: Choice) => {
    setBusy(true);
    setError(null);
    setTaken(null);
    try {
      const after = await action();
      show(after);
      setNotice(lost.done(after));
      setMode("view");
    } catch (e) {
      if (e instanceof ApiError && e.code === "network") {
        // Sent, perhaps made: read before anything is offered; unread, said and read on.
        if (await foundWithin(3, () => recovered(lost))) return;
        setMode("view");
        setError(t("change_unsure"));
        setUnsure(lost);
      } else if (e instanceof ApiError && e.code === "unavailable" && choice) {
        setError(t("taken"));
        // What the grid offers was read before that time went: read again, as the console's
        // move does, so the times now taken are no longer offered beside the nearest ones.
        setStale((n) => n + 1);
        setTaken({ choice, options: await nearest(ctx, choice, choice.params, moving).catch(() => []) });
      } else if (e instanceof ApiError && e.code === "price_changed" && choice) {
        // The price changed while the question was open: asked again, at the price now.
        setError(t("move_price_moved"));
        setAsking(choice);
      } else if (e instanceof ApiError && e.code === "move_needs_the_business") {
        // Confirmed (or nearer its start) since the page was opened: back to the booking as it is.
        setMode("view");
        void reread().then(() => setError(t("move_needs_the_business")));
      } else {
        setError(describe(t, e, ctx.fmt));
        // Refused for the order's state (expired, cancelled meanwhile): back to it as it is now.
        if (e instanceof ApiError && e.status === 409) {
          setMode("view");
          void reread();
        }
      }
    } finally {
      setBusy(false);
    }
  };
  // A hold paid (or confirmed to pay at the venue) here is said, as a balance paid is: the
  // status quietly became "Confirmed" and the focus fell to the page (an outside tester's).
  const settled = (after: Order) => {
    setOrder(after);
    if (after.status !== "confirmed") return; // still held (a gift card's part), or over
    setNotice(t(after.totals.paid > order.totals.paid ? "paid_confirmed" : "venue_confirmed"));
  };
  // A move made shows the order, still open, at the time (or stay) moved to: any other change
  // made meanwhile (the desk gave a room, a payment was recorded) is not the move (a
  // reviewer's: "moved" was said over the old time); a cancel, cancelled.
  const movedTo = (line: LineIn): Lost => ({
    landed: (now) =>
      now.version !== order.version &&
      now.status === order.status &&
      now.lines.some((l) =>
        line.start ? l.start.slice(0, 16) === line.start : l.date === line.check_in && (line.nights === undefined || l.nights === line.nights),
      ),
    done: () => t("rescheduled"),
  });
  const cancelled: Lost = { landed: (now) => now.status === "cancelled", done: (now) => cancelledText(ctx, now) };
  const move = (choice: Choice, total?: number) =>
    void act(movedTo(choice.line), () => ctx.api.reschedule(orderId, token, [choice.line], false, total), choice);
  const ranOut = order.status === "expired" || (left !== null && left <= 0);
  const open = ((order.status === "held" && !ranOut) || order.status === "confirmed") && !unsure;
  const offering = props.offerings.find((o) => o.id === order.lines[0]?.offering_id);
  const single = offering && order.lines.length === 1 ? offering : null;
  // A move that would dodge a cancellation fee is the business's to make: said, not offered.
  const feeToMove = single !== null && cancellingCostsNow(order, single, ctx.tenant, ctx.api.now());
  const partner = order.partner?.name ?? null;

  if (mode === "move" && offering && open) {
    return (
      <div>
        <Alert message={error} />
        {taken ? (
          <div>
            <p>{taken.options.length ? t("nearest") : t("none_near")}</p>
            <ul class="times">
              {taken.options.map((option) => (
                <li key={option.start}>
                  <button
                    type="button"
                    disabled={busy}
                    onClick={() =>
                      setAsking({ ...taken.choice, option, line: lineFor(offering, option, taken.choice.params) })
                    }
                  >
                    <OptionLabel ctx={ctx} offering={offering} option={option} />
                    {offering.kind === "timed" ? <small>{ctx.fmt.day(option.date)}</small> : null}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {asking ? (
          <MoveAsk
            key={JSON.stringify(asking.line)} // a new choice asks afresh: no price of the last
            ctx={ctx}
            booked={order}
            choice={asking}
            quote={() => ctx.api.reschedule(orderId, token, [asking.line], true)}
            busy={busy}
            onYes={(total) => {
              setAsking(null);
              move(asking, total);
            }}
            onKeep={() => setAsking(null)}
          />
        ) : null}
        <When
          ctx={ctx}
          offering={offering}
          offerings={[offering]}
          heading={t("reschedule")}
          initial={paramsOf(order, offering)}
          moving={moving}
          again={stale}
          onDay={props.onDay}
          onBack={() => {
            setTaken(null);
            setError(null);
            setAsking(null);
            setMode("view");
          }}
          onChoose={setAsking}
        />
      </div>
    );
  }
  return (
    <section>
      <Heading>{t("manage_title")}</Heading>
      {notice ? (
        <p class="notice success" role="status" tabIndex={-1} ref={said}>
          {notice}
        </p>
      ) : null}
      <OrderSummary ctx={ctx} order={order} ranOut={ranOut} />
      <Alert message={error} />
      {unsure ? <CheckAgain t={t} busy={busy} onCheck={() => recovered(unsure)} /> : null}
      {/* The booking's own actions come before what loads after it (loyalty points, how it is
       * paid): an answer arriving as someone taps "Change date or time" must not move the
       * button from under their finger, nor put "Confirm" where it was. */}
      {open && mode === "view" && feeToMove && !partner && error !== t("move_needs_the_business") ? (
        <p class="muted">{t("move_needs_the_business")}</p>
      ) : null}
      {/* A partner's booking is changed through the partner (the API refuses it here). */}
      {open && mode === "view" && partner ? <p class="muted">{t("booked_through_partner", { partner })}</p> : null}
      {open && mode === "view" && !partner ? (
        <div class="actions">
          {single && !feeToMove ? (
            <button type="button" class="secondary" onClick={() => setMode("move")}>
              {t("reschedule")}
            </button>
          ) : null}
          <button type="button" class="secondary" ref={cancelButton} onClick={() => setMode("cancel")}>
            {t("cancel_booking")}
          </button>
        </div>
      ) : null}
      {mode === "cancel" ? (
        <CancelAsk
          ctx={ctx}
          orderId={orderId}
          token={token}
          order={order}
          busy={busy}
          onYes={() => void act(cancelled, () => ctx.api.cancel(orderId, token))}
          onKeep={() => {
            setMode("view");
            focusCancel();
          }}
        />
      ) : null}
      <LoyaltyPoints
        ctx={ctx}
        orderId={order.id}
        token={token}
        proof={props.proof}
        onSpend={
          props.onSpendPoints && props.offerings.length
            ? (p) =>
                props.onSpendPoints?.({
                  orderId: order.id,
                  token,
                  proof: props.proof,
                  name: order.customer.name,
                  email: order.customer.email,
                  phone: order.customer.phone ?? null,
                  points: p.points,
                  value: p.value,
                })
            : undefined
        }
      />
      {order.status === "expired" ? (
        <div>
          <p class="alert">{t("hold_expired")}</p>
          <BookAgain ctx={ctx} onAgain={props.onAgain} />
        </div>
      ) : partner || unsure || order.status === "cancelled" ? null : order.status === "held" ? (
        // A partner's booking is settled with the partner: no payment, no balance here.
        <Settle ctx={ctx} order={order} token={token} onDone={settled} onAgain={props.onAgain} />
      ) : (
        <Balance
          ctx={ctx}
          order={order}
          token={token}
          onPaid={() => {
            setNotice(null); // "The booking is moved." is not what just happened: the thanks is
            void reread();
          }}
          onChanged={() => void reread()}
        />
      )}
      {/* A cancelled booking's page is no dead end: booking again is one press away. */}
      {order.status === "cancelled" ? <BookAgain ctx={ctx} onAgain={props.onAgain} /> : null}
    </section>
  );
}
