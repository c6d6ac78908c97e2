/**
 * What cancelling and not coming cost, said before the customer books: the offering's refund
 * tiers as what each keeps of the price ("72 hours or more before, free; 24 hours or more
 * before, 50% of the price is kept; later, the whole price is kept") and its no-show fee. An
 * outside tester's restaurant charged a €20.00 no-show fee its customers had never been told
 * of: the widget said only the total. Said as what is kept, not what comes back: the API keeps
 * the fee, a share of the price, from what was paid, and a phone tester who paid a 20 %
 * deposit read "50% refunded" and got nothing back.
 */
import { ratePercent } from "../shared/percent";
import type { Offering } from "./api";
import type { Context } from "./app";
import type { Translate } from "./i18n";

/** Each refund tier in words, most notice first; past the last tier nothing comes back (the
 * API keeps it all), which is said, not left to guess (an outside tester's tour stopped at
 * "12 hours or more before, 50% refunded"). */
export function tiersSaid(t: Translate, locale: string, cancellation: Offering["cancellation"]): string[] {
  const tiers = [...cancellation].sort((a, b) => b.hours_before - a.hours_before);
  const back = (bp: number) =>
    bp >= 10_000
      ? t("terms_free")
      : bp <= 0
        ? t("terms_kept_all")
        : t("terms_kept_part", { percent: ratePercent(locale, 10_000 - bp) });
  // One tier from the start itself is the whole rule: "any time", not "later" after nothing.
  const only = tiers.length === 1 && tiers[0]!.hours_before <= 0;
  const said = tiers.map((tier) =>
    tier.hours_before > 0
      ? t("terms_tier", { hours: tier.hours_before, back: back(tier.refund_bp) })
      : t(only ? "terms_any_time" : "terms_later", { back: back(tier.refund_bp) }),
  );
  const last = tiers[tiers.length - 1];
  if (last && last.hours_before > 0 && last.refund_bp > 0) said.push(t("terms_later", { back: back(0) }));
  return said;
}

export function TermsLine({ ctx, offering }: { ctx: Context; offering: Offering }) {
  const { t, fmt } = ctx;
  const said = tiersSaid(t, fmt.locale, offering.cancellation);
  const fee = offering.deposit.no_show_fee ?? 0;
  if (said.length === 0 && fee <= 0) return null;
  return (
    <p class="muted terms">
      {said.length > 0 ? t("terms_cancel", { tiers: said.join(t("terms_join")) }) : null}
      {said.length > 0 && fee > 0 ? t("terms_join_sentences") : null}
      {fee > 0 ? t("terms_no_show", { fee: fmt.money(fee) }) : null}
    </p>
  );
}
