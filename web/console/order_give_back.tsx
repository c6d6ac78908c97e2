/**
 * Giving money back on an order's Money panel (managers and owners: `POST /v1/orders/{id}/refunds`),
 * offered first the way the money came in, and the tenders the desk takes and gives back money
 * by. Split from order_money.tsx to keep each module small; the panel draws it.
 */

import { useState } from "preact/hooks";
import { useDesk } from "./app";
import { DecimalField } from "./catalog_parts";
import { closeOnEscape, focusId, useOpenedForm } from "./focus";
import type { Key } from "./i18n";
import { Problem, useAction } from "./lines";
import { type BackDraft, staleRefusal } from "./money_stale";

// Live orders: their balance is collected (payments/services/collect.py LIVE), their folio open.
const LIVE = new Set(["confirmed", "checked_in", "completed"]);

export const TENDERS = ["cash", "card_terminal", "bank_transfer", "gift_card", "other"] as const;
export type Tender = (typeof TENDERS)[number];

/** What cameIn reads of the panel's money. */
interface CameIn {
  refundable: number;
  refundable_online: number;
  payments: { method: string; status: string; received: number }[];
}

/** How the money to give back came in (PROBE5 defect 7): back to the card through Stripe when
 * most of what can go back came online, else the desk tender that took the most (cash only
 * when nothing says otherwise), so money paid by card is not handed out of the drawer. */
export function cameIn(data: CameIn): Tender | "online" {
  if (data.refundable_online > 0 && data.refundable_online * 2 >= data.refundable) return "online";
  const byTender = new Map<Tender, number>();
  for (const p of data.payments) {
    const tender = TENDERS.find((m) => m === p.method);
    if (tender && p.status === "succeeded") byTender.set(tender, (byTender.get(tender) ?? 0) + p.received);
  }
  const most = [...byTender].sort((a, b) => b[1] - a[1])[0];
  return most ? most[0] : "cash";
}

export function GiveBack(props: {
  orderId: string;
  refundable: number;
  online: number;
  /** What the order owes the customer now (its balance below 0): given back beyond it, the
   * customer owes the difference again (a goodwill gesture given as a refund was collected
   * again by the scheduled balance), so the form says so before it is sent. */
  owedBack: number;
  /** The order's status: beyond what is owed back, a cancelled or no-show order gives back
   * the fee it kept (nothing is collected again, its folio is closed), a live one is owed. */
  status: string;
  cameIn: Tender | "online";
  kept?: BackDraft;
  onDone: () => void;
  onStale: (e: unknown, typed: BackDraft) => void;
}) {
  const { orderId, refundable, online, owedBack, kept, onDone } = props;
  const { t, api, fmt } = useDesk();
  const { busy, error, run, refusedMarked } = useAction();
  const [open, setOpen] = useState(kept !== undefined);
  const first = props.cameIn;
  // Offered when the form opens (a discount given meanwhile changes it): what is owed to the
  // customer (a cancellation's refund, a discount after payment), else all that can go back;
  // to the card at most the online part, in Stripe's steps (a three-decimal currency refunds
  // in tens: 1.005 KWD is refused, 1.000 is not).
  const toCard = (n: number) => (fmt.decimals === 3 ? n - (n % 10) : n);
  const most = first === "online" ? toCard(Math.min(refundable, online)) : refundable;
  const offered = owedBack > 0 ? Math.min(first === "online" ? toCard(owedBack) : owedBack, most) : most;
  const [amount, setAmount] = useState(kept?.amount ?? offered);
  const [typed, setTyped] = useState(true); // the field says an amount
  const [method, setMethod] = useState<Tender | "online">(kept?.method ?? first);
  const [reason, setReason] = useState(kept?.reason ?? "");
  const { opener, form, answered } = useOpenedForm(open); // opened: on Amount; kept: back on the button
  if (!open) {
    return (
      <button
        type="button"
        class="secondary"
        ref={opener}
        onClick={() => {
          setAmount(offered);
          setOpen(true);
        }}
      >
        {t("money_give_back")}
      </button>
    );
  }
  // Said of an amount that can go back (beyond the limit the refusal says so): not of an
  // expired hold, which owes all it took back.
  const limit = method === "online" ? online : refundable;
  const beyond = typed && amount > owedBack && amount <= limit && props.status !== "expired";
  const submit = async (event: Event) => {
    event.preventDefault();
    if (refusedMarked(event)) return; // an amount cleared and sent at once: not the last one typed
    // What the page said is owed back: another desk's refund since is refused as stale, not
    // given a second time (an outside tester's two tabs gave back the same 20.00 twice).
    const body = { amount, reason: reason.trim(), owed_back: owedBack, ...(method === "online" ? {} : { method }) };
    let stale = false; // said by the panel, which reads the order again
    const send = async () => {
      try {
        await api.post(`/v1/orders/${encodeURIComponent(orderId)}/refunds`, body);
      } catch (e) {
        if (!staleRefusal(e, method === "online" ? online : refundable)) throw e;
        stale = true;
        props.onStale(e, { amount, method, reason });
      }
    };
    if ((await run(send)) && !stale) {
      answered(); // given back: the keyboard goes to the new figures, not the button
      setOpen(false);
      setReason("");
      onDone();
      focusId("money-title");
    }
  };
  return (
    <form
      class="inline give-back"
      ref={form}
      onSubmit={submit}
      aria-labelledby="back-title"
      onKeyDown={closeOnEscape(busy, () => setOpen(false))}
    >
      <h3 id="back-title" class="wide">
        {t("money_give_back")}
      </h3>
      <DecimalField label={t("money_amount")} value={amount} onChange={setAmount} onValidity={setTyped} money />
      {/* Back to the card only for what came online, and at most that. */}
      <TenderSelect
        value={method}
        onChange={(m) => {
          setMethod(m);
          if (m === "online") setAmount(toCard(Math.min(amount, online)));
        }}
        online={online > 0}
        onlineFirst={first === "online"}
      />
      <label>
        {t("money_reason")}
        <input value={reason} maxLength={300} required onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {beyond && (
        <p class="warning wide" id="back-owed-again">
          {t(LIVE.has(props.status) ? "money_back_owed_again" : "money_back_fee_too", {
            amount: fmt.money(amount - owedBack),
          })}
        </p>
      )}
      <button
        type="submit"
        class="danger"
        // Not held back for the reason: pressed without one, the field's own `required` says
        // so and takes the keyboard (a tester's Enter in Amount did nothing, and said nothing).
        disabled={busy || !typed || amount <= 0}
        aria-describedby={beyond ? "back-owed-again" : undefined}
      >
        {typed ? t("money_give_back_amount", { amount: fmt.money(amount) }) : t("money_give_back")}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t("keep")}
      </button>
      <Problem text={error} />
    </form>
  );
}

/** How money is taken or given back at the desk; `online`: back to the card through Stripe too. */
export function TenderSelect(props: {
  value: string;
  onChange: (m: Tender | "online") => void;
  online?: boolean;
  /** The money came in online: the card through Stripe is offered first. */
  onlineFirst?: boolean;
}) {
  const { t } = useDesk();
  return (
    <label>
      {t("money_how")}
      <select value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value as Tender | "online")}>
        {props.online && props.onlineFirst && <option value="online">{t("tender_online_back")}</option>}
        {TENDERS.map((m) => (
          <option value={m} key={m}>
            {t(`tender_${m}` as Key)}
          </option>
        ))}
        {props.online && !props.onlineFirst && <option value="online">{t("tender_online_back")}</option>}
      </select>
    </label>
  );
}
