/**
 * The manage page's "Cancel booking?" with its terms: the widget asks the API what cancelling
 * now would cost (`POST /v1/public/orders/{id}/cancel` with `"quote": true`, nothing changed)
 * and says the fee and what will be refunded before the customer confirms; after, the result
 * names the refund and where it goes.
 */

import { useEffect, useRef, useState } from "preact/hooks";
import type { Order } from "./api";
import type { Context } from "./app";
import { useFocusWhenShown } from "./focus";
import { Ask } from "./move_ask";

interface Terms {
  fee: number;
  refund: number;
}

export function termsOf(order: Order): Terms | null {
  const c = order.cancellation;
  if (!c || typeof c.fee !== "number") return null;
  return { fee: c.fee, refund: typeof c.refund === "number" ? c.refund : 0 };
}

/** The sentence after cancelling: with the refund and where it goes, when there is one. */
export function cancelledText(ctx: Context, order: Order): string {
  const terms = termsOf(order);
  if (!terms || terms.refund <= 0) return ctx.t("cancelled_text");
  return ctx.t("cancelled_refund", { refund: ctx.fmt.money(terms.refund) });
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
      ? t("cancel_terms_refund", { refund: fmt.money(terms.refund) })
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
          ? `${terms.fee > 0 ? t("cancel_terms_fee", { fee: fmt.money(terms.fee) }) : t("cancel_terms_free")} ${refund}`.trim()
          : unknown
            ? t("cancel_terms_unknown")
            : t("loading")}
      </p>
    </Ask>
  );
}
