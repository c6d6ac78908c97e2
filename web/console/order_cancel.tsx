/**
 * Cancelling an order at the desk, with its terms said before the desk confirms: the form asks
 * the API what cancelling now would cost (`POST /v1/orders/{id}/cancel` with `"quote": true`:
 * the fee by the customer's terms, or none when the business calls it off, and what goes
 * back) and asks again when "We call it off" changes. A cancelled order says its terms after:
 * the fee kept and what goes back (online payments to the card through Stripe, money taken at
 * the desk given back at the desk).
 * The cancellation is sent with the version its terms were quoted on (If-Match): an outside
 * tester's desk cancelled on "Nothing was paid, so nothing is given back" after another desk had
 * taken the whole payment in cash. Refused as stale (409 `version_mismatch`), the form says the
 * booking changed meanwhile, the page reads the order again and the form its terms, to be
 * confirmed again (as "Change the time" and the Money panel do).
 */

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError, MAY, type Order } from "./api";
import { message, useDesk } from "./app";
import { closeOnEscape, focusOn, focusSoon } from "./focus";
import type { Key } from "./i18n";
import { Problem, useAction } from "./lines";

interface Terms {
  fee: number;
  refund: number;
  waived: number;
  cancelled_by?: string;
}

function termsOf(order: Order): Terms | null {
  const c = order.cancellation;
  if (!c || typeof c.fee !== "number") return null;
  const refund = typeof c.refund === "number" ? c.refund : 0;
  const waived = typeof c.waived === "number" ? c.waived : 0;
  return { fee: c.fee, refund, waived, cancelled_by: typeof c.cancelled_by === "string" ? c.cancelled_by : undefined };
}

/** The terms in one sentence: the fee (or none) and what goes back (or nothing). */
export function TermsText({ terms }: { terms: Terms }) {
  const { t, fmt } = useDesk();
  // Neither a fee nor anything paid: said plainly, not as "no fee; nothing goes back".
  if (terms.fee <= 0 && terms.waived <= 0 && terms.refund <= 0) return <>{t("cancel_nothing")}</>;
  const fee =
    terms.fee > 0
      ? t("cancel_fee", { fee: fmt.money(terms.fee) })
      : terms.waived > 0
        ? t("cancel_waived", { fee: fmt.money(terms.waived) })
        : t("cancel_no_fee");
  // A waived fee and nothing back: nothing was paid (with no fee kept, all paid goes back).
  const back =
    terms.refund > 0
      ? t("cancel_refund", { refund: fmt.money(terms.refund) })
      : terms.fee > 0
        ? t("cancel_no_refund")
        : t("cancel_no_refund_unpaid");
  return (
    <>
      {fee} {back}
    </>
  );
}

/** A cancelled order's terms, as they were recorded, less what of the fee went back since:
 * the fee was taken from what was paid, so a later goodwill refund past the cancellation's own
 * gives that much of the fee up (booking/domain/order_money.py `due`), and the sentence says
 * the fee kept now, not the one kept at cancelling (an outside tester saw "a fee of $20.00 is
 * kept" on an order refunded in full). */
export function CancelledTerms({ order }: { order: Order }) {
  const { t, fmt } = useDesk();
  const recorded = order.status === "cancelled" ? termsOf(order) : null;
  if (!recorded) return null;
  const kept = Math.max(0, Math.min(recorded.fee, order.totals.paid));
  const given = recorded.fee - kept;
  const terms = { ...recorded, fee: kept, refund: recorded.refund + given };
  return (
    <p class="notice" role="note">
      <strong>{terms.cancelled_by === "business" ? t("cancelled_by_business") : t("cancelled_by_customer")}</strong>{" "}
      <TermsText terms={terms} />
      {given > 0 && <> {t("cancel_fee_given_back", { given: fmt.money(given) })}</>}
      {terms.refund > 0 && <> {t("cancel_refund_how")}</>}
    </p>
  );
}

/** The business's cancellation: a manager or owner waives the policy's fee; staff call it
 * off with the policy's fee kept (`waive_fee: false`), as the API allows them (PROBE5 defect 3). */
function businessBody(business: boolean, waives: boolean): Record<string, unknown> {
  if (!business) return {};
  return waives ? { by: "business" } : { by: "business", waive_fee: false };
}

/** Why the terms changed, as far as the order read again tells: a payment came in, money went
 * back, or something else (a discount, a move). */
function changedWhy(paidBefore: number, paidNow: number): Key {
  if (paidNow > paidBefore) return "cancel_stale_paid";
  return paidNow < paidBefore ? "cancel_stale_refunded" : "cancel_stale";
}

/** `onStale`: the page reads the order again; `why` (a step it can no longer take: cancelled or
 * checked in elsewhere) is said beside it, "" when this form says it. */
export function Cancel({ order, onDone, onStale }: { order: Order; onDone: () => void; onStale: (why: string) => void }) {
  const { t, api, me } = useDesk();
  const waives = MAY.manage(me.role);
  const [open, setOpen] = useState(false);
  const [business, setBusiness] = useState(false);
  const [terms, setTerms] = useState<Terms | null>(null);
  const [asked, setAsked] = useState("");
  // The order as the terms shown were quoted on: its version goes with the cancellation.
  const basis = useRef<{ version: number; paid: number } | null>(null);
  const [changed, setChanged] = useState(""); // the terms were stale: said above the new ones
  const [again, setAgain] = useState(0); // quote again (a stale refusal)
  const { busy, error, run } = useAction();
  const opener = useRef<HTMLButtonElement>(null);
  const reasonField = useRef<HTMLInputElement>(null);
  const wasOpen = useRef(false);

  // Opened: the keyboard is on the reason (an `autofocus` attribute does nothing on a form
  // drawn after the page loaded); closed without cancelling: back on the button that opened it.
  // In the draw that shows the form (a layout effect), so what is typed at once stays put.
  useLayoutEffect(() => {
    if (open) focusOn(reasonField.current);
    else if (wasOpen.current) focusOn(opener.current);
    wasOpen.current = open;
  }, [open]);

  // The terms read again when the order moves on (a worker's write, another desk): the last
  // ones stay shown meanwhile, so "Cancel this booking" is not disabled under a keypress
  // (a CI run's Enter met it disabled); opened or "We call it off" changed: read afresh.
  // Closed, they are forgotten: opened again, the form showed the last opening's terms, with
  // its button enabled, until this effect ran (a CI run focused that button in the moment
  // before it went disabled for the fresh quote, and the keyboard stayed in the reason).
  const quoted = useRef("");
  useEffect(() => {
    if (!open) {
      quoted.current = "";
      setTerms(null);
      setAsked("");
      setChanged("");
      return;
    }
    let live = true;
    if (quoted.current !== String(business)) {
      setTerms(null);
      setAsked("");
    }
    quoted.current = String(business);
    api
      .act(order.id, "cancel", { quote: true, ...businessBody(business, waives) })
      .then((quoted) => {
        if (!live) return;
        basis.current = { version: quoted.version, paid: quoted.totals.paid };
        setTerms(termsOf(quoted));
      })
      .catch(() => {
        if (!live) return;
        basis.current = null; // terms not known: sent without a version, as before
        setAsked(t("cancel_terms_unknown"));
      });
    return () => {
      live = false;
    };
  }, [open, business, order.version, again]);

  if (!open) {
    return (
      <button type="button" class="danger" ref={opener} onClick={() => setOpen(true)}>
        {t("cancel")}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const reason = String(form.get("reason") ?? "").trim();
    const body = { reason, ...businessBody(business, waives) };
    const quotedOn = basis.current;
    let stale = false;
    const sent = await run(async () => {
      try {
        await api.act(order.id, "cancel", body, quotedOn?.version);
      } catch (e) {
        if (!(e instanceof ApiError) || !["version_mismatch", "illegal_transition"].includes(e.code)) throw e;
        stale = true;
        await wentStale(e, quotedOn);
      }
    });
    if (sent && !stale) {
      wasOpen.current = false; // cancelled: the page says so and takes the focus, not the button
      setOpen(false);
      onDone();
    }
  };
  // Another desk (or the guest) changed the order since the terms were quoted: nothing was
  // cancelled. A step the order can no longer take is said by the page beside the order as it
  // now is (the form goes with it); otherwise the form says why, and quotes the terms again.
  const wentStale = async (e: ApiError, quotedOn: { paid: number } | null) => {
    if (e.code !== "version_mismatch") return onStale(message(t, e));
    setTerms(null); // "Cancel this booking" waits for the terms as they now are
    const now = await api.order(order.id).catch(() => null);
    const paid = quotedOn?.paid ?? 0;
    setChanged(t(changedWhy(paid, now?.totals.paid ?? paid)));
    setAgain((n) => n + 1);
    onStale("");
    focusSoon(() => document.getElementById("cancel-changed"));
  };
  return (
    <form class="cancel" onSubmit={submit} onKeyDown={closeOnEscape(busy, () => setOpen(false))} aria-label={t("cancel")}>
      {/* The business's cancellation says why (the customer is told it was not their doing):
          labelled so, not "optional" and then refused (an outside tester's finding); the
          API's refusal still says it when it is left empty. */}
      <label>
        {business ? t("cancel_reason_business") : t("cancel_reason")}
        <input name="reason" maxLength={500} ref={reasonField} aria-required={business} />
      </label>
      <label class="check">
        <input
          type="checkbox"
          name="by_business"
          checked={business}
          onChange={(e) => setBusiness((e.currentTarget as HTMLInputElement).checked)}
        />{" "}
        {waives ? t("cancel_by_business") : t("cancel_by_business_staff")}
      </label>
      {/* Above the terms quoted again: they are new, and nothing was cancelled. */}
      <Problem text={changed} id="cancel-changed" />
      <p role="status" class="cancel-terms">
        {terms ? (
          <>
            {t("cancel_terms_now")} <TermsText terms={terms} />
          </>
        ) : (
          asked || t("loading")
        )}
      </p>
      <Problem text={error} />
      <button type="submit" class="danger" disabled={busy || (!terms && !asked)}>
        {t("cancel_confirm")}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t("keep")}
      </button>
    </form>
  );
}
