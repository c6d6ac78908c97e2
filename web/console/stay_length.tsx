/**
 * A stay's length on its order page: more nights to extend, fewer to shorten or leave early.
 * The guest hears the price before the change is made: the form asks the API for the quote
 * (`POST /v1/orders/{id}/stay` with `"quote": true`: the nights kept at their booked prices,
 * those gained at today's), says the new total against the old, and changes the stay only when
 * the desk says so, with the quoted total (`expected_total`). A price changed while the guest
 * was asked is refused by the API (409 `price_changed`) and asked again at the new total, so
 * nobody is charged a total they were not told.
 */

import { useRef, useState } from "preact/hooks";
import { ApiError, type Order } from "./api";
import { useDesk } from "./app";
import { useQuestionFocus } from "./focus";
import { Problem, useAction } from "./lines";
import { PriceQuestion } from "./price_question";

export function StayLength(props: { order: Order; index: number; nights: number; onDone: () => void }) {
  const { t, fmt, api } = useDesk();
  const { order, index } = props;
  const { busy, error, run } = useAction();
  // `repriced`: asked again because the price changed while the question was open.
  const [asked, setAsked] = useState<{ nights: number; after: Order; repriced?: boolean } | null>(null);
  const { opener, keep, answered } = useQuestionFocus(asked !== null);
  // Kept (or refused): the Nights box says the booked nights again, not the number asked of
  // (a keyboard and screen-reader tester's Escape left it saying the new length).
  const nightsField = useRef<HTMLInputElement>(null);
  const putBack = () => {
    if (nightsField.current) nightsField.current.value = String(props.nights);
    setAsked(null);
  };
  const path = `/v1/orders/${encodeURIComponent(order.id)}/stay`;

  const quote = async (nights: number) => {
    const quoted: Order[] = [];
    const ok = await run(async () => {
      quoted.push(await api.post<Order>(path, { nights, line: index, quote: true }, order.version));
    });
    return ok ? quoted[0] : null;
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const nights = Number(new FormData(event.currentTarget as HTMLFormElement).get("nights"));
    if (nights === props.nights) return; // nothing to change: the API would write nothing too
    const after = await quote(nights);
    if (after) setAsked({ nights, after });
  };
  const confirm = async () => {
    if (!asked) return;
    let repriced = false;
    const changed = await run(async () => {
      try {
        const body = { nights: asked.nights, line: index, expected_total: asked.after.totals.total };
        await api.post<Order>(path, body, order.version);
      } catch (e) {
        repriced = e instanceof ApiError && e.code === "price_changed";
        throw e; // said beside the form (or, asked again, in the question)
      }
    });
    if (changed) {
      answered(); // the order page says the new nights
      setAsked(null);
      props.onDone();
      return;
    }
    if (!repriced) return putBack(); // refused for another reason: said below
    const again = await quote(asked.nights); // asked again at the price now
    if (again) setAsked({ nights: asked.nights, after: again, repriced: true });
    else putBack();
  };

  return (
    <form class="stay" onSubmit={submit}>
      <label>
        {t("nights")}
        <input
          name="nights"
          ref={nightsField}
          type="number"
          min={1}
          max={30}
          defaultValue={String(props.nights)}
          disabled={asked !== null}
          required
        />
      </label>
      {asked ? (
        <PriceQuestion
          title={t("stay_price_title")}
          said={t("stay_price", {
            nights: asked.nights === 1 ? t("night_1") : t("nights_n", { n: asked.nights }),
            total: fmt.money(asked.after.totals.total),
            was: fmt.money(order.totals.total),
            deposit: fmt.money(asked.after.totals.deposit_due),
          })}
          repriced={asked.repriced ? t("stay_price_moved") : null}
          yes={t("stay_price_yes")}
          keep={t("stay_price_no")}
          busy={busy}
          keepRef={keep}
          onYes={confirm}
          onKeep={putBack}
        />
      ) : (
        <button type="submit" ref={opener} disabled={busy}>
          {t("change_nights")}
        </button>
      )}
      <Problem text={error} />
    </form>
  );
}
