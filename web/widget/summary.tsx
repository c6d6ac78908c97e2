/**
 * An order as its customer reads it: the reference, what is booked, the business's extra
 * charges and discounts, the status, the payment and the total; a stay's check-in and
 * check-out times under it.
 */
import type { Order } from "./api";
import type { Context } from "./app";
import { StayTimesLine } from "./stay_times";

/** The visitor's own time beside a booked time when their zone is not the business's: the
 * list of times showed it, the details, hold, booked and manage pages did not (an outside
 * tester in Los Angeles read 9:45 AM, Eastern, as their own). */
export function YourTime({ ctx, start }: { ctx: Context; start: string }) {
  if (!ctx.fmt.differentZone) return null;
  return <small class="muted"> · {ctx.t("your_time", { time: ctx.fmt.visitorTime(start) })}</small>;
}

/** The resources the guest chose (a stylist they picked, a table they asked for), by name:
 * a tour's departure, a room type or whoever the business gave an "anyone" booking is its
 * own arrangement (a tours tester read "· 3 人 · Mutianyu departure" as if they had chosen it). */
function Chosen({ line }: { line: Order["lines"][number] }) {
  const names = line.resources.filter((r) => r.chosen).map((r) => r.name);
  return names.length ? <small class="muted"> · {names.join(", ")}</small> : null;
}

/** `ranOut`: a hold whose countdown has run out, shown as expired before the API says so.
 * `planned`: its payment step was an instalment plan's first part (the order says so once
 * its plan is stored, which may be a moment after it is confirmed). */
export function OrderSummary({
  ctx,
  order,
  ranOut = false,
  planned = false,
}: {
  ctx: Context;
  order: Order;
  ranOut?: boolean;
  planned?: boolean;
}) {
  const { t, fmt } = ctx;
  const plan = planned || (order.plan ?? []).length > 1;
  const status = ranOut && order.status === "held" ? "expired" : order.status;
  const stay = order.lines.some((line) => line.nights > 0);
  const kept = status === "cancelled" ? order.cancellation?.fee : null;
  const fee = typeof kept === "number" && kept > 0 ? kept : null;
  return (
    <>
      <dl>
        <dt>{t("reference")}</dt>
        <dd>{order.id}</dd>
        {order.lines.map((line) => (
          <>
            <dt>{line.offering_name}</dt>
            <dd>
              {line.nights > 0
                ? `${fmt.day(line.start.slice(0, 10))} – ${fmt.day(line.end.slice(0, 10))}`
                : fmt.dateTime(line.start)}
              {line.nights > 0 ? null : <YourTime ctx={ctx} start={line.start} />}
              {line.party > 1 ? (
                <small class="muted"> · {t(line.nights > 0 ? "guests_n" : "people_n", { n: line.party })}</small>
              ) : null}
              <Chosen line={line} />
            </dd>
          </>
        ))}
        {(order.charges ?? []).map((c) => (
          <>
            <dt>{c.label || t("discount")}{c.quantity > 1 ? ` × ${c.quantity}` : ""}</dt>
            <dd>{fmt.money(c.total)}</dd>
          </>
        ))}
        <dt>{t("status")}</dt>
        <dd>{statusText(ctx, status)}</dd>
        {status !== "held" && !(ENDED.has(status) && order.payment_status === "unpaid") ? (
          <>
            <dt>{t("payment")}</dt>
            <dd>
              {/* What was paid, not the deposit asked now: a move re-prices it (PROBE 43). A
                  partner that pays the business on account was paid by the guest: "To pay at
                  the venue" asked them to pay twice. */}
              {order.payment_status === "deposit_paid" && order.totals.paid > 0
                ? t(plan ? "first_instalment_paid" : "deposit_paid_amount", { amount: fmt.money(order.totals.paid) })
                : order.payment_status === "refund_due" && order.totals.owed_back
                  ? t("refund_due_amount", { amount: fmt.money(order.totals.owed_back) })
                  : order.payment_status === "unpaid" && order.partner?.settlement === "partner"
                    ? t("payment_through_partner", { partner: order.partner.name })
                    : t(`payment_${order.payment_status}` as Parameters<Context["t"]>[0])}
            </dd>
          </>
        ) : null}
        {order.status === "held" && order.totals.paid > 0 ? (
          <>
            {/* A gift card's part of a hold, paid before the card form asks the rest. */}
            <dt>{t("paid_so_far")}</dt>
            <dd>{fmt.money(order.totals.paid)}</dd>
          </>
        ) : null}
        {/* A cancelled booking says the fee it kept, and its total as what was booked: "Paid"
            beside a total of €238.00 read as if all of it was paid (an outside tester's, whose
            deposit of €47.60 was kept as the fee). */}
        {fee !== null ? (
          <>
            <dt>{t("cancel_fee_kept")}</dt>
            <dd>{fmt.money(fee)}</dd>
          </>
        ) : null}
        <dt>{t(status === "cancelled" ? "total_as_booked" : "total")}</dt>
        <dd class="price">
          {fmt.money(order.totals.total)}
          {order.totals.tax > 0 ? <small class="muted"> · {t("includes_tax", { tax: fmt.money(order.totals.tax) })}</small> : null}
        </dd>
      </dl>
      {stay ? <StayTimesLine ctx={ctx} /> : null}
    </>
  );
}

// An order that ended unpaid (a no-show, a cancellation) has nothing "to pay at the venue":
// what it still owes, if anything (a no-show's fee), is the balance staff collect.
const ENDED = new Set(["no_show", "cancelled", "expired"]);

function statusText(ctx: Context, status: string): string {
  return ctx.t(`status_${status}` as Parameters<Context["t"]>[0]).replace(/^status_/, "");
}
