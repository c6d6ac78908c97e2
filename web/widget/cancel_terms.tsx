/**
 * The manage page's "Cancel booking?" with its terms: the widget asks the API what cancelling
 * now would cost (`POST /v1/public/orders/{id}/cancel` with `"quote": true`, nothing changed)
 * and says the fee and what will be refunded before the customer confirms; after, the result
 * names the refund and where it goes. Where, as the API's answer says it: `card_back` goes back
 * by itself to the card or gift card paid with; `desk_back`, of what was paid at the business
 * (cash, its card terminal), is the business's to give back, as the e-mail says (an outside
 * tester's cash booking was told "a card payment goes back to the card it came from").
 */

import { useEffect, useRef, useState } from "preact/hooks";
import type { Order } from "./api";
import type { Context } from "./app";
import { useFocusWhenShown } from "./focus";
import { Ask } from "./move_ask";

interface Terms {
  fee: number;
  refund: number;
  /** Of `refund`: back by itself (the card, a gift card), and owed back by the business; null
   * for a cancellation recorded before the API said which. */
  ways: { card: number; desk: number } | null;
}

export function termsOf(order: Order): Terms | null {
  const c = order.cancellation;
  if (!c || typeof c.fee !== "number") return null;
  const ways =
    typeof c.card_back === "number" && typeof c.desk_back === "number" ? { card: c.card_back, desk: c.desk_back } : null;
  return { fee: c.fee, refund: typeof c.refund === "number" ? c.refund : 0, ways };
}

/** Sentences joined as the language joins them (Chinese puts no space between). */
function joined(ctx: Context, parts: string[]): string {
  return parts.filter(Boolean).join(ctx.locale.startsWith("zh") ? "" : " ");
}

/** Where the refund goes: to the card by itself, owed back by the business, or both. */
function refundWays(ctx: Context, terms: Terms): string {
  const { t, fmt } = ctx;
  if (!terms.ways) return t("refund_due_amount_said", { amount: fmt.money(terms.refund) });
  const business = ctx.tenant.name;
  return joined(ctx, [
    terms.ways.card > 0 ? t("refund_card_back", { amount: fmt.money(terms.ways.card) }) : "",
    terms.ways.desk > 0 ? t("refund_desk_back", { amount: fmt.money(terms.ways.desk), business }) : "",
  ]);
}

/** The sentence after cancelling: with the refund and where it goes, when there is one. */
export function cancelledText(ctx: Context, order: Order): string {
  const terms = termsOf(order);
  if (!terms || terms.refund <= 0) return ctx.t("cancelled_text");
  return joined(ctx, [ctx.t("cancelled_text"), refundWays(ctx, terms)]);
}

export function CancelAsk(props: {
  ctx: Context;
  orderId: string;
  token: string;
  order: Order;
  busy: boolean;
  onYes: () => void;
  onKeep: () => void;
}) {
  const { ctx, order } = props;
  const { t, fmt } = ctx;
  const [terms, setTerms] = useState<Terms | null>(null);
  const [unknown, setUnknown] = useState(false);
  // The question takes the focus when it opens (the button that opened it is gone), so a
  // screen reader reads it; Escape keeps the booking, as "Keep it" does.
  const question = useRef<HTMLParagraphElement>(null);
  useFocusWhenShown(question, true, true);

  useEffect(() => {
    let live = true;
    ctx.api.cancel(props.orderId, props.token, true).then(
      (quoted) => live && setTerms(termsOf(quoted)),
      () => live && setUnknown(true),
    );
    return () => {
      live = false;
    };
  }, [props.orderId, order.version]);

  const paid = !["unpaid", "authorised"].includes(order.payment_status);
  const refund = terms
    ? terms.refund > 0
      ? refundWays(ctx, terms)
      : paid
        ? t("cancel_terms_no_refund")
        : ""
    : "";
  return (
    <Ask
      id="rsv-cancel-q"
      question={t("cancel_confirm")}
      questionRef={question}
      yes={t("yes_cancel")}
      yesClass="danger"
      yesDisabled={props.busy || (!terms && !unknown)}
      keep={t("keep")}
      onYes={props.onYes}
      onKeep={props.onKeep}
    >
      <p role="status">
        {terms
          ? joined(ctx, [terms.fee > 0 ? t("cancel_terms_fee", { fee: fmt.money(terms.fee) }) : t("cancel_terms_free"), refund])
          : unknown
            ? t("cancel_terms_unknown")
            : t("loading")}
      </p>
    </Ask>
  );
}
