/**
 * The manage page's balance: what a confirmed booking owes now (the balance after its
 * deposit, extras; for an instalment plan, the instalments due by today, not the rest), when it is taken from the saved card, the instalment plan,
 * and a card payment of it now (the link in the "payment due" e-mail opens this page). The
 * card form is the held order's (payment.ts); Stripe tells the API by webhook, so the page
 * waits for what is owed to go down. A business that takes no online payments (`online`
 * false) is paid at the venue (the booking's "Payment" row says so): the page says what is
 * owed and offers no Pay button.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Order, Owed, PaymentStart } from "./api";
import type { Context } from "./app";
import { Alert, describe, wentWrong } from "./app";
import { useCardForm } from "./card_form";
import { CardPayButton } from "./card_button";

import { useFocusWhenShown } from "./focus";
import { GiftCardPay } from "./gift_card";
import { CheckAgain, foundWithin, useReadingWhile } from "./recheck";
export function Balance(props: {
  ctx: Context;
  order: Order;
  token: string;
  onPaid: () => void;
  /** The order is no longer as the page shows it (cancelled meanwhile): the page reads it
   * again and says so; this never says it was paid. */
  onChanged: () => void;
}) {
  const { ctx, order, token } = props;
  const { t, fmt } = ctx;
  const [owed, setOwed] = useState<Owed | null>(null);
  const [start, setStart] = useState<PaymentStart | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // What the page says once what it asked is paid: by this tab ("thanks"), or found paid
  // when this tab's payment was refused ("already": another tab paid the same card payment).
  const [paid, setPaid] = useState<"thanks" | "already" | null>(null);
  const thanks = paid !== null;
  // The card payment's answer was lost (`unsure`: "Check again" offered), or Stripe took it
  // and what is owed has not gone down yet (`pending`): what is owed is read until it has.
  const [unsure, setUnsure] = useState(false);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    ctx.api.owed(order.id, token).then(setOwed, () => setOwed(null));
  }, [order.id, order.version]);

  const form = useCardForm(ctx, start, (e) => setError(describe(t, e)));
  // "Pay now" is replaced by the card form, and the pay button (disabled while it pays) by the
  // thanks: the focus fell to the page each time (an outside tester's finding). It goes to the
  // card's label (the next Tab is the card field), then to the thanks, which is then read.
  const cardLabel = useRef<HTMLLabelElement>(null);
  const thanksLine = useRef<HTMLParagraphElement>(null);
  useFocusWhenShown(cardLabel, start);
  useFocusWhenShown(thanksLine, thanks);

  /** What is owed now, read again: "changed" when the order is no longer as the page shows it
   * (cancelled meanwhile: a cancelled booking owes nothing, which is not "already paid"). */
  const readAgain = async (): Promise<Owed | "changed" | null> => {
    const now = await ctx.api.owed(order.id, token).catch(() => null);
    return now && now.status !== order.status ? "changed" : now;
  };
  /** Whether what this payment asked (the card payment started, else all that was owed) was
   * paid meanwhile. Less owed is not enough: a real decline while an instalment or the desk
   * took part of it would have been said as "already paid", over a balance still due (a
   * reviewer's). */
  const paidBy = (now: Owed) => {
    const asked = start ? start.amount : (owed?.owed ?? 0);
    return now.owed <= 0 || now.owed <= (owed?.owed ?? 0) - asked;
  };
  const done = (now: Owed, how: "thanks" | "already") => {
    setOwed(now);
    setStart(null);
    setPaid(how);
    setUnsure(false);
    setPending(false);
    setError(null);
    props.onPaid();
  };
  /** Whether what was asked is paid (then said) or the order changed (then the page reads it). */
  const found = async (live = () => true): Promise<boolean> => {
    const now = await readAgain();
    if (now === "changed") {
      if (live()) props.onChanged();
      return true;
    }
    if (!now || !paidBy(now)) return false;
    if (live()) done(now, "thanks");
    return true;
  };
  const paidWithin = (tries: number) => foundWithin(tries, found);
  useReadingWhile(pending, found);

  if (!owed || (owed.owed <= 0 && owed.plan.length === 0 && !thanks)) return null;

  /** A refusal, unless what it asked was paid meanwhile: two tabs of the page paying the same
   * balance share one card payment (the API offers an open one again), so the second tab's
   * is refused as already made (Stripe's `payment_intent_unexpected_state`, localstripe's
   * "Bad request"), and "Pay now" after it is 409 `nothing_to_pay`. An outside tester's second
   * tab showed a raw "Bad request" under "Still to pay" and a live Pay button; it reads the
   * balance again and says it is paid. A booking cancelled meanwhile (409
   * `order_not_confirmed`) is the page's to show cancelled: it said "This was already paid". */
  const refused = async (message: string) => {
    const now = await readAgain();
    if (now === "changed") props.onChanged();
    else if (now && paidBy(now)) done(now, "already");
    else setError(message);
  };

  const begin = async () => {
    setBusy(true);
    setError(null);
    try {
      setStart(await ctx.api.payBalance(order.id, token));
    } catch (e) {
      await refused(describe(t, e));
    } finally {
      setBusy(false);
    }
  };

  const pay = async () => {
    if (!form.current) return;
    setBusy(true);
    setError(null);
    try {
      const result = await form.current.pay(ctx.manageUrl(order, token));
      // Refused as already made: another tab paid it ("already paid"), as a refusal is read.
      if (!result.ok && result.unsure && !result.made) {
        // The answer was lost (a phone's dropped connection): the card may have been charged,
        // so what is owed is read again, as the held step reads the order. It said only
        // "Something went wrong:" under "Still to pay" over a balance Stripe had taken.
        setUnsure(true);
        setError(t("pay_unsure"));
        if (!(await paidWithin(3))) setPending(true);
        return;
      }
      if (!result.ok) {
        await refused(wentWrong(t, result.message));
        return;
      }
      // Stripe tells the API by webhook: what is owed goes down once it has; until then the
      // page says the payment is not confirmed yet and keeps reading.
      if (!(await paidWithin(30))) setPending(true);
    } catch (e) {
      setError(describe(t, e));
    } finally {
      setBusy(false);
    }
  };

  const when = owed.next_due_at ? fmt.dateTime(owed.next_due_at) : null;
  return (
    <div class="card balance" role="group" aria-labelledby={owed.owed > 0 || owed.plan.length ? "rsv-owed" : "rsv-paid"}>
      {thanks ? (
        <p class="notice success" role="status" id="rsv-paid" ref={thanksLine} tabIndex={-1}>
          {t(paid === "already" ? "already_paid" : "paid_thanks")}
        </p>
      ) : null}
      {owed.owed > 0 ? (
        <p id="rsv-owed">
          {t(owed.plan.length ? "owed_now" : "owed")}
          {t("colon")}
          <strong class="price">{fmt.money(owed.owed)}</strong>
          {when ? <small class="muted"> · {owed.card_on_file ? t("owed_next", { when }) : t("owed_link", { when })}</small> : null}
        </p>
      ) : null}
      {owed.plan.length ? (
        <div>
          <p id={owed.owed > 0 ? undefined : "rsv-owed"}>{t("plan")}</p>
          <ul class="plan">
            {owed.plan.map((i) => (
              <li key={i.due}>
                {fmt.day(i.due)} · {fmt.money(i.amount)}
                {i.paid ? <small class="muted"> · {t("plan_paid")}</small> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Alert message={error} />
      {unsure ? <CheckAgain t={t} busy={busy} onCheck={found} /> : null}
      {pending && !unsure ? (
        <p class="notice" role="status">
          {t("pay_pending")}
        </p>
      ) : null}
      {owed.owed > 0 && owed.online && !start ? (
        <div class="actions">
          <button type="button" disabled={busy} onClick={begin}>
            {t("pay_now")}
          </button>
        </div>
      ) : null}
      {/* A gift card pays it too, whole or in part (the page offered only a bank card). */}
      {owed.owed > 0 && !start ? (
        <GiftCardPay
          ctx={ctx}
          order={order}
          token={token}
          onPaid={() => {
            void ctx.api.owed(order.id, token).then(setOwed, () => undefined);
            props.onPaid();
          }}
        />
      ) : null}
      {start ? (
        <div>
          <label id="rsv-balance-card" ref={cardLabel} tabIndex={-1}>
            {t("card")}
          </label>
          <div class="pay-mount" role="group" aria-labelledby="rsv-balance-card">
            <slot name="payment" />
          </div>
          <CardPayButton
            t={t}
            form={form}
            busy={busy}
            label={t("pay_by_card", { amount: fmt.money(start.amount) })}
            onPay={pay}
            onRetry={() => setError(null)}
          />
        </div>
      ) : null}
    </div>
  );
}
