/**
 * An order's money on its page (`GET /v1/orders/{id}/payments`): what came in and went back,
 * online or at the desk, and the balance. Staff record money taken at the desk (cash, a card
 * terminal, a transfer, a gift card by its code, which the card pays in the same write:
 * `POST /v1/orders/{id}/payments`, at most what is owed);
 * managers give money back, at the desk or to the card through Stripe (offered first the way
 * the money came in: `cameIn`)
 * (`POST /v1/orders/{id}/refunds`). Every POST carries an Idempotency-Key (api.ts), so a
 * double click or a retry records nothing twice.
 *
 * The API decides each payment and refund on the order as it is when the request lands (no
 * If-Match: two desks both land, or the second is refused on the figures as they then are).
 * A refusal that shows the panel was stale (another desk took or gave back money, a payment
 * online opened, the booking changed) reloads the order and its figures, says so in words,
 * and keeps what was typed in the form, so the desk checks it against the figures and sends
 * it again, rather than being refused again on figures nobody sees.
 */

import { useState } from "preact/hooks";
import { ApiError, MAY } from "./api";
import { message, useDesk } from "./app";
import { DecimalField } from "./catalog_parts";
import { Folio, type FolioMoney } from "./folio";
import { focusId } from "./focus";
import { cameIn, GiveBack, type Tender, TenderSelect } from "./order_give_back";
import { OrderInvoices } from "./order_invoices";
import type { Key } from "./i18n";
import { Problem, useAction, useLoaded, useOnChange } from "./lines";
import type { Instalment } from "./order_plan";
import { InstalmentPlan } from "./order_plan";
import { type Stale, type TakeDraft, staleRefusal } from "./money_stale";
import { useWho } from "./who";

// Kept here too for the modules that read them from the Money panel (money_stale.ts).
export { TENDERS, type Tender, cameIn } from "./order_give_back";

interface MoneyRecord {
  id: string;
  amount: number;
  status: string;
  method: string;
  taken_by: string;
}
interface Money extends FolioMoney {
  currency: string;
  payment_status: string;
  received: number;
  refunded: number;
  refundable: number;
  refundable_online: number;
  balance: number;
  authorised: number;
  // updated_at: when a payment last changed (its money's arrival), as the export dates it
  // tip: left for the staff with a desk payment, beside `received` (not the order's money)
  payments: (MoneyRecord & { kind: string; received: number; reference: string; created_at: string; updated_at?: string; tip?: number })[];
  refunds: (MoneyRecord & { reason: string; at: string })[];
  plan?: Instalment[];
}

// The customer's online payment of the balance or an instalment, still open: the desk takes
// nothing meanwhile (409 online_payment_open) until staff cancel it.
const LATER_KINDS = new Set(["balance", "instalment"]);
const OPEN_ONLINE = new Set(["pending", "action_required", "processing"]);
// Refunds that moved (or are moving) money; failed and canceled ones stay off the records.
const COUNTED = new Set(["requested", "pending", "succeeded", "requires_action"]);

// A hold is confirmed before it is paid at the desk; an expired one takes nothing.
const TAKES_MONEY = new Set(["confirmed", "checked_in", "completed", "no_show", "cancelled"]);

export function OrderMoney(props: {
  orderId: string;
  status: string;
  version: number;
  onDone: () => void;
  /** A refusal showed the order changed elsewhere: read it again (the panel says why). */
  onStale: () => void;
}) {
  const { orderId, status, version, onDone } = props;
  const desk = useDesk();
  const who = useWho();
  const { t, api, fmt } = desk;
  const path = `/v1/orders/${encodeURIComponent(orderId)}/payments`;
  // The order's next version keeps the panel in view while it is read again: blanked, its
  // forms would come back as new and lose a choice made meanwhile (the desk picks "card
  // terminal" just as the order is read after the cash it took, and records cash again).
  const { data, error, refresh } = useLoaded(() => api.get<Money>(path), [orderId], [version]);
  const [stale, setStale] = useState<Stale | null>(null);
  const done = () => {
    setStale(null);
    refresh();
    onDone();
  };
  // Said above the forms, with the refusal itself; the forms come back with what was typed.
  const wentStale = (e: unknown, kept: Omit<Stale, "why">) => {
    setStale({ why: message(t, e), ...kept });
    refresh();
    props.onStale();
  };
  const how = (method: string) => t(`tender_${method}` as Key);
  const openOnline = data?.payments.find((p) => LATER_KINDS.has(p.kind) && OPEN_ONLINE.has(p.status));
  // Only opened (no card confirmed: `pending`): the desk takes the money and cancels that
  // payment first, which Stripe refuses once the customer is paying it (P7A 10). A card being
  // authenticated or processing still blocks the desk until it is recorded or cancelled.
  const onlyOpened = openOnline?.status === "pending" ? openOnline : undefined;
  const blocking = onlyOpened ? undefined : openOnline;
  return (
    <section class="money-panel" aria-labelledby="money-title">
      <h2 id="money-title" tabIndex={-1}>
        {t("money_title")}
      </h2>
      <Problem text={error} />
      {data && (
        <>
          <Folio orderId={orderId} status={status} data={data} onDone={done} />
          <dl class="money">
            <dt>{t("money_received")}</dt>
            <dd>{fmt.money(data.received)}</dd>
            {data.refunded > 0 && (
              <>
                <dt>{t("money_refunded")}</dt>
                <dd>{fmt.money(data.refunded)}</dd>
              </>
            )}
            <dt>{data.balance < 0 ? t("money_owed_back") : t("money_balance")}</dt>
            <dd>
              <strong>{fmt.money(Math.abs(data.balance))}</strong>
            </dd>
          </dl>
          <InstalmentPlan plan={data.plan ?? []} />
          {(data.payments.some((p) => p.status === "succeeded") || data.refunds.length > 0) && (
            <table class="records">
              <caption class="sr-only">{t("money_records")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("money_when")}</th>
                  <th scope="col">{t("money_how")}</th>
                  <th scope="col">{t("money_amount")}</th>
                  <th scope="col">{t("money_by")}</th>
                </tr>
              </thead>
              <tbody>
                {data.payments
                  .filter((p) => p.status === "succeeded")
                  .map((p) => (
                    <tr key={p.id}>
                      <td>{p.updated_at || p.created_at ? fmt.dateTime(p.updated_at || p.created_at) : ""}</td>
                      <td>
                        {how(p.method)}
                        {p.method === "gift_card" && p.reference.startsWith("gc_") ? (
                          <GiftCardCode cardId={p.reference} />
                        ) : (
                          p.reference && <span class="muted"> · {p.reference}</span>
                        )}
                      </td>
                      <td class="num">
                        {fmt.money(p.received)}
                        {!!p.tip && <span class="muted tip"> {t("money_with_tip", { tip: fmt.money(p.tip) })}</span>}
                      </td>
                      <td>{who(p.taken_by)}</td>
                    </tr>
                  ))}
                {data.refunds
                  .filter((r) => COUNTED.has(r.status))
                  .map((r) => (
                  <tr key={r.id}>
                    <td>{fmt.dateTime(r.at)}</td>
                    <td>
                      {t("money_back", { how: how(r.method) })}
                      <span class="muted"> · {r.reason}</span>
                    </td>
                    <td class="num">−{fmt.money(r.amount)}</td>
                    <td>{who(r.taken_by)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.authorised > 0 && <p class="muted">{t("money_authorised", { amount: fmt.money(data.authorised) })}</p>}
          {stale && (
            <p class="error" role="alert">
              {t("money_stale")}
              <br />
              {stale.why}
            </p>
          )}
          {blocking && <OpenOnline path={path} payment={blocking} onDone={done} />}
          {MAY.operate(desk.me.role) && TAKES_MONEY.has(status) && !blocking && data.balance - data.authorised > 0 && (
            <TakePayment
              path={path}
              cancelFirst={onlyOpened}
              owed={data.balance - data.authorised}
              kept={stale?.take}
              onDone={done}
              onStale={(e, take) => wentStale(e, { take })}
            />
          )}
          {MAY.manage(desk.me.role) && data.refundable > 0 && (
            <GiveBack
              key={data.refundable}
              orderId={orderId}
              refundable={data.refundable}
              online={data.refundable_online}
              owedBack={Math.max(0, -data.balance)}
              status={status}
              cameIn={cameIn(data)}
              kept={stale?.back}
              onDone={done}
              onStale={(e, back) => wentStale(e, { back })}
            />
          )}
        </>
      )}
      <OrderInvoices orderId={orderId} status={status} version={version} bills={data?.total} />
    </section>
  );
}

/** A gift-card payment names its card as the Gift cards page does, by its masked code
 * (`GET /v1/gift-cards/{id}`), never the internal id the payment's reference holds (PROBE5 12). */
function GiftCardCode({ cardId }: { cardId: string }) {
  const { api } = useDesk();
  const card = useLoaded(() => api.get<{ masked_code: string }>(`/v1/gift-cards/${encodeURIComponent(cardId)}`), [cardId]);
  return card.data ? <span class="muted"> · {card.data.masked_code}</span> : null;
}

/** The customer's open online payment of what is owed; staff may cancel it to take the money
 * at the desk (POST /v1/orders/{id}/payments/{payment_id}/cancel). */
function OpenOnline(props: { path: string; payment: { id: string; amount: number }; onDone: () => void }) {
  const { path, payment, onDone } = props;
  const desk = useDesk();
  const { t, api, fmt } = desk;
  const { busy, error, run } = useAction();
  const cancel = async () => {
    if (await run(() => api.post(`${path}/${encodeURIComponent(payment.id)}/cancel`, {}))) onDone();
  };
  return (
    <div class="open-online">
      <p class="muted">{t("money_online_open", { amount: fmt.money(payment.amount) })}</p>
      {MAY.operate(desk.me.role) && (
        <button type="button" class="secondary" disabled={busy} onClick={cancel}>
          {t("money_online_cancel")}
        </button>
      )}
      <Problem text={error} />
    </div>
  );
}

/** Cancel the customer's opened online payment; one already cancelled (a retry after the
 * desk's record failed) is no longer open, which is what was wanted. */
async function cancelOpened(api: { post: (p: string, b: unknown) => Promise<unknown> }, path: string, id: string) {
  try {
    await api.post(`${path}/${encodeURIComponent(id)}/cancel`, {});
  } catch (e) {
    if (!(e instanceof ApiError && e.code === "payment_not_open")) throw e;
  }
}

function TakePayment(props: {
  path: string;
  /** The customer's online payment, only opened: cancelled before the desk records. */
  cancelFirst?: { id: string; amount: number };
  owed: number;
  kept?: TakeDraft;
  onDone: () => void;
  onStale: (e: unknown, typed: TakeDraft) => void;
}) {
  const { path, owed, kept, onDone } = props;
  const { t, api, fmt } = useDesk();
  const { busy, error, run, refusedMarked } = useAction();
  const [amount, setAmount] = useState(kept?.amount ?? owed);
  const [typed, setTyped] = useState(true); // the field says an amount (not "abc")
  const [method, setMethod] = useState<Tender>(kept?.method ?? "cash");
  const [reference, setReference] = useState(kept?.reference ?? "");
  const [code, setCode] = useState(kept?.code ?? "");
  // The staff's money on top of the amount: never what the order is paid (not from a gift card)
  const [tip, setTip] = useState(kept?.tip ?? 0);
  // A new amount owed (a payment recorded, a charge added, the order read again after a
  // refusal): the amount offered follows it, or stays as typed after a refusal; the tender
  // chosen stays whatever moment the new amount arrives in.
  useOnChange(() => setAmount(kept?.amount ?? owed), [owed]);
  // The amount the API refused (more than is owed, none): the field is marked while it says it.
  const [refusedAmount, setRefusedAmount] = useState<number | null>(null);
  const byCard = method === "gift_card";
  const submit = async (event: Event) => {
    event.preventDefault();
    // Read from the page as it is now: the amount cleared and Enter pressed at once, before
    // `typed` was told, recorded the whole balance (an outside tester's $49.00). A field that
    // says no amount ("abc") is said and focused here: the button is not disabled for it,
    // which a keyboard and screen-reader tester met without a word.
    if (refusedMarked(event)) return;
    const body = byCard
      ? { amount, method, gift_card_code: code.trim() }
      : { amount, method, ...(reference.trim() ? { reference: reference.trim() } : {}), ...(tip > 0 ? { tip } : {}) };
    let stale = false; // said by the panel, which reads the order again
    const opened = props.cancelFirst;
    const send = async () => {
      try {
        if (opened) await cancelOpened(api, path, opened.id);
        await api.post(path, body);
      } catch (e) {
        if (!staleRefusal(e, owed)) {
          setRefusedAmount(amountRefusal(e) ? amount : null);
          throw e;
        }
        stale = true;
        props.onStale(e, { amount, method, reference, code, tip });
      }
    };
    if ((await run(send)) && !stale) {
      setReference("");
      setCode("");
      setTip(0);
      onDone();
      focusId("money-title"); // the form may be gone (nothing owed now): the new figures are under it
    }
  };
  return (
    <form class="inline take-payment" onSubmit={submit} aria-labelledby="take-title">
      <h3 id="take-title" class="wide">
        {t("money_take")}
      </h3>
      {props.cancelFirst && (
        <p class="muted wide">{t("money_online_opened", { amount: fmt.money(props.cancelFirst.amount) })}</p>
      )}
      <DecimalField
        label={t("money_amount")}
        value={amount}
        onChange={setAmount}
        onValidity={setTyped}
        money
        refused={refusedAmount === amount && error ? "take-problem" : undefined}
      />
      <TenderSelect value={method} onChange={(m) => setMethod(m as Tender)} />
      {byCard ? (
        <label>
          {t("money_gift_code")}
          <input
            value={code}
            required
            maxLength={40}
            autoComplete="off"
            spellcheck={false}
            class="code"
            onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
      ) : (
        <>
          <DecimalField label={t("money_tip")} value={tip} onChange={setTip} money optional />
          <label>
            {t("money_reference")}
            <input value={reference} maxLength={100} onInput={(e) => setReference((e.currentTarget as HTMLInputElement).value)} />
          </label>
        </>
      )}
      <button type="submit" disabled={busy}>
        {!typed
          ? t("money_record_none")
          : !byCard && tip > 0
            ? t("money_record_tip", { amount: fmt.money(amount), tip: fmt.money(tip) })
            : t("money_record", { amount: fmt.money(amount) })}
      </button>
      <Problem text={error} id="take-problem" />
    </form>
  );
}

/** A refusal of the amount itself: more than is owed, or not an amount the API takes. */
function amountRefusal(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  if (e.code === "payment_too_large") return true;
  const fields = (e.details?.fields as { field: string }[] | undefined) ?? [];
  return e.code === "validation_failed" && fields.some((f) => f.field.split(".").pop() === "amount");
}
