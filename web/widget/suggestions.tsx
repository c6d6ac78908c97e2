/**
 * After a booking: "Customers who booked X also booked Y — book it". The suggestions come
 * from the order's own manage token (GET /v1/public/orders/{id}/suggestions); only offerings
 * this widget sells are offered, each with a real button that starts booking it. A failed
 * read shows nothing: a suggestion is a nicety, never in the customer's way.
 */
import { useEffect, useState } from "preact/hooks";
import type { Offering, Suggestion } from "./api";
import type { Context } from "./app";
import { wholePercent } from "../shared/percent";

export function Suggestions(props: {
  ctx: Context;
  orderId: string;
  token: string;
  offerings: Offering[];
  onBook: (offering: Offering) => void;
}) {
  const { ctx, orderId, token, offerings } = props;
  const { t } = ctx;
  const [found, setFound] = useState<Suggestion[]>([]);
  useEffect(() => {
    let live = true;
    ctx.api.suggestions(orderId, token).then(
      (data) => live && setFound(data),
      () => live && setFound([]),
    );
    return () => {
      live = false;
    };
  }, [orderId, token]);
  const offered = found.flatMap((s) => {
    const offering = offerings.find((o) => o.id === s.offering_id);
    return offering ? [{ s, offering }] : [];
  });
  if (offered.length === 0) return null;
  const heading = `rsv-suggest-${orderId}`;
  return (
    <section class="suggestions" aria-labelledby={heading}>
      <h3 id={heading}>{t("suggest_title")}</h3>
      <ul class="list">
        {offered.map(({ s, offering }) => (
          <li key={s.offering_id}>
            <p>{t("suggest_reason", { percent: wholePercent(ctx.locale, s.share_percent), because: s.because_name, name: offering.name })}</p>
            <button type="button" class="secondary" onClick={() => props.onBook(offering)}>
              {t("suggest_book", { name: offering.name })}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
