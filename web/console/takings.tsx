/**
 * The day's takings (`#/takings?date=`): what the desk recorded on a day of the business's own
 * calendar (`GET /v1/takings/{date}`), per method against what is expected (cash: the opening
 * float plus cash in less cash out), per staff member, and every entry. While the day is open,
 * staff close it with the cash counted (and the terminal's figures if they like): the form
 * shows the difference before closing, and the closed day shows who closed it and the figures
 * as they were closed (`POST /v1/takings/{date}/close`). A closed day never changes: a
 * correction is a new payment or refund on an open day.
 */

import { useEffect, useState } from "preact/hooks";
import { todayIn } from "../shared/format";
import { MAY } from "./api";
import { useDesk } from "./app";
import { DecimalField } from "./catalog_parts";
import { focusId } from "./focus";
import type { Key } from "./i18n";
import { DayBar, Problem, useAction, useLoaded } from "./lines";
import { useWho } from "./who";

interface MethodLine {
  method: string;
  taken: number;
  tips?: number; // the staff's, taken with the payments: apart from `taken`, in `net`
  given_back: number;
  net: number;
  expected: number;
  counted: number | null;
  difference: number | null;
}
interface Entry {
  id: string;
  at: string;
  direction: "in" | "out";
  method: string;
  amount: number;
  tip?: number;
  taken_by: string;
  order_id: string;
  reference: string;
}
interface TakingsDay {
  date: string;
  closed: boolean;
  close: { closed_at: string; closed_by: string; entries: number; float_left: number; note: string } | null;
  entry_count: number;
  opening_float: number;
  float_from: string | null;
  methods: MethodLine[];
  tips?: number;
  staff: { taken_by: string; methods: { method: string; taken: number; given_back: number; tips?: number }[] }[];
  entries: Entry[];
  next_after: string | null;
  complete: boolean;
}

const OTHERS = ["card_terminal", "bank_transfer", "gift_card", "other"] as const;

export function Takings({ date }: { date: string }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const today = todayIn(desk.tenant.timezone);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : today;
  const path = `/v1/takings/${day}`;
  const { data, error, refresh } = useLoaded(() => api.get<TakingsDay>(path), [day]);
  const how = (method: string) => t(`tender_${method}` as Key);
  // Closed: the keyboard goes to the closed day's summary (the form is gone), which says it
  // once the day is read again (a keyboard and screen-reader tester was left on <body>).
  const closed = () => {
    refresh();
    focusId("closed-day");
  };
  return (
    <section aria-labelledby="takings-title" class="takings">
      <DayBar day={day} page="#/takings" title={t("takings_title", { day: fmt.day(day) })} id="takings-title" />
      <Problem text={error} />
      {!data && !error && <p role="status">{t("loading")}</p>}
      {data && (
        <>
          <p class="muted">
            {data.float_from
              ? t("takings_opening_from", { amount: fmt.money(data.opening_float), day: fmt.day(data.float_from) })
              : t("takings_opening", { amount: fmt.money(data.opening_float) })}
          </p>
          <Methods day={data} how={how} />
          {!!data.tips && (
            <p class="tips-total" data-testid="tips-total">
              {t("takings_tips_total", { amount: fmt.money(data.tips) })}
            </p>
          )}
          <Closed day={data} />
          {!data.closed && MAY.operate(desk.me.role) && day <= today && (
            <CloseForm key={`${day}-${data.entry_count}`} day={data} path={`${path}/close`} how={how} onDone={closed} />
          )}
          <Staff day={data} how={how} />
          <Entries key={`${day}-${data.entry_count}`} day={data} path={path} how={how} />
        </>
      )}
    </section>
  );
}

function Methods({ day, how }: { day: TakingsDay; how: (m: string) => string }) {
  const { t, fmt } = useDesk();
  // A day without tips (a hotel's, most days) has no Tips column: on a phone the column
  // pushed "Expected" off the screen.
  const tips = day.methods.some((m) => (m.tips ?? 0) > 0);
  return (
    <div class="scroll" role="region" tabIndex={0} aria-label={t("takings_methods")}>
      <table class="records takings-methods">
        <caption>{t("takings_methods")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("takings_method")}</th>
            <th scope="col">{t("takings_in")}</th>
            {tips && <th scope="col">{t("takings_tips")}</th>}
            <th scope="col">{t("takings_out")}</th>
            <th scope="col">{t("takings_net")}</th>
            <th scope="col">{t("takings_expected")}</th>
            {day.closed && <th scope="col">{t("takings_counted")}</th>}
            {day.closed && <th scope="col">{t("takings_difference")}</th>}
          </tr>
        </thead>
        <tbody>
          {day.methods.map((m) => (
            <tr key={m.method} data-method={m.method}>
              <th scope="row">{how(m.method)}</th>
              <td class="num">{fmt.money(m.taken)}</td>
              {tips && <td class="num">{fmt.money(m.tips ?? 0)}</td>}
              <td class="num">{fmt.money(m.given_back)}</td>
              <td class="num">{fmt.money(m.net)}</td>
              <td class="num">{fmt.money(m.expected)}</td>
              {day.closed && <td class="num">{m.counted === null ? "—" : fmt.money(m.counted)}</td>}
              {day.closed && <td class="num">{m.difference === null ? "—" : fmt.money(m.difference)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The closed day's summary, in a status drawn on an open day too (empty): closed from this
 * page, its words come into a live region already there, so a screen reader says them. */
function Closed({ day }: { day: TakingsDay }) {
  const { t, fmt } = useDesk();
  const who = useWho();
  const close = day.close;
  return (
    <div class={close ? "closed-day" : undefined} role="status" id="closed-day">
      {close && (
        <>
          <p>{t("takings_closed", { who: who(close.closed_by), when: fmt.dateTime(close.closed_at) })}</p>
          <p>{t("takings_float_kept", { amount: fmt.money(close.float_left) })}</p>
          {close.note && <p>{t("takings_closed_note", { note: close.note })}</p>}
        </>
      )}
    </div>
  );
}

function CloseForm(props: { day: TakingsDay; path: string; how: (m: string) => string; onDone: () => void }) {
  const { day, path, how, onDone } = props;
  const { t, api, fmt } = useDesk();
  const { busy, error, run, refusedMarked } = useAction();
  const expected = Object.fromEntries(day.methods.map((m) => [m.method, m.expected]));
  const [cash, setCash] = useState(expected.cash ?? 0);
  // The difference is said only while the field says an amount: "abc" kept the last one's
  // (an outside tester read "Difference in cash: 0.00" beside "abc").
  const [cashTyped, setCashTyped] = useState(true);
  const [others, setOthers] = useState<Record<string, number | undefined>>({});
  const [floatLeft, setFloatLeft] = useState(0);
  const [note, setNote] = useState("");
  const shown = OTHERS.filter((m) => m in expected);
  const floatOver = cashTyped && floatLeft > cash;
  const submit = async (event: Event) => {
    event.preventDefault();
    if (refusedMarked(event)) return;
    // What the form shows is what is sent: a terminal's figure left as offered is counted so.
    const counted_other = Object.fromEntries(shown.map((m) => [m, others[m] ?? expected[m] ?? 0]));
    const body = { counted_cash: cash, counted_other, float_left: floatLeft, ...(note.trim() ? { note: note.trim() } : {}) };
    if (await run(() => api.post(path, body))) onDone();
  };
  return (
    <form class="inline close-day" onSubmit={submit} aria-labelledby="close-title">
      <h2 id="close-title" class="wide">
        {t("takings_close")}
      </h2>
      <DecimalField label={t("takings_counted_cash")} value={cash} onChange={setCash} onValidity={setCashTyped} money />
      {shown.map((m) => (
        <DecimalField
          key={m}
          label={t("takings_counted_other", { method: how(m) })}
          value={others[m] ?? expected[m] ?? 0}
          onChange={(n) => setOthers({ ...others, [m]: n })}
          money
        />
      ))}
      <DecimalField label={t("takings_float_left")} value={floatLeft} onChange={setFloatLeft} money />
      <label>
        {t("takings_note")}
        <input value={note} maxLength={300} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <p class="wide" aria-live="polite" data-testid="cash-difference">
        {t("takings_will_differ", { amount: cashTyped ? fmt.money(cash - (expected.cash ?? 0)) : "—" })}
      </p>
      {/* Said, not only greyed out: a closer saw the button go dead and no reason (a tester's).
          The live region is always there and filled, so a screen reader announces it; nothing
          is said while the cash field holds no amount (it would quote the last one). */}
      <p class={floatOver ? "wide error" : "wide"} id="float-over" role="status">
        {floatOver ? t("takings_float_over", { float: fmt.money(floatLeft), cash: fmt.money(cash) }) : ""}
      </p>
      <button type="submit" disabled={busy || floatLeft > cash} aria-describedby={floatOver ? "float-over" : undefined}>
        {t("takings_close_button")}
      </button>
      <Problem text={error} />
    </form>
  );
}

function Staff({ day, how }: { day: TakingsDay; how: (m: string) => string }) {
  const { t, fmt } = useDesk();
  const who = useWho();
  if (day.staff.length === 0) return null;
  return (
    <div class="scroll" role="region" tabIndex={0} aria-label={t("takings_staff")}>
      <table class="records takings-staff">
        <caption>{t("takings_staff")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("takings_who")}</th>
            <th scope="col">{t("takings_method")}</th>
            <th scope="col">{t("takings_in")}</th>
            <th scope="col">{t("takings_tips")}</th>
            <th scope="col">{t("takings_out")}</th>
          </tr>
        </thead>
        <tbody>
          {day.staff.flatMap((s) =>
            s.methods.map((m, i) => (
              <tr key={`${s.taken_by}-${m.method}`}>
                {i === 0 ? <th scope="row" rowSpan={s.methods.length}>{who(s.taken_by)}</th> : null}
                <td>{how(m.method)}</td>
                <td class="num">{fmt.money(m.taken)}</td>
                <td class="num">{fmt.money(m.tips ?? 0)}</td>
                <td class="num">{fmt.money(m.given_back)}</td>
              </tr>
            )),
          )}
        </tbody>
        {!day.complete && (
          <tfoot>
            <tr>
              <td colSpan={5}>{t("takings_incomplete")}</td>
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

function Entries({ day, path, how }: { day: TakingsDay; path: string; how: (m: string) => string }) {
  const { t, fmt, api } = useDesk();
  const who = useWho();
  const [entries, setEntries] = useState<Entry[]>(day.entries);
  const [after, setAfter] = useState<string | null>(day.next_after);
  const { busy, error, run } = useAction();
  useEffect(() => {
    setEntries(day.entries);
    setAfter(day.next_after);
  }, [day]);
  if (entries.length === 0) return <p class="muted">{t("takings_none")}</p>;
  const more = () =>
    run(async () => {
      const page = await api.get<TakingsDay>(path, { after: after ?? undefined });
      setEntries([...entries, ...page.entries]);
      setAfter(page.next_after);
    });
  return (
    <>
      <div class="scroll" role="region" tabIndex={0} aria-label={t("takings_entries")}>
        <table class="records takings-entries">
          <caption>{t("takings_entries")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("takings_when")}</th>
              <th scope="col">{t("takings_method")}</th>
              <th scope="col">{t("money_amount")}</th>
              <th scope="col">{t("takings_who")}</th>
              <th scope="col">{t("takings_order")}</th>
              <th scope="col">{t("takings_reference")}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td>{fmt.time(e.at)}</td>
                <td>
                  {t(e.direction === "in" ? "takings_in_word" : "takings_out_word")} · {how(e.method)}
                </td>
                <td class="num">
                  {e.direction === "in" ? fmt.money(e.amount) : `−${fmt.money(e.amount)}`}
                  {!!e.tip && <span class="muted"> {t("money_with_tip", { tip: fmt.money(e.tip) })}</span>}
                </td>
                <td>{who(e.taken_by)}</td>
                <td>
                  {/* A gift card sold at the desk is money in for no order (its reference names the card). */}
                  {e.order_id && <a href={`#/order/${encodeURIComponent(e.order_id)}`}>{e.order_id}</a>}
                </td>
                <td>{e.reference}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {after && (
        <button type="button" onClick={more} disabled={busy}>
          {t("takings_more")}
        </button>
      )}
      <Problem text={error} />
    </>
  );
}
