/**
 * One order: its customer, lines, money and history, and every step the API allows from its
 * status: confirm, check in, check out, no-show, cancel (by the customer's terms, or by the
 * business with no fee and a full refund), moving a timed line to another time (order_move.tsx),
 * and revoking the customer's manage links. It prints
 * as the order's confirmation (the print style sheet leaves the controls out).
 */

import { useEffect, useState } from "preact/hooks";
import { MAY, type Order } from "./api";
import { depositDue, depositLeft } from "./deposit_due";
import type { Offering as OnSale } from "../widget/api";
import { message, useDesk } from "./app";
import type { Key } from "./i18n";
import { focusId } from "./focus";
import { Cancel, CancelledTerms } from "./order_cancel";
import { OrderMoney } from "./order_money";
import { MoveControl } from "./order_move";
import { Revoke } from "./order_revoke";
import { arrivalDay } from "./order_no_show";
import { PartnerNote } from "./channel_order";
import { PdfButton } from "./pdf_button";
import { RoomControl } from "./room_control";
import { StayLength } from "./stay_length";
import { CustomerSuggestions } from "./suggestions";
import {
  Actions,
  type Labels,
  Payment,
  People,
  Problem,
  party,
  questionLabels,
  Status,
  when,
} from "./lines";

const CANCELLABLE = new Set(["held", "confirmed"]);
const STAY_CHANGEABLE = new Set(["held", "confirmed", "checked_in"]);
const MOVABLE = new Set(["held", "confirmed"]); // the API's RESCHEDULABLE

export function OrderPage({ id }: { id: string }) {
  const desk = useDesk();
  const { t, fmt, api } = desk;
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");
  const [round, setRound] = useState(0);
  const [labels, setLabels] = useState<Labels>({});
  const [onSale, setOnSale] = useState<OnSale[]>([]); // with who may serve each: for a move
  const [stale, setStale] = useState(""); // a refusal that reloaded the order: said beside it

  useEffect(() => {
    api
      .offerings()
      .then((all) => setLabels(questionLabels(all, t.lang)))
      .catch(() => undefined); // answers then show under their ids
    if (MAY.operate(desk.me.role)) {
      api
        .get<{ data: OnSale[] }>("/v1/public/offerings")
        .then((all) => setOnSale(all.data))
        .catch(() => undefined); // no move offered then
    }
  }, [t.lang]);

  useEffect(() => {
    setError("");
    api
      .order(id)
      .then(setOrder)
      .catch((e) => setError(message(t, e)));
  }, [id, round]);
  // Today's refused check-out links here with `?money`: the Money panel is where it is settled.
  useEffect(() => {
    if (order && location.hash.endsWith("?money")) document.getElementById("money-title")?.scrollIntoView();
  }, [order?.id]);
  // A step done: said in the status line, which takes the keyboard (the button that did it is
  // often gone: Check in becomes Check out, the cancel form closes), unless the step's own
  // panel puts it nearer (the Money panel: on its heading, above the new figures).
  const changed = (said = t("done"), focus = true) => {
    setNotice(said);
    setStale("");
    setRound((n) => n + 1);
    if (focus) focusId("order-notice");
  };
  const moved = (when: string) => changed(t("move_done", { when }));
  const wentStale = (why: string) => {
    setNotice("");
    setStale(why);
    setRound((n) => n + 1);
    if (why) focusId("order-stale");
  };

  if (!order) return <>{error ? <Problem text={error} /> : <p role="status">{t("loading")}</p>}</>;
  const c = order.customer;
  // A timed line (an appointment, a departure) of an order that may still be moved, by staff
  // who may move it: its offering, for the free times.
  const movable = (l: Order["lines"][number]) =>
    l.nights === 0 && MOVABLE.has(order.status) && MAY.operate(desk.me.role) && !order.overbooked
      ? onSale.find((o) => o.id === l.offering_id && o.kind !== "nightly")
      : undefined;
  return (
    <section aria-labelledby="order-title">
      <div class="toolbar">
        <h1 id="order-title">{t("order_title", { id: order.id })}</h1>
        <Status status={order.status} />
        <Payment status={order.payment_status} />
        <span class="muted">{t(`ch_${order.channel}` as Key)}</span>
        <button type="button" onClick={() => window.print()}>
          {t("print")}
        </button>
        <PdfButton path={`/v1/orders/${encodeURIComponent(order.id)}/confirmation.pdf`} name={`${order.id}.pdf`} />
      </div>
      <PartnerNote order={order} />
      <CancelledTerms order={order} />
      {notice && (
        <p class="notice" role="status" id="order-notice" tabIndex={-1}>
          {notice}
        </p>
      )}
      <Problem text={error} />
      <Problem text={stale} id="order-stale" />
      <div class="columns">
        <div>
          <h2>{t("customer")}</h2>
          <p class="contact">
            {c.name}
            <br />
            {/* A phone booking has no e-mail (""): its customer is found by the phone. */}
            {/* Erased: the name says so, and neither the placeholder address nor a privacy
                page of a customer who is gone is offered (an outside tester's finding). */}
            {c.email && !c.erased && <a href={`mailto:${c.email}`}>{c.email}</a>}
            {MAY.manage(desk.me.role) && !c.erased && (
              <>
                {c.email && " · "}
                <a href={`#/privacy?customer=${encodeURIComponent(c.email || c.phone || "")}`}>{t("nav_privacy")}</a>
              </>
            )}
            {c.phone && (
              <>
                <br />
                <a href={`tel:${c.phone}`}>{c.phone_display ?? c.phone}</a>
              </>
            )}
          </p>
          {order.note && (
            <>
              <h2>{t("note")}</h2>
              <p class="note">{order.note}</p>
            </>
          )}
          <p class="muted">
            {t("created")} {fmt.dateTime(order.created_at)}
          </p>
          {/* Until the customer's own page exists: the customer known by the order's e-mail. */}
          {c.email && <CustomerSuggestions email={c.email} />}
        </div>
        <div>
          <h2>{t("lines")}</h2>
          <ul class="lines">
            {order.lines.map((l, i) => (
              <li key={l.start_utc + l.offering_id}>
                <div>
                  <strong>{l.offering_name}</strong>
                  <span class="num"> {fmt.money(l.price.total)}</span>
                </div>
                <div class="muted">
                  {when(t, fmt, l)} · {party(t, l.party)}
                  {l.resources.length > 0 && <> · {l.resources.map((r) => r.name).join(", ")}</>}
                </div>
                {l.answers && <People answers={l.answers} labels={labels[l.offering_id] ?? {}} />}
                {movable(l) && (
                  <MoveControl
                    key={order.version}
                    order={order}
                    index={i}
                    offering={movable(l)!}
                    onMoved={moved}
                    onStale={wentStale}
                  />
                )}
                {l.nights > 0 && STAY_CHANGEABLE.has(order.status) && MAY.operate(desk.me.role) && !order.overbooked && (
                  <>
                    <StayLength order={order} index={i} nights={l.nights} onDone={() => changed()} />
                    <RoomControl key={order.version} order={order} index={i} line={l} onDone={() => changed()} />
                  </>
                )}
                {l.nights > 0 && !(STAY_CHANGEABLE.has(order.status) && MAY.operate(desk.me.role)) && l.rooms?.length ? (
                  <p class="muted">{l.rooms.map((r) => t("room_n", { room: r.room })).join(" → ")}</p>
                ) : null}
              </li>
            ))}
          </ul>
          {(order.charges ?? []).length > 0 && (
            <p class="muted">
              {t("folio_title")}: {fmt.money((order.charges ?? []).reduce((sum, c) => sum + c.total, 0))}
            </p>
          )}
          <dl class="money">
            <dt>{t("total")}</dt>
            <dd>{fmt.money(order.totals.total)}</dd>
            <dt>{t("tax")}</dt>
            <dd>{fmt.money(order.totals.tax)}</dd>
            {depositDue(order) && (
              <>
                <dt>{t("deposit")}</dt>
                <dd>{fmt.money(depositLeft(order))}</dd>
              </>
            )}
          </dl>
        </div>
      </div>
      <OrderMoney
        orderId={order.id}
        status={order.status}
        version={order.version}
        onDone={() => changed(t("done"), false)} // the panel moves the keyboard itself
        onStale={() => wentStale("")} // said in the panel, beside the form
      />
      {MAY.operate(desk.me.role) && (
        <div class="order-actions">
          <h2>{t("actions")}</h2>
          <Actions
            orderId={order.id}
            status={order.status}
            role="order"
            onDone={() => changed()}
            starts={order.lines[0]?.start_utc}
            unplaced={order.overbooked}
            guest={order.customer.name}
            offeringIds={[...new Set(order.lines.map((l) => l.offering_id))]}
            stayDay={arrivalDay(order)}
          />
          {CANCELLABLE.has(order.status) && <Cancel order={order} onDone={() => changed()} onStale={wentStale} />}
          <Revoke order={order} onDone={changed} />
        </div>
      )}
    </section>
  );
}
