/**
 * Taking a card: one interface, two mountings of Stripe.js.
 * - "payment": Stripe's Payment Element (cards, wallets, and Alipay or WeChat Pay where the
 *   tenant's Stripe account enables them), what production uses;
 * - "card": the Card Element, the one localstripe's stand-in of Stripe.js offers locally.
 *
 * Stripe.js is loaded from the address the element names (Stripe's own on AWS, as Stripe
 * requires; localstripe's locally), once per page. Its iframes cannot live in a shadow root,
 * so the form is mounted into a light-DOM child of the widget's element that the shadow root
 * shows through a `<slot>`.
 */
import type { PaymentStart } from "./api";

export type Mounting = "payment" | "card";

export interface PaymentResult {
  ok: boolean;
  message?: string;
  /** The outcome is not known: the answer was lost (Stripe's `api_connection_error`; a
   * stand-in's fetch that threw), or Stripe refused it as already made
   * (`payment_intent_unexpected_state`). The card may have been charged: the caller reads
   * the order, never shows the raw "Failed to fetch" or "Bad request" (an outside tester's). */
  unsure?: boolean;
  /** Of `unsure`: refused as already made, by this page or another tab, rather than lost. */
  made?: boolean;
}

export interface PaymentForm {
  pay(returnUrl: string): Promise<PaymentResult>;
  destroy(): void;
}

// The slice of Stripe.js the widget uses (both mountings).
interface StripeElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}
interface StripeElements {
  create(kind: string, options?: Record<string, unknown>): StripeElement;
}
interface StripeError {
  message?: string;
  type?: string;
  code?: string;
}
interface StripeJs {
  elements(options?: Record<string, unknown>): StripeElements;
  confirmPayment?(options: Record<string, unknown>): Promise<{ error?: StripeError }>;
  confirmSetup?(options: Record<string, unknown>): Promise<{ error?: StripeError }>;
  confirmCardPayment(secret: string, data: Record<string, unknown>): Promise<{ error?: StripeError }>;
  confirmCardSetup(secret: string, data: Record<string, unknown>): Promise<{ error?: StripeError }>;
}
type StripeFactory = (key: string, options?: Record<string, unknown>) => StripeJs;

/** What Stripe.js's confirmation came to, the card's fate unknown when its answer was lost. */
async function outcome(confirm: () => Promise<{ error?: StripeError }>): Promise<PaymentResult> {
  let error: StripeError | undefined;
  try {
    error = (await confirm()).error;
  } catch {
    return { ok: false, unsure: true };
  }
  if (!error) return { ok: true };
  const made = error.code === "payment_intent_unexpected_state";
  return { ok: false, message: error.message ?? "", unsure: made || error.type === "api_connection_error", made };
}

/** Stripe.js did not load (an ad blocker, the network, a wrong `stripe-js`): the widget says
 * so in the customer's words (app.tsx `describe`) and offers to try again. */
export class StripeUnavailable extends Error {
  constructor(readonly src: string) {
    super("Stripe.js did not load");
  }
}

const loading = new Map<string, Promise<StripeFactory>>();
const LOAD_TIMEOUT_MS = 20000;

function loadStripe(src: string): Promise<StripeFactory> {
  const existing = (window as unknown as { Stripe?: StripeFactory }).Stripe;
  if (existing) return Promise.resolve(existing);
  let promise = loading.get(src);
  if (!promise) {
    promise = new Promise<StripeFactory>((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      const fail = () => {
        loading.delete(src); // the next try loads it again
        script.remove();
        reject(new StripeUnavailable(src));
      };
      script.onload = () => {
        const factory = (window as unknown as { Stripe?: StripeFactory }).Stripe;
        if (factory) resolve(factory);
        else fail();
      };
      script.onerror = fail;
      // A request that never answers must not leave the form loading for ever.
      setTimeout(() => {
        if (!(window as unknown as { Stripe?: StripeFactory }).Stripe) fail();
      }, LOAD_TIMEOUT_MS);
      document.head.appendChild(script);
    });
    loading.set(src, promise);
  }
  return promise;
}

/** What Stripe.js needs of a started payment or card setup (the console's plan card too). */
export type StripeStart = Pick<PaymentStart, "kind" | "client_secret" | "publishable_key"> & {
  stripe_account?: string;
};

export async function mountPayment(
  start: StripeStart,
  options: { src: string; mounting: Mounting; target: HTMLElement; locale: string },
): Promise<PaymentForm> {
  const factory = await loadStripe(options.src);
  const stripe = factory(start.publishable_key, { stripeAccount: start.stripe_account, locale: options.locale });
  const secret = start.client_secret ?? "";
  const setup = start.kind === "card_on_file";
  if (options.mounting === "card") {
    const card = stripe.elements().create("card");
    card.mount(options.target);
    return {
      async pay() {
        const confirm = setup ? stripe.confirmCardSetup : stripe.confirmCardPayment;
        return outcome(() => confirm.call(stripe, secret, { payment_method: { card } }));
      },
      destroy: () => card.destroy(),
    };
  }
  const elements = stripe.elements({ clientSecret: secret, locale: options.locale });
  const element = elements.create("payment");
  element.mount(options.target);
  return {
    async pay(returnUrl: string) {
      const confirm = setup ? stripe.confirmSetup : stripe.confirmPayment;
      if (!confirm) return { ok: false, message: "Stripe.js has no Payment Element" };
      return outcome(() =>
        confirm.call(stripe, { elements, redirect: "if_required", confirmParams: { return_url: returnUrl } }),
      );
    },
    destroy: () => element.destroy(),
  };
}
