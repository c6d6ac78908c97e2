/**
 * The card form of a started payment, mounted while the step shows it (payment.ts mounts
 * Stripe.js into the widget's light-DOM slot) and taken down when the step goes or the payment
 * changes: one hook for a booking's payment, a balance and a gift card bought.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Context } from "./app";
import type { PaymentForm, StripeStart } from "./payment";
import { StripeUnavailable, mountPayment } from "./payment";

/** The mounted form (null until it is, or when it could not be); `unavailable` when Stripe.js
 * did not load, and `retry` to load it again (a Pay button then waits for it, not dead). */
export interface CardForm {
  current: PaymentForm | null;
  unavailable: boolean;
  retry: () => void;
}

export function useCardForm(ctx: Context, start: StripeStart | null, onError: (e: unknown) => void): CardForm {
  const form = useRef<PaymentForm | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!start || !ctx.paymentSlot) return;
    let live = true;
    setUnavailable(false);
    mountPayment(start, {
      src: ctx.stripeJs,
      mounting: ctx.paymentMounting,
      target: ctx.paymentSlot(),
      locale: ctx.locale === "zh-Hans" ? "zh" : "en",
    })
      .then((mounted) => {
        if (live) form.current = mounted;
        else mounted.destroy();
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (e instanceof StripeUnavailable) setUnavailable(true);
        onError(e);
      });
    return () => {
      live = false;
      form.current?.destroy();
      form.current = null;
    };
  }, [start, round]);
  return {
    get current() {
      return form.current;
    },
    unavailable,
    retry: () => setRound((n) => n + 1),
  };
}
