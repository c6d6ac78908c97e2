/**
 * The button under a card form: "Pay … by card" once Stripe.js has loaded, or, when it could
 * not (an ad blocker, the network), "Load the card form again" beside the words that say so:
 * never a Pay button that does nothing.
 */
import type { Translate } from "./i18n";
import type { CardForm } from "./card_form";

export function CardPayButton(props: { t: Translate; form: CardForm; busy: boolean; label: string; onPay: () => void; onRetry: () => void }) {
  const { t, form, busy } = props;
  return (
    <div class="actions">
      {form.unavailable ? (
        <button
          type="button"
          onClick={() => {
            props.onRetry();
            form.retry();
          }}
        >
          {t("card_retry")}
        </button>
      ) : (
        <button type="button" disabled={busy} onClick={props.onPay}>
          {busy ? t("paying") : props.label}
        </button>
      )}
    </div>
  );
}
