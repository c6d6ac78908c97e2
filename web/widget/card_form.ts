/**
 * The card form of a started payment, mounted while the step shows it (payment.ts mounts
 * Stripe.js into the widget's light-DOM slot) and taken down when the step goes or the payment
 * changes: one hook for a booking's payment, a balance and a gift card bought.
 */
import { useEffect, useRef } from "preact/hooks";
import type { Context } from "./app";
import type { PaymentForm, StripeStart } from "./payment";
import { mountPayment } from "./payment";

export function useCardForm(
  ctx: Context,
  start: StripeStart | null,
  onError: (e: unknown) => void,
): { current: PaymentForm | null } {
  const form = useRef<PaymentForm | null>(null);
  useEffect(() => {
    if (!start || !ctx.paymentSlot) return;
    let live = true;
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
      .catch(onError);
    return () => {
      live = false;
      form.current?.destroy();
      form.current = null;
    };
  }, [start]);
  return form;
}
