/**
 * Gift cards in the widget: paying a hold with a card's code (whole or in part: the card form
 * then asks only for the rest, `POST /v1/public/orders/{id}/gift-card`), and buying a card
 * (`POST /v1/public/gift-cards`: the amount, who it is for, a message; paid by card through
 * Stripe.js like a booking; the business's webhook issues the card and e-mails its code to the
 * recipient); and what a card's code holds (`POST /v1/public/gift-cards/balance`). Money
 * through Intl (Formats), every control labelled, errors announced.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { GiftCardBalance, GiftCardBounds, GiftCardPayment, Order } from "./api";
import { ApiError, newKey } from "./api";
import type { Context } from "./app";
import { Alert, Heading, describe, wentWrong } from "./app";
import type { Key } from "./i18n";
import { CardPayButton } from "./card_button";
import { useFocusWhenShown } from "./focus";
import { useCardForm } from "./card_form";

const CARD_CODES = new Set([
  "gift_card_not_found",
  "gift_card_balance_low",
  "gift_card_expired",
  "gift_card_is_disabled",
  "gift_card_currency",
]);

function said(ctx: Context, e: unknown): string {
  if (e instanceof ApiError && CARD_CODES.has(e.code)) return ctx.t(e.code as Key);
  return describe(ctx.t, e, ctx.fmt);
}

/** The code field under the card form of a hold; `onPaid` gets the order as it is after. */
export function GiftCardPay(props: { ctx: Context; order: Order; token: string; onPaid: (order: Order) => void }) {
  const { ctx, order, token } = props;
  const { t } = ctx;
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // What the card paid of a hold still held: said, and given the keyboard, since the form it
  // was typed in is gone (the focus fell to the page: an outside tester's finding).
  const [paid, setPaid] = useState<string | null>(null);
  const paidRef = useRef<HTMLParagraphElement>(null);
  useFocusWhenShown(paidRef, paid);
  if (!open) {
    return (
      <div>
        {paid ? (
          <p class="notice success" role="status" tabIndex={-1} ref={paidRef}>
            {paid}
          </p>
        ) : null}
        <div class="actions">
          <button type="button" class="link" onClick={() => setOpen(true)}>
            {t("gift_have_code")}
          </button>
        </div>
      </div>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const after = await ctx.api.payByGiftCard(order.id, token, code.trim());
      props.onPaid(after);
      const amount = after.totals.paid - order.totals.paid;
      // A hold's rest is paid by card next; a confirmed booking's rest stays on its page.
      const words = after.status === "held" ? "gift_paid" : "gift_paid_only";
      setPaid(amount > 0 ? t(words, { amount: ctx.fmt.money(amount) }) : null);
      setCode("");
      setOpen(false);
    } catch (e) {
      setError(said(ctx, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="gift-pay" onSubmit={submit}>
      <label>
        {t("gift_code")}
        <input value={code} required maxLength={40} autoComplete="off" spellcheck={false} onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <Alert message={error} />
      <div class="actions">
        <button type="submit" disabled={busy || !code.trim()}>
          {t("gift_use")}
        </button>
      </div>
    </form>
  );
}

interface Person {
  name: string;
  email: string;
}

/** Buying a gift card: the form, then the card form, then the thanks. */
export function BuyGiftCard(props: { ctx: Context; onBack: () => void }) {
  const { ctx } = props;
  const { t, fmt } = ctx;
  const [amount, setAmount] = useState("");
  const [buyer, setBuyer] = useState<Person>({ name: "", email: "" });
  const [recipient, setRecipient] = useState<Person>({ name: "", email: "" });
  const [note, setNote] = useState("");
  const [attempt] = useState(newKey);
  const [payment, setPayment] = useState<GiftCardPayment | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [bounds, setBounds] = useState<GiftCardBounds | null>(null);
  useEffect(() => {
    // The business's own least and most (the sale refuses others anyway: 422).
    ctx.api.giftCardBounds().then(setBounds, () => setBounds(null));
  }, []);
  const decimals = ctx.tenant.currency_decimals;
  const minor = Math.round(Number(amount.replace(",", ".")) * 10 ** decimals);
  const typed = Number.isFinite(minor) && minor > 0;
  const inBounds = !bounds || (minor >= bounds.min_amount && minor <= bounds.max_amount);
  const valid = typed && inBounds;

  const sale = useMemo(() => (payment ? { ...payment, kind: "full" } : null), [payment]);
  const form = useCardForm(ctx, sale, (e) => setError(describe(t, e)));

  const start = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const sale = { amount: minor, buyer, recipient, message: note, lang: ctx.locale };
      setPayment(await ctx.api.buyGiftCard(sale, attempt));
    } catch (e) {
      setError(e instanceof ApiError && e.code === "payments_not_enabled" ? t("gift_not_sold") : describe(t, e));
      if (e instanceof ApiError && e.code === "gift_card_amount_out_of_range") ctx.api.giftCardBounds().then(setBounds, () => undefined);
    } finally {
      setBusy(false);
    }
  };
  const pay = async () => {
    if (!form.current) return;
    setBusy(true);
    setError(null);
    try {
      const result = await form.current.pay(location.href);
      if (result.ok) setDone(true);
      else setError(wentWrong(t, result.message));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section>
        <Heading>{t("gift_thanks_title")}</Heading>
        <p class="notice success">{t("gift_thanks", { email: recipient.email, amount: fmt.money(minor) })}</p>
        <div class="actions">
          <button type="button" onClick={props.onBack}>
            {t("back")}
          </button>
        </div>
      </section>
    );
  }
  const person = (which: "buyer" | "recipient", value: Person, set: (p: Person) => void) => (
    <fieldset>
      <legend>{t(which === "buyer" ? "gift_from" : "gift_for")}</legend>
      <label>
        {t("name")}
        <input value={value.name} required maxLength={120} autoComplete={which === "buyer" ? "name" : "off"} onInput={(e) => set({ ...value, name: (e.currentTarget as HTMLInputElement).value })} />
      </label>
      <label>
        {t("email")}
        <input type="email" value={value.email} required maxLength={254} autoComplete={which === "buyer" ? "email" : "off"} onInput={(e) => set({ ...value, email: (e.currentTarget as HTMLInputElement).value })} />
      </label>
    </fieldset>
  );
  return (
    <section>
      <Heading>{t("gift_buy_title")}</Heading>
      {!payment ? (
        <form onSubmit={start}>
          <label>
            {t("gift_amount", { currency: ctx.tenant.currency })}
            <input
              inputMode="decimal"
              value={amount}
              required
              aria-describedby={bounds ? "rsv-gift-bounds" : undefined}
              aria-invalid={typed && !inBounds ? "true" : undefined}
              onInput={(e) => setAmount((e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          {bounds && (
            <p id="rsv-gift-bounds" class="muted">
              {t("gift_bounds", { min: fmt.money(bounds.min_amount), max: fmt.money(bounds.max_amount) })}
            </p>
          )}
          {person("buyer", buyer, setBuyer)}
          {person("recipient", recipient, setRecipient)}
          <label>
            {t("gift_message")}
            <textarea value={note} maxLength={500} rows={3} onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
          </label>
          <Alert message={error} />
          <div class="actions">
            <button type="button" class="secondary" onClick={props.onBack}>
              {t("back")}
            </button>
            <button type="submit" disabled={busy || !valid}>
              {valid ? t("gift_continue", { amount: fmt.money(minor) }) : t("next")}
            </button>
          </div>
        </form>
      ) : (
        <div>
          <label id="rsv-gift-card-label">{t("card")}</label>
          <div class="pay-mount" role="group" aria-labelledby="rsv-gift-card-label">
            <slot name="payment" />
          </div>
          <Alert message={error} />
          <CardPayButton
            t={t}
            form={form}
            busy={busy}
            label={t("pay_by_card", { amount: fmt.money(payment.amount) })}
            onPay={pay}
            onRetry={() => setError(null)}
          />
        </div>
      )}
      {!payment ? <CheckBalance ctx={ctx} /> : null}
    </section>
  );
}

/** What a gift card's code holds: its balance and the last day it can be spent. */
export function CheckBalance({ ctx }: { ctx: Context }) {
  const { t, fmt } = ctx;
  const [code, setCode] = useState("");
  const [found, setFound] = useState<GiftCardBalance | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFound(null);
    try {
      setFound(await ctx.api.giftCardBalance(code.trim()));
    } catch (e) {
      setError(said(ctx, e));
    } finally {
      setBusy(false);
    }
  };
  const until = found?.expires_on ? t("gift_valid_until", { date: fmt.day(found.expires_on) }) : "";
  return (
    <form class="gift-balance" onSubmit={submit} aria-labelledby="rsv-gift-balance">
      <h3 id="rsv-gift-balance">{t("gift_check_title")}</h3>
      <label>
        {t("gift_code")}
        <input value={code} required maxLength={40} autoComplete="off" spellcheck={false} onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <div class="actions">
        <button type="submit" class="secondary" disabled={busy || !code.trim()}>
          {t("gift_check")}
        </button>
      </div>
      <Alert message={error} />
      <div role="status">
        {found ? (
          <p class="notice">
            {t(found.usable ? "gift_holds" : "gift_unusable", { amount: fmt.money(found.balance) })} {until}
          </p>
        ) : null}
      </div>
    </form>
  );
}
