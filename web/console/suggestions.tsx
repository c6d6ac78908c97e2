/**
 * A customer's suggestions (`GET /v1/customers/{id}/suggestions`, or `by-email?email=` where
 * only the e-mail is known, as on an order's page): the offerings that customers who booked
 * what this customer booked also booked, each with its reason in figures, and the customer's
 * usual staff member and time of day. Read-only: every role may see it.
 */

import { ApiError } from "./api";
import { useDesk } from "./app";
import { Problem, useLoaded } from "./lines";
import { wholePercent } from "../shared/percent";

interface Suggestion {
  offering_id: string;
  name: string;
  because_offering_id: string;
  because_name: string;
  support: number;
  base: number;
  share_percent: number;
}
interface Usual {
  name: string;
  times: number;
  of: number;
}
interface Suggestions {
  customer_id: string;
  suggestions: Suggestion[];
  usual_staff: Usual | null;
  usual_time: Usual | null;
}

/** The customer by id, or by e-mail (the id is derived from it by the API); `usual`: their usual
 * staff member and time too (the customer page shows those among its figures). */
export function CustomerSuggestions(props: { customerId?: string; email?: string; usual?: boolean }) {
  const { t, api, fmt } = useDesk();
  const { customerId, email, usual = true } = props;
  const path = `/v1/customers/${encodeURIComponent(customerId ?? "by-email")}/suggestions`;
  // A customer the business has no record of yet (a first booking still held) has nothing to
  // suggest: the API answers it 404 `customer_not_found`, said here as no suggestions.
  const none: Suggestions = { customer_id: customerId ?? "", suggestions: [], usual_staff: null, usual_time: null };
  const { data, error } = useLoaded(
    () =>
      api.get<Suggestions>(path, customerId ? {} : { email }).catch((e) => {
        if (e instanceof ApiError && e.code === "customer_not_found") return none;
        throw e;
      }),
    [customerId, email],
  );
  return (
    <section class="suggestions" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title">{t("suggest_title")}</h2>
      <Problem text={error} />
      {data === null ? null : data.suggestions.length === 0 ? (
        <p class="muted">{t("suggest_none")}</p>
      ) : (
        <ul class="suggestion-list">
          {data.suggestions.map((s) => (
            <li key={s.offering_id}>
              <strong>{s.name}</strong>
              <br />
              <span class="muted">
                {t("suggest_reason", {
                  percent: wholePercent(fmt.locale, s.share_percent),
                  because: s.because_name,
                  support: s.support,
                  base: s.base,
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
      {usual && data?.usual_staff && <p>{t("suggest_usual_staff", { ...data.usual_staff })}</p>}
      {usual && data?.usual_time && <p>{t("suggest_usual_time", { ...data.usual_time, time: data.usual_time.name })}</p>}
    </section>
  );
}
